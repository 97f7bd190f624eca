#include "sim/gait_plan.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>
#include <string>

#include "sim/random.hpp"
#include "stridelab/core/error.hpp"

namespace stridelab::sim {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kDeg = kPi / 180.0;
constexpr std::uint64_t kGaitStream = 1;

void check(bool ok, const std::string& name, double value, const std::string& rule) {
  if (ok && std::isfinite(value)) return;
  std::ostringstream s;
  s << name << " = " << value << " is invalid (" << rule << ")";
  fail_at("simulate", s.str());
}

// Rising half-cosine from 0 at a to 1 at b: C¹, as a jet in t.
Jet ramp(double t, double a, double b) {
  if (t <= a) return Jet::constant(0.0);
  if (t >= b) return Jet::constant(1.0);
  const double w = b - a, u = (t - a) / w;
  return {0.5 * (1.0 - std::cos(kPi * u)), 0.5 * kPi / w * std::sin(kPi * u),
          0.5 * kPi * kPi / (w * w) * std::cos(kPi * u)};
}

}  // namespace

SimParams resolve_params(const SimParams& in) {
  SimParams p = in;
  const bool run = p.activity == Activity::kRun;
  if (p.cadence_spm == 0.0) p.cadence_spm = run ? 170.0 : 110.0;
  if (p.speed_ms == 0.0) p.speed_ms = run ? 3.3 : 1.3;
  if (p.contact_time_s == 0.0) p.contact_time_s = run ? 0.25 * 170.0 / p.cadence_spm : 0.0;
  check(p.rate_hz >= 10.0 && p.rate_hz <= 10000.0, "rate_hz", p.rate_hz, "10..10000 Hz");
  check(p.standing_before_s >= 0.0, "standing_before_s", p.standing_before_s, ">= 0 s");
  check(p.standing_after_s >= 0.0, "standing_after_s", p.standing_after_s, ">= 0 s");
  check(p.gait_duration_s >= 0.0 && p.gait_duration_s <= 24 * 3600.0, "gait_duration_s",
        p.gait_duration_s, "0..86400 s");
  check(p.cadence_spm >= 30.0 && p.cadence_spm <= 260.0, "cadence_spm", p.cadence_spm,
        "30..260 steps/min");
  check(p.cadence_cv >= 0.0 && p.cadence_cv <= 0.2, "cadence_cv", p.cadence_cv, "0..0.2");
  const double step = 60.0 / p.cadence_spm;
  if (run)
    check(p.contact_time_s > 0.05 * step && p.contact_time_s < 0.85 * step, "contact_time_s",
          p.contact_time_s, "running needs a flight phase: 5..85 % of the step time");
  check(p.speed_ms >= 0.0 && p.speed_ms <= 12.0, "speed_ms", p.speed_ms, "0..12 m/s");
  check(std::abs(p.drop_left_deg) <= 30.0, "drop_left_deg", p.drop_left_deg, "|drop| <= 30 deg");
  check(std::abs(p.drop_right_deg) <= 30.0, "drop_right_deg", p.drop_right_deg, "|drop| <= 30 deg");
  check(p.drop_sd_deg >= 0.0 && p.drop_sd_deg <= 10.0, "drop_sd_deg", p.drop_sd_deg, "0..10 deg");
  check(std::abs(p.drop_trend_deg_per_10min) <= 10.0, "drop_trend_deg_per_10min",
        p.drop_trend_deg_per_10min, "|trend| <= 10 deg per 10 min");
  check(p.rotation_amplitude_deg >= 0.0 && p.rotation_amplitude_deg <= 60.0,
        "rotation_amplitude_deg", p.rotation_amplitude_deg, "0..60 deg");
  check(p.tilt_amplitude_deg >= 0.0 && p.tilt_amplitude_deg <= 40.0, "tilt_amplitude_deg",
        p.tilt_amplitude_deg, "0..40 deg");
  check(std::abs(p.neutral_obliquity_deg) <= 30.0, "neutral_obliquity_deg", p.neutral_obliquity_deg,
        "|value| <= 30 deg");
  check(std::abs(p.neutral_tilt_deg) <= 45.0, "neutral_tilt_deg", p.neutral_tilt_deg,
        "|value| <= 45 deg");
  check(std::isfinite(p.initial_heading_deg), "initial_heading_deg", p.initial_heading_deg,
        "finite");
  for (std::size_t i = 0; i < p.turns.size(); ++i) {
    const std::string n = "turns[" + std::to_string(i) + "].";
    check(p.turns[i].duration_s > 0.0, n + "duration_s", p.turns[i].duration_s, "> 0 s");
    check(std::isfinite(p.turns[i].start_s), n + "start_s", p.turns[i].start_s, "finite");
    check(std::abs(p.turns[i].angle_deg) <= 3600.0, n + "angle_deg", p.turns[i].angle_deg,
          "|angle| <= 3600 deg");
  }
  const double qn = p.mounting.norm();
  check(qn > 1e-6, "mounting", qn, "quaternion norm > 0");
  p.mounting.normalize();
  check(p.lever_arm_m.allFinite() && p.lever_arm_m.norm() <= 1.0, "lever_arm_m",
        p.lever_arm_m.norm(), "|lever arm| <= 1 m");
  check(p.acc_noise_ms2 >= 0.0, "acc_noise_ms2", p.acc_noise_ms2, ">= 0");
  check(p.gyr_noise_rads >= 0.0, "gyr_noise_rads", p.gyr_noise_rads, ">= 0");
  check(p.acc_bias_ms2.allFinite(), "acc_bias_ms2", p.acc_bias_ms2.norm(), "finite");
  check(p.gyr_bias_rads.allFinite(), "gyr_bias_rads", p.gyr_bias_rads.norm(), "finite");
  check(p.acc_scale_error > -0.5 && p.acc_scale_error < 0.5, "acc_scale_error", p.acc_scale_error,
        "-0.5..0.5");
  check(p.gyr_scale_error > -0.5 && p.gyr_scale_error < 0.5, "gyr_scale_error", p.gyr_scale_error,
        "-0.5..0.5");
  check(p.acc_range_ms2 >= 0.0, "acc_range_ms2", p.acc_range_ms2, ">= 0 (0 = no saturation)");
  check(p.gyr_range_rads >= 0.0, "gyr_range_rads", p.gyr_range_rads, ">= 0 (0 = no saturation)");
  check(p.acc_bits >= 0 && p.acc_bits <= 32 && (p.acc_bits == 0 || p.acc_range_ms2 > 0.0),
        "acc_bits", p.acc_bits, "0..32, and quantisation needs acc_range_ms2 > 0");
  check(p.gyr_bits >= 0 && p.gyr_bits <= 32 && (p.gyr_bits == 0 || p.gyr_range_rads > 0.0),
        "gyr_bits", p.gyr_bits, "0..32, and quantisation needs gyr_range_rads > 0");
  check(p.dropout_rate_per_min >= 0.0 && p.dropout_rate_per_min <= 600.0, "dropout_rate_per_min",
        p.dropout_rate_per_min, "0..600 per minute");
  if (p.first_side == Side::kUnknown) p.first_side = Side::kLeft;
  return p;
}

GaitPlan::GaitPlan(const SimParams& p) {
  nominal_step_ = 60.0 / p.cadence_spm;
  nominal_contact_ =
      p.activity == Activity::kRun ? p.contact_time_s : 2.0 * kWalkStanceFraction * nominal_step_;
  gait_start_ = p.standing_before_s;
  gait_end_ = gait_start_;
  heading0_ = p.initial_heading_deg * kDeg;
  turns_ = p.turns;
  for (auto& t : turns_) t.start_s += gait_start_;
  sample_steps(p);
  total_ = gait_end_ + p.standing_after_s;
  build_phase_rates();
}

void GaitPlan::sample_steps(const SimParams& p) {
  const auto n = static_cast<std::size_t>(std::llround(p.gait_duration_s / nominal_step_));
  if (p.gait_duration_s == 0.0) return;
  if (n < 4)
    fail_at("simulate", "gait_duration_s = " + std::to_string(p.gait_duration_s) +
                            " s is too short: at least 4 steps are needed");
  Rng rng(p.seed, kGaitStream);
  std::vector<double> times(n), drop_noise(n);
  double sum = 0.0;
  for (std::size_t k = 0; k < n; ++k) {
    const double z = std::clamp(rng.normal(), -3.0, 3.0);  // bounded: no absurd steps
    times[k] = nominal_step_ * (1.0 + p.cadence_cv * z);
    drop_noise[k] = rng.normal();
    sum += times[k];
  }
  // Scale so the gait lasts exactly the requested duration.
  for (auto& t : times) t *= p.gait_duration_s / sum;

  ic_.resize(n + 1);
  ic_[0] = gait_start_;
  for (std::size_t k = 0; k < n; ++k) ic_[k + 1] = ic_[k] + times[k];
  ic_[n] = gait_start_ + p.gait_duration_s;

  const std::size_t ramp_steps = std::min<std::size_t>(2, n / 3);
  ramp_up_end_ = ic_[ramp_steps];
  ramp_down_start_ = ic_[n - ramp_steps];
  gait_end_ = ic_[n];

  steps_.resize(n);
  const bool run = p.activity == Activity::kRun;
  for (std::size_t k = 0; k < n; ++k) {
    PlannedStep& s = steps_[k];
    s.ic_s = ic_[k];
    s.step_time_s = ic_[k + 1] - ic_[k];
    const bool first_left = p.first_side != Side::kRight;
    s.side = ((k % 2 == 0) == first_left) ? Side::kLeft : Side::kRight;
    s.sign = s.side == Side::kLeft ? 1.0 : -1.0;
    if (run) {
      s.contact_time_s = p.contact_time_s * s.step_time_s / nominal_step_;
    } else {
      // Stance = 60 % of the stride that starts here; the last step has no next one.
      const double next = k + 1 < n ? ic_[k + 2] - ic_[k + 1] : s.step_time_s;
      s.contact_time_s = kWalkStanceFraction * (s.step_time_s + next);
    }
    s.envelope = envelope(s.ic_s + 0.5 * s.step_time_s).v;
    const double mean = (s.side == Side::kLeft ? p.drop_left_deg : p.drop_right_deg) +
                        p.drop_trend_deg_per_10min * (s.ic_s - ic_[0]) / 600.0;
    s.drop_rad = s.envelope * (mean + p.drop_sd_deg * drop_noise[k]) * kDeg;
    s.in_turn = overlaps_turn(s.ic_s, s.ic_s + s.step_time_s);
  }
}

// Phase rate: continuous, piecewise quadratic between contacts, with exactly one step of phase
// between consecutive contacts. Node rates average the neighbouring steps.
void GaitPlan::build_phase_rates() {
  const std::size_t m = ic_.size();
  node_rate_.assign(m, 1.0 / nominal_step_);
  if (m < 2) return;
  node_rate_[0] = 1.0 / (ic_[1] - ic_[0]);
  node_rate_[m - 1] = 1.0 / (ic_[m - 1] - ic_[m - 2]);
  for (std::size_t k = 1; k + 1 < m; ++k) node_rate_[k] = 2.0 / (ic_[k + 1] - ic_[k - 1]);
}

std::size_t GaitPlan::step_at(double t) const {
  if (steps_.empty() || t < ic_.front() || t >= ic_.back()) return npos;
  const auto it = std::upper_bound(ic_.begin(), ic_.end(), t);
  return static_cast<std::size_t>(it - ic_.begin()) - 1;
}

double GaitPlan::envelope_at_contact(std::size_t k) const {
  return envelope(ic_[k]).v;
}

Jet GaitPlan::phase(double t) const {
  if (ic_.size() < 2) return {(t - gait_start_) / nominal_step_, 1.0 / nominal_step_, 0.0};
  if (t < ic_.front()) return {(t - ic_.front()) * node_rate_.front(), node_rate_.front(), 0.0};
  if (t >= ic_.back()) {
    const double k = static_cast<double>(ic_.size() - 1);
    return {k + (t - ic_.back()) * node_rate_.back(), node_rate_.back(), 0.0};
  }
  const std::size_t k = step_at(t);
  const double T = ic_[k + 1] - ic_[k], s = (t - ic_[k]) / T;
  const double r0 = node_rate_[k], r1 = node_rate_[k + 1];
  const double c = 6.0 * (1.0 / T - 0.5 * (r0 + r1));
  const double value = static_cast<double>(k) + T * (r0 * (s - 0.5 * s * s) + r1 * 0.5 * s * s +
                                                     c * (0.5 * s * s - s * s * s / 3.0));
  const double rate = r0 * (1.0 - s) + r1 * s + c * s * (1.0 - s);
  const double accel = (r1 - r0 + c * (1.0 - 2.0 * s)) / T;
  return {value, rate, accel};
}

Jet GaitPlan::envelope(double t) const {
  if (steps_.empty() || t <= gait_start_ || t >= gait_end_) return Jet::constant(0.0);
  if (t < ramp_up_end_) return ramp(t, gait_start_, ramp_up_end_);
  if (t > ramp_down_start_) return Jet::constant(1.0) - ramp(t, ramp_down_start_, gait_end_);
  return Jet::constant(1.0);
}

Jet GaitPlan::heading(double t) const {
  Jet h = Jet::constant(heading0_);
  for (const Turn& turn : turns_) {
    const double angle = turn.angle_deg * kDeg;
    const double u = (t - turn.start_s) / turn.duration_s;
    if (u <= 0.0) continue;
    if (u >= 1.0) {
      h.v += angle;
      continue;
    }
    // u − sin(2πu)/2π: yaw rate and yaw acceleration are zero at both ends of the turn.
    const double w = 2.0 * kPi;
    h += angle * Jet{u - std::sin(w * u) / w, (1.0 - std::cos(w * u)) / turn.duration_s,
                     w * std::sin(w * u) / (turn.duration_s * turn.duration_s)};
  }
  return h;
}

bool GaitPlan::overlaps_turn(double a, double b) const {
  for (const Turn& turn : turns_)
    if (turn.start_s < b && turn.start_s + turn.duration_s > a) return true;
  return false;
}

}  // namespace stridelab::sim
