#include "stridelab/dsp/gait_events.hpp"

#include <algorithm>
#include <cmath>

namespace stridelab::dsp {

const char* to_string(Activity a) {
  switch (a) {
    case Activity::kWalk:
      return "walk";
    case Activity::kRun:
      return "run";
    case Activity::kUnknown:
      return "unknown";
  }
  return "unknown";
}

ContactDetector::ContactDetector(const EventParams& params, double rate_hz)
    : params_(params), rate_hz_(rate_hz) {
  k_wide_ = gaussian_kernel(params.smooth_sigma_s, rate_hz);
  k_fine_ = gaussian_kernel(params.fine_sigma_s, rate_hz);
  wide_half_ = static_cast<int>(k_wide_.size() / 2);
  fine_half_ = static_cast<int>(k_fine_.size() / 2);
  half_ = std::max(wide_half_, fine_half_);
  win_ = std::max(1, static_cast<int>(std::lround(params.min_step_time_s * rate_hz)));
  hump_win_ = static_cast<int>(std::lround(params.walk_hump_window_s * rate_hz));
  weak_win_ = std::max(1, static_cast<int>(std::lround(0.1 * rate_hz)));
  look_ = std::max(win_, static_cast<int>(std::lround(params.max_step_time_s * rate_hz)));
  raw_f_.reset(2 * half_ + 1);
  raw_t_.reset(2 * half_ + 1);
  sm_.reset(look_ + win_ + 4);
}

double ContactDetector::latency_s() const {
  return (half_ + win_ + 1) / rate_hz_;
}

void ContactDetector::restart() {
  raw_f_.clear();
  raw_t_.clear();
  sm_.clear();
  next_candidate_ = sm_.end();
  have_peak_ = false;
}

void ContactDetector::update(const FrameSample& s, std::vector<Contact>& out) {
  if (s.gap_before) {
    restart();
    gap_pending_ = true;
  }
  raw_f_.push(s.vertical_sf);
  raw_t_.push(s.time_s);
  if (raw_f_.full()) push_smoothed(out);
}

void ContactDetector::push_smoothed(std::vector<Contact>& out) {
  // Both kernels are centred on the middle of the full raw window.
  const double* x = raw_f_.data();
  Smoothed v;
  v.t = raw_t_[raw_t_.begin() + half_];
  v.wide = symmetric_fir(k_wide_.data(), x + half_ - wide_half_, wide_half_);
  v.fine = symmetric_fir(k_fine_.data(), x + half_ - fine_half_, fine_half_);
  sm_.push(v);
  if (next_candidate_ < sm_.begin()) next_candidate_ = sm_.begin();
  // A candidate can be judged once `win_` samples after it are known.
  while (next_candidate_ + win_ < sm_.end()) try_confirm(next_candidate_++, out);
}

void ContactDetector::finish(std::vector<Contact>& out) {
  // Pad with the last value so the final samples get smoothed values (edge replication).
  if (raw_f_.empty()) return;
  const double f = raw_f_.newest();
  const double t = raw_t_[raw_t_.end() - 1];
  for (int j = 1; j <= half_; ++j) {
    raw_f_.push(f);
    raw_t_.push(t + j / rate_hz_);
    if (raw_f_.full()) push_smoothed(out);
  }
}

void ContactDetector::try_confirm(std::uint64_t c, std::vector<Contact>& out) {
  if (c == sm_.begin()) return;  // no left neighbour: cannot be a local maximum
  const double pv = sm_[c].wide;
  if (sm_[c - 1].wide >= pv || sm_[c + 1].wide > pv) return;  // cheap reject first
  // A local maximum over ±win_ is a step candidate; over a narrower ±weak_win only a weak one.
  auto is_max = [&](int w) {
    const std::uint64_t lo = c >= sm_.begin() + w ? c - w : sm_.begin();
    for (std::uint64_t i = lo; i < c; ++i)
      if (sm_[i].wide >= pv) return false;
    for (std::uint64_t i = c + 1; i <= c + w; ++i)
      if (sm_[i].wide > pv) return false;
    return true;
  };
  const bool step_max = is_max(win_);
  if (!step_max && !(params_.closing_prominence > 0.0 && have_peak_ && is_max(weak_win_))) return;
  // Prominence and flight over the preceding step (bounded by the previous peak).
  const std::uint64_t back = c >= sm_.begin() + look_ ? c - look_ : sm_.begin();
  const std::uint64_t from = have_peak_ && last_peak_i_ > back ? last_peak_i_ : back;
  double wide_min = pv, fine_min = 1e300;
  std::uint64_t onset = c;  // the preceding minimum
  for (std::uint64_t i = from; i < c; ++i) {
    if (sm_[i].wide < wide_min) {
      wide_min = sm_[i].wide;
      onset = i;
    }
    fine_min = std::min(fine_min, sm_[i].fine);
  }
  const bool weak = !step_max || pv - wide_min < required_prominence();
  if (weak && !(have_peak_ && recent_prominence_n_ >= 2 && params_.closing_prominence > 0.0 &&
                pv - wide_min >= params_.closing_prominence *
                                     median_of_last4(recent_prominence_, recent_prominence_n_)))
    return;
  if (!weak) recent_prominence_[recent_prominence_n_++ % 4] = pv - wide_min;

  const double t_peak = refined_time(c);
  Contact ct;
  ct.peak_s = t_peak;
  ct.peak_ms2 = pv;
  ct.flight = fine_min < params_.flight_threshold_g * kGravity;
  ct.after_gap = gap_pending_;
  if (weak) {  // the detector's state stays as if it had not been seen
    ct.weak = true;
    // Timed from its peak: the rise of a weak bump starts long before the contact.
    ct.ic_s = t_peak - params_.walk_ic_offset_s;
    out.push_back(ct);
    return;
  }
  const bool run_method =
      params_.forced == Activity::kRun || (params_.forced == Activity::kUnknown && ct.flight);
  if (!(run_method && running_contact(c, ct))) {
    ct.ic_s = walking_ic(c, rise_onset(c, onset));
    ct.trailing_fc_s = trailing_final_contact(c);
  }
  gap_pending_ = false;
  have_peak_ = true;
  last_peak_i_ = c;
  last_peak_t_ = t_peak;
  out.push_back(ct);
}

double ContactDetector::required_prominence() const {
  return required_peak_prominence(recent_prominence_, recent_prominence_n_,
                                  params_.relative_prominence, params_.prominence_floor_ms2,
                                  params_.min_prominence_ms2);
}

std::uint64_t ContactDetector::rise_onset(std::uint64_t c, std::uint64_t onset) const {
  // The global minimum since the last accepted peak can lie before a contact the detector
  // missed (a limp's short step on the long one's shoulder); the rise crossing would then time
  // that contact. A hump of at least half the peak's rise earlier than the first-hump window
  // is such a contact: the rise starts at the minimum after the latest one.
  const double lo = sm_[onset].wide, level = lo + 0.5 * (sm_[c].wide - lo);
  std::uint64_t from = onset;
  for (std::uint64_t k = onset + 1; k + hump_win_ < c; ++k)
    if (sm_[k].wide >= level && sm_[k].wide >= sm_[k - 1].wide && sm_[k].wide > sm_[k + 1].wide)
      from = k;
  if (from == onset) return onset;
  std::uint64_t m = from;
  for (std::uint64_t k = from; k < c; ++k)
    if (sm_[k].wide < sm_[m].wide) m = k;
  // Only a deep trough separates two contacts (not a slow step's two loading humps).
  return sm_[m].wide <= lo + params_.walk_split_trough * (sm_[c].wide - lo) ? m : onset;
}

double ContactDetector::walking_ic(std::uint64_t c, std::uint64_t onset) const {
  const double rise_offset = params_.walk_rise_offset_s;
  switch (params_.walk_ic_method) {
    case WalkIcMethod::kPeak:
      return first_hump_time(c, onset) - params_.walk_ic_offset_s;
    case WalkIcMethod::kRiseCrossing:
      return rise_crossing_time(c, onset) - rise_offset;
    case WalkIcMethod::kSteepestRise:
      return steepest_rise_time(c, onset) - rise_offset;
    case WalkIcMethod::kPeakAndRise:
      break;
  }
  return 0.5 * (first_hump_time(c, onset) - params_.walk_ic_offset_s +
                rise_crossing_time(c, onset) - rise_offset);
}

double ContactDetector::refined_time(std::uint64_t c) const {
  // Local maximum time refined by a parabola through the three samples around it.
  return sm_[c].t + parabola_peak_offset(sm_[c - 1].wide, sm_[c].wide, sm_[c + 1].wide) / rate_hz_;
}

double ContactDetector::first_hump_time(std::uint64_t c, std::uint64_t onset) const {
  // The earliest local maximum in (onset, c) within hump_win_ before the peak that has risen
  // by walk_hump_fraction of the peak's rise; else the peak itself.
  const std::uint64_t o = std::max(onset, c >= sm_.begin() + hump_win_ ? c - hump_win_ : onset);
  const double lo = sm_[o].wide;
  const double level = lo + params_.walk_hump_fraction * (sm_[c].wide - lo);
  for (std::uint64_t k = o + 2; k + 2 <= c; ++k)
    if (sm_[k].wide >= level && sm_[k].wide >= sm_[k - 1].wide && sm_[k].wide > sm_[k + 1].wide)
      return refined_time(k);
  return refined_time(c);
}

double ContactDetector::rise_crossing_time(std::uint64_t c, std::uint64_t onset) const {
  // First upward crossing, after the preceding minimum, of the lightly smoothed force through
  // the given fraction of the step's rise (minimum to peak of the wide-smoothed force).
  const double lo = sm_[onset].wide;
  const double level = lo + params_.walk_rise_fraction * (sm_[c].wide - lo);
  for (std::uint64_t k = std::max(onset, sm_.begin() + 1); k <= c; ++k) {
    const double a = sm_[k - 1].fine, b = sm_[k].fine;
    if (a < level && b >= level)
      return sm_[k - 1].t + (level - a) / (b - a) * (sm_[k].t - sm_[k - 1].t);
  }
  return refined_time(c);
}

double ContactDetector::steepest_rise_time(std::uint64_t c, std::uint64_t onset) const {
  std::uint64_t best = 0;
  double best_d = -1e300;
  for (std::uint64_t k = std::max(onset, sm_.begin() + 1); k <= c; ++k) {
    const double d = sm_[k].fine - sm_[k - 1].fine;
    if (d > best_d) best_d = d, best = k;
  }
  if (best == 0) return refined_time(c);
  return 0.5 * (sm_[best].t + sm_[best - 1].t);
}

double ContactDetector::trailing_final_contact(std::uint64_t c) const {
  if (!std::isfinite(params_.walk_fc_offset_s)) return std::nan("");
  // Steepest fall of the smoothed force within win_ after the peak (known at confirmation),
  // on the first fall only: a second hump (the trailing foot's push-off) can follow it.
  std::uint64_t best = c + 1;
  for (std::uint64_t i = c + 2; i <= c + win_ && i < sm_.end(); ++i) {
    if (sm_[i].wide > sm_[i - 1].wide) break;  // the first minimum after the peak
    if (sm_[i].wide - sm_[i - 1].wide < sm_[best].wide - sm_[best - 1].wide) best = i;
  }
  return 0.5 * (sm_[best].t + sm_[best - 1].t) + params_.walk_fc_offset_s;
}

bool ContactDetector::running_contact(std::uint64_t c, Contact& ct) const {
  const double level = params_.run_contact_level_g * kGravity;
  const std::uint64_t back = c >= sm_.begin() + win_ ? c - win_ : sm_.begin();
  std::uint64_t up = c;
  while (up > back && sm_[up - 1].fine >= level) --up;
  if (up == back || sm_[up].fine < level) return false;
  std::uint64_t down = c;
  while (down + 1 < sm_.end() && down < c + win_ && sm_[down + 1].fine >= level) ++down;
  if (down + 1 >= sm_.end() || down >= c + win_) return false;
  double peak = 0.0;
  for (std::uint64_t i = up; i <= down; ++i) peak = std::max(peak, sm_[i].fine);
  auto cross = [&](std::uint64_t a, std::uint64_t b) {  // level crossing between a and b
    const double fa = sm_[a].fine, fb = sm_[b].fine;
    const double w = std::clamp((level - fa) / (fb - fa), 0.0, 1.0);
    return sm_[a].t + w * (sm_[b].t - sm_[a].t);
  };
  const double t_up = cross(up - 1, up);
  const double t_down = cross(down, down + 1);
  // Half-sine force: the threshold cuts r·Tc off each end of the contact.
  const double r = half_sine_cut_fraction(level, peak);
  const double contact = (t_down - t_up) / (1.0 - 2.0 * r);
  ct.ic_s = t_up;  // the impact transient makes the rise steep: no correction at the start
  ct.fc_s = t_down + r * contact;
  return true;
}

}  // namespace stridelab::dsp
