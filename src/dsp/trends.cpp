#include "stridelab/dsp/trends.hpp"

#include <cmath>

namespace stridelab::dsp {

void TrendAccumulator::Line::add(double t, double y) {
  if (!std::isfinite(t) || !std::isfinite(y)) return;
  ++n;
  st += t, sy += y, stt += t * t, sty += t * y, syy += y * y;
}

LinearTrend TrendAccumulator::Line::get() const {
  LinearTrend r;
  r.n = n;
  if (n < 3) return r;
  const double sxx = stt - st * st / n, sxy = sty - st * sy / n, s_yy = syy - sy * sy / n;
  if (!(sxx > 0.0)) return r;
  const double slope = sxy / sxx;  // per second
  const double residual = std::max(0.0, s_yy - slope * sxy) / (n - 2);
  r.per_10min = 600.0 * slope;
  r.se_per_10min = 600.0 * std::sqrt(residual / sxx);
  return r;
}

void TrendAccumulator::add(const Step& s, bool flight, double origin_s) {
  if (!std::isfinite(origin_s_)) origin_s_ = origin_s;
  if (!(params_.window_s > 0.0)) return;
  const double rel = s.time_s - origin_s_;
  if (!std::isfinite(rel) || std::abs(rel) > 1e9) return;  // no usable time: no window
  const auto index = static_cast<long>(std::floor(rel / params_.window_s));
  if (!have_window_) open_.index = index, have_window_ = true;
  // Windows without any step (a stop) still get their row, with nothing measurable; a pause
  // of more than 1000 windows is jumped over.
  if (index - open_.index > 1000) {
    close_window();
    open_ = Open{};
    open_.index = index;
  }
  while (index > open_.index) {
    close_window();
    const long next = open_.index + 1;
    open_ = Open{};
    open_.index = next;
  }
  open_.acc.add(s, flight);
  // The same selection as the summary: good steps for drops, cadence without gaps/outliers.
  if (!(s.flags & SummaryAccumulator::kBadFlags)) {
    if (s.side == Side::kLeft) drop_left_.add(rel, s.pelvic_drop_deg);
    if (s.side == Side::kRight) drop_right_.add(rel, s.pelvic_drop_deg);
  }
  if (!(s.flags & (kFlagGap | kFlagOutlier | kFlagBoutEdge)) && s.step_time_s > 0.0)
    cadence_.add(rel, 60.0 / s.step_time_s);
}

void TrendAccumulator::close_window() {
  done_.push_back(window_of(open_));
}

TrendWindow TrendAccumulator::window_of(const Open& open) const {
  const Summary w = open.acc.summary(Calibration{}, Quality{});
  TrendWindow t;
  t.start_s = origin_s_ + params_.window_s * static_cast<double>(open.index);
  t.end_s = t.start_s + params_.window_s;
  t.steps = w.steps;
  t.good_steps = w.good_steps;
  t.turn_fraction = w.turn_fraction;
  if (w.good_steps >= params_.min_good_steps) {
    t.cadence_spm = w.mean_cadence_spm;
    t.pelvic_drop_left_deg = w.pelvic_drop_left_deg;
    t.pelvic_drop_right_deg = w.pelvic_drop_right_deg;
    t.trunk_rotation_deg = w.trunk_rotation_deg;
    t.contact_time_s = w.contact_time_s;
    t.step_time_left_s = w.step_time_left_s;
    t.step_time_right_s = w.step_time_right_s;
    t.step_time_asymmetry_pct = w.step_time_asymmetry_pct;
  }
  return t;
}

Trends TrendAccumulator::trends() const {
  Trends r;
  r.windows = done_;
  if (have_window_) r.windows.push_back(window_of(open_));  // the open one, still open
  r.pelvic_drop_left_deg = drop_left_.get();
  r.pelvic_drop_right_deg = drop_right_.get();
  r.cadence_spm = cadence_.get();
  return r;
}

}  // namespace stridelab::dsp
