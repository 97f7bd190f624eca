#include "stridelab/dsp/alignment.hpp"

#include <algorithm>
#include <cmath>

namespace stridelab::dsp {
namespace {

constexpr double kRadToDeg = 180.0 / M_PI;

Eigen::Matrix3d frame_from(const Vec3& up, const Vec3& forward_hint) {
  const Vec3 z = up.normalized();
  Vec3 x = forward_hint - forward_hint.dot(z) * z;
  if (x.norm() < 1e-9) x = z.unitOrthogonal();
  x.normalize();
  const Vec3 y = z.cross(x);
  Eigen::Matrix3d r;
  r.row(0) = x.transpose();
  r.row(1) = y.transpose();
  r.row(2) = z.transpose();
  return r;
}

}  // namespace

bool MountingEstimator::add_frame(double time_s, double frame_period_s, const Vec3& acc,
                                  const Vec3& gyr) {
  last_time_s_ = time_s;
  if (!have_mean_) acc_mean_ = acc, have_mean_ = true;
  acc_mean_ += (1.0 - std::exp(-frame_period_s / 0.5)) * (acc - acc_mean_);
  const bool rest = (acc - acc_mean_).norm() < params_.standing_acc_ms2 &&
                    gyr.norm() < params_.standing_gyr_rads && std::abs(acc.norm() - kGravity) < 1.0;
  if (std::isfinite(params_.calibration_start_s) && time_s >= params_.calibration_start_s &&
      time_s <= params_.calibration_end_s) {
    if (marked_.n == 0) marked_.start_s = time_s;
    marked_.acc_sum += acc;
    marked_.end_s = time_s;
    ++marked_.n;
  }
  if (rest) {
    if (!in_rest_) current_ = Standing{Vec3::Zero(), time_s, time_s, 0};
    current_.acc_sum += acc;
    current_.end_s = time_s;
    ++current_.n;
  } else if (in_rest_ && current_.end_s - current_.start_s >= params_.min_standing_s) {
    standings_.push_back(current_);
    if (standings_.size() > 4) standings_.erase(standings_.begin());
  }
  in_rest_ = rest;
  return rest;
}

void MountingEstimator::add_step(const Vec3& mean_acc, const Vec3& brake_cue) {
  if (steps_ >= std::max(params_.calibration_steps, params_.max_calibration_steps)) return;
  ++steps_;
  gait_acc_sum_ += mean_acc;
  brake_sum_ += brake_cue;
  brake_cues_.push_back(brake_cue);
  int agree = 0;
  for (const Vec3& cue : brake_cues_) agree += cue.dot(brake_sum_) > 0.0 ? 1 : 0;
  brake_agreement_ = double(agree) / brake_cues_.size();
}

bool MountingEstimator::ready() const {
  if (steps_ < params_.calibration_steps) return false;
  // Ambiguous braking cues (slow, irregular first steps: a treadmill starting up) could put
  // the anterior axis anywhere and mirror every side: wait for more steps.
  if (steps_ < params_.max_calibration_steps && brake_agreement() < params_.min_anterior_confidence)
    return false;
  // A marked calibration period must be over before the mounting is fixed.
  return !std::isfinite(params_.calibration_end_s) || last_time_s_ > params_.calibration_end_s;
}

Calibration MountingEstimator::solve(double now_s) const {
  Calibration cal;
  if (steps_ < 4 || gait_acc_sum_.norm() < 1e-9) return cal;
  const Vec3 gait_up = gait_acc_sum_.normalized();

  // Up: marked period, else the most recent standing that looks like standing, else gait.
  Vec3 up = gait_up;
  cal.up_method = "gait_mean";
  const double cos_max = std::cos(params_.max_standing_deviation_deg / kRadToDeg);
  std::vector<Standing> candidates = standings_;
  if (in_rest_ && current_.end_s - current_.start_s >= params_.min_standing_s)
    candidates.push_back(current_);
  if (marked_.n > 0) {
    up = marked_.acc_sum.normalized();
    cal.up_method = "marked";
    cal.standing_start_s = marked_.start_s;
    cal.standing_end_s = marked_.end_s;
  } else {
    for (auto it = candidates.rbegin(); it != candidates.rend(); ++it) {
      const Vec3 u = it->acc_sum.normalized();
      if (u.dot(gait_up) < cos_max) continue;
      up = u;
      cal.up_method = "standing";
      cal.standing_start_s = it->start_s;
      cal.standing_end_s = it->end_s;
      break;
    }
  }

  // Anterior from the braking cue (which points backwards).
  const Vec3 forward = -brake_sum_;
  cal.sensor_to_pelvis = frame_from(up, forward);
  const Vec3 x = cal.sensor_to_pelvis.row(0).transpose();
  int agree = 0;
  for (const Vec3& cue : brake_cues_) agree += cue.dot(x) < 0.0 ? 1 : 0;
  cal.anterior_confidence = brake_cues_.empty() ? 0.0 : double(agree) / brake_cues_.size();

  // Neutral (standing) posture relative to the mean gait posture, for the record.
  if (cal.up_method != "gait_mean") {
    const Vec3 u = frame_from(gait_up, forward) * up;
    cal.neutral_obliquity_deg = std::asin(std::clamp(u.y(), -1.0, 1.0)) * kRadToDeg;
    cal.neutral_tilt_deg = std::atan2(-u.x(), u.z()) * kRadToDeg;
  }
  cal.steps_used = steps_;
  cal.calibrated_at_s = now_s;
  cal.valid = true;
  return cal;
}

}  // namespace stridelab::dsp
