// Public helpers: activity names, Baker orientation, mountings and sensor error presets.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <numbers>

#include "sim/random.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/sim/simulator.hpp"

namespace stridelab::sim {
namespace {

constexpr double kDeg = std::numbers::pi / 180.0;
constexpr std::uint64_t kMountStream = 5;
constexpr std::uint64_t kBiasStream = 4;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

std::string to_string(Activity a) {
  return a == Activity::kRun ? "run" : "walk";
}

Activity activity_from_string(const std::string& s) {
  const std::string l = lower(s);
  if (l == "walk" || l == "walking") return Activity::kWalk;
  if (l == "run" || l == "running") return Activity::kRun;
  throw Error("unknown activity '" + s + "' (expected walk or run)");
}

Eigen::Matrix3d pelvis_rotation(double rotation_deg, double obliquity_deg, double tilt_deg) {
  return (Eigen::AngleAxisd(rotation_deg * kDeg, Vec3::UnitZ()) *
          Eigen::AngleAxisd(obliquity_deg * kDeg, Vec3::UnitX()) *
          Eigen::AngleAxisd(tilt_deg * kDeg, Vec3::UnitY()))
      .toRotationMatrix();
}

Eigen::Quaterniond sensor_orientation(const Truth& truth, std::size_t i) {
  if (i >= truth.rotation_deg.size() || i >= truth.obliquity_deg.size() ||
      i >= truth.tilt_deg.size())
    throw Error("sensor_orientation: sample " + std::to_string(i) +
                " has no per-sample truth angles");
  const Eigen::Quaterniond pelvis(
      pelvis_rotation(truth.rotation_deg[i], truth.obliquity_deg[i], truth.tilt_deg[i]));
  return (pelvis * truth.mounting).normalized();
}

Eigen::Quaterniond mounting_from_euler_zyx_deg(double z_deg, double y_deg, double x_deg) {
  return Eigen::Quaterniond(Eigen::AngleAxisd(z_deg * kDeg, Vec3::UnitZ()) *
                            Eigen::AngleAxisd(y_deg * kDeg, Vec3::UnitY()) *
                            Eigen::AngleAxisd(x_deg * kDeg, Vec3::UnitX()))
      .normalized();
}

Eigen::Quaterniond mounting_preset(const std::string& name, std::uint64_t seed) {
  const std::string n = lower(name);
  if (n == "identity") return Eigen::Quaterniond::Identity();
  if (n == "upside-down" || n == "upside_down") return mounting_from_euler_zyx_deg(0, 0, 180);
  if (n == "rot90") return mounting_from_euler_zyx_deg(90, 0, 0);
  if (n == "rot180") return mounting_from_euler_zyx_deg(180, 0, 0);
  if (n == "tilted") return mounting_from_euler_zyx_deg(30, 25, -15);
  if (n == "random") {
    // Uniform on SO(3): a normalised 4-D Gaussian vector.
    Rng rng(seed, kMountStream);
    Eigen::Quaterniond q(rng.normal(), rng.normal(), rng.normal(), rng.normal());
    return q.normalized();
  }
  throw Error("unknown mounting '" + name +
              "' (expected identity, upside-down, rot90, rot180, tilted or random)");
}

void apply_noise_preset(SimParams& p, const std::string& level) {
  const std::string l = lower(level);
  double acc_noise, gyr_noise, acc_bias, gyr_bias, scale;
  int bits = 16;
  if (l == "none") {
    p.acc_noise_ms2 = p.gyr_noise_rads = 0.0;
    p.acc_bias_ms2 = p.gyr_bias_rads = Vec3::Zero();
    p.acc_scale_error = p.gyr_scale_error = 0.0;
    p.acc_bits = p.gyr_bits = 0;
    return;
  } else if (l == "low") {
    acc_noise = 0.01, gyr_noise = 0.001, acc_bias = 0.02, gyr_bias = 0.002, scale = 0.002;
  } else if (l == "realistic") {
    acc_noise = 0.04, gyr_noise = 0.003, acc_bias = 0.08, gyr_bias = 0.005, scale = 0.005;
  } else if (l == "high") {
    acc_noise = 0.15, gyr_noise = 0.01, acc_bias = 0.25, gyr_bias = 0.02, scale = 0.02;
    bits = 12;
  } else {
    throw Error("unknown noise level '" + level + "' (expected none, low, realistic or high)");
  }
  Rng rng(p.seed, kBiasStream);
  p.acc_noise_ms2 = acc_noise;
  p.gyr_noise_rads = gyr_noise;
  for (int i = 0; i < 3; ++i) p.acc_bias_ms2[i] = acc_bias * rng.normal();
  for (int i = 0; i < 3; ++i) p.gyr_bias_rads[i] = gyr_bias * rng.normal();
  p.acc_scale_error = scale * rng.normal();
  p.gyr_scale_error = scale * rng.normal();
  p.acc_bits = p.gyr_bits = bits;
}

}  // namespace stridelab::sim
