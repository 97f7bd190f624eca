#pragma once
// Orientation of the sensor in an earth frame E (z up, heading arbitrary and slowly drifting
// without a magnetometer), from gyroscope and accelerometer. Ideas after VQF (Laidig & Seel
// 2023): the gyroscope is integrated into a quasi-inertial frame I; the accelerometer, rotated
// into I, is low-passed there (time constant tau_acc) so that running impacts and flight phases
// average out; the low-passed vector defines the inclination correction E <- I. The gyroscope
// bias is estimated at rest and, slowly, from the inclination corrections during motion.
#include <Eigen/Geometry>

#include <cmath>

#include "stridelab/core/types.hpp"
#include "stridelab/dsp/filters.hpp"

namespace stridelab::dsp {

struct OrientationParams {
  double tau_acc_s = 3.0;                  // accelerometer low-pass time constant, s
  double correction_rate_hz = 12.5;        // rate of the accelerometer correction (block means), Hz
  double turn_rate_rads = 0.35;            // above this mean yaw rate (0.5 s) the accelerometer
                                           // low-pass is frozen: centripetal acc is not gravity
  bool rest_bias_estimation = true;        // estimate the gyro bias while at rest
  double rest_gyr_threshold_rads = 0.035;  // max deviation of gyro from its 0.5 s mean, rad/s
  double rest_acc_threshold_ms2 = 0.5;     // max deviation of acc from its 0.5 s mean, m/s²
  double rest_max_rate_rads = 0.1;         // max mean angular rate at rest, rad/s
  double rest_min_duration_s = 1.5;        // rest must hold this long, s
  double tau_rest_bias_s = 2.0;            // bias low-pass at rest, s
  bool motion_bias_estimation = true;      // horizontal bias from inclination corrections
  double tau_motion_bias_s = 40.0;         // integral time constant in motion, s
  double max_bias_rads = 0.1;              // bias estimate is clamped to this, rad/s
  // 9-axis: the magnetometer fixes the heading of E (y = magnetic north). Its horizontal
  // direction in E is low-passed into a heading correction (first order, tau_mag_s); samples
  // whose field norm or dip angle leave the learned reference (magnetic disturbance: steel,
  // electronics) are not used; a disturbance longer than mag_max_rejection_s becomes the new
  // reference (a different environment).
  double tau_mag_s = 9.0;               // heading correction time constant, s
  double mag_norm_tolerance = 0.1;      // |norm − reference| / reference above: disturbed
  double mag_dip_tolerance_deg = 10.0;  // |dip − reference| above: disturbed, deg
  double tau_mag_reference_s = 20.0;    // learning of the reference norm and dip, s
  double mag_max_rejection_s = 60.0;    // longer disturbances become the new reference, s
};

// Magnetometer use, for the quality report.
struct MagStats {
  bool used = false;         // a magnetometer was given and set the heading
  double accepted_s = 0.0;   // time its corrections were applied, s
  double rejected_s = 0.0;   // time it was judged disturbed, s
  int reference_resets = 0;  // disturbances that became the new reference
};

// World up (+z of E) in the sensor frame for a rotation sensor -> earth: the third row of its
// rotation matrix (cheaper than rotating the vector).
inline Vec3 up_in(const Eigen::Quaterniond& q) {
  const double w = q.w(), x = q.x(), y = q.y(), z = q.z();
  return Vec3(2.0 * (x * z - w * y), 2.0 * (y * z + w * x), 1.0 - 2.0 * (x * x + y * y));
}

// The horizontal (x, y) part of q·v for a unit quaternion: the first two rows of its rotation
// matrix times v (the pelvis heading needs nothing else).
inline Eigen::Vector2d rotate_xy(const Eigen::Quaterniond& q, const Vec3& v) {
  const double w = q.w(), x = q.x(), y = q.y(), z = q.z();
  return {(1.0 - 2.0 * (y * y + z * z)) * v.x() + 2.0 * (x * y - w * z) * v.y() +
              2.0 * (x * z + w * y) * v.z(),
          2.0 * (x * y + w * z) * v.x() + (1.0 - 2.0 * (x * x + z * z)) * v.y() +
              2.0 * (y * z - w * x) * v.z()};
}

// Two rates: the gyroscope is integrated every sample (integrate()); the accelerometer
// correction, rest detection and bias estimation run once per block of `correction_every`
// samples on the block means (correct()), which is what makes the filter cheap at high rates.
class OrientationFilter {
 public:
  OrientationFilter(const OrientationParams& params, double sample_period_s,
                    int correction_every = 1);

  // One sample: specific force (m/s²) and angular rate (rad/s) in the sensor frame
  // (integrate + correct with a block of one sample; needs correction_every == 1).
  void update(const Vec3& acc, const Vec3& gyr) {
    integrate(gyr);
    correct(acc, gyr);
  }
  // Gyroscope step of one sample (bias removed inside).
  void integrate(const Vec3& gyr) {
    q_gyr_ = q_gyr_ * delta_rotation(gyr - bias_, dt_);
    // First-order renormalisation: |q| stays within 1e-12 of 1 without a square root.
    q_gyr_.coeffs() *= 0.5 * (3.0 - q_gyr_.squaredNorm());
  }
  // Accelerometer correction from the mean specific force and rate of the last block.
  void correct(const Vec3& acc_mean, const Vec3& gyr_mean);
  // Heading correction from the block's mean magnetic field (sensor frame, any unit), after
  // correct() of the same block. Without calls the filter is 6-axis (heading drifts).
  void correct_heading(const Vec3& mag_mean);
  const MagStats& mag_stats() const { return mag_; }
  // Restart after a gap: keeps the bias, re-initialises the inclination from the next sample.
  void restart();

  // Rotation sensor -> earth (E: z up).
  Eigen::Quaterniond orientation() const { return q_inc_ * q_gyr_; }
  // The world "up" direction expressed in the sensor frame (unit vector), now.
  Vec3 up_in_sensor() const { return up_in(orientation()); }
  Vec3 gyro_bias() const { return bias_; }
  bool at_rest() const { return rest_time_s_ >= params_.rest_min_duration_s; }
  bool turning() const { return std::abs(yaw_rate_mean_) > params_.turn_rate_rads; }
  const OrientationParams& params() const { return params_; }

 private:
  // Rotation by angle |w|·dt about w. Small angles use a series (no trigonometry).
  static Eigen::Quaterniond delta_rotation(const Vec3& w, double dt) {
    const Vec3 half = 0.5 * dt * w;
    const double a2 = half.squaredNorm();  // (theta/2)^2
    if (a2 < 1e-4) {
      const double c = 1.0 - 0.5 * a2 + a2 * a2 / 24.0;
      const double s = 1.0 - a2 / 6.0 + a2 * a2 / 120.0;  // sin(x)/x
      return Eigen::Quaterniond(c, s * half.x(), s * half.y(), s * half.z());
    }
    const double a = std::sqrt(a2);
    const double s = std::sin(a) / a;
    return Eigen::Quaterniond(std::cos(a), s * half.x(), s * half.y(), s * half.z());
  }
  void initialise(const Vec3& acc);
  void update_rest(const Vec3& acc, const Vec3& gyr);
  void adjust_bias(const Vec3& delta);  // adds delta, keeps |bias| <= max_bias_rads per axis

  OrientationParams params_;
  double dt_;       // sample period, s
  double dt_corr_;  // correction period, s
  bool initialised_ = false;
  Eigen::Quaterniond q_gyr_ = Eigen::Quaterniond::Identity();  // I <- S (gyro strapdown)
  Eigen::Quaterniond q_inc_ = Eigen::Quaterniond::Identity();  // E <- I (inclination)
  LowPass2<3> acc_lp_;                                         // specific force in I
  Vec3 bias_ = Vec3::Zero();
  // Rest detection: first-order means of gyro and acc.
  double rest_alpha_ = 0.0, rest_bias_alpha_ = 0.0, motion_bias_gain_ = 0.0;
  Vec3 gyr_mean_ = Vec3::Zero(), acc_mean_ = Vec3::Zero();
  double rest_time_s_ = 0.0;
  double yaw_rate_mean_ = 0.0;  // 0.5 s mean of the rate about "up", rad/s
  // Magnetometer: reference field norm and dip (rad), disturbed time so far, gains.
  double mag_gain_ = 0.0, mag_ref_alpha_ = 0.0;
  double mag_norm_ref_ = 0.0, mag_dip_ref_ = 0.0, mag_disturbed_s_ = 0.0;
  bool mag_heading_set_ = false;
  MagStats mag_;
};

}  // namespace stridelab::dsp
