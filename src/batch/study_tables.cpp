#include "study_tables.hpp"

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "stridelab/core/error.hpp"
#include "stridelab/core/steps.hpp"
#include "stridelab/core/version.hpp"
#include "trends_table.hpp"

namespace stridelab::batch {
namespace {

// The columns a reader looks for first; everything else follows alphabetically.
const std::vector<std::string>& leading_columns() {
  static const std::vector<std::string> cols{
      "recording_id",
      "file",
      "activity",
      "steps",
      "mean_cadence_spm",
      "pelvic_drop_left_deg.mean",
      "pelvic_drop_left_deg.sd",
      "pelvic_drop_left_deg.n",
      "pelvic_drop_right_deg.mean",
      "pelvic_drop_right_deg.sd",
      "pelvic_drop_right_deg.n",
      "trunk_rotation_deg.mean",
      "trunk_rotation_deg.sd",
      "contact_time_s.mean",
      "contact_time_s.sd",
      // Step-time asymmetry (a limp) beside the drops: per stance side, then the index.
      "step_time_left_s.mean",
      "step_time_left_s.sd",
      "step_time_left_s.n",
      "step_time_right_s.mean",
      "step_time_right_s.sd",
      "step_time_right_s.n",
      "step_time_asymmetry_pct",
      "contact_time_left_s.mean",
      "contact_time_left_s.sd",
      "contact_time_left_s.n",
      "contact_time_right_s.mean",
      "contact_time_right_s.sd",
      "contact_time_right_s.n",
      "contact_time_asymmetry_pct",
  };
  return cols;
}

std::string shard_suffix(Shard s) {
  return s.whole() ? std::string()
                   : ".shard-" + std::to_string(s.index + 1) + "-of-" + std::to_string(s.count);
}

// Each row as (column, value) pairs, keyed by its first cell (the recording id), so tables
// whose columns differ between shards can be rebuilt with build_table.
using KeyedRows =
    std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>>;
void add_keyed_rows(const TextTable& t, KeyedRows& out) {
  for (const auto& r : t.rows) {
    std::vector<std::pair<std::string, std::string>> kv;
    for (std::size_t c = 0; c < t.columns.size(); ++c) kv.emplace_back(t.columns[c], r[c]);
    out.emplace_back(r.at(0), std::move(kv));
  }
}

}  // namespace

TableNames table_names(const std::filesystem::path& dir, Shard shard) {
  const std::string sfx = shard_suffix(shard);
  return {dir / ("recordings" + sfx + ".csv"), dir / ("steps" + sfx + ".csv"),
          dir / ("errors" + sfx + ".csv"), dir / ("minutes" + sfx + ".csv")};
}

TextTable recordings_table(const std::vector<RecordingOutcome>& outcomes) {
  std::vector<std::vector<std::pair<std::string, std::string>>> rows;
  for (const auto& o : outcomes) {
    std::vector<std::pair<std::string, std::string>> row{{"recording_id", o.id}, {"file", o.file}};
    nlohmann::json summary = o.summary;
    if (summary.is_object()) summary.erase("parameters");  // in parameters.json, once
    if (summary.contains("trends") && summary["trends"].is_object())
      summary["trends"].erase("windows");  // one row per window: minutes.csv
    flatten_json(summary, "", row);
    flatten_json(o.calibration, "calibration", row);
    row.emplace_back("input_hash", o.input_hash);
    row.emplace_back("parameters_hash", o.parameters_hash);
    rows.push_back(std::move(row));
  }
  return build_table(rows, leading_columns(), {"recording_id", "file"});
}

TextTable minutes_table(const std::vector<RecordingOutcome>& outcomes) {
  std::vector<NamedCells> rows;
  for (const auto& o : outcomes) add_trend_rows(o.summary, {{"recording_id", o.id}}, rows);
  return trends_table(rows, {"recording_id"});
}

TextTable steps_table(const std::vector<RecordingOutcome>& outcomes) {
  TextTable table;
  table.columns.push_back("recording_id");
  for (const auto& c : step_columns()) table.columns.push_back(c);
  for (const auto& o : outcomes) {
    const TextTable steps = parse_csv(o.steps_csv, o.id + " steps");
    for (const auto& r : steps.rows) {
      std::vector<std::string> row{o.id};
      row.insert(row.end(), r.begin(), r.end());
      if (row.size() != table.columns.size())
        throw Error(o.id + ": steps table has " + std::to_string(r.size()) + " columns");
      table.rows.push_back(std::move(row));
    }
  }
  return table;
}

TextTable errors_table(const std::vector<BatchFailure>& failures) {
  TextTable table{{"recording_id", "file", "reason"}, {}};
  for (const auto& f : failures) table.rows.push_back({f.id, f.file, f.reason});
  return table;
}

int merge_shards(const std::filesystem::path& dir, std::vector<int>* ignored_splits) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) throw Error(dir.string() + ": not a folder");
  const std::regex name_re(R"(recordings\.shard-(\d+)-of-(\d+)\.csv)");
  std::map<int, std::set<int>> splits;  // shard count -> shard indices found (1-based)
  int count = 0;  // the split written last: a re-submission rewrites all of its tables
  std::filesystem::file_time_type newest = std::filesystem::file_time_type::min();
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    std::smatch m;
    const std::string name = e.path().filename().string();
    if (!std::regex_match(name, m, name_re)) continue;
    const int i = std::stoi(m[1]), n = std::stoi(m[2]);
    splits[n].insert(i);
    const auto written = std::filesystem::last_write_time(e.path(), ec);
    if (!ec && (count == 0 || written > newest)) newest = written, count = n;
  }
  if (ignored_splits)
    for (const auto& [n, shards] : splits)
      if (n != count) ignored_splits->push_back(n);
  const std::set<int> found = count ? splits[count] : std::set<int>{};
  if (!count) {
    // A run of one shard (or an unsharded one) wrote the final tables itself.
    if (std::filesystem::is_regular_file(dir / "recordings.csv", ec)) return 0;
    throw Error(dir.string() + ": no shard tables (recordings.shard-I-of-N.csv)");
  }
  for (int i = 1; i <= count; ++i)
    if (!found.count(i))
      throw Error(dir.string() + ": shard " + std::to_string(i) + " of " + std::to_string(count) +
                  " is missing (recordings.shard-" + std::to_string(i) + "-of-" +
                  std::to_string(count) + ".csv)");

  // Re-key every row by recording id, then rebuild each table as one run would.
  KeyedRows rec_rows, minute_rows;
  std::vector<std::pair<std::string, std::vector<std::string>>> step_rows, error_rows;
  TextTable steps_header, errors_header;
  for (int i = 1; i <= count; ++i) {
    const TableNames names = table_names(dir, Shard{i - 1, count});
    add_keyed_rows(read_csv(names.recordings), rec_rows);
    if (std::filesystem::exists(names.minutes))  // shards written before minutes.csv: none
      add_keyed_rows(read_csv(names.minutes), minute_rows);
    TextTable steps = read_csv(names.steps);
    TextTable errors = read_csv(names.errors);
    if (i == 1) {
      steps_header = steps;
      errors_header = errors;
    } else if (steps.columns != steps_header.columns || errors.columns != errors_header.columns) {
      throw Error(names.steps.string() + ": columns differ from shard 1");
    }
    for (auto& r : steps.rows) step_rows.emplace_back(r.at(0), std::move(r));
    for (auto& r : errors.rows) error_rows.emplace_back(r.at(0), std::move(r));
  }
  auto by_id = [](const auto& a, const auto& b) { return a.first < b.first; };
  std::stable_sort(rec_rows.begin(), rec_rows.end(), by_id);
  std::stable_sort(step_rows.begin(), step_rows.end(), by_id);
  std::stable_sort(error_rows.begin(), error_rows.end(), by_id);
  std::stable_sort(minute_rows.begin(), minute_rows.end(), by_id);

  std::vector<std::vector<std::pair<std::string, std::string>>> rows;
  for (auto& [id, kv] : rec_rows) rows.push_back(std::move(kv));
  TextTable steps{steps_header.columns, {}}, errors{errors_header.columns, {}};
  for (auto& [id, r] : step_rows) steps.rows.push_back(std::move(r));
  for (auto& [id, r] : error_rows) errors.rows.push_back(std::move(r));
  const TableNames out = table_names(dir, Shard{});
  write_text_atomic(out.recordings,
                    format_csv(build_table(rows, leading_columns(), {"recording_id", "file"})));
  write_text_atomic(out.steps, format_csv(steps));
  write_text_atomic(out.errors, format_csv(errors));
  std::vector<NamedCells> minutes;
  for (auto& [id, kv] : minute_rows) minutes.push_back(std::move(kv));
  write_text_atomic(out.minutes, format_csv(trends_table(minutes, {"recording_id"})));
  return count;
}

}  // namespace stridelab::batch
