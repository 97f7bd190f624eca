#pragma once
// Early, unconfirmed contacts for live feedback (provisional rows, cues). The ContactDetector
// confirms a contact 0.37 s after its smoothed force peak; this one answers within a few
// frames and may be wrong now and then (the Analyzer's final rows never use it).
//  - Running (the force fell below flight_threshold_g since the last contact): IC where the
//    frame force rises through run_contact_level_g, FC where it falls through it again, with
//    the same half-sine correction as the ContactDetector. Known one frame after the crossing.
//  - Walking: the loading peak of the 3-frame smoothed force, accepted once the force has
//    fallen by confirm_fraction of its rise; not earlier than rhythm_fraction × the recent
//    step time after the last contact (the shorter of the last two: a limp alternates). The caller
//    turns the peak time into an IC.
#include <vector>

#include "stridelab/dsp/frame.hpp"

namespace stridelab::dsp {

struct EarlyContactParams {
  double min_step_time_s = 0.25;      // never two contacts closer than this, s
  double max_step_time_s = 1.6;       // a longer wait restarts the rhythm, s
  double flight_threshold_g = 0.35;   // force below this = flight (running), g
  double run_contact_level_g = 0.4;   // running contact threshold, g
  double min_prominence_ms2 = 1.0;    // walking peak minus the preceding minimum, m/s²
  double relative_prominence = 0.5;   // ... or this × the median of the last 4, not below
  double prominence_floor_ms2 = 0.4;  // this floor, m/s²
  double confirm_fraction = 0.25;     // walking: fall after the peak, fraction of its rise
  double rhythm_fraction = 0.6;       // walking: earliest next peak, fraction of a step
};

struct EarlyEvent {
  enum Kind { kInitial, kFinal } kind = kInitial;
  double time_s = 0.0;     // running: the IC or FC; walking (kInitial): the loading peak, s
  bool flight = false;     // running (a flight phase preceded the contact)
  bool after_gap = false;  // the stream restarted since the previous contact
  double peak_s = 0.0;     // kFinal: time of the largest force of the contact, s
};

class EarlyContactDetector {
 public:
  explicit EarlyContactDetector(const EarlyContactParams& params) : params_(params) {}
  // Feeds one frame; appends what it now knows to `out`.
  void update(const FrameSample& f, std::vector<EarlyEvent>& out);

 private:
  void walking(double smooth_t, double smooth, std::vector<EarlyEvent>& out);
  void set_step(double contact_s);
  double required_prominence() const;

  EarlyContactParams params_;
  double f1_ = 0.0, f2_ = 0.0, t1_ = 0.0;  // the last two raw frames (force, time of the newer)
  int seen_ = 0;                           // frames since the last restart
  double prev_f_ = 0.0, prev_t_ = 0.0;     // previous frame (running crossings)
  bool in_contact_ = false;                // running: above the level since the last IC
  bool flight_ = false;                    // below flight level since the last contact
  bool gap_pending_ = false;
  double up_s_ = 0.0, contact_peak_ = 0.0, contact_peak_s_ = 0.0;
  double last_contact_s_ = -1e300;  // time of the last event's contact (peak or IC), s
  double last_step_s_ = 0.0, prev_step_s_ = 0.0;  // the latest two step times (0: none), s
  // Walking peak search since the last contact: the running minimum and the best candidate.
  double lo_ = 1e300, cand_ = -1e300, cand_lo_ = 0.0, cand_t_ = 0.0;
  double cand_prev_ = 0.0, cand_next_ = 0.0;  // its neighbours (parabola refinement)
  double prev_smooth_ = 0.0, prev_smooth_t_ = 0.0;
  double recent_prominence_[4] = {0, 0, 0, 0};
  int recent_prominence_n_ = 0;
};

}  // namespace stridelab::dsp
