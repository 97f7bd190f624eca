// Per-minute trends and per-10-minute slopes (the runner's fatigue question), against the
// simulator's truth, and the window rules (stops, doubtful steps) on hand-made steps.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "stridelab/dsp/summary_json.hpp"
#include "stridelab/dsp/trends.hpp"
#include "stridelab/pipeline/analyze_recording.hpp"
#include "stridelab/sim/simulator.hpp"

using namespace stridelab;

namespace {

// Least-squares slope of the truth's per-step drop of one side, per 10 min.
double truth_slope(const sim::Truth& t, Side side) {
  double n = 0, st = 0, sy = 0, stt = 0, sty = 0;
  for (const sim::TruthStep& s : t.steps) {
    if (s.side != side || s.in_turn) continue;
    ++n, st += s.time_s, sy += s.pelvic_drop_deg, stt += s.time_s * s.time_s,
        sty += s.time_s * s.pelvic_drop_deg;
  }
  return 600.0 * (sty - st * sy / n) / (stt - st * st / n);
}

}  // namespace

TEST(Trends, FatigueSlopeAndMinuteMeansMatchTheSimulator) {
  for (const double trend : {0.0, 1.2}) {
    sim::SimParams p;
    p.activity = sim::Activity::kRun;
    p.gait_duration_s = 1200.0;
    p.drop_left_deg = 6.0;
    p.drop_right_deg = 4.5;
    p.drop_trend_deg_per_10min = trend;
    p.turns = {{300.0, 3.0, 180.0}, {800.0, 4.0, -120.0}};
    p.mounting = sim::mounting_preset("random", 5);
    sim::apply_noise_preset(p, "realistic");
    p.seed = 41;
    const sim::SimResult r = sim::simulate(p);
    const auto run = pipeline::analyze_recording(r.recording, {});
    const dsp::Trends& t = run.trends;
    const double want_l = truth_slope(r.truth, Side::kLeft);
    const double want_r = truth_slope(r.truth, Side::kRight);
    std::printf(
        "trend %.1f deg/10 min: left %+.3f ± %.3f (truth %+.3f), right %+.3f ± %.3f "
        "(truth %+.3f), %zu windows\n",
        trend, t.pelvic_drop_left_deg.per_10min, t.pelvic_drop_left_deg.se_per_10min, want_l,
        t.pelvic_drop_right_deg.per_10min, t.pelvic_drop_right_deg.se_per_10min, want_r,
        t.windows.size());
    EXPECT_NEAR(t.pelvic_drop_left_deg.per_10min, want_l, 0.15);
    EXPECT_NEAR(t.pelvic_drop_right_deg.per_10min, want_r, 0.15);
    EXPECT_LT(t.pelvic_drop_left_deg.se_per_10min, 0.1);
    // One window per started minute of the recording, each summarised like the session.
    const double duration = r.recording.primary().duration_s();
    EXPECT_EQ(t.windows.size(), static_cast<std::size_t>(std::ceil(duration / 60.0)));
    int checked = 0;
    for (const dsp::TrendWindow& w : t.windows) {
      EXPECT_DOUBLE_EQ(w.end_s - w.start_s, 60.0);
      if (w.pelvic_drop_left_deg.n < 20) continue;
      double sum = 0;
      int n = 0;
      for (const sim::TruthStep& s : r.truth.steps)
        if (s.side == Side::kLeft && s.time_s >= w.start_s && s.time_s < w.end_s && !s.in_turn)
          sum += s.pelvic_drop_deg, ++n;
      ASSERT_GT(n, 0);
      EXPECT_NEAR(w.pelvic_drop_left_deg.mean, sum / n, 0.5) << "window at " << w.start_s;
      EXPECT_NEAR(w.cadence_spm, 170.0, 3.0);
      ++checked;
    }
    EXPECT_GE(checked, 18);
    // The JSON carries the same.
    const auto& j = run.summary_json["trends"];
    EXPECT_EQ(j["windows"].size(), t.windows.size());
    EXPECT_DOUBLE_EQ(j["pelvic_drop_left_deg"]["per_10min"].get<double>(),
                     t.pelvic_drop_left_deg.per_10min);
  }
}

TEST(Trends, StopsGiveEmptyRowsAndDoubtfulStepsDoNotCount) {
  dsp::TrendParams tp;
  tp.min_good_steps = 5;
  dsp::TrendAccumulator acc(tp);
  auto step = [](double t, Side side, double drop, std::uint32_t flags = 0) {
    Step s;
    s.time_s = t;
    s.side = side;
    s.step_time_s = 0.5;
    s.cadence_spm = 120.0;
    s.pelvic_drop_deg = drop;
    s.flags = flags;
    return s;
  };
  const double origin = 100.0;
  // Minute 0: 20 good steps, drop 4 (L) / 3 (R), plus turn steps with absurd drops.
  for (int i = 0; i < 20; ++i)
    acc.add(step(origin + 1.0 + i * 0.5, i % 2 ? Side::kRight : Side::kLeft, i % 2 ? 3.0 : 4.0),
            false, origin);
  for (int i = 0; i < 6; ++i)
    acc.add(step(origin + 40.0 + i, Side::kLeft, 50.0, kFlagTurn), false, origin);
  // Minutes 1 and 2: a stop. Minute 3: only 3 good steps (fewer than min_good_steps).
  for (int i = 0; i < 3; ++i)
    acc.add(step(origin + 190.0 + i * 0.5, Side::kLeft, 9.0), false, origin);
  const dsp::Trends t = acc.trends();
  ASSERT_EQ(t.windows.size(), 4u);
  EXPECT_DOUBLE_EQ(t.windows[0].start_s, origin);
  EXPECT_EQ(t.windows[0].steps, 26);
  EXPECT_EQ(t.windows[0].good_steps, 20);
  EXPECT_DOUBLE_EQ(t.windows[0].pelvic_drop_left_deg.mean, 4.0);  // the turn steps left out
  EXPECT_DOUBLE_EQ(t.windows[0].pelvic_drop_right_deg.mean, 3.0);
  EXPECT_NEAR(t.windows[0].turn_fraction, 6.0 / 26.0, 1e-12);
  for (int k : {1, 2}) {
    EXPECT_EQ(t.windows[k].steps, 0);
    EXPECT_TRUE(std::isnan(t.windows[k].cadence_spm));
    EXPECT_EQ(t.windows[k].pelvic_drop_left_deg.n, 0);
  }
  EXPECT_DOUBLE_EQ(t.windows[3].start_s, origin + 180.0);
  EXPECT_EQ(t.windows[3].good_steps, 3);
  EXPECT_TRUE(std::isnan(t.windows[3].pelvic_drop_left_deg.mean));  // not measurable
  // The slope uses every good step: 4° early, 9° three minutes later -> rising.
  EXPECT_GT(t.pelvic_drop_left_deg.per_10min, 5.0);
  EXPECT_EQ(t.pelvic_drop_left_deg.n, 13);
  // The JSON form: null where not measurable.
  const auto j = dsp::to_json(t, tp);
  EXPECT_TRUE(j["windows"][1]["cadence_spm"].is_null());
  EXPECT_EQ(j["window_s"], 60.0);
}
