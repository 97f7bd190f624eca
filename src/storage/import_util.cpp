#include "storage/import_util.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>

#include "storage/csv_columns.hpp"
#include "storage/csv_units.hpp"
#include "stridelab/core/error.hpp"

namespace stridelab::storage::import {

std::string read_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) fail_at(path.string(), "no such file");
  if (std::filesystem::is_directory(path, ec)) fail_at(path.string(), "is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail_at(path.string(), "cannot open for reading");
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) fail_at(path.string(), "cannot read size: " + ec.message());
  std::string bytes(static_cast<std::size_t>(size), '\0');
  if (!in.read(bytes.data(), static_cast<std::streamsize>(bytes.size())))
    fail_at(path.string(), "read error");
  return bytes;
}

std::string iso_utc(double unix_s) {
  return iso_time(unix_s, "Z");
}

int parse_utc_offset_min(const std::string& text) {
  if (text == "Z" || text == "UTC") return 0;
  int h = 0, m = 0, used = 0;
  const bool sign = !text.empty() && (text[0] == '+' || text[0] == '-');
  const bool ok = sign && (std::sscanf(text.c_str() + 1, "%2d:%2d%n", &h, &m, &used) == 2 ||
                           std::sscanf(text.c_str() + 1, "%2d%n", &h, &used) == 1);
  if (!ok || 1 + static_cast<std::size_t>(used) != text.size() || h > 14 || m > 59)
    throw Error("bad UTC offset '" + text + "' (expected e.g. +01:00, -05:00 or Z)");
  return (text[0] == '-' ? -1 : 1) * (h * 60 + m);
}

std::string iso_time(double unix_s, const std::string& zone) {
  double whole = std::floor(unix_s);
  long millis = std::lround((unix_s - whole) * 1000.0);
  if (millis == 1000) {
    whole += 1.0;
    millis = 0;
  }
  const std::time_t t = static_cast<std::time_t>(whole);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03ld", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return buf + zone;
}

double unix_seconds(int year, int month, int day, int hour, int minute, int second) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<double>(timegm(&tm));
}

double find_gaps(const std::vector<double>& t, std::vector<Gap>& gaps, const std::string& cause) {
  if (t.size() < 2) return 0.0;
  std::vector<double> dt(t.size() - 1);
  for (std::size_t i = 1; i < t.size(); ++i) dt[i - 1] = t[i] - t[i - 1];
  std::vector<double> sorted = dt;
  std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
  const double median = sorted[sorted.size() / 2];
  double regular_sum = 0.0;
  std::size_t regular = 0;
  for (std::size_t i = 0; i < dt.size(); ++i) {
    if (dt[i] > 1.5 * median) {
      Gap g;
      g.index = i + 1;
      g.start_s = t[i];
      g.end_s = t[i + 1];
      g.missing = static_cast<std::uint64_t>(std::max(1.0, std::round(dt[i] / median) - 1.0));
      g.cause = cause;
      gaps.push_back(std::move(g));
    } else if (std::abs(dt[i] - median) <= 0.05 * median) {  // jitter-free periods set the rate
      regular_sum += dt[i];
      ++regular;
    }
  }
  const double rate = regular > 0 ? regular / regular_sum : 1.0 / median;
  return std::round(rate * 100.0) / 100.0;  // 0.01 Hz: hides the rounding of printed times
}

bool Lines::next(std::string_view& line) {
  if (pos_ >= text_.size()) return false;
  std::size_t end = text_.find('\n', pos_);
  if (end == std::string_view::npos) end = text_.size();
  line = text_.substr(pos_, end - pos_);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  pos_ = end + 1;
  ++number_;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

void split(std::string_view line, char sep, std::vector<std::string_view>& cells) {
  cells.clear();
  std::size_t begin = 0;
  while (true) {
    const std::size_t at = line.find(sep, begin);
    const std::size_t end = at == std::string_view::npos ? line.size() : at;
    cells.push_back(sep == '\t' ? line.substr(begin, end - begin)
                                : trim(line.substr(begin, end - begin)));
    if (at == std::string_view::npos) break;
    begin = at + 1;
  }
  if (sep == '\t')
    for (auto& c : cells) c = trim(c);
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool to_double(std::string_view cell, double& value) {
  std::string_view s = trim(cell);
  if (s.empty()) return false;
  const char* first = s.data();
  if (*first == '+') ++first;
  const auto [ptr, ec] = std::from_chars(first, s.data() + s.size(), value);
  return ec == std::errc() && ptr == s.data() + s.size() && std::isfinite(value);
}

void check_units(const SensorData& sensor, const std::string& acc_unit, double acc_to_si,
                 const std::string& gyr_unit, double gyr_to_si, const std::string& origin,
                 const std::string& where) {
  csv::ColumnMap map;
  map.acc_unit = {acc_to_si, acc_unit, origin, false};
  map.gyr_unit = {gyr_to_si, gyr_unit, origin, false};
  csv::check_units(map, sensor, where);
}

std::string printable(std::string_view bytes, std::size_t max) {
  std::string out;
  for (unsigned char c : bytes.substr(0, max)) {
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      static const char* hex = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  if (bytes.size() > max) out += "...";
  return out;
}

}  // namespace stridelab::storage::import
