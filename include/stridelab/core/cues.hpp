#pragma once
// Feedback cues for gait retraining (issue 15): what the clinician set and every cue given.
// Plain data shared by the cue logic (dsp/cue_tracker.hpp), the recording (storage/cues_io.hpp),
// `stridelab live` and the studio's Live tab.
#include <cmath>
#include <cstdint>
#include <string>

#include "stridelab/core/steps.hpp"

namespace stridelab {

struct CueSettings {
  double drop_left_deg = std::nan("");    // cue a left-stance step whose drop exceeds this, deg
  double drop_right_deg = std::nan("");   // the same for right stance, deg (NaN = no drop cue)
  double cadence_low_spm = std::nan("");  // cadence band, steps/min (NaN = that side open)
  double cadence_high_spm = std::nan("");
  // Or a band relative to the baseline cadence of the first baseline_s of gait: target =
  // baseline × (1 + cadence_change_pct / 100), band = target ± cadence_tolerance_pct % of it.
  // Used when finite (cadence_low/high_spm are then ignored); no cadence cue before.
  double cadence_change_pct = std::nan("");
  double cadence_tolerance_pct = 3.0;
  double baseline_s = 60.0;             // s of gait that make the baseline
  double metronome_spm = std::nan("");  // metronome beat, steps/min (NaN = off)
  bool any() const {
    return std::isfinite(drop_left_deg) || std::isfinite(drop_right_deg) ||
           std::isfinite(cadence_low_spm) || std::isfinite(cadence_high_spm) ||
           std::isfinite(cadence_change_pct);
  }
};

enum class CueKind : std::int8_t { kDrop = 0, kCadenceLow = 1, kCadenceHigh = 2 };
const char* to_string(CueKind k);  // "drop", "cadence_low", "cadence_high"

struct Cue {
  double time_s = 0.0;         // initial contact of the cued step, recording time base, s
  std::int64_t step = 0;       // number of the step in the session (0 = the first), 1
  Side side = Side::kUnknown;  // its stance leg
  CueKind kind = CueKind::kDrop;
  double value = 0.0;  // the pelvic drop (deg) or cadence (steps/min) that was over the limit
  double limit = 0.0;  // the limit it crossed, same unit
};

}  // namespace stridelab
