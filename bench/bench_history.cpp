// A person's history over a season: 30 sessions (20-minute runs at 100 Hz, one every 3 days,
// each with its start time) through collect_sessions() + make_history(): arg 0 analyses every
// session, arg 1 takes a batch's results (input hash, metadata and tables only).
//   build/bench/bench_history
#include <benchmark/benchmark.h>

#include <filesystem>

#include "bench_support.hpp"
#include "stridelab/history/history.hpp"
#include "stridelab/pipeline/analyze_recording.hpp"

namespace {

namespace fs = std::filesystem;
constexpr int kSessions = 30;

stridelab::storage::AnalysisOutput analyze(const stridelab::Recording& rec) {
  stridelab::pipeline::AnalysisRequest request;
  request.keep_angles = false;
  return stridelab::pipeline::analyze_recording(rec, request).to_output();
}

// The sessions in plain/ and, with a batch's results inside, in batched/; written once.
const fs::path& folder() {
  static const fs::path dir = [] {
    const fs::path d = stridelab::bench::scratch_dir("history");
    fs::create_directories(d / "plain");
    fs::create_directories(d / "batched");
    for (int i = 0; i < kSessions; ++i) {
      stridelab::sim::SimParams p;
      p.activity = stridelab::sim::Activity::kRun;
      p.gait_duration_s = 1200;
      p.rate_hz = 100;
      p.drop_offset_deg = -0.02 * i;
      p.seed = 300 + static_cast<std::uint64_t>(i);
      stridelab::Recording rec = stridelab::sim::simulate(p).recording;
      rec.subject_id = "R1";
      rec.start_time_iso = stridelab::history::format_date_time(1772436600.0 + i * 3 * 86400.0);
      const std::string name = "R1_" + std::to_string(i) + ".h5";
      stridelab::storage::write_recording(d / "plain" / name, rec);
      fs::copy_file(d / "plain" / name, d / "batched" / name);
    }
    stridelab::batch::BatchOptions b;
    b.input_dir = d / "batched";
    b.output_dir = d / "batched" / "results";
    b.quiet = true;
    stridelab::batch::run_batch(b, analyze);
    return d;
  }();
  return dir;
}

void BM_History(benchmark::State& state) {
  stridelab::history::CollectOptions o;
  o.inputs = {folder() / (state.range(0) ? "batched" : "plain")};
  for (auto _ : state) {
    std::vector<stridelab::history::Skipped> skipped;
    auto list = stridelab::history::collect_sessions(o, analyze, skipped);
    if (list.size() != kSessions) state.SkipWithError("a session is missing");
    const auto h = stridelab::history::make_history(std::move(list));
    benchmark::DoNotOptimize(h.trends);
  }
  state.counters["sessions_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kSessions), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_History)
    ->ArgName("from_batch")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  return stridelab::bench::run_benchmarks(argc, argv);
}
