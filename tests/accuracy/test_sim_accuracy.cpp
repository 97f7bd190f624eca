// Accuracy against simulator truth over a matrix of activities, rates, mountings, turns,
// noise, asymmetry, cadence, contact time and amplitudes. Seeds and parameters differ from
// the ones used while developing (seeds 1–7, default amplitudes). Each case prints its
// figures and asserts the targets of docs/ACCURACY.md on steady gait (the two steps at each
// end of the simulated gait, which ramp from/to standing, are printed in "all" only).
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "accuracy/sim_eval.hpp"

using namespace stridelab;

namespace {

struct Case {
  std::string name;
  std::function<void(sim::SimParams&)> setup;
};

sim::SimParams base(sim::Activity a, double rate, const std::string& mounting, std::uint64_t seed) {
  sim::SimParams p;
  p.activity = a;
  p.rate_hz = rate;
  p.seed = seed;
  p.gait_duration_s = a == sim::Activity::kRun ? 40 : 50;
  p.standing_before_s = 4;
  p.standing_after_s = 2;
  p.mounting = sim::mounting_preset(mounting, seed);
  sim::apply_noise_preset(p, "realistic");
  return p;
}

std::vector<Case> cases() {
  std::vector<Case> out;
  const char* mountings[] = {"identity", "upside_down", "rot90", "rot180", "tilted", "random"};
  const double rates[] = {100, 200, 500};
  std::uint64_t seed = 101;
  for (auto act : {sim::Activity::kWalk, sim::Activity::kRun}) {
    const std::string an = act == sim::Activity::kWalk ? "walk" : "run";
    for (double rate : rates)
      for (const char* m : mountings) {
        const std::uint64_t s = seed++;
        out.push_back({an + "_" + std::to_string(int(rate)) + "Hz_" + m,
                       [=](sim::SimParams& p) { p = base(act, rate, m, s); }});
      }
    // Varied people and conditions (random mountings, seeds not seen in development).
    out.push_back({an + "_turns", [=](sim::SimParams& p) {
                     p = base(act, 200, "random", seed + 50);
                     p.turns = {{12.0, 2.0, 180.0}, {28.0, 1.5, -90.0}};
                   }});
    out.push_back({an + "_asym_4deg", [=](sim::SimParams& p) {
                     p = base(act, 200, "random", seed + 51);
                     p.drop_left_deg = 7.0;
                     p.drop_right_deg = 3.0;
                   }});
    out.push_back({an + "_asym_small_drop", [=](sim::SimParams& p) {
                     p = base(act, 100, "tilted", seed + 52);
                     p.drop_left_deg = 2.0;
                     p.drop_right_deg = 4.0;
                     p.first_side = Side::kRight;
                   }});
    out.push_back({an + "_slow", [=](sim::SimParams& p) {
                     p = base(act, 200, "random", seed + 53);
                     p.cadence_spm = act == sim::Activity::kWalk ? 90 : 150;
                     if (act == sim::Activity::kRun) p.contact_time_s = 0.30;
                   }});
    out.push_back({an + "_fast", [=](sim::SimParams& p) {
                     p = base(act, 200, "random", seed + 54);
                     p.cadence_spm = act == sim::Activity::kWalk ? 125 : 190;
                     if (act == sim::Activity::kRun) p.contact_time_s = 0.20;
                   }});
    out.push_back({an + "_big_amplitudes_high_noise", [=](sim::SimParams& p) {
                     p = base(act, 200, "random", seed + 55);
                     sim::apply_noise_preset(p, "high");
                     p.rotation_amplitude_deg = 14;
                     p.tilt_amplitude_deg = 6;
                     p.drop_left_deg = 8;
                     p.drop_right_deg = 6;
                     p.neutral_obliquity_deg = 3;
                   }});
    out.push_back({an + "_small_amplitudes", [=](sim::SimParams& p) {
                     p = base(act, 200, "random", seed + 56);
                     p.rotation_amplitude_deg = 4;
                     p.tilt_amplitude_deg = 1.5;
                     p.drop_left_deg = 2.5;
                     p.drop_right_deg = 2.5;
                   }});
    out.push_back({an + "_no_standing", [=](sim::SimParams& p) {
                     p = base(act, 200, "random", seed + 57);
                     p.standing_before_s = 0;
                     p.standing_after_s = 0;
                   }});
    seed += 100;
  }
  return out;
}

class SimAccuracy : public ::testing::TestWithParam<Case> {};

}  // namespace

TEST_P(SimAccuracy, MeetsTargets) {
  sim::SimParams p;
  GetParam().setup(p);
  const auto sim = sim::simulate(p);
  const auto f = accuracy::evaluate_sim(sim);
  accuracy::print_figures(GetParam().name, f);
  RecordProperty("recall", std::to_string(f.events.recall));
  RecordProperty("drop_rmse_deg", std::to_string(f.drop_rmse_deg));
  EXPECT_GE(f.events.recall, 0.99);
  EXPECT_GE(f.events.precision, 0.99);
  EXPECT_LE(f.events.mean_abs_error_s, 0.015);
  EXPECT_GE(f.events.side_accuracy, 0.98);
  // Without standing, drop is relative to the mean gait obliquity, not to the neutral the
  // simulator measures from: the mean drop shifts by the (unknowable) standing offset.
  const bool standing = f.calibration != "gait_mean";
  EXPECT_GT(f.drop_n, f.events.reference / 2);
  // The "high" error preset (beyond the realistic target condition) has gyro scale errors
  // of a few percent, which scale the measured oscillations: 1.5° is asserted there.
  const bool high_noise = GetParam().name.find("high_noise") != std::string::npos;
  if (standing) {
    EXPECT_LE(f.drop_rmse_deg, high_noise ? 1.5 : 1.0);
  }
  EXPECT_GT(f.rotation_n, f.events.reference / 3);
  EXPECT_LE(f.rotation_rmse_deg, 1.5);
  EXPECT_LE(f.cadence_error_spm, 0.5);
}

INSTANTIATE_TEST_SUITE_P(Matrix, SimAccuracy, ::testing::ValuesIn(cases()),
                         [](const auto& param_info) { return param_info.param.name; });

// Diagnostic (STRIDELAB_ACC_DIAG=1): pelvis yaw change over [IC, IC + 0.25 s] per stance side
// in a simulated walk (identity mounting: sensor z = up), to compare with the same figure on
// the Mobilise-D data (test_accuracy_real prints it; docs/ACCURACY.md).
TEST(SimDiagnostics, YawAfterContactPerSide) {
  if (!std::getenv("STRIDELAB_ACC_DIAG")) GTEST_SKIP() << "set STRIDELAB_ACC_DIAG=1";
  sim::SimParams p = base(sim::Activity::kWalk, 100, "identity", 7);
  const auto sim = sim::simulate(p);
  const SensorData& s = sim.recording.primary();
  double sum[2] = {0, 0};
  int n[2] = {0, 0};
  for (const auto& st : sim.truth.steps) {
    double yaw = 0;
    for (std::size_t j = 0; j + 1 < s.size(); ++j) {
      const ImuSample a = s.sample(j);
      if (a.time_s >= st.time_s && a.time_s < st.time_s + 0.25)
        yaw += a.gyr.z() * (s.sample(j + 1).time_s - a.time_s);
    }
    const int k = st.side == Side::kLeft ? 0 : 1;
    sum[k] += yaw * 180.0 / M_PI;
    ++n[k];
  }
  std::printf(
      "simulator walk: yaw change over [IC, IC+0.25 s]: left stance %+.2f deg (n %d), "
      "right stance %+.2f deg (n %d)\n",
      sum[0] / n[0], n[0], sum[1] / n[1], n[1]);
}
