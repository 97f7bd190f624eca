#include "storage/csv_columns.hpp"

#include <algorithm>
#include <cctype>
#include <numbers>
#include <optional>

#include "storage/import_util.hpp"
#include "stridelab/core/error.hpp"

namespace stridelab::storage::csv {

namespace {

constexpr std::array<const char*, 5> kTimeNames = {"time", "time_s", "t_s", "t", "timestamp"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

struct Channel {
  const char* kind;                   // "acc", "gyr", "mag"
  std::vector<const char*> prefixes;  // accepted spellings of the channel
};

// One sensor channel's suffix table: suffix -> unit name and factor to SI.
struct SuffixUnit {
  const char* suffix;
  const char* unit;
  double to_si;
};
constexpr double kDegToRad = std::numbers::pi / 180.0;
const std::vector<SuffixUnit> kAccSuffixes = {
    {"_g", "g", kGravity}, {"_ms2", "m/s^2", 1.0}, {"_mps2", "m/s^2", 1.0}};
const std::vector<SuffixUnit> kGyrSuffixes = {
    {"_dps", "deg/s", kDegToRad}, {"_degs", "deg/s", kDegToRad}, {"_rads", "rad/s", 1.0}};
const std::vector<SuffixUnit> kMagSuffixes = {{"_ut", "uT", 1.0}};

std::string suffix_list(const std::vector<SuffixUnit>& table) {
  std::string out;
  for (const auto& s : table) {
    if (!out.empty()) out += ", ";
    out += s.suffix;
  }
  return out;
}

// Matches "<prefix>_<axis><suffix>" where suffix is "" or starts with '_'.
std::optional<std::pair<int, std::string>> match_axis(const std::string& name,
                                                      const Channel& channel) {
  for (const char* prefix : channel.prefixes) {
    const std::string p = std::string(prefix) + "_";
    if (name.size() < p.size() + 1 || name.compare(0, p.size(), p) != 0) continue;
    const char axis = name[p.size()];
    if (axis < 'x' || axis > 'z') continue;
    std::string suffix = name.substr(p.size() + 1);
    if (!suffix.empty() && suffix[0] != '_') continue;
    return std::pair{axis - 'x', suffix};
  }
  return std::nullopt;
}

struct ChannelColumns {
  std::array<int, 3> index{kNone, kNone, kNone};
  std::array<std::string, 3> suffix;
};

ChannelColumns find_channel(const std::vector<std::string>& lowered, const Channel& channel,
                            const std::vector<SuffixUnit>& suffixes, const std::string& where) {
  ChannelColumns found;
  for (std::size_t c = 0; c < lowered.size(); ++c) {
    const auto m = match_axis(lowered[c], channel);
    if (!m) continue;
    const auto [axis, suffix] = *m;
    const bool known = suffix.empty() || std::any_of(suffixes.begin(), suffixes.end(),
                                                     [&](auto& s) { return suffix == s.suffix; });
    if (!known)
      fail_at(where, "column '" + lowered[c] + "': unknown unit suffix '" + suffix +
                         "' (known for " + channel.kind + ": " + suffix_list(suffixes) +
                         ", or none for SI)");
    if (found.index[axis] != kNone)
      fail_at(where, "two columns for " + std::string(channel.kind) + "_" +
                         static_cast<char>('x' + axis) + ": '" + lowered[found.index[axis]] +
                         "' and '" + lowered[c] + "'");
    found.index[axis] = static_cast<int>(c);
    found.suffix[axis] = suffix;
  }
  const int present = static_cast<int>(
      std::count_if(found.index.begin(), found.index.end(), [](int i) { return i != kNone; }));
  if (present != 0 && present != 3)
    fail_at(where, std::string("found only ") + std::to_string(present) + " of the 3 " +
                       channel.kind + " columns (need " + channel.kind + "_x, _y and _z)");
  if (present == 3 && (found.suffix[0] != found.suffix[1] || found.suffix[0] != found.suffix[2]))
    fail_at(where, std::string("the ") + channel.kind +
                       " columns use different units: " + lowered[found.index[0]] + ", " +
                       lowered[found.index[1]] + ", " + lowered[found.index[2]]);
  return found;
}

ResolvedUnit unit_from_suffix(const std::string& suffix, const std::vector<SuffixUnit>& table,
                              const char* si_name) {
  for (const auto& s : table)
    if (suffix == s.suffix) return {s.to_si, s.unit, "column suffix " + suffix, false};
  return {1.0, si_name, "default (no unit suffix)", false};
}

// The header as it can be shown in a one-line error: control and non-ASCII bytes escaped
// (a binary file must not garble the terminal), long headers cut.
std::string join_names(const std::vector<std::string>& names) {
  constexpr std::size_t kMaxShown = 200;
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += ", ";
    out += import::printable(n, n.size());
    if (out.size() > kMaxShown) return out.substr(0, kMaxShown) + "...";
  }
  return out.empty() ? "(none)" : out;
}

}  // namespace

void split_cells(std::string_view line, std::vector<std::string_view>& cells) {
  cells.clear();
  std::size_t begin = 0;
  while (true) {
    const std::size_t comma = line.find(',', begin);
    const std::size_t end = comma == std::string_view::npos ? line.size() : comma;
    cells.push_back(trim(line.substr(begin, end - begin)));
    if (comma == std::string_view::npos) break;
    begin = comma + 1;
  }
}

ColumnMap map_columns(std::string_view header, const CsvOptions& options,
                      const std::string& where) {
  ColumnMap map;
  std::vector<std::string_view> cells;
  split_cells(header, cells);
  std::vector<std::string> lowered;
  for (auto c : cells) {
    map.names.emplace_back(c);
    lowered.push_back(lower(c));
  }
  const std::string expected =
      "expected a time column (time, time_s, t_s, t, timestamp, or --rate) and acc_x, acc_y, "
      "acc_z (unit suffix _g or _ms2 allowed), optionally gyr_x..z (_dps, _rads) and "
      "mag_x..z (_ut); found: " +
      join_names(map.names);

  auto find_name = [&](const std::string& name) {
    auto it = std::find(lowered.begin(), lowered.end(), lower(name));
    return it == lowered.end() ? kNone : static_cast<int>(it - lowered.begin());
  };
  if (options.rate_hz <= 0.0) {
    if (!options.time_column.empty()) {
      map.time = find_name(options.time_column);
      if (map.time == kNone)
        fail_at(where, "no column named '" + options.time_column +
                           "' (time column option); found: " + join_names(map.names));
    } else {
      for (const char* name : kTimeNames)
        if ((map.time = find_name(name)) != kNone) break;
      if (map.time == kNone) fail_at(where, "missing time column; " + expected);
    }
  }
  map.unix_ts = find_name("unix_ts");

  const ChannelColumns acc = find_channel(lowered, {"acc", {"acc", "accel"}}, kAccSuffixes, where);
  const ChannelColumns gyr = find_channel(lowered, {"gyr", {"gyr", "gyro"}}, kGyrSuffixes, where);
  const ChannelColumns mag = find_channel(lowered, {"mag", {"mag"}}, kMagSuffixes, where);
  if (acc.index[0] == kNone) fail_at(where, "missing accelerometer columns; " + expected);
  map.acc = acc.index;
  map.gyr = gyr.index;
  map.mag = mag.index;

  map.acc_unit = unit_from_suffix(acc.suffix[0], kAccSuffixes, "m/s^2");
  if (options.acc_unit != AccUnit::kAuto) {
    const bool g = options.acc_unit == AccUnit::kG;
    map.acc_unit = {g ? kGravity : 1.0, g ? "g" : "m/s^2", "option", true};
  }
  map.gyr_unit = unit_from_suffix(gyr.suffix[0], kGyrSuffixes, "rad/s");
  if (options.gyr_unit != GyrUnit::kAuto) {
    const bool dps = options.gyr_unit == GyrUnit::kDps;
    map.gyr_unit = {dps ? kDegToRad : 1.0, dps ? "deg/s" : "rad/s", "option", true};
  }
  map.mag_unit = unit_from_suffix(mag.suffix[0], kMagSuffixes, "uT");
  return map;
}

}  // namespace stridelab::storage::csv
