#pragma once
// The studio's own chart interface. Every plot in the application goes through this header,
// so the Qt Charts implementation (deprecated after Qt 6.10) can be swapped for Qt Graphs by
// rewriting only src/studio/charts/. Nothing outside this folder may include QtCharts headers.
#include <QColor>
#include <QList>
#include <QObject>
#include <QPointF>
#include <QRect>
#include <QString>

#include <memory>

class QWidget;

namespace stridelab::studio::charts {

enum class SeriesKind {
  kLine,    // connected polyline
  kPoints,  // markers only (e.g. one point per step)
  // Each pair of points is one straight segment, unconnected to the next pair (error bars:
  // (x, mean − sd), (x, mean + sd)).
  kSegments,
  kBars,  // a filled bar from y = 0 to each point; `width` is the bar width in x units
};

enum class PointShape { kCircle, kSquare, kTriangle };

struct SeriesStyle {
  QString name;  // legend text; empty = not in the legend
  QColor color = Qt::black;
  SeriesKind kind = SeriesKind::kLine;
  double width = 1.5;  // line width, or marker size for points, px (bars: x units)
  Qt::PenStyle pen = Qt::SolidLine;
  PointShape shape = PointShape::kCircle;
};

// A vertical line across the plot at x (e.g. an initial contact), with an optional short tag.
struct Marker {
  double x = 0.0;
  QColor color = Qt::gray;
  QString tag;  // drawn at the top when markers are far enough apart, e.g. "L" / "R"
};

// One plot area with one x axis and one y axis, any number of series.
class Chart : public QObject {
  Q_OBJECT
 public:
  using QObject::QObject;
  ~Chart() override = default;

  // The widget to put into a layout. The chart owns it until it is reparented.
  virtual QWidget* widget() = 0;

  virtual void setTitle(const QString& title) = 0;
  virtual void setAxisTitles(const QString& x, const QString& y) = 0;
  virtual void setLegendVisible(bool visible) = 0;

  // Adds a series and returns its handle (0, 1, 2, ... in order of creation).
  virtual int addSeries(const SeriesStyle& style) = 0;
  // Replaces the points of one series (cheap: one bulk copy, one repaint).
  virtual void setPoints(int series, const QList<QPointF>& points) = 0;
  virtual void setSeriesVisible(int series, bool visible) = 0;
  virtual int pointCount(int series) const = 0;
  virtual QList<QPointF> points(int series) const = 0;  // as last set
  virtual int seriesCount() const = 0;

  virtual void setMarkers(const QList<Marker>& markers) = 0;
  // Shaded band across the plot height between x = lo and x = hi; lo >= hi hides it.
  virtual void setHighlight(double lo, double hi) = 0;

  virtual void setXRange(double lo, double hi) = 0;
  virtual void setYRange(double lo, double hi) = 0;
  virtual QPair<double, double> xRange() const = 0;
  virtual QPair<double, double> yRange() const = 0;

  // Mouse interaction: drag zooms into an x range, the wheel zooms x around the cursor,
  // Shift+drag selects an x range (rangeSelected), double-click asks for a reset.
  virtual void setInteractive(bool interactive) = 0;

  // The plot rectangle in widget coordinates (for tests and overlays).
  virtual QRect plotArea() const = 0;

 signals:
  void xRangeChanged(double lo, double hi);  // after a user zoom or pan
  void rangeSelected(double lo, double hi);  // Shift+drag
  void resetRequested();                     // double-click
};

// The one place that decides which chart technology is used.
std::unique_ptr<Chart> createChart();

}  // namespace stridelab::studio::charts
