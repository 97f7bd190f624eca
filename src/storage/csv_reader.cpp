// Reading recording CSV files: native and the recognised foreign layouts (csv_columns.cpp),
// strict about every row, fast (one pass, std::from_chars, no per-line allocation).
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "storage/csv_columns.hpp"
#include "storage/csv_units.hpp"
#include "storage/import_util.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/storage/recording_io.hpp"

namespace stridelab::storage {

namespace {

using csv::ColumnMap;
using csv::kNone;
using import::find_gaps;
using import::iso_utc;
using import::Lines;

// Value slots filled per row: time, acc xyz, gyr xyz, mag xyz.
enum Slot { kTime = 0, kAcc0 = 1, kGyr0 = 4, kMag0 = 7, kSlots = 10 };

bool blank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

std::string_view trim_cell(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

// Parses one numeric cell or throws "<file>:<line>: column '<name>': ...".
double parse_number(std::string_view cell, const std::string& column, const std::string& file,
                    std::size_t line) {
  std::string_view s = trim_cell(cell);
  const auto at = [&] { return file + ":" + std::to_string(line); };
  if (s.empty()) fail_at(at(), "column '" + column + "' is empty");
  const char* first = s.data();
  if (*first == '+') ++first;
  double value = 0.0;
  const auto [ptr, ec] = std::from_chars(first, s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size())
    fail_at(at(), "column '" + column + "': '" + std::string(s) + "' is not a number");
  if (!std::isfinite(value))
    fail_at(at(), "column '" + column + "' is " + (std::isnan(value) ? "NaN" : "infinite"));
  return value;
}

std::vector<Vec3> gather(const std::array<std::vector<double>, kSlots>& v, int first,
                         double scale) {
  const std::size_t n = v[first].size();
  std::vector<Vec3> out(n);
  for (std::size_t i = 0; i < n; ++i)
    out[i] = scale * Vec3(v[first][i], v[first + 1][i], v[first + 2][i]);
  return out;
}

}  // namespace

Recording parse_csv(std::string_view text, const std::string& name, const CsvOptions& options) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 byte order mark
  Lines lines(text);
  std::string_view line;
  bool have_header = false;
  while (lines.next(line)) {
    if (blank(line) || line.front() == '#') continue;
    have_header = true;
    break;
  }
  if (!have_header) fail_at(name, text.empty() ? "empty file" : "no header row");
  const ColumnMap map =
      csv::map_columns(line, options, name + ":" + std::to_string(lines.number()));
  const std::size_t columns = map.names.size();

  // Which slot each column feeds (-1: ignored).
  std::vector<int> slot_of(columns, -1);
  if (map.time != kNone) slot_of[map.time] = kTime;
  for (int a = 0; a < 3; ++a) {
    slot_of[map.acc[a]] = kAcc0 + a;
    if (map.has_gyr()) slot_of[map.gyr[a]] = kGyr0 + a;
    if (map.has_mag()) slot_of[map.mag[a]] = kMag0 + a;
  }
  std::array<std::vector<double>, kSlots> values;
  const std::size_t estimate = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  for (std::size_t c = 0; c < columns; ++c)
    if (slot_of[c] >= 0) values[slot_of[c]].reserve(estimate);

  double first_unix_ts = std::nan("");
  while (lines.next(line)) {
    if (blank(line)) continue;
    const std::size_t cells =
        static_cast<std::size_t>(std::count(line.begin(), line.end(), ',')) + 1;
    if (cells != columns) {
      fail_at(name + ":" + std::to_string(lines.number()), "expected " + std::to_string(columns) +
                                                               " columns (as in the header), got " +
                                                               std::to_string(cells));
    }
    std::size_t begin = 0;
    for (std::size_t c = 0; c < columns; ++c) {
      std::size_t end = line.find(',', begin);
      if (end == std::string_view::npos) end = line.size();
      const std::string_view cell = line.substr(begin, end - begin);
      begin = end + 1;
      const int slot = slot_of[c];
      if (slot < 0) {
        if (static_cast<int>(c) == map.unix_ts && std::isnan(first_unix_ts)) {
          double v = 0.0;
          const auto s = trim_cell(cell);
          std::from_chars(s.data(), s.data() + s.size(), v);
          first_unix_ts = v;
        }
        continue;
      }
      const double v = parse_number(cell, map.names[c], name, lines.number());
      if (slot == kTime && !values[kTime].empty() && !(v > values[kTime].back()))
        fail_at(name + ":" + std::to_string(lines.number()),
                v == values[kTime].back()
                    ? "time " + std::to_string(v) + " s repeats the previous row"
                    : "time goes backwards (" + std::to_string(values[kTime].back()) + " s then " +
                          std::to_string(v) + " s)");
      values[slot].push_back(v);
    }
  }
  const std::size_t n = values[kAcc0].size();
  if (n == 0) fail_at(name, "no data rows (header only)");

  Recording rec;
  rec.source = name;
  SensorData d;
  d.info.name = options.sensor_name;
  d.info.placement = options.placement;
  d.info.has_gyr = map.has_gyr();
  d.info.has_mag = map.has_mag();
  std::vector<double>& t = values[kTime];
  if (options.rate_hz > 0.0) {
    t.resize(n);
    for (std::size_t i = 0; i < n; ++i) t[i] = static_cast<double>(i) / options.rate_hz;
    d.info.nominal_rate_hz = options.rate_hz;
  } else {
    if (t.front() > 1e8) {  // seconds since 1970: keep the wall clock as metadata, start at 0
      rec.start_time_iso = iso_utc(t.front());
      const double t0 = t.front();
      for (double& x : t) x -= t0;
    } else if (!std::isnan(first_unix_ts) && first_unix_ts > 1e8) {
      rec.start_time_iso = iso_utc(first_unix_ts - t.front());
    }
    d.info.nominal_rate_hz = find_gaps(t, d.gaps);
  }
  d.acc = gather(values, kAcc0, map.acc_unit.to_si);
  if (d.info.has_gyr) d.gyr = gather(values, kGyr0, map.gyr_unit.to_si);
  if (d.info.has_mag) d.mag = gather(values, kMag0, map.mag_unit.to_si);
  if (!options.skip_unit_check) csv::check_units(map, d, name);
  d.time_s = std::move(t);
  d.device_time_s = d.time_s;
  std::string units = "acc " + map.acc_unit.name + " (" + map.acc_unit.origin + ")";
  if (d.info.has_gyr) units += "; gyr " + map.gyr_unit.name + " (" + map.gyr_unit.origin + ")";
  rec.attributes["csv_units"] = units;
  rec.sensors.push_back(std::move(d));
  return rec;
}

Recording read_csv(const std::filesystem::path& path, const CsvOptions& options) {
  return parse_csv(import::read_file(path), path.string(), options);
}

}  // namespace stridelab::storage
