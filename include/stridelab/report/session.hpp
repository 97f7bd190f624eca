#pragma once
// A recording together with its analysis: what the studio's review and compare tabs show and
// what the report is made from. The analysis is pipeline::analyze_recording, the same call as
// `stridelab analyze` and `stridelab batch`, so every screen and report shows the same numbers.
#include <filesystem>
#include <limits>
#include <string>

#include "stridelab/core/types.hpp"
#include "stridelab/pipeline/analyze_recording.hpp"
#include "stridelab/report/report_model.hpp"

namespace stridelab::report {

// Part of a recording to analyse; NaN on either side = from the start / to the end.
struct TimeRange {
  double from_s = kNaN;  // s, on the recording's time base
  double to_s = kNaN;
  bool whole() const { return std::isnan(from_s) && std::isnan(to_s); }
};

struct Session {
  std::filesystem::path path;  // file the recording came from (may be empty)
  Recording recording;
  TimeRange range;            // what was analysed
  pipeline::AnalysisRun run;  // steps, per-frame angles and summary, as the analysis gives them
  SummaryFigures figures;     // the headline figures, copied from run.summary
};

// Runs the analysis over `range` of the recording's primary sensor. Throws stridelab::Error
// if the recording cannot be analysed (no gyroscope, no samples in range, ...).
Session analyze_session(Recording recording, const std::filesystem::path& path,
                        const TimeRange& range = {});

// The figures a clinician reads, copied from the analysis summary; quality notes in plain words.
SummaryFigures summary_figures(const dsp::Summary& summary);

// The report's content for a session: session details from the recording, figures and steps
// from the analysis, this tool's version.
ReportModel make_report_model(const Session& session);

}  // namespace stridelab::report
