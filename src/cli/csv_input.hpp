#pragma once
// The CSV input options of the commands that read recordings (analyze, batch, convert, info):
// one spelling, one help text and one translation into storage::CsvOptions. Header-only: the
// commands are compiled straight into the executable (CMakeLists.txt).
#include <CLI/CLI.hpp>

#include <string>

#include "stridelab/storage/recording_io.hpp"

namespace stridelab::cli {

struct CsvInput {
  std::string acc_unit = "auto";  // auto, g, ms2
  std::string gyr_unit = "auto";  // auto, dps, rads
  std::string time_column;        // empty: the usual names
  double rate_hz = 0.0;           // > 0: ignore time columns, Hz
  std::string utc_offset;         // Axivity CWA: the device clock's UTC offset, "+01:00"

  storage::CsvOptions options() const;
};

// Adds --acc-unit, --gyr-unit and --utc-offset, and with with_time also --time-column and
// --rate.
void add_csv_input_options(CLI::App* cmd, CsvInput& in, bool with_time = true);

inline storage::CsvOptions CsvInput::options() const {
  storage::CsvOptions csv;
  csv.acc_unit = storage::acc_unit_from_string(acc_unit);
  csv.gyr_unit = storage::gyr_unit_from_string(gyr_unit);
  csv.time_column = time_column;
  csv.rate_hz = rate_hz;
  csv.utc_offset = utc_offset;
  return csv;
}

inline void add_csv_input_options(CLI::App* cmd, CsvInput& in, bool with_time) {
  cmd->add_option("--acc-unit", in.acc_unit, "CSV accelerometer unit: auto, g, ms2")
      ->check(CLI::IsMember({"auto", "g", "ms2"}));
  cmd->add_option("--gyr-unit", in.gyr_unit, "CSV gyroscope unit: auto, dps, rads")
      ->check(CLI::IsMember({"auto", "dps", "rads"}));
  cmd->add_option("--utc-offset", in.utc_offset,
                  "Axivity CWA: UTC offset of the device clock, e.g. +01:00 (the file keeps "
                  "local time without a zone)");
  if (!with_time) return;
  cmd->add_option("--time-column", in.time_column, "CSV time column (seconds)");
  cmd->add_option("--rate", in.rate_hz, "CSV: sample rate, Hz (ignore the time column)")
      ->check(CLI::PositiveNumber);
}

}  // namespace stridelab::cli
