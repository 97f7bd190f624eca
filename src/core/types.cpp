#include "stridelab/core/types.hpp"

#include <cmath>

#include "stridelab/core/error.hpp"

namespace stridelab {

std::string to_string(Placement p) {
  switch (p) {
    case Placement::kPelvis: return "pelvis";
    case Placement::kUpperTrunk: return "upper_trunk";
    case Placement::kOther: return "other";
  }
  return "other";
}

Placement placement_from_string(const std::string& s) {
  if (s == "pelvis" || s == "sacrum" || s == "lower_back") return Placement::kPelvis;
  if (s == "upper_trunk" || s == "trunk" || s == "sternum") return Placement::kUpperTrunk;
  if (s == "other") return Placement::kOther;
  throw Error("unknown sensor placement '" + s + "' (expected pelvis, upper_trunk or other)");
}

ImuSample SensorData::sample(std::size_t i) const {
  ImuSample s;
  s.time_s = time_s[i];
  s.acc = acc[i];
  if (!gyr.empty()) s.gyr = gyr[i];
  if (!mag.empty()) s.mag = mag[i];
  return s;
}

void SensorData::validate() const {
  const std::string where = "sensor '" + info.name + "'";
  const std::size_t n = time_s.size();
  if (acc.size() != n) fail_at(where, "acc has " + std::to_string(acc.size()) +
                                          " samples, time has " + std::to_string(n));
  if (!device_time_s.empty() && device_time_s.size() != n)
    fail_at(where, "device_time has " + std::to_string(device_time_s.size()) +
                       " samples, time has " + std::to_string(n));
  if (info.has_gyr && gyr.size() != n)
    fail_at(where, "gyr has " + std::to_string(gyr.size()) + " samples, time has " +
                       std::to_string(n));
  if (info.has_mag && mag.size() != n)
    fail_at(where, "mag has " + std::to_string(mag.size()) + " samples, time has " +
                       std::to_string(n));
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(time_s[i]))
      fail_at(where, "time of sample " + std::to_string(i) + " is not finite");
    if (i > 0 && !(time_s[i] > time_s[i - 1]))
      fail_at(where, "time is not strictly increasing at sample " + std::to_string(i) + " (" +
                         std::to_string(time_s[i - 1]) + " s then " +
                         std::to_string(time_s[i]) + " s)");
  }
}

const SensorData& Recording::primary() const {
  if (sensors.empty()) throw Error("recording has no sensors");
  for (const auto& s : sensors)
    if (s.info.placement == Placement::kPelvis) return s;
  return sensors.front();
}

}  // namespace stridelab
