// Collecting a history's sessions: recordings found as batch finds them, each one's figures
// from the batch results when a batch analysed exactly these bytes (matched by the input hash
// in recordings.csv, so a changed file is never shown with stale numbers), else analysed now.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include <nlohmann/json.hpp>

#include "batch/manifest.hpp"
#include "batch/table.hpp"
#include "history_cells.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/history/history.hpp"
#include "stridelab/storage/recording_summary.hpp"
#include "stridelab/storage/results_io.hpp"

namespace stridelab::history {
namespace {

// The recordings.csv columns a session cannot do without; a table without one is not batch
// output (the SDs, counts and per-side step times may be missing: empty figures then).
const std::vector<std::string>& required_columns() {
  static const std::vector<std::string> cols{"recording_id",
                                             "input_hash",
                                             "steps",
                                             "mean_cadence_spm",
                                             "pelvic_drop_left_deg.mean",
                                             "pelvic_drop_right_deg.mean"};
  return cols;
}

// A batch's results: recordings.csv rows by input hash.
struct BatchResults {
  fs::path dir;
  std::map<std::string, Cells> by_hash;
};

BatchResults load_batch(const fs::path& dir) {
  BatchResults r{dir, {}};
  const fs::path table_path = dir / "recordings.csv";
  const batch::TextTable table = batch::read_csv(table_path);
  for (const std::string& c : required_columns())
    if (std::find(table.columns.begin(), table.columns.end(), c) == table.columns.end())
      throw Error(table_path.string() + ": no column '" + c + "' (not a batch results table)");
  for (const auto& row : table.rows) {
    Cells cells;
    for (std::size_t i = 0; i < table.columns.size(); ++i) cells[table.columns[i]] = row[i];
    r.by_hash[cells["input_hash"]] = std::move(cells);
  }
  return r;
}

bool is_batch_output(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "recordings.csv", ec) &&
         fs::is_regular_file(dir / "parameters.json", ec);
}

// The batch results folder for a folder input: given, else one directly inside it.
fs::path find_results(const fs::path& dir) {
  std::vector<fs::path> found;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_directory(ec) && is_batch_output(e.path())) found.push_back(e.path());
  std::sort(found.begin(), found.end());
  return found.empty() ? fs::path() : found.front();
}

double gait_minutes(const std::vector<Step>& steps) {
  double sum = 0.0;
  for (const Step& s : steps)
    if (std::isfinite(s.step_time_s)) sum += s.step_time_s;
  return sum / 60.0;
}

double file_time(const fs::path& path) {
  const auto sys = std::chrono::file_clock::to_sys(fs::last_write_time(path));
  return std::chrono::duration<double>(sys.time_since_epoch()).count();
}

void set_identity(Session& s, const Recording& metadata) {
  if (!metadata.subject_id.empty()) {
    s.subject = metadata.subject_id;
    s.subject_from = "recording";
  } else {
    s.subject = subject_from_name(s.file);
    s.subject_from = "name";
  }
  s.start_unix_s = parse_iso_time(metadata.start_time_iso);
  s.date_from = "recording";
  if (!std::isfinite(s.start_unix_s)) {
    s.start_unix_s = file_time(s.file);
    s.date_from = "file time";
  }
}

struct Input {
  std::string id;
  fs::path file;
  const BatchResults* results = nullptr;
};

// One session, or nothing when it is another subject's. Throws Error on bad input.
bool collect_one(const Input& in, const CollectOptions& o, const batch::AnalyzeFn& analyze,
                 Session& s) {
  s.id = in.id;
  s.file = in.file;
  if (in.results) {
    const auto row = in.results->by_hash.find(batch::fingerprint_input(in.file).hash);
    const fs::path steps_path =
        row == in.results->by_hash.end()
            ? fs::path()
            : in.results->dir / (row->second.at("recording_id") + ".steps.csv");
    std::error_code ec;
    if (!steps_path.empty() && fs::is_regular_file(steps_path, ec)) {
      // Metadata only (subject, start time): the samples are not analysed.
      set_identity(s, storage::read_metadata(in.file, o.csv));
      if (!o.subject.empty() && s.subject != o.subject) return false;
      try {
        fill_figures(s, row->second);
      } catch (const Error& e) {
        throw Error((in.results->dir / "recordings.csv").string() + ", row " +
                    row->second.at("recording_id") + ": " + e.what());
      }
      s.gait_minutes = gait_minutes(storage::read_steps_csv(steps_path));
      s.results_from = "batch";
      return true;
    }
  }
  const Recording rec = storage::read_recording(in.file, o.csv);
  set_identity(s, rec);
  if (!o.subject.empty() && s.subject != o.subject) return false;
  const storage::AnalysisOutput a = analyze(rec);
  std::vector<std::pair<std::string, std::string>> flat;
  batch::flatten_json(nlohmann::json::parse(a.summary_json), "", flat);
  fill_figures(s, Cells(flat.begin(), flat.end()));
  s.gait_minutes = gait_minutes(a.steps);
  s.results_from = "analysis";
  return true;
}

}  // namespace

std::string subject_from_name(const fs::path& file) {
  const std::string name = file.filename().string();
  const auto cut = name.find('_');
  if (cut != std::string::npos && cut > 0) return name.substr(0, cut);
  const fs::path folder = fs::absolute(file).parent_path().filename();
  return folder.empty() ? name : folder.string();
}

std::vector<Session> collect_sessions(const CollectOptions& o, const batch::AnalyzeFn& analyze,
                                      std::vector<Skipped>& skipped) {
  std::vector<BatchResults> results;  // stable addresses: reserved for every input + --results
  results.reserve(o.inputs.size() + 1);
  const BatchResults* given = nullptr;
  if (!o.results_dir.empty()) {
    if (!is_batch_output(o.results_dir))
      throw Error(o.results_dir.string() +
                  ": not a batch results folder (no recordings.csv and parameters.json)");
    given = &results.emplace_back(load_batch(o.results_dir));
  }
  std::vector<Input> inputs;
  for (const fs::path& p : o.inputs) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      const BatchResults* used = given;
      fs::path exclude = o.results_dir;
      if (!used) {
        exclude = find_results(p);
        if (!exclude.empty()) used = &results.emplace_back(load_batch(exclude));
      }
      for (const fs::path& rel : batch::discover_recordings(p, exclude))
        inputs.push_back({batch::recording_id(rel), p / rel, used});
    } else if (fs::exists(p, ec)) {
      inputs.push_back({p.generic_string(), p, given});
    } else {
      throw Error(p.string() + ": no such file or folder");
    }
  }
  std::vector<Session> sessions;
  for (const Input& in : inputs) {
    try {
      Session s;
      if (collect_one(in, o, analyze, s)) sessions.push_back(std::move(s));
    } catch (const std::exception& e) {
      skipped.push_back({in.file.string(), e.what()});
    }
  }
  return sessions;
}

}  // namespace stridelab::history
