// The provisional side of the Analyzer (AnalyzerParams::provisional): a row per step as soon
// as its stance is over, from early contacts. It only reads the analysis state (frames, pending
// steps, bouts' side evidence), so the final steps do not depend on it.
#include <algorithm>
#include <cmath>

#include "stridelab/dsp/analyzer.hpp"

namespace stridelab::dsp {
namespace {

constexpr std::size_t kEarlyKept = 8;    // early steps kept (the side looks back this far)
constexpr double kMatchWindow_s = 0.15;  // an early and a confirmed contact are the same
// Walking IC before the early peak until confirmed contacts have taught the offset: the
// loading peak follows the IC by ≈ 30 ms (gait_events.hpp), the light smoothing a little more.
constexpr double kDefaultWalkOffset_s = -0.04;

Side other(Side s) {
  return s == Side::kLeft ? Side::kRight : s == Side::kRight ? Side::kLeft : Side::kUnknown;
}

}  // namespace

void Analyzer::update_provisional() {
  for (const Contact& c : contacts_) match_early(c);
  early_events_.clear();
  early_.update(frames_.back(), early_events_);
  for (const EarlyEvent& ev : early_events_) {
    if (ev.kind == EarlyEvent::kFinal) {
      if (!early_steps_.empty() && early_steps_.back().flight) {
        early_steps_.back().fc_s = ev.time_s;
        early_steps_.back().peak_s = ev.peak_s;
      }
      continue;
    }
    EarlyStep e;
    e.flight = ev.flight;
    e.peak_s = ev.time_s;
    if (ev.flight) {
      e.ic_s = ev.time_s;
    } else {  // the IC precedes the loading peak by what the confirmed contacts say
      double off = kDefaultWalkOffset_s;
      if (early_offsets_n_ > 0) {
        const int n = std::min(early_offsets_n_, 8);
        double v[8];
        std::copy(early_offsets_, early_offsets_ + n, v);
        std::nth_element(v, v + n / 2, v + n);
        off = v[n / 2];
      }
      e.ic_s = ev.time_s + off;
    }
    if (!early_steps_.empty()) {
      const double step = e.ic_s - early_steps_.back().ic_s;
      e.chained = !ev.after_gap && step > 0.0 && step <= params_.events.max_step_time_s;
      if (e.chained) emit_provisional(early_steps_.size() - 1, e);
    }
    if (early_steps_.size() == kEarlyKept) early_steps_.erase(early_steps_.begin());
    early_steps_.push_back(e);
  }
}

void Analyzer::match_early(const Contact& c) {
  // The confirmed contact's IC as on_contact() made it (it is the newest pending one unless
  // its bout was discarded), and the nearest unmatched early contact by force peak.
  const PendingStep* p = nullptr;
  for (auto it = pending_.rbegin(); it != pending_.rend() && !p; ++it)
    if (it->contact.peak_s == c.peak_s) p = &*it;
  EarlyStep* best = nullptr;
  for (EarlyStep& e : early_steps_)
    if (!std::isfinite(e.final_peak_s) && std::abs(e.peak_s - c.peak_s) < kMatchWindow_s &&
        (!best || std::abs(e.peak_s - c.peak_s) < std::abs(best->peak_s - c.peak_s)))
      best = &e;
  if (!best || !p) return;
  best->final_peak_s = c.peak_s;
  best->final_ic_s = p->contact.ic_s;
  if (!best->flight && !p->contact.flight)
    early_offsets_[early_offsets_n_++ % 8] = p->contact.ic_s - best->peak_s;
}

Side Analyzer::provisional_side(std::size_t k, double& confidence) {
  // From the newest early step that knows its confirmed contact (the bout's side evidence and
  // the contact's parity in it) or its own side, counting the steps in between.
  int d = 0;
  for (std::size_t j = k + 1; j-- > 0; ++d) {
    const EarlyStep& e = early_steps_[j];
    if (calibration_.valid && std::isfinite(e.final_peak_s)) {
      for (const PendingStep& q : pending_) {
        if (q.contact.peak_s != e.final_peak_s) continue;
        const Bout* b = find_bout(q.bout);
        if (!b || b->side_evidence == 0.0) break;
        const double parity = (q.index + d) % 2 == 0 ? 1.0 : -1.0;
        confidence = std::tanh(0.5 * std::abs(b->side_evidence));
        return parity * b->side_evidence > 0.0 ? Side::kLeft : Side::kRight;
      }
    }
    if (e.side != Side::kUnknown) {
      confidence = e.side_confidence;
      return d % 2 == 0 ? e.side : other(e.side);
    }
    if (!e.chained) break;
  }
  confidence = 0.0;
  return Side::kUnknown;
}

void Analyzer::emit_provisional(std::size_t k, const EarlyStep& next) {
  EarlyStep& p = early_steps_[k];
  const MetricParams& mp = params_.metrics;
  ProvisionalStep r;
  Step& s = r.step;
  // The confirmed IC where it is known already (walking), for the drop window and the time.
  s.time_s = std::isfinite(p.final_ic_s) ? p.final_ic_s : p.ic_s;
  p.side = provisional_side(k, p.side_confidence);
  s.side = p.side;
  s.side_confidence = p.side_confidence;
  if (s.side == Side::kUnknown || s.side_confidence < mp.min_side_confidence)
    s.flags |= kFlagLowSideConfidence;
  // Early minus early: the IC estimates' common offset cancels.
  s.step_time_s = next.ic_s - p.ic_s;
  s.cadence_spm = 60.0 / s.step_time_s;
  r.running = p.flight;
  r.stance_end_s = next.ic_s;
  if (p.flight && std::isfinite(p.fc_s) && p.fc_s > p.ic_s && p.fc_s < next.ic_s) {
    s.contact_time_s = p.fc_s - p.ic_s;
    r.stance_end_s = p.fc_s;
  }
  if (calibration_.valid) {
    if (calibration_.up_method == "gait_mean") s.flags |= kFlagNoStanding;
    if (s.side != Side::kUnknown && r.stance_end_s > s.time_s)
      s.pelvic_drop_deg = pelvic_drop_deg(frames_, s.side, s.time_s, r.stance_end_s);
    // The step's heading change, doubled for the stride (as a final row without its stride).
    const double turn = 2.0 * heading_change_deg(frames_, s.time_s, next.ic_s);
    if ((std::isfinite(turn) && std::abs(turn) > mp.turn_threshold_deg) ||
        s.time_s < last_turn_end_s_ + mp.turn_recovery_s)
      s.flags |= kFlagTurn;
  }
  s.flags |= frame_flags(frames_, s.time_s - 0.05, std::max(r.stance_end_s, next.ic_s));
  if (s.flags & kFlagGap) s.pelvic_drop_deg = s.contact_time_s = kNotMeasured;
  ready_provisional_.push_back(r);
}

}  // namespace stridelab::dsp
