// simulate(): the gait plan, CoM profile and pelvis motion turned into IMU samples, plus the
// ground truth measured from the very curves the samples were made from.
#include <algorithm>
#include <cmath>
#include <numbers>

#include "sim/com_profile.hpp"
#include "sim/gait_plan.hpp"
#include "sim/pelvis_motion.hpp"
#include "sim/random.hpp"
#include "sim/sensor_model.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/core/version.hpp"
#include "stridelab/sim/simulator.hpp"

namespace stridelab::sim {
namespace {

constexpr double kRadToDeg = 180.0 / std::numbers::pi;
constexpr std::uint64_t kNoiseStream = 2;
constexpr std::uint64_t kDropoutStream = 3;
constexpr std::uint64_t kMagStream = 4;  // own stream: the acc/gyr noise stays the same

// Earth field plus any disturbance active at t, world frame, µT.
Vec3 world_field(const SimParams& p, double t) {
  Vec3 b = p.earth_field_uT;
  for (const MagDisturbance& d : p.mag_disturbances)
    if (t >= d.start_s && t < d.start_s + d.duration_s) b += d.field_uT;
  return b;
}

// Golden-section refinement of a maximum of f bracketed in [lo, hi].
template <class F>
double refine_max(F f, double lo, double hi, double best) {
  const double g = 0.5 * (std::sqrt(5.0) - 1.0);
  double x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo), f1 = f(x1), f2 = f(x2);
  for (int it = 0; it < 40; ++it) {
    if (f1 < f2) {
      lo = x1, x1 = x2, f1 = f2, x2 = lo + g * (hi - lo), f2 = f(x2);
    } else {
      hi = x2, x2 = x1, f2 = f1, x1 = hi - g * (hi - lo), f1 = f(x1);
    }
  }
  return std::max({best, f1, f2});
}

// Extremes of f over [a, b]: a grid of about 2 ms, then golden-section refinement around the
// best nodes. The curves are smooth at that scale, so this is the continuous extreme.
template <class F>
std::pair<double, double> min_max_over(F f, double a, double b) {
  const int n = std::max(20, static_cast<int>(std::ceil((b - a) / 0.002)));
  const double h = (b - a) / n;
  double hi = f(a), lo = hi, t_hi = a, t_lo = a;
  for (int i = 1; i <= n; ++i) {
    const double t = a + i * h, v = f(t);
    if (v > hi) hi = v, t_hi = t;
    if (v < lo) lo = v, t_lo = t;
  }
  const auto neg = [&](double t) { return -f(t); };
  hi = refine_max(f, std::max(a, t_hi - h), std::min(b, t_hi + h), hi);
  lo = -refine_max(neg, std::max(a, t_lo - h), std::min(b, t_lo + h), -lo);
  return {lo, hi};
}

SensorInfo sensor_info(const SimParams& p) {
  SensorInfo info;
  info.name = "pelvis";
  info.placement = Placement::kPelvis;
  info.device_model = "stridelab-sim";
  info.device_id = "sim-" + std::to_string(p.seed);
  info.firmware = "simulator " + std::string(version());
  info.nominal_rate_hz = p.rate_hz;
  info.acc_range_ms2 = p.acc_range_ms2;
  info.gyr_range_rads = p.gyr_range_rads;
  info.has_gyr = true;
  info.has_mag = p.magnetometer;
  return info;
}

void fill_truth_events(const SimParams& p, const GaitPlan& plan, const PelvisMotion& motion,
                       Truth& truth) {
  const auto& steps = plan.steps();
  const double phi0 = p.neutral_obliquity_deg / kRadToDeg;
  double sum = 0.0;
  for (const PlannedStep& s : steps) {
    TruthStep ts;
    ts.time_s = s.ic_s;
    ts.side = s.side;
    ts.step_time_s = s.step_time_s;
    ts.contact_time_s = s.contact_time_s;
    ts.final_contact_s = s.ic_s + s.contact_time_s;
    ts.in_turn = s.in_turn;
    ts.bout = static_cast<int>(s.bout);
    // Contralateral drop from the generated curve: peak of the opposite side's lowering over
    // this stance, relative to neutral (φ > 0 lowers the right side).
    const auto drop = [&](double t) { return s.sign * (motion.obliquity(t).v - phi0); };
    ts.pelvic_drop_deg = min_max_over(drop, s.ic_s, ts.final_contact_s).second * kRadToDeg;
    truth.steps.push_back(ts);
    sum += s.step_time_s;
  }
  if (!steps.empty()) truth.mean_cadence_spm = 60.0 * static_cast<double>(steps.size()) / sum;
  for (std::size_t k = 0; k + 1 < steps.size(); ++k) {
    if (steps[k].last_in_bout) continue;  // a stride needs the next step of the same bout
    TruthStride st;
    st.start_s = steps[k].ic_s;
    st.end_s = steps[k + 1].ic_s + steps[k + 1].step_time_s;
    st.side = steps[k].side;
    st.in_turn = plan.overlaps_turn(st.start_s, st.end_s);
    const auto rot = [&](double t) { return motion.rotation_oscillation(t).v; };
    const auto [lo, hi] = min_max_over(rot, st.start_s, st.end_s);
    st.trunk_rotation_deg = (hi - lo) * kRadToDeg;
    truth.strides.push_back(st);
  }
}

}  // namespace

SimResult simulate(const SimParams& in) {
  const SimParams p = resolve_params(in);
  const GaitPlan plan(p);
  const ComProfile com(p, plan);
  const PelvisMotion motion(p, plan, com);

  SimResult result;
  Truth& truth = result.truth;
  truth.activity = p.activity;
  truth.rate_hz = p.rate_hz;
  truth.gait_start_s = plan.gait_start_s();
  truth.gait_end_s = plan.gait_end_s();
  truth.mounting = p.mounting;
  truth.neutral_obliquity_deg = p.neutral_obliquity_deg;
  truth.neutral_tilt_deg = p.neutral_tilt_deg;
  truth.params = p;
  // Bouts given in steps: the gait lasts what the steps (and pauses) add up to.
  if (!p.bouts.empty()) truth.params.gait_duration_s = plan.gait_end_s() - plan.gait_start_s();
  fill_truth_events(p, plan, motion, truth);

  const auto n =
      static_cast<std::size_t>(std::floor(plan.total_duration_s() * p.rate_hz + 1e-6)) + 1;
  if (n > 500'000'000)  // about 11 GB of samples: certainly a unit mistake
    fail_at("simulate", std::to_string(n) +
                            " samples requested (rate_hz × duration); at most "
                            "500000000");
  Rng noise(p.seed, kNoiseStream), drops(p.seed, kDropoutStream), mag_noise(p.seed, kMagStream);
  const std::vector<Dropout> dropouts = plan_dropouts(n, p.rate_hz, p.dropout_rate_per_min, drops);

  SensorData sd;
  sd.info = sensor_info(p);
  const std::size_t kept_estimate = n;
  for (auto* v : {&sd.time_s, &sd.device_time_s, &truth.obliquity_deg, &truth.tilt_deg,
                  &truth.rotation_deg, &truth.heading_deg, &truth.sample_time_s})
    v->reserve(kept_estimate);
  sd.acc.reserve(kept_estimate);
  sd.gyr.reserve(kept_estimate);
  if (p.magnetometer) sd.mag.reserve(kept_estimate);

  const ChannelModel acc_model{p.acc_scale_error, p.acc_bias_ms2, p.acc_noise_ms2, p.acc_range_ms2,
                               p.acc_bits};
  const ChannelModel gyr_model{p.gyr_scale_error, p.gyr_bias_rads, p.gyr_noise_rads,
                               p.gyr_range_rads, p.gyr_bits};
  const Eigen::Matrix3d mount_t = p.mounting.toRotationMatrix().transpose();
  const ChannelModel mag_model{0.0, p.mag_offset_uT, p.mag_noise_uT, 0.0, 0};
  const Vec3 g_world(0.0, 0.0, -kGravity);
  std::size_t next_drop = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (next_drop < dropouts.size() && i == dropouts[next_drop].first) {
      const Dropout& d = dropouts[next_drop++];
      i += d.count - 1;
      Gap gap;
      gap.index = sd.time_s.size();
      gap.start_s = sd.time_s.back();
      gap.end_s = static_cast<double>(i + 1) / p.rate_hz;
      gap.missing = d.count;
      gap.cause = "sequence";
      sd.gaps.push_back(gap);
      continue;
    }
    const double t = static_cast<double>(i) / p.rate_hz;
    const MotionState s = motion.state(t);
    const Vec3 a = motion.point_acceleration(s, p.lever_arm_m);
    // Specific force: what an accelerometer at rest reads is +g along its up axis.
    const Vec3 f_pelvis = s.R.transpose() * (a - g_world);
    sd.time_s.push_back(t);
    sd.device_time_s.push_back(t);
    sd.acc.push_back(apply_errors(mount_t * f_pelvis, acc_model, noise));
    sd.gyr.push_back(apply_errors(mount_t * s.omega, gyr_model, noise));
    if (p.magnetometer)
      sd.mag.push_back(
          apply_errors(mount_t * (s.R.transpose() * world_field(p, t)), mag_model, mag_noise));
    truth.sample_time_s.push_back(t);
    truth.obliquity_deg.push_back(s.angles.obliquity.v * kRadToDeg);
    truth.tilt_deg.push_back(s.angles.tilt.v * kRadToDeg);
    truth.rotation_deg.push_back(s.angles.rotation.v * kRadToDeg);
    truth.heading_deg.push_back(s.angles.heading.v * kRadToDeg);
  }

  Recording& rec = result.recording;
  rec.source = "simulate";
  rec.tool_version = std::string(version());
  rec.notes = "synthetic " + to_string(p.activity) + " recording made by stridelab simulate";
  rec.attributes["simulator.activity"] = to_string(p.activity);
  rec.attributes["simulator.seed"] = std::to_string(p.seed);
  rec.sensors.push_back(std::move(sd));
  return result;
}

}  // namespace stridelab::sim
