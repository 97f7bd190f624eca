#pragma once
// Helpers shared by the readers of other devices' files (CWA, Xsens, APDM, phone apps) and the
// CSV reader: whole-file reads, wall-clock text, gap finding, text lines and the unit check.
// Private to the storage stage.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "stridelab/core/types.hpp"

namespace stridelab::storage::import {

// The whole file, or Error "<path>: no such file / is a directory / read error".
std::string read_file(const std::filesystem::path& path);

// "2020-12-10T13:09:03.815Z" for seconds since 1970 (UTC, millisecond resolution).
std::string iso_utc(double unix_s);
// The same calendar time followed by `zone` instead of "Z": "" for a local time of unknown
// zone, "+01:00" for one whose offset is known.
std::string iso_time(double unix_s, const std::string& zone);
// Minutes east of UTC of "+HH:MM", "-HH:MM", "+HH" or "Z"; Error naming the text otherwise.
int parse_utc_offset_min(const std::string& text);

// Seconds since 1970 of a UTC calendar time (fields out of range are normalised, as timegm).
double unix_seconds(int year, int month, int day, int hour, int minute, int second);

// A jump of more than 1.5 median periods is a Gap with cause `cause` (never interpolated).
// Returns the rate from the regular periods, rounded to 0.01 Hz; 0 for fewer than 2 samples.
double find_gaps(const std::vector<double>& t, std::vector<Gap>& gaps,
                 const std::string& cause = "import");

// Splits text into lines without their "\n" / "\r\n"; counts line numbers from 1.
class Lines {
 public:
  explicit Lines(std::string_view text) : text_(text) {}
  bool next(std::string_view& line);
  std::size_t number() const { return number_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t number_ = 0;
};

// Splits at `sep`, trimming spaces and surrounding double quotes of every cell.
void split(std::string_view line, char sep, std::vector<std::string_view>& cells);
std::string_view trim(std::string_view s);
std::string lower(std::string_view s);

// Parses a whole cell as a finite double; false if it is not one.
bool to_double(std::string_view cell, double& value);

// The CSV reader's unit plausibility check on a sensor already in SI, for files whose units
// come from the format (e.g. "m/s^2" from the Xsens column name Acc_X): throws Error naming
// the file and the unit that looks right.
void check_units(const SensorData& sensor, const std::string& acc_unit, double acc_to_si,
                 const std::string& gyr_unit, double gyr_to_si, const std::string& origin,
                 const std::string& where);

// Text of a byte string safe for a one-line message: printable ASCII kept, the rest \xNN,
// cut after `max` characters.
std::string printable(std::string_view bytes, std::size_t max = 40);

}  // namespace stridelab::storage::import
