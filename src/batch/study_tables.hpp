#pragma once
// The study tables: one row per recording, one row per step, one row per failure.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stridelab/batch/batch.hpp"
#include "table.hpp"

namespace stridelab::batch {

struct RecordingOutcome {
  std::string id;
  std::string file;
  std::string input_hash;
  std::string parameters_hash;  // key of parameters.json
  nlohmann::json summary;
  nlohmann::json calibration;
  std::string steps_csv;  // the recording's steps table as written
};

struct TableNames {
  std::filesystem::path recordings, steps, errors, minutes;
};
// recordings.csv, steps.csv, errors.csv, minutes.csv; with a shard:
// recordings.shard-2-of-8.csv, ...
TableNames table_names(const std::filesystem::path& dir, Shard shard);

// Outcomes must be in recording order; the tables keep it.
TextTable recordings_table(const std::vector<RecordingOutcome>& outcomes);
TextTable steps_table(const std::vector<RecordingOutcome>& outcomes);
// One row per recording and trend window (summary JSON `trends.windows`): recording_id, then
// the trends table's columns (trends_table.hpp), as `stridelab analyze --trends-csv` writes.
TextTable minutes_table(const std::vector<RecordingOutcome>& outcomes);
TextTable errors_table(const std::vector<BatchFailure>& failures);

}  // namespace stridelab::batch
