#pragma once
// JSON forms of the summary, calibration and parameters (keys as in DESIGN.md). Numbers that
// were not measured are written as null.
#include <nlohmann/json.hpp>

#include "stridelab/dsp/analyzer.hpp"

namespace stridelab::dsp {

nlohmann::json to_json(const Calibration& cal);
nlohmann::json to_json(const AnalyzerParams& params);
// The whole summary: activity, steps, mean_cadence_spm, pelvic_drop_left_deg/right (mean, sd,
// n), trunk_rotation_deg, contact_time_s, calibration, quality, warnings, tool version and
// parameters.
nlohmann::json summary_to_json(const Summary& summary, const AnalyzerParams& params);
// Trends: window length, the per-10-minute slopes and one object per window.
nlohmann::json to_json(const Trends& trends, const TrendParams& params);

}  // namespace stridelab::dsp
