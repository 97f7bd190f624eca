#include "sim/com_profile.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace stridelab::sim {
namespace {

constexpr double kPi = std::numbers::pi;

// Pattern amplitudes. Walking: inverted pendulum (CoM low in double support, high in single
// support), heel-strike transient, braking then propulsion, sway towards the stance leg.
// Running: impact transient and active peak in stance, braking then propulsion, free flight.
struct Pattern {
  double walk_vertical_half_excursion_m = 0.018;
  double walk_heel_strike_up_ms2 = 3.0;
  double walk_heel_strike_back_ms2 = 2.0;
  double walk_braking_ms2 = 1.5;
  double walk_sway_half_m = 0.02;
  double walk_transient_s = 0.04;
  double run_impact_up_ms2 = 8.0;
  double run_impact_back_ms2 = 3.0;
  double run_braking_ms2 = 4.0;
  double run_sway_ms2 = 1.5;
  double run_transient_s = 0.03;
};
constexpr Pattern kPattern;

struct ShapeValue {
  double s, s1, s2;  // shape, its integral from 0, its double integral from 0 (in u)
};

ShapeValue shape_at(Shape shape, double phase, double u) {
  constexpr double w = 2.0 * kPi;
  switch (shape) {
    case Shape::kConst:
      return {1.0, u, 0.5 * u * u};
    case Shape::kHann:
      return {0.5 * (1.0 - std::cos(w * u)), 0.5 * u - std::sin(w * u) / (2.0 * w),
              0.25 * u * u + (std::cos(w * u) - 1.0) / (2.0 * w * w)};
    case Shape::kHalfSine:
      return {std::sin(kPi * u), (1.0 - std::cos(kPi * u)) / kPi,
              (u - std::sin(kPi * u) / kPi) / kPi};
    case Shape::kFullSine:
      return {std::sin(w * u), (1.0 - std::cos(w * u)) / w, (u - std::sin(w * u) / w) / w};
    case Shape::kRampUp:
      return {u, 0.5 * u * u, u * u * u / 6.0};
    case Shape::kRampDown:
      return {1.0 - u, u - 0.5 * u * u, 0.5 * u * u - u * u * u / 6.0};
    case Shape::kCos:
      return {std::cos(w * u + phase), (std::sin(w * u + phase) - std::sin(phase)) / w,
              -(std::cos(w * u + phase) - std::cos(phase)) / (w * w) - u * std::sin(phase) / w};
  }
  return {0.0, 0.0, 0.0};
}

// Value, first and second integral (in τ) of one term at step fraction τ.
ShapeValue term_at(const Term& t, double tau) {
  if (tau <= t.a) return {0.0, 0.0, 0.0};
  const double L = t.b - t.a;
  if (tau >= t.b) {
    const ShapeValue e = shape_at(t.shape, t.phase, 1.0);
    return {0.0, L * e.s1, L * L * e.s2 + L * e.s1 * (tau - t.b)};
  }
  const ShapeValue v = shape_at(t.shape, t.phase, (tau - t.a) / L);
  return {v.s, L * v.s1, L * L * v.s2};
}

struct StepInput {
  double T;         // step time, s
  double contact;   // contact time, s
  double envelope;  // 0..1
  double sign;      // +1 left stance, −1 right stance
};

struct AxisDesign {
  AxisStep fixed;                // pattern terms
  Term b1, b2;                   // correction terms (amplitude solved)
  bool stride_periodic = false;  // lateral: state flips sign every step
};

AxisDesign design(Activity activity, Axis axis, const StepInput& in, double transient_s) {
  AxisDesign d;
  const double E = in.envelope, T = in.T;
  const double w = transient_s / T;
  if (activity == Activity::kWalk) {
    d.b1 = {Shape::kHann, 1.0, 0.0, 1.0, 0.0};
    d.b2 = {Shape::kFullSine, 1.0, 0.0, 1.0, 0.0};
    const double low = kWalkStanceFraction - 0.5;  // CoM lowest mid double support
    switch (axis) {
      case kVertical: {
        const double z = kPattern.walk_vertical_half_excursion_m;
        d.fixed.add({Shape::kCos, E * z * std::pow(2.0 * kPi / T, 2), 0.0, 1.0, -2.0 * kPi * low});
        d.fixed.add({Shape::kHann, E * kPattern.walk_heel_strike_up_ms2, 0.0, w});
        break;
      }
      case kForward:
        d.fixed.add({Shape::kHann, -E * kPattern.walk_braking_ms2, 0.0, 0.4});
        d.fixed.add({Shape::kHann, E * kPattern.walk_braking_ms2 * 0.8, 0.45, 0.95});
        d.fixed.add({Shape::kHann, -E * kPattern.walk_heel_strike_back_ms2, 0.0, w});
        break;
      case kLateral:
        d.stride_periodic = true;
        d.fixed.add({Shape::kHalfSine,
                     -in.sign * E * kPattern.walk_sway_half_m * std::pow(kPi / T, 2), 0.0, 1.0});
        break;
    }
    return d;
  }
  const double c = in.contact / T;  // running: every force acts in stance
  d.b1 = {Shape::kHann, 1.0, 0.0, c};
  d.b2 = {Shape::kFullSine, 1.0, 0.0, c};
  switch (axis) {
    case kVertical:
      d.b1 = {Shape::kHalfSine, 1.0, 0.0, c};  // the active peak itself
      d.fixed.add({Shape::kConst, -E * kGravity, 0.0, 1.0});
      d.fixed.add({Shape::kHann, E * kPattern.run_impact_up_ms2, 0.0, w});
      break;
    case kForward:
      d.fixed.add({Shape::kHalfSine, -E * kPattern.run_braking_ms2, 0.0, 0.5 * c});
      d.fixed.add({Shape::kHalfSine, E * kPattern.run_braking_ms2, 0.5 * c, c});
      d.fixed.add({Shape::kHann, -E * kPattern.run_impact_back_ms2, 0.0, w});
      break;
    case kLateral:
      d.stride_periodic = true;
      d.fixed.add({Shape::kHalfSine, -in.sign * E * kPattern.run_sway_ms2, 0.0, c});
      break;
  }
  return d;
}

// Sum of the first and second integrals of the terms over the whole step (τ = 1).
void integrals(const AxisStep& s, double& i1, double& i2) {
  i1 = i2 = 0.0;
  for (int j = 0; j < s.count; ++j) {
    const ShapeValue v = term_at(s.terms[j], 1.0);
    i1 += s.terms[j].amp * v.s1;
    i2 += s.terms[j].amp * v.s2;
  }
}

// Acceleration just after the step starts and just before it ends (the correction terms are
// zero at both ends, so these are the values of the pattern terms).
double start_value(const AxisStep& s) {
  double v = 0.0;
  for (int j = 0; j < s.count; ++j)
    if (s.terms[j].a == 0.0)
      v += s.terms[j].amp * shape_at(s.terms[j].shape, s.terms[j].phase, 0.0).s;
  return v;
}
double end_value(const AxisStep& s) {
  double v = 0.0;
  for (int j = 0; j < s.count; ++j)
    if (s.terms[j].b == 1.0)
      v += s.terms[j].amp * shape_at(s.terms[j].shape, s.terms[j].phase, 1.0).s;
  return v;
}

// Adds the two correction terms so the step ends at (v1, x1).
void close_step(AxisStep& s, const AxisDesign& d, double T, double v1, double x1) {
  double f1, f2;
  integrals(s, f1, f2);
  const ShapeValue p = term_at(d.b1, 1.0), q = term_at(d.b2, 1.0);
  const double r1 = (v1 - s.v0) / T - f1;
  const double r2 = (x1 - s.x0 - s.v0 * T) / (T * T) - f2;
  const double det = p.s1 * q.s2 - q.s1 * p.s2;
  Term b1 = d.b1, b2 = d.b2;
  b1.amp = (r1 * q.s2 - q.s1 * r2) / det;
  b2.amp = (p.s1 * r2 - r1 * p.s2) / det;
  s.add(b1);
  s.add(b2);
}

}  // namespace

AxisState AxisStep::eval(double tau, double T) const {
  AxisState out;
  double g1 = 0.0, g2 = 0.0;
  for (int j = 0; j < count; ++j) {
    const ShapeValue v = term_at(terms[j], tau);
    out.acc += terms[j].amp * v.s;
    g1 += terms[j].amp * v.s1;
    g2 += terms[j].amp * v.s2;
  }
  out.vel = v0 + T * g1;
  out.pos = x0 + v0 * T * tau + T * T * g2;
  return out;
}

ComProfile::ComProfile(const SimParams& p, const GaitPlan& plan) : plan_(plan) {
  const auto& steps = plan.steps();
  const bool run = p.activity == Activity::kRun;
  // Transients no shorter than 4 output samples: the analytic equivalent of the sensor's
  // anti-alias filter (a Hann pulse of that width has its first spectral zero at Nyquist).
  double transient =
      std::max(run ? kPattern.run_transient_s : kPattern.walk_transient_s, 4.0 / p.rate_hz);
  transient =
      std::min(transient, run ? 0.5 * plan.nominal_contact_s() : 0.3 * plan.nominal_step_s());
  for (int axis = 0; axis < 3; ++axis) {
    const Axis ax = static_cast<Axis>(axis);
    // Periodic state at a (left) initial contact of a steady, nominal step.
    const StepInput nominal{plan.nominal_step_s(), plan.nominal_contact_s(), 1.0, 1.0};
    AxisDesign nd = design(p.activity, ax, nominal, transient);
    const double T0 = nominal.T;
    double v_star = 0.0, x_star = 0.0, f1, f2;
    if (nd.stride_periodic) {
      integrals(nd.fixed, f1, f2);
      v_star = -0.5 * T0 * f1;
      x_star = -0.5 * (v_star * T0 + T0 * T0 * f2);
    } else {
      // Zero net impulse over the step fixes b1; zero net displacement then fixes v*.
      AxisStep s = nd.fixed;
      integrals(s, f1, f2);
      const double c1 = -f1 / term_at(nd.b1, 1.0).s1;
      s.add({nd.b1.shape, c1, nd.b1.a, nd.b1.b});
      integrals(s, f1, f2);
      v_star = -T0 * f2;
    }
    const std::size_t n = steps.size();
    std::vector<AxisDesign> designs(n);
    for (std::size_t k = 0; k < n; ++k) {
      const PlannedStep& ps = steps[k];
      designs[k] = design(p.activity, ax, {ps.step_time_s, ps.contact_time_s, ps.envelope, ps.sign},
                          transient);
    }
    // Linear blends make the acceleration continuous where consecutive steps' patterns differ
    // (step-time and envelope changes) and at both ends of gait (standing has none). Running
    // blends within the stance, so every steady flight stays exact free fall.
    std::vector<double> starts(n), ends(n);
    for (std::size_t k = 0; k < n; ++k) {
      starts[k] = start_value(designs[k].fixed);
      ends[k] = end_value(designs[k].fixed);
    }
    for (std::size_t k = 0; k < n; ++k) {
      AxisStep& f = designs[k].fixed;
      const double c = run ? steps[k].contact_time_s / steps[k].step_time_s : 1.0;
      const double jump_in = (k == 0 ? 0.0 : ends[k - 1]) - starts[k];
      if (jump_in != 0.0) f.add({Shape::kRampDown, jump_in, 0.0, c});
      if (k + 1 == n && ends[k] != 0.0)
        f.add({Shape::kRampUp, -ends[k], run ? c : 0.0, 1.0});
    }
    auto& out = steps_[axis];
    out.resize(n);
    double v = 0.0, x = 0.0;  // standing before gait
    for (std::size_t k = 0; k < n; ++k) {
      const PlannedStep& ps = steps[k];
      const AxisDesign& d = designs[k];
      AxisStep s = d.fixed;
      s.v0 = v;
      s.x0 = x;
      const double e_next = plan.envelope_at_contact(k + 1);
      const double flip = d.stride_periodic ? -ps.sign : 1.0;  // next stance's sign
      v = e_next * flip * v_star;
      x = e_next * flip * x_star;
      close_step(s, d, ps.step_time_s, v, x);
      out[k] = s;
    }
  }
}

AxisState ComProfile::eval(Axis axis, double t) const {
  const std::size_t k = plan_.step_at(t);
  if (k == GaitPlan::npos) return {};
  const PlannedStep& ps = plan_.steps()[k];
  return steps_[axis][k].eval((t - ps.ic_s) / ps.step_time_s, ps.step_time_s);
}

}  // namespace stridelab::sim
