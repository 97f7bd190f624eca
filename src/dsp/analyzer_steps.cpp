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

// Mean specific force over [t0, t1]: its horizontal part or all of it (sensor frame).
Vec3 mean_force(const FrameRing& frames, double t0, double t1, bool horizontal) {
  Vec3 sum = Vec3::Zero();
  int n = 0;
  for (std::uint64_t i = frame_index_at(frames, t0); i < frames.end() && frames[i].time_s <= t1;
       ++i, ++n)
    sum += horizontal ? frames[i].acc_h : frames[i].acc;
  return n ? Vec3(sum / n) : Vec3(Vec3::Zero());
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
  double pairs[3];
  for (int k = 0; k + 1 < n; ++k)
    pairs[k] =
        0.5 * (b.recent_steps[(b.recent_n - 1 - k) % 4] + b.recent_steps[(b.recent_n - 2 - k) % 4]);
  std::sort(pairs, pairs + n - 1);
  return n - 1 == 2 ? 0.5 * (pairs[0] + pairs[1]) : pairs[(n - 1) / 2];
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

double Analyzer::forward_peak_time(double ic) const {
  // Largest forward (pelvis x) acceleration within ±walk_ap_window_s of ic, parabola-refined;
  // NaN where the frames do not hold the window.
  const double w = params_.events.walk_ap_window_s;
  if (!covers(frames_, ic - w, ic + w)) return kNotMeasured;
  const Vec3 anterior = r_ps_.row(0).transpose();
  auto forward = [&](std::uint64_t i) { return frames_[i].acc_h.dot(anterior); };
  const std::uint64_t first = frame_index_at(frames_, ic - w);
  std::uint64_t best = first, last = first;
  for (std::uint64_t i = first; i < frames_.end() && frames_[i].time_s <= ic + w; ++i) {
    if (forward(i) > forward(best)) best = i;
    last = i;
  }
  // A maximum on the window's edge is no peak: the estimate would only clamp the window.
  if (best == first || best == last || best == frames_.begin() || best + 1 >= frames_.end())
    return kNotMeasured;
  const double t = frames_[best].time_s;
  const double ym = forward(best - 1), y0 = forward(best), yp = forward(best + 1);
  const double den = ym - 2.0 * y0 + yp;
  if (!(den < 0.0)) return t;
  const double dt = frames_[best + 1].time_s - frames_[best - 1].time_s;
  return t + std::clamp(0.5 * (ym - yp) / den, -0.5, 0.5) * 0.5 * dt;
}

double Analyzer::walking_ic(double vertical_ic) const {
  // The vertical estimate fused with the forward-acceleration one (EventParams::walk_ap_*).
  const EventParams& ep = params_.events;
  if (!calibration_.valid || !(ep.walk_ap_weight > 0.0)) return vertical_ic;
  // Turning: the centripetal acceleration moves the forward peak.
  const double turn = yaw_change_deg(frames_, vertical_ic - 0.25, vertical_ic + 0.25);
  if (!(std::abs(turn) <= ep.walk_ap_max_turn_deg)) return vertical_ic;
  const double t = forward_peak_time(vertical_ic);
  if (!std::isfinite(t)) return vertical_ic;
  return (1.0 - ep.walk_ap_weight) * vertical_ic + ep.walk_ap_weight * (t + ep.walk_ap_offset_s);
}

void Analyzer::refine_pending_ics() {
  // Contacts seen before the mounting was known get the fused walking IC now, and the step
  // links of their bouts follow.
  const bool last_pending = !pending_.empty() && pending_.back().contact.ic_s == last_ic_;
  for (PendingStep& p : pending_)
    if (!p.retimed && !std::isfinite(p.contact.fc_s)) p.contact.ic_s = walking_ic(p.contact.ic_s);
  for (std::size_t i = 0; i < pending_.size(); ++i)
    for (std::size_t j = i + 1; j < pending_.size() && j <= i + 2; ++j) {
      if (pending_[j].bout != pending_[i].bout) break;
      (j == i + 1 ? pending_[i].next_ic : pending_[i].next2_ic) = pending_[j].contact.ic_s;
    }
  if (last_pending) last_ic_ = pending_.back().contact.ic_s;
}

void Analyzer::on_contact(const Contact& contact) {
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
  if (b->contacts == 4 && !b->start_checked) check_initiation(*b);
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

void Analyzer::calibration_step(const PendingStep& p) {
  const double ic = p.contact.ic_s, step = p.next_ic - ic;
  const AlignmentParams& ap = params_.alignment;
  if (!covers(frames_, ic - ap.brake_before * step, p.next_ic)) return;
  if (frame_flags(frames_, ic - ap.brake_before * step, p.next_ic) & kFlagGap) return;
  mounting_.add_step(mean_force(frames_, ic, p.next_ic, false), braking_cue(ic, step));
}

Vec3 Analyzer::braking_cue(double ic, double step) const {
  // Horizontal specific force just after the contact minus just before it (sensor frame): it
  // points backwards after a real contact (the pelvis brakes); its lateral part alternates.
  const AlignmentParams& ap = params_.alignment;
  return mean_force(frames_, ic + ap.brake_after_begin * step, ic + ap.brake_after_end * step,
                    true) -
         mean_force(frames_, ic - ap.brake_before * step, ic, true);
}

double Analyzer::relative_braking(const PendingStep& p, double step, const PendingStep& n1,
                                  const PendingStep& n2) const {
  // p's braking cue along backwards (the mean cue of the two neighbouring contacts, whose
  // alternating lateral parts cancel) relative to n2's: 1 = brakes like them, <= 0 = does not.
  // NaN where the frames cannot say: not held, a gap, or turning (the centripetal
  // acceleration then changes from step to step).
  const AlignmentParams& ap = params_.alignment;
  Vec3 cue[3];
  const PendingStep* q[3] = {&p, &n1, &n2};
  double t0 = 1e300, t1 = -1e300;
  for (int k = 0; k < 3; ++k) {
    const double ic = q[k]->contact.ic_s;
    const double st = k == 0 ? step : q[k]->next_ic - ic;
    if (!(st > 0.0)) return kNotMeasured;
    const double from = ic - ap.brake_before * st, to = ic + ap.brake_after_end * st;
    if (!covers(frames_, from, to) || (frame_flags(frames_, from, to) & kFlagGap))
      return kNotMeasured;
    cue[k] = braking_cue(ic, st);
    t0 = std::min(t0, ic);
    t1 = std::max(t1, ic + st);
  }
  const double turn = yaw_change_deg(frames_, t0, t1);
  if (!std::isfinite(turn) || std::abs(turn) > params_.metrics.side_slip_turn_deg)
    return kNotMeasured;
  // Along backwards, relative to the same foot's contact (n2): a limp brakes less on one side.
  const Vec3 back = (cue[1] + cue[2]).normalized();
  const double same_foot = cue[2].dot(back);
  if (!(same_foot > 0.0)) return kNotMeasured;
  return cue[0].dot(back) / same_foot;
}

void Analyzer::check_initiation(Bout& b) {
  // Called when the bout's fourth contact arrives: the first three steps have their step time.
  b.start_checked = true;
  PendingStep* first[3] = {nullptr, nullptr, nullptr};
  for (PendingStep& p : pending_)
    if (p.bout == b.id && p.index < 3) first[p.index] = &p;
  if (!first[0] || !first[1] || !first[2]) return;
  const double r =
      relative_braking(*first[0], first[0]->next_ic - first[0]->contact.ic_s, *first[1], *first[2]);
  if (!(r < params_.metrics.edge_brake_ratio)) return;
  // The push-off of gait initiation, not a contact: the bout starts at its second contact.
  ++quality_.unbraked_edge_contacts;
  pending_.erase(pending_.begin() + (first[0] - pending_.data()));
  for (PendingStep& p : pending_)
    if (p.bout == b.id) --p.index;
  --b.contacts;
  // Step times as if the bout had begun one contact later (as on_contact sets them).
  b.recent_steps[0] = b.recent_steps[1];
  b.recent_steps[1] = b.recent_steps[2];
  b.recent_n = 2;
  for (PendingStep& p : pending_) {
    if (p.bout != b.id || p.index > 1) continue;
    p.median_step = b.recent_steps[0];
    p.same_side_step = kNotMeasured;
  }
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
