#include "stridelab/dsp/cue_tracker.hpp"

#include <cmath>

namespace stridelab::dsp {

double CueTracker::cadence_low() const {
  if (!std::isfinite(settings_.cadence_change_pct)) return settings_.cadence_low_spm;
  const double target = baseline_spm() * (1.0 + settings_.cadence_change_pct / 100.0);
  return target * (1.0 - settings_.cadence_tolerance_pct / 100.0);
}

double CueTracker::cadence_high() const {
  if (!std::isfinite(settings_.cadence_change_pct)) return settings_.cadence_high_spm;
  const double target = baseline_spm() * (1.0 + settings_.cadence_change_pct / 100.0);
  return target * (1.0 + settings_.cadence_tolerance_pct / 100.0);
}

void CueTracker::update(const ProvisionalStep& row, std::vector<Cue>& out) {
  const Step& s = row.step;
  const std::int64_t number = steps_++;
  if (s.side == Side::kUnknown || (s.flags & (kFlagTurn | kFlagGap))) return;
  if (std::isnan(first_s_)) first_s_ = s.time_s;
  const bool has_cadence = std::isfinite(s.cadence_spm);
  // The baseline: every judged step of the first baseline_s.
  if (!baseline_done_ && s.time_s - first_s_ >= settings_.baseline_s && baseline_n_ > 0)
    baseline_done_ = true;
  if (!baseline_done_ && has_cadence) {
    baseline_sum_ += s.cadence_spm;
    ++baseline_n_;
  }
  const auto minute = static_cast<std::size_t>((s.time_s - first_s_) / 60.0);
  if (minutes_.size() <= minute) minutes_.resize(minute + 1);
  CueMinute& m = minutes_[minute];
  const bool left = s.side == Side::kLeft;
  (left ? m.steps_left : m.steps_right)++;

  const std::size_t before = out.size();
  const double drop_limit = left ? settings_.drop_left_deg : settings_.drop_right_deg;
  if (std::isfinite(drop_limit) && std::isfinite(s.pelvic_drop_deg) &&
      s.pelvic_drop_deg > drop_limit)
    out.push_back({s.time_s, number, s.side, CueKind::kDrop, s.pelvic_drop_deg, drop_limit});
  const double lo = cadence_low(), hi = cadence_high();
  if (has_cadence && std::isfinite(lo) && s.cadence_spm < lo)
    out.push_back({s.time_s, number, s.side, CueKind::kCadenceLow, s.cadence_spm, lo});
  else if (has_cadence && std::isfinite(hi) && s.cadence_spm > hi)
    out.push_back({s.time_s, number, s.side, CueKind::kCadenceHigh, s.cadence_spm, hi});
  if (out.size() == before) return;
  (left ? m.cued_left : m.cued_right)++;
  (left ? cued_left_ : cued_right_)++;
}

}  // namespace stridelab::dsp
