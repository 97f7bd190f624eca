// Provisional rows (AnalyzerParams::provisional): they leave the analyzer soon after the
// stance, agree with the final rows within the bounds PERFORMANCE.md documents, and switching
// them on leaves the final rows bit-identical.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "accuracy/accuracy_common.hpp"
#include "stridelab/sim/simulator.hpp"

using namespace stridelab;

namespace {

sim::SimResult gait(sim::Activity activity, std::uint64_t seed) {
  sim::SimParams p;
  p.activity = activity;
  p.rate_hz = 200;
  p.gait_duration_s = 60;
  p.seed = seed;
  p.mounting = sim::mounting_preset("random", seed);
  p.turns.push_back({30.0, 2.0, 180.0});
  sim::apply_noise_preset(p, "realistic");
  return sim::simulate(p);
}

struct Live {
  std::vector<Step> steps;
  std::vector<dsp::ProvisionalStep> prov;
  std::vector<double> prov_at;  // data time when each provisional row came out, s
};

Live run_live(const SensorData& s, bool provisional) {
  dsp::AnalyzerParams p = accuracy::params_for(s);
  p.provisional = provisional;
  dsp::Analyzer a(p);
  Live out;
  for (std::size_t i = 0; i < s.size(); i += 2) {  // 10 ms chunks
    const std::size_t n = std::min<std::size_t>(2, s.size() - i);
    std::vector<ImuSample> chunk;
    for (std::size_t j = i; j < i + n; ++j) chunk.push_back(s.sample(j));
    a.update(chunk.data(), n);
    a.take_steps(out.steps);
    a.take_provisional(out.prov);
    out.prov_at.resize(out.prov.size(), chunk.back().time_s);
  }
  a.finish();
  a.take_steps(out.steps);
  return out;
}

bool same(double x, double y) {
  return (std::isnan(x) && std::isnan(y)) || x == y;
}

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(q * (v.size() - 1))];
}

struct Agreement {
  std::size_t matched = 0, side_known = 0, side_same = 0;
  std::vector<double> step_diff, drop_diff, contact_diff, latency;
};

// Each provisional row against the final row of the same contact (within 0.1 s), from the
// 10th row on (before, the mounting is still being found), leaving out turning steps.
Agreement compare(const Live& live, const sim::Truth& truth) {
  Agreement a;
  for (std::size_t k = 10; k < live.prov.size(); ++k) {
    const Step& p = live.prov[k].step;
    const Step* f = nullptr;
    for (const Step& s : live.steps)
      if (std::abs(s.time_s - p.time_s) < 0.1) f = &s;
    if (!f || ((p.flags | f->flags) & (kFlagTurn | kFlagBoutEdge))) continue;
    ++a.matched;
    if (p.side != Side::kUnknown && f->side != Side::kUnknown) {
      ++a.side_known;
      a.side_same += p.side == f->side;
    }
    a.step_diff.push_back(std::abs(p.step_time_s - f->step_time_s));
    if (p.side == f->side && std::isfinite(p.pelvic_drop_deg) && std::isfinite(f->pelvic_drop_deg))
      a.drop_diff.push_back(std::abs(p.pelvic_drop_deg - f->pelvic_drop_deg));
    if (std::isfinite(p.contact_time_s) && std::isfinite(f->contact_time_s))
      a.contact_diff.push_back(std::abs(p.contact_time_s - f->contact_time_s));
    for (const auto& ts : truth.steps)
      if (std::abs(ts.time_s - p.time_s) < 0.1)
        a.latency.push_back(live.prov_at[k] - ts.final_contact_s);
  }
  std::printf(
      "matched %zu, side agrees %zu/%zu, |Δstep| p50 %.4f p95 %.4f max %.4f s, |Δdrop| p50 %.3f "
      "p95 %.3f max %.3f deg, |Δcontact| p95 %.4f s, latency after stance p50 %.3f p95 %.3f s\n",
      a.matched, a.side_same, a.side_known, quantile(a.step_diff, 0.5), quantile(a.step_diff, 0.95),
      quantile(a.step_diff, 1.0), quantile(a.drop_diff, 0.5), quantile(a.drop_diff, 0.95),
      quantile(a.drop_diff, 1.0), quantile(a.contact_diff, 0.95), quantile(a.latency, 0.5),
      quantile(a.latency, 0.95));
  return a;
}

void expect_final_rows_unchanged(const SensorData& s) {
  const Live off = run_live(s, false), on = run_live(s, true);
  ASSERT_EQ(on.steps.size(), off.steps.size());
  EXPECT_TRUE(off.prov.empty());
  for (std::size_t i = 0; i < on.steps.size(); ++i) {
    const Step &a = on.steps[i], &b = off.steps[i];
    EXPECT_TRUE(a.time_s == b.time_s && a.side == b.side && a.flags == b.flags &&
                a.side_confidence == b.side_confidence && same(a.step_time_s, b.step_time_s) &&
                same(a.pelvic_drop_deg, b.pelvic_drop_deg) &&
                same(a.trunk_rotation_deg, b.trunk_rotation_deg) &&
                same(a.contact_time_s, b.contact_time_s))
        << "step " << i;
  }
}

// The bounds PERFORMANCE.md documents, on 60 s of simulated gait.
void expect_early_and_close(sim::Activity activity, std::uint64_t seed, std::size_t min_steps,
                            Agreement& a) {
  const auto sim = gait(activity, seed);
  const Live live = run_live(sim.recording.primary(), true);
  ASSERT_GT(live.steps.size(), min_steps);
  // About one provisional row per final row (a bout's last step has none).
  EXPECT_NEAR(double(live.prov.size()), double(live.steps.size()), 0.05 * live.steps.size());
  a = compare(live, sim.truth);
  ASSERT_GT(a.matched, min_steps * 3 / 4);
  EXPECT_GE(a.side_same, a.side_known * 98 / 100);
  EXPECT_LE(quantile(a.step_diff, 0.95), 0.03);
  EXPECT_LE(quantile(a.drop_diff, 0.95), 0.5);
  // Data time from the stance's end (the true final contact) to the row, s.
  EXPECT_LE(quantile(a.latency, 0.5), 0.15);
  EXPECT_LE(quantile(a.latency, 0.95), 0.15);
}

}  // namespace

TEST(Provisional, FinalRowsAreTheSameWithProvisionalRowsOn) {
  expect_final_rows_unchanged(gait(sim::Activity::kWalk, 21).recording.primary());
  expect_final_rows_unchanged(gait(sim::Activity::kRun, 22).recording.primary());
}

TEST(Provisional, WalkingRowsAreEarlyAndAgreeWithTheFinalOnes) {
  Agreement a;
  expect_early_and_close(sim::Activity::kWalk, 23, 80, a);
}

TEST(Provisional, RunningRowsAreEarlyAndAgreeWithTheFinalOnes) {
  Agreement a;
  expect_early_and_close(sim::Activity::kRun, 24, 120, a);
  ASSERT_FALSE(a.contact_diff.empty());
  EXPECT_LE(quantile(a.contact_diff, 0.95), 0.03);
}
