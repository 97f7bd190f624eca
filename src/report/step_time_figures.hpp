#pragma once
// Step time and stance time per stance side with their asymmetry index (DESIGN.md "Step-time
// asymmetry"), worded the same way in the report and in the studio. The numbers are always the
// analysis summary's: from a dsp::Summary, or from a list of steps run through the summary's own
// accumulator (same selection, same arithmetic), which is how the report, whose model holds the
// analysed steps, gets them.
#include <QString>

#include <vector>

#include "stridelab/core/steps.hpp"
#include "stridelab/dsp/summary.hpp"
#include "stridelab/report/report_model.hpp"

namespace stridelab::report {

struct StepTimeFigures {
  MeanSd step_left_s, step_right_s;      // step time, left / right stance, s
  MeanSd stance_left_s, stance_right_s;  // contact (stance) time, s
  double step_asymmetry_pct = kNaN;      // 100·|L − R| / mean(L, R); NaN below 3 steps a side
  double stance_asymmetry_pct = kNaN;
};

StepTimeFigures step_time_figures(const dsp::Summary& summary);
StepTimeFigures step_time_figures(const std::vector<Step>& steps);

// "Step-time asymmetry 40.0 % (L 0.60 s / R 0.40 s)"; without an index
// "Step-time asymmetry – (L 0.60 s / R –): too few good steps on a side".
QString step_time_asymmetry_text(const StepTimeFigures& f);
// "Stance L 0.45 s / R 0.30 s (asymmetry 40.0 %)"; "Stance time not measured" for neither side.
QString stance_time_text(const StepTimeFigures& f);
// Which side's steps last longer and by how much, in plain words: "left-stance steps last
// 200 ms longer", "left and right steps last equally long" (under 0.5 ms), or empty without
// an index.
QString step_time_asymmetry_meaning(const StepTimeFigures& f);

}  // namespace stridelab::report
