#pragma once
// Simulator truth vs analysis: the figures of one simulated recording.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "accuracy/accuracy_common.hpp"
#include "stridelab/sim/simulator.hpp"

namespace stridelab::accuracy {

struct SimFigures {
  EventFigures events;      // steady gait (asserted)
  EventFigures all_events;  // every simulated step
  double drop_rmse_deg = 0, drop_bias_deg = 0;
  int drop_n = 0;
  double rotation_rmse_deg = 0, rotation_bias_deg = 0;
  int rotation_n = 0;
  double contact_mae_s = 0;
  int contact_n = 0;
  double cadence_error_spm = 0;
  double detected_cadence_spm = 0, true_cadence_spm = 0;
  double summary_cadence_spm = 0, summary_cadence_error_spm = 0;  // vs truth over all steps
  std::string calibration;
  std::string activity;
};

inline SimFigures evaluate_sim(const sim::SimResult& sim, std::size_t chunk = 0,
                               dsp::AnalyzerParams* override_params = nullptr) {
  const SensorData& sensor = sim.recording.primary();
  dsp::AnalyzerParams params = override_params ? *override_params : params_for(sensor);
  const AnalysisRun run = analyze(sensor, params, chunk);
  const sim::Truth& truth = sim.truth;
  std::vector<RefContact> ref;
  for (const auto& s : truth.steps) ref.push_back({s.time_s, s.side});
  SimFigures f;
  f.all_events = event_figures(ref, run.steps, 0.05);
  // Steady gait: the simulator ramps the motion up from standing over the first two steps
  // and down over the last two; they are reported in all_events and left out of the
  // asserted figures.
  constexpr std::size_t kRamp = 2;
  if (ref.size() > 2 * kRamp + 2) {
    const double t0 = ref[kRamp].time_s - 0.1, t1 = ref[ref.size() - 1 - kRamp].time_s + 0.1;
    ref = std::vector<RefContact>(ref.begin() + kRamp, ref.end() - kRamp);
    std::vector<Step> inside;
    for (const Step& st : run.steps)
      if (st.time_s >= t0 && st.time_s <= t1) inside.push_back(st);
    f.events = event_figures(ref, inside, 0.05);
  }
  ref.clear();
  for (const auto& st : truth.steps) ref.push_back({st.time_s, st.side});
  f.calibration = run.summary.calibration.up_method;
  f.activity = run.summary.activity;
  double se = 0, sb = 0, re = 0, rb = 0, det_step_sum = 0, true_step_sum = 0;
  int cadence_n = 0;
  for (const Match& m : match_contacts(ref, run.steps, 0.05)) {
    const Step& d = run.steps[m.det];
    const sim::TruthStep& t = truth.steps[m.ref];
    if (std::isfinite(d.step_time_s) && !(d.flags & (kFlagOutlier | kFlagGap))) {
      det_step_sum += d.step_time_s;
      true_step_sum += t.step_time_s;
      ++cadence_n;
    }
    const bool bad = (d.flags & dsp::SummaryAccumulator::kBadFlags) || t.in_turn;
    if (!bad && std::isfinite(d.pelvic_drop_deg) && d.side == t.side) {
      const double e = d.pelvic_drop_deg - t.pelvic_drop_deg;
      se += e * e;
      sb += e;
      ++f.drop_n;
    }
    if (std::isfinite(d.contact_time_s)) {
      f.contact_mae_s += std::abs(d.contact_time_s - t.contact_time_s);
      ++f.contact_n;
    }
    if (!bad && std::isfinite(d.trunk_rotation_deg)) {
      for (const auto& st : truth.strides) {
        if (std::abs(st.start_s - t.time_s) > 1e-6 || st.in_turn) continue;
        const double e = d.trunk_rotation_deg - st.trunk_rotation_deg;
        re += e * e;
        rb += e;
        ++f.rotation_n;
      }
    }
  }
  if (f.drop_n) f.drop_rmse_deg = std::sqrt(se / f.drop_n), f.drop_bias_deg = sb / f.drop_n;
  if (f.rotation_n)
    f.rotation_rmse_deg = std::sqrt(re / f.rotation_n), f.rotation_bias_deg = rb / f.rotation_n;
  if (f.contact_n) f.contact_mae_s /= f.contact_n;
  f.summary_cadence_spm = run.summary.mean_cadence_spm;
  f.summary_cadence_error_spm = std::abs(f.summary_cadence_spm - truth.mean_cadence_spm);
  // Cadence error of the algorithm: mean cadence of the matched steps vs their truth.
  f.detected_cadence_spm = cadence_n ? 60.0 * cadence_n / det_step_sum : 0.0;
  f.true_cadence_spm = cadence_n ? 60.0 * cadence_n / true_step_sum : 0.0;
  f.cadence_error_spm = std::abs(f.detected_cadence_spm - f.true_cadence_spm);
  return f;
}

inline void print_figures(const std::string& name, const SimFigures& f) {
  std::printf(
      "%-34s steps %3d/%3d (all %3d/%3d) rec %.3f prec %.3f |IC| %5.1f ms (bias %+5.1f) side %.3f "
      "drop RMSE "
      "%.2f (bias %+.2f, n %d) rot RMSE %.2f (bias %+.2f, n %d) CT MAE %4.1f ms cad err %.2f "
      "(summary vs all %.2f) "
      "[%s, %s]\n",
      name.c_str(), f.events.matched, f.events.reference, f.all_events.matched,
      f.all_events.reference, f.events.recall, f.events.precision, 1e3 * f.events.mean_abs_error_s,
      1e3 * f.events.mean_error_s, f.events.side_accuracy, f.drop_rmse_deg, f.drop_bias_deg,
      f.drop_n, f.rotation_rmse_deg, f.rotation_bias_deg, f.rotation_n, 1e3 * f.contact_mae_s,
      f.cadence_error_spm, f.summary_cadence_error_spm, f.calibration.c_str(), f.activity.c_str());
}

// --- Gait variety (limp, slow walking, hesitant starts, pauses, short bouts) ---

// Which simulated steps a variety case is scored on.
enum class StepSet {
  kSteady,  // without the two steps at each end of every bout (limp, slow walking)
  kAll,     // every simulated step (hesitant starts and stops, short bouts)
};

struct VarietyFigures {
  EventFigures events;  // on the step set
  double drop_rmse_deg = 0;
  int drop_n = 0;
  double rotation_rmse_deg = 0;
  int rotation_n = 0;
  double cadence_error_spm = 0;
  // Per stance side, over matched steps with the correct side and a usable detected step
  // time: mean detected step time − mean true step time of the same steps, s.
  double step_time_error_s[2] = {0, 0};  // [0] left, [1] right
  int step_time_n[2] = {0, 0};
  // Step-time asymmetry index 100·|L − R| / mean(L, R), detected and true over those steps.
  double asymmetry_pct = 0, true_asymmetry_pct = 0, asymmetry_error_pct = 0;
  // The analyzer's own summary index vs the true index over every simulated step.
  double summary_asymmetry_pct = 0, truth_all_asymmetry_pct = 0;
  int closing_contacts = 0, closing_found = 0;  // bouts' closing contacts (StepSet::kAll)
};

// Index of every truth step in the chosen set.
inline std::vector<std::size_t> variety_step_set(const sim::Truth& truth, StepSet set) {
  std::vector<std::size_t> out;
  const auto& st = truth.steps;
  for (std::size_t k = 0; k < st.size(); ++k) {
    if (set == StepSet::kAll) {
      out.push_back(k);
      continue;
    }
    std::size_t before = 0, after = 0;
    for (std::size_t j = k; j > 0 && st[j - 1].bout == st[k].bout; --j) ++before;
    for (std::size_t j = k + 1; j < st.size() && st[j].bout == st[k].bout; ++j) ++after;
    if (before >= 2 && after >= 2) out.push_back(k);
  }
  return out;
}

inline double index_pct(double left, double right) {
  return 100.0 * std::abs(left - right) / (0.5 * (left + right));
}

inline VarietyFigures evaluate_variety(const sim::SimResult& sim, StepSet set) {
  const SensorData& sensor = sim.recording.primary();
  const AnalysisRun run = analyze(sensor, params_for(sensor));
  const sim::Truth& truth = sim.truth;
  const std::vector<std::size_t> chosen = variety_step_set(truth, set);
  VarietyFigures f;
  if (chosen.empty()) return f;
  std::vector<RefContact> ref;
  for (std::size_t k : chosen) ref.push_back({truth.steps[k].time_s, truth.steps[k].side});
  // A bout's closing contact (the foot set down beside the other, into standing) is a real
  // contact but no truth step (nothing follows it): finding it is counted on its own, and
  // never as a false step. Scored with every step only (steady sets leave out bout ends).
  std::vector<double> closing;
  if (set == StepSet::kAll)
    for (std::size_t k = 0; k < truth.steps.size(); ++k)
      if (k + 1 == truth.steps.size() || truth.steps[k + 1].bout != truth.steps[k].bout)
        closing.push_back(truth.steps[k].time_s + truth.steps[k].step_time_s);
  f.closing_contacts = static_cast<int>(closing.size());
  // Detections scored against the set: all of them, or those inside its time span (steady
  // sets leave out the bout ends, and so do their detections).
  std::vector<Step> det;
  for (const Step& d : run.steps) {
    bool inside = set == StepSet::kAll;
    for (std::size_t i = 0; !inside && i < chosen.size(); ++i) {
      const sim::TruthStep& t = truth.steps[chosen[i]];
      inside = d.time_s >= t.time_s - 0.1 && d.time_s <= t.time_s + t.step_time_s - 0.1;
    }
    if (!inside) continue;
    if (std::any_of(closing.begin(), closing.end(),
                    [&](double c) { return std::abs(d.time_s - c) <= 0.05; }))
      ++f.closing_found;
    else
      det.push_back(d);
  }
  f.events = event_figures(ref, det, 0.05);
  double se = 0, re = 0, det_sum = 0, true_sum = 0;
  double side_det[2] = {0, 0}, side_true[2] = {0, 0};
  int cadence_n = 0;
  for (const Match& m : match_contacts(ref, det, 0.05)) {
    const Step& d = det[m.det];
    const std::size_t k = chosen[m.ref];
    const sim::TruthStep& t = truth.steps[k];
    const bool usable_time = std::isfinite(d.step_time_s) && !(d.flags & (kFlagOutlier | kFlagGap));
    if (usable_time) {
      det_sum += d.step_time_s;
      true_sum += t.step_time_s;
      ++cadence_n;
      if (d.side == t.side && t.side != Side::kUnknown) {
        const int s = t.side == Side::kLeft ? 0 : 1;
        side_det[s] += d.step_time_s;
        side_true[s] += t.step_time_s;
        ++f.step_time_n[s];
      }
    }
    const bool bad = (d.flags & dsp::SummaryAccumulator::kBadFlags) || t.in_turn;
    if (!bad && std::isfinite(d.pelvic_drop_deg) && d.side == t.side) {
      se += std::pow(d.pelvic_drop_deg - t.pelvic_drop_deg, 2);
      ++f.drop_n;
    }
    if (!bad && std::isfinite(d.trunk_rotation_deg)) {
      for (const auto& st : truth.strides) {
        if (std::abs(st.start_s - t.time_s) > 1e-6 || st.in_turn) continue;
        re += std::pow(d.trunk_rotation_deg - st.trunk_rotation_deg, 2);
        ++f.rotation_n;
      }
    }
  }
  if (f.drop_n) f.drop_rmse_deg = std::sqrt(se / f.drop_n);
  if (f.rotation_n) f.rotation_rmse_deg = std::sqrt(re / f.rotation_n);
  if (cadence_n)
    f.cadence_error_spm = std::abs(60.0 * cadence_n / det_sum - 60.0 * cadence_n / true_sum);
  if (f.step_time_n[0] && f.step_time_n[1]) {
    double dl[2], tl[2];
    for (int s = 0; s < 2; ++s) {
      dl[s] = side_det[s] / f.step_time_n[s];
      tl[s] = side_true[s] / f.step_time_n[s];
      f.step_time_error_s[s] = dl[s] - tl[s];
    }
    f.asymmetry_pct = index_pct(dl[0], dl[1]);
    f.true_asymmetry_pct = index_pct(tl[0], tl[1]);
    f.asymmetry_error_pct = std::abs(f.asymmetry_pct - f.true_asymmetry_pct);
  } else {
    f.asymmetry_error_pct = f.step_time_error_s[0] = f.step_time_error_s[1] =
        std::numeric_limits<double>::quiet_NaN();
  }
  double all[2] = {0, 0};
  int all_n[2] = {0, 0};
  for (const auto& t : truth.steps) {
    const int s = t.side == Side::kLeft ? 0 : 1;
    all[s] += t.step_time_s;
    ++all_n[s];
  }
  f.truth_all_asymmetry_pct = index_pct(all[0] / all_n[0], all[1] / all_n[1]);
  f.summary_asymmetry_pct = run.summary.step_time_asymmetry_pct;
  return f;
}

// The asserted limits of one case: the targets, or where the detector misses one today, the
// figure it reaches (NaN: nothing to assert, e.g. no step detected at all).
struct VarietyLimits {
  double recall = 0.99, precision = 0.99, ic_ms = 15, side = 0.98, drop_deg = 1.0,
         rotation_deg = 1.5, cadence_spm = 0.5, side_step_ms = 20, asymmetry_pct = 5;
  double scored_fraction = 1.0 / 3.0;  // of the steps, with a drop and a rotation to score
};

// "recall 0.99, cadence 0.5 spm": the targets a case's limits loosen.
inline std::string missed_targets(const VarietyLimits& l) {
  const VarietyLimits t;
  std::string out;
  const auto add = [&](bool missed, const char* what) {
    if (missed) out += (out.empty() ? "" : ", ") + std::string(what);
  };
  const auto differs = [](double a, double b) { return std::isnan(a) || a != b; };
  add(differs(l.recall, t.recall), "recall 0.99");
  add(differs(l.precision, t.precision), "precision 0.99");
  add(differs(l.ic_ms, t.ic_ms), "IC 15 ms");
  add(differs(l.side, t.side), "side 98 %");
  add(differs(l.drop_deg, t.drop_deg), "drop RMSE 1.0 deg");
  add(differs(l.rotation_deg, t.rotation_deg), "rotation RMSE 1.5 deg");
  add(differs(l.cadence_spm, t.cadence_spm), "cadence 0.5 spm");
  add(differs(l.side_step_ms, t.side_step_ms), "per-side step time 20 ms");
  add(differs(l.asymmetry_pct, t.asymmetry_pct), "asymmetry 5 points");
  return out;
}

inline void print_variety(const std::string& name, const VarietyFigures& f,
                          const VarietyLimits& limits) {
  const std::string missed = missed_targets(limits);
  std::printf(
      "%-26s steps %3d/%3d det %3d rec %.3f prec %.3f |IC| %5.1f ms side %.3f drop RMSE %.2f "
      "(n %d) rot RMSE %.2f (n %d) cad err %.2f step time L %+6.1f R %+6.1f ms asym %.1f vs "
      "%.1f err %.1f pts (summary %.1f vs all %.1f) closing %d/%d%s%s\n",
      name.c_str(), f.events.matched, f.events.reference, f.events.detected, f.events.recall,
      f.events.precision, 1e3 * f.events.mean_abs_error_s, f.events.side_accuracy, f.drop_rmse_deg,
      f.drop_n, f.rotation_rmse_deg, f.rotation_n, f.cadence_error_spm,
      1e3 * f.step_time_error_s[0], 1e3 * f.step_time_error_s[1], f.asymmetry_pct,
      f.true_asymmetry_pct, f.asymmetry_error_pct, f.summary_asymmetry_pct,
      f.truth_all_asymmetry_pct, f.closing_found, f.closing_contacts,
      missed.empty() ? "" : "  TARGET MISSED: ", missed.c_str());
}

}  // namespace stridelab::accuracy
