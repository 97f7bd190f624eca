#pragma once
// Summary of an analysis (DESIGN.md "Summary"): activity, steps, cadence, pelvic drop per
// stance side, trunk rotation, contact time, step-time asymmetry, calibration and quality
// figures. Means and SDs are over "good" steps: no turn, gap, clipping, low side confidence or
// outlier flag (the per-side times also leave out bout edges, see kAsymmetryExcluded).
#include <string>
#include <vector>

#include "stridelab/core/steps.hpp"
#include "stridelab/dsp/alignment.hpp"
#include "stridelab/dsp/frame.hpp"

namespace stridelab::dsp {

struct MeanSd {
  double mean = kNotMeasured;
  double sd = kNotMeasured;
  int n = 0;
};

// Counters kept while streaming.
struct Quality {
  std::uint64_t samples = 0;           // input samples accepted
  std::uint64_t rejected_samples = 0;  // NaN or time not increasing (skipped; a gap)
  std::uint64_t gaps = 0;              // gaps in the input (time jumps or rejected samples)
  // Of those, short time jumps (<= AnalyzerParams::max_bridged_gap_s) that the analysis
  // bridged (orientation and events run through them on samples interpolated across the
  // hole), and the samples missing in them. Longer gaps end a bout and flag the steps they touch.
  std::uint64_t bridged_gaps = 0, bridged_samples = 0;
  std::uint64_t clipped_samples = 0;     // samples with a channel at the sensor range
  std::uint64_t discarded_contacts = 0;  // contacts in runs shorter than min_bout_steps
  // A bout's first contact that did not brake the pelvis (the push-off of gait initiation):
  // dropped (MetricParams::edge_brake_ratio).
  std::uint64_t unbraked_edge_contacts = 0;
  std::uint64_t closing_contacts = 0;  // weak last contacts into standing kept (closing_*)
  int bouts = 0;
  int run_steps = 0;  // steps with a flight phase
  // 9-axis heading (AnalyzerParams::use_magnetometer): time the magnetometer corrected the
  // heading and time it was rejected as disturbed, s; disturbances that became the reference.
  bool magnetometer = false;
  double mag_accepted_s = 0.0, mag_rejected_s = 0.0;
  int mag_reference_resets = 0;
  double start_s = kNotMeasured, end_s = kNotMeasured;
};

struct Summary {
  std::string activity = "none";  // "walk", "run", "mixed" or "none" (no gait)
  int steps = 0;
  int good_steps = 0;
  int left_steps = 0, right_steps = 0;
  double mean_cadence_spm = kNotMeasured;  // 60 / mean step time over good steps
  MeanSd step_time_s;
  MeanSd pelvic_drop_left_deg;       // contralateral drop in left stance
  MeanSd pelvic_drop_right_deg;      // contralateral drop in right stance
  MeanSd pelvic_drop_asymmetry_deg;  // left − right means (mean only)
  MeanSd trunk_rotation_deg;
  MeanSd contact_time_s;
  // Step time and stance (contact) time per stance side, s, over the steps that count for
  // asymmetry (SummaryAccumulator::kAsymmetryExcluded). Index = 100·|L − R| / mean(L, R), %;
  // NaN when either side has fewer than kMinAsymmetrySteps. A limp shows here first.
  MeanSd step_time_left_s, step_time_right_s;
  MeanSd contact_time_left_s, contact_time_right_s;
  double step_time_asymmetry_pct = kNotMeasured;
  double contact_time_asymmetry_pct = kNotMeasured;
  double flagged_fraction = kNotMeasured;  // steps with any quality flag / steps
  double turn_fraction = kNotMeasured;
  double mean_side_confidence = kNotMeasured;
  Calibration calibration;
  Quality quality;
  std::vector<std::string> warnings;
};

// Running sums over emitted steps (Welford per metric).
class SummaryAccumulator {
 public:
  void add(const Step& s, bool flight);
  Summary summary(const Calibration& cal, const Quality& q) const;
  static constexpr std::uint32_t kBadFlags =
      kFlagTurn | kFlagGap | kFlagClipping | kFlagLowSideConfidence | kFlagOutlier;
  // Per-side step and stance times: a step counts with a known side, a finite time and none of
  // these flags. Bout edges are left out too: the last step of a bout has no next contact, the
  // first may start from standing. Outliers stay out (a missed or split contact would pose as
  // a limp); a steady limp is no outlier, as the median of the last 4 steps lies between the
  // sides (only an index above ~60 % would be; ~35 % for a bout's 2nd and 4th step).
  static constexpr std::uint32_t kAsymmetryExcluded = kBadFlags | kFlagBoutEdge;
  static constexpr int kMinAsymmetrySteps = 3;  // per side, for an asymmetry index

 private:
  struct Welford {
    int n = 0;
    double mean = 0.0, m2 = 0.0;
    void add(double x);
    MeanSd get() const;
  };
  int steps_ = 0, good_ = 0, flagged_ = 0, turns_ = 0, left_ = 0, right_ = 0, flight_ = 0;
  double side_conf_sum_ = 0.0;
  Welford step_time_, drop_left_, drop_right_, rotation_, contact_;
  Welford step_time_left_, step_time_right_, contact_left_, contact_right_;
};

// 100·|left − right| / mean(left, right), %: NaN unless both sides have at least
// SummaryAccumulator::kMinAsymmetrySteps and a positive mean.
double asymmetry_pct(const MeanSd& left, const MeanSd& right);

}  // namespace stridelab::dsp
