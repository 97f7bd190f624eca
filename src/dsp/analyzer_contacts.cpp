// The contact side of the Analyzer: walking ICs refined with the forward acceleration once
// the mounting is known, the braking cue (mounting statistics and the gait-initiation test),
// and the bout's first contact dropped when it does not brake the pelvis.
#include <algorithm>
#include <cmath>

#include "stridelab/dsp/analyzer.hpp"

namespace stridelab::dsp {
namespace {

// Mean specific force over [t0, t1]: its horizontal part or all of it (sensor frame).
Vec3 mean_force(const FrameRing& frames, double t0, double t1, bool horizontal) {
  Vec3 sum = Vec3::Zero();
  int n = 0;
  for (std::uint64_t i = frame_index_at(frames, t0); i < frames.end() && frames[i].time_s <= t1;
       ++i, ++n)
    sum += horizontal ? frames[i].acc_h : frames[i].acc;
  return n ? Vec3(sum / n) : Vec3(Vec3::Zero());
}

// cue along backwards (the sum of two consecutive contacts' cues, whose alternating lateral
// parts cancel) relative to `same_foot`'s, one of those two and the foot `cue` belongs to
// (a limp brakes less on one side): 1 = brakes like it, <= 0 = does not; NaN when
// `same_foot` does not point backwards.
double brake_ratio(const Vec3& cue, const Vec3& other, const Vec3& same_foot) {
  const Vec3 back = (other + same_foot).normalized();
  const double reference = same_foot.dot(back);
  return reference > 0.0 ? cue.dot(back) / reference : kNotMeasured;
}

}  // namespace

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
  const double frame_s = 0.5 * (frames_[best + 1].time_s - frames_[best - 1].time_s);
  return frames_[best].time_s +
         parabola_peak_offset(forward(best - 1), forward(best), forward(best + 1)) * frame_s;
}

double Analyzer::walking_ic(double vertical_ic) const {
  // The vertical estimate fused with the forward-acceleration one (EventParams::walk_ap_*).
  const EventParams& ep = params_.events;
  if (!calibration_.valid || !(ep.walk_ap_weight > 0.0)) return vertical_ic;
  // Turning: the centripetal acceleration moves the forward peak.
  const double turn = yaw_change_deg(frames_, vertical_ic - ep.walk_ap_turn_window_s,
                                     vertical_ic + ep.walk_ap_turn_window_s);
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
  Vec3 cue[3];
  const PendingStep* q[3] = {&p, &n1, &n2};
  double t0 = 1e300, t1 = -1e300;
  for (int k = 0; k < 3; ++k) {
    const double ic = q[k]->contact.ic_s;
    const double st = k == 0 ? step : q[k]->next_ic - ic;
    if (!(st > 0.0) || !held_braking_cue(ic, st, cue[k])) return kNotMeasured;
    t0 = std::min(t0, ic);
    t1 = std::max(t1, ic + st);
  }
  const double turn = yaw_change_deg(frames_, t0, t1);
  if (!std::isfinite(turn) || std::abs(turn) > params_.metrics.edge_brake_max_turn_deg)
    return kNotMeasured;
  return brake_ratio(cue[0], cue[1], cue[2]);  // relative to the same foot's contact (n2)
}

bool Analyzer::held_braking_cue(double ic, double step, Vec3& cue) const {
  // braking_cue() where the frames hold its windows and no gap touches them.
  const AlignmentParams& ap = params_.alignment;
  const double from = ic - ap.brake_before * step, to = ic + ap.brake_after_end * step;
  if (!covers(frames_, from, to) || (frame_flags(frames_, from, to) & kFlagGap)) return false;
  cue = braking_cue(ic, step);
  return true;
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

void Analyzer::add_closing_contact() {
  // Called when the open bout ends without a gap (MetricParams::closing_*): stopping, the
  // closing contact brakes what is left of the forward velocity.
  std::vector<Contact> candidates;
  candidates.swap(closing_candidates_);
  const MetricParams& mp = params_.metrics;
  Bout* b = open_bout();
  if (!b || candidates.empty() || std::isnan(mp.closing_brake_ratio) || b->contacts < 2) return;
  const PendingStep *last = nullptr, *same_foot = nullptr;  // contacts n − 1 and n − 2
  for (const PendingStep& p : pending_)
    if (p.bout == b->id && p.index == b->contacts - 1)
      last = &p;
    else if (p.bout == b->id && p.index == b->contacts - 2)
      same_foot = &p;
  const double m = median_step(*b);
  if (!last || !same_foot || !(m > 0.0)) return;
  Vec3 cue_last, cue_same;
  if (!held_braking_cue(last->contact.ic_s, m, cue_last) ||
      !held_braking_cue(same_foot->contact.ic_s, m, cue_same))
    return;
  const Contact* best = nullptr;
  double best_ratio = mp.closing_brake_ratio;
  for (const Contact& c : candidates) {
    const double step = c.ic_s - last->contact.ic_s;
    Vec3 cue;
    if (step < mp.closing_window_from * m || step > mp.closing_window_to * m ||
        !held_braking_cue(c.ic_s, m, cue))
      continue;
    const double turn = yaw_change_deg(frames_, same_foot->contact.ic_s, c.ic_s);
    if (!std::isfinite(turn) || std::abs(turn) > mp.edge_brake_max_turn_deg) continue;
    const double ratio = brake_ratio(cue, cue_last, cue_same);
    if (ratio >= best_ratio) best_ratio = ratio, best = &c;
  }
  if (!best) return;
  Contact closing = *best;
  closing.weak = false;
  ++quality_.closing_contacts;
  on_contact(closing);
}

}  // namespace stridelab::dsp
