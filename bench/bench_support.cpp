#include "bench_support.hpp"

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <map>

#include "stridelab/storage/recording_io.hpp"

namespace stridelab::bench {

namespace fs = std::filesystem;

static std::map<std::string, fs::path>& scratch_dirs() {
  static std::map<std::string, fs::path> dirs;
  return dirs;
}

const fs::path& scratch_dir(const std::string& name) {
  auto [it, added] = scratch_dirs().try_emplace(name);
  if (added) {
    it->second =
        fs::temp_directory_path() / ("stridelab_bench_" + name + "_" + std::to_string(::getpid()));
    fs::create_directories(it->second);
  }
  return it->second;
}

sim::SimParams hour_walk_params() {
  sim::SimParams p;
  p.rate_hz = 200;
  p.gait_duration_s = 3600;
  p.seed = 7;
  sim::apply_noise_preset(p, "realistic");
  return p;
}

Recording write_simulated(const fs::path& file, const sim::SimParams& p) {
  Recording rec = sim::simulate(p).recording;
  storage::write_recording(file, rec);
  return rec;
}

int run_benchmarks(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  // Only folders a benchmark asked for: a filtered run simulates nothing just to delete it.
  for (const auto& [name, dir] : scratch_dirs()) {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  return 0;
}

}  // namespace stridelab::bench
