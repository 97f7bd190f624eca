// Batch throughput: recordings per second through run_batch() (read HDF5, analyse, write
// results and tables) on a folder of simulated 2-minute walks, with 1 and 2 worker threads.
//   build/bench/bench_batch
#include <benchmark/benchmark.h>

#include <filesystem>

#include "bench_support.hpp"
#include "stridelab/batch/batch.hpp"
#include "stridelab/pipeline/analyze_recording.hpp"

namespace {

namespace fs = std::filesystem;
constexpr int kRecordings = 16;

// kRecordings simulated 2-minute recordings (every fourth a run) in study(), written once.
const fs::path& study() {
  static const fs::path& dir = []() -> const fs::path& {
    const fs::path& d = stridelab::bench::scratch_dir("batch");
    fs::create_directories(d / "study");
    for (int i = 0; i < kRecordings; ++i) {
      stridelab::sim::SimParams p;
      p.gait_duration_s = 120;
      p.activity = i % 4 == 3 ? stridelab::sim::Activity::kRun : stridelab::sim::Activity::kWalk;
      p.seed = 100 + static_cast<std::uint64_t>(i);
      stridelab::bench::write_simulated(d / "study" / ("rec" + std::to_string(i) + ".h5"), p);
    }
    return d;
  }();
  return dir;
}

void BM_BatchRecordingsPerSecond(benchmark::State& state) {
  stridelab::batch::BatchOptions o;
  o.input_dir = study() / "study";
  o.output_dir = study() / ("out" + std::to_string(state.range(0)));
  o.jobs = static_cast<int>(state.range(0));
  o.force = true;  // measure analysis, not the resume check
  o.quiet = true;
  o.parameters_key = "{}";
  const stridelab::pipeline::AnalysisRequest request;
  for (auto _ : state) {
    const auto report = stridelab::batch::run_batch(o, [&](const stridelab::Recording& rec) {
      return stridelab::pipeline::analyze_recording(rec, request).to_output();
    });
    if (report.analysed != kRecordings) state.SkipWithError("not every recording was analysed");
  }
  state.SetItemsProcessed(state.iterations() * kRecordings);
  state.counters["recordings_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kRecordings), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_BatchRecordingsPerSecond)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  return stridelab::bench::run_benchmarks(argc, argv);
}
