#pragma once
// Pelvis motion in the world: Baker angles (rotation ψ, obliquity φ, tilt θ) as jets, the
// orientation R = Rz(ψ)·Rx(φ)·Ry(θ), the body angular rate and its derivative, and the
// centre-of-mass acceleration (heading-frame profile plus progression and turn terms).
#include <Eigen/Core>

#include "sim/com_profile.hpp"
#include "sim/gait_plan.hpp"
#include "sim/jet.hpp"

namespace stridelab::sim {

struct PelvisAngles {
  Jet rotation, obliquity, tilt;  // rad
  Jet heading;                    // direction of travel, rad (part of rotation)
};

struct MotionState {
  PelvisAngles angles;
  Eigen::Matrix3d R;  // pelvis frame → world
  Vec3 omega;         // angular rate, pelvis frame, rad/s
  Vec3 omega_dot;     // its time derivative, pelvis frame, rad/s²
  Vec3 com_acc;       // centre-of-mass acceleration, world, m/s²
};

class PelvisMotion {
 public:
  PelvisMotion(const SimParams& resolved, const GaitPlan& plan, const ComProfile& com);

  PelvisAngles angles(double t) const;
  Jet obliquity(double t) const;             // rad
  Jet rotation_oscillation(double t) const;  // rotation minus heading, rad
  MotionState state(double t) const;
  // Acceleration of a point fixed at r (pelvis frame) on the pelvis, world, m/s².
  Vec3 point_acceleration(const MotionState& s, const Vec3& r) const;

 private:
  Jet sway_weight(double t) const;  // 1 in standing, 0 in gait

  const SimParams& p_;
  const GaitPlan& plan_;
  const ComProfile& com_;
};

// Body angular rate and its derivative from Baker angle jets (ψ about z, then φ about x, then
// θ about y).
void baker_rates(const Jet& psi, const Jet& phi, const Jet& theta, Vec3& omega, Vec3& omega_dot);

}  // namespace stridelab::sim
