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
  double walk_loading_response_end = 0.25;  // fraction of the step
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
  double T;              // step time, s
  double contact;        // contact time, s
  double envelope;       // 0..1
  double sign;           // +1 left stance, −1 right stance
  double size = 1.0;     // nominal step time of this leg / nominal step time (limp)
  double dip = 1.0;      // (this leg's + the other's nominal step) / (2 × this leg's)
  double loading = 1.0;  // this leg's loading scale
};

// Pattern scales shared by every step (shuffling, smaller impacts, slow walking).
struct Scales {
  double vertical = 1.0, impact = 1.0;
  double propulsion = 1.0;  // walking braking and propulsion
};

struct AxisDesign {
  AxisStep fixed;                // pattern terms
  Term b1, b2;                   // correction terms (amplitude solved)
  bool stride_periodic = false;  // lateral: state flips sign every step
};

// Scales are exactly 1 for textbook gait, so its patterns are bit for bit what they were.
AxisDesign design(Activity activity, Axis axis, const StepInput& in, double transient_s,
                  const Scales& scales) {
  AxisDesign d;
  const double E = in.envelope, T = in.T;
  const double w = transient_s / T;
  const double impact = scales.impact * in.loading;
  if (activity == Activity::kWalk) {
    d.b1 = {Shape::kHann, 1.0, 0.0, 1.0, 0.0};
    d.b2 = {Shape::kFullSine, 1.0, 0.0, 1.0, 0.0};
    // CoM lowest mid double support (a limp: its double supports are 10 % of the stride).
    const double low = (kWalkStanceFraction - 0.5) * in.dip;
    switch (axis) {
      case kVertical: {
        // A leg's excursion grows with its step length² (the acceleration stays the same).
        const double z =
            kPattern.walk_vertical_half_excursion_m * (scales.vertical * in.size * in.size);
        const double dip = E * z * std::pow(2.0 * kPi / T, 2);
        d.fixed.add({Shape::kCos, dip, 0.0, 1.0, -2.0 * kPi * low});
        d.fixed.add({Shape::kHann, E * (kPattern.walk_heel_strike_up_ms2 * impact), 0.0, w});
        // A leg loaded more or less than normal: a pulse over the loading response, as large
        // as the CoM dip's acceleration times (loading − 1), zero at both ends of the step (a
        // change of the dip itself would jump at the contacts).
        if (in.loading != 1.0)
          d.fixed.add(
              {Shape::kHann, dip * (in.loading - 1.0), 0.0, kPattern.walk_loading_response_end});
        break;
      }
      case kForward:
        d.fixed.add({Shape::kHann, -E * (kPattern.walk_braking_ms2 * scales.propulsion), 0.0, 0.4});
        d.fixed.add(
            {Shape::kHann, E * (kPattern.walk_braking_ms2 * scales.propulsion) * 0.8, 0.45, 0.95});
        d.fixed.add({Shape::kHann, -E * (kPattern.walk_heel_strike_back_ms2 * impact), 0.0, w});
        break;
      case kLateral:
        // Sway ∝ step time: a limping stride still has no net lateral impulse.
        d.stride_periodic = true;
        d.fixed.add({Shape::kHalfSine,
                     -in.sign * E * (kPattern.walk_sway_half_m * in.size) * std::pow(kPi / T, 2),
                     0.0, 1.0});
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
      d.fixed.add({Shape::kHann, E * (kPattern.run_impact_up_ms2 * impact), 0.0, w});
      break;
    case kForward:
      d.fixed.add({Shape::kHalfSine, -E * kPattern.run_braking_ms2, 0.0, 0.5 * c});
      d.fixed.add({Shape::kHalfSine, E * kPattern.run_braking_ms2, 0.5 * c, c});
      d.fixed.add({Shape::kHann, -E * (kPattern.run_impact_back_ms2 * impact), 0.0, w});
      break;
    case kLateral:
      d.stride_periodic = true;
      // Contact ∝ step time: the sway force ∝ 1 / step time keeps the stride impulse-free.
      d.fixed.add({Shape::kHalfSine, -in.sign * E * (kPattern.run_sway_ms2 / in.size), 0.0, c});
      break;
  }
  return d;
}

// Gait initiation and termination: only the two smooth correction terms (the CoM starts
// moving, or comes to rest, with zero acceleration at both ends), plus the heel-strike
// transient of the closing contact when the lead-out starts with one.
AxisDesign lead_design(Axis axis, double heel_strike, double transient_s, double T) {
  AxisDesign d;
  d.b1 = {Shape::kHann, 1.0, 0.0, 1.0, 0.0};
  d.b2 = {Shape::kFullSine, 1.0, 0.0, 1.0, 0.0};
  const double w = std::min(transient_s / T, 0.5);
  if (heel_strike != 0.0 && axis == kVertical)
    d.fixed.add({Shape::kHann, heel_strike * kPattern.walk_heel_strike_up_ms2, 0.0, w});
  if (heel_strike != 0.0 && axis == kForward)
    d.fixed.add({Shape::kHann, -heel_strike * kPattern.walk_heel_strike_back_ms2, 0.0, w});
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

// Acceleration just after the step starts (u = 0) or just before it ends (u = 1): the
// correction terms are zero at both ends, so these are the pattern terms that reach that end.
double edge_value(const AxisStep& s, double u) {
  double v = 0.0;
  for (int j = 0; j < s.count; ++j)
    if (u == 0.0 ? s.terms[j].a == 0.0 : s.terms[j].b == 1.0)
      v += s.terms[j].amp * shape_at(s.terms[j].shape, s.terms[j].phase, u).s;
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

namespace {

// State (velocity, position) at a left and at a right initial contact of steady gait.
struct Targets {
  double v[2] = {0.0, 0.0}, x[2] = {0.0, 0.0};  // [0] left, [1] right
};

StepInput nominal_input(const GaitPlan& plan, const SimParams& p, Side side) {
  const double n = plan.nominal_step_s(side);
  const double other = plan.nominal_step_s(side == Side::kLeft ? Side::kRight : Side::kLeft);
  StepInput in{n, plan.nominal_contact_s(side), 1.0, side == Side::kLeft ? 1.0 : -1.0};
  in.size = n / plan.nominal_step_s();
  in.dip = (n + other) / (2.0 * n);
  in.loading = side == Side::kLeft ? p.loading_left : p.loading_right;
  return in;
}

// Symmetric gait: one nominal step. Vertical and forward: zero net impulse over the step
// fixes b1, zero net displacement then fixes v* (x* = 0). Lateral: the state flips sign every
// step.
Targets symmetric_targets(const AxisDesign& nd, double T0) {
  double v_star = 0.0, x_star = 0.0, f1, f2;
  if (nd.stride_periodic) {
    integrals(nd.fixed, f1, f2);
    v_star = -0.5 * T0 * f1;
    x_star = -0.5 * (v_star * T0 + T0 * T0 * f2);
  } else {
    AxisStep s = nd.fixed;
    integrals(s, f1, f2);
    const double c1 = -f1 / term_at(nd.b1, 1.0).s1;
    s.add({nd.b1.shape, c1, nd.b1.a, nd.b1.b});
    integrals(s, f1, f2);
    v_star = -T0 * f2;
  }
  const double flip = nd.stride_periodic ? -1.0 : 1.0;
  Targets t;
  t.v[0] = v_star;
  t.x[0] = x_star;
  t.v[1] = flip * v_star;
  t.x[1] = flip * x_star;
  return t;
}

// A limping stride: a left and a right nominal step (with the blends between them) repeat.
// Vertical and forward: each step has zero net impulse (b1) and the stride zero net
// displacement. Lateral: the stride has zero net impulse (shared b1 correction if the
// patterns leave any) and zero net displacement, centred between the legs.
Targets stride_targets(AxisDesign d[2], const double T[2], bool run) {
  for (int i = 0; i < 2; ++i) {
    const double c = run ? d[i].b1.b : 1.0;  // blends within the stance in running
    const double jump = edge_value(d[1 - i].fixed, 1.0) - edge_value(d[i].fixed, 0.0);
    if (jump != 0.0) d[i].fixed.add({Shape::kRampDown, jump, 0.0, c});
  }
  double F1[2], F2[2];
  for (int i = 0; i < 2; ++i) integrals(d[i].fixed, F1[i], F2[i]);
  Targets t;
  if (!d[0].stride_periodic) {
    for (int i = 0; i < 2; ++i) {
      AxisStep s = d[i].fixed;
      const double c1 = -F1[i] / term_at(d[i].b1, 1.0).s1;
      s.add({d[i].b1.shape, c1, d[i].b1.a, d[i].b1.b});
      integrals(s, F1[i], F2[i]);
    }
    const double v = -(T[0] * T[0] * F2[0] + T[1] * T[1] * F2[1]) / (T[0] + T[1]);
    t.v[0] = t.v[1] = v;
    t.x[0] = 0.0;
    t.x[1] = v * T[0] + T[0] * T[0] * F2[0];
    return t;
  }
  const double imbalance = T[0] * F1[0] + T[1] * F1[1];
  if (imbalance != 0.0) {
    for (int i = 0; i < 2; ++i) {
      AxisStep s = d[i].fixed;
      s.add({d[i].b1.shape, -0.5 * imbalance / (T[i] * term_at(d[i].b1, 1.0).s1), d[i].b1.a,
             d[i].b1.b});
      integrals(s, F1[i], F2[i]);
    }
  }
  t.v[0] = -(T[1] * T[0] * F1[0] + T[0] * T[0] * F2[0] + T[1] * T[1] * F2[1]) / (T[0] + T[1]);
  t.v[1] = t.v[0] + T[0] * F1[0];
  const double shift = t.v[0] * T[0] + T[0] * T[0] * F2[0];  // x_right − x_left
  t.x[0] = -0.5 * shift;
  t.x[1] = 0.5 * shift;
  return t;
}

}  // namespace

ComProfile::ComProfile(const SimParams& p, const GaitPlan& plan) : plan_(plan) {
  const auto& steps = plan.steps();
  const bool run = p.activity == Activity::kRun;
  // Slow walking: the forward velocity swing per step (∝ force × step time) stays in
  // proportion to the (slower) speed, so braking and propulsion scale with (cadence/90)³.
  const double slow = slow_walk_factor(p);
  const Scales scales{p.vertical_scale, p.impact_scale, slow * slow * slow};
  // Transients no shorter than 4 output samples: the analytic equivalent of the sensor's
  // anti-alias filter (a Hann pulse of that width has its first spectral zero at Nyquist).
  const double width = p.impact_width_s > 0.0
                           ? p.impact_width_s
                           : (run ? kPattern.run_transient_s : kPattern.walk_transient_s);
  double transient = std::max(width, 4.0 / p.rate_hz);
  const double shortest_step =
      std::min(plan.nominal_step_s(Side::kLeft), plan.nominal_step_s(Side::kRight));
  const double shortest_contact = plan.symmetric() ? plan.nominal_contact_s()
                                                   : std::min(plan.nominal_contact_s(Side::kLeft),
                                                              plan.nominal_contact_s(Side::kRight));
  transient = std::min(transient, run ? 0.5 * shortest_contact : 0.3 * shortest_step);
  for (int axis = 0; axis < 3; ++axis) {
    const Axis ax = static_cast<Axis>(axis);
    // Periodic state at the initial contacts of steady gait.
    Targets target;
    if (plan.symmetric()) {
      StepInput nominal{plan.nominal_step_s(), plan.nominal_contact_s(), 1.0, 1.0};
      nominal.loading = p.loading_left;
      target = symmetric_targets(design(p.activity, ax, nominal, transient, scales),
                                 plan.nominal_step_s());
    } else {
      const StepInput in[2] = {nominal_input(plan, p, Side::kLeft),
                               nominal_input(plan, p, Side::kRight)};
      AxisDesign d[2] = {design(p.activity, ax, in[0], transient, scales),
                         design(p.activity, ax, in[1], transient, scales)};
      const double T[2] = {in[0].T, in[1].T};
      target = stride_targets(d, T, run);
    }
    const std::size_t n = steps.size();
    std::vector<AxisDesign> designs(n);
    for (std::size_t k = 0; k < n; ++k) {
      const PlannedStep& ps = steps[k];
      StepInput in{ps.step_time_s, ps.contact_time_s, ps.envelope, ps.sign};
      in.size = ps.nominal_s / plan.nominal_step_s();
      in.dip = (ps.nominal_s + ps.next_nominal_s) / (2.0 * ps.nominal_s);
      in.loading = ps.loading;
      designs[k] = design(p.activity, ax, in, transient, scales);
    }
    // Linear blends make the acceleration continuous where consecutive steps' patterns differ
    // (step-time and envelope changes) and at both ends of every bout (standing has none).
    // Running blends within the stance, so every steady flight stays exact free fall.
    std::vector<double> starts(n), ends(n);
    for (std::size_t k = 0; k < n; ++k) {
      starts[k] = edge_value(designs[k].fixed, 0.0);
      ends[k] = edge_value(designs[k].fixed, 1.0);
    }
    for (std::size_t k = 0; k < n; ++k) {
      AxisStep& f = designs[k].fixed;
      const double c = run ? steps[k].contact_time_s / steps[k].step_time_s : 1.0;
      const double jump_in = (steps[k].first_in_bout ? 0.0 : ends[k - 1]) - starts[k];
      if (jump_in != 0.0) f.add({Shape::kRampDown, jump_in, 0.0, c});
      if (steps[k].last_in_bout && ends[k] != 0.0)
        f.add({Shape::kRampUp, -ends[k], run ? c : 0.0, 1.0});
    }
    auto& out = steps_[axis];
    out.resize(n);
    lead_in_[axis].assign(plan.bouts().size(), AxisStep{});
    lead_out_[axis].assign(plan.bouts().size(), AxisStep{});
    double v = 0.0, x = 0.0;  // standing before gait
    for (std::size_t k = 0; k < n; ++k) {
      const PlannedStep& ps = steps[k];
      const AxisDesign& d = designs[k];
      if (ps.first_in_bout) {
        // From standing: at rest, or moving already after the first swing (lead-in).
        const PlannedBout& pb = plan.bouts()[ps.bout];
        const double e0 = plan.envelope(ps.ic_s).v;
        const int here = ps.side == Side::kLeft ? 0 : 1;
        v = e0 * target.v[here];
        x = e0 * target.x[here];
        if (pb.lead_in_s > 0.0) {
          AxisStep lead;
          close_step(lead, lead_design(ax, 0.0, transient, pb.lead_in_s), pb.lead_in_s, v, x);
          lead_in_[axis][ps.bout] = lead;
        }
      }
      AxisStep s = d.fixed;
      s.v0 = v;
      s.x0 = x;
      const double e_next = plan.envelope_at_end(k);
      const int next = ps.side == Side::kLeft ? 1 : 0;  // the next stance leg
      v = e_next * target.v[next];
      x = e_next * target.x[next];
      close_step(s, d, ps.step_time_s, v, x);
      out[k] = s;
      const PlannedBout& pb = plan.bouts()[ps.bout];
      if (ps.last_in_bout && pb.lead_out_s > 0.0) {
        // The closing contact loads the leg as any other, then the CoM settles.
        const double loading = ps.side == Side::kLeft ? p.loading_right : p.loading_left;
        const double heel_strike = e_next * scales.impact * loading;
        const AxisDesign ld = lead_design(ax, heel_strike, transient, pb.lead_out_s);
        AxisStep lead = ld.fixed;
        lead.v0 = v;
        lead.x0 = x;
        close_step(lead, ld, pb.lead_out_s, 0.0, 0.0);
        lead_out_[axis][ps.bout] = lead;
      }
    }
  }
}

AxisState ComProfile::eval(Axis axis, double t) const {
  const std::size_t k = plan_.step_at(t);
  if (k == GaitPlan::npos) {
    bool lead_in = false;
    const std::size_t b = plan_.lead_at(t, lead_in);
    if (b == GaitPlan::npos) return {};
    const PlannedBout& pb = plan_.bouts()[b];
    if (lead_in)
      return lead_in_[axis][b].eval((t - (pb.start_s - pb.lead_in_s)) / pb.lead_in_s, pb.lead_in_s);
    return lead_out_[axis][b].eval((t - pb.end_s) / pb.lead_out_s, pb.lead_out_s);
  }
  const PlannedStep& ps = plan_.steps()[k];
  return steps_[axis][k].eval((t - ps.ic_s) / ps.step_time_s, ps.step_time_s);
}

}  // namespace stridelab::sim
