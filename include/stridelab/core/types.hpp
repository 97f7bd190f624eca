#pragma once
// Core data types shared by every stage. SI units inside: s, m/s², rad/s, µT.
#include <Eigen/Core>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace stridelab {

using Vec3 = Eigen::Vector3d;

// Standard gravity, m/s². Used to convert g to m/s² and as the nominal |g|.
inline constexpr double kGravity = 9.80665;

// One IMU sample on the common time base, as the streaming pipeline consumes it.
struct ImuSample {
  double time_s = 0.0;    // common time base, s
  Vec3 acc = Vec3::Zero();  // specific force in the sensor frame, m/s²
  Vec3 gyr = Vec3::Zero();  // angular rate in the sensor frame, rad/s
  Vec3 mag = Vec3::Zero();  // magnetic field in the sensor frame, µT (valid only if has_mag)
};

// Where a sensor sits on the body.
enum class Placement { kPelvis, kUpperTrunk, kOther };
std::string to_string(Placement p);
Placement placement_from_string(const std::string& s);  // throws Error on unknown names

// A stretch of missing samples, kept as data: nothing is interpolated across it.
struct Gap {
  std::size_t index = 0;         // index of the first sample after the gap
  double start_s = 0.0;          // time of the last sample before the gap (common base), s
  double end_s = 0.0;            // time of the first sample after the gap (common base), s
  std::uint64_t missing = 0;     // samples expected but not received
  std::string cause;             // "sequence", "disconnect", "time", "import", ...
};

// Static description of one sensor.
struct SensorInfo {
  std::string name = "pelvis";        // unique within a recording, used as the HDF5 group name
  Placement placement = Placement::kPelvis;
  std::string device_model;           // e.g. "stridelab-sim", "WitMotion WT901"
  std::string device_id;              // serial number or address
  std::string firmware;
  double nominal_rate_hz = 0.0;       // Hz
  double acc_range_ms2 = 0.0;         // full-scale range, m/s² (0 = unknown)
  double gyr_range_rads = 0.0;        // full-scale range, rad/s (0 = unknown)
  bool has_gyr = true;
  bool has_mag = false;
};

// All samples of one sensor, structure of arrays (cheap to store and to scan).
struct SensorData {
  SensorInfo info;
  std::vector<double> device_time_s;  // the sensor's own clock, s (unwrapped)
  std::vector<double> time_s;         // common time base of the recording, s
  std::vector<Vec3> acc;              // m/s²
  std::vector<Vec3> gyr;              // rad/s (empty if !info.has_gyr)
  std::vector<Vec3> mag;              // µT (empty if !info.has_mag)
  std::vector<Gap> gaps;

  std::size_t size() const { return time_s.size(); }
  double duration_s() const { return time_s.empty() ? 0.0 : time_s.back() - time_s.front(); }
  ImuSample sample(std::size_t i) const;
  // Throws Error if the arrays disagree in length or time is not strictly increasing.
  void validate() const;
};

// A recording: one or more sensors plus who/when/what.
struct Recording {
  std::string subject_id;
  std::string notes;
  std::string start_time_iso;   // ISO 8601 wall-clock time of time_s == 0, UTC, may be empty
  std::string tool_version;     // version that wrote the file
  std::string source;           // where the data came from (file name, device, "simulate")
  std::map<std::string, std::string> attributes;  // free-form extra metadata
  std::vector<SensorData> sensors;

  // The sensor the analysis uses by default: the first pelvis sensor, else the first one.
  // Throws Error if there is none.
  const SensorData& primary() const;
};

}  // namespace stridelab
