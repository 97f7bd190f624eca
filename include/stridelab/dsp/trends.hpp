#pragma once
// Trends over a long session: the runner's question "does hip drop grow with fatigue late in
// the run?". The steps are cut into fixed windows of the input's time base (one per minute by
// default, from the first sample) and each window is summarised with the session summary's
// own definitions (SummaryAccumulator: good steps only, so turns, stops, gaps and doubtful
// sides do not count). A least-squares line through the good steps' values gives the change
// per 10 minutes with its standard error. Memory: one small record per window.
#include <vector>

#include "stridelab/core/steps.hpp"
#include "stridelab/dsp/summary.hpp"

namespace stridelab::dsp {

struct TrendParams {
  double window_s = 60.0;   // window length, s
  int min_good_steps = 10;  // fewer good steps in a window: its metrics are not measurable
};

struct TrendWindow {
  double start_s = 0.0, end_s = 0.0;  // [start, end) on the input's time base, s
  int steps = 0, good_steps = 0;
  double cadence_spm = kNotMeasured;  // 60 / mean step time (gaps, outliers left out)
  MeanSd pelvic_drop_left_deg, pelvic_drop_right_deg, trunk_rotation_deg, contact_time_s;
  MeanSd step_time_left_s, step_time_right_s;  // per stance side, as in the summary, s
  double step_time_asymmetry_pct = kNotMeasured;
  double turn_fraction = kNotMeasured;
};

// Least-squares slope of a metric against time, per 10 minutes, with its standard error.
struct LinearTrend {
  double per_10min = kNotMeasured;
  double se_per_10min = kNotMeasured;
  int n = 0;
};

struct Trends {
  std::vector<TrendWindow> windows;
  LinearTrend pelvic_drop_left_deg, pelvic_drop_right_deg, cadence_spm;
};

class TrendAccumulator {
 public:
  explicit TrendAccumulator(const TrendParams& params = {}) : params_(params) {}
  // Steps in time order; origin_s is the start of the first window (the first sample's time).
  void add(const Step& s, bool flight, double origin_s);
  Trends trends() const;

 private:
  struct Line {  // running sums of (t, y), t relative to the origin
    int n = 0;
    double st = 0, sy = 0, stt = 0, sty = 0, syy = 0;
    void add(double t, double y);
    LinearTrend get() const;
  };
  struct Open {
    long index = 0;  // window number from the origin
    SummaryAccumulator acc;
  };
  void close_window();
  TrendWindow window_of(const Open& open) const;

  TrendParams params_;
  double origin_s_ = kNotMeasured;
  bool have_window_ = false;
  Open open_;
  std::vector<TrendWindow> done_;
  Line drop_left_, drop_right_, cadence_;
};

}  // namespace stridelab::dsp
