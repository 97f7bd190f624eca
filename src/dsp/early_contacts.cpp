#include "stridelab/dsp/early_contacts.hpp"

#include <algorithm>
#include <cmath>

#include "stridelab/dsp/filters.hpp"

namespace stridelab::dsp {

double EarlyContactDetector::required_prominence() const {
  return required_peak_prominence(recent_prominence_, recent_prominence_n_,
                                  params_.relative_prominence, params_.prominence_floor_ms2,
                                  params_.min_prominence_ms2);
}

void EarlyContactDetector::update(const FrameSample& f, std::vector<EarlyEvent>& out) {
  if (f.gap_before) {  // nothing before the gap belongs to the next contact
    seen_ = 0;
    in_contact_ = flight_ = false;
    gap_pending_ = true;
    last_contact_s_ = -1e300;
    last_step_s_ = prev_step_s_ = 0.0;
    lo_ = 1e300;
    cand_ = -1e300;
  }
  const double v = f.vertical_sf, t = f.time_s;
  const double level = params_.run_contact_level_g * kGravity;
  if (v < params_.flight_threshold_g * kGravity) flight_ = true;
  auto cross = [&](double level_t) {  // time where the force passed `level` since last frame
    const double w = std::clamp((level_t - prev_f_) / (v - prev_f_), 0.0, 1.0);
    return prev_t_ + w * (t - prev_t_);
  };
  if (seen_ > 0 && !in_contact_ && flight_ && prev_f_ < level && v >= level &&
      t - last_contact_s_ >= params_.min_step_time_s) {
    // Running: the impact makes the rise steep, so the crossing is the IC (no correction).
    up_s_ = cross(level);
    set_step(up_s_);
    in_contact_ = true;
    flight_ = false;
    contact_peak_ = v;
    contact_peak_s_ = t;
    lo_ = 1e300;
    cand_ = -1e300;
    out.push_back({EarlyEvent::kInitial, up_s_, true, gap_pending_, up_s_});
    gap_pending_ = false;
  } else if (in_contact_) {
    if (v > contact_peak_) contact_peak_ = v, contact_peak_s_ = t;
    if (v < level) {
      // Half-sine force: the threshold cuts r·Tc off each end of the contact.
      const double down = cross(level);
      const double r = half_sine_cut_fraction(level, contact_peak_);
      const double fc = down + r * (down - up_s_) / (1.0 - 2.0 * r);
      out.push_back({EarlyEvent::kFinal, fc, true, false, contact_peak_s_});
      in_contact_ = false;
    } else if (t - up_s_ > params_.max_step_time_s) {
      in_contact_ = false;  // never fell again: not a running contact
    }
  }
  if (t - last_contact_s_ > params_.max_step_time_s) last_step_s_ = prev_step_s_ = 0.0;
  // Walking: a [1 2 1]/4 smoothing centred on the previous frame.
  if (seen_ >= 2 && !in_contact_) walking(t1_, 0.25 * (f2_ + 2.0 * f1_ + v), out);
  f2_ = f1_;
  f1_ = v;
  t1_ = t;
  prev_f_ = v;
  prev_t_ = t;
  ++seen_;
}

void EarlyContactDetector::set_step(double contact_s) {
  const double step = contact_s - last_contact_s_;
  prev_step_s_ = last_step_s_;
  last_step_s_ = step <= params_.max_step_time_s ? step : 0.0;
  last_contact_s_ = contact_s;
}

void EarlyContactDetector::walking(double smooth_t, double smooth, std::vector<EarlyEvent>& out) {
  lo_ = std::min(lo_, smooth);
  const double rhythm = prev_step_s_ > 0.0 ? std::min(last_step_s_, prev_step_s_) : last_step_s_;
  const double earliest =
      last_contact_s_ + std::max(params_.min_step_time_s, params_.rhythm_fraction * rhythm);
  if (smooth_t >= earliest && smooth > cand_) {
    cand_ = smooth;
    cand_t_ = smooth_t;
    cand_lo_ = lo_;
    cand_prev_ = prev_smooth_;
    cand_next_ = std::nan("");
  } else if (cand_ > -1e300) {
    if (std::isnan(cand_next_)) cand_next_ = smooth;
    const double rise = cand_ - cand_lo_;
    if (rise >= required_prominence() && smooth <= cand_ - params_.confirm_fraction * rise) {
      const double dt = smooth_t - prev_smooth_t_;
      const double peak = cand_t_ + parabola_peak_offset(cand_prev_, cand_, cand_next_) * dt;
      recent_prominence_[recent_prominence_n_++ % 4] = rise;
      set_step(peak);
      out.push_back({EarlyEvent::kInitial, peak, false, gap_pending_, peak});
      gap_pending_ = false;
      flight_ = false;
      lo_ = smooth;
      cand_ = -1e300;
    }
  }
  prev_smooth_ = smooth;
  prev_smooth_t_ = smooth_t;
}

}  // namespace stridelab::dsp
