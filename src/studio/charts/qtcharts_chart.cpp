// Chart implemented with Qt Charts. Qt Charts draws the frame: title, axes, grid, legend and
// the point series (QScatterSeries). Lines are painted by our own item as one polyline each:
// QLineSeries rebuilds a stroked hit-test outline of every line on each change (atan2 per
// vertex), which costs ~50 ms per frame for the live traces; a plain polyline costs ~1 ms.
// Each line still has an empty QLineSeries for its legend entry. Step markers and the selection
// band are painted by one overlay item, so hundreds of markers cost one paint call.
#include <QGraphicsItem>
#include <QMouseEvent>
#include <QPainter>
#include <QPointer>
#include <QWheelEvent>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLegend>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>
#include <vector>

#include "studio/charts/chart.hpp"
#include "studio/charts/qtcharts_items.hpp"

namespace stridelab::studio::charts {
namespace {

using detail::LinesItem;
using detail::OverlayItem;

// Chart view with x-only zoom: drag = zoom to range, Shift+drag = select a range,
// wheel = zoom around the cursor, double-click = reset.
class View : public QChartView {
 public:
  View(QChart* chart, Chart* owner) : QChartView(chart), owner_(owner) {
    setRenderHint(QPainter::Antialiasing, true);
    setMouseTracking(false);
  }
  bool interactive = false;

 protected:
  void mousePressEvent(QMouseEvent* e) override {
    if (interactive && e->button() == Qt::LeftButton && chart()->plotArea().contains(e->pos())) {
      drag_start_ = e->pos();
      dragging_ = true;
      selecting_ = e->modifiers().testFlag(Qt::ShiftModifier);
      e->accept();
      return;
    }
    QChartView::mousePressEvent(e);
  }
  void mouseMoveEvent(QMouseEvent* e) override {
    if (dragging_) {
      drag_now_ = e->pos();
      viewport()->update();
      e->accept();
      return;
    }
    QChartView::mouseMoveEvent(e);
  }
  void mouseReleaseEvent(QMouseEvent* e) override {
    if (dragging_ && e->button() == Qt::LeftButton) {
      dragging_ = false;
      viewport()->update();
      if (std::abs(e->pos().x() - drag_start_.x()) > 4 && !chart()->series().isEmpty()) {
        QAbstractSeries* ref = chart()->series().front();
        double a = chart()->mapToValue(drag_start_, ref).x();
        double b = chart()->mapToValue(e->pos(), ref).x();
        if (a > b) std::swap(a, b);
        if (selecting_) {
          emit owner_->rangeSelected(a, b);
        } else {
          owner_->setXRange(a, b);
          emit owner_->xRangeChanged(a, b);
        }
      }
      e->accept();
      return;
    }
    QChartView::mouseReleaseEvent(e);
  }
  void mouseDoubleClickEvent(QMouseEvent* e) override {
    if (interactive) {
      emit owner_->resetRequested();
      e->accept();
      return;
    }
    QChartView::mouseDoubleClickEvent(e);
  }
  void wheelEvent(QWheelEvent* e) override {
    if (!interactive || chart()->series().isEmpty()) {
      QChartView::wheelEvent(e);
      return;
    }
    const auto [lo, hi] = owner_->xRange();
    const double at = chart()->mapToValue(e->position(), chart()->series().front()).x();
    const double factor = e->angleDelta().y() > 0 ? 0.8 : 1.25;
    const double new_lo = at - (at - lo) * factor;
    const double new_hi = at + (hi - at) * factor;
    owner_->setXRange(new_lo, new_hi);
    emit owner_->xRangeChanged(new_lo, new_hi);
    e->accept();
  }
  void drawForeground(QPainter* painter, const QRectF& rect) override {
    QChartView::drawForeground(painter, rect);
    if (!dragging_) return;
    const QRectF area = chart()->plotArea();
    const QPointF a = mapToScene(drag_start_);
    const QPointF b = mapToScene(drag_now_);
    const QRectF band(QPointF(std::min(a.x(), b.x()), area.top()),
                      QPointF(std::max(a.x(), b.x()), area.bottom()));
    painter->fillRect(band, selecting_ ? QColor(255, 200, 0, 60) : QColor(0, 114, 178, 40));
  }

 private:
  Chart* owner_;
  QPoint drag_start_, drag_now_;
  bool dragging_ = false;
  bool selecting_ = false;
};

QScatterSeries::MarkerShape toQt(PointShape s) {
  switch (s) {
    case PointShape::kSquare:
      return QScatterSeries::MarkerShapeRectangle;
    case PointShape::kTriangle:
      return QScatterSeries::MarkerShapeTriangle;
    case PointShape::kCircle:
      break;
  }
  return QScatterSeries::MarkerShapeCircle;
}

class QtChartsChart final : public Chart {
 public:
  QtChartsChart() {
    chart_ = new QChart();
    chart_->setBackgroundRoundness(0);
    chart_->setMargins(QMargins(4, 4, 8, 4));
    chart_->legend()->setAlignment(Qt::AlignTop);
    chart_->legend()->setFont(smallFont());
    QFont title = chart_->titleFont();
    title.setPixelSize(13);
    title.setBold(true);
    chart_->setTitleFont(title);
    x_axis_ = new QValueAxis();
    y_axis_ = new QValueAxis();
    for (QValueAxis* axis : {x_axis_, y_axis_}) {
      axis->setLabelsFont(smallFont());
      axis->setTitleFont(smallFont());
      axis->setGridLineColor(QColor(225, 225, 225));
      axis->setLabelFormat("%.4g");
      axis->setTickType(QValueAxis::TicksDynamic);
    }
    chart_->addAxis(x_axis_, Qt::AlignBottom);
    chart_->addAxis(y_axis_, Qt::AlignLeft);
    x_axis_->setRange(0, 10);
    y_axis_->setRange(-1, 1);
    updateTicks();
    view_ = new View(chart_, this);
    view_->setMinimumHeight(140);
    lines_ = new LinesItem(chart_, x_axis_, y_axis_);
    overlay_ = new OverlayItem(chart_);
    connect(chart_, &QChart::plotAreaChanged, this, [this] {
      lines_->geometryChanged();
      overlay_->geometryChanged();
    });
  }
  // The view dies with the chart (it calls back into it), wherever it was reparented to.
  ~QtChartsChart() override { delete view_.data(); }

  QWidget* widget() override { return view_; }

  void setTitle(const QString& title) override { chart_->setTitle(title); }
  void setAxisTitles(const QString& x, const QString& y) override {
    x_axis_->setTitleText(x);
    y_axis_->setTitleText(y);
  }
  void setLegendVisible(bool visible) override { chart_->legend()->setVisible(visible); }

  int addSeries(const SeriesStyle& style) override {
    Entry entry;
    if (style.kind == SeriesKind::kPoints) {
      auto* scatter = new QScatterSeries();
      scatter->setMarkerSize(style.width);
      scatter->setMarkerShape(toQt(style.shape));
      scatter->setColor(style.color);
      scatter->setBorderColor(style.color.darker(130));
      entry.series = scatter;
    } else {
      QPen pen(style.color, style.kind == SeriesKind::kBars ? 8.0 : style.width, style.pen);
      pen.setCosmetic(true);
      auto* legend_only = new QLineSeries();  // no points: legend entry and axis binding
      legend_only->setPen(pen);
      entry.series = legend_only;
      entry.line = lines_->add(pen, style.kind, style.width);
    }
    entry.series->setName(style.name);
    chart_->addSeries(entry.series);
    entry.series->attachAxis(x_axis_);
    entry.series->attachAxis(y_axis_);
    if (style.name.isEmpty()) {
      for (QLegendMarker* m : chart_->legend()->markers(entry.series)) m->setVisible(false);
    }
    series_.push_back(entry);
    return static_cast<int>(series_.size()) - 1;
  }

  void setPoints(int series, const QList<QPointF>& points) override {
    if (series < 0 || series >= seriesCount()) return;
    const Entry& e = series_[static_cast<std::size_t>(series)];
    if (e.line >= 0) {
      lines_->line(e.line).points = points;
      lines_->update();
    } else {
      e.series->replace(points);
    }
  }
  void setSeriesVisible(int series, bool visible) override {
    if (series < 0 || series >= seriesCount()) return;
    const Entry& e = series_[static_cast<std::size_t>(series)];
    e.series->setVisible(visible);
    if (e.line >= 0) {
      lines_->line(e.line).visible = visible;
      lines_->update();
    }
  }
  int pointCount(int series) const override {
    if (series < 0 || series >= seriesCount()) return 0;
    const Entry& e = series_[static_cast<std::size_t>(series)];
    return static_cast<int>(e.line >= 0 ? lines_->line(e.line).points.size() : e.series->count());
  }
  QList<QPointF> points(int series) const override {
    if (series < 0 || series >= seriesCount()) return {};
    const Entry& e = series_[static_cast<std::size_t>(series)];
    return e.line >= 0 ? lines_->line(e.line).points : e.series->points();
  }
  int seriesCount() const override { return static_cast<int>(series_.size()); }

  void setMarkers(const QList<Marker>& markers) override { overlay_->setMarkers(markers); }
  void setHighlight(double lo, double hi) override { overlay_->setHighlight(lo, hi); }

  void setXRange(double lo, double hi) override {
    if (!(hi > lo)) hi = lo + 1e-6;
    x_axis_->setRange(lo, hi);
    updateTicks();
    lines_->update();
    overlay_->update();
  }
  void setYRange(double lo, double hi) override {
    if (!(hi > lo)) {
      lo -= 0.5;
      hi += 0.5;
    }
    y_axis_->setRange(lo, hi);
    updateTicks();
    lines_->update();
    overlay_->update();
  }
  QPair<double, double> xRange() const override { return {x_axis_->min(), x_axis_->max()}; }
  QPair<double, double> yRange() const override { return {y_axis_->min(), y_axis_->max()}; }

  void setInteractive(bool interactive) override {
    view_->interactive = interactive;
    view_->setCursor(interactive ? Qt::CrossCursor : Qt::ArrowCursor);
  }

  QRect plotArea() const override { return view_->mapFromScene(chart_->plotArea()).boundingRect(); }

 private:
  static QFont smallFont() {
    QFont f;
    f.setPixelSize(11);
    return f;
  }
  // "Nice" tick spacing (1, 2, 5 × 10^k) giving about 6 intervals, so labels stay short.
  static double niceStep(double span, int target) {
    if (!(span > 0)) return 1.0;
    const double raw = span / target;
    const double base = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
      if (raw <= m * base) return m * base;
    return 10 * base;
  }
  void updateTicks() {
    for (QValueAxis* axis : {x_axis_, y_axis_}) {
      const double step = niceStep(axis->max() - axis->min(), axis == x_axis_ ? 8 : 5);
      axis->setTickInterval(step);
      axis->setTickAnchor(std::floor(axis->min() / step) * step);
    }
  }

  QChart* chart_ = nullptr;
  QPointer<View> view_;
  struct Entry {
    QXYSeries* series = nullptr;  // points: the data; lines: the legend entry only
    int line = -1;                // index in lines_ for line series
  };
  LinesItem* lines_ = nullptr;
  OverlayItem* overlay_ = nullptr;
  QValueAxis* x_axis_ = nullptr;
  QValueAxis* y_axis_ = nullptr;
  std::vector<Entry> series_;
};

}  // namespace

std::unique_ptr<Chart> createChart() {
  return std::make_unique<QtChartsChart>();
}

}  // namespace stridelab::studio::charts
