#pragma once
// Set-up shared by the benchmark programs that work on files: a scratch folder per program
// (removed when the program ends), simulated recordings written into it, and the main().
#include <filesystem>
#include <string>

#include "stridelab/sim/simulator.hpp"

namespace stridelab::bench {

// <tmp>/stridelab_bench_<name>_<pid>, created on the first call; run_benchmarks() removes it.
const std::filesystem::path& scratch_dir(const std::string& name);

// The 1-hour 200 Hz walk of the whole-file budget (DESIGN.md "Budgets"): realistic noise,
// seed 7. For timing the whole process from outside, `stridelab simulate --activity walk
// --duration 3600 --seed 7 --out F` writes a recording of the same kind (docs/PERFORMANCE.md).
sim::SimParams hour_walk_params();

// Simulates `p` and writes the recording to `file` (HDF5 or CSV by extension).
Recording write_simulated(const std::filesystem::path& file, const sim::SimParams& p);

// Google Benchmark's main: runs the benchmarks selected on the command line, then removes
// every scratch_dir().
int run_benchmarks(int argc, char** argv);

}  // namespace stridelab::bench
