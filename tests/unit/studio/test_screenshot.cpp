// The rendered window and the command-line tools, checked by content: plot areas are not
// empty, left and right colours are both on screen, the images are far from trivial.
#include <QApplication>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QWidget>

#include <gtest/gtest.h>

#include "image_checks.hpp"
#include "stridelab/report/palette.hpp"
#include "studio/main_window.hpp"
#include "studio/review/review_tab.hpp"
#include "studio/review/timeline_view.hpp"
#include "studio/widgets/step_metric_chart.hpp"
#include "studio_test_util.hpp"

namespace stridelab::studio {
namespace {

// A chart's plot rectangle in the coordinates of the grabbed window.
QRect plot_in_window(charts::Chart& chart, QWidget& window) {
  const QRect plot = chart.plotArea();
  return QRect(chart.widget()->mapTo(&window, plot.topLeft()), plot.size());
}

TEST(Screenshot, ReviewWindowShowsSignalsStepsAndBothSides) {
  MainWindow window;
  window.resize(1600, 1000);
  window.show();
  QString error;
  ASSERT_TRUE(window.openRecording(test::qsource("recordings/sim/walk_200hz.h5"), &error));
  for (int i = 0; i < 5; ++i) QApplication::processEvents();
  const QImage shot = window.grab().toImage();
  shot.save(QString::fromStdString((test::out_dir() / "review_window.png").string()));
  ASSERT_EQ(shot.size(), QSize(1600, 1000));

  const int colors = test::distinct_colors(shot);
  RecordProperty("distinct_colors", colors);
  EXPECT_GT(colors, 300);

  TimelineView& timeline = *window.reviewTab()->timeline();
  for (int c = 0; c < timeline.chartCount(); ++c) {
    const QRect plot = plot_in_window(*timeline.chart(c), window);
    ASSERT_GT(plot.width(), 400) << "chart " << c;
    // Traces and step markers cover a real share of the plot.
    const int drawn = test::non_background_pixels(shot, plot);
    EXPECT_GT(drawn, plot.width() * plot.height() / 10) << "chart " << c;
    // Step markers (translucent lines) in both sides' hues.
    EXPECT_GT(test::pixels_with_hue(shot, plot, report::left_color()), 200) << "chart " << c;
    EXPECT_GT(test::pixels_with_hue(shot, plot, report::right_color()), 200) << "chart " << c;
  }
  const QRect drops = plot_in_window(window.reviewTab()->dropChart()->chart(), window);
  EXPECT_GT(test::pixels_near(shot, drops, report::left_color(), 20), 1000);
  EXPECT_GT(test::pixels_near(shot, drops, report::right_color(), 20), 1000);
}

TEST(Screenshot, CommandLineScreenshotIsScriptable) {
  const QString png = QString::fromStdString((test::out_dir() / "cli_screenshot.png").string());
  QFile::remove(png);
  QProcess studio;
  studio.start(QStringLiteral(STRIDELAB_BINARY_DIR "/stridelab-studio"),
               {"--open", test::qsource("recordings/sim/walk_200hz.h5"), "--screenshot", png,
                "--size", "1280x800"});
  ASSERT_TRUE(studio.waitForFinished(60000));
  EXPECT_EQ(studio.exitCode(), 0) << studio.readAllStandardError().toStdString();
  const QImage shot(png);
  ASSERT_FALSE(shot.isNull());
  EXPECT_EQ(shot.size(), QSize(1280, 800));
  EXPECT_GT(test::distinct_colors(shot), 300);
  EXPECT_GT(test::pixels_near(shot, {}, report::left_color(), 20), 2000);
  EXPECT_GT(test::pixels_near(shot, {}, report::right_color(), 20), 2000);

  QProcess bad;  // a missing file: non-zero exit, one line naming it
  bad.start(QStringLiteral(STRIDELAB_BINARY_DIR "/stridelab-studio"),
            {"--open", "/nonexistent/rec.h5", "--screenshot", png});
  ASSERT_TRUE(bad.waitForFinished(60000));
  EXPECT_NE(bad.exitCode(), 0);
  EXPECT_TRUE(bad.readAllStandardError().contains("/nonexistent/rec.h5"));
}

TEST(Screenshot, ReportCommandWritesPdfAndPng) {
  const auto dir = test::out_dir();
  const QString pdf = QString::fromStdString((dir / "cli_report.pdf").string());
  const QString png = QString::fromStdString((dir / "cli_report.png").string());
  QFile::remove(pdf);
  QFile::remove(png);
  QProcess cli;
  cli.start(QStringLiteral(STRIDELAB_BINARY_DIR "/stridelab"),
            {"report", test::qsource("recordings/sim/run_200hz.h5"), "--pdf", pdf, "--png", png,
             "--subject", "R-2", "--dpi", "100"});
  ASSERT_TRUE(cli.waitForFinished(60000));
  EXPECT_EQ(cli.exitCode(), 0) << cli.readAllStandardError().toStdString();
  QFile file(pdf);
  ASSERT_TRUE(file.open(QIODevice::ReadOnly));
  EXPECT_TRUE(file.readAll().startsWith("%PDF-"));
  const QImage page(png);
  ASSERT_FALSE(page.isNull());
  EXPECT_EQ(page.width(), 827);  // A4 at 100 dpi
  EXPECT_GT(test::pixels_near(page, {}, report::left_color(), 10), 2000);
  EXPECT_GT(test::pixels_near(page, {}, report::right_color(), 10), 2000);

  QProcess usage;  // neither --pdf nor --png
  usage.start(QStringLiteral(STRIDELAB_BINARY_DIR "/stridelab"),
              {"report", test::qsource("recordings/sim/run_200hz.h5")});
  ASSERT_TRUE(usage.waitForFinished(60000));
  EXPECT_EQ(usage.exitCode(), 64);
}

}  // namespace
}  // namespace stridelab::studio
