#pragma once
// Gait simulator: physically consistent pelvis motion for walking and running, turned into
// the specific force and angular rate a sacrum-worn IMU would measure, with exact ground truth.
// Names below are the contract the analysis tests rely on; extend, do not rename.
#include <Eigen/Geometry>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "stridelab/core/steps.hpp"
#include "stridelab/core/types.hpp"

namespace stridelab::sim {

enum class Activity { kWalk, kRun };
std::string to_string(Activity a);                    // "walk" or "run"
Activity activity_from_string(const std::string& s);  // walk/run (any case); throws Error

// A planned change of heading during gait.
struct Turn {
  double start_s = 0.0;      // s after gait starts
  double duration_s = 2.0;   // s
  double angle_deg = 180.0;  // + = to the left (counter-clockwise seen from above)
};

// Standing still inside the trial: the walker stops (the last step goes into standing), stands
// for duration_s, optionally turning on the spot (a pivot: heading changes, no steps), and
// starts again (the first step comes from standing).
struct Pause {
  double start_s = 0.0;     // s after gait starts (the bout before it ends here)
  double duration_s = 2.0;  // s, 0.5..600
  double angle_deg = 0.0;   // turn on the spot during the pause; + = to the left
};

// A walking bout of a given number of steps and what follows it (daily-living trials: a few
// steps, turn, pause, a few steps, ...).
struct Bout {
  int steps = 3;               // steps in the bout, >= 2
  double pause_after_s = 2.0;  // standing after it, s (>= 0.5; >= 1 with a turn); last: unused
  double turn_after_deg = 0;   // turn on the spot during that pause, deg (+ = to the left)
};

// A magnetic disturbance: a field added to the earth field (world frame) over a span, e.g.
// walking past steel or electronics. start_s is recording time (not gait time), s.
struct MagDisturbance {
  double start_s = 0.0;
  double duration_s = 0.0;
  Vec3 field_uT = Vec3::Zero();
};

struct SimParams {
  Activity activity = Activity::kWalk;
  double rate_hz = 200.0;                 // output sample rate, Hz
  double standing_before_s = 5.0;         // quiet standing before gait, s
  double standing_after_s = 3.0;          // quiet standing after gait, s
  double gait_duration_s = 60.0;          // s
  double cadence_spm = 0.0;               // steps/min; 0 = activity default (walk 110, run 170)
  double cadence_cv = 0.02;               // step-to-step coefficient of variation of step time
  double contact_time_s = 0.0;            // running ground contact, s; 0 = default (0.25 s)
  double drop_left_deg = 5.0;             // mean contralateral drop in left stance, deg
  double drop_right_deg = 5.0;            // mean contralateral drop in right stance, deg
  double drop_sd_deg = 0.5;               // step-to-step SD of the drop, deg
  double drop_trend_deg_per_10min = 0.0;  // fatigue: both sides' drop grows by this, deg/10 min
  double drop_offset_deg = 0.0;           // per-session offset of both sides' drop, deg
  double rotation_amplitude_deg = 8.0;    // peak-to-peak transverse rotation per stride, deg
  double tilt_amplitude_deg = 3.0;        // peak-to-peak sagittal tilt oscillation, deg
  double neutral_obliquity_deg = 0.0;     // standing obliquity (pelvis not level), deg
  double neutral_tilt_deg = 10.0;         // standing anterior tilt, deg
  // Mean progression speed, m/s; 0 = default: run 3.3; walk 1.3 from 90 steps/min up and
  // 1.3·(cadence/90)² below (slow walkers take shorter steps: 0.40 m/s at 50 steps/min).
  double speed_ms = 0.0;
  double initial_heading_deg = 0.0;  // direction of travel at gait start (world yaw), deg
  std::vector<Turn> turns;
  Side first_side = Side::kLeft;  // stance leg of the first step
  // Gait variety. The defaults are textbook gait (the simulation is then exactly what it was
  // before these existed). See docs/SIMULATOR.md §2 and §4.
  // Limp: T_left / T_right, the step time of left-stance steps over right-stance steps
  // (1/3..3). The mean of the two stays 60 / cadence; contact times, the drop bumps, the
  // rotation, tilt and vertical CoM oscillation follow the unequal steps.
  double step_time_ratio = 1.0;
  // Loading of each stance leg, × normal (0.2..2): its heel-strike/impact transient and, in
  // walking, its loading-response peak (e.g. 0.7 on a painful side).
  double loading_left = 1.0;
  double loading_right = 1.0;
  double vertical_scale = 1.0;  // walk: CoM vertical excursion × the default 1.8 cm, 0.1..3
  double impact_scale = 1.0;    // heel-strike/impact transients × their default, 0..3
  double impact_width_s = 0.0;  // width of those transients, s; 0 = default (walk 0.04, run 0.03)
  // Hesitant starts and stops: the first step of every bout lasts start_step_factor × the
  // nominal step and the second (1 + start_step_factor) / 2 ×; the same for the last two steps
  // with stop_step_factor (1..3). transition_cv adds step-time variability (relative SD,
  // 0..0.3) to those two steps at each end of a bout.
  double start_step_factor = 1.0;
  double stop_step_factor = 1.0;
  double transition_cv = 0.0;
  // Gait initiation and termination (walking), s, 0..1.5: the first swing before a bout's
  // first contact, in which the CoM starts moving forward and falls onto the leading leg, and
  // the settling after its closing contact, in which the CoM comes to rest on both feet. Both
  // contacts then load the leg as in real gait. The gait envelope ramps up over this lead-in
  // and the first step, and down over the last step and the lead-out. 0 = every bout starts
  // and ends at rest exactly at those contacts (the textbook default). Shortened to the
  // standing before/after and to 40 % of a pause.
  double start_stop_s = 0.0;
  std::vector<Pause> pauses;  // standing still inside gait_duration_s (sorted, not overlapping)
  // Short bouts: if not empty the gait is these bouts (pauses and gait_duration_s are then
  // ignored; the resolved gait_duration_s is the first contact to the last, pauses included).
  std::vector<Bout> bouts;
  // Mounting: rotation from the pelvis frame to the sensor frame (any orientation). It is the
  // orientation of the sensor frame relative to the pelvis frame: v_pelvis = mounting * v_sensor,
  // so the sensor reads f_sensor = mounting⁻¹ * f_pelvis (same for the angular rate).
  Eigen::Quaterniond mounting = Eigen::Quaterniond::Identity();
  Vec3 lever_arm_m = Vec3(-0.08, 0.0, 0.0);  // sensor position in the pelvis frame, m
  // Sensor errors.
  double acc_noise_ms2 = 0.05;        // white noise SD, m/s²
  double gyr_noise_rads = 0.005;      // white noise SD, rad/s
  Vec3 acc_bias_ms2 = Vec3::Zero();   // m/s²
  Vec3 gyr_bias_rads = Vec3::Zero();  // rad/s
  double acc_scale_error = 0.0;       // relative, e.g. 0.01 = +1 %
  double gyr_scale_error = 0.0;
  double acc_range_ms2 = 16 * kGravity;  // saturation, m/s²
  double gyr_range_rads = 34.9;          // saturation, rad/s (2000 °/s)
  int acc_bits = 16;                     // quantisation over ±range; 0 = none
  int gyr_bits = 16;
  double dropout_rate_per_min = 0.0;  // dropouts (missing sample runs) per minute
  // Magnetometer (off by default). The earth field in the world frame, µT: the default has
  // its horizontal part along world +y ("north", 20 µT) and dips 65.6° (central Europe).
  bool magnetometer = false;
  Vec3 earth_field_uT = Vec3(0.0, 20.0, -44.0);
  double mag_noise_uT = 0.3;          // white noise SD, µT
  Vec3 mag_offset_uT = Vec3::Zero();  // hard-iron offset (sensor frame), µT
  std::vector<MagDisturbance> mag_disturbances;
  std::uint64_t seed = 1;
};

// Ground truth of one step (initial contact to the next initial contact).
struct TruthStep {
  double time_s = 0.0;           // initial contact, recording time base, s
  Side side = Side::kUnknown;    // stance leg
  double step_time_s = 0.0;      // s
  double pelvic_drop_deg = 0.0;  // contralateral drop relative to neutral, deg
  double contact_time_s = 0.0;   // initial to final contact of this foot, s
  bool in_turn = false;          // heading changes during this step
  double final_contact_s = 0.0;  // final contact of this foot = time_s + contact_time_s, s
  int bout = 0;                  // walking bout (0, 1, ...: a pause separates bouts)
};

// Ground truth of one stride (initial contact to the next contact of the same foot).
struct TruthStride {
  double start_s = 0.0;
  double end_s = 0.0;
  Side side = Side::kUnknown;
  double trunk_rotation_deg = 0.0;  // range of transverse rotation, turns removed, deg
  bool in_turn = false;             // heading changes during this stride
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
  // Additions (simulator helper):
  std::vector<double> heading_deg;     // per output sample: direction of travel (turns), deg
  std::vector<double> sample_time_s;   // per output sample: time, s (= recording time_s)
  double neutral_obliquity_deg = 0.0;  // obliquity in quiet standing (drop reference), deg
  double neutral_tilt_deg = 0.0;       // tilt in quiet standing, deg
  SimParams params;                    // everything the recording was made from
};

struct SimResult {
  Recording recording;  // one pelvis sensor
  Truth truth;
};

// Throws Error when a parameter is out of range (names the parameter).
SimResult simulate(const SimParams& params);

// The truth JSON (schema in docs/SIMULATOR.md). Per-sample angle arrays are written only when
// include_samples is true (they are big); read_truth_json reads them when present.
void write_truth_json(const std::filesystem::path& path, const Truth& truth,
                      bool include_samples = false);
Truth read_truth_json(const std::filesystem::path& path);

// --- Helpers shared by the CLI, the tests and the analysis tests ---

// Pelvis orientation in the world (Baker 2001): R = Rz(rotation)·Rx(obliquity)·Ry(tilt).
Eigen::Matrix3d pelvis_rotation(double rotation_deg, double obliquity_deg, double tilt_deg);
// World orientation of the sensor at output sample i: pelvis_rotation(i) · mounting.
Eigen::Quaterniond sensor_orientation(const Truth& truth, std::size_t i);

// Mounting from intrinsic z-y-x angles: R = Rz(z)·Ry(y)·Rx(x), deg.
Eigen::Quaterniond mounting_from_euler_zyx_deg(double z_deg, double y_deg, double x_deg);
// Named mountings: identity, upside-down (180° about x), rot90 (+90° about z), rot180
// (180° about z), tilted (z 30°, y 25°, x −15°), random (uniform rotation from seed).
// Throws Error on an unknown name.
Eigen::Quaterniond mounting_preset(const std::string& name, std::uint64_t seed = 1);

// Gait presets (they set the SimParams fields named, leaving the others):
//   limp          step_time_ratio 1.5, loading_right 0.7 (short, lightly loaded right stance)
//   slow-shuffle  cadence 55 steps/min, vertical_scale 0.5, impact_scale 0.4,
//                 impact_width_s 0.08, rotation 5°, tilt 1.5° (default speed: 0.48 m/s)
//   hesitant      start_step_factor 1.5, stop_step_factor 1.4, transition_cv 0.08,
//                 start_stop_s 0.6, and two pauses of 2 s at 1/3 and 2/3 of gait_duration_s
//   daily-living  bouts = daily_living_bouts(gait_duration_s, seed), cadence 95 steps/min,
//                 start_step_factor 1.4, stop_step_factor 1.3, transition_cv 0.05,
//                 start_stop_s 0.6
// Throws Error on an unknown name.
void apply_gait_preset(SimParams& params, const std::string& name);
// Bouts of 2–3 steps separated by pauses of 1–3 s, most of them with a turn on the spot of
// 90–180° either way, drawn from the seed, about duration_s long in all at 95 steps/min.
std::vector<Bout> daily_living_bouts(double duration_s, std::uint64_t seed);

// Sensor error presets: none (ideal: no noise, bias, scale error or quantisation), low,
// realistic, high. Random biases are drawn from params.seed and written into params, so the
// truth file records them. Throws Error on an unknown name.
void apply_noise_preset(SimParams& params, const std::string& level);

}  // namespace stridelab::sim
