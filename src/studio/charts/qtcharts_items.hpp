#pragma once
// Graphics items the Qt Charts implementation draws with (internal to src/studio/charts/):
// line series as plain polylines, and the step markers + selection band in one overlay.
#include <QGraphicsItem>
#include <QPainter>
#include <QtCharts/QChart>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <vector>

#include "studio/charts/chart.hpp"

namespace stridelab::studio::charts::detail {

// An item drawn over the chart's plot area, above the series (z), ignoring the mouse.
class PlotAreaItem : public QGraphicsItem {
 public:
  PlotAreaItem(QChart* chart, double z) : QGraphicsItem(chart), chart_(chart) {
    setZValue(z);
    setAcceptedMouseButtons(Qt::NoButton);
  }
  // The plot area moved or resized.
  void geometryChanged() {
    prepareGeometryChange();
    update();
  }
  QRectF boundingRect() const override { return chart_->plotArea(); }

 protected:
  QChart* chart_;
};

// Paints the line series as polylines inside the plot area (data in x order), and the
// segment and bar series.
class LinesItem : public PlotAreaItem {
 public:
  struct Line {
    QList<QPointF> points;
    QPen pen;
    bool visible = true;
    SeriesKind kind = SeriesKind::kLine;  // kLine, kSegments or kBars
    double bar_width = 0.0;               // x units
  };
  LinesItem(QChart* chart, QValueAxis* x, QValueAxis* y) : PlotAreaItem(chart, 8), x_(x), y_(y) {}
  int add(const QPen& pen, SeriesKind kind = SeriesKind::kLine, double bar_width = 0.0) {
    lines_.push_back(Line{{}, pen, true, kind, bar_width});
    return static_cast<int>(lines_.size()) - 1;
  }
  Line& line(int i) { return lines_[static_cast<std::size_t>(i)]; }
  const Line& line(int i) const { return lines_[static_cast<std::size_t>(i)]; }

  void paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) override {
    const QRectF area = chart_->plotArea();
    const double x0 = x_->min(), x1 = x_->max(), y0 = y_->min(), y1 = y_->max();
    if (area.isEmpty() || !(x1 > x0) || !(y1 > y0)) return;
    const double sx = area.width() / (x1 - x0), sy = area.height() / (y1 - y0);
    painter->save();
    painter->setClipRect(area.adjusted(-1, -1, 1, 1));
    painter->setRenderHint(QPainter::Antialiasing, true);
    QPolygonF polygon;
    auto at = [&](const QPointF& p) {
      return QPointF(area.left() + (p.x() - x0) * sx, area.bottom() - (p.y() - y0) * sy);
    };
    for (const Line& l : lines_) {
      if (!l.visible) continue;
      if (l.kind == SeriesKind::kBars) {  // few bars: no culling
        for (const QPointF& p : l.points)
          painter->fillRect(
              QRectF(at({p.x() - l.bar_width / 2, 0.0}), at({p.x() + l.bar_width / 2, p.y()}))
                  .normalized(),
              l.pen.color());
        continue;
      }
      if (l.kind == SeriesKind::kSegments) {
        painter->setPen(l.pen);
        for (qsizetype i = 0; i + 1 < l.points.size(); i += 2)
          painter->drawLine(at(l.points[i]), at(l.points[i + 1]));
        continue;
      }
      if (l.points.size() < 2) continue;
      // Only the part in view, plus one point either side so lines reach the edges.
      auto first = std::lower_bound(l.points.begin(), l.points.end(), x0,
                                    [](const QPointF& p, double x) { return p.x() < x; });
      auto last = std::upper_bound(first, l.points.end(), x1,
                                   [](double x, const QPointF& p) { return x < p.x(); });
      if (first != l.points.begin()) --first;
      if (last != l.points.end()) ++last;
      polygon.clear();
      polygon.reserve(last - first);
      for (auto it = first; it != last; ++it)
        polygon.append(
            QPointF(area.left() + (it->x() - x0) * sx, area.bottom() - (it->y() - y0) * sy));
      painter->setPen(l.pen);
      painter->drawPolyline(polygon);
    }
    painter->restore();
  }

 private:
  QValueAxis* x_;
  QValueAxis* y_;
  std::vector<Line> lines_;
};

// Paints the vertical markers and the highlight band inside the plot area.
class OverlayItem : public PlotAreaItem {
 public:
  explicit OverlayItem(QChart* chart) : PlotAreaItem(chart, 10) {}

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
  QList<Marker> markers_;
  double highlight_lo_ = 0.0;
  double highlight_hi_ = 0.0;
};

}  // namespace stridelab::studio::charts::detail
