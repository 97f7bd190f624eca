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
constexpr std::uint64_t kBoutStream = 7;
constexpr double kDailyLivingCadence = 95.0;  // steps/min
// Gait initiation and termination of the presets with standing, s: about one step (the first
// swing lasts about a step; steady speed is reached by the end of the first step, Brenière &
// Do 1986).
constexpr double kStartStopS = 0.6;

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

std::vector<Bout> daily_living_bouts(double duration_s, std::uint64_t seed) {
  Rng rng(seed, kBoutStream);
  std::vector<Bout> out;
  const double step = 60.0 / kDailyLivingCadence;
  double total = 0.0;
  while (total < duration_s || out.size() < 2) {
    Bout b;
    b.steps = rng.uniform() < 0.5 ? 2 : 3;
    b.pause_after_s = 1.0 + 2.0 * rng.uniform();  // 1–3 s
    const double turn = rng.uniform(), angle = 90.0 + 90.0 * rng.uniform();
    if (turn < 0.7) {
      b.turn_after_deg = turn < 0.35 ? angle : -angle;
      // Time for the turn on the spot: 180° need 2 s of standing (1.5 s of turning).
      b.pause_after_s = std::max(b.pause_after_s, 1.0 + std::abs(b.turn_after_deg) / 180.0);
    }
    total += 1.2 * step * b.steps + b.pause_after_s;  // hesitant steps are about 20 % longer
    out.push_back(b);
  }
  out.back().pause_after_s = 0.0;  // nothing follows the last bout
  out.back().turn_after_deg = 0.0;
  return out;
}

void apply_gait_preset(SimParams& p, const std::string& name) {
  const std::string n = lower(name);
  const SimParams textbook;
  if (n == "textbook") {
    p.step_time_ratio = textbook.step_time_ratio;
    p.loading_left = textbook.loading_left;
    p.loading_right = textbook.loading_right;
    p.vertical_scale = textbook.vertical_scale;
    p.impact_scale = textbook.impact_scale;
    p.impact_width_s = textbook.impact_width_s;
    p.start_step_factor = textbook.start_step_factor;
    p.stop_step_factor = textbook.stop_step_factor;
    p.transition_cv = textbook.transition_cv;
    p.start_stop_s = textbook.start_stop_s;
    p.pauses.clear();
    p.bouts.clear();
  } else if (n == "limp") {
    p.step_time_ratio = 1.5;
    p.loading_right = 0.7;
  } else if (n == "slow-shuffle" || n == "slow_shuffle") {
    p.cadence_spm = 55.0;
    p.vertical_scale = 0.5;
    p.impact_scale = 0.4;
    p.impact_width_s = 0.08;
    p.rotation_amplitude_deg = 5.0;
    p.tilt_amplitude_deg = 1.5;
  } else if (n == "hesitant") {
    p.start_step_factor = 1.5;
    p.stop_step_factor = 1.4;
    p.transition_cv = 0.08;
    p.start_stop_s = kStartStopS;
    const double d = p.gait_duration_s;
    p.pauses = {{d / 3.0, 2.0, 0.0}, {2.0 * d / 3.0, 2.0, 0.0}};
  } else if (n == "daily-living" || n == "daily_living") {
    p.cadence_spm = kDailyLivingCadence;
    p.start_step_factor = 1.4;
    p.stop_step_factor = 1.3;
    p.transition_cv = 0.05;
    p.start_stop_s = kStartStopS;
    p.bouts = daily_living_bouts(p.gait_duration_s, p.seed);
  } else {
    throw Error("unknown gait preset '" + name +
                "' (expected textbook, limp, slow-shuffle, hesitant or daily-living)");
  }
}

}  // namespace stridelab::sim
