#include "accuracy/real_eval.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace stridelab::accuracy {
namespace {

const RefBout* bout_holding(const RealTrial& t, double a, double b, double margin) {
  for (const RefBout& bt : t.bouts)
    if (a >= bt.start_s - margin && b <= bt.end_s + margin) return &bt;
  return nullptr;
}

struct SideMeans {
  double sum[2] = {0, 0};
  int n[2] = {0, 0};
  void add(Side s, double v) {
    if (s == Side::kUnknown || !std::isfinite(v)) return;
    const int k = s == Side::kLeft ? 0 : 1;
    sum[k] += v;
    ++n[k];
  }
  // Mean (NaN below the summary's minimum count per side) and count; no SD.
  dsp::MeanSd get(Side s) const {
    const int k = s == Side::kLeft ? 0 : 1;
    dsp::MeanSd m;
    m.n = n[k];
    if (n[k] >= dsp::SummaryAccumulator::kMinAsymmetrySteps) m.mean = sum[k] / n[k];
    return m;
  }
};

// Place of reference IC `e` among the in-bout ICs of its bout.
BoutPlace place_in_bout(const RealTrial& t, const RefEvent& e) {
  const RefBout* bt = bout_holding(t, e.time_s, e.time_s, 0.01);
  if (!bt) return BoutPlace::kMiddle;
  int before = 0, after = 0;
  for (const RefEvent& o : t.ics)
    if (o.in_bout && o.time_s >= bt->start_s - 0.01 && o.time_s <= bt->end_s + 0.01)
      before += o.time_s<e.time_s, after += o.time_s> e.time_s;
  if (after == 0) return BoutPlace::kClosing;
  if (after == 1) return BoutPlace::kLastButOne;
  if (before == 0) return BoutPlace::kFirst;
  if (before == 1) return BoutPlace::kSecond;
  return BoutPlace::kMiddle;
}

}  // namespace

const char* bout_place_name(BoutPlace p) {
  switch (p) {
    case BoutPlace::kFirst:
      return "first";
    case BoutPlace::kSecond:
      return "second";
    case BoutPlace::kMiddle:
      return "middle";
    case BoutPlace::kLastButOne:
      return "last-but-one";
    case BoutPlace::kClosing:
      return "closing";
  }
  return "?";
}

void EventCounts::add_counts(const EventCounts& o) {
  reference += o.reference;
  detected += o.detected;
  matched += o.matched;
  sum_abs_error_s += o.sum_abs_error_s;
  sum_error_s += o.sum_error_s;
  sum_sq_error_s += o.sum_sq_error_s;
  side_known += o.side_known;
  side_correct += o.side_correct;
  side_sure += o.side_sure;
  side_sure_correct += o.side_sure_correct;
  turn_reference += o.turn_reference;
  turn_matched += o.turn_matched;
  unreferenced += o.unreferenced;
  contact_n += o.contact_n;
  contact_sum_abs_error_s += o.contact_sum_abs_error_s;
  contact_sum_error_s += o.contact_sum_error_s;
}

double EventCounts::error_sd_s() const {
  if (matched < 2) return kNotMeasured;
  const double m = sum_error_s / matched;
  return std::sqrt(std::max(0.0, sum_sq_error_s / matched - m * m));
}

double TrialFigures::ref_asymmetry_pct() const {
  return dsp::asymmetry_pct(ref_step_left, ref_step_right);
}
double TrialFigures::det_asymmetry_pct() const {
  return dsp::asymmetry_pct(det_step_left, det_step_right);
}

TrialFigures evaluate_trial(const RealTrial& t, const std::vector<Step>& steps, double tol_s) {
  TrialFigures f;
  f.dataset = t.dataset;
  f.subject = t.subject;
  f.name = t.name;
  f.held_out = held_out(t.dataset, t.subject);
  // Detections inside a bout (±0.3 s) count for precision.
  std::vector<const Step*> inside;
  for (const Step& s : steps)
    if (bout_holding(t, s.time_s, s.time_s, 0.3)) inside.push_back(&s);
  std::vector<const RefEvent*> ref;
  for (const RefEvent& e : t.ics)
    if (e.in_bout && bout_holding(t, e.time_s, e.time_s, 0.01)) ref.push_back(&e);
  f.reference = static_cast<int>(ref.size());
  f.detected = static_cast<int>(inside.size());
  // One-to-one: each reference IC takes the nearest unused detection within ±tol.
  std::vector<bool> used(inside.size(), false);
  for (const RefEvent* r : ref) {
    double best = tol_s;
    int bi = -1;
    for (std::size_t d = 0; d < inside.size(); ++d) {
      const double e = std::abs(inside[d]->time_s - r->time_s);
      if (!used[d] && e <= best) best = e, bi = static_cast<int>(d);
    }
    if (bi < 0) {
      f.missed.push_back({r->time_s, place_in_bout(t, *r), 0.0});
      continue;
    }
    used[bi] = true;
    const Step& s = *inside[bi];
    ++f.matched;
    f.sum_abs_error_s += std::abs(s.time_s - r->time_s);
    f.sum_error_s += s.time_s - r->time_s;
    f.sum_sq_error_s += (s.time_s - r->time_s) * (s.time_s - r->time_s);
    if (s.side != Side::kUnknown && r->side != Side::kUnknown) {
      ++f.side_known;
      f.side_correct += s.side == r->side;
      if (!(s.flags & kFlagLowSideConfidence)) {
        ++f.side_sure;
        f.side_sure_correct += s.side == r->side;
      }
    }
    // Contact time against the same foot's first FC before its next IC.
    if (std::isfinite(s.contact_time_s) && r->side != Side::kUnknown) {
      double next_ic = 1e300, fc = 1e300;
      for (const RefEvent& e : t.ics)
        if (e.side == r->side && e.time_s > r->time_s) next_ic = std::min(next_ic, e.time_s);
      for (const RefEvent& e : t.fcs)
        if (e.side == r->side && e.time_s > r->time_s) fc = std::min(fc, e.time_s);
      if (fc < next_ic && fc - r->time_s < 1.5) {
        ++f.contact_n;
        f.contact_sum_abs_error_s += std::abs(s.contact_time_s - (fc - r->time_s));
        f.contact_sum_error_s += s.contact_time_s - (fc - r->time_s);
      }
    }
  }
  // A detection near a bout's edge that is a reference contact outside the bouts (a U-turn
  // step, one after the trial's end) is not a false one: it leaves the precision count.
  for (const RefEvent& e : t.ics) {
    if (e.in_bout && bout_holding(t, e.time_s, e.time_s, 0.01)) continue;
    double best = tol_s;
    int bi = -1;
    for (std::size_t d = 0; d < inside.size(); ++d) {
      const double err = std::abs(inside[d]->time_s - e.time_s);
      if (!used[d] && err <= best) best = err, bi = static_cast<int>(d);
    }
    if (bi < 0) continue;
    used[bi] = true;
    --f.detected;
  }
  // Feet alternate: where two consecutive reference ICs are of the same foot, the reference
  // lacks the other foot's contact between them (IPOL: 56 such pairs, 49 at the U-turn). A
  // detection there, more than tol from both, is no evidence either way: it leaves the
  // precision count too (counted as `unreferenced`).
  for (std::size_t i = 0; i + 1 < t.ics.size(); ++i) {
    const RefEvent &a = t.ics[i], &b = t.ics[i + 1];
    if (a.side == Side::kUnknown || a.side != b.side) continue;
    for (std::size_t d = 0; d < inside.size(); ++d)
      if (!used[d] && inside[d]->time_s > a.time_s + tol_s &&
          inside[d]->time_s < b.time_s - tol_s) {
        used[d] = true;
        --f.detected;
        ++f.unreferenced;
      }
  }
  for (std::size_t d = 0; d < inside.size(); ++d) {
    if (used[d]) continue;
    const RefEvent* nearest = nullptr;
    for (const RefEvent* r : ref)
      if (!nearest ||
          std::abs(r->time_s - inside[d]->time_s) < std::abs(nearest->time_s - inside[d]->time_s))
        nearest = r;
    f.false_detections.push_back(
        {inside[d]->time_s, nearest ? place_in_bout(t, *nearest) : BoutPlace::kMiddle,
         nearest ? inside[d]->time_s - nearest->time_s : 0.0, inside[d]->flags});
  }
  // Turn contacts: reference ICs outside the bouts, between the first and last bout.
  if (!t.bouts.empty()) {
    const double a = t.bouts.front().start_s, b = t.bouts.back().end_s;
    for (const RefEvent& e : t.ics) {
      if (e.in_bout || e.time_s < a || e.time_s > b) continue;
      ++f.turn_reference;
      for (const Step& s : steps)
        if (std::abs(s.time_s - e.time_s) <= tol_s) {
          ++f.turn_matched;
          break;
        }
    }
  }
  // Per-side step times inside the bouts: reference pairs of consecutive ICs of opposite feet.
  SideMeans rs, ds;
  for (std::size_t i = 0; i + 1 < t.ics.size(); ++i) {
    const RefEvent &a = t.ics[i], &b = t.ics[i + 1];
    if (a.in_bout && b.in_bout && a.side != b.side && bout_holding(t, a.time_s, b.time_s, 0.01))
      rs.add(a.side, b.time_s - a.time_s);
  }
  for (const Step& s : steps)
    if (std::isfinite(s.step_time_s) && !(s.flags & kFlagGap) &&
        bout_holding(t, s.time_s, s.time_s + s.step_time_s, 0.05))
      ds.add(s.side, s.step_time_s);
  f.ref_step_left = rs.get(Side::kLeft);
  f.ref_step_right = rs.get(Side::kRight);
  f.det_step_left = ds.get(Side::kLeft);
  f.det_step_right = ds.get(Side::kRight);
  // Cadence per bout: ours = 60 / mean step time of our steps inside it.
  double err = 0;
  int nb = 0;
  for (const RefBout& bt : t.bouts) {
    if (!(bt.cadence_spm > 0)) continue;
    double sum = 0;
    int n = 0;
    for (const Step& s : steps)
      if (std::isfinite(s.step_time_s) && s.time_s >= bt.start_s - 0.05 &&
          s.time_s + s.step_time_s <= bt.end_s + 0.05)
        sum += s.step_time_s, ++n;
    if (n < 2) continue;
    err += std::abs(60.0 * n / sum - bt.cadence_spm);
    ++nb;
  }
  if (nb) f.cadence_error_spm = err / nb;
  return f;
}

void PooledFigures::add(const TrialFigures& f) {
  ++trials;
  add_counts(f);
  if (f.reference && f.recall() < worst_recall) {
    worst_recall = f.recall();
    worst_recall_trial = f.name;
  }
  if (f.side_known && f.side_agreement() < worst_side) {
    worst_side = f.side_agreement();
    worst_side_trial = f.name;
  }
  // Missing per-side figures (a side with < 3 steps detected) count as the worst case.
  if (std::isfinite(f.ref_step_left.mean) && std::isfinite(f.ref_step_right.mean)) {
    const double e = std::max(std::abs(f.det_step_left.mean - f.ref_step_left.mean),
                              std::abs(f.det_step_right.mean - f.ref_step_right.mean));
    const double ea = std::abs(f.det_asymmetry_pct() - f.ref_asymmetry_pct());
    const double e_or_inf = std::isfinite(e) ? e : 1e9;
    const double ea_or_inf = std::isfinite(ea) ? ea : 1e9;
    if (e_or_inf > worst_step_time_error_s) {
      worst_step_time_error_s = e_or_inf;
      worst_step_trial = f.name;
    }
    if (ea_or_inf > worst_asymmetry_error_pct) {
      worst_asymmetry_error_pct = ea_or_inf;
      worst_asym_trial = f.name;
    }
    if (std::isfinite(e) && std::isfinite(ea)) {
      sum_step_time_error_s += e;
      sum_asymmetry_error_pct += ea;
      ++step_time_trials;
    }
  }
}

std::string trial_line(const TrialFigures& f) {
  char buf[400];
  std::snprintf(
      buf, sizeof buf,
      "%-8s %-22s %s ref %4d det %4d recall %.3f precision %.3f |IC| %5.1f ms bias "
      "%+6.1f side %.3f turn %s step L/R ref %.3f/%.3f det %.3f/%.3f asym ref %5.1f "
      "det %5.1f %%",
      f.dataset.c_str(), f.name.c_str(), f.held_out ? "H" : "T", f.reference, f.detected,
      f.recall(), f.precision(), 1e3 * f.mean_abs_error_s(), 1e3 * f.bias_s(), f.side_agreement(),
      f.turn_reference
          ? (std::to_string(f.turn_matched) + "/" + std::to_string(f.turn_reference)).c_str()
          : "-",
      f.ref_step_left.mean, f.ref_step_right.mean, f.det_step_left.mean, f.det_step_right.mean,
      f.ref_asymmetry_pct(), f.det_asymmetry_pct());
  return buf;
}

std::string pooled_header() {
  return "| data set | trials | ref ICs | recall | precision | mean abs IC error (ms) | bias (ms) "
         "| side: all / confident (share) | turn-IC recall | worst trial recall | worst trial side "
         "| step time per side: "
         "mean / worst error (ms) | asymmetry: mean / worst error (points) "
         "| contact time: share / mean abs error / bias (ms) | detections where the reference "
         "lacks a contact |\n"
         "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";
}

std::string pooled_line(const std::string& label, const PooledFigures& p) {
  char buf[700];
  std::snprintf(
      buf, sizeof buf,
      "| %s | %d | %d | %.3f | %.3f | %.1f | %+.1f | %.3f / %.3f (%.2f) | %s | %.3f (%s) | %.3f "
      "(%s) | %.1f / "
      "%.1f (%s) | %.1f / %.1f (%s) | %.2f / %.0f / %+.0f | %d |",
      label.c_str(), p.trials, p.reference, p.recall(), p.precision(), 1e3 * p.mean_abs_error_s(),
      1e3 * p.bias_s(), p.side_agreement(), p.sure_side_agreement(), p.sure_fraction(),
      p.turn_reference
          ? (std::to_string(p.turn_matched) + "/" + std::to_string(p.turn_reference)).c_str()
          : "–",
      p.worst_recall, p.worst_recall_trial.c_str(), p.worst_side, p.worst_side_trial.c_str(),
      p.step_time_trials ? 1e3 * p.sum_step_time_error_s / p.step_time_trials : kNotMeasured,
      1e3 * p.worst_step_time_error_s, p.worst_step_trial.c_str(),
      p.step_time_trials ? p.sum_asymmetry_error_pct / p.step_time_trials : kNotMeasured,
      p.worst_asymmetry_error_pct, p.worst_asym_trial.c_str(), p.contact_share(),
      1e3 * p.contact_mae_s(), 1e3 * p.contact_bias_s(), p.unreferenced);
  return buf;
}

}  // namespace stridelab::accuracy
