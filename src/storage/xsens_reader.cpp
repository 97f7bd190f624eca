// Xsens text exports. Units are fixed by the Xsens column names (Xsens MT Manager and DOT
// documentation): Acc_* m/s^2 in both; Gyr_* rad/s in MT Manager, deg/s in the DOT app;
// SampleTimeFine counts 100 us in MT Manager (MTi/MTw) and 1 us in the DOT app, both uint32;
// PacketCounter is uint16. Mag_* is in arbitrary units (normalised to the field at
// calibration), so it is not read as uT.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <numbers>
#include <regex>

#include "storage/foreign_formats.hpp"
#include "storage/import_util.hpp"
#include "stridelab/core/error.hpp"

namespace stridelab::storage::foreign {
namespace {

constexpr double kDegToRad = std::numbers::pi / 180.0;

std::string_view skip_bom(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text;
}

// Columns of an Xsens table by name (exact, case-sensitive as Xsens writes them).
struct Columns {
  std::vector<std::string> names;
  int find(const std::string& n) const {
    const auto it = std::find(names.begin(), names.end(), n);
    return it == names.end() ? -1 : static_cast<int>(it - names.begin());
  }
  std::array<int, 3> axes(const std::string& prefix) const {
    return {find(prefix + "X"), find(prefix + "Y"), find(prefix + "Z")};
  }
  std::string list() const {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + import::printable(n);
    return out.size() > 240 ? out.substr(0, 240) + "..." : out;
  }
};

bool complete(const std::array<int, 3>& a) {
  return a[0] >= 0 && a[1] >= 0 && a[2] >= 0;
}

// The numbers of one table, read row by row with the line named in every error.
struct Table {
  std::vector<std::uint64_t> counter;   // PacketCounter (empty if absent)
  std::vector<std::uint64_t> fine;      // SampleTimeFine (empty if absent or blank)
  std::vector<Vec3> acc, gyr, vel_inc;  // as written (no unit conversion yet)
};

Table read_rows(import::Lines& lines, char sep, const Columns& cols, const std::string& where) {
  const int counter = cols.find("PacketCounter");
  const int fine = cols.find("SampleTimeFine");
  const auto acc = cols.axes("Acc_"), gyr = cols.axes("Gyr_"), vel = cols.axes("VelInc_");
  const bool has_gyr = complete(gyr), has_vel = complete(vel);
  Table t;
  bool fine_blank = false;
  std::vector<std::string_view> cells;
  std::string_view line;
  while (lines.next(line)) {
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const std::string at = where + ":" + std::to_string(lines.number());
    import::split(line, sep, cells);
    if (cells.size() < cols.names.size())
      fail_at(at, "expected " + std::to_string(cols.names.size()) +
                      " columns (as in the header), got " + std::to_string(cells.size()));
    auto number = [&](int c) {
      double v = 0.0;
      if (!import::to_double(cells[static_cast<std::size_t>(c)], v))
        fail_at(at, "column '" + cols.names[static_cast<std::size_t>(c)] + "': '" +
                        import::printable(cells[static_cast<std::size_t>(c)]) +
                        "' is not a number");
      return v;
    };
    auto vec = [&](const std::array<int, 3>& a) {
      return Vec3(number(a[0]), number(a[1]), number(a[2]));
    };
    auto whole = [&](int c, double limit) {
      const double v = number(c);
      if (v < 0 || v >= limit || v != std::floor(v))
        fail_at(at, "column '" + cols.names[static_cast<std::size_t>(c)] +
                        "': " + import::printable(cells[static_cast<std::size_t>(c)]) +
                        " is not a counter value");
      return static_cast<std::uint64_t>(v);
    };
    if (counter >= 0) t.counter.push_back(whole(counter, 65536.0));
    if (fine >= 0) {
      if (t.acc.empty()) fine_blank = import::trim(cells[static_cast<std::size_t>(fine)]).empty();
      if (!fine_blank) t.fine.push_back(whole(fine, 4294967296.0));
    }
    t.acc.push_back(vec(acc));
    if (has_gyr) t.gyr.push_back(vec(gyr));
    if (has_vel) t.vel_inc.push_back(vec(vel));
  }
  if (t.acc.empty()) fail_at(where, "no data rows after the header");
  return t;
}

// Unwraps a counter of `period` ticks into a monotonic count from the first value.
std::vector<double> unwrap(const std::vector<std::uint64_t>& raw, double period) {
  std::vector<double> out(raw.size());
  double wraps = 0.0;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (i > 0 && raw[i] < raw[i - 1]) wraps += period;
    out[i] = static_cast<double>(raw[i]) + wraps - static_cast<double>(raw[0]);
  }
  return out;
}

// Velocity increments are the integral of acceleration over one sample period, so
// |VelInc| / |Acc| is the period: a least-squares fit over all samples, snapped to a whole Hz.
double rate_from_velocity_increments(const Table& t) {
  double num = 0.0, den = 0.0;
  for (std::size_t i = 0; i < t.vel_inc.size(); ++i) {
    num += t.vel_inc[i].dot(t.acc[i]);
    den += t.acc[i].squaredNorm();
  }
  if (!(num > 0.0) || !(den > 0.0)) return 0.0;
  const double rate = den / num;
  const double whole = std::round(rate);
  return std::abs(rate - whole) <= 0.01 * whole ? whole : std::round(rate * 100.0) / 100.0;
}

void convert_units(SensorData& d, const CsvOptions& o, double gyr_default_to_si,
                   const std::string& gyr_default_name, const std::string& where,
                   const std::string& format, Recording& rec) {
  double acc_to_si = 1.0, gyr_to_si = gyr_default_to_si;
  std::string acc_name = "m/s^2", gyr_name = gyr_default_name;
  std::string origin = format + " column names";
  if (o.acc_unit == AccUnit::kG) {
    acc_to_si = kGravity;
    acc_name = "g";
  }
  if (o.gyr_unit != GyrUnit::kAuto) {
    gyr_to_si = o.gyr_unit == GyrUnit::kDps ? kDegToRad : 1.0;
    gyr_name = o.gyr_unit == GyrUnit::kDps ? "deg/s" : "rad/s";
  }
  if (o.acc_unit != AccUnit::kAuto || o.gyr_unit != GyrUnit::kAuto) origin = "option";
  for (Vec3& a : d.acc) a *= acc_to_si;
  for (Vec3& g : d.gyr) g *= gyr_to_si;
  if (!o.skip_unit_check)
    import::check_units(d, acc_name, acc_to_si, gyr_name, gyr_to_si, origin, where);
  rec.attributes["csv_units"] = "acc " + acc_name + "; gyr " + gyr_name + " (" + origin + ")";
}

// Both exports need the acceleration columns; the message says where to tick them.
void require_acceleration(const Columns& cols, const std::string& at, const std::string& format,
                          const char* app) {
  if (!complete(cols.axes("Acc_")))
    fail_at(at, format + ": missing Acc_X, Acc_Y, Acc_Z columns (export \"Acceleration\" in " +
                    app + "); found: " + cols.list());
}

using Meta = std::map<std::string, std::string>;
struct Header {
  Meta meta;
  Columns cols;           // empty when no header line was found
  std::string header_at;  // "file:line" of the header (or of the last line read)
};

// The metadata lines before an export's column header (parse_meta reads each) and the header
// itself (the first line is_header accepts, split at sep); at most max_lines lines (0 = all).
template <class IsHeader, class ParseMeta>
Header read_header(import::Lines& lines, char sep, const std::string& name, int max_lines,
                   IsHeader is_header, ParseMeta parse_meta) {
  Header h;
  std::string_view line;
  while (lines.next(line)) {
    if (is_header(line)) {
      std::vector<std::string_view> cells;
      import::split(line, sep, cells);
      for (auto c : cells) h.cols.names.emplace_back(c);
      break;
    }
    parse_meta(line, h.meta);
    if (max_lines > 0 && lines.number() > static_cast<std::size_t>(max_lines)) break;
  }
  h.header_at = name + ":" + std::to_string(lines.number());
  return h;
}

}  // namespace

bool looks_like_xsens_mt(std::string_view head) {
  head = skip_bom(head);
  import::Lines lines(head);
  std::string_view line;
  bool comment = false;
  while (lines.next(line)) {
    if (line.starts_with("//")) {
      comment = true;
      continue;
    }
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    return line.find('\t') != std::string_view::npos &&
           (line.find("Acc_X") != std::string_view::npos ||
            (comment && line.find("PacketCounter") != std::string_view::npos));
  }
  return false;
}

bool looks_like_xsens_dot(std::string_view head) {
  head = skip_bom(head);
  if (head.starts_with("sep=,")) return true;
  import::Lines lines(head);
  std::string_view line;
  for (int k = 0; k < 12 && lines.next(line); ++k)
    if (line.starts_with("PacketCounter,") && line.find("SampleTimeFine") != std::string_view::npos)
      return true;
  return false;
}

Recording parse_xsens_mt(std::string_view text, const std::string& name, const CsvOptions& o) {
  const std::string format = "Xsens MT Manager";
  const std::string where = name + ": " + format;
  import::Lines lines(skip_bom(text));
  // "// Key: value" lines, then the tab-separated column header.
  auto [meta, cols, header_at] = read_header(
      lines, '\t', name, 0,
      [](std::string_view line) {
        return !line.starts_with("//") && line.find_first_not_of(" \t") != std::string_view::npos;
      },
      [](std::string_view line, Meta& into) {
        const auto colon = line.find(':');
        if (line.starts_with("//") && colon != std::string_view::npos)
          into[std::string(import::trim(line.substr(2, colon - 2)))] =
              std::string(import::trim(line.substr(colon + 1)));
      });
  if (cols.names.empty()) fail_at(where, "no column header after the \"//\" lines");
  require_acceleration(cols, header_at, format, "MT Manager");
  const Table t = read_rows(lines, '\t', cols, name);

  Recording rec;
  rec.source = name;
  SensorData d;
  d.info.name = o.sensor_name;
  d.info.placement = o.placement;
  d.info.has_gyr = !t.gyr.empty();
  d.info.device_id = meta.count("DeviceId") ? meta["DeviceId"] : "";
  d.info.device_model = "Xsens " + (meta.count("ProductCode") ? meta["ProductCode"] : "MT");
  d.info.firmware = meta.count("Firmware Version") ? meta["Firmware Version"] : "";
  d.acc = t.acc;
  d.gyr = t.gyr;

  // Time: SampleTimeFine (100 us ticks) when written; otherwise PacketCounter / rate, with the
  // rate from --rate, from the header, or from the velocity increments.
  double rate = o.rate_hz;
  std::string rate_origin = "option";
  for (const char* key : {"Update Rate", "Output Rate", "Sample Rate", "Sampling Rate"})
    if (rate <= 0.0 && meta.count(key)) {
      double v = 0.0;
      std::string s = meta[key];
      s = s.substr(0, s.find_first_not_of("0123456789."));
      if (import::to_double(s, v) && v > 0.0) {
        rate = v;
        rate_origin = std::string("header '") + key + "'";
      }
    }
  std::vector<double> time;
  std::string time_origin;
  if (o.rate_hz <= 0.0 && !t.fine.empty()) {
    time = unwrap(t.fine, 4294967296.0);
    for (double& x : time) x *= 1e-4;
    time_origin = "SampleTimeFine (100 us ticks)";
    rate = import::find_gaps(time, d.gaps, "time");
  } else {
    if (rate <= 0.0 && !t.vel_inc.empty()) {
      rate = rate_from_velocity_increments(t);
      rate_origin = "VelInc / Acc (the file has no time)";
    }
    if (!(rate > 0.0))
      fail_at(where,
              "the file holds no time (SampleTimeFine is empty) and no VelInc_* columns to "
              "derive the sample rate from; give the rate (--rate HZ)");
    if (!t.counter.empty()) {
      time = unwrap(t.counter, 65536.0);
      time_origin = "PacketCounter";
    } else {
      time.resize(t.acc.size());
      for (std::size_t i = 0; i < time.size(); ++i) time[i] = static_cast<double>(i);
      time_origin = "row number";
    }
    for (double& x : time) x /= rate;
    import::find_gaps(time, d.gaps, "sequence");
    char buf[64];
    std::snprintf(buf, sizeof buf, " / %g Hz from ", rate);
    time_origin += buf + rate_origin;
  }
  for (std::size_t i = 1; i < time.size(); ++i)
    if (!(time[i] > time[i - 1]))
      fail_at(name + ":" + std::to_string(lines.number()),
              format + ": time does not increase at data row " + std::to_string(i + 1) + " (" +
                  time_origin + ")");
  d.info.nominal_rate_hz = rate;
  d.time_s = std::move(time);
  d.device_time_s = d.time_s;
  convert_units(d, o, 1.0, "rad/s", name, format, rec);
  rec.attributes["import_format"] = "Xsens MT Manager text export";
  rec.attributes["xsens_time"] = time_origin;
  if (complete(cols.axes("Mag_")))
    rec.attributes["xsens_mag"] = "Mag_* not read (arbitrary units, not uT)";
  rec.sensors.push_back(std::move(d));
  return rec;
}

namespace {

// "2021-08-30_17:05:05_000 GMT+8" (local time and its offset) as seconds since 1970 (UTC).
bool parse_dot_start(const std::string& s, double& unix_s) {
  static const std::regex re(
      R"((\d{4})-(\d{2})-(\d{2})[_ T](\d{2}):(\d{2}):(\d{2})(?:[_.](\d{1,3}))?\s*(?:GMT|UTC)?\s*(?:([+-])(\d{1,2})(?::?(\d{2}))?)?)");
  std::smatch m;
  if (!std::regex_search(s, m, re)) return false;
  auto n = [&](int i) { return m[i].matched ? std::stoi(m[i].str()) : 0; };
  unix_s = import::unix_seconds(n(1), n(2), n(3), n(4), n(5), n(6)) + n(7) / 1000.0;
  if (m[8].matched) unix_s -= (m[8].str() == "-" ? -1 : 1) * (n(9) * 3600.0 + n(10) * 60.0);
  return true;
}

}  // namespace

Recording parse_xsens_dot(std::string_view text, const std::string& name, const CsvOptions& o) {
  const std::string format = "Xsens DOT";
  const std::string where = name + ": " + format;
  import::Lines lines(skip_bom(text));
  // "Key:,value" lines, then the comma-separated column header within the first 50 lines.
  auto [meta, cols, header_at] = read_header(
      lines, ',', name, 50,
      [](std::string_view line) {
        return line.starts_with("PacketCounter") || line.find("Acc_X") != std::string_view::npos;
      },
      [](std::string_view line, Meta& into) {
        const auto comma = line.find(',');
        if (comma == std::string_view::npos) return;
        std::string key(import::trim(line.substr(0, comma)));
        if (!key.empty() && key.back() == ':') key.pop_back();
        into[std::string(import::trim(key))] = std::string(import::trim(line.substr(comma + 1)));
      });
  if (cols.names.empty())
    fail_at(where, "no column header (a line starting \"PacketCounter,\") in the first 50 lines");
  require_acceleration(cols, header_at, format, "the DOT app");
  if (cols.find("SampleTimeFine") < 0 && o.rate_hz <= 0.0)
    fail_at(header_at, format + ": missing the SampleTimeFine column (or give --rate HZ); found: " +
                           cols.list());
  Table t = read_rows(lines, ',', cols, name);
  if (t.fine.empty() && o.rate_hz <= 0.0)
    fail_at(header_at, format + ": SampleTimeFine is empty (give --rate HZ)");

  std::vector<double> time;
  if (o.rate_hz > 0.0) {
    time = t.counter.empty() ? std::vector<double>(t.acc.size()) : unwrap(t.counter, 65536.0);
    for (std::size_t i = 0; i < time.size(); ++i)
      time[i] = (t.counter.empty() ? static_cast<double>(i) : time[i]) / o.rate_hz;
  } else {
    time = unwrap(t.fine, 4294967296.0);
    for (double& x : time) x *= 1e-6;
  }
  // The app writes the first row(s) as zeros before the sensor delivers: not a measurement.
  std::size_t first = 0;
  while (first < t.acc.size() && t.acc[first].isZero(0.0) &&
         (t.gyr.empty() || t.gyr[first].isZero(0.0)))
    ++first;
  if (first == t.acc.size()) fail_at(where, "every data row is all zeros");

  Recording rec;
  rec.source = name;
  SensorData d;
  d.info.name = o.sensor_name;
  d.info.placement = o.placement;
  d.info.has_gyr = !t.gyr.empty();
  d.info.device_model = "Xsens DOT";
  d.info.firmware = meta.count("FirmwareVersion") ? meta["FirmwareVersion"] : "";
  // The app names its files <tag>_<MAC>_<date>_<time>.csv: the address identifies the sensor.
  static const std::regex mac(R"(_([0-9A-Fa-f]{12})_)");
  std::smatch m;
  const std::string file = std::filesystem::path(name).filename().string();
  if (std::regex_search(file, m, mac)) {
    const std::string hex = m[1].str();
    for (std::size_t i = 0; i < 12; i += 2) d.info.device_id += (i ? ":" : "") + hex.substr(i, 2);
  }
  if (meta.count("DeviceTag")) rec.attributes["xsens_device_tag"] = meta["DeviceTag"];
  d.acc.assign(t.acc.begin() + static_cast<std::ptrdiff_t>(first), t.acc.end());
  if (d.info.has_gyr) d.gyr.assign(t.gyr.begin() + static_cast<std::ptrdiff_t>(first), t.gyr.end());
  d.time_s.assign(time.begin() + static_cast<std::ptrdiff_t>(first), time.end());
  for (std::size_t i = 1; i < d.time_s.size(); ++i)
    if (!(d.time_s[i] > d.time_s[i - 1]))
      fail_at(where, "time does not increase at data row " + std::to_string(first + i + 1));
  d.info.nominal_rate_hz =
      o.rate_hz > 0.0 ? o.rate_hz : import::find_gaps(d.time_s, d.gaps, "time");
  if (o.rate_hz > 0.0) import::find_gaps(d.time_s, d.gaps, "sequence");
  d.device_time_s = d.time_s;
  double start = 0.0;
  if (meta.count("StartTime") && parse_dot_start(meta["StartTime"], start))
    rec.start_time_iso = import::iso_utc(start);  // the app's start time: time 0 = first row
  convert_units(d, o, kDegToRad, "deg/s", name, format, rec);
  rec.attributes["import_format"] = "Xsens DOT CSV export";
  if (first > 0)
    rec.attributes["import_warnings"] = "Xsens DOT: the first " + std::to_string(first) +
                                        " data row" + (first == 1 ? "" : "s") +
                                        " (all zeros, written before the sensor delivered) skipped";
  rec.sensors.push_back(std::move(d));
  return rec;
}

}  // namespace stridelab::storage::foreign
