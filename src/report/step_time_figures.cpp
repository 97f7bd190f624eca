#include "report/step_time_figures.hpp"

#include <cmath>

#include "stridelab/report/report_renderer.hpp"

namespace stridelab::report {
namespace {

MeanSd copy(const dsp::MeanSd& v) {
  return MeanSd{v.mean, v.sd, v.n};
}

QString seconds(const MeanSd& v) {
  return std::isfinite(v.mean) ? format_number(v.mean, 2) + QStringLiteral(" s")
                               : QStringLiteral("–");
}

QString percent(double v) {
  return std::isfinite(v) ? format_number(v, 1) + QStringLiteral(" %") : QStringLiteral("–");
}

}  // namespace

StepTimeFigures step_time_figures(const dsp::Summary& s) {
  StepTimeFigures f;
  f.step_left_s = copy(s.step_time_left_s);
  f.step_right_s = copy(s.step_time_right_s);
  f.stance_left_s = copy(s.contact_time_left_s);
  f.stance_right_s = copy(s.contact_time_right_s);
  f.step_asymmetry_pct = s.step_time_asymmetry_pct;
  f.stance_asymmetry_pct = s.contact_time_asymmetry_pct;
  return f;
}

StepTimeFigures step_time_figures(const std::vector<Step>& steps) {
  dsp::SummaryAccumulator acc;  // flight only decides the activity, not used here
  for (const Step& s : steps) acc.add(s, false);
  return step_time_figures(acc.summary(dsp::Calibration{}, dsp::Quality{}));
}

QString step_time_asymmetry_text(const StepTimeFigures& f) {
  const QString sides =
      QStringLiteral("(L %1 / R %2)").arg(seconds(f.step_left_s), seconds(f.step_right_s));
  if (!std::isfinite(f.step_asymmetry_pct))
    return QStringLiteral("Step-time asymmetry – %1: too few good steps on a side").arg(sides);
  return QStringLiteral("Step-time asymmetry %1 %2").arg(percent(f.step_asymmetry_pct), sides);
}

QString stance_time_text(const StepTimeFigures& f) {
  if (!std::isfinite(f.stance_left_s.mean) && !std::isfinite(f.stance_right_s.mean))
    return QStringLiteral("Stance time not measured");
  QString text =
      QStringLiteral("Stance L %1 / R %2").arg(seconds(f.stance_left_s), seconds(f.stance_right_s));
  if (std::isfinite(f.stance_asymmetry_pct))
    text += QStringLiteral(" (asymmetry %1)").arg(percent(f.stance_asymmetry_pct));
  return text;
}

QString step_time_asymmetry_meaning(const StepTimeFigures& f) {
  if (!std::isfinite(f.step_asymmetry_pct)) return {};
  // The difference in milliseconds tells a limp (hundreds) from noise (a few) in plain words.
  const double diff_ms = 1000.0 * (f.step_left_s.mean - f.step_right_s.mean);
  const long ms = std::lround(std::abs(diff_ms));
  if (ms == 0) return QStringLiteral("left and right steps last equally long");
  return QStringLiteral("%1-stance steps last %2 ms longer")
      .arg(diff_ms > 0 ? QStringLiteral("left") : QStringLiteral("right"))
      .arg(ms);
}

}  // namespace stridelab::report
