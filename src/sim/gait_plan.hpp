#pragma once
// The time line of a simulated trial: quiet standing, then a sequence of steps with sampled
// step times, alternating stance legs, contact times and per-step drop amplitudes, then quiet
// standing again. Also the smooth signals every other part is built on: the continuous step
// phase, the gait envelope (0 standing … 1 steady gait) and the heading (turns).
#include <cstddef>
#include <vector>

#include "sim/jet.hpp"
#include "stridelab/sim/simulator.hpp"

namespace stridelab::sim {

// SimParams with every "0 = default" resolved and every value checked (throws Error naming
// the parameter).
SimParams resolve_params(const SimParams& in);

inline constexpr double kWalkStanceFraction = 0.6;  // stance / stride in walking

struct PlannedStep {
  double ic_s = 0.0;            // initial contact, s
  double step_time_s = 0.0;     // to the next initial contact, s
  double contact_time_s = 0.0;  // initial to final contact of the stance foot, s
  Side side = Side::kLeft;      // stance leg
  double sign = 1.0;            // +1 left stance, -1 right stance
  double drop_rad = 0.0;        // amplitude of the contralateral drop bump (envelope applied)
  double envelope = 1.0;        // gait envelope of this step (ramps at start and stop)
  bool in_turn = false;
};

class GaitPlan {
 public:
  explicit GaitPlan(const SimParams& resolved);

  const std::vector<PlannedStep>& steps() const { return steps_; }
  bool has_gait() const { return !steps_.empty(); }
  double gait_start_s() const { return gait_start_; }
  double gait_end_s() const { return gait_end_; }
  double total_duration_s() const { return total_; }
  double nominal_step_s() const { return nominal_step_; }
  double nominal_contact_s() const { return nominal_contact_; }

  // Index of the step whose [ic, next ic) holds t, or npos outside gait.
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::size_t step_at(double t) const;
  // Envelope at the initial contact of step k (k == steps().size(): gait end).
  double envelope_at_contact(std::size_t k) const;

  Jet phase(double t) const;     // continuous step phase: k at the initial contact of step k
  Jet envelope(double t) const;  // gait envelope, 0 in standing, 1 in steady gait
  Jet heading(double t) const;   // direction of travel, rad
  bool overlaps_turn(double a, double b) const;

 private:
  void sample_steps(const SimParams& p);
  void build_phase_rates();

  std::vector<PlannedStep> steps_;
  std::vector<double> ic_;         // initial contacts, plus the gait end as the last entry
  std::vector<double> node_rate_;  // phase rate at each entry of ic_, 1/s
  std::vector<Turn> turns_;        // start_s on the recording time base
  double heading0_ = 0.0;
  double gait_start_ = 0.0, gait_end_ = 0.0, total_ = 0.0;
  double nominal_step_ = 0.0, nominal_contact_ = 0.0;
  double ramp_up_end_ = 0.0, ramp_down_start_ = 0.0;
};

}  // namespace stridelab::sim
