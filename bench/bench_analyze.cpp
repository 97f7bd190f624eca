// File-to-results time of `stridelab analyze` (budget: a 1-hour 200 Hz recording analysed end to
// end in < 0.2 s; DESIGN.md "Budgets"). The recording is simulated and written once in the
// set-up, outside the timed loop; each iteration does what cmd_analyze does: read the file,
// analyse, write the outputs. Wall time per iteration (the OS page cache holds the file).
//   build/bench/bench_analyze --benchmark_repetitions=3
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>

#include "bench_support.hpp"
#include "stridelab/pipeline/analyze_recording.hpp"
#include "stridelab/storage/recording_io.hpp"
#include "stridelab/storage/recording_writer.hpp"
#include "stridelab/storage/results_io.hpp"

namespace {

namespace fs = std::filesystem;
using namespace stridelab;

std::vector<ImuSample> samples_of(const SensorData& s) {
  std::vector<ImuSample> out;
  for (std::size_t i = 0; i < s.size(); ++i) out.push_back(s.sample(i));
  return out;
}

// The 1-hour recording in both layouts, written once, on first use.
const fs::path& workdir() {
  static const fs::path& dir = []() -> const fs::path& {
    const fs::path& d = bench::scratch_dir("analyze");
    const Recording rec = bench::write_simulated(d / "hour.h5", bench::hour_walk_params());
    // The layout before compress_imu existed (acc/gyr deflated too), for the before/after.
    storage::WriterOptions o;
    o.crash_safe = false;
    o.compress_imu = true;
    storage::RecordingWriter w(d / "hour_deflated.h5", rec, {rec.primary().info}, o);
    w.append(0, samples_of(rec.primary()), rec.primary().device_time_s);
    w.close();
    return d;
  }();
  return dir;
}

// range(0): 0 = the default layout, 1 = IMU samples deflated too (the layout before).
fs::path file_for(const benchmark::State& state) {
  return workdir() / (state.range(0) ? "hour_deflated.h5" : "hour.h5");
}

std::size_t samples_in(const Recording& rec) {
  return rec.primary().size();
}

void BM_ReadRecording(benchmark::State& state) {
  const fs::path file = file_for(state);
  std::size_t n = 0;
  for (auto _ : state) {
    const Recording rec = storage::read_recording(file);
    n = samples_in(rec);
    benchmark::DoNotOptimize(rec.sensors.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
  state.counters["file_MB"] = static_cast<double>(fs::file_size(file)) / 1e6;
}

// range(1): 0 = steps CSV and summary JSON (no per-frame angles), 1 = also the analysis HDF5.
void BM_AnalyzeFile(benchmark::State& state) {
  const fs::path file = file_for(state);
  const bool all_outputs = state.range(1) != 0;
  pipeline::AnalysisRequest req;
  req.keep_angles = all_outputs;
  std::size_t n = 0;
  for (auto _ : state) {
    const Recording rec = storage::read_recording(file);
    n = samples_in(rec);
    pipeline::AnalysisRun run = pipeline::analyze_recording(rec, req);
    storage::write_steps_csv(workdir() / "steps.csv", run.steps);
    std::ofstream(workdir() / "summary.json") << run.summary_json.dump(2) << "\n";
    if (all_outputs) storage::write_analysis(workdir() / "analysis.h5", run.to_output());
    state.counters["steps"] = static_cast<double>(run.steps.size());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
}

void BM_AnalyzeLoaded(benchmark::State& state) {
  const Recording rec = storage::read_recording(workdir() / "hour.h5");
  pipeline::AnalysisRequest req;
  req.keep_angles = false;
  for (auto _ : state) {
    pipeline::AnalysisRun run = pipeline::analyze_recording(rec, req);
    benchmark::DoNotOptimize(run.steps.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(samples_in(rec)));
}

BENCHMARK(BM_ReadRecording)
    ->ArgName("deflated_imu")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_AnalyzeLoaded)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_AnalyzeFile)
    ->ArgNames({"deflated_imu", "all_outputs"})
    ->Args({0, 0})
    ->Args({0, 1})
    ->Args({1, 0})
    ->Args({1, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  return stridelab::bench::run_benchmarks(argc, argv);
}
