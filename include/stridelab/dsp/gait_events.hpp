#pragma once
// Initial and final contacts from the vertical specific force of the decimated stream,
// mounting-free (needs only the orientation filter's "up").
//  - Every step shows one peak of the Gaussian-smoothed vertical specific force: just after
//    initial contact in walking (loading response; measured on the Mobilise-D lab data: the
//    peak follows the reference IC by ≈ 30 ms), at mid-stance in running.
//  - Running (flight phase seen: force below flight_threshold_g before the peak): contact
//    starts where the lightly smoothed force rises through run_contact_level_g (the impact
//    makes the rise steep, so no correction) and ends where it falls through it, corrected
//    for the threshold with a half-sine force model (the active peak decays to zero force).
//  - Walking: IC = peak time − walk_ic_offset_s. The force falls steeply as the trailing foot
//    unloads after the peak: trailing_fc_s = time of the steepest fall within min_step_time
//    after the peak + walk_fc_offset_s (final contact of the previous step's foot).
#include <cstdint>
#include <vector>

#include "stridelab/dsp/filters.hpp"
#include "stridelab/dsp/frame.hpp"

namespace stridelab::dsp {

// Walking IC method (ACCURACY.md compares them on the tuning subjects).
enum class WalkIcMethod : std::int8_t {
  kPeak = 0,          // peak − walk_ic_offset_s with the first-hump rule (before 2026-12-05)
  kRiseCrossing = 1,  // the lightly smoothed force crosses walk_rise_fraction of the step's
                      // rise (preceding minimum → peak), minus walk_rise_offset_s
  kSteepestRise = 2,  // steepest rise of the lightly smoothed force before the peak, minus
                      // walk_rise_offset_s (≈ the Mobilise-D variant of McCamley 2012)
  kPeakAndRise = 3,   // mean of kPeak and kRiseCrossing (their per-subject biases differ)
};

struct EventParams {
  double smooth_sigma_s = 0.04;     // Gaussian SD for the step peaks, s
  double fine_sigma_s = 0.01;       // Gaussian SD for flight and contact thresholds, s
  double min_step_time_s = 0.25;    // two peaks closer than this are one step, s
  double max_step_time_s = 1.6;     // a longer pause ends the bout, s
  double min_prominence_ms2 = 1.0;  // peak minus the preceding minimum, m/s²
  // Shuffling and very slow walking load the pelvis softly: the prominence needed falls to
  // relative_prominence × the median of the last 4 accepted peaks' prominences, never below
  // prominence_floor_ms2 (min_prominence_ms2 stays the ceiling).
  double relative_prominence = 0.5;
  double prominence_floor_ms2 = 0.4;
  double flight_threshold_g = 0.35;  // vertical specific force below this = flight (running), g
  double walk_ic_offset_s = 0.03;    // IC before the smoothed force peak (walking), s
  double run_contact_level_g = 0.4;  // contact threshold (running), g
  // Walking: slow and turning steps load in two humps, the first just after the IC and the
  // peak later. A local maximum within walk_hump_window_s before the peak that has risen by
  // walk_hump_fraction of the peak's rise (from the preceding minimum) gives the IC instead
  // (the earliest such hump; Mobilise-D Test11 turns). walk_hump_fraction > 1 = off.
  double walk_hump_window_s = 0.35;  // how far before the peak a hump is looked for, s
  double walk_hump_fraction = 0.5;   // minimum rise of the hump, fraction of the peak's rise
  // A hump of ≥ half the peak's rise earlier than walk_hump_window_s, followed by a trough
  // below this fraction of the rise, is a contact the detector missed (a 3:1 limp's short
  // step): the rise is timed from that trough, not from the minimum before it (IPOL tuning).
  double walk_split_trough = 0.4;
  // Walking: the trailing foot's final contact follows the steepest fall of the smoothed force
  // after a contact's peak by this much, s (NaN = no walking FC). The references disagree:
  // Mobilise-D's INDIP fits ≈ 0.125 s, its cameras (the gold standard) ≈ 0.07 s, IPOL's and
  // the stroke set's foot-IMU events ≈ 0.0 s; 0.07 s follows the cameras and has the lowest
  // mean error over the data sets' tuning subjects (ACCURACY.md).
  double walk_fc_offset_s = 0.07;
  WalkIcMethod walk_ic_method = WalkIcMethod::kPeakAndRise;
  double walk_rise_fraction = 0.8;       // fraction of the rise that marks the IC
  double walk_rise_offset_s = 0.0;       // the crossing follows the IC by this much, s
  Activity forced = Activity::kUnknown;  // kWalk/kRun forces the IC method; kUnknown = auto
  // Walking, once the mounting is known (applied by the Analyzer): the pelvis is pushed
  // forward until the leading foot lands and brakes after it, so the peak of its forward
  // acceleration within ±walk_ap_window_s of the vertical estimate, plus walk_ap_offset_s,
  // is a second IC estimate; the IC is (1 − walk_ap_weight) × vertical + walk_ap_weight × it
  // (Zijlstra & Hof 2003; chosen on the IPOL tuning subjects, ACCURACY.md). 0 = off.
  double walk_ap_weight = 0.5;
  double walk_ap_window_s = 0.08;   // s
  double walk_ap_offset_s = 0.015;  // s
  // Not where the yaw over IC ± walk_ap_turn_window_s exceeds walk_ap_max_turn_deg (the
  // centripetal acceleration moves the forward peak).
  double walk_ap_max_turn_deg = 20.0;   // deg
  double walk_ap_turn_window_s = 0.25;  // s
  // The last step into standing loads the leg weakly (≈ 0.2 × a walking step) and fails the
  // prominence test. A peak after the last contact with at least closing_prominence × the
  // median recent prominence is reported as Contact::weak; the Analyzer keeps one as the
  // bout's closing contact only if it brakes the pelvis (MetricParams::closing_*). 0 = off.
  double closing_prominence = 0.1;
};

// One detected contact of the stream.
struct Contact {
  double ic_s = 0.0;                    // initial contact, s
  double fc_s = std::nan("");           // final contact of the same foot (running only here), s
  double trailing_fc_s = std::nan("");  // walking: final contact of the OTHER foot, s
  double peak_s = 0.0;                  // time of the smoothed force peak, s
  double peak_ms2 = 0.0;                // smoothed vertical specific force at the peak, m/s²
  bool flight = false;                  // a flight phase preceded this contact
  bool after_gap = false;               // the stream restarted (gap) since the previous contact
  bool weak = false;  // below the prominence test: only a candidate closing contact
};

class ContactDetector {
 public:
  ContactDetector(const EventParams& params, double rate_hz);
  // Feeds one frame sample; appends confirmed contacts to `out` (order of time).
  void update(const FrameSample& s, std::vector<Contact>& out);
  // End of data: confirms what can still be confirmed.
  void finish(std::vector<Contact>& out);
  // Delay between a sample and the latest contact it can confirm, s.
  double latency_s() const;
  const EventParams& params() const { return params_; }

 private:
  struct Smoothed {
    double t = 0.0, wide = 0.0, fine = 0.0;
  };
  void restart();
  void push_smoothed(std::vector<Contact>& out);
  void try_confirm(std::uint64_t c, std::vector<Contact>& out);
  bool running_contact(std::uint64_t c, Contact& ct) const;
  double trailing_final_contact(std::uint64_t c) const;
  double refined_time(std::uint64_t c) const;
  double first_hump_time(std::uint64_t c, std::uint64_t onset) const;
  double walking_ic(std::uint64_t c, std::uint64_t onset) const;
  std::uint64_t rise_onset(std::uint64_t c, std::uint64_t onset) const;
  double rise_crossing_time(std::uint64_t c, std::uint64_t onset) const;
  double steepest_rise_time(std::uint64_t c, std::uint64_t onset) const;

  EventParams params_;
  double rate_hz_;
  std::vector<double> k_wide_, k_fine_;
  int wide_half_ = 0, fine_half_ = 0;  // half lengths of the two kernels, samples
  int half_ = 0;                       // half length of the raw window (the longer kernel)
  int win_ = 0;                        // peak neighbourhood, samples
  int weak_win_ = 0;                   // neighbourhood of a weak (closing candidate) peak, samples
  int hump_win_ = 0;                   // how far before a peak a first hump is looked for, samples
  int look_ = 0;                       // how far back the prominence/flight search looks, samples
  SlidingWindow raw_f_;                // vertical specific force, the wide kernel's span
  Ring<double> raw_t_;
  Ring<Smoothed> sm_;
  std::uint64_t next_candidate_ = 0;
  double last_peak_t_ = -1e300;
  std::uint64_t last_peak_i_ = 0;
  bool have_peak_ = false;
  bool gap_pending_ = false;
  double recent_prominence_[4] = {0, 0, 0, 0};
  int recent_prominence_n_ = 0;
  double required_prominence() const;
};

}  // namespace stridelab::dsp
