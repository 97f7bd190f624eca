// Throughput of the analysis pipeline (budget: >= 10 million samples/s on one core for the
// whole pipeline; DESIGN.md "Budgets"). The data are simulated in the set-up, outside the
// timed loop; items/s in the output is samples/s.
#include <benchmark/benchmark.h>

#include <vector>

#include "stridelab/dsp/analyzer.hpp"
#include "stridelab/dsp/orientation.hpp"
#include "stridelab/sim/simulator.hpp"

namespace {

using namespace stridelab;

const std::vector<ImuSample>& samples(sim::Activity activity, double rate_hz) {
  static std::vector<ImuSample> cache[2][2];
  auto& out = cache[activity == sim::Activity::kRun][rate_hz > 150];
  if (out.empty()) {
    sim::SimParams p;
    p.activity = activity;
    p.rate_hz = rate_hz;
    p.gait_duration_s = 120;
    p.mounting = sim::mounting_preset("random", 3);
    p.turns = {{40.0, 2.0, 180.0}};
    sim::apply_noise_preset(p, "realistic");
    const auto r = sim::simulate(p);
    const SensorData& s = r.recording.primary();
    for (std::size_t i = 0; i < s.size(); ++i) out.push_back(s.sample(i));
  }
  return out;
}

void BM_Analyzer(benchmark::State& state, sim::Activity activity, double rate_hz) {
  const auto& data = samples(activity, rate_hz);
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
BENCHMARK(BM_OrientationFilter)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
