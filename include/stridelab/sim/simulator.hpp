#pragma once
// Gait simulator: physically consistent pelvis motion for walking and running, turned into
// the specific force and angular rate a sacrum-worn IMU would measure, with exact ground truth.
// Names below are the contract the analysis tests rely on; extend, do not rename.
#include <Eigen/Geometry>

#include <cstdint>
#include <filesystem>
#include <vector>

#include "stridelab/core/steps.hpp"
#include "stridelab/core/types.hpp"

namespace stridelab::sim {

enum class Activity { kWalk, kRun };

// A planned change of heading during gait.
struct Turn {
  double start_s = 0.0;      // s after gait starts
  double duration_s = 2.0;   // s
  double angle_deg = 180.0;  // + = to the left (counter-clockwise seen from above)
};

struct SimParams {
  Activity activity = Activity::kWalk;
  double rate_hz = 200.0;              // output sample rate, Hz
  double standing_before_s = 5.0;      // quiet standing before gait, s
  double standing_after_s = 3.0;       // quiet standing after gait, s
  double gait_duration_s = 60.0;       // s
  double cadence_spm = 0.0;            // steps/min; 0 = activity default (walk 110, run 170)
  double cadence_cv = 0.02;            // step-to-step coefficient of variation of step time
  double contact_time_s = 0.0;         // running ground contact, s; 0 = default (0.25 s)
  double drop_left_deg = 5.0;          // mean contralateral drop in left stance, deg
  double drop_right_deg = 5.0;         // mean contralateral drop in right stance, deg
  double drop_sd_deg = 0.5;            // step-to-step SD of the drop, deg
  double rotation_amplitude_deg = 8.0; // peak-to-peak transverse rotation per stride, deg
  double tilt_amplitude_deg = 3.0;     // peak-to-peak sagittal tilt oscillation, deg
  double neutral_obliquity_deg = 0.0;  // standing obliquity (pelvis not level), deg
  double neutral_tilt_deg = 10.0;      // standing anterior tilt, deg
  std::vector<Turn> turns;
  Side first_side = Side::kLeft;       // stance leg of the first step
  // Mounting: rotation from the pelvis frame to the sensor frame (any orientation).
  Eigen::Quaterniond mounting = Eigen::Quaterniond::Identity();
  Vec3 lever_arm_m = Vec3(-0.08, 0.0, 0.0);  // sensor position in the pelvis frame, m
  // Sensor errors.
  double acc_noise_ms2 = 0.05;      // white noise SD, m/s²
  double gyr_noise_rads = 0.005;    // white noise SD, rad/s
  Vec3 acc_bias_ms2 = Vec3::Zero();  // m/s²
  Vec3 gyr_bias_rads = Vec3::Zero(); // rad/s
  double acc_scale_error = 0.0;     // relative, e.g. 0.01 = +1 %
  double gyr_scale_error = 0.0;
  double acc_range_ms2 = 16 * kGravity;  // saturation, m/s²
  double gyr_range_rads = 34.9;          // saturation, rad/s (2000 °/s)
  int acc_bits = 16;                // quantisation over ±range; 0 = none
  int gyr_bits = 16;
  double dropout_rate_per_min = 0.0;  // dropouts (missing sample runs) per minute
  std::uint64_t seed = 1;
};

// Ground truth of one step (initial contact to the next initial contact).
struct TruthStep {
  double time_s = 0.0;            // initial contact, recording time base, s
  Side side = Side::kUnknown;     // stance leg
  double step_time_s = 0.0;       // s
  double pelvic_drop_deg = 0.0;   // contralateral drop relative to neutral, deg
  double contact_time_s = 0.0;    // initial to final contact of this foot, s
  bool in_turn = false;           // heading changes during this step
};

// Ground truth of one stride (initial contact to the next contact of the same foot).
struct TruthStride {
  double start_s = 0.0;
  double end_s = 0.0;
  Side side = Side::kUnknown;
  double trunk_rotation_deg = 0.0;  // range of transverse rotation, turns removed, deg
};

struct Truth {
  Activity activity = Activity::kWalk;
  double rate_hz = 0.0;
  double gait_start_s = 0.0;
  double gait_end_s = 0.0;
  double mean_cadence_spm = 0.0;
  std::vector<TruthStep> steps;
  std::vector<TruthStride> strides;
  Eigen::Quaterniond mounting = Eigen::Quaterniond::Identity();
  // Per output sample: pelvis angles relative to world (Baker Z-X-Y), deg, and heading, deg.
  std::vector<double> obliquity_deg, tilt_deg, rotation_deg;
};

struct SimResult {
  Recording recording;  // one pelvis sensor
  Truth truth;
};

SimResult simulate(const SimParams& params);

void write_truth_json(const std::filesystem::path& path, const Truth& truth);
Truth read_truth_json(const std::filesystem::path& path);

}  // namespace stridelab::sim
