#include "sim/pelvis_motion.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace stridelab::sim {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kDeg = kPi / 180.0;

bool is_zero(const Jet& j) {
  return j.v == 0.0 && j.d == 0.0 && j.dd == 0.0;
}

// Quiet-standing sway: slow and tiny, weighted by `still` (1 standing, 0 in gait).
Jet sway(const Jet& still, double t, double amplitude_deg, double freq_hz, double phase) {
  if (is_zero(still)) return Jet::constant(0.0);
  const double w = 2.0 * kPi * freq_hz;
  return still * ((amplitude_deg * kDeg) * sin(Jet{w * t + phase, w, 0.0}));
}

}  // namespace

void baker_rates(const Jet& psi, const Jet& phi, const Jet& theta, Vec3& omega, Vec3& omega_dot) {
  const double sf = std::sin(phi.v), cf = std::cos(phi.v);
  const double st = std::sin(theta.v), ct = std::cos(theta.v);
  const double dpsi = psi.d, dphi = phi.d, dth = theta.d;
  // ω = Ry(θ)ᵀ·Rx(φ)ᵀ·ẑ·ψ̇ + Ry(θ)ᵀ·x̂·φ̇ + ŷ·θ̇
  omega = Vec3(-dpsi * st * cf + dphi * ct, dpsi * sf + dth, dpsi * ct * cf + dphi * st);
  omega_dot = Vec3(
      -psi.dd * st * cf - dpsi * (ct * dth * cf - st * sf * dphi) + phi.dd * ct - dphi * st * dth,
      psi.dd * sf + dpsi * cf * dphi + theta.dd,
      psi.dd * ct * cf - dpsi * (st * dth * cf + ct * sf * dphi) + phi.dd * st + dphi * ct * dth);
}

PelvisMotion::PelvisMotion(const SimParams& p, const GaitPlan& plan, const ComProfile& com)
    : p_(p), plan_(plan), com_(com) {}

Jet PelvisMotion::sway_weight(double t) const {
  return Jet::constant(1.0) - plan_.envelope(t);
}

Jet PelvisMotion::obliquity(double t) const {
  Jet phi =
      Jet::constant(p_.neutral_obliquity_deg * kDeg) + sway(sway_weight(t), t, 0.1, 0.23, 0.4);
  const auto& steps = plan_.steps();
  // Contralateral drop: a sin² bump over each stance, φ > 0 (right side lower) in left stance.
  auto it = std::upper_bound(steps.begin(), steps.end(), t,
                             [](double x, const PlannedStep& s) { return x < s.ic_s; });
  for (int back = 0; back < 3 && it != steps.begin(); ++back) {
    const PlannedStep& s = *--it;
    const double u = (t - s.ic_s) / s.contact_time_s;
    if (u >= 1.0) continue;
    const double a = s.sign * s.drop_rad, w = 2.0 * kPi / s.contact_time_s;
    const double c = std::cos(2.0 * kPi * u), sn = std::sin(2.0 * kPi * u);
    phi += Jet{0.5 * a * (1.0 - c), 0.5 * a * w * sn, 0.5 * a * w * w * c};
  }
  return phi;
}

Jet PelvisMotion::rotation_oscillation(double t) const {
  // One oscillation per stride; at a left initial contact the left hip is forward, so the
  // pelvis faces right of the heading (ψ − heading at its minimum).
  const double first = p_.first_side == Side::kRight ? -1.0 : 1.0;
  const double half = 0.5 * p_.rotation_amplitude_deg * kDeg;
  const Jet e = plan_.envelope(t);
  Jet out = sway(sway_weight(t), t, 0.15, 0.11, 2.0);
  if (!is_zero(e)) out += (-first * half) * (e * cos(kPi * plan_.phase(t)));
  return out;
}

PelvisAngles PelvisMotion::angles(double t) const {
  PelvisAngles out;
  const Jet e = plan_.envelope(t);
  out.heading = plan_.heading(t);
  out.obliquity = obliquity(t);
  // Tilt: one oscillation per step, least anterior at initial contact.
  const double tilt_half = 0.5 * p_.tilt_amplitude_deg * kDeg;
  out.tilt = Jet::constant(p_.neutral_tilt_deg * kDeg) + sway(sway_weight(t), t, 0.15, 0.17, 1.1);
  if (!is_zero(e))
    out.tilt += tilt_half * (e * cos(2.0 * kPi * plan_.phase(t) - Jet::constant(kPi)));
  out.rotation = out.heading + rotation_oscillation(t);
  return out;
}

MotionState PelvisMotion::state(double t) const {
  MotionState s;
  s.angles = angles(t);
  const Jet& psi = s.angles.rotation;
  const Jet& phi = s.angles.obliquity;
  const Jet& theta = s.angles.tilt;
  s.R = (Eigen::AngleAxisd(psi.v, Vec3::UnitZ()) * Eigen::AngleAxisd(phi.v, Vec3::UnitX()) *
         Eigen::AngleAxisd(theta.v, Vec3::UnitY()))
            .toRotationMatrix();
  baker_rates(psi, phi, theta, s.omega, s.omega_dot);

  // Centre of mass: progression at speed V·e(t) along the heading H, plus the heading-frame
  // oscillation (x forward, y left), whose frame turns with H (Coriolis and centripetal terms).
  const Jet e = plan_.envelope(t);
  const Jet& H = s.angles.heading;
  const AxisState fx = com_.eval(kForward, t), fy = com_.eval(kLateral, t),
                  fz = com_.eval(kVertical, t);
  const double V = p_.speed_ms;
  const double a_fwd = V * e.d + fx.acc - 2.0 * fy.vel * H.d - fy.pos * H.dd - fx.pos * H.d * H.d;
  const double a_left =
      V * e.v * H.d + fy.acc + 2.0 * fx.vel * H.d + fx.pos * H.dd - fy.pos * H.d * H.d;
  const double ch = std::cos(H.v), sh = std::sin(H.v);
  s.com_acc = Vec3(a_fwd * ch - a_left * sh, a_fwd * sh + a_left * ch, fz.acc);
  return s;
}

Vec3 PelvisMotion::point_acceleration(const MotionState& s, const Vec3& r) const {
  return s.com_acc + s.R * (s.omega_dot.cross(r) + s.omega.cross(s.omega.cross(r)));
}

}  // namespace stridelab::sim
