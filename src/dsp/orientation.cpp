#include "stridelab/dsp/orientation.hpp"

#include <algorithm>
#include <cmath>

namespace stridelab::dsp {
namespace {

// Shortest rotation taking unit vector v onto +z.
Eigen::Quaterniond rotation_to_up(const Vec3& v) {
  const double w = std::sqrt(std::max(0.0, 0.5 * (v.z() + 1.0)));
  if (w < 1e-6) return Eigen::Quaterniond(0.0, 1.0, 0.0, 0.0);  // upside down: 180° about x
  return Eigen::Quaterniond(w, v.y() / (2.0 * w), -v.x() / (2.0 * w), 0.0);
}

}  // namespace

OrientationFilter::OrientationFilter(const OrientationParams& params, double sample_period_s,
                                     int correction_every)
    : params_(params),
      dt_(sample_period_s),
      dt_corr_(sample_period_s * std::max(1, correction_every)) {
  acc_lp_.design(params.tau_acc_s, dt_corr_);
  rest_alpha_ = 1.0 - std::exp(-dt_corr_ / 0.5);
  rest_bias_alpha_ = 1.0 - std::exp(-dt_corr_ / params.tau_rest_bias_s);
  motion_bias_gain_ = dt_corr_ / params.tau_motion_bias_s;
  mag_gain_ = 1.0 - std::exp(-dt_corr_ / params.tau_mag_s);
  mag_ref_alpha_ = 1.0 - std::exp(-dt_corr_ / params.tau_mag_reference_s);
}

void OrientationFilter::restart() {
  initialised_ = false;
  rest_time_s_ = 0.0;
}

void OrientationFilter::initialise(const Vec3& acc) {
  q_gyr_ = Eigen::Quaterniond::Identity();
  const double n = acc.norm();
  const Vec3 dir = n > 1e-6 ? Vec3(acc / n) : Vec3::UnitZ();
  q_inc_ = rotation_to_up(dir);
  acc_lp_.reset(acc);
  gyr_mean_ = Vec3::Zero();
  acc_mean_ = acc;
  mag_heading_set_ = false;  // a new inclination has an arbitrary heading
  initialised_ = true;
}

void OrientationFilter::update_rest(const Vec3& acc, const Vec3& gyr) {
  gyr_mean_ += rest_alpha_ * (gyr - gyr_mean_);
  acc_mean_ += rest_alpha_ * (acc - acc_mean_);
  const double gt = params_.rest_gyr_threshold_rads, at = params_.rest_acc_threshold_ms2;
  const bool still =
      (gyr - gyr_mean_).squaredNorm() < gt * gt && (acc - acc_mean_).squaredNorm() < at * at &&
      gyr_mean_.squaredNorm() < params_.rest_max_rate_rads * params_.rest_max_rate_rads;
  rest_time_s_ = still ? rest_time_s_ + dt_corr_ : 0.0;
  if (params_.rest_bias_estimation && at_rest()) bias_ += rest_bias_alpha_ * (gyr_mean_ - bias_);
}

void OrientationFilter::correct(const Vec3& acc, const Vec3& gyr) {
  if (!initialised_) initialise(acc);
  update_rest(acc, gyr);

  // While turning, the centripetal acceleration would tilt the estimate: hold the low-pass
  // (the I frame is inertial, so the held vector stays valid) and rely on the gyroscope.
  const Eigen::Quaterniond q_es = orientation();
  const Vec3 up_s = up_in(q_es);
  yaw_rate_mean_ += rest_alpha_ * ((gyr - bias_).dot(up_s) - yaw_rate_mean_);
  const bool hold = turning();
  // Inclination correction from the accelerometer low-passed in I.
  const Vec3& acc_i_lp = hold ? acc_lp_.value() : acc_lp_.update(q_gyr_ * acc);
  const double n = acc_i_lp.norm();
  if (n > 1e-6) {
    const Vec3 acc_e = q_inc_ * (acc_i_lp / n);
    const Eigen::Quaterniond corr = rotation_to_up(acc_e);
    q_inc_ = corr * q_inc_;
    q_inc_.normalize();
    // Motion bias: a steady correction means the gyro drifts about a horizontal axis. The
    // correction rate (earth frame) is the negative drift; map it into the sensor frame.
    if (params_.motion_bias_estimation && !at_rest() && !hold) {
      const Vec3 corr_rate_e(2.0 * corr.x() / dt_corr_, 2.0 * corr.y() / dt_corr_, 0.0);
      const Vec3 corr_rate_s =
          q_es.conjugate() * corr_rate_e;  // before this correction: close enough
      adjust_bias(-motion_bias_gain_ * corr_rate_s);
    }
  }
  q_gyr_.normalize();
}

void OrientationFilter::adjust_bias(const Vec3& delta) {
  const double m = params_.max_bias_rads;
  bias_ = (bias_ + delta).cwiseMax(-m).cwiseMin(m);
}

void OrientationFilter::correct_heading(const Vec3& mag) {
  if (!initialised_) return;
  const double norm = mag.norm();
  if (!(norm > 0.0) || !std::isfinite(norm)) return;
  const Eigen::Quaterniond q_es = orientation();
  const Vec3 m_e = q_es * mag;  // field in E
  const double horizontal = std::hypot(m_e.x(), m_e.y());
  if (horizontal < 1e-3 * norm) return;  // at a magnetic pole: no heading information
  const double dip = std::atan2(-m_e.z(), horizontal);

  // Disturbance: norm or dip away from the reference learned so far.
  if (mag_norm_ref_ == 0.0) mag_norm_ref_ = norm, mag_dip_ref_ = dip;
  const bool disturbed =
      std::abs(norm - mag_norm_ref_) > params_.mag_norm_tolerance * mag_norm_ref_ ||
      std::abs(dip - mag_dip_ref_) > params_.mag_dip_tolerance_deg * M_PI / 180.0;
  if (disturbed) {
    mag_disturbed_s_ += dt_corr_;
    mag_.rejected_s += dt_corr_;
    if (mag_disturbed_s_ < params_.mag_max_rejection_s) return;
    mag_norm_ref_ = norm, mag_dip_ref_ = dip;  // a new environment
    ++mag_.reference_resets;
  }
  mag_disturbed_s_ = 0.0;
  mag_norm_ref_ += mag_ref_alpha_ * (norm - mag_norm_ref_);
  mag_dip_ref_ += mag_ref_alpha_ * (dip - mag_dip_ref_);

  // Heading error: the rotation about up that brings the horizontal field onto +y (north).
  // The first accepted field sets the heading at once; later ones are low-passed.
  const double error = std::atan2(m_e.x(), m_e.y());
  const bool tracking = mag_heading_set_;
  const double step = tracking ? mag_gain_ * error : error;
  mag_heading_set_ = true;
  q_inc_ = Eigen::Quaterniond(Eigen::AngleAxisd(step, Vec3::UnitZ())) * q_inc_;
  q_inc_.normalize();
  // Steady corrections mean a gyro bias about "up" (the one the accelerometer cannot see):
  // the integral part of the heading loop (tau_motion_bias_s; about critically damped with
  // tau_mag_s = 9 s). At rest the rest estimate is in charge.
  if (tracking && params_.motion_bias_estimation && !at_rest()) {
    adjust_bias(-motion_bias_gain_ * (step / dt_corr_) * up_in(q_es));
  }
  mag_.used = true;
  mag_.accepted_s += dt_corr_;
}

}  // namespace stridelab::dsp
