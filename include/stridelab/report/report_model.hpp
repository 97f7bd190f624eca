#pragma once
// What the one-page patient report shows, independent of how it is drawn. The studio and
// `stridelab report` fill it from a recording and its analysis (see session.hpp); tests can fill
// it by hand.
#include <limits>
#include <string>
#include <vector>

#include "stridelab/core/steps.hpp"

namespace stridelab::report {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct MeanSd {
  double mean = kNaN;
  double sd = kNaN;
  int n = 0;  // number of steps/strides the mean is over
};

// The headline figures, copied from the analysis summary (never recomputed here).
struct SummaryFigures {
  std::string activity;                    // "walk", "run" or empty
  int steps = 0;                           // detected steps
  double mean_cadence_spm = kNaN;          // steps/min
  MeanSd pelvic_drop_left_deg;             // contralateral drop in left stance, deg
  MeanSd pelvic_drop_right_deg;            // contralateral drop in right stance, deg
  MeanSd trunk_rotation_deg;               // per stride, deg
  std::vector<std::string> quality_notes;  // plain-language notes on data quality
};

struct SessionDetails {
  std::string subject_id;
  std::string date;            // when the recording was made (ISO 8601 or free text)
  std::string file;            // recording file name
  std::string sensor;          // e.g. "pelvis · stridelab-sim · 200 Hz"
  std::string tool_version;    // version of the tool that made the report
  std::string notes;           // clinician's notes stored with the recording
  double duration_s = 0.0;     // recording duration, s
  double range_from_s = kNaN;  // analysed time range when not the whole recording, s
  double range_to_s = kNaN;
};

struct ReportModel {
  SessionDetails session;
  SummaryFigures summary;
  std::vector<Step> steps;  // for the drop-per-step chart
};

}  // namespace stridelab::report
