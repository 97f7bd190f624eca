#pragma once
// Simulator truth vs analysis: the figures of one simulated recording.
#include <cstdio>
#include <string>

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
      "%.2f (bias %+.2f, n %d) rot RMSE %.2f (bias %+.2f, n %d) CT MAE %4.1f ms cad err %.2f (summary vs all %.2f) "
      "[%s, %s]\n",
      name.c_str(), f.events.matched, f.events.reference, f.all_events.matched,
      f.all_events.reference, f.events.recall, f.events.precision, 1e3 * f.events.mean_abs_error_s,
      1e3 * f.events.mean_error_s, f.events.side_accuracy, f.drop_rmse_deg, f.drop_bias_deg,
      f.drop_n, f.rotation_rmse_deg, f.rotation_bias_deg, f.rotation_n, 1e3 * f.contact_mae_s,
      f.cadence_error_spm, f.summary_cadence_error_spm, f.calibration.c_str(), f.activity.c_str());
}

}  // namespace stridelab::accuracy
