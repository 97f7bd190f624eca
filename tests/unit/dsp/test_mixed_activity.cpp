// Walking then running in one recording: every step is timed with the method of its own
// activity (flight phase or not), and the summary says "mixed".
#include <gtest/gtest.h>

#include "accuracy/accuracy_common.hpp"
#include "stridelab/sim/simulator.hpp"

using namespace stridelab;

TEST(MixedActivity, WalkThenRunInOneRecording) {
  sim::SimParams pw, pr;
  pw.rate_hz = pr.rate_hz = 200;
  pw.gait_duration_s = pr.gait_duration_s = 25;
  pw.seed = 71;
  pr.seed = 72;
  pr.activity = sim::Activity::kRun;
  pw.mounting = pr.mounting = sim::mounting_preset("tilted");
  sim::apply_noise_preset(pw, "realistic");
  sim::apply_noise_preset(pr, "realistic");
  pr.acc_bias_ms2 = pw.acc_bias_ms2;  // one sensor: the same biases throughout
  pr.gyr_bias_rads = pw.gyr_bias_rads;
  const auto walk = sim::simulate(pw);
  const auto run = sim::simulate(pr);

  // One sensor stream: the running recording follows the walking one on the same clock.
  SensorData s = walk.recording.primary();
  const SensorData& r = run.recording.primary();
  const double shift = s.time_s.back() + 1.0 / pw.rate_hz - r.time_s.front();
  for (std::size_t i = 0; i < r.size(); ++i) {
    s.time_s.push_back(r.time_s[i] + shift);
    s.acc.push_back(r.acc[i]);
    s.gyr.push_back(r.gyr[i]);
  }
  s.device_time_s.clear();

  std::vector<accuracy::RefContact> ref;
  for (const auto& st : walk.truth.steps) ref.push_back({st.time_s, st.side});
  for (const auto& st : run.truth.steps) ref.push_back({st.time_s + shift, st.side});
  const auto result = accuracy::analyze(s, accuracy::params_for(s));
  const auto f = accuracy::event_figures(ref, result.steps, 0.05);
  std::printf("mixed walk+run: %d/%d contacts, precision %.3f, |IC| %.1f ms, side %.3f\n",
              f.matched, f.reference, f.precision, 1e3 * f.mean_abs_error_s, f.side_accuracy);
  EXPECT_GE(f.recall, 0.96);  // the ramps at both recordings' ends are included here
  EXPECT_GE(f.precision, 0.96);
  EXPECT_LE(f.mean_abs_error_s, 0.015);
  EXPECT_GE(f.side_accuracy, 0.98);
  EXPECT_EQ(result.summary.activity, "mixed");
  int walk_ct = 0, run_ct = 0;
  for (const Step& st : result.steps) {
    if (st.time_s < shift && std::isfinite(st.contact_time_s)) {
      ++walk_ct;
      // Walking: the foot leaves after the other foot's contact (double support).
      if (std::isfinite(st.step_time_s)) {
        EXPECT_GT(st.contact_time_s, st.step_time_s) << st.time_s;
      }
    }
    if (st.time_s > shift + 6.0 && std::isfinite(st.contact_time_s)) {
      ++run_ct;
      if (std::isfinite(st.step_time_s)) {  // running: flight phase
        EXPECT_LT(st.contact_time_s, st.step_time_s) << st.time_s;
      }
    }
  }
  EXPECT_GT(walk_ct, 30);
  EXPECT_GT(run_ct, 50);
}
