// Throughput of the analysis pipeline (budget: >= 10 million samples/s on one core for the
// whole pipeline; DESIGN.md "Budgets"). The data are simulated in the set-up, outside the
// timed loop; items/s in the output is samples/s.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "stridelab/dsp/analyzer.hpp"
#include "stridelab/dsp/orientation.hpp"
#include "stridelab/sim/simulator.hpp"

namespace {

using namespace stridelab;

struct SimData {
  std::vector<ImuSample> samples;
  std::vector<sim::TruthStep> truth;
};

// 120 s of gait (or `gait_s`) with one 180° turn, realistic sensor errors, random mounting.
const SimData& sim_data(sim::Activity activity, double rate_hz, double gait_s = 120.0) {
  static std::map<std::tuple<int, double, double>, SimData> cache;
  auto& out = cache[{activity == sim::Activity::kRun, rate_hz, gait_s}];
  if (out.samples.empty()) {
    sim::SimParams p;
    p.activity = activity;
    p.rate_hz = rate_hz;
    p.gait_duration_s = gait_s;
    p.mounting = sim::mounting_preset("random", 3);
    p.turns = {{40.0, 2.0, 180.0}};
    sim::apply_noise_preset(p, "realistic");
    const auto r = sim::simulate(p);
    const SensorData& s = r.recording.primary();
    for (std::size_t i = 0; i < s.size(); ++i) out.samples.push_back(s.sample(i));
    out.truth = r.truth.steps;
  }
  return out;
}

const std::vector<ImuSample>& samples(sim::Activity activity, double rate_hz,
                                      double gait_s = 120.0) {
  return sim_data(activity, rate_hz, gait_s).samples;
}

void BM_Analyzer(benchmark::State& state, sim::Activity activity, double rate_hz,
                 double gait_s = 120.0) {
  const auto& data = samples(activity, rate_hz, gait_s);
  dsp::AnalyzerParams p;
  p.rate_hz = rate_hz;
  std::vector<Step> steps;
  for (auto _ : state) {
    dsp::Analyzer a(p);
    a.update(data.data(), data.size());
    a.finish();
    steps.clear();
    a.take_steps(steps);
    benchmark::DoNotOptimize(steps.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(data.size()));
  state.counters["steps"] = static_cast<double>(steps.size());
}

void BM_OrientationFilter(benchmark::State& state) {
  const auto& data = samples(sim::Activity::kWalk, 200);
  for (auto _ : state) {
    dsp::OrientationFilter f(dsp::OrientationParams{}, 1.0 / 200);
    for (const auto& s : data) f.update(s.acc, s.gyr);
    benchmark::DoNotOptimize(f.up_in_sensor());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(data.size()));
}

// Live latency: the recording is fed in 10 ms chunks, as a sensor delivers it, with
// provisional rows on. In data time, per step: when its provisional row comes out of
// take_provisional() after its stance ends (the simulator's final contact of the stance foot)
// and after its step ends (the next initial contact), and when its final row comes out of
// take_steps() after the step's and the stride's end. The first 10 steps are left out (they
// wait once for the mounting to be found).
void BM_StepLatency(benchmark::State& state, sim::Activity activity) {
  const SimData& sd = sim_data(activity, 200.0);
  const auto& data = sd.samples;
  dsp::AnalyzerParams p;
  p.rate_hz = 200.0;
  p.provisional = true;
  const std::size_t chunk = 2;  // 10 ms at 200 Hz
  std::vector<Step> steps;
  std::vector<dsp::ProvisionalStep> prov;
  std::vector<double> emitted_at, prov_at;
  for (auto _ : state) {
    steps.clear();
    prov.clear();
    emitted_at.clear();
    prov_at.clear();
    dsp::Analyzer a(p);
    for (std::size_t i = 0; i < data.size(); i += chunk) {
      const std::size_t n = std::min(chunk, data.size() - i);
      a.update(data.data() + i, n);
      a.take_steps(steps);
      a.take_provisional(prov);
      emitted_at.resize(steps.size(), data[i + n - 1].time_s);
      prov_at.resize(prov.size(), data[i + n - 1].time_s);
    }
    benchmark::DoNotOptimize(steps.data());
  }
  // The true step nearest to t (within 0.1 s), or null.
  auto truth_at = [&sd](double t) -> const sim::TruthStep* {
    const sim::TruthStep* best = nullptr;
    for (const auto& ts : sd.truth)
      if (std::abs(ts.time_s - t) < 0.1 &&
          (!best || std::abs(ts.time_s - t) < std::abs(best->time_s - t)))
        best = &ts;
    return best;
  };
  std::vector<double> after_step, after_stride, after_stance, prov_stance, prov_step;
  for (std::size_t k = 10; k + 2 < steps.size(); ++k) {
    after_step.push_back(emitted_at[k] - steps[k + 1].time_s);
    after_stride.push_back(emitted_at[k] - steps[k + 2].time_s);
    if (const auto* ts = truth_at(steps[k].time_s))
      after_stance.push_back(emitted_at[k] - ts->final_contact_s);
  }
  for (std::size_t k = 10; k < prov.size(); ++k) {
    const double t = prov[k].step.time_s;
    if (const auto* ts = truth_at(t)) prov_stance.push_back(prov_at[k] - ts->final_contact_s);
    if (const auto* ts = truth_at(t + prov[k].step.step_time_s))
      prov_step.push_back(prov_at[k] - ts->time_s);
  }
  auto stats = [&state](std::vector<double> v, const std::string& what) {
    if (v.empty()) return;
    std::sort(v.begin(), v.end());
    state.counters[what + "_median_s"] = v[v.size() / 2];
    state.counters[what + "_p95_s"] = v[v.size() * 95 / 100];
  };
  stats(prov_stance, "prov_after_stance");
  stats(prov_step, "prov_after_step");
  stats(after_stance, "final_after_stance");
  stats(after_step, "final_after_step");
  stats(after_stride, "final_after_stride");
  state.counters["first_step_s"] = emitted_at.empty() ? 0.0 : emitted_at[0] - steps[0].time_s;
  state.counters["prov_rows"] = static_cast<double>(prov.size());
  state.counters["final_rows"] = static_cast<double>(steps.size());
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(data.size()));
}

BENCHMARK_CAPTURE(BM_StepLatency, walk, sim::Activity::kWalk)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_StepLatency, run, sim::Activity::kRun)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Analyzer, walk_200Hz, sim::Activity::kWalk, 200.0)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Analyzer, run_200Hz, sim::Activity::kRun, 200.0)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Analyzer, walk_100Hz, sim::Activity::kWalk, 100.0)
    ->Unit(benchmark::kMillisecond);
// The same over 20 minutes: the per-recording set-up (ring allocation) no longer counts.
BENCHMARK_CAPTURE(BM_Analyzer, walk_100Hz_20min, sim::Activity::kWalk, 100.0, 1200.0)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Analyzer, walk_200Hz_20min, sim::Activity::kWalk, 200.0, 1200.0)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OrientationFilter)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
