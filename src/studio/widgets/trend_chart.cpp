#include "studio/widgets/trend_chart.hpp"

#include <QWidget>

#include <algorithm>
#include <cmath>

#include "stridelab/report/palette.hpp"

namespace stridelab::studio {

QString slope_text(const dsp::LinearTrend& t) {
  if (!std::isfinite(t.per_10min)) return QObject::tr("n/a");
  return QStringLiteral("%1%2 ± %3°/10 min")
      .arg(t.per_10min >= 0 ? "+" : "−")
      .arg(std::abs(t.per_10min), 0, 'f', 2)
      .arg(t.se_per_10min, 0, 'f', 2);
}

TrendChart::TrendChart() : chart_(charts::createChart()) {
  chart_->setAxisTitles(QObject::tr("time (min)"), QObject::tr("pelvic drop (°)"));
  const QColor left = report::left_color(), right = report::right_color();
  chart_->addSeries({QString(), left, charts::SeriesKind::kLine, 2.0});
  chart_->addSeries({QString(), right, charts::SeriesKind::kLine, 2.0});
  chart_->addSeries({QObject::tr("Left stance"), left, charts::SeriesKind::kPoints, 8.0,
                     Qt::SolidLine, charts::PointShape::kCircle});
  chart_->addSeries({QObject::tr("Right stance"), right, charts::SeriesKind::kPoints, 8.0,
                     Qt::SolidLine, charts::PointShape::kSquare});
  setTrends({});
}

TrendChart::~TrendChart() = default;

QWidget* TrendChart::widget() {
  return chart_->widget();
}

void TrendChart::setTrends(const dsp::Trends& t) {
  QList<QPointF> pts[2];
  double lo = 1e300, hi = -1e300, t_end = 1.0;
  for (const dsp::TrendWindow& w : t.windows) {
    const double mid_min = 0.5 * (w.start_s + w.end_s) / 60.0;
    t_end = std::max(t_end, w.end_s / 60.0);
    const dsp::MeanSd* sides[2] = {&w.pelvic_drop_left_deg, &w.pelvic_drop_right_deg};
    for (int k = 0; k < 2; ++k) {
      if (!std::isfinite(sides[k]->mean)) continue;
      pts[k].append(QPointF(mid_min, sides[k]->mean));
      lo = std::min(lo, sides[k]->mean);
      hi = std::max(hi, sides[k]->mean);
    }
  }
  for (int k = 0; k < 2; ++k) {
    chart_->setPoints(k == 0 ? kLeftLine : kRightLine, pts[k]);
    chart_->setPoints(k == 0 ? kLeftPoints : kRightPoints, pts[k]);
  }
  title_ = QObject::tr("Pelvic drop per minute · change L %1, R %2")
               .arg(slope_text(t.pelvic_drop_left_deg), slope_text(t.pelvic_drop_right_deg));
  chart_->setTitle(title_);
  const double start = t.windows.empty() ? 0.0 : t.windows.front().start_s / 60.0;
  chart_->setXRange(start, t_end);
  if (lo <= hi)
    chart_->setYRange(std::min(0.0, std::floor(lo - 1.0)), std::ceil(hi + 1.0));
  else
    chart_->setYRange(0.0, 8.0);
}

}  // namespace stridelab::studio
