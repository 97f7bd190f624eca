#pragma once
// Cues on provisional rows (issue 15): a step whose pelvic drop exceeds its side's limit, or
// whose cadence leaves the band, is cued. Also counts per minute of the session: steps and
// cued steps per side (share within the limits = 1 − cued / steps). Steps flagged turn or gap
// and steps without a side are not judged (their values are not trusted).
#include <vector>

#include "stridelab/core/cues.hpp"
#include "stridelab/dsp/analyzer.hpp"

namespace stridelab::dsp {

struct CueMinute {
  int steps_left = 0, steps_right = 0;  // judged steps
  int cued_left = 0, cued_right = 0;    // of those, cued (drop or cadence)
  double share_within() const {
    const int n = steps_left + steps_right;
    return n ? 1.0 - double(cued_left + cued_right) / n : std::nan("");
  }
};

class CueTracker {
 public:
  explicit CueTracker(const CueSettings& settings) : settings_(settings) {}
  // One provisional row; appends the cues it raises (0–2) to out.
  void update(const ProvisionalStep& row, std::vector<Cue>& out);
  const CueSettings& settings() const { return settings_; }
  // Baseline cadence (mean over the first baseline_s of judged steps), NaN until complete.
  double baseline_spm() const {
    return baseline_done_ ? baseline_sum_ / baseline_n_ : std::nan("");
  }
  // The cadence band in force now (NaN where open or not known yet), steps/min.
  double cadence_low() const;
  double cadence_high() const;
  // Minute k covers [first step + 60 k, + 60) s.
  const std::vector<CueMinute>& minutes() const { return minutes_; }
  int cued(Side side) const { return side == Side::kLeft ? cued_left_ : cued_right_; }
  std::int64_t steps() const { return steps_; }

 private:
  CueSettings settings_;
  std::int64_t steps_ = 0;  // rows seen
  double first_s_ = std::nan("");
  double baseline_sum_ = 0.0;
  int baseline_n_ = 0;
  bool baseline_done_ = false;
  int cued_left_ = 0, cued_right_ = 0;
  std::vector<CueMinute> minutes_;
};

}  // namespace stridelab::dsp
