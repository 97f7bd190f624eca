#pragma once
// Centre-of-mass acceleration in the heading frame (forward, left, up), built step by step
// from analytic pulses. Each step's pulses come with two correction terms whose amplitudes
// are solved so that velocity and displacement at the next initial contact hit the periodic
// targets: the velocity is continuous, the mean acceleration over a steady step is exactly
// zero and the position does not drift. Running steps put every force into the stance, so
// the flight is exact free fall.
#include <array>
#include <vector>

#include "sim/gait_plan.hpp"

namespace stridelab::sim {

// Shapes on u ∈ [0, 1] of their support.
enum class Shape {
  kConst,     // 1
  kHann,      // (1 − cos 2πu) / 2
  kHalfSine,  // sin πu
  kFullSine,  // sin 2πu
  kCos,       // cos(2πu + phase)
  kRampUp,    // u
  kRampDown,  // 1 − u
};

struct Term {
  Shape shape = Shape::kConst;
  double amp = 0.0;    // m/s²
  double a = 0.0;      // support start, fraction of the step
  double b = 1.0;      // support end, fraction of the step
  double phase = 0.0;  // rad, kCos only
};

// Motion along one axis at one instant.
struct AxisState {
  double acc = 0.0;  // m/s²
  double vel = 0.0;  // m/s
  double pos = 0.0;  // m (oscillation about the progression, not the distance walked)
};

struct AxisStep {
  static constexpr int kMaxTerms = 8;
  std::array<Term, kMaxTerms> terms{};
  int count = 0;
  double v0 = 0.0, x0 = 0.0;  // state at the initial contact

  void add(const Term& t) { terms[count++] = t; }
  // τ = fraction of the step elapsed, T = step duration.
  AxisState eval(double tau, double T) const;
};

enum Axis { kForward = 0, kLateral = 1, kVertical = 2 };

class ComProfile {
 public:
  ComProfile(const SimParams& resolved, const GaitPlan& plan);
  // Heading-frame state of one axis at time t (zero in standing).
  AxisState eval(Axis axis, double t) const;
  std::size_t step_count() const { return steps_[0].size(); }
  const AxisStep& step(Axis axis, std::size_t k) const { return steps_[axis][k]; }

 private:
  std::array<std::vector<AxisStep>, 3> steps_;
  // Per bout: the gait initiation before its first contact and the settling after its
  // closing contact (empty steps when SimParams::start_stop_s is 0).
  std::array<std::vector<AxisStep>, 3> lead_in_, lead_out_;
  const GaitPlan& plan_;
};

}  // namespace stridelab::sim
