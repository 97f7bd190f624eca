// Chart implemented with Qt Charts. Series are QLineSeries / QScatterSeries on one
// QValueAxis pair; step markers and the selection band are painted by one overlay item so
// hundreds of markers cost one paint call, not hundreds of graphics items.
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

namespace stridelab::studio::charts {
namespace {

// Paints the vertical markers and the highlight band inside the plot area.
class OverlayItem : public QGraphicsItem {
 public:
  explicit OverlayItem(QChart* chart) : QGraphicsItem(chart), chart_(chart) {
    setZValue(10);
    setAcceptedMouseButtons(Qt::NoButton);
  }

  void setMarkers(const QList<Marker>& markers) {
    markers_ = markers;
    std::sort(markers_.begin(), markers_.end(),
              [](const Marker& a, const Marker& b) { return a.x < b.x; });
    update();
  }
  void setHighlight(double lo, double hi) {
    highlight_lo_ = lo;
    highlight_hi_ = hi;
    update();
  }
  void geometryChanged() {
    prepareGeometryChange();
    update();
  }

  QRectF boundingRect() const override { return chart_->plotArea(); }

  void paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) override {
    const QRectF area = chart_->plotArea();
    if (area.isEmpty() || chart_->series().isEmpty()) return;
    QAbstractSeries* ref = chart_->series().front();
    painter->save();
    painter->setClipRect(area);
    if (highlight_hi_ > highlight_lo_) {
      const double x0 = chart_->mapToPosition(QPointF(highlight_lo_, 0), ref).x();
      const double x1 = chart_->mapToPosition(QPointF(highlight_hi_, 0), ref).x();
      painter->fillRect(QRectF(QPointF(x0, area.top()), QPointF(x1, area.bottom())),
                        QColor(255, 200, 0, 45));
      painter->setPen(QPen(QColor(200, 150, 0), 1.0, Qt::DashLine));
      painter->drawLine(QPointF(x0, area.top()), QPointF(x0, area.bottom()));
      painter->drawLine(QPointF(x1, area.top()), QPointF(x1, area.bottom()));
    }
    QFont font = painter->font();
    font.setPixelSize(10);
    font.setBold(true);
    painter->setFont(font);
    // Tags only when every marker in view gets one: skipping some would make a dense run of
    // alternating L/R look like all R.
    double min_gap = 1e9, last_x = -1e9;
    std::vector<double> xs;
    xs.reserve(static_cast<std::size_t>(markers_.size()));
    for (const Marker& m : markers_) {
      const double x = chart_->mapToPosition(QPointF(m.x, 0), ref).x();
      xs.push_back(x);
      if (x < area.left() - 1 || x > area.right() + 1) continue;
      min_gap = std::min(min_gap, x - last_x);
      last_x = x;
    }
    const bool tags = min_gap >= 14;
    for (qsizetype i = 0; i < markers_.size(); ++i) {
      const Marker& m = markers_[i];
      const double x = xs[static_cast<std::size_t>(i)];
      if (x < area.left() - 1 || x > area.right() + 1) continue;
      QColor line = m.color;
      line.setAlpha(110);
      painter->setPen(QPen(line, 1.0));
      painter->drawLine(QPointF(x, area.top() + (tags ? 12 : 0)), QPointF(x, area.bottom()));
      if (tags && !m.tag.isEmpty()) {
        painter->setPen(m.color);
        painter->drawText(QRectF(x - 7, area.top(), 14, 12), Qt::AlignCenter, m.tag);
      }
    }
    painter->restore();
  }

 private:
  QChart* chart_;
  QList<Marker> markers_;
  double highlight_lo_ = 0.0;
  double highlight_hi_ = 0.0;
};

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
    overlay_ = new OverlayItem(chart_);
    connect(chart_, &QChart::plotAreaChanged, this, [this] { overlay_->geometryChanged(); });
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
    QXYSeries* series = nullptr;
    if (style.kind == SeriesKind::kPoints) {
      auto* scatter = new QScatterSeries();
      scatter->setMarkerSize(style.width);
      scatter->setMarkerShape(toQt(style.shape));
      scatter->setColor(style.color);
      scatter->setBorderColor(style.color.darker(130));
      series = scatter;
    } else {
      auto* line = new QLineSeries();
      QPen pen(style.color, style.width, style.pen);
      pen.setCosmetic(true);
      line->setPen(pen);
      series = line;
    }
    series->setName(style.name);
    chart_->addSeries(series);
    series->attachAxis(x_axis_);
    series->attachAxis(y_axis_);
    if (style.name.isEmpty()) {
      for (QLegendMarker* m : chart_->legend()->markers(series)) m->setVisible(false);
    }
    series_.push_back(series);
    return static_cast<int>(series_.size()) - 1;
  }

  void setPoints(int series, const QList<QPointF>& points) override {
    if (series < 0 || series >= seriesCount()) return;
    series_[static_cast<std::size_t>(series)]->replace(points);
  }
  void setSeriesVisible(int series, bool visible) override {
    if (series < 0 || series >= seriesCount()) return;
    series_[static_cast<std::size_t>(series)]->setVisible(visible);
  }
  int pointCount(int series) const override {
    if (series < 0 || series >= seriesCount()) return 0;
    return static_cast<int>(series_[static_cast<std::size_t>(series)]->count());
  }
  int seriesCount() const override { return static_cast<int>(series_.size()); }

  void setMarkers(const QList<Marker>& markers) override { overlay_->setMarkers(markers); }
  void setHighlight(double lo, double hi) override { overlay_->setHighlight(lo, hi); }

  void setXRange(double lo, double hi) override {
    if (!(hi > lo)) hi = lo + 1e-6;
    x_axis_->setRange(lo, hi);
    updateTicks();
    overlay_->update();
  }
  void setYRange(double lo, double hi) override {
    if (!(hi > lo)) {
      lo -= 0.5;
      hi += 0.5;
    }
    y_axis_->setRange(lo, hi);
    updateTicks();
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
  OverlayItem* overlay_ = nullptr;
  QValueAxis* x_axis_ = nullptr;
  QValueAxis* y_axis_ = nullptr;
  std::vector<QXYSeries*> series_;
};

}  // namespace

std::unique_ptr<Chart> createChart() {
  return std::make_unique<QtChartsChart>();
}

}  // namespace stridelab::studio::charts
