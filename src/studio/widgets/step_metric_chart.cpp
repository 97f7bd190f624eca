#include "studio/widgets/step_metric_chart.hpp"

#include <QWidget>

#include <algorithm>
#include <cmath>
#include <limits>

#include "stridelab/dsp/summary.hpp"
#include "stridelab/report/palette.hpp"

namespace stridelab::studio {

StepMetricChart::StepMetricChart(Metric metric, const QString& title)
    : metric_(metric),
      chart_(charts::createChart()),
      last_mean_left_(std::numeric_limits<double>::quiet_NaN()),
      last_mean_right_(std::numeric_limits<double>::quiet_NaN()) {
  QString y_title;
  switch (metric) {
    case Metric::kPelvicDrop:
      y_title = QObject::tr("pelvic drop (°)");
      break;
    case Metric::kTrunkRotation:
      y_title = QObject::tr("trunk rotation (°)");
      break;
    case Metric::kCadence:
      y_title = QObject::tr("steps/min");
      break;
  }
  chart_->setTitle(title);
  chart_->setAxisTitles(QObject::tr("time (s)"), y_title);
  const QColor left = report::left_color(), right = report::right_color();
  chart_->addSeries({QObject::tr("Left stance"), left, charts::SeriesKind::kPoints, 8.0,
                     Qt::SolidLine, charts::PointShape::kCircle});
  chart_->addSeries({QObject::tr("Right stance"), right, charts::SeriesKind::kPoints, 8.0,
                     Qt::SolidLine, charts::PointShape::kSquare});
  chart_->addSeries(
      {QObject::tr("L running mean"), left, charts::SeriesKind::kLine, 2.0, Qt::DashLine});
  chart_->addSeries(
      {QObject::tr("R running mean"), right, charts::SeriesKind::kLine, 2.0, Qt::DashLine});
}

StepMetricChart::~StepMetricChart() = default;

QWidget* StepMetricChart::widget() {
  return chart_->widget();
}

double StepMetricChart::value(const Step& s) const {
  switch (metric_) {
    case Metric::kPelvicDrop:
      return s.pelvic_drop_deg;
    case Metric::kTrunkRotation:
      return s.trunk_rotation_deg;
    case Metric::kCadence:
      return s.cadence_spm;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

double StepMetricChart::lastMean(Side side) const {
  return side == Side::kLeft ? last_mean_left_ : last_mean_right_;
}

void StepMetricChart::setSteps(const std::vector<Step>& steps, double follow_s) {
  QList<QPointF> points[2], means[2];
  double sum[2] = {0, 0};
  int n[2] = {0, 0};
  double t_lo = 1e300, t_hi = -1e300, v_lo = 1e300, v_hi = -1e300;
  const double t_end = steps.empty() ? 0.0 : steps.back().time_s;
  for (const Step& s : steps) {
    const double v = value(s);
    if (!std::isfinite(v) || s.side == Side::kUnknown) continue;
    const int k = s.side == Side::kLeft ? 0 : 1;
    points[k].append(QPointF(s.time_s, v));
    if ((s.flags & dsp::SummaryAccumulator::kBadFlags) == 0) {
      sum[k] += v;
      ++n[k];
    }
    if (n[k] > 0) means[k].append(QPointF(s.time_s, sum[k] / n[k]));
    if (follow_s > 0 && s.time_s < t_end - follow_s) continue;
    t_lo = std::min(t_lo, s.time_s);
    t_hi = std::max(t_hi, s.time_s);
    v_lo = std::min(v_lo, v);
    v_hi = std::max(v_hi, v);
  }
  chart_->setPoints(kLeftPoints, points[0]);
  chart_->setPoints(kRightPoints, points[1]);
  chart_->setPoints(kLeftMean, means[0]);
  chart_->setPoints(kRightMean, means[1]);
  last_mean_left_ = n[0] ? sum[0] / n[0] : std::numeric_limits<double>::quiet_NaN();
  last_mean_right_ = n[1] ? sum[1] / n[1] : std::numeric_limits<double>::quiet_NaN();
  if (t_hi < t_lo) return;
  const double pad_t = std::max((t_hi - t_lo) * 0.03, 0.5);
  chart_->setXRange(t_lo - pad_t, t_hi + pad_t);
  const double lo = metric_ == Metric::kCadence ? v_lo : std::min(0.0, v_lo);
  const double pad_v = std::max((v_hi - lo) * 0.1, 0.5);
  chart_->setYRange(lo - (lo < 0 || metric_ == Metric::kCadence ? pad_v : 0.0), v_hi + pad_v);
}

}  // namespace stridelab::studio
