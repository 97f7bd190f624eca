#pragma once
// The decimated stream (≈100 Hz) that event detection, alignment and the per-step metrics work
// on. One FrameSample summarises a block of input samples after the orientation filter.
#include <Eigen/Geometry>

#include <cmath>
#include <cstdint>

#include "stridelab/core/types.hpp"

namespace stridelab::dsp {

enum class Activity : std::int8_t { kUnknown = 0, kWalk = 1, kRun = 2 };
const char* to_string(Activity a);  // "walk", "run", "unknown"

struct FrameSample {
  double time_s = 0.0;        // mean time of the block, s
  double vertical_sf = 0.0;   // vertical specific force (world up), m/s²; ≈ +g when still
  Vec3 acc = Vec3::Zero();    // specific force, sensor frame, m/s² (block mean)
  Vec3 acc_h = Vec3::Zero();  // its horizontal part (perpendicular to up), sensor frame, m/s²
  Vec3 gyr = Vec3::Zero();    // bias-corrected angular rate, sensor frame, rad/s
  Vec3 up = Vec3::UnitZ();    // world up in the sensor frame (unit)
  Eigen::Quaterniond q = Eigen::Quaterniond::Identity();  // sensor -> earth
  bool rest = false;                                      // orientation filter's rest detector
  bool clipped = false;     // a sample in the block reached the sensor range
  bool gap_before = false;  // samples are missing between the previous block and this one
  // A hole bridged with interpolated samples (AnalyzerParams::max_bridged_gap_s) that is long
  // enough to make the steps around it doubtful (flagged kFlagGap, events continue).
  bool bridged_hole = false;
  // Pelvis angles relative to neutral, deg (NaN until the mounting is known; tilt only with
  // AnalyzerParams::keep_angles, no metric uses it). rotation_deg is the continuous
  // (unwrapped) heading-including transverse rotation.
  double obliquity_deg = std::nan("");
  double tilt_deg = std::nan("");
  double rotation_deg = std::nan("");
};

}  // namespace stridelab::dsp
