// Bad input never crashes and never produces made-up numbers.
#include <gtest/gtest.h>

#include <limits>

#include "accuracy/accuracy_common.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/sim/simulator.hpp"

using namespace stridelab;

TEST(BadInput, ZeroRateIsAnError) {
  dsp::AnalyzerParams p;
  EXPECT_THROW(dsp::Analyzer{p}, Error);
}

TEST(BadInput, StandingOnlyGivesNoStepsAndSaysSo) {
  dsp::AnalyzerParams p;
  p.rate_hz = 100;
  dsp::Analyzer a(p);
  for (int i = 0; i < 3000; ++i) {
    ImuSample s;
    s.time_s = i * 0.01;
    s.acc = Vec3(0.1, 0.2, kGravity);
    a.update(s);
  }
  a.finish();
  std::vector<Step> steps;
  a.take_steps(steps);
  EXPECT_TRUE(steps.empty());
  const auto sum = a.summary();
  EXPECT_EQ(sum.activity, "none");
  EXPECT_TRUE(std::isnan(sum.mean_cadence_spm));
  ASSERT_FALSE(sum.warnings.empty());
}

TEST(BadInput, NanAndBackwardTimeAreRejectedAndCountedAsGaps) {
  sim::SimParams sp;
  sp.rate_hz = 100;
  sp.gait_duration_s = 20;
  auto sim = sim::simulate(sp);
  SensorData& s = sim.recording.sensors.front();
  s.acc[2000].x() = std::numeric_limits<double>::quiet_NaN();
  s.time_s[1500] = s.time_s[1499];  // not increasing
  dsp::AnalyzerParams p = accuracy::params_for(s);
  const auto run = accuracy::analyze(s, p);
  EXPECT_EQ(run.summary.quality.rejected_samples, 2u);
  EXPECT_EQ(run.summary.quality.gaps, 2u);
  for (const Step& st : run.steps) {
    EXPECT_TRUE(std::isfinite(st.time_s));
    if (st.flags & kFlagGap) {
      EXPECT_TRUE(std::isnan(st.pelvic_drop_deg));
    }
  }
  int gap_steps = 0;
  for (const Step& st : run.steps) gap_steps += (st.flags & kFlagGap) ? 1 : 0;
  EXPECT_GE(gap_steps, 2);  // one before each gap
}

TEST(BadInput, ClippedSamplesFlagTheirSteps) {
  sim::SimParams sp;
  sp.rate_hz = 200;
  sp.activity = sim::Activity::kRun;
  sp.gait_duration_s = 20;
  sp.acc_range_ms2 = 2.0 * kGravity;  // running peaks exceed ±2 g
  auto sim = sim::simulate(sp);
  const SensorData& s = sim.recording.primary();
  const auto run = accuracy::analyze(s, accuracy::params_for(s));
  ASSERT_FALSE(run.steps.empty());
  EXPECT_GT(run.summary.quality.clipped_samples, 0u);
  int clipped = 0;
  for (const Step& st : run.steps) clipped += (st.flags & kFlagClipping) ? 1 : 0;
  EXPECT_GT(clipped, static_cast<int>(run.steps.size()) / 2);
}

TEST(BadInput, NoStandingFallsBackToGaitMeanAndFlags) {
  sim::SimParams sp;
  sp.rate_hz = 100;
  sp.standing_before_s = 0.0;
  sp.standing_after_s = 0.0;
  sp.gait_duration_s = 30;
  auto sim = sim::simulate(sp);
  const SensorData& s = sim.recording.primary();
  const auto run = accuracy::analyze(s, accuracy::params_for(s));
  ASSERT_GT(run.steps.size(), 20u);
  EXPECT_EQ(run.summary.calibration.up_method, "gait_mean");
  for (const Step& st : run.steps) EXPECT_TRUE(st.flags & kFlagNoStanding);
}
