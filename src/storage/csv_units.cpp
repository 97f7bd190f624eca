#include "storage/csv_units.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <vector>

#include "stridelab/core/error.hpp"

namespace stridelab::storage::csv {

namespace {

// Quantile of the norms of (at most ~20000 evenly spaced) vectors.
double norm_quantile(const std::vector<Vec3>& v, double q) {
  if (v.empty()) return 0.0;
  const std::size_t step = std::max<std::size_t>(1, v.size() / 20000);
  std::vector<double> norms;
  for (std::size_t i = 0; i < v.size(); i += step) norms.push_back(v[i].norm());
  const auto k = static_cast<std::size_t>(q * static_cast<double>(norms.size() - 1));
  std::nth_element(norms.begin(), norms.begin() + k, norms.end());
  return norms[k];
}

double norm_sd(const std::vector<Vec3>& v) {
  if (v.size() < 2) return 0.0;
  double sum = 0.0, sum2 = 0.0;
  for (const auto& x : v) {
    const double n = x.norm();
    sum += n;
    sum2 += n * n;
  }
  const double mean = sum / v.size();
  return std::sqrt(std::max(0.0, sum2 / v.size() - mean * mean));
}

std::string fixed(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

[[noreturn]] void wrong_unit(const std::string& where, const std::string& what,
                             const ResolvedUnit& used, const std::string& looks_like,
                             const std::string& option, const std::string& suffix) {
  fail_at(where, what + " looks like " + looks_like + ", but the file was read as " + used.name +
                     " (" + used.origin + "); pass " + option + " or name the columns with the " +
                     suffix + " suffix (CSV option skip_unit_check trusts the file as is)");
}

}  // namespace

void check_units(const ColumnMap& map, const SensorData& sensor, const std::string& where) {
  // Gravity dominates the median of |acc| for any human activity: ~9.81 m/s^2.
  const double acc_median = norm_quantile(sensor.acc, 0.5);   // m/s^2 as read
  const double raw_median = acc_median / map.acc_unit.to_si;  // in the file's own numbers
  if (map.acc_unit.name == "m/s^2" && raw_median > 0.5 && raw_median < 2.0)
    wrong_unit(where, "acceleration (median |acc| = " + fixed(raw_median) + ")", map.acc_unit, "g",
               "--acc-unit g", "_g");
  if (map.acc_unit.name == "g" && raw_median > 5.0 && raw_median < 20.0)
    wrong_unit(where, "acceleration (median |acc| = " + fixed(raw_median) + ")", map.acc_unit,
               "m/s^2", "--acc-unit ms2", "_ms2");
  if (!sensor.info.has_gyr) return;
  // Body segments rarely exceed 2000 deg/s (~35 rad/s); moving without any rotation above
  // 5 deg/s does not happen either.
  const double gyr_p99 = norm_quantile(sensor.gyr, 0.99);  // rad/s as read
  const double raw_p99 = gyr_p99 / map.gyr_unit.to_si;
  if (map.gyr_unit.name == "rad/s" && gyr_p99 > 35.0)
    wrong_unit(where, "angular rate (99th percentile |gyr| = " + fixed(raw_p99) + ")", map.gyr_unit,
               "deg/s", "--gyr-unit dps", "_dps");
  const bool moving = norm_sd(sensor.acc) > 1.0;
  if (map.gyr_unit.name == "deg/s" && moving && gyr_p99 < 5.0 * std::numbers::pi / 180.0)
    wrong_unit(where,
               "angular rate (99th percentile |gyr| = " + fixed(raw_p99) +
                   " while the accelerometer shows movement)",
               map.gyr_unit, "rad/s", "--gyr-unit rads", "_rads");
}

}  // namespace stridelab::storage::csv
