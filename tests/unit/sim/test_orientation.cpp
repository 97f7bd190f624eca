// Orientation and rotation consistency: the gyroscope integrates back to the true orientation,
// mountings relate signals by exactly the mounting rotation, and the lever-arm acceleration
// matches the second derivative of the true orientation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "sim_test_util.hpp"

namespace stridelab::sim {
namespace {

using test::ideal_params;

struct GyroCase {
  Activity activity;
  std::string mount;
};

void PrintTo(const GyroCase& c, std::ostream* os) {
  *os << to_string(c.activity) << "/" << c.mount;
}

class GyroIntegration : public ::testing::TestWithParam<GyroCase> {};

TEST_P(GyroIntegration, ReproducesTrueOrientationAfter60s) {
  SimParams p = ideal_params(GetParam().activity, 60.0);
  p.mounting = mounting_preset(GetParam().mount, 7);
  p.turns = {{20.0, 2.0, 90.0}, {40.0, 3.0, -180.0}};  // yaw rates too, not only oscillation
  const SimResult r = simulate(p);
  const SensorData& s = r.recording.sensors[0];
  const std::size_t last = s.size() - 1;
  double worst = 0.0;
  const Eigen::Quaterniond q_end = test::integrate_gyro(
      s, 0, last, sensor_orientation(r.truth, 0), [&](std::size_t i, const Eigen::Quaterniond& q) {
        worst = std::max(worst, test::angle_between_deg(q, sensor_orientation(r.truth, i)));
      });
  const double final_err = test::angle_between_deg(q_end, sensor_orientation(r.truth, last));
  std::cout << "[ gyro ] " << to_string(p.activity) << " mount=" << GetParam().mount
            << " duration=" << s.duration_s() << " s  final error=" << final_err
            << " deg  worst=" << worst << " deg\n";
  RecordProperty("final_error_deg", std::to_string(final_err));
  EXPECT_LT(final_err, 0.5);
  EXPECT_LT(worst, 0.5);
  // A wrong sign or axis would leave the integrated orientation far away; make sure the
  // motion is big enough for that to show.
  EXPECT_GT(r.truth.strides.size(), 40u);
}

INSTANTIATE_TEST_SUITE_P(
    Mountings, GyroIntegration,
    ::testing::Values(GyroCase{Activity::kWalk, "identity"}, GyroCase{Activity::kWalk, "rot90"},
                      GyroCase{Activity::kWalk, "tilted"}, GyroCase{Activity::kWalk, "random"},
                      GyroCase{Activity::kRun, "identity"}, GyroCase{Activity::kRun, "upside-down"},
                      GyroCase{Activity::kRun, "random"}),
    [](const auto& param_info) {
      std::string m = param_info.param.mount;
      std::replace(m.begin(), m.end(), '-', '_');
      return to_string(param_info.param.activity) + "_" + m;
    });

TEST(Mounting, SignalsRelatedExactlyByMountingRotation) {
  for (Activity a : {Activity::kWalk, Activity::kRun}) {
    SimParams pa = ideal_params(a, 20.0), pb = pa;
    pa.mounting = mounting_preset("tilted");
    pb.mounting = mounting_from_euler_zyx_deg(-120.0, 40.0, 170.0);
    const SimResult ra = simulate(pa), rb = simulate(pb);
    const SensorData &sa = ra.recording.sensors[0], &sb = rb.recording.sensors[0];
    ASSERT_EQ(sa.size(), sb.size());
    // v_pelvis = mounting * v_sensor  ⇒  v_b = mb⁻¹ · ma · v_a
    const Eigen::Matrix3d m = (pb.mounting.conjugate() * pa.mounting).toRotationMatrix();
    double worst_acc = 0.0, worst_gyr = 0.0, largest = 0.0;
    for (std::size_t i = 0; i < sa.size(); ++i) {
      worst_acc = std::max(worst_acc, (m * sa.acc[i] - sb.acc[i]).norm());
      worst_gyr = std::max(worst_gyr, (m * sa.gyr[i] - sb.gyr[i]).norm());
      largest = std::max(largest, (sa.acc[i] - sb.acc[i]).norm());
    }
    EXPECT_LT(worst_acc, 1e-9);
    EXPECT_LT(worst_gyr, 1e-12);
    EXPECT_GT(largest, 5.0);  // the two mountings really read differently
  }
}

TEST(Mounting, SensorReadsPelvisSignalsThroughInverseMounting) {
  // Upside down (180° about x): the sensor's z points down, so standing reads −g on z.
  SimParams p = ideal_params(Activity::kWalk, 10.0);
  p.neutral_tilt_deg = 0.0;
  p.neutral_obliquity_deg = 0.0;
  p.mounting = mounting_preset("upside-down");
  const SimResult r = simulate(p);
  EXPECT_NEAR(r.recording.sensors[0].acc[10].z(), -kGravity, 0.01);
  p.mounting = mounting_preset("rot90");  // sensor x = pelvis left, sensor y = pelvis back
  p.neutral_tilt_deg = 20.0;              // pelvis x points down: f_pelvis,x = −g·sin 20°
  const SimResult r90 = simulate(p);
  // (tolerance: quiet-standing sway of about 0.15°)
  EXPECT_NEAR(r90.recording.sensors[0].acc[10].y(), kGravity * std::sin(20.0 * M_PI / 180.0), 0.05);
  EXPECT_NEAR(r90.recording.sensors[0].acc[10].x(), 0.0, 0.05);
}

TEST(LeverArm, AccelerationDifferenceIsSecondDerivativeOfRotatedLever) {
  for (Activity a : {Activity::kWalk, Activity::kRun}) {
    SimParams p1 = ideal_params(a, 20.0), p2 = p1;
    p1.rate_hz = p2.rate_hz = 1000.0;
    p2.lever_arm_m = Vec3(0.05, 0.12, -0.1);
    const Vec3 dr = p2.lever_arm_m - p1.lever_arm_m;
    const SimResult r1 = simulate(p1), r2 = simulate(p2);
    const SensorData& s1 = r1.recording.sensors[0];
    const double h = 1.0 / p1.rate_hz;
    auto lever_world = [&](std::size_t i) {
      return Vec3(pelvis_rotation(r1.truth.rotation_deg[i], r1.truth.obliquity_deg[i],
                                  r1.truth.tilt_deg[i]) *
                  dr);
    };
    std::vector<double> err;
    double largest = 0.0;
    for (std::size_t i = 1; i + 1 < s1.size(); ++i) {
      const Vec3 numeric =
          (lever_world(i + 1) - 2.0 * lever_world(i) + lever_world(i - 1)) / (h * h);
      const Vec3 sim = test::world_specific_force(r2, i) - test::world_specific_force(r1, i);
      err.push_back((numeric - sim).norm());
      largest = std::max(largest, sim.norm());
    }
    std::sort(err.begin(), err.end());
    const double median = err[err.size() / 2], p99 = err[err.size() * 99 / 100];
    std::cout << "[ lever ] " << to_string(a) << " largest lever acc=" << largest
              << " m/s2  error median=" << median << " p99=" << p99 << " m/s2\n";
    EXPECT_GT(largest, 0.2);
    EXPECT_LT(median, 1e-3);
    EXPECT_LT(p99, 0.02);  // the rest: samples next to a jump in angular acceleration
  }
}

}  // namespace
}  // namespace stridelab::sim
