// Alignment for any mounting: the anterior and left axes found from the data agree with the
// simulator's mounting (compared in the horizontal plane; the vertical is the standing
// posture, which includes the pelvis' neutral tilt by design).
#include <gtest/gtest.h>

#include <cmath>

#include "accuracy/accuracy_common.hpp"
#include "stridelab/sim/simulator.hpp"

using namespace stridelab;

namespace {

double horizontal_angle_deg(const Vec3& a, const Vec3& b, const Vec3& up) {
  const Vec3 ah = (a - a.dot(up) * up).normalized(), bh = (b - b.dot(up) * up).normalized();
  return std::acos(std::clamp(ah.dot(bh), -1.0, 1.0)) * 180.0 / M_PI;
}

void check(sim::Activity activity, const std::string& mounting, std::uint64_t seed) {
  sim::SimParams p;
  p.activity = activity;
  p.rate_hz = 100;
  p.gait_duration_s = 20;
  p.seed = seed;
  p.mounting = sim::mounting_preset(mounting, seed);
  sim::apply_noise_preset(p, "realistic");
  const auto sim = sim::simulate(p);
  const SensorData& s = sim.recording.primary();
  const auto run = accuracy::analyze(s, accuracy::params_for(s));
  const dsp::Calibration& cal = run.summary.calibration;
  ASSERT_TRUE(cal.valid) << mounting;
  EXPECT_EQ(cal.up_method, "standing");
  // Truth: v_pelvis = mounting * v_sensor, so pelvis axis e_i in sensor coordinates is
  // mounting⁻¹ * e_i.
  const Eigen::Quaterniond inv = p.mounting.conjugate();
  const Vec3 up = cal.sensor_to_pelvis.row(2).transpose();
  const Vec3 x = cal.sensor_to_pelvis.row(0).transpose();
  const Vec3 y = cal.sensor_to_pelvis.row(1).transpose();
  EXPECT_LT(horizontal_angle_deg(x, inv * Vec3::UnitX(), up), 5.0) << mounting;
  EXPECT_LT(horizontal_angle_deg(y, inv * Vec3::UnitY(), up), 5.0) << mounting;
  // The standing "up" is the pelvis z axis tilted by the neutral posture (10° anterior tilt).
  const double up_err = std::acos(std::clamp(up.dot(inv * Vec3::UnitZ()), -1.0, 1.0)) * 180 / M_PI;
  EXPECT_NEAR(up_err, p.neutral_tilt_deg, 2.0) << mounting;
  EXPECT_GT(cal.anterior_confidence, 0.75);
  EXPECT_NEAR(cal.sensor_to_pelvis.determinant(), 1.0, 1e-9);  // a rotation, never mirrored
}

}  // namespace

TEST(Alignment, FindsTheMountingWalking) {
  for (const char* m : {"identity", "upside_down", "rot90", "rot180", "tilted", "random"})
    check(sim::Activity::kWalk, m, 41);
}

TEST(Alignment, FindsTheMountingRunning) {
  for (const char* m : {"identity", "upside_down", "rot90", "rot180", "tilted", "random"})
    check(sim::Activity::kRun, m, 43);
}
