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
constexpr std::uint64_t kTransitionStream = 6;  // own stream: the other steps stay the same
// A lead-out and the next bout's lead-in each take at most this share of the pause between.
constexpr double kLeadShareOfPause = 0.4;

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

double slow_walk_factor(const SimParams& p) {
  if (p.activity == Activity::kRun || !(p.cadence_spm < kWalkFullSpeedCadence)) return 1.0;
  return p.cadence_spm / kWalkFullSpeedCadence;
}

SimParams resolve_params(const SimParams& in) {
  SimParams p = in;
  const bool run = p.activity == Activity::kRun;
  if (p.cadence_spm == 0.0) p.cadence_spm = run ? 170.0 : 110.0;
  if (p.speed_ms == 0.0) {
    // Walking slower than 90 steps/min shortens the steps too (step length ∝ cadence).
    const double slow = slow_walk_factor(p);
    p.speed_ms = run ? 3.3 : 1.3 * slow * slow;
  }
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
  check(std::abs(p.drop_offset_deg) <= 30.0, "drop_offset_deg", p.drop_offset_deg,
        "|offset| <= 30 deg");
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
  check(p.step_time_ratio >= 1.0 / 3.0 - 1e-12 && p.step_time_ratio <= 3.0, "step_time_ratio",
        p.step_time_ratio, "1/3..3 (left-stance over right-stance step time)");
  check(p.loading_left >= 0.2 && p.loading_left <= 2.0, "loading_left", p.loading_left, "0.2..2");
  check(p.loading_right >= 0.2 && p.loading_right <= 2.0, "loading_right", p.loading_right,
        "0.2..2");
  check(p.vertical_scale >= 0.1 && p.vertical_scale <= 3.0, "vertical_scale", p.vertical_scale,
        "0.1..3");
  check(p.impact_scale >= 0.0 && p.impact_scale <= 3.0, "impact_scale", p.impact_scale, "0..3");
  check(p.impact_width_s == 0.0 || (p.impact_width_s >= 0.01 && p.impact_width_s <= 0.3),
        "impact_width_s", p.impact_width_s, "0 (default) or 0.01..0.3 s");
  check(p.start_step_factor >= 1.0 && p.start_step_factor <= 3.0, "start_step_factor",
        p.start_step_factor, "1..3");
  check(p.stop_step_factor >= 1.0 && p.stop_step_factor <= 3.0, "stop_step_factor",
        p.stop_step_factor, "1..3");
  check(p.transition_cv >= 0.0 && p.transition_cv <= 0.3, "transition_cv", p.transition_cv,
        "0..0.3");
  check(p.start_stop_s >= 0.0 && p.start_stop_s <= 1.5, "start_stop_s", p.start_stop_s, "0..1.5 s");
  check(p.start_stop_s == 0.0 || !run, "start_stop_s", p.start_stop_s,
        "gait initiation and termination are modelled for walking only: 0 when running");
  const auto check_pause = [](const std::string& duration_name, double duration,
                              const std::string& angle_name, double angle) {
    check(duration >= (angle != 0.0 ? 1.0 : 0.5) && duration <= 600.0, duration_name, duration,
          "0.5..600 s, at least 1 s with a turn on the spot");
    check(std::abs(angle) <= 3600.0, angle_name, angle, "|angle| <= 3600 deg");
  };
  if (p.bouts.empty()) {
    double end = 0.0;
    for (std::size_t i = 0; i < p.pauses.size(); ++i) {
      const Pause& q = p.pauses[i];
      const std::string n = "pauses[" + std::to_string(i) + "].";
      check(q.start_s > end && q.start_s + q.duration_s < p.gait_duration_s, n + "start_s",
            q.start_s, "after the previous pause, and the pause inside gait_duration_s");
      check_pause(n + "duration_s", q.duration_s, n + "angle_deg", q.angle_deg);
      end = q.start_s + q.duration_s;
    }
  } else {
    for (std::size_t i = 0; i < p.bouts.size(); ++i) {
      const Bout& b = p.bouts[i];
      const std::string n = "bouts[" + std::to_string(i) + "].";
      check(b.steps >= 2 && b.steps <= 100000, n + "steps", b.steps, "2..100000");
      if (i + 1 < p.bouts.size())
        check_pause(n + "pause_after_s", b.pause_after_s, n + "turn_after_deg", b.turn_after_deg);
    }
  }
  return p;
}

GaitPlan::GaitPlan(const SimParams& p) {
  nominal_step_ = 60.0 / p.cadence_spm;
  run_ = p.activity == Activity::kRun;
  contact_time_ = p.contact_time_s;
  nominal_contact_ = run_ ? p.contact_time_s : 2.0 * kWalkStanceFraction * nominal_step_;
  // Limp: the two legs' nominal steps keep their mean at the nominal step time.
  const double r = p.step_time_ratio;
  nominal_left_ = r == 1.0 ? nominal_step_ : nominal_step_ * (2.0 * r / (1.0 + r));
  nominal_right_ = r == 1.0 ? nominal_step_ : nominal_step_ * (2.0 / (1.0 + r));
  symmetric_ = r == 1.0 && p.loading_left == p.loading_right;
  gait_start_ = p.standing_before_s;
  gait_end_ = gait_start_;
  heading0_ = p.initial_heading_deg * kDeg;
  turns_ = p.turns;
  for (auto& t : turns_) t.start_s += gait_start_;
  sample_steps(p);
  total_ = gait_end_ + p.standing_after_s;
  build_phase_rates();
}

double GaitPlan::nominal_contact_s(Side side) const {
  const double n = nominal_step_s(side);
  const double other = nominal_step_s(side == Side::kRight ? Side::kLeft : Side::kRight);
  if (run_) return contact_time_ * (n / nominal_step_);
  return (kWalkStanceFraction + (n / (n + other) - 0.5)) * (n + other);
}

// Bouts in step counts: given (p.bouts), or from gait_duration_s split by the pauses, each as
// many nominal steps as fit its time (the hesitant steps count longer).
std::vector<GaitPlan::BoutSpec> GaitPlan::bout_specs(const SimParams& p) {
  std::vector<BoutSpec> out;
  if (!p.bouts.empty()) {
    for (const Bout& b : p.bouts) out.push_back({static_cast<std::size_t>(b.steps), 0.0, 0.0});
    return out;
  }
  if (p.gait_duration_s == 0.0) return out;
  const double extra =
      1.5 * nominal_step_ * ((p.start_step_factor - 1.0) + (p.stop_step_factor - 1.0));
  double start = 0.0;
  for (std::size_t i = 0; i <= p.pauses.size(); ++i) {
    const double end = i < p.pauses.size() ? p.pauses[i].start_s : p.gait_duration_s;
    const double length = end - start;
    const auto n =
        static_cast<std::size_t>(std::max(0LL, std::llround((length - extra) / nominal_step_)));
    if (p.pauses.empty() && n < 4)
      fail_at("simulate", "gait_duration_s = " + std::to_string(p.gait_duration_s) +
                              " s is too short: at least 4 steps are needed");
    if (n < 2)
      fail_at("simulate", "the walk of " + std::to_string(length) + " s starting at " +
                              std::to_string(start) +
                              " s (gait time) is too short: a bout needs at least 2 steps");
    out.push_back({n, start, length});
    if (i < p.pauses.size()) start = p.pauses[i].start_s + p.pauses[i].duration_s;
  }
  return out;
}

void GaitPlan::sample_steps(const SimParams& p) {
  const std::vector<BoutSpec> specs = bout_specs(p);
  std::size_t n = 0;
  for (const BoutSpec& b : specs) n += b.steps;
  if (n == 0) return;
  const bool first_left = p.first_side != Side::kRight;
  // Sides alternate with the contact index (a pause counts as one), so the phase of the
  // rotation and tilt oscillations stays tied to the stance leg across pauses.
  const auto side_of_entry = [&](std::size_t e) {
    return ((e % 2 == 0) == first_left) ? Side::kLeft : Side::kRight;
  };
  Rng rng(p.seed, kGaitStream), transition(p.seed, kTransitionStream);
  std::vector<double> times(n), drop_noise(n);
  {
    std::size_t k = 0;
    for (std::size_t b = 0; b < specs.size(); ++b) {
      const std::size_t m = specs[b].steps;
      double sum = 0.0;
      for (std::size_t j = 0; j < m; ++j, ++k) {
        const double z = std::clamp(rng.normal(), -3.0, 3.0);  // bounded: no absurd steps
        const Side side = side_of_entry(k + b);
        times[k] = nominal_step_s(side) * (1.0 + p.cadence_cv * z);
        drop_noise[k] = rng.normal();
        // Hesitant start and stop: the two steps at each end of a bout are longer (and, with
        // transition_cv, irregular).
        const double zt = std::clamp(transition.normal(), -3.0, 3.0);
        double factor = 1.0;
        if (j == 0) factor = std::max(factor, p.start_step_factor);
        if (j == 1) factor = std::max(factor, 0.5 * (1.0 + p.start_step_factor));
        if (j + 1 == m) factor = std::max(factor, p.stop_step_factor);
        if (j + 2 == m) factor = std::max(factor, 0.5 * (1.0 + p.stop_step_factor));
        if (p.transition_cv > 0.0 && (j < 2 || j + 2 >= m)) factor *= 1.0 + p.transition_cv * zt;
        if (factor != 1.0) times[k] *= factor;
        sum += times[k];
      }
      // A bout given in time lasts exactly that long.
      if (specs[b].duration_s > 0.0)
        for (std::size_t i = k - m; i < k; ++i) times[i] *= specs[b].duration_s / sum;
    }
  }

  // Contacts, bouts and turns on the spot.
  ic_.clear();
  entry_step_.clear();
  double bout_start = gait_start_;
  {
    std::size_t k = 0;
    for (std::size_t b = 0; b < specs.size(); ++b) {
      const std::size_t m = specs[b].steps;
      if (specs[b].duration_s > 0.0) bout_start = gait_start_ + specs[b].start_s;
      const std::size_t e0 = ic_.size();
      ic_.push_back(bout_start);
      for (std::size_t j = 0; j < m; ++j, ++k) {
        entry_step_.push_back(k);
        ic_.push_back(ic_.back() + times[k]);
      }
      entry_step_.push_back(npos);
      if (specs[b].duration_s > 0.0)
        ic_.back() = gait_start_ + (specs[b].start_s + specs[b].duration_s);
      PlannedBout pb;
      pb.first = k - m;
      pb.count = m;
      // Start and stop take two steps each (one in a bout of 2 or 3 steps).
      const std::size_t ramp = std::max<std::size_t>(1, std::min<std::size_t>(2, m / 3));
      pb.start_s = ic_[e0];
      pb.end_s = ic_[e0 + m];
      pb.ramp_up_end_s = ic_[e0 + ramp];
      pb.ramp_down_start_s = ic_[e0 + m - ramp];
      if (p.start_stop_s > 0.0) {
        // Gait initiation: full speed by the middle of the first step; termination over the
        // last two steps and the settling. Loading peaks of the first, second, closing and
        // last-but-one contacts are then 0.70, 0.99, 0.17 and 0.64 × steady gait's (textbook
        // timing, 0.6 s; test GaitInitiation); on IPOL's 86 trials 0.59, 0.93, 0.20 and 0.58
        // (medians; docs/SIMULATOR.md).
        const double before =
            b == 0 ? p.standing_before_s : kLeadShareOfPause * (pb.start_s - bouts_.back().end_s);
        pb.lead_in_s = std::min(p.start_stop_s, before);
        pb.ramp_up_end_s = 0.5 * (ic_[e0] + ic_[e0 + 1]);
      }
      bouts_.push_back(pb);
      // What follows the bout: a pause, possibly with a turn on the spot in its middle.
      double pause = 0.0, angle = 0.0;
      if (!p.bouts.empty() && b + 1 < p.bouts.size()) {
        pause = p.bouts[b].pause_after_s;
        angle = p.bouts[b].turn_after_deg;
      } else if (p.bouts.empty() && b < p.pauses.size()) {
        pause = p.pauses[b].duration_s;
        angle = p.pauses[b].angle_deg;
      }
      if (angle != 0.0) turns_.push_back({pb.end_s + 0.25, pause - 0.5, angle});
      bout_start = pb.end_s + pause;
    }
  }
  gait_end_ = ic_.back();
  for (std::size_t b = 0; b < bouts_.size(); ++b) {
    const double after = b + 1 == bouts_.size()
                             ? p.standing_after_s
                             : kLeadShareOfPause * (bouts_[b + 1].start_s - bouts_[b].end_s);
    bouts_[b].lead_out_s = std::min(p.start_stop_s, after);
  }
  motion_start_ = gait_start_ - (bouts_.empty() ? 0.0 : bouts_.front().lead_in_s);
  motion_end_ = gait_end_ + (bouts_.empty() ? 0.0 : bouts_.back().lead_out_s);

  steps_.resize(n);
  for (std::size_t b = 0; b < bouts_.size(); ++b) {
    const PlannedBout& pb = bouts_[b];
    for (std::size_t j = 0; j < pb.count; ++j) {
      const std::size_t k = pb.first + j, e = k + b;
      PlannedStep& s = steps_[k];
      s.ic_s = ic_[e];
      s.next_ic_s = ic_[e + 1];
      s.step_time_s = ic_[e + 1] - ic_[e];
      s.bout = b;
      s.first_in_bout = j == 0;
      s.last_in_bout = j + 1 == pb.count;
      s.side = side_of_entry(e);
      s.sign = s.side == Side::kLeft ? 1.0 : -1.0;
      s.nominal_s = nominal_step_s(s.side);
      s.next_nominal_s = nominal_step_s(s.side == Side::kLeft ? Side::kRight : Side::kLeft);
      s.loading = s.side == Side::kLeft ? p.loading_left : p.loading_right;
      if (run_) {
        s.contact_time_s = p.contact_time_s * s.step_time_s / nominal_step_;
      } else {
        // Stance = the stride that starts here less the other leg's swing: 60 % of the stride
        // in symmetric gait, T_k + 10 % of the stride with a limp (a long step is a long
        // stance of that leg). The last step of a bout has no next one: a nominal one.
        const double next = !s.last_in_bout ? ic_[e + 2] - ic_[e + 1]
                                            : s.step_time_s * (s.next_nominal_s / s.nominal_s);
        const double fraction =
            kWalkStanceFraction + (s.nominal_s / (s.nominal_s + s.next_nominal_s) - 0.5);
        s.contact_time_s = fraction * (s.step_time_s + next);
      }
      s.envelope = envelope(s.ic_s + 0.5 * s.step_time_s).v;
      const double mean = (s.side == Side::kLeft ? p.drop_left_deg : p.drop_right_deg) +
                          p.drop_offset_deg +
                          p.drop_trend_deg_per_10min * (s.ic_s - ic_[0]) / 600.0;
      s.drop_rad = s.envelope * (mean + p.drop_sd_deg * drop_noise[k]) * kDeg;
      s.in_turn = overlaps_turn(s.ic_s, s.ic_s + s.step_time_s);
    }
  }
}

// Phase rate: continuous, piecewise quadratic between contacts, with exactly one unit of
// phase between consecutive contacts (a pause is one unit too). Node rates average the
// neighbouring steps of the same bout; at a bout's ends they are those of its end steps.
void GaitPlan::build_phase_rates() {
  const std::size_t m = ic_.size();
  node_rate_.assign(m, 1.0 / nominal_step_);
  if (m < 2) return;
  std::size_t e = 0;
  for (const PlannedBout& b : bouts_) {
    node_rate_[e] = 1.0 / (ic_[e + 1] - ic_[e]);
    for (std::size_t j = 1; j < b.count; ++j)
      node_rate_[e + j] = 2.0 / (ic_[e + j + 1] - ic_[e + j - 1]);
    e += b.count;
    node_rate_[e] = 1.0 / (ic_[e] - ic_[e - 1]);
    ++e;
  }
}

std::size_t GaitPlan::entry_at(double t) const {
  if (steps_.empty() || t < ic_.front() || t >= ic_.back()) return npos;
  const auto it = std::upper_bound(ic_.begin(), ic_.end(), t);
  return static_cast<std::size_t>(it - ic_.begin()) - 1;
}

std::size_t GaitPlan::step_at(double t) const {
  const std::size_t e = entry_at(t);
  return e == npos ? npos : entry_step_[e];
}

double GaitPlan::envelope_at_end(std::size_t k) const {
  return envelope(steps_[k].next_ic_s).v;
}

Jet GaitPlan::phase(double t) const {
  if (ic_.size() < 2) return {(t - gait_start_) / nominal_step_, 1.0 / nominal_step_, 0.0};
  if (t < ic_.front()) return {(t - ic_.front()) * node_rate_.front(), node_rate_.front(), 0.0};
  if (t >= ic_.back()) {
    const double k = static_cast<double>(ic_.size() - 1);
    return {k + (t - ic_.back()) * node_rate_.back(), node_rate_.back(), 0.0};
  }
  const std::size_t k = entry_at(t);
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
  if (steps_.empty() || t <= motion_start_ || t >= motion_end_) return Jet::constant(0.0);
  auto it = std::upper_bound(bouts_.begin(), bouts_.end(), t, [](double x, const PlannedBout& b) {
    return x < b.start_s - b.lead_in_s;
  });
  if (it == bouts_.begin()) return Jet::constant(0.0);
  const PlannedBout& b = *--it;
  const double begin = b.start_s - b.lead_in_s, end = b.end_s + b.lead_out_s;
  if (t <= begin || t >= end) return Jet::constant(0.0);  // a pause
  if (t < b.ramp_up_end_s) return ramp(t, begin, b.ramp_up_end_s);
  if (t > b.ramp_down_start_s) return Jet::constant(1.0) - ramp(t, b.ramp_down_start_s, end);
  return Jet::constant(1.0);
}

std::size_t GaitPlan::lead_at(double t, bool& lead_in) const {
  for (std::size_t b = 0; b < bouts_.size(); ++b) {
    const PlannedBout& pb = bouts_[b];
    if (t < pb.start_s - pb.lead_in_s) break;
    lead_in = t < pb.start_s;
    if (lead_in) return b;
    if (t >= pb.end_s && t < pb.end_s + pb.lead_out_s) return b;
  }
  return npos;
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
