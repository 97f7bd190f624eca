#pragma once
// Recognising the columns of a recording CSV from its header row: which column is time, which
// are the acc / gyr / mag axes and in which unit. Private to the storage stage.
#include <array>
#include <string>
#include <vector>

#include "stridelab/storage/recording_io.hpp"

namespace stridelab::storage::csv {

inline constexpr int kNone = -1;

// A resolved unit: the factor to SI and a description of where it came from (for messages).
struct ResolvedUnit {
  double to_si = 1.0;
  std::string name;               // "g", "m/s^2", "deg/s", "rad/s", "uT"
  std::string origin;             // "column suffix", "option", "default (no suffix)"
  bool declared_by_user = false;  // came from an explicit option
};

struct ColumnMap {
  std::vector<std::string> names;  // header cells as written (trimmed)
  int time = kNone;
  int unix_ts = kNone;  // wall clock of each sample, s since 1970 (metadata)
  std::array<int, 3> acc{kNone, kNone, kNone};
  std::array<int, 3> gyr{kNone, kNone, kNone};
  std::array<int, 3> mag{kNone, kNone, kNone};
  ResolvedUnit acc_unit, gyr_unit, mag_unit;
  bool has_gyr() const { return gyr[0] != kNone; }
  bool has_mag() const { return mag[0] != kNone; }
};

// Parses the header line and resolves columns and units. Throws Error("<where>: ...") listing
// the columns found and the ones expected when something required is missing or ambiguous.
ColumnMap map_columns(std::string_view header, const CsvOptions& options, const std::string& where);

// Splits one CSV line at commas (no quoting: recording files hold numbers only); cells are
// trimmed of spaces and surrounding double quotes.
void split_cells(std::string_view line, std::vector<std::string_view>& cells);

}  // namespace stridelab::storage::csv
