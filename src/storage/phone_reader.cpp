// Phone-app exports: Sensor Logger (awesome-sensor-logger UNITS.md / CROSSPLATFORM.md: `time`
// in ns since 1970; Accelerometer.csv without gravity, Gravity.csv beside it, both m/s^2;
// TotalAcceleration.csv with gravity on Android; Gyroscope.csv rad/s; iOS without "Standardise
// Units & Frames" has acceleration and gravity negated) and phyphox (captions carry the unit in
// parentheses, the words vary by version and language, so columns are matched by unit).
//
// Phones sample each sensor on its own clock ticks, so the streams are merged onto the
// gyroscope's timestamps: acceleration is linearly interpolated between the two accelerometer
// samples around each gyroscope sample. Where the accelerometer has no sample within 2.5 of its
// median periods on either side, the gyroscope sample is dropped, so the hole stays a gap.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>

#include "storage/foreign_formats.hpp"
#include "storage/import_util.hpp"
#include "stridelab/core/error.hpp"

namespace stridelab::storage::foreign {
namespace {

// One sensor stream: times (s after a common origin) and values as written.
struct Series {
  std::vector<double> t;
  std::vector<Vec3> v;
  std::size_t dropped = 0;  // rows whose time did not increase
};

const std::string* find_file(const FileSet& files, const std::string& name) {
  for (const auto& [key, text] : files)
    if (import::lower(key) == import::lower(name)) return &text;
  return nullptr;
}

double median_period(const std::vector<double>& t) {
  if (t.size() < 2) return 0.0;
  std::vector<double> dt(t.size() - 1);
  for (std::size_t i = 1; i < t.size(); ++i) dt[i - 1] = t[i] - t[i - 1];
  std::nth_element(dt.begin(), dt.begin() + dt.size() / 2, dt.end());
  return dt[dt.size() / 2];
}

// Value of `s` at time x by linear interpolation, or nothing if x lies outside it or between
// two samples further apart than `max_step`.
class Interpolator {
 public:
  Interpolator(const Series& s, double max_step) : s_(s), max_step_(max_step) {}
  std::optional<Vec3> at(double x) {
    const auto& t = s_.t;
    if (t.empty() || x < t.front() || x > t.back()) return std::nullopt;
    while (k_ + 1 < t.size() && t[k_ + 1] < x) ++k_;
    if (t[k_] == x) return s_.v[k_];
    if (k_ + 1 >= t.size()) return std::nullopt;
    const double step = t[k_ + 1] - t[k_];
    if (step > max_step_) return std::nullopt;
    const double w = (x - t[k_]) / step;
    return (1.0 - w) * s_.v[k_] + w * s_.v[k_ + 1];
  }

 private:
  const Series& s_;
  double max_step_;
  std::size_t k_ = 0;
};

// Keeps rows in time order: a row whose time does not increase is dropped (phones repeat a
// buffered sample now and then) and counted.
void push(Series& s, double t, const Vec3& v) {
  if (!s.t.empty() && !(t > s.t.back())) {
    ++s.dropped;
    return;
  }
  s.t.push_back(t);
  s.v.push_back(v);
}

// The merged sensor on the gyroscope's time base (see the file comment).
SensorData merge(const Series& acc, const Series& gyr, const std::string& where,
                 std::string& note) {
  const double acc_period = median_period(acc.t);
  Interpolator ia(acc, 2.5 * acc_period);
  SensorData d;
  std::size_t outside = 0;
  for (std::size_t i = 0; i < gyr.t.size(); ++i) {
    const auto a = ia.at(gyr.t[i]);
    if (!a) {
      ++outside;
      continue;
    }
    d.time_s.push_back(gyr.t[i]);
    d.gyr.push_back(gyr.v[i]);
    d.acc.push_back(*a);
  }
  if (d.size() < 2)
    fail_at(where, "the accelerometer and gyroscope recordings do not overlap in time");
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "acceleration (%zu samples, median period %.2f ms) linearly interpolated onto "
                "the gyroscope's %zu timestamps; %zu gyroscope samples without an "
                "accelerometer sample around them dropped; %zu repeated timestamps dropped",
                acc.t.size(), acc_period * 1e3, gyr.t.size(), outside, acc.dropped + gyr.dropped);
  note = buf;
  return d;
}

void finish(SensorData& d, Recording& rec, const CsvOptions& o, const std::string& where,
            const std::string& origin) {
  d.info.name = o.sensor_name;
  d.info.placement = o.placement;
  d.info.has_gyr = true;
  const double t0 = d.time_s.front();
  for (double& t : d.time_s) t -= t0;
  d.device_time_s = d.time_s;
  d.info.nominal_rate_hz = import::find_gaps(d.time_s, d.gaps, "import");
  if (!o.skip_unit_check) import::check_units(d, "m/s^2", 1.0, "rad/s", 1.0, origin, where);
  rec.attributes["csv_units"] = "acc m/s^2; gyr rad/s (" + origin + ")";
}

// ---- Sensor Logger --------------------------------------------------------------------------

struct SlTable {
  std::vector<std::int64_t> ns;
  std::vector<Vec3> v;
};

SlTable read_sensor_logger_csv(const std::string& text, const std::string& where) {
  import::Lines lines(text);
  std::string_view line;
  std::vector<std::string_view> cells;
  if (!lines.next(line)) fail_at(where, "empty file");
  import::split(line, ',', cells);
  int time = -1;
  std::array<int, 3> axis{-1, -1, -1};
  for (std::size_t c = 0; c < cells.size(); ++c) {
    const std::string n = import::lower(cells[c]);
    if (n == "time") time = static_cast<int>(c);
    if (n.size() == 1 && n[0] >= 'x' && n[0] <= 'z') axis[n[0] - 'x'] = static_cast<int>(c);
  }
  if (time < 0 || axis[0] < 0 || axis[1] < 0 || axis[2] < 0)
    fail_at(where + ":1", "Sensor Logger: expected the columns time, x, y, z; found '" +
                              import::printable(line, 120) + "'");
  const std::size_t columns = cells.size();
  SlTable out;
  while (lines.next(line)) {
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    const std::string at = where + ":" + std::to_string(lines.number());
    import::split(line, ',', cells);
    if (cells.size() != columns)
      fail_at(at, "Sensor Logger: expected " + std::to_string(columns) + " columns, got " +
                      std::to_string(cells.size()));
    const std::string_view tc = cells[static_cast<std::size_t>(time)];
    std::int64_t ns = 0;
    const auto [ptr, ec] = std::from_chars(tc.data(), tc.data() + tc.size(), ns);
    if (ec != std::errc() || ptr != tc.data() + tc.size())
      fail_at(at, "Sensor Logger: time '" + import::printable(tc) + "' is not whole nanoseconds");
    Vec3 v;
    for (int a = 0; a < 3; ++a)
      if (!import::to_double(cells[static_cast<std::size_t>(axis[a])], v[a]))
        fail_at(at, std::string("Sensor Logger: ") + static_cast<char>('x' + a) + " '" +
                        import::printable(cells[static_cast<std::size_t>(axis[a])]) +
                        "' is not a number");
    out.ns.push_back(ns);
    out.v.push_back(v);
  }
  if (out.ns.empty()) fail_at(where, "Sensor Logger: no data rows");
  return out;
}

Series to_series(const SlTable& t, std::int64_t origin_ns) {
  Series s;
  for (std::size_t i = 0; i < t.ns.size(); ++i)
    push(s, static_cast<double>(t.ns[i] - origin_ns) * 1e-9, t.v[i]);
  return s;
}

// First data row of Metadata.csv by column name.
std::map<std::string, std::string> read_metadata(const std::string* text) {
  std::map<std::string, std::string> out;
  if (!text) return out;
  import::Lines lines(*text);
  std::string_view header, row;
  if (!lines.next(header) || !lines.next(row)) return out;
  std::vector<std::string_view> names, values;
  import::split(header, ',', names);
  import::split(row, ',', values);
  for (std::size_t i = 0; i < names.size() && i < values.size(); ++i)
    out[import::lower(names[i])] = std::string(values[i]);
  return out;
}

// ---- phyphox --------------------------------------------------------------------------------

struct Caption {
  std::string unit;  // "s", "m/s^2", "rad/s", ... (lower case, "²" spelled "^2")
  int axis = -1;     // 0..2 for a caption with a lone x / y / z word
  bool linear = false;
};

Caption parse_caption(std::string_view cell) {
  Caption c;
  const auto open = cell.rfind('(');
  const auto close = cell.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) return c;
  c.unit = import::lower(import::trim(cell.substr(open + 1, close - open - 1)));
  for (std::size_t p; (p = c.unit.find("\xC2\xB2")) != std::string::npos;)
    c.unit.replace(p, 2, "^2");
  for (std::size_t p; (p = c.unit.find(' ')) != std::string::npos;) c.unit.erase(p, 1);
  const std::string words = import::lower(cell.substr(0, open));
  c.linear = words.find("linear") != std::string::npos;
  std::size_t i = 0;
  while (i < words.size()) {
    while (i < words.size() && !std::isalpha(static_cast<unsigned char>(words[i]))) ++i;
    std::size_t j = i;
    while (j < words.size() && std::isalpha(static_cast<unsigned char>(words[j]))) ++j;
    if (j == i + 1 && words[i] >= 'x' && words[i] <= 'z') c.axis = words[i] - 'x';
    i = j;
  }
  return c;
}

bool is_acc_unit(const std::string& u) {
  return u == "m/s^2" || u == "m/s2" || u == "ms^-2";
}
bool is_gyr_unit(const std::string& u) {
  return u == "rad/s" || u == "rads^-1";
}

// Separator of a phyphox header: the one that yields the most captions with units.
char separator_of(std::string_view header) {
  char best = ',';
  std::size_t best_count = 0;
  for (char sep : {',', '\t', ';'}) {
    std::vector<std::string_view> cells;
    import::split(header, sep, cells);
    std::size_t n = 0;
    for (auto c : cells) n += !parse_caption(c).unit.empty();
    if (n > best_count) best = sep, best_count = n;
  }
  return best;
}

// The acc / gyr streams of one phyphox table (each axis column paired with the nearest time
// column to its left), appended to `acc` / `gyr`.
void read_phyphox_table(const std::string& text, const std::string& where, Series& acc, Series& gyr,
                        bool& linear) {
  std::string_view body = text;
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);  // UTF-8 byte order mark
  import::Lines lines(body);
  std::string_view header;
  if (!lines.next(header)) fail_at(where, "phyphox: empty file");
  const char sep = separator_of(header);
  std::vector<std::string_view> cells;
  import::split(header, sep, cells);
  std::vector<Caption> caps;
  for (auto c : cells) caps.push_back(parse_caption(c));
  struct Group {
    int time = -1;
    std::array<int, 3> axis{-1, -1, -1};
    Series* out = nullptr;
  };
  std::vector<Group> groups;
  int time = -1;
  for (std::size_t c = 0; c < caps.size(); ++c) {
    if (caps[c].unit == "s") time = static_cast<int>(c);
    const bool a = is_acc_unit(caps[c].unit), g = is_gyr_unit(caps[c].unit);
    if ((!a && !g) || caps[c].axis < 0 || time < 0) continue;
    Series* out = a ? &acc : &gyr;
    if (a && caps[c].linear) linear = true;
    if (groups.empty() || groups.back().out != out || groups.back().time != time)
      groups.push_back({time, {-1, -1, -1}, out});
    groups.back().axis[caps[c].axis] = static_cast<int>(c);
  }
  std::erase_if(groups, [](const Group& g) {
    return g.axis[0] < 0 || g.axis[1] < 0 || g.axis[2] < 0 || !g.out->t.empty();
  });
  if (groups.empty()) return;
  // Decimal commas come with ';' (or tab) separators in phyphox's "decimal comma" exports.
  const bool decimal_comma = sep != ',';
  std::string cell;
  auto number = [&](std::string_view raw, double& v) {
    cell.assign(raw);
    if (decimal_comma) std::replace(cell.begin(), cell.end(), ',', '.');
    return import::to_double(cell, v);
  };
  std::string_view line;
  while (lines.next(line)) {
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    import::split(line, sep, cells);
    const std::string at = where + ":" + std::to_string(lines.number());
    for (Group& g : groups) {
      const auto t_cell = static_cast<std::size_t>(g.time);
      if (t_cell >= cells.size() || import::trim(cells[t_cell]).empty())
        continue;  // shorter stream
      double t = 0.0;
      Vec3 v;
      bool ok = number(cells[t_cell], t);
      for (int a = 0; a < 3 && ok; ++a) {
        const auto c = static_cast<std::size_t>(g.axis[a]);
        ok = c < cells.size() && number(cells[c], v[a]);
      }
      if (!ok)
        fail_at(at, "phyphox: a time or axis value is not a number in '" +
                        import::printable(line, 80) + "'");
      push(*g.out, t, v);
    }
  }
}

}  // namespace

bool looks_like_sensor_logger(const FileSet& files) {
  const std::string* gyr = find_file(files, "Gyroscope.csv");
  if (!gyr || !(find_file(files, "Accelerometer.csv") || find_file(files, "TotalAcceleration.csv")))
    return false;
  return gyr->starts_with("time,") || gyr->find("seconds_elapsed") < 200;
}

bool looks_like_phyphox_header(std::string_view head) {
  const PhoneColumns c = phyphox_columns(head);
  return c.time && (c.acc || c.gyr);
}

bool looks_like_phyphox(const FileSet& files) {
  for (const auto& [name, text] : files)
    if (!name.starts_with("meta/") && looks_like_phyphox_header(text)) return true;
  return false;
}

Recording parse_sensor_logger(const FileSet& files, const std::string& name, const CsvOptions& o) {
  const std::string where = name + ": Sensor Logger";
  const std::string* gyr_text = find_file(files, "Gyroscope.csv");
  const std::string* total_text = find_file(files, "TotalAcceleration.csv");
  const std::string* lin_text = find_file(files, "Accelerometer.csv");
  const std::string* grav_text = find_file(files, "Gravity.csv");
  if (!gyr_text)
    fail_at(where,
            "no Gyroscope.csv (the analysis needs angular rate: enable the gyroscope in "
            "the app)");
  if (!total_text && !(lin_text && grav_text))
    fail_at(where, lin_text ? "Accelerometer.csv has gravity removed and there is no Gravity.csv "
                              "(or TotalAcceleration.csv) to add it back: enable Gravity in the app"
                            : "no Accelerometer.csv");
  const SlTable gyr = read_sensor_logger_csv(*gyr_text, name + "/Gyroscope.csv");
  const std::int64_t origin = gyr.ns.front();
  Series acc;
  std::string acc_source;
  if (total_text) {
    acc = to_series(read_sensor_logger_csv(*total_text, name + "/TotalAcceleration.csv"), origin);
    acc_source = "TotalAcceleration.csv";
  } else {
    const Series lin =
        to_series(read_sensor_logger_csv(*lin_text, name + "/Accelerometer.csv"), origin);
    const Series grav =
        to_series(read_sensor_logger_csv(*grav_text, name + "/Gravity.csv"), origin);
    Interpolator ig(grav, 2.5 * median_period(grav.t));
    for (std::size_t i = 0; i < lin.t.size(); ++i)
      if (const auto g = ig.at(lin.t[i])) push(acc, lin.t[i], lin.v[i] + *g);
    acc.dropped += lin.dropped;
    if (acc.t.size() < 2)
      fail_at(where, "Accelerometer.csv and Gravity.csv do not overlap in time");
    acc_source = "Accelerometer.csv + Gravity.csv";
  }
  const auto meta = read_metadata(find_file(files, "Metadata.csv"));
  auto get = [&](const char* k) { return meta.count(k) ? meta.at(k) : std::string(); };
  const std::string platform = import::lower(get("platform"));
  const bool flip = platform == "ios" && import::lower(get("standardisation")) != "true";
  if (flip)
    for (Vec3& a : acc.v) a = -a;  // iOS frame: acceleration and gravity point the other way

  std::string note;
  SensorData d = merge(acc, to_series(gyr, origin), where, note);
  Recording rec;
  rec.source = name;
  rec.start_time_iso = import::iso_utc(static_cast<double>(origin) * 1e-9 + d.time_s.front());
  d.info.device_model = "Sensor Logger";
  if (!get("device name").empty() || !platform.empty())
    d.info.device_model +=
        " (" + get("device name") + (platform.empty() ? "" : ", " + get("platform")) + ")";
  d.info.firmware = get("appversion");
  finish(d, rec, o, name, "Sensor Logger units");
  rec.attributes["import_format"] = "Sensor Logger export";
  rec.attributes["phone_merge"] =
      "acceleration from " + acc_source + (flip ? ", negated (iOS frame)" : "") + "; " + note;
  if (meta.empty())
    rec.attributes["import_warnings"] =
        "Sensor Logger: no Metadata.csv, so the platform is unknown; acceleration read in the "
        "Android frame (an iOS export without \"Standardise Units & Frames\" would be mirrored)";
  rec.sensors.push_back(std::move(d));
  return rec;
}

Recording parse_phyphox(const FileSet& files, const std::string& name, const CsvOptions& o) {
  const std::string where = name + ": phyphox";
  Series acc, gyr;
  bool linear = false;
  for (const auto& [file, text] : files)
    if (!file.starts_with("meta/"))
      read_phyphox_table(text, files.size() == 1 ? name : name + "/" + file, acc, gyr, linear);
  if (gyr.t.empty())
    fail_at(where,
            "no gyroscope columns (captions with the unit rad/s); the analysis needs "
            "angular rate: export the gyroscope too");
  if (acc.t.empty())
    fail_at(where, linear ? "only linear acceleration (without g) was found; record with "
                            "\"Acceleration with g\""
                          : "no accelerometer columns (captions with the unit m/s^2)");
  std::string note;
  SensorData d = merge(acc, gyr, where, note);
  std::vector<double> norms;
  for (const Vec3& a : d.acc) norms.push_back(a.norm());
  std::nth_element(norms.begin(), norms.begin() + norms.size() / 2, norms.end());
  if (norms[norms.size() / 2] < 3.0)
    fail_at(where, "the acceleration has no gravity in it (median |acc| " +
                       std::to_string(norms[norms.size() / 2]).substr(0, 4) +
                       " m/s^2): this is phyphox's linear acceleration; record with "
                       "\"Acceleration with g\"");
  Recording rec;
  rec.source = name;
  // meta/time.csv: event, experiment time, system time (s since 1970), ...
  if (const std::string* t = find_file(files, "meta/time.csv")) {
    import::Lines lines(*t);
    std::string_view line;
    std::vector<std::string_view> cells;
    while (lines.next(line)) {
      import::split(line, separator_of(line) == ';' ? ';' : ',', cells);
      double experiment = 0.0, system = 0.0;
      if (cells.size() >= 3 && import::lower(cells[0]) == "start" &&
          import::to_double(cells[1], experiment) && import::to_double(cells[2], system) &&
          system > 1e8) {
        rec.start_time_iso = import::iso_utc(system - experiment + d.time_s.front());
        break;
      }
    }
  }
  d.info.device_model = "phyphox";
  finish(d, rec, o, name, "phyphox captions");
  rec.attributes["import_format"] = "phyphox export";
  rec.attributes["phone_merge"] = note;
  rec.sensors.push_back(std::move(d));
  return rec;
}

}  // namespace stridelab::storage::foreign

namespace stridelab::storage {

PhoneColumns phyphox_columns(std::string_view head) {
  PhoneColumns out;
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);  // UTF-8 byte order mark
  import::Lines lines(head);
  std::string_view header;
  if (!lines.next(header)) return out;
  std::vector<std::string_view> cells;
  import::split(header, foreign::separator_of(header), cells);
  for (auto c : cells) {
    const foreign::Caption cap = foreign::parse_caption(c);
    out.time = out.time || cap.unit == "s";
    out.acc = out.acc || (foreign::is_acc_unit(cap.unit) && cap.axis >= 0);
    out.gyr = out.gyr || (foreign::is_gyr_unit(cap.unit) && cap.axis >= 0);
  }
  return out;
}

}  // namespace stridelab::storage
