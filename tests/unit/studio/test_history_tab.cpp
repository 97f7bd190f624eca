// The History tab on a simulated series of six sessions over five weeks whose drop falls by a
// known 0.5° a week (real HDF5 recordings, the real analysis), plus a broken file: the tables,
// the chart series and the rendered window are checked by value.
#include <QApplication>
#include <QImage>
#include <QLabel>
#include <QTabWidget>
#include <QTableWidget>

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <fstream>

#include "image_checks.hpp"
#include "stridelab/report/history_figure.hpp"
#include "stridelab/report/palette.hpp"
#include "stridelab/report/report_renderer.hpp"
#include "studio/charts/chart.hpp"
#include "studio/history/history_tab.hpp"
#include "studio/main_window.hpp"
#include "studio_test_util.hpp"
#include "unit/history/history_series.hpp"

namespace stridelab::studio {
namespace {

using history::Metric;
namespace fs = std::filesystem;

class HistoryTabTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("stridelab_studio_history_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    test::write_series(dir_, spec_);
    std::ofstream(dir_ / "P017_session0.h5") << "not an HDF5 file";
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }
  static inline fs::path dir_;
  static inline const test::SeriesSpec spec_{};
};

// "7.1 ± 0.5" → 7.1
double leading_number(const QTableWidget* t, int row, int col) {
  return t->item(row, col)->text().section(' ', 0, 0).toDouble();
}

// The series kinds the History tab adds to the chart interface: segments (error bars) are
// drawn only between their pairs, bars from 0 to their value over their width in x units.
TEST(HistoryCharts, SegmentsAndBarsAreDrawnWhereTheirPointsSay) {
  auto chart = charts::createChart();
  const QColor bar(0, 160, 0), whisker(160, 0, 160);
  chart->addSeries({"bars", bar, charts::SeriesKind::kBars, 2.0});
  chart->addSeries({"whiskers", whisker, charts::SeriesKind::kSegments, 3.0});
  chart->setPoints(0, {QPointF(3, 10), QPointF(7, 5)});
  chart->setPoints(1, {QPointF(5, 2), QPointF(5, 18), QPointF(9, 2), QPointF(9, 4)});
  EXPECT_EQ(chart->points(1).size(), 4);
  EXPECT_EQ(chart->points(0)[1], QPointF(7, 5));
  chart->setXRange(0, 10);
  chart->setYRange(0, 20);
  QWidget* w = chart->widget();
  w->resize(600, 400);
  w->show();
  QApplication::processEvents();
  const QImage image = w->grab().toImage();
  const QRect plot = chart->plotArea();
  auto at = [&](double x, double y) {
    return QPoint(plot.left() + static_cast<int>(x / 10 * plot.width()),
                  plot.bottom() - static_cast<int>(y / 20 * plot.height()));
  };
  auto near = [&](QPoint p, QColor c) {
    return test::pixels_near(image, QRect(p, QSize(1, 1)), c, 30) == 1;
  };
  EXPECT_TRUE(near(at(3, 5), bar));  // inside the first bar (x 2..4, y 0..10)
  EXPECT_TRUE(near(at(2.2, 9.5), bar));
  EXPECT_FALSE(near(at(3, 11), bar));  // above it
  EXPECT_FALSE(near(at(5, 1), bar));   // between the bars
  EXPECT_TRUE(near(at(7, 4), bar));    // the second, half as high
  EXPECT_FALSE(near(at(7, 6), bar));
  EXPECT_TRUE(near(at(5, 10), whisker));   // on the first segment
  EXPECT_FALSE(near(at(7, 10), whisker));  // no line joins the pairs
  EXPECT_TRUE(near(at(9, 3), whisker));
  EXPECT_FALSE(near(at(9, 8), whisker));
}

TEST_F(HistoryTabTest, TablesAndChartsHoldTheSessions) {
  HistoryTab tab;
  tab.resize(1500, 900);
  tab.show();
  QString error;
  ASSERT_TRUE(tab.openPaths({QString::fromStdString(dir_.string())}, &error))
      << error.toStdString();
  EXPECT_TRUE(tab.skippedLabel()->isVisibleTo(&tab));
  EXPECT_TRUE(tab.skippedLabel()->text().contains("P017_session0.h5"));
  EXPECT_EQ(tab.subjects(), QStringList{"P017"});

  const QTableWidget* t = tab.sessionsTable();
  ASSERT_EQ(t->rowCount(), 6);
  const auto* chart = tab.metricChart(Metric::kDropLeft);
  const QList<QPointF> means = chart->points(HistoryTab::kMeanSeries);
  ASSERT_EQ(means.size(), 6);
  for (int r = 0; r < 6; ++r) {
    const double day = spec_.days[static_cast<std::size_t>(r)];
    EXPECT_EQ(t->item(r, 0)->text().toStdString(), test::iso_of_day(day).substr(0, 10));
    EXPECT_EQ(t->item(r, 1)->text(), "analysis");
    EXPECT_NEAR(t->item(r, 3)->text().toDouble(), 1.0, 0.1);  // minutes of stepping
    // The simulated drop of that session, recovered by the analysis.
    const double truth_left = spec_.drop_left_deg + spec_.drop_per_week_deg * day / 7;
    EXPECT_NEAR(leading_number(t, r, 4), truth_left, 0.35) << "row " << r;
    EXPECT_NEAR(leading_number(t, r, 5), spec_.drop_right_deg + spec_.drop_per_week_deg * day / 7,
                0.35);
    // The chart shows the table's value on the session's day.
    EXPECT_NEAR(means[r].x(), day, 1e-9);
    EXPECT_NEAR(means[r].y(), leading_number(t, r, 4), 0.051);
  }
  EXPECT_EQ(chart->points(HistoryTab::kSdSeries).size(), 12);  // a whisker per session
  const QList<QPointF> trend = chart->points(HistoryTab::kTrendSeries);
  ASSERT_EQ(trend.size(), 2);
  EXPECT_NEAR(trend[0].x(), 0.0, 1e-9);
  EXPECT_NEAR(trend[1].x(), 35.0, 1e-9);
  EXPECT_NEAR((trend[1].y() - trend[0].y()) / 5.0, spec_.drop_per_week_deg, 0.08);
  // The verdict under the chart states the trend's figures.
  const history::Trend& fitted = tab.history().trend(Metric::kDropLeft);
  const QString verdict = tab.trendLabel(Metric::kDropLeft)->text();
  EXPECT_TRUE(verdict.contains(QString::number(fitted.per_week, 'f', 2) + " per week"))
      << verdict.toStdString();
  EXPECT_TRUE(verdict.contains("beyond the noise")) << verdict.toStdString();
  EXPECT_TRUE(tab.trendLabel(Metric::kCadence)->text().contains("within the noise"));

  // Weekly volume: six calendar weeks, one empty, about a minute per session.
  const QList<QPointF> bars = tab.volumeChart()->points(0);
  ASSERT_EQ(bars.size(), 6);
  EXPECT_NEAR(bars[0].x(), 3.5 - 7.5 / 24.0, 1e-9);  // mid-week, from 07:30 on Monday
  EXPECT_NEAR(bars[0].y(), 2.0, 0.15);               // days 0 and 5
  EXPECT_DOUBLE_EQ(bars[4].y(), 0.0);
  const QTableWidget* w = tab.weeksTable();
  ASSERT_EQ(w->rowCount(), 6);
  EXPECT_EQ(w->item(0, 0)->text(), "2026-03-02");
  EXPECT_EQ(w->item(0, 1)->text(), "2");
  EXPECT_EQ(w->item(4, 2)->text(), "0.0");
  EXPECT_EQ(w->item(4, 3)->text(), "-100 %");
}

// The figure of `stridelab history --png` states what the history says and draws both sides.
TEST_F(HistoryTabTest, FigureStatesTheTrendsAndTheWeeks) {
  HistoryTab tab;
  QString error;
  ASSERT_TRUE(tab.openPaths({QString::fromStdString(dir_.string())}, &error));
  const history::History& h = tab.history();
  report::RenderedHistory rendered;
  const QImage image = report::render_history_image(h, &rendered);
  EXPECT_EQ(image.size(), QSize(report::kHistoryWidth, report::kHistoryHeight));
  auto drawn = [&](const QString& text) {
    for (const QString& t : rendered.texts)
      if (t.contains(text)) return true;
    return false;
  };
  EXPECT_TRUE(drawn("History of P017: 6 sessions, 2026-03-02 to 2026-04-06"));
  for (Metric m : {Metric::kDropLeft, Metric::kDropRight}) {
    const history::Trend& t = h.trend(m);
    EXPECT_TRUE(drawn(QStringLiteral("%1 per week, total %2 (MDC95 %3): beyond the noise")
                          .arg(report::format_number(t.per_week, 2),
                               report::format_number(t.total_change, 2),
                               report::format_number(t.mdc95, 2))))
        << history::metric_name(m);
  }
  EXPECT_TRUE(drawn("2026-03-30"));  // the empty week is a week
  EXPECT_TRUE(drawn("-100%"));
  EXPECT_GT(test::pixels_near(image, {}, report::left_color(), 20), 500);
  EXPECT_GT(test::pixels_near(image, {}, report::right_color(), 20), 500);
}

TEST_F(HistoryTabTest, WindowRendersTheHistoryOffscreen) {
  MainWindow window;
  window.resize(1600, 1000);
  window.show();
  QString error;
  ASSERT_TRUE(window.historyTab()->openPaths({QString::fromStdString(dir_.string())}, &error));
  window.showTab(MainWindow::kHistory);
  for (int i = 0; i < 5; ++i) QApplication::processEvents();
  const QImage shot = window.grab().toImage();
  shot.save(QString::fromStdString((test::out_dir() / "history_window.png").string()));
  EXPECT_GT(test::distinct_colors(shot), 300);
  for (Metric m : {Metric::kDropLeft, Metric::kDropRight}) {
    charts::Chart* chart = window.historyTab()->metricChart(m);
    const QRect plot(chart->widget()->mapTo(&window, chart->plotArea().topLeft()),
                     chart->plotArea().size());
    ASSERT_GT(plot.width(), 200);
    const QColor side = m == Metric::kDropLeft ? report::left_color() : report::right_color();
    EXPECT_GT(test::pixels_near(shot, plot, side, 20), 150) << history::metric_name(m);
  }
}

}  // namespace
}  // namespace stridelab::studio
