// One streaming implementation: feeding a recording in chunks of any size gives identical
// steps, and steps become final while data is still coming (not only at finish()).
#include <gtest/gtest.h>

#include <cstring>

#include "accuracy/accuracy_common.hpp"
#include "stridelab/sim/simulator.hpp"

using namespace stridelab;

namespace {

sim::SimResult walk_recording() {
  sim::SimParams p;
  p.rate_hz = 200;
  p.gait_duration_s = 25;
  p.seed = 11;
  p.mounting = sim::mounting_preset("tilted");
  p.turns.push_back({10.0, 2.0, 120.0});
  sim::apply_noise_preset(p, "realistic");
  return sim::simulate(p);
}

bool same(const Step& a, const Step& b) {
  auto eq = [](double x, double y) { return (std::isnan(x) && std::isnan(y)) || x == y; };
  return a.time_s == b.time_s && a.side == b.side && a.side_confidence == b.side_confidence &&
         eq(a.step_time_s, b.step_time_s) && eq(a.cadence_spm, b.cadence_spm) &&
         eq(a.pelvic_drop_deg, b.pelvic_drop_deg) &&
         eq(a.trunk_rotation_deg, b.trunk_rotation_deg) && eq(a.contact_time_s, b.contact_time_s) &&
         a.flags == b.flags;
}

}  // namespace

TEST(Streaming, ChunkSizeDoesNotChangeTheSteps) {
  const auto sim = walk_recording();
  const SensorData& s = sim.recording.primary();
  const auto whole = accuracy::analyze(s, accuracy::params_for(s), 0);
  ASSERT_GT(whole.steps.size(), 30u);
  for (std::size_t chunk : {1, 7, 1000}) {
    const auto part = accuracy::analyze(s, accuracy::params_for(s), chunk);
    ASSERT_EQ(part.steps.size(), whole.steps.size()) << "chunk " << chunk;
    for (std::size_t i = 0; i < whole.steps.size(); ++i)
      EXPECT_TRUE(same(part.steps[i], whole.steps[i])) << "chunk " << chunk << " step " << i;
    EXPECT_EQ(part.summary.mean_cadence_spm, whole.summary.mean_cadence_spm);
  }
}

TEST(Streaming, StepsBecomeFinalWhileWalking) {
  const auto sim = walk_recording();
  const SensorData& s = sim.recording.primary();
  dsp::Analyzer a(accuracy::params_for(s));
  std::vector<Step> steps;
  double latest_lag = 1e9;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const ImuSample x = s.sample(i);
    a.update(x);
    const std::size_t before = steps.size();
    a.take_steps(steps);
    if (steps.size() > before) latest_lag = x.time_s - steps.back().time_s;
  }
  ASSERT_GT(steps.size(), 30u);
  // A step is final once its stride (two more steps) is complete plus the detector latency.
  EXPECT_LT(latest_lag, 2.5);
  a.finish();
  a.take_steps(steps);
  EXPECT_EQ(steps.size(), accuracy::analyze(s, accuracy::params_for(s)).steps.size());
}

TEST(Streaming, StateDoesNotGrowWithTheRecording) {
  // Ten minutes of running: the frame ring stays at its bound from the params and only the
  // last few steps are pending, whatever the length of the recording.
  sim::SimParams p;
  p.activity = sim::Activity::kRun;
  p.rate_hz = 100;
  p.gait_duration_s = 600;
  p.seed = 12;
  const auto sim = sim::simulate(p);
  const SensorData& s = sim.recording.primary();
  dsp::AnalyzerParams ap = accuracy::params_for(s);
  dsp::Analyzer a(ap);
  const std::size_t bound =
      static_cast<std::size_t>((ap.buffer_s + 4.0 * ap.events.max_step_time_s) *
                               ap.internal_rate_hz) +
      16;
  EXPECT_LE(a.frame_capacity(), bound);
  std::vector<Step> steps;
  std::size_t max_pending = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const ImuSample x = s.sample(i);
    a.update(x);
    a.take_steps(steps);
    max_pending = std::max(max_pending, a.pending_steps());
    ASSERT_LE(a.buffered_frames(), a.frame_capacity());
  }
  EXPECT_GT(steps.size(), 1500u);  // 600 s at ~170 steps/min
  // Before the mounting is fixed the calibration steps wait; afterwards about two strides.
  EXPECT_LE(max_pending, static_cast<std::size_t>(ap.alignment.calibration_steps) + 4);
}
