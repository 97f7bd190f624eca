#pragma once
// Sensor-to-pelvis alignment for any mounting, found from the data:
//  - up: gravity during quiet standing (the last standing period before the calibration
//    completes whose direction is within max_standing_deviation_deg of gait's mean), a marked
//    calibration period if given, otherwise the mean specific force over the calibration steps
//    (then neutral = mean gait posture and steps are flagged kFlagNoStanding);
//  - anterior: the braking cue. Right after every initial contact the pelvis decelerates, in
//    walking (collision of the inverted pendulum) and in running (braking phase of the spring
//    mass) alike, while before it the acceleration is forward (walking) or ≈ 0 (flight). The
//    mean over steps of [horizontal acc just after IC − just before IC] therefore points
//    backwards; its medio-lateral part cancels between left and right steps. This avoids the
//    AP/vertical phase relation, which is opposite in walking and running.
//  - left = up × anterior (a proper rotation: a mounting never mirrors the frame).
#include <Eigen/Geometry>

#include <cmath>
#include <string>
#include <vector>

#include "stridelab/core/types.hpp"

namespace stridelab::dsp {

struct AlignmentParams {
  int calibration_steps = 12;  // steps (with step time) before the mounting is fixed
  // … unless fewer than this share of their braking cues agree with their sum: then up to
  // max_calibration_steps are waited for (stroke treadmill start-up, ACCURACY.md).
  double min_anterior_confidence = 0.75;
  int max_calibration_steps = 40;
  double min_standing_s = 2.0;                // shortest quiet standing accepted as neutral, s
  double standing_acc_ms2 = 0.4;              // standing: |acc − its 0.5 s mean| below, m/s²
  double standing_gyr_rads = 0.5;             // and |angular rate| below, rad/s (sway allowed)
  double max_standing_deviation_deg = 15;     // standing "up" vs gait mean "up" (rejects sitting)
  double calibration_start_s = std::nan("");  // marked standing period (wins if both given), s
  double calibration_end_s = std::nan("");
  double brake_after_begin = 0.05;  // braking window after IC, fraction of step time
  double brake_after_end = 0.35;
  double brake_before = 0.25;  // window before IC, fraction of step time
};

// The result of alignment, stored with every analysis.
struct Calibration {
  bool valid = false;
  Eigen::Matrix3d sensor_to_pelvis = Eigen::Matrix3d::Identity();  // v_pelvis = R * v_sensor
  std::string up_method;  // "standing", "marked", "gait_mean"
  double standing_start_s = std::nan(""), standing_end_s = std::nan("");
  double neutral_obliquity_deg = 0.0;  // standing posture relative to the mean gait posture
  double neutral_tilt_deg = 0.0;
  double anterior_confidence = 0.0;  // fraction of steps whose braking cue agrees (0.5..1)
  int steps_used = 0;
  double calibrated_at_s = std::nan("");  // time the mounting became known, s
};

// Accumulates standing and gait statistics and fixes the mounting once enough steps are seen.
class MountingEstimator {
 public:
  explicit MountingEstimator(const AlignmentParams& params) : params_(params) {}
  // Standing statistics: called for each frame sample. Standing is quieter than walking but
  // not rest: a person sways and may turn in place, which the orientation filter's strict
  // rest detector (used for the gyro bias) rejects. Returns whether the frame counts as
  // standing.
  bool add_frame(double time_s, double frame_period_s, const Vec3& acc, const Vec3& gyr);
  // One gait step: mean specific force over the step and the braking cue (sensor frame).
  void add_step(const Vec3& mean_acc, const Vec3& brake_cue);
  int steps() const { return steps_; }
  bool ready() const;
  // Share of the braking cues that agree with their sum.
  double brake_agreement() const { return brake_agreement_; }
  // Builds the calibration from what was seen (needs at least 4 steps).
  Calibration solve(double now_s) const;

 private:
  struct Standing {
    Vec3 acc_sum = Vec3::Zero();
    double start_s = 0.0, end_s = 0.0;
    long n = 0;
  };
  AlignmentParams params_;
  Standing current_, marked_;
  std::vector<Standing> standings_;  // the most recent accepted rest periods (at most 4)
  bool in_rest_ = false;
  Vec3 acc_mean_ = Vec3::Zero();
  bool have_mean_ = false;
  double last_time_s_ = -1e300;
  int steps_ = 0;
  Vec3 gait_acc_sum_ = Vec3::Zero();
  Vec3 brake_sum_ = Vec3::Zero();
  std::vector<Vec3> brake_cues_;  // bounded by max_calibration_steps
  double brake_agreement_ = 0.0;  // brake_agreement(), recounted per step (read per frame)
};

}  // namespace stridelab::dsp
