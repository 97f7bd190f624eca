#include "studio/review/timeline_view.hpp"

#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "stridelab/report/palette.hpp"
#include "stridelab/report/session.hpp"
#include "studio/decimation.hpp"
#include "studio/style.hpp"

namespace stridelab::studio {

TimelineView::TimelineView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  const QString titles[3] = {tr("Pelvis angles relative to neutral (°)"),
                             tr("Accelerometer, sensor axes (m/s²)"),
                             tr("Gyroscope, sensor axes (rad/s)")};
  for (int i = 0; i < 3; ++i) {
    auto chart = charts::createChart();
    chart->setTitle(titles[i]);
    chart->setAxisTitles(i == 2 ? tr("time (s)") : QString(), QString());
    chart->setInteractive(true);
    chart->widget()->setMinimumHeight(i == 2 ? 180 : 140);  // fits a 1280 x 800 window
    if (i == 0) {
      chart->addSeries({tr("obliquity (+ = right side lower)"), style::kObliquityColor,
                        charts::SeriesKind::kLine, 1.4});
      chart->addSeries({tr("rotation"), style::kRotationColor, charts::SeriesKind::kLine, 1.2});
      chart->addSeries({tr("tilt"), style::kTiltColor, charts::SeriesKind::kLine, 1.0});
    } else {
      chart->addSeries({"x", style::kAxisXColor, charts::SeriesKind::kLine, 1.0});
      chart->addSeries({"y", style::kAxisYColor, charts::SeriesKind::kLine, 1.0});
      chart->addSeries({"z", style::kAxisZColor, charts::SeriesKind::kLine, 1.0});
    }
    connect(chart.get(), &charts::Chart::xRangeChanged, this,
            [this](double lo, double hi) { setXRange(lo, hi); });
    connect(chart.get(), &charts::Chart::resetRequested, this, [this] { resetZoom(); });
    connect(chart.get(), &charts::Chart::rangeSelected, this, &TimelineView::rangeSelected);
    layout->addWidget(chart->widget(), i == 0 ? 5 : 4);
    charts_.push_back(std::move(chart));
  }
}

TimelineView::~TimelineView() = default;

void TimelineView::setSession(const report::Session* session) {
  traces_.clear();
  sensor_time_.clear();
  angle_time_.clear();
  for (auto& chart : charts_) {
    for (int s = 0; s < chart->seriesCount(); ++s) chart->setPoints(s, {});
    chart->setMarkers({});
    chart->setHighlight(0, 0);
  }
  if (!session) return;

  const SensorData& sensor = pipeline::pick_sensor(session->recording, session->run.sensor_name);
  sensor_time_ = sensor.time_s;
  for (int axis = 0; axis < 3; ++axis) {
    Trace acc{1, axis, &sensor_time_, {}};
    acc.values.reserve(sensor.size());
    for (const Vec3& a : sensor.acc) acc.values.push_back(a[axis]);
    traces_.push_back(std::move(acc));
    if (sensor.gyr.size() == sensor.size()) {
      Trace gyr{2, axis, &sensor_time_, {}};
      gyr.values.reserve(sensor.size());
      for (const Vec3& g : sensor.gyr) gyr.values.push_back(g[axis]);
      traces_.push_back(std::move(gyr));
    }
  }
  const auto& angles = session->run.angles;
  angle_time_.reserve(angles.size());
  Trace obliquity{0, 0, &angle_time_, {}}, rotation{0, 1, &angle_time_, {}},
      tilt{0, 2, &angle_time_, {}};
  for (const auto& a : angles) {
    angle_time_.push_back(a.time_s);
    obliquity.values.push_back(a.obliquity_deg);
    rotation.values.push_back(a.rotation_deg);
    tilt.values.push_back(a.tilt_deg);
  }
  traces_.push_back(std::move(obliquity));
  traces_.push_back(std::move(rotation));
  traces_.push_back(std::move(tilt));

  QList<charts::Marker> markers;
  markers.reserve(static_cast<qsizetype>(session->run.steps.size()));
  for (const Step& s : session->run.steps)
    markers.push_back(
        {s.time_s, report::side_color(s.side), QString::fromStdString(to_string(s.side))});
  for (auto& chart : charts_) chart->setMarkers(markers);

  full_lo_ = sensor_time_.empty() ? 0.0 : sensor_time_.front();
  full_hi_ = sensor_time_.empty() ? 1.0 : sensor_time_.back();
  resetZoom();
}

void TimelineView::setXRange(double lo, double hi) {
  const double span = std::max(hi - lo, 0.05);  // not narrower than 50 ms
  lo_ = std::max(full_lo_, lo);
  hi_ = std::min(full_hi_, lo_ + span);
  if (hi_ - lo_ < span) lo_ = std::max(full_lo_, hi_ - span);
  redraw();
}

void TimelineView::resetZoom() {
  lo_ = full_lo_;
  hi_ = full_hi_;
  redraw();
}

void TimelineView::centerOn(double t, double half_width_s) {
  setXRange(t - half_width_s, t + half_width_s);
}

void TimelineView::setSelection(double lo, double hi) {
  for (auto& chart : charts_) chart->setHighlight(lo, hi);
}

QPair<double, double> TimelineView::xRange() const {
  return {lo_, hi_};
}

void TimelineView::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  redraw();
}

void TimelineView::redraw() {
  std::vector<double> y_lo(charts_.size(), 1e300), y_hi(charts_.size(), -1e300);
  for (const Trace& trace : traces_) {
    charts::Chart& chart = *charts_[static_cast<std::size_t>(trace.chart)];
    const int columns = std::max(200, chart.widget()->width());
    QList<QPointF> points;
    points.reserve(2 * columns + 2);
    double& lo = y_lo[static_cast<std::size_t>(trace.chart)];
    double& hi = y_hi[static_cast<std::size_t>(trace.chart)];
    min_max_decimate(trace.time->data(), trace.values.data(), trace.values.size(), lo_, hi_,
                     columns, [&](double t, double v) {
                       points.append(QPointF(t, v));
                       lo = std::min(lo, v);
                       hi = std::max(hi, v);
                     });
    chart.setPoints(trace.series, points);
  }
  for (std::size_t i = 0; i < charts_.size(); ++i) {
    charts_[i]->setXRange(lo_, hi_);
    if (y_hi[i] >= y_lo[i]) {
      const double margin = std::max((y_hi[i] - y_lo[i]) * 0.08, 0.05);
      charts_[i]->setYRange(y_lo[i] - margin, y_hi[i] + margin);
    }
  }
}

}  // namespace stridelab::studio
