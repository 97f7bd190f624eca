// Orientation filter: inclination from gravity for any mounting, gyro bias at rest, and
// inclination that follows a rotation the accelerometer alone could not see quickly.
#include <gtest/gtest.h>

#include <cmath>

#include "stridelab/dsp/filters.hpp"
#include "stridelab/dsp/orientation.hpp"

using namespace stridelab;
using namespace stridelab::dsp;

TEST(Orientation, UpInSensorFrameMatchesGravityForAnyAttitude) {
  const Eigen::Quaterniond attitudes[] = {
      Eigen::Quaterniond::Identity(), Eigen::Quaterniond(Eigen::AngleAxisd(M_PI, Vec3::UnitX())),
      Eigen::Quaterniond(Eigen::AngleAxisd(1.0, Vec3(1, 2, 3).normalized()))};
  for (const auto& q : attitudes) {
    OrientationFilter f(OrientationParams{}, 0.01);
    const Vec3 up_s = q.conjugate() * Vec3::UnitZ();  // world up seen from the sensor
    for (int i = 0; i < 300; ++i) f.update(kGravity * up_s, Vec3::Zero());
    EXPECT_LT((f.up_in_sensor() - up_s).norm(), 1e-6);
  }
}

TEST(Orientation, EstimatesGyroBiasAtRest) {
  OrientationFilter f(OrientationParams{}, 0.005);
  const Vec3 bias(0.02, -0.01, 0.015);
  for (int i = 0; i < 200 * 20; ++i) f.update(Vec3(0, 0, kGravity), bias);
  EXPECT_TRUE(f.at_rest());
  EXPECT_LT((f.gyro_bias() - bias).norm(), 1e-3);
}

TEST(Orientation, FollowsATiltFromTheGyroscope) {
  // Tilt by 30° about x in 1 s at a constant rate; the accelerometer shows gravity throughout.
  const double dt = 0.005, rate = (30.0 * M_PI / 180.0) / 1.0;
  OrientationFilter f(OrientationParams{}, dt);
  for (int i = 0; i < 400; ++i) f.update(Vec3(0, 0, kGravity), Vec3::Zero());
  Eigen::Quaterniond q = Eigen::Quaterniond::Identity();
  for (int i = 0; i < 200; ++i) {
    q = q * Eigen::Quaterniond(Eigen::AngleAxisd(rate * dt, Vec3::UnitX()));
    f.update(kGravity * (q.conjugate() * Vec3::UnitZ()), Vec3(rate, 0, 0));
  }
  const Vec3 truth = q.conjugate() * Vec3::UnitZ();
  const double err_deg = std::acos(std::clamp(f.up_in_sensor().dot(truth), -1.0, 1.0)) * 180 / M_PI;
  EXPECT_LT(err_deg, 0.5);
}

TEST(FastAtan2, MatchesStdAtan2Everywhere) {
  double worst = 0.0;
  for (int i = 0; i < 3600; ++i) {
    const double a = (i - 1800) * M_PI / 1800.0;
    for (double r : {1e-3, 1.0, 7.5}) {
      const double y = r * std::sin(a), x = r * std::cos(a);
      worst = std::max(worst, std::abs(dsp::fast_atan2(y, x) - std::atan2(y, x)));
    }
  }
  EXPECT_LT(worst, 1e-7);
  EXPECT_EQ(dsp::fast_atan2(0.0, 0.0), 0.0);
}
