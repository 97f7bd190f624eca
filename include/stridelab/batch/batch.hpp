#pragma once
// Batch analysis of a study folder: discovery, sharding, parallel runs, resume, study tables.
// The analysis itself is passed in (AnalyzeFn), so this stage knows files and tables, not
// gait. Outputs per recording <out>/<id>.results.h5, <out>/<id>.steps.csv and
// <out>/<id>.manifest.json; per run the study tables (docs/BATCH.md).
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stridelab/storage/recording_io.hpp"
#include "stridelab/storage/results_io.hpp"

namespace stridelab::batch {

namespace fs = std::filesystem;

// One part of a study split across array tasks: recordings k with k % count == index.
struct Shard {
  int index = 0;  // 0-based
  int count = 1;
  bool whole() const { return count == 1; }
};
// "I/N" with 1 <= I <= N (1-based, as people count shards). Throws Error otherwise.
Shard parse_shard(const std::string& text);
// From Slurm job-array variables (SLURM_ARRAY_TASK_ID, _MIN, _COUNT), if set.
bool shard_from_environment(Shard& shard);

// Recordings (.h5, .hdf5, .csv, .cwa, and .txt / .zip whose content is an Xsens or phone-app
// export; any case; not *.results.h5 / *.steps.csv, which batch itself writes) under `dir`,
// recursively, sorted by relative path;
// `exclude` (e.g. the output folder) and hidden entries are skipped. `patterns` (fnmatch
// globs on the relative path) restrict the set when not empty.
std::vector<fs::path> discover_recordings(const fs::path& dir, const fs::path& exclude = {},
                                          const std::vector<std::string>& patterns = {});
std::vector<fs::path> select_shard(const std::vector<fs::path>& sorted_files, Shard shard);

// The analysis of one loaded recording: steps, angles, summary/calibration/parameters JSON.
using AnalyzeFn = std::function<storage::AnalysisOutput(const Recording& recording)>;

struct BatchOptions {
  fs::path input_dir;
  fs::path output_dir;
  int jobs = 1;  // worker threads
  Shard shard;
  std::vector<std::string> patterns;
  storage::CsvOptions csv;     // how CSV recordings are read
  std::string parameters_key;  // analysis parameters as canonical JSON text (resume key)
  bool force = false;          // redo everything, even up-to-date results
  bool progress_tty = false;   // progress bar with \r (else plain lines)
  bool quiet = false;
};

struct BatchFailure {
  std::string id;
  std::string file;
  std::string reason;
};

struct BatchReport {
  int total = 0;     // recordings in this shard
  int analysed = 0;  // analysed in this run
  int skipped = 0;   // up to date from an earlier run
  std::vector<BatchFailure> failures;
  fs::path recordings_table, steps_table, errors_table, minutes_table;
};

// Runs the batch; writes the study tables (named with the shard when sharded). Never throws
// for a bad recording: it becomes a BatchFailure. Throws Error for unusable folders.
BatchReport run_batch(const BatchOptions& options, const AnalyzeFn& analyze);

// Joins the shard tables found in `output_dir` into the tables one unsharded run would
// write (byte-identical). Returns the number of shards merged: 0 when there are none but the
// final tables are there (an array of one task writes them itself). Throws Error if shards
// are missing or disagree, or there is nothing at all. Shard tables of several splits (a
// study re-submitted with another array size): the split with the most recently written
// table is merged; the others' sizes go to `ignored_splits` (their files stay).
int merge_shards(const fs::path& output_dir, std::vector<int>* ignored_splits = nullptr);

// Stable identifier of a recording: its path relative to the study folder, '/'-separated
// (the extension stays: walk.csv and walk.h5 are different recordings).
std::string recording_id(const fs::path& relative);

}  // namespace stridelab::batch
