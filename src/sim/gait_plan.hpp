#pragma once
// The time line of a simulated trial: quiet standing, then one or more walking bouts (steps
// with sampled step times, alternating stance legs, contact times and per-step drop
// amplitudes) separated by pauses, then quiet standing again. Also the smooth signals every
// other part is built on: the continuous step phase, the gait envelope (0 standing … 1 steady
// gait) and the heading (turns, including turns on the spot during pauses).
#include <cstddef>
#include <vector>

#include "sim/jet.hpp"
#include "stridelab/sim/simulator.hpp"

namespace stridelab::sim {

// SimParams with every "0 = default" resolved and every value checked (throws Error naming
// the parameter).
SimParams resolve_params(const SimParams& in);

inline constexpr double kWalkStanceFraction = 0.6;  // stance / stride in walking
// Walking slower than this (steps/min) also shortens the steps and softens braking and
// propulsion: the default speed is 1.3 m/s·(cadence/90)² below it.
inline constexpr double kWalkFullSpeedCadence = 90.0;
// 1 from kWalkFullSpeedCadence up (and in running), cadence / kWalkFullSpeedCadence below.
double slow_walk_factor(const SimParams& resolved);

struct PlannedStep {
  double ic_s = 0.0;            // initial contact, s
  double step_time_s = 0.0;     // to the next initial contact, s
  double contact_time_s = 0.0;  // initial to final contact of the stance foot, s
  Side side = Side::kLeft;      // stance leg
  double sign = 1.0;            // +1 left stance, -1 right stance
  double drop_rad = 0.0;        // amplitude of the contralateral drop bump (envelope applied)
  double envelope = 1.0;        // gait envelope of this step (ramps at start and stop)
  bool in_turn = false;
  double next_ic_s = 0.0;  // the contact that ends this step (next IC or the bout's last)
  std::size_t bout = 0;    // walking bout
  bool first_in_bout = false, last_in_bout = false;
  double nominal_s = 0.0;       // nominal step time of this stance leg (limp), s
  double next_nominal_s = 0.0;  // nominal step time of the other leg, s
  double loading = 1.0;         // loading scale of this stance leg
};

struct PlannedBout {
  std::size_t first = 0, count = 0;   // steps
  double start_s = 0.0, end_s = 0.0;  // first initial contact, closing contact
  double ramp_up_end_s = 0.0, ramp_down_start_s = 0.0;
  // Gait initiation before start_s and termination after end_s (SimParams::start_stop_s), s.
  double lead_in_s = 0.0, lead_out_s = 0.0;
};

class GaitPlan {
 public:
  explicit GaitPlan(const SimParams& resolved);

  const std::vector<PlannedStep>& steps() const { return steps_; }
  const std::vector<PlannedBout>& bouts() const { return bouts_; }
  bool has_gait() const { return !steps_.empty(); }
  double gait_start_s() const { return gait_start_; }
  double gait_end_s() const { return gait_end_; }
  double total_duration_s() const { return total_; }
  double nominal_step_s() const { return nominal_step_; }
  double nominal_contact_s() const { return nominal_contact_; }
  // Nominal step time of a stance leg (differs between the legs with a limp), s.
  double nominal_step_s(Side side) const {
    return side == Side::kRight ? nominal_right_ : nominal_left_;
  }
  // Nominal contact time of a stance leg in steady gait, s.
  double nominal_contact_s(Side side) const;
  // True when both legs have the same nominal step and loading (textbook symmetry).
  bool symmetric() const { return symmetric_; }

  // Index of the step whose [ic, next contact) holds t, or npos outside gait and in pauses.
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::size_t step_at(double t) const;
  // Envelope at the contact that ends step k.
  double envelope_at_end(std::size_t k) const;
  // Bout whose lead-in (lead_in set true) or lead-out holds t, else npos (linear: per sample
  // this is called only outside the steps).
  std::size_t lead_at(double t, bool& lead_in) const;

  Jet phase(double t) const;     // continuous step phase: k at the initial contact of step k
  Jet envelope(double t) const;  // gait envelope, 0 in standing, 1 in steady gait
  Jet heading(double t) const;   // direction of travel, rad
  bool overlaps_turn(double a, double b) const;

 private:
  struct BoutSpec {
    std::size_t steps = 0;
    double start_s = 0.0;     // gait time
    double duration_s = 0.0;  // 0: the sum of the sampled step times (no rescaling)
  };
  std::vector<BoutSpec> bout_specs(const SimParams& p);
  void sample_steps(const SimParams& p);
  void build_phase_rates();
  std::size_t entry_at(double t) const;

  std::vector<PlannedStep> steps_;
  std::vector<PlannedBout> bouts_;
  // Contacts: each bout's initial contacts followed by its closing contact (into standing).
  // Entry j has phase j; entry_step_[j] is the step starting there (npos: a closing contact).
  std::vector<double> ic_;
  std::vector<std::size_t> entry_step_;
  std::vector<double> node_rate_;  // phase rate at each entry of ic_, 1/s
  std::vector<Turn> turns_;        // start_s on the recording time base
  double heading0_ = 0.0;
  double gait_start_ = 0.0, gait_end_ = 0.0, total_ = 0.0;
  double motion_start_ = 0.0, motion_end_ = 0.0;  // gait with the first lead-in, last lead-out
  double nominal_step_ = 0.0, nominal_contact_ = 0.0;
  double nominal_left_ = 0.0, nominal_right_ = 0.0;
  double contact_time_ = 0.0;  // running contact at the nominal step, s
  bool run_ = false, symmetric_ = true;
};

}  // namespace stridelab::sim
