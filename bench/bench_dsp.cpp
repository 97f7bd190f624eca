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

// 120 s of gait (or `gait_s`) with one 180° turn, realistic sensor errors, random mounting.
const std::vector<ImuSample>& samples(sim::Activity activity, double rate_hz,
                                      double gait_s = 120.0) {
  static std::map<std::tuple<int, double, double>, std::vector<ImuSample>> cache;
  auto& out = cache[{activity == sim::Activity::kRun, rate_hz, gait_s}];
  if (out.empty()) {
    sim::SimParams p;
    p.activity = activity;
    p.rate_hz = rate_hz;
    p.gait_duration_s = gait_s;
    p.mounting = sim::mounting_preset("random", 3);
    p.turns = {{40.0, 2.0, 180.0}};
    sim::apply_noise_preset(p, "realistic");
    const auto r = sim::simulate(p);
    const SensorData& s = r.recording.primary();
    for (std::size_t i = 0; i < s.size(); ++i) out.push_back(s.sample(i));
  }
  return out;
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

// Live latency: the recording is fed in 10 ms chunks, as a sensor delivers it. For every step,
// how long after its end (the next initial contact) and after its stride's end (the contact
// after that, needed for trunk rotation) the step comes out of take_steps(), in data time.
// The wall time of one chunk's update() is the processing share of the delay.
void BM_StepLatency(benchmark::State& state, sim::Activity activity) {
  const auto& data = samples(activity, 200.0);
  dsp::AnalyzerParams p;
  p.rate_hz = 200.0;
  const std::size_t chunk = 2;  // 10 ms at 200 Hz
  std::vector<Step> steps;
  std::vector<double> emitted_at, update_s;
  for (auto _ : state) {
    steps.clear();
    emitted_at.clear();
    update_s.clear();
    dsp::Analyzer a(p);
    for (std::size_t i = 0; i < data.size(); i += chunk) {
      const std::size_t n = std::min(chunk, data.size() - i);
      a.update(data.data() + i, n);
      a.take_steps(steps);
      emitted_at.resize(steps.size(), data[i + n - 1].time_s);
    }
    benchmark::DoNotOptimize(steps.data());
  }
  // Steps after the first 10 (those wait for the mounting to be found once, at the start).
  std::vector<double> after_step, after_stride;
  for (std::size_t k = 10; k + 2 < steps.size(); ++k) {
    after_step.push_back(emitted_at[k] - steps[k + 1].time_s);
    after_stride.push_back(emitted_at[k] - steps[k + 2].time_s);
  }
  auto stats = [&state](std::vector<double> v, const std::string& what) {
    if (v.empty()) return;
    std::sort(v.begin(), v.end());
    state.counters[what + "_median_s"] = v[v.size() / 2];
    state.counters[what + "_p95_s"] = v[v.size() * 95 / 100];
  };
  stats(after_step, "after_step");
  stats(after_stride, "after_stride");
  state.counters["first_step_s"] = emitted_at.empty() ? 0.0 : emitted_at[0] - steps[0].time_s;
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
