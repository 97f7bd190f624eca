// The batch runner: analyses the shard's recordings on N threads, skips up-to-date results,
// records failures, then writes the study tables in recording order (so -j never changes
// a byte of them).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "manifest.hpp"
#include "stridelab/batch/batch.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/core/version.hpp"
#include "study_tables.hpp"
#include "table.hpp"

namespace stridelab::batch {
namespace {

// HDF5 I/O is serialised: the C++ API is not documented as thread-safe.
std::mutex& hdf5_mutex() {
  static std::mutex m;
  return m;
}

bool is_hdf5(const fs::path& p) {
  return p.extension() != ".csv" && p.extension() != ".CSV";
}

fs::path with_suffix(const fs::path& base, const char* suffix) {
  fs::path p = base;
  p += suffix;
  return p;
}

class Progress {
 public:
  Progress(int total, bool tty, bool quiet) : total_(total), tty_(tty), quiet_(quiet) {}

  void done(const std::string& id, const char* what, double seconds) {
    std::lock_guard lock(mutex_);
    ++count_;
    if (quiet_) return;
    if (!tty_) {
      std::fprintf(stderr, "[%d/%d] %s %s (%.2f s)\n", count_, total_, id.c_str(), what, seconds);
      return;
    }
    const double elapsed = seconds_since(start_);
    const double eta = count_ ? elapsed / count_ * (total_ - count_) : 0.0;
    const int width = 30, filled = total_ ? width * count_ / total_ : width;
    std::fprintf(stderr, "\r[%s%s] %d/%d  failed %d  ETA %02d:%02d ",
                 std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(), count_,
                 total_, failed_, static_cast<int>(eta) / 60, static_cast<int>(eta) % 60);
    if (count_ == total_) std::fputc('\n', stderr);
  }
  void failed() {
    std::lock_guard lock(mutex_);
    ++failed_;
  }
  static double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  }

 private:
  std::mutex mutex_;
  int total_, count_ = 0, failed_ = 0;
  bool tty_, quiet_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// Analyses (or re-uses) one recording; throws Error with the reason on failure.
RecordingOutcome process_one(const BatchOptions& opt, const fs::path& rel,
                             const std::string& parameters_hash, const AnalyzeFn& analyze,
                             bool& skipped) {
  RecordingOutcome out;
  out.id = recording_id(rel);
  out.file = rel.generic_string();
  const fs::path input = opt.input_dir / rel;
  const fs::path base = opt.output_dir / rel;
  const fs::path results = with_suffix(base, ".results.h5");
  const fs::path steps_csv = with_suffix(base, ".steps.csv");
  const fs::path manifest_path = with_suffix(base, ".manifest.json");

  Manifest m;
  m.input_file = out.file;
  const InputFingerprint input_print = fingerprint_input(input);
  m.input_hash = input_print.hash;
  m.input_size = input_print.size;
  m.parameters_hash = parameters_hash;
  m.tool_version = std::string(version());

  if (!opt.force) {
    const auto old = read_manifest(manifest_path);
    std::error_code ec;
    if (old && old->input_hash == m.input_hash && old->input_size == m.input_size &&
        old->parameters_hash == m.parameters_hash && old->tool_version == m.tool_version &&
        fs::exists(results, ec) && fs::exists(steps_csv, ec)) {
      out.summary = old->summary;
      out.calibration = old->calibration;
      out.steps_csv = read_text(steps_csv);
      parse_csv(out.steps_csv, steps_csv.string());  // a damaged table means redo
      out.input_hash = m.input_hash;
      out.parameters_hash = m.parameters_hash;
      skipped = true;
      return out;
    }
  }

  Recording rec;
  if (is_hdf5(input)) {
    std::lock_guard lock(hdf5_mutex());
    rec = storage::read_recording(input, opt.csv);
  } else {
    rec = storage::read_recording(input, opt.csv);
  }
  storage::AnalysisOutput analysis = analyze(rec);
  analysis.tool_version = m.tool_version;
  m.summary = nlohmann::json::parse(analysis.summary_json);
  m.calibration = nlohmann::json::parse(analysis.calibration_json);

  fs::create_directories(base.parent_path());
  out.steps_csv = storage::format_steps_csv(analysis.steps);
  write_text_atomic(steps_csv, out.steps_csv);
  {
    const fs::path tmp = with_suffix(base, ".results.h5.tmp");
    std::error_code ec;
    fs::remove(tmp, ec);
    std::lock_guard lock(hdf5_mutex());
    storage::write_analysis(tmp, analysis);
    fs::rename(tmp, results);
  }
  write_text_atomic(manifest_path, to_json(m).dump(2) + "\n");  // last: marks it complete
  out.summary = m.summary;
  out.calibration = m.calibration;
  out.input_hash = m.input_hash;
  out.parameters_hash = m.parameters_hash;
  return out;
}

}  // namespace

BatchReport run_batch(const BatchOptions& opt, const AnalyzeFn& analyze) {
  if (opt.jobs < 1) throw Error("-j must be at least 1");
  std::error_code ec;
  fs::create_directories(opt.output_dir, ec);
  if (ec) throw Error(opt.output_dir.string() + ": cannot create output folder: " + ec.message());

  const auto all = discover_recordings(opt.input_dir, opt.output_dir, opt.patterns);
  const auto files = select_shard(all, opt.shard);
  const std::string parameters_hash = hash_text(opt.parameters_key);

  BatchReport report;
  report.total = static_cast<int>(files.size());
  std::vector<RecordingOutcome> outcomes(files.size());
  std::vector<std::string> errors(files.size());
  std::atomic<std::size_t> next{0};
  std::atomic<int> analysed{0}, skipped_count{0};
  Progress progress(report.total, opt.progress_tty, opt.quiet);

  auto worker = [&] {
    for (std::size_t k = next++; k < files.size(); k = next++) {
      const auto t0 = std::chrono::steady_clock::now();
      bool skipped = false;
      try {
        outcomes[k] = process_one(opt, files[k], parameters_hash, analyze, skipped);
        (skipped ? skipped_count : analysed)++;
      } catch (const std::exception& e) {
        errors[k] = e.what();
        outcomes[k].id = recording_id(files[k]);
        outcomes[k].file = files[k].generic_string();
        progress.failed();
      }
      progress.done(outcomes[k].id, errors[k].empty() ? (skipped ? "up to date" : "ok") : "FAILED",
                    Progress::seconds_since(t0));
    }
  };
  const int threads = std::min<int>(opt.jobs, std::max<int>(1, report.total));
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();

  std::vector<RecordingOutcome> good;
  for (std::size_t k = 0; k < files.size(); ++k) {
    if (errors[k].empty())
      good.push_back(std::move(outcomes[k]));
    else
      report.failures.push_back({outcomes[k].id, outcomes[k].file, errors[k]});
  }
  report.analysed = analysed;
  report.skipped = skipped_count;
  const TableNames names = table_names(opt.output_dir, opt.shard);
  write_text_atomic(names.recordings, format_csv(recordings_table(good)));
  write_text_atomic(names.steps, format_csv(steps_table(good)));
  write_text_atomic(names.errors, format_csv(errors_table(report.failures)));
  write_text_atomic(names.minutes, format_csv(minutes_table(good)));
  write_text_atomic(
      opt.output_dir / "parameters.json",
      nlohmann::json{{"tool_version", std::string(version())},
                     {"parameters_hash", parameters_hash},
                     {"parameters", nlohmann::json::parse(
                                        opt.parameters_key.empty() ? "{}" : opt.parameters_key)}}
              .dump(2) +
          "\n");
  report.recordings_table = names.recordings;
  report.steps_table = names.steps;
  report.errors_table = names.errors;
  report.minutes_table = names.minutes;
  return report;
}

}  // namespace stridelab::batch
