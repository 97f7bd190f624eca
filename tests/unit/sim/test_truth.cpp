// Ground truth: event structure, drop and rotation definitions measured on the generated
// curves, sign conventions, cadence, turns, and the JSON file.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "sim_test_util.hpp"
#include "stridelab/core/error.hpp"

namespace stridelab::sim {
namespace {

using test::ideal_params;

TEST(TruthSteps, StructureAddsUp) {
  for (Activity a : {Activity::kWalk, Activity::kRun}) {
    for (Side first : {Side::kLeft, Side::kRight}) {
      SimParams p = ideal_params(a, 40.0);
      p.first_side = first;
      p.cadence_cv = 0.05;
      const Truth t = simulate(p).truth;
      ASSERT_GT(t.steps.size(), 50u);
      EXPECT_EQ(t.steps.front().side, first);
      EXPECT_DOUBLE_EQ(t.steps.front().time_s, t.gait_start_s);
      double sum = 0.0;
      for (std::size_t k = 0; k < t.steps.size(); ++k) {
        const TruthStep& s = t.steps[k];
        sum += s.step_time_s;
        if (k + 1 < t.steps.size()) {
          EXPECT_NE(s.side, t.steps[k + 1].side) << "sides must alternate at step " << k;
          EXPECT_NEAR(t.steps[k + 1].time_s, s.time_s + s.step_time_s, 1e-9);
        }
        EXPECT_NEAR(s.final_contact_s, s.time_s + s.contact_time_s, 1e-12);
        if (a == Activity::kRun) {
          EXPECT_LT(s.contact_time_s, s.step_time_s);  // flight
        } else {
          EXPECT_GT(s.contact_time_s, s.step_time_s);  // double support
        }
      }
      EXPECT_NEAR(sum, t.gait_end_s - t.gait_start_s, 1e-9);
      EXPECT_NEAR(t.gait_end_s - t.gait_start_s, p.gait_duration_s, 1e-9);
      EXPECT_EQ(t.strides.size(), t.steps.size() - 1);
    }
  }
}

TEST(TruthSteps, ContactTimes) {
  const Truth w = simulate(ideal_params(Activity::kWalk, 30.0)).truth;
  for (std::size_t k = 0; k + 1 < w.steps.size(); ++k) {
    const double stride = w.steps[k].step_time_s + w.steps[k + 1].step_time_s;
    EXPECT_NEAR(w.steps[k].contact_time_s / stride, 0.6, 1e-9);
  }
  const Truth r = simulate(ideal_params(Activity::kRun, 30.0)).truth;
  const double t0 = 60.0 / 170.0;
  for (const TruthStep& s : r.steps) EXPECT_NEAR(s.contact_time_s, 0.25 * s.step_time_s / t0, 1e-9);
}

TEST(TruthCadence, MatchesRequestWithinVariability) {
  for (Activity a : {Activity::kWalk, Activity::kRun}) {
    SimParams p = ideal_params(a, 180.0);
    p.cadence_spm = a == Activity::kRun ? 182.0 : 104.0;
    p.cadence_cv = 0.04;
    const Truth t = simulate(p).truth;
    double sum = 0.0, sum2 = 0.0;
    for (const TruthStep& s : t.steps) sum += s.step_time_s, sum2 += s.step_time_s * s.step_time_s;
    const double n = static_cast<double>(t.steps.size());
    const double mean = sum / n, cv = std::sqrt(sum2 / n - mean * mean) / mean;
    std::cout << "[ cadence ] " << to_string(a) << " requested " << p.cadence_spm << " spm, truth "
              << t.mean_cadence_spm << " spm, step-time CV " << cv << "\n";
    EXPECT_NEAR(t.mean_cadence_spm, 60.0 / mean, 1e-9);
    EXPECT_NEAR(t.mean_cadence_spm, p.cadence_spm, 0.01 * p.cadence_spm);
    EXPECT_NEAR(cv, p.cadence_cv, 0.25 * p.cadence_cv);
  }
}

// Left stance drops the right side: with drop_left = 4° and drop_right = 0°, the left-stance
// steps show 4° and the right-stance steps 0°, and the right hip is lower in left stance.
TEST(TruthDrop, SignConventionLeftFourRightZero) {
  for (Activity a : {Activity::kWalk, Activity::kRun}) {
    SimParams p = ideal_params(a, 30.0);
    p.drop_left_deg = 4.0;
    p.drop_right_deg = 0.0;
    p.drop_sd_deg = 0.0;
    p.neutral_obliquity_deg = 1.5;
    const SimResult r = simulate(p);
    const Truth& t = r.truth;
    for (std::size_t k = 2; k + 2 < t.steps.size(); ++k) {
      const TruthStep& s = t.steps[k];
      EXPECT_NEAR(s.pelvic_drop_deg, s.side == Side::kLeft ? 4.0 : 0.0, 0.01) << "step " << k;
      // Geometry, independent of the angle formulas: at mid-stance of a left step the right
      // hip (pelvis y = −0.1 m) is lower than the left hip, relative to standing.
      const std::size_t i = test::index_at(r, s.time_s + 0.5 * s.contact_time_s);
      const Eigen::Matrix3d R =
          pelvis_rotation(t.rotation_deg[i], t.obliquity_deg[i], t.tilt_deg[i]);
      const double left_minus_right = (R * Vec3(0, 0.1, 0)).z() - (R * Vec3(0, -0.1, 0)).z();
      const double neutral = 0.2 * std::sin(p.neutral_obliquity_deg * M_PI / 180.0);
      if (s.side == Side::kLeft) {
        EXPECT_GT(left_minus_right - neutral, 0.2 * std::sin(3.5 * M_PI / 180));
      } else {
        EXPECT_NEAR(left_minus_right - neutral, 0.0, 0.002);
      }
    }
  }
}

// The truth drop equals the peak of the contralateral side's lowering in the sampled curve.
TEST(TruthDrop, EqualsPeakOfGeneratedObliquity) {
  for (Activity a : {Activity::kWalk, Activity::kRun}) {
    SimParams p = ideal_params(a, 30.0);
    p.rate_hz = 1000.0;
    p.drop_left_deg = 6.0;
    p.drop_right_deg = 3.0;
    p.drop_sd_deg = 1.0;
    p.neutral_obliquity_deg = -2.0;
    const SimResult r = simulate(p);
    const Truth& t = r.truth;
    double worst = 0.0;
    for (const TruthStep& s : t.steps) {
      const double sign = s.side == Side::kLeft ? 1.0 : -1.0;
      double peak = -1e9;
      for (std::size_t i = test::index_at(r, s.time_s);
           i < t.sample_time_s.size() && t.sample_time_s[i] <= s.final_contact_s; ++i)
        peak = std::max(peak, sign * (t.obliquity_deg[i] - t.neutral_obliquity_deg));
      worst = std::max(worst, std::abs(peak - s.pelvic_drop_deg));
    }
    std::cout << "[ drop truth ] " << to_string(a) << " max |sampled peak - truth| = " << worst
              << " deg\n";
    EXPECT_LT(worst, 0.005);
  }
}

TEST(TruthRotation, EqualsRangeOfRotationWithoutHeading) {
  SimParams p = ideal_params(Activity::kWalk, 40.0);
  p.rate_hz = 1000.0;
  p.rotation_amplitude_deg = 11.0;
  p.turns = {{15.0, 3.0, 180.0}};
  const SimResult r = simulate(p);
  const Truth& t = r.truth;
  double worst = 0.0;
  for (std::size_t k = 0; k < t.strides.size(); ++k) {
    const TruthStride& s = t.strides[k];
    double lo = 1e9, hi = -1e9;
    for (std::size_t i = test::index_at(r, s.start_s);
         i < t.sample_time_s.size() && t.sample_time_s[i] <= s.end_s; ++i) {
      lo = std::min(lo, t.rotation_deg[i] - t.heading_deg[i]);
      hi = std::max(hi, t.rotation_deg[i] - t.heading_deg[i]);
    }
    worst = std::max(worst, std::abs((hi - lo) - s.trunk_rotation_deg));
    if (k >= 2 && k + 4 < t.strides.size()) {
      EXPECT_NEAR(s.trunk_rotation_deg, 11.0, 1e-6);
    }
  }
  std::cout << "[ rotation truth ] max |sampled range - truth| = " << worst << " deg\n";
  EXPECT_LT(worst, 0.005);
}

TEST(TruthTurns, MarkedStepsAndFinalHeading) {
  SimParams p = ideal_params(Activity::kWalk, 40.0);
  p.initial_heading_deg = 30.0;
  p.turns = {{10.0, 2.0, 90.0}, {25.0, 4.0, -180.0}};
  const Truth t = simulate(p).truth;
  std::size_t marked = 0;
  for (const TruthStep& s : t.steps) {
    const double a = s.time_s - t.gait_start_s, b = a + s.step_time_s;
    const bool expected = (a < 12.0 && b > 10.0) || (a < 29.0 && b > 25.0);
    EXPECT_EQ(s.in_turn, expected) << "step at " << s.time_s;
    marked += s.in_turn;
  }
  EXPECT_GT(marked, 8u);
  EXPECT_NEAR(t.heading_deg.front(), 30.0, 1e-9);
  EXPECT_NEAR(t.heading_deg.back(), 30.0 + 90.0 - 180.0, 1e-9);
  for (const TruthStride& s : t.strides) {
    const double a = s.start_s - t.gait_start_s, b = s.end_s - t.gait_start_s;
    EXPECT_EQ(s.in_turn, (a < 12.0 && b > 10.0) || (a < 29.0 && b > 25.0));
  }
}

TEST(TruthJson, RoundTrip) {
  SimParams p;
  p.activity = Activity::kRun;
  p.gait_duration_s = 12.0;
  p.turns = {{3.0, 1.5, -45.0}};
  p.mounting = mounting_preset("random", 11);
  p.first_side = Side::kRight;
  p.seed = 0xfedcba9876543210ULL;
  apply_noise_preset(p, "realistic");
  p.magnetometer = true;
  p.mag_offset_uT = Vec3(3.0, -1.0, 0.5);
  p.mag_disturbances = {{4.0, 2.0, Vec3(10.0, 0.0, -5.0)}};
  const Truth t = simulate(p).truth;
  const auto dir = std::filesystem::temp_directory_path();
  for (bool samples : {false, true}) {
    const auto path = dir / ("sim_truth_" + std::to_string(samples) + ".json");
    write_truth_json(path, t, samples);
    const Truth u = read_truth_json(path);
    EXPECT_EQ(u.activity, t.activity);
    EXPECT_EQ(u.rate_hz, t.rate_hz);
    EXPECT_EQ(u.gait_start_s, t.gait_start_s);
    EXPECT_EQ(u.gait_end_s, t.gait_end_s);
    EXPECT_EQ(u.mean_cadence_spm, t.mean_cadence_spm);
    EXPECT_EQ(u.neutral_obliquity_deg, t.neutral_obliquity_deg);
    EXPECT_LT(u.mounting.angularDistance(t.mounting), 1e-12);
    EXPECT_TRUE(u.params.magnetometer);
    EXPECT_EQ(u.params.earth_field_uT, t.params.earth_field_uT);
    EXPECT_EQ(u.params.mag_offset_uT, t.params.mag_offset_uT);
    ASSERT_EQ(u.params.mag_disturbances.size(), 1u);
    EXPECT_EQ(u.params.mag_disturbances[0].field_uT, Vec3(10.0, 0.0, -5.0));
    EXPECT_EQ(u.params.mag_disturbances[0].start_s, 4.0);
    ASSERT_EQ(u.steps.size(), t.steps.size());
    for (std::size_t k = 0; k < t.steps.size(); ++k) {
      EXPECT_EQ(u.steps[k].time_s, t.steps[k].time_s);
      EXPECT_EQ(u.steps[k].side, t.steps[k].side);
      EXPECT_EQ(u.steps[k].step_time_s, t.steps[k].step_time_s);
      EXPECT_EQ(u.steps[k].pelvic_drop_deg, t.steps[k].pelvic_drop_deg);
      EXPECT_EQ(u.steps[k].contact_time_s, t.steps[k].contact_time_s);
      EXPECT_EQ(u.steps[k].final_contact_s, t.steps[k].final_contact_s);
      EXPECT_EQ(u.steps[k].in_turn, t.steps[k].in_turn);
    }
    ASSERT_EQ(u.strides.size(), t.strides.size());
    for (std::size_t k = 0; k < t.strides.size(); ++k) {
      EXPECT_EQ(u.strides[k].start_s, t.strides[k].start_s);
      EXPECT_EQ(u.strides[k].end_s, t.strides[k].end_s);
      EXPECT_EQ(u.strides[k].side, t.strides[k].side);
      EXPECT_EQ(u.strides[k].trunk_rotation_deg, t.strides[k].trunk_rotation_deg);
      EXPECT_EQ(u.strides[k].in_turn, t.strides[k].in_turn);
    }
    EXPECT_EQ(u.params.seed, p.seed);
    EXPECT_EQ(u.params.first_side, Side::kRight);
    EXPECT_EQ(u.params.acc_bias_ms2, t.params.acc_bias_ms2);
    EXPECT_EQ(u.params.gyr_scale_error, t.params.gyr_scale_error);
    EXPECT_EQ(u.params.cadence_spm, 170.0);  // resolved default is recorded
    ASSERT_EQ(u.params.turns.size(), 1u);
    EXPECT_EQ(u.params.turns[0].angle_deg, -45.0);
    EXPECT_EQ(u.params.acc_bits, t.params.acc_bits);
    EXPECT_EQ(u.obliquity_deg.size(), samples ? t.obliquity_deg.size() : 0u);
    if (samples) {
      EXPECT_EQ(u.rotation_deg, t.rotation_deg);
    }
    // The same parameters make the same recording.
    if (!samples) {
      const Truth again = simulate(u.params).truth;
      EXPECT_EQ(again.steps.size(), t.steps.size());
      EXPECT_EQ(again.steps.back().pelvic_drop_deg, t.steps.back().pelvic_drop_deg);
    }
    std::filesystem::remove(path);
  }
}

TEST(TruthJson, BadFilesGiveErrorsNamingThePlace) {
  const auto dir = std::filesystem::temp_directory_path();
  const auto path = dir / "sim_truth_bad.json";
  auto expect_error = [&](const std::string& content, const std::string& needle) {
    std::ofstream(path) << content;
    try {
      read_truth_json(path);
      ADD_FAILURE() << "no error for: " << content.substr(0, 60);
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  expect_error("\x01\x02garbage", "not valid JSON");
  expect_error("{\"format\": \"other\"}", "not a stridelab simulator truth file");
  SimParams p = ideal_params(Activity::kWalk, 5.0);
  write_truth_json(path, simulate(p).truth);
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto broken = text;
  broken.replace(broken.find("\"pelvic_drop_deg\""), 17, "\"pelvic_dorp_deg\"");
  expect_error(broken, "steps[0]: missing key 'pelvic_drop_deg'");
  broken = text;
  broken.replace(broken.find("\"side\": \"L\""), 11, "\"side\": \"Q\"");
  expect_error(broken, "steps[0].side");
  expect_error(text.substr(0, text.size() / 2), "not valid JSON");
  EXPECT_THROW(read_truth_json(dir / "does_not_exist.json"), Error);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace stridelab::sim
