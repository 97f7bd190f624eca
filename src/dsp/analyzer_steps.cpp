// The step side of the Analyzer: contacts become steps in bouts, sides are assigned from the
// bout's side evidence (alternating cues, parity slips allowed at irregular steps), and each step
// gets its metrics and flags once its stride is in.
#include <algorithm>
#include <cmath>

#include "stridelab/dsp/analyzer.hpp"

namespace stridelab::dsp {
namespace {

// A step time more than `fraction` of the reference away from it (an outlier, or a possible
// missed or extra contact); false when either is unknown.
bool far_from(double step_s, double ref_s, double fraction) {
  return std::isfinite(step_s) && std::isfinite(ref_s) && ref_s > 0.0 &&
         std::abs(step_s - ref_s) > fraction * ref_s;
}

}  // namespace

Analyzer::Bout* Analyzer::find_bout(int id) {
  for (Bout& b : bouts_)
    if (b.id == id) return &b;
  return nullptr;
}

Analyzer::Bout* Analyzer::open_bout() {
  return !bouts_.empty() && !bouts_.back().closed ? &bouts_.back() : nullptr;
}

double Analyzer::median_step(const Bout& b) const {
  return median_of_last4(b.recent_steps, b.recent_n);
}

double Analyzer::half_stride(const Bout& b) const {
  // Median of the means of consecutive step pairs among the last 4 steps (NaN below 2 steps):
  // a limp alternates long and short steps (up to 3:1, the long one 1.5 × this), while a
  // missed contact doubles a step.
  const int n = std::min(b.recent_n, 4);
  if (n < 2) return kNotMeasured;
  double pairs[4] = {0, 0, 0, 0};
  for (int k = 0; k + 1 < n; ++k)
    pairs[k] =
        0.5 * (b.recent_steps[(b.recent_n - 1 - k) % 4] + b.recent_steps[(b.recent_n - 2 - k) % 4]);
  return median_of_last4(pairs, n - 1);
}

void Analyzer::retime_running_start(int bout_id, double contact_s) {
  // Steps of a running bout that showed no flight (start of the bout: speed still ramping up)
  // were timed with the walking rule; time them from the mid-stance peak instead.
  PendingStep* prev = nullptr;
  for (PendingStep& p : pending_) {
    if (p.bout != bout_id) continue;
    if (!p.contact.flight && !p.retimed && params_.events.forced == Activity::kUnknown) {
      p.contact.ic_s = p.contact.peak_s - 0.5 * contact_s;
      p.contact.fc_s = p.contact.peak_s + 0.5 * contact_s;
      p.retimed = true;
    }
    if (prev) prev->next_ic = p.contact.ic_s;
    prev = &p;
  }
  PendingStep* prev2 = nullptr;
  prev = nullptr;
  for (PendingStep& p : pending_) {
    if (p.bout != bout_id) continue;
    if (prev2) prev2->next2_ic = p.contact.ic_s;
    prev2 = prev;
    prev = &p;
  }
}

void Analyzer::on_contact(const Contact& contact) {
  if (contact.weak) {
    if (open_bout()) closing_candidates_.push_back(contact);
    return;
  }
  Contact c = contact;
  Bout* b = open_bout();
  // In a running bout a step without flight (slowing down) is timed from its mid-stance peak.
  if (b && !c.flight && std::isfinite(b->run_contact_s) &&
      params_.events.forced == Activity::kUnknown) {
    c.ic_s = c.peak_s - 0.5 * b->run_contact_s;
    c.fc_s = c.peak_s + 0.5 * b->run_contact_s;
  } else if (!std::isfinite(c.fc_s)) {
    c.ic_s = walking_ic(c.ic_s);
  }
  if (b) {
    const double step = c.ic_s - last_ic_;
    const double med = median_step(*b);
    const double rhythm = half_stride(*b);
    const bool breaks = c.after_gap || !(step > 0.0) || step > params_.events.max_step_time_s ||
                        (std::isfinite(rhythm) && step > params_.metrics.max_step_ratio * rhythm);
    if (breaks) {
      // The step before a gap would have spanned it: it touches the gap.
      if (c.after_gap && !pending_.empty() && pending_.back().bout == b->id)
        pending_.back().touches_gap = true;
      if (!c.after_gap) add_closing_contact();
      close_bout();
      b = nullptr;
    } else {
      for (auto it = pending_.rbegin(); it != pending_.rend() && it->bout == b->id; ++it) {
        if (it->index == b->contacts - 1) {
          it->next_ic = c.ic_s;
          it->median_step = std::isfinite(med) ? med : step;
          // The same foot's recent steps (n − 2, n − 4): a limp alternates long and short
          // steps, so the outlier test compares with them, not with the mixed median.
          const int n = b->recent_n;
          if (n >= 4)
            it->same_side_step = 0.5 * (b->recent_steps[(n - 2) % 4] + b->recent_steps[n % 4]);
          else if (n >= 2)
            it->same_side_step = b->recent_steps[(n - 2) % 4];
          if (!c.flight && !it->contact.flight) it->walk_fc = c.trailing_fc_s;
        } else if (it->index == b->contacts - 2) {
          it->next2_ic = c.ic_s;
        }
      }
      b->recent_steps[b->recent_n++ % 4] = step;
    }
  }
  if (!b) {
    bouts_.push_back(Bout{});
    b = &bouts_.back();
    b->id = next_bout_id_++;
  }
  PendingStep p;
  p.contact = c;
  p.bout = b->id;
  p.index = b->contacts++;
  pending_.push_back(p);
  if (c.flight && std::isfinite(c.fc_s)) {
    const bool first_run = !std::isfinite(b->run_contact_s);
    b->run_contact_s = c.fc_s - c.ic_s;
    if (first_run && p.index > 0) retime_running_start(b->id, b->run_contact_s);
  }
  last_ic_ = pending_.back().contact.ic_s;
  closing_candidates_.clear();
  // The first three steps have their step times once the fourth contact is in.
  if (b->contacts >= 4 && !b->start_checked) check_initiation(*b);
  // Calibration statistics from steps of runs long enough to be gait.
  if (!calibration_.valid && b->contacts >= params_.metrics.min_bout_steps) {
    for (PendingStep& q : pending_) {
      if (q.bout != b->id || q.calibration_added || !std::isfinite(q.next_ic)) continue;
      q.calibration_added = true;
      calibration_step(q);
    }
  }
}

void Analyzer::close_bout() {
  Bout* b = open_bout();
  if (!b) return;
  b->closed = true;
  const int id = b->id;
  if (b->contacts < params_.metrics.min_bout_steps) {
    quality_.discarded_contacts += b->contacts;
    pending_.erase(std::remove_if(pending_.begin(), pending_.end(),
                                  [id](const PendingStep& p) { return p.bout == id; }),
                   pending_.end());
    bouts_.pop_back();
    return;
  }
  ++quality_.bouts;
  for (PendingStep& p : pending_)
    if (p.bout == id) p.closed = true;
}

void Analyzer::update_cues() {
  cue_wake_s_ = 1e300;
  for (PendingStep& p : pending_) {
    if (p.cue_done) continue;
    // Cues wait until the bout's first contact is known to be one (it may still be dropped).
    if (const Bout* b = find_bout(p.bout); b && !b->start_checked && !b->closed) continue;
    double step = p.next_ic - p.contact.ic_s;
    if (!std::isfinite(step)) {
      if (!p.closed) continue;
      step = p.median_step;  // last step of a bout: use the bout's typical step
      if (!std::isfinite(step)) {
        Bout* b = find_bout(p.bout);
        step = b ? median_step(*b) : kNotMeasured;
      }
    }
    const MetricParams& mp = params_.metrics;
    const bool lateral = mp.side_cue == SideCue::kLateral;
    const double window = (lateral ? mp.lateral_to : mp.side_window) * step;
    if (std::isfinite(window) && !covers(frames_, p.contact.ic_s, p.contact.ic_s + window) &&
        !finished_ && frames_.back().time_s < p.contact.ic_s + window) {
      cue_wake_s_ = std::min(cue_wake_s_, p.contact.ic_s + window);
      continue;  // data not there yet
    }
    p.cue_done = true;
    p.cue = !std::isfinite(window) ? kNotMeasured
            : lateral              ? lateral_side_cue(frames_, pelvis_y_in_sensor_, p.contact.ic_s,
                                                      mp.lateral_from * step, window)
                      : side_cue_deg(frames_, p.contact.ic_s, window, step, mp.side_yaw_weight);
    if (!std::isfinite(p.cue)) continue;
    if (Bout* b = find_bout(p.bout)) add_side_evidence(*b, p, step);
  }
}

void Analyzer::add_side_evidence(Bout& b, const PendingStep& p, double step) {
  const MetricParams& mp = params_.metrics;
  // Irregular: far from the same foot's step two contacts back (a limp alternates long and
  // short steps regularly), else from the bout's median: a missed or extra contact.
  const bool adjacent = b.last_cue_index >= 0 && p.index == b.last_cue_index + 1;
  const double ref =
      adjacent && std::isfinite(b.last_cue_prev_step) ? b.last_cue_prev_step : median_step(b);
  const bool irregular = far_from(step, ref, mp.outlier_fraction);
  // Pivot turns put the same foot down twice at a regular rhythm: turning steps may slip too
  // (NaN heading, window not held: not turning).
  const double ic = p.contact.ic_s;
  const bool turning = std::abs(heading_change_deg(frames_, ic, ic + step)) > mp.side_slip_turn_deg;
  const bool slip = !adjacent || b.last_cue_irregular || irregular || turning;
  const double cap = slip ? mp.side_slip_evidence : mp.side_evidence_max;
  b.side_evidence = std::clamp(b.side_evidence, -cap, cap);
  cue_scale_ = cue_scale_ > 0.0 ? 0.9 * cue_scale_ + 0.1 * std::abs(p.cue) : std::abs(p.cue);
  // Half the difference to the previous cue: a turn's centripetal acceleration adds the same
  // lateral bias to consecutive cues and cancels here; the alternating part stays.
  const bool difference = mp.side_cue_difference && adjacent && !b.last_cue_irregular;
  const double cue = difference ? 0.5 * (p.cue - b.last_cue) : p.cue;
  if (cue_scale_ > 0.0)
    b.side_evidence += (p.index % 2 == 0 ? 1.0 : -1.0) * mp.side_evidence_gain * cue / cue_scale_;
  b.last_cue = p.cue;
  b.last_cue_index = p.index;
  b.last_cue_prev_step = b.last_cue_step;
  b.last_cue_step = step;
  b.last_cue_irregular = irregular;
}

void Analyzer::emit_ready(bool flushing) {
  if (!calibration_.valid && !flushing) return;
  if (calibration_.valid) update_cues();
  while (!pending_.empty()) {
    const PendingStep& p = pending_.front();
    const Bout* b = find_bout(p.bout);
    if (!flushing) {
      if (!p.closed && b && b->contacts < params_.metrics.min_bout_steps) break;
      if (!p.closed && !std::isfinite(p.next2_ic)) break;
      // The next step's side cue should be in before the bout's side phase is read.
      bool next_cue_pending = false;
      for (const PendingStep& q : pending_)
        if (q.bout == p.bout && q.index == p.index + 1 && !q.cue_done) next_cue_pending = true;
      if (next_cue_pending) break;
    }
    ready_steps_.push_back(make_step(p));
    pending_.erase(pending_.begin());
    // Forget closed bouts that have nothing pending any more.
    bouts_.erase(std::remove_if(bouts_.begin(), bouts_.end(),
                                [&](const Bout& x) {
                                  if (!x.closed) return false;
                                  for (const PendingStep& q : pending_)
                                    if (q.bout == x.id) return false;
                                  return true;
                                }),
                 bouts_.end());
  }
}

Step Analyzer::make_step(const PendingStep& p) {
  Step s;
  const double ic = p.contact.ic_s;
  s.time_s = ic;
  const Bout* b = find_bout(p.bout);
  const MetricParams& mp = params_.metrics;

  // Side: the bout's side evidence fixes which parity is the left foot.
  if (calibration_.valid && b && b->side_evidence != 0.0) {
    const double parity = p.index % 2 == 0 ? 1.0 : -1.0;
    const bool left = parity * b->side_evidence > 0.0;
    s.side = left ? Side::kLeft : Side::kRight;
    s.side_confidence = std::tanh(0.5 * std::abs(b->side_evidence));  // |2·P(parity) − 1|
    if (std::isfinite(p.cue) && (p.cue > 0.0) != left) s.side_confidence *= 0.5;
  }
  if (s.side == Side::kUnknown || s.side_confidence < mp.min_side_confidence)
    s.flags |= kFlagLowSideConfidence;

  if (std::isfinite(p.next_ic)) {
    s.step_time_s = p.next_ic - ic;
    s.cadence_spm = 60.0 / s.step_time_s;
    const double ref = std::isfinite(p.same_side_step) ? p.same_side_step : p.median_step;
    if (far_from(s.step_time_s, ref, mp.outlier_fraction)) s.flags |= kFlagOutlier;
  }
  if (p.index == 0 || !std::isfinite(p.next_ic)) s.flags |= kFlagBoutEdge;

  const double typical = std::isfinite(s.step_time_s) ? s.step_time_s : p.median_step;
  double stance_end = kNotMeasured;
  if (std::isfinite(p.contact.fc_s) && p.contact.fc_s > ic && p.contact.fc_s - ic < 1.5) {
    s.contact_time_s = p.contact.fc_s - ic;
    stance_end = p.contact.fc_s;
  } else if (std::isfinite(typical)) {
    stance_end = ic + typical;
  }
  // Walking: the foot leaves the ground after the other foot's contact and before its own next
  // one. The stance window of the drop stays [IC, next IC] (see ALGORITHMS.md).
  if (!std::isfinite(s.contact_time_s) && std::isfinite(p.walk_fc) && p.walk_fc > p.next_ic &&
      p.walk_fc < (std::isfinite(p.next2_ic) ? p.next2_ic : ic + 2.0 * s.step_time_s))
    s.contact_time_s = p.walk_fc - ic;

  if (calibration_.valid) {
    if (calibration_.up_method == "gait_mean") s.flags |= kFlagNoStanding;
    if (std::isfinite(stance_end))
      s.pelvic_drop_deg = pelvic_drop_deg(frames_, s.side, ic, stance_end);
    double turn = kNotMeasured;
    if (std::isfinite(p.next2_ic)) {
      s.trunk_rotation_deg = trunk_rotation_deg(frames_, ic, p.next2_ic);
      turn = heading_change_deg(frames_, ic, p.next2_ic);
    } else if (std::isfinite(p.next_ic)) {
      turn = 2.0 * heading_change_deg(frames_, ic, p.next_ic);
    }
    if (std::isfinite(turn) && std::abs(turn) > mp.turn_threshold_deg) {
      s.flags |= kFlagTurn;
      last_turn_end_s_ =
          std::max(last_turn_end_s_, std::isfinite(p.next2_ic) ? p.next2_ic : p.next_ic);
    } else if (ic < last_turn_end_s_ + mp.turn_recovery_s) {
      // The inclination still carries the turn's centripetal acceleration for ~tau_acc.
      s.flags |= kFlagTurn;
    }
  }
  // In turns the unloading of the trailing foot no longer marks its final contact reliably
  // (Mobilise-D Test11: error SD 80 ms in turns vs 20–30 ms on straight walking).
  if ((s.flags & kFlagTurn) && !std::isfinite(p.contact.fc_s)) s.contact_time_s = kNotMeasured;
  double end = std::isfinite(p.next2_ic) ? p.next2_ic : std::isfinite(stance_end) ? stance_end : ic;
  end = std::max(end, std::isfinite(stance_end) ? stance_end : end);
  s.flags |= frame_flags(frames_, ic - 0.05, end);
  if (p.touches_gap) s.flags |= kFlagGap;
  if (s.flags & kFlagGap) {
    s.pelvic_drop_deg = s.trunk_rotation_deg = s.contact_time_s = kNotMeasured;
  }
  if (p.contact.flight) ++quality_.run_steps;
  summary_.add(s, p.contact.flight);
  trends_.add(s, p.contact.flight, quality_.start_s);
  return s;
}

}  // namespace stridelab::dsp
