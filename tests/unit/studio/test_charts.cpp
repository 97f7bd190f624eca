// The chart interface with its Qt Charts implementation: series, ranges, markers, and that
// what it holds is actually drawn (pixels in the plot area, in the series' colours).
#include <QApplication>
#include <QImage>
#include <QWidget>

#include <gtest/gtest.h>

#include <cmath>

#include "image_checks.hpp"
#include "stridelab/report/palette.hpp"
#include "studio/charts/chart.hpp"

namespace stridelab::studio::charts {
namespace {

TEST(Chart, DrawsItsSeriesInsideThePlotArea) {
  auto chart = createChart();
  chart->setTitle("test");
  const int left = chart->addSeries({"Left", report::left_color(), SeriesKind::kLine, 3.0});
  const int right = chart->addSeries({"Right", report::right_color(), SeriesKind::kPoints, 9.0,
                                      Qt::SolidLine, PointShape::kSquare});
  EXPECT_EQ(left, 0);
  EXPECT_EQ(right, 1);
  QList<QPointF> line, points;
  for (int i = 0; i <= 100; ++i) line.append(QPointF(i * 0.1, std::sin(i * 0.1)));
  for (int i = 0; i < 10; ++i) points.append(QPointF(i + 0.5, 0.5));
  chart->setPoints(left, line);
  chart->setPoints(right, points);
  chart->setXRange(0, 10);
  chart->setYRange(-1.2, 1.2);
  EXPECT_EQ(chart->pointCount(left), 101);
  EXPECT_EQ(chart->pointCount(right), 10);
  EXPECT_EQ(chart->xRange().first, 0);
  EXPECT_EQ(chart->xRange().second, 10);

  QWidget* w = chart->widget();
  w->resize(600, 300);
  w->show();
  QApplication::processEvents();
  const QImage image = w->grab().toImage();
  const QRect plot = chart->plotArea();
  ASSERT_TRUE(plot.isValid());
  EXPECT_GT(plot.width(), 300);
  EXPECT_GT(test::pixels_near(image, plot, report::left_color(), 40), 300);
  EXPECT_GT(test::pixels_near(image, plot, report::right_color(), 40), 10 * 30);
}

TEST(Chart, MarkersAndHighlightArePainted) {
  auto chart = createChart();
  chart->addSeries({"", Qt::black, SeriesKind::kLine, 1.0});
  chart->setPoints(0, {QPointF(0, 0), QPointF(10, 0)});
  chart->setXRange(0, 10);
  chart->setYRange(-1, 1);
  QWidget* w = chart->widget();
  w->resize(600, 300);
  w->show();
  QApplication::processEvents();
  const QRect plot = chart->plotArea();
  const int before = test::pixels_near(w->grab().toImage(), plot, report::right_color(), 40);
  QList<Marker> markers;
  for (int i = 1; i < 10; ++i) markers.append({double(i), report::right_color(), "R"});
  chart->setMarkers(markers);
  chart->setHighlight(2, 4);
  QApplication::processEvents();
  const QImage after = w->grab().toImage();
  EXPECT_GT(test::pixels_near(after, plot, report::right_color(), 40), before + 9 * 20);
  // The highlight band tints the background between x = 2 and x = 4 only.
  const int x_in = plot.left() + plot.width() * 3 / 10, x_out = plot.left() + plot.width() * 7 / 10;
  const QColor inside = after.pixelColor(x_in, plot.center().y() + 20);
  const QColor outside = after.pixelColor(x_out, plot.center().y() + 20);
  EXPECT_NE(inside, outside);
}

TEST(Chart, InvalidSeriesHandlesAreIgnored) {
  auto chart = createChart();
  chart->setPoints(3, {QPointF(0, 0)});
  EXPECT_EQ(chart->pointCount(3), 0);
  EXPECT_EQ(chart->seriesCount(), 0);
}

}  // namespace
}  // namespace stridelab::studio::charts
