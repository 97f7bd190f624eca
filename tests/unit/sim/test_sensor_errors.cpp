// Sensor error model: saturation, quantisation, bias/scale/noise, dropouts, determinism and
// parameter checks.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <string>

#include "sim_test_util.hpp"
#include "stridelab/core/error.hpp"

namespace stridelab::sim {
namespace {

using test::ideal_params;

TEST(Saturation, ClippedValuesEqualTheRange) {
  SimParams p = ideal_params(Activity::kRun, 20.0);
  p.acc_range_ms2 = 2.0 * kGravity;  // running peaks exceed 2 g
  p.gyr_range_rads = 0.5;
  const SensorData s = simulate(p).recording.sensors[0];
  std::size_t acc_clipped = 0, gyr_clipped = 0;
  for (std::size_t i = 0; i < s.size(); ++i)
    for (int k = 0; k < 3; ++k) {
      EXPECT_LE(std::abs(s.acc[i][k]), p.acc_range_ms2);
      EXPECT_LE(std::abs(s.gyr[i][k]), p.gyr_range_rads);
      acc_clipped += std::abs(s.acc[i][k]) == p.acc_range_ms2;
      gyr_clipped += std::abs(s.gyr[i][k]) == p.gyr_range_rads;
    }
  std::cout << "[ saturation ] clipped acc values " << acc_clipped << ", gyr values " << gyr_clipped
            << "\n";
  EXPECT_GT(acc_clipped, 100u);
  EXPECT_GT(gyr_clipped, 10u);
}

TEST(Quantisation, ValuesLieOnTheGrid) {
  SimParams p = ideal_params(Activity::kWalk, 10.0);
  p.acc_range_ms2 = 4.0 * kGravity;
  p.gyr_range_rads = 8.0;
  p.acc_bits = 8;
  p.gyr_bits = 10;
  p.acc_noise_ms2 = 0.1;
  const SensorData s = simulate(p).recording.sensors[0];
  const double acc_lsb = 2.0 * p.acc_range_ms2 / 256.0, gyr_lsb = 2.0 * p.gyr_range_rads / 1024.0;
  std::size_t distinct_nonzero = 0;
  for (std::size_t i = 0; i < s.size(); ++i)
    for (int k = 0; k < 3; ++k) {
      const double a = s.acc[i][k] / acc_lsb, g = s.gyr[i][k] / gyr_lsb;
      EXPECT_NEAR(a, std::round(a), 1e-9);
      EXPECT_NEAR(g, std::round(g), 1e-9);
      distinct_nonzero += std::round(a) != 0.0;
    }
  EXPECT_GT(distinct_nonzero, s.size());  // not all zero: the grid is really used
}

TEST(ErrorsModel, BiasAndScaleAreApplied) {
  SimParams p = ideal_params(Activity::kWalk, 10.0);
  const SensorData ideal = simulate(p).recording.sensors[0];
  p.acc_bias_ms2 = Vec3(0.3, -0.2, 0.1);
  p.gyr_bias_rads = Vec3(0.01, 0.02, -0.03);
  p.acc_scale_error = 0.02;
  p.gyr_scale_error = -0.01;
  const SensorData biased = simulate(p).recording.sensors[0];
  for (std::size_t i = 0; i < ideal.size(); i += 37) {
    EXPECT_LT((biased.acc[i] - (1.02 * ideal.acc[i] + p.acc_bias_ms2)).norm(), 1e-12);
    EXPECT_LT((biased.gyr[i] - (0.99 * ideal.gyr[i] + p.gyr_bias_rads)).norm(), 1e-12);
  }
}

TEST(ErrorsModel, NoiseHasTheRequestedSd) {
  SimParams p = ideal_params(Activity::kWalk, 10.0);
  const SensorData ideal = simulate(p).recording.sensors[0];
  p.acc_noise_ms2 = 0.08;
  p.gyr_noise_rads = 0.004;
  const SensorData noisy = simulate(p).recording.sensors[0];
  double sa = 0.0, sg = 0.0, ma = 0.0;
  const double n = 3.0 * static_cast<double>(ideal.size());
  for (std::size_t i = 0; i < ideal.size(); ++i) {
    sa += (noisy.acc[i] - ideal.acc[i]).squaredNorm();
    sg += (noisy.gyr[i] - ideal.gyr[i]).squaredNorm();
    ma += (noisy.acc[i] - ideal.acc[i]).sum();
  }
  std::cout << "[ noise ] acc sd " << std::sqrt(sa / n) << " (0.08), gyr sd " << std::sqrt(sg / n)
            << " (0.004)\n";
  EXPECT_NEAR(std::sqrt(sa / n), 0.08, 0.004);
  EXPECT_NEAR(std::sqrt(sg / n), 0.004, 0.0002);
  EXPECT_NEAR(ma / n, 0.0, 0.003);
}

TEST(Dropouts, GapsAccountForExactlyTheMissingSamples) {
  SimParams p = ideal_params(Activity::kWalk, 120.0);
  p.dropout_rate_per_min = 10.0;
  const SimResult r = simulate(p);
  const SensorData& s = r.recording.sensors[0];
  const auto full = static_cast<std::size_t>(std::llround(s.time_s.back() * p.rate_hz)) + 1;
  std::uint64_t missing = 0;
  ASSERT_GT(s.gaps.size(), 5u);
  for (const Gap& g : s.gaps) {
    EXPECT_EQ(g.cause, "sequence");
    ASSERT_GT(g.index, 0u);
    ASSERT_LT(g.index, s.size());
    EXPECT_EQ(g.start_s, s.time_s[g.index - 1]);
    EXPECT_EQ(g.end_s, s.time_s[g.index]);
    EXPECT_EQ(std::llround((g.end_s - g.start_s) * p.rate_hz) - 1,
              static_cast<long long>(g.missing));
    missing += g.missing;
  }
  EXPECT_EQ(missing + s.size(), full);
  EXPECT_EQ(s.device_time_s.size(), s.size());
  EXPECT_EQ(s.device_time_s.back(), s.time_s.back());
  EXPECT_EQ(r.truth.obliquity_deg.size(), s.size());  // truth stays aligned with the samples
  // Elsewhere the spacing is exactly one sample.
  std::size_t big_steps = 0;
  for (std::size_t i = 1; i < s.size(); ++i)
    big_steps += (s.time_s[i] - s.time_s[i - 1]) * p.rate_hz > 1.5;
  EXPECT_EQ(big_steps, s.gaps.size());
  EXPECT_NO_THROW(s.validate());
}

TEST(Determinism, SameSeedSameOutputOtherSeedOtherNoise) {
  SimParams p;
  p.gait_duration_s = 20.0;
  p.dropout_rate_per_min = 5.0;
  apply_noise_preset(p, "realistic");
  const SimResult a = simulate(p), b = simulate(p);
  const SensorData &sa = a.recording.sensors[0], &sb = b.recording.sensors[0];
  ASSERT_EQ(sa.size(), sb.size());
  EXPECT_EQ(sa.time_s, sb.time_s);
  EXPECT_EQ(sa.acc, sb.acc);
  EXPECT_EQ(sa.gyr, sb.gyr);
  EXPECT_EQ(a.truth.steps.back().pelvic_drop_deg, b.truth.steps.back().pelvic_drop_deg);

  SimParams q = p;
  q.seed = 2;
  const SimResult c = simulate(q);
  const SensorData& sc = c.recording.sensors[0];
  std::size_t same = 0;
  for (std::size_t i = 0; i < std::min(sa.size(), sc.size()); ++i) same += sa.acc[i] == sc.acc[i];
  EXPECT_LT(same, sa.size() / 100);
  EXPECT_NE(a.truth.steps[5].step_time_s, c.truth.steps[5].step_time_s);

  // Changing only the noise keeps the gait (separate random streams).
  SimParams quiet = p;
  apply_noise_preset(quiet, "none");
  quiet.dropout_rate_per_min = 0.0;
  const Truth t = simulate(quiet).truth;
  ASSERT_EQ(t.steps.size(), a.truth.steps.size());
  for (std::size_t k = 0; k < t.steps.size(); ++k)
    EXPECT_EQ(t.steps[k].pelvic_drop_deg, a.truth.steps[k].pelvic_drop_deg);
}

TEST(Params, BadValuesAreRejectedByName) {
  auto expect_error = [](SimParams p, const std::string& name) {
    try {
      simulate(p);
      ADD_FAILURE() << "no error for " << name;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  };
  SimParams p;
  p.rate_hz = 0.0;
  expect_error(p, "rate_hz");
  p = SimParams{};
  p.cadence_spm = std::nan("");
  expect_error(p, "cadence_spm");
  p = SimParams{};
  p.activity = Activity::kRun;
  p.contact_time_s = 0.5;  // longer than a running step: no flight
  expect_error(p, "contact_time_s");
  p = SimParams{};
  p.gait_duration_s = 1.0;
  expect_error(p, "gait_duration_s");
  p = SimParams{};
  p.turns = {{5.0, 0.0, 90.0}};
  expect_error(p, "turns[0].duration_s");
  p = SimParams{};
  p.mounting = Eigen::Quaterniond(0, 0, 0, 0);
  expect_error(p, "mounting");
  EXPECT_THROW(mounting_preset("sideways"), Error);
  EXPECT_THROW(apply_noise_preset(p, "extreme"), Error);
  EXPECT_THROW(activity_from_string("swim"), Error);
}

TEST(Params, StandingOnlyRecording) {
  SimParams p = ideal_params(Activity::kWalk, 0.0);
  const SimResult r = simulate(p);
  EXPECT_TRUE(r.truth.steps.empty());
  EXPECT_NEAR(r.recording.sensors[0].duration_s(), 8.0, 1e-9);
}

}  // namespace
}  // namespace stridelab::sim
