// Throughput of the analysis pipeline (budget: >= 10 million samples/s on one core for the
// whole pipeline; DESIGN.md "Budgets"). The data are simulated in the set-up, outside the
// timed loop; items/s in the output is samples/s.
#include <benchmark/benchmark.h>

#include <map>
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
