// Review tab on a bundled recording: the table, the summary and the report show exactly what
// the analysis (pipeline::analyze_recording, run here independently) gives.
#include <QAbstractItemModel>
#include <QImage>
#include <QLabel>
#include <QString>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include <QTabWidget>
#include "image_checks.hpp"
#include "stridelab/pipeline/analyze_recording.hpp"
#include "stridelab/report/palette.hpp"
#include "stridelab/report/report_renderer.hpp"
#include "stridelab/report/session.hpp"
#include "stridelab/sim/simulator.hpp"
#include "stridelab/storage/recording_io.hpp"
#include "studio/main_window.hpp"
#include "studio/review/review_tab.hpp"
#include "studio/review/steps_table_model.hpp"
#include "studio/review/timeline_view.hpp"
#include "studio/widgets/step_metric_chart.hpp"
#include "studio/widgets/summary_panel.hpp"
#include "studio/widgets/trend_chart.hpp"
#include "studio_test_util.hpp"

namespace stridelab::studio {
namespace {

const char* kWalk = "recordings/sim/walk_200hz.h5";

pipeline::AnalysisRun reference_analysis(const std::string& relative) {
  const Recording rec = storage::read_recording(test::source_path(relative));
  return pipeline::analyze_recording(rec, pipeline::AnalysisRequest{});
}

QString mean_sd(const dsp::MeanSd& v) {
  return QString::asprintf("%.1f° ± %.1f°", v.mean, v.sd);
}

TEST(Review, StepsTableAndSummaryShowTheAnalysis) {
  const pipeline::AnalysisRun ref = reference_analysis(kWalk);
  ASSERT_GT(ref.steps.size(), 50u);

  MainWindow window;
  QString error;
  ASSERT_TRUE(window.openRecording(test::qsource(kWalk), &error)) << error.toStdString();
  ReviewTab& review = *window.reviewTab();
  QAbstractItemModel* table = review.stepsView();
  EXPECT_EQ(table->rowCount(), static_cast<int>(ref.steps.size()));
  EXPECT_EQ(table->columnCount(), StepsTableModel::kColumnCount);

  // Row by row (sorted by time): time, side and drop as the analysis has them.
  int left_rows = 0;
  for (int r = 0; r < table->rowCount(); ++r) {
    const Step& s = ref.steps[static_cast<std::size_t>(r)];
    EXPECT_EQ(table->index(r, StepsTableModel::kTime).data().toString(),
              QString::number(s.time_s, 'f', 3));
    EXPECT_EQ(table->index(r, StepsTableModel::kSide).data().toString(),
              s.side == Side::kLeft ? "Left" : "Right");
    if (std::isfinite(s.pelvic_drop_deg)) {
      EXPECT_EQ(table->index(r, StepsTableModel::kPelvicDrop).data().toString(),
                QString::number(s.pelvic_drop_deg, 'f', 1));
    }
    if (table->index(r, StepsTableModel::kSide).data().toString() == "Left") ++left_rows;
  }
  EXPECT_EQ(left_rows, ref.summary.left_steps);

  const SummaryPanel& summary = *review.summaryPanel();
  EXPECT_EQ(summary.shownText("cadence"), QString::number(ref.summary.mean_cadence_spm, 'f', 1));
  EXPECT_TRUE(summary.shownText("steps").startsWith(QString::number(ref.summary.steps)));
  EXPECT_TRUE(summary.shownText("drop_left").startsWith(mean_sd(ref.summary.pelvic_drop_left_deg)))
      << summary.shownText("drop_left").toStdString();
  EXPECT_TRUE(
      summary.shownText("drop_right").startsWith(mean_sd(ref.summary.pelvic_drop_right_deg)));
  EXPECT_EQ(summary.shownText("trunk_rotation"), mean_sd(ref.summary.trunk_rotation_deg));
  EXPECT_EQ(summary.shownText("activity"), QString::fromStdString(ref.summary.activity));
  EXPECT_TRUE(summary.shownText("neutral").contains("quiet standing"));

  // Timeline: one marker per step, traces decimated to the chart width.
  TimelineView& timeline = *review.timeline();
  ASSERT_EQ(timeline.chartCount(), 3);
  for (int c = 0; c < 3; ++c)
    for (int s = 0; s < timeline.chart(c)->seriesCount(); ++s) {
      EXPECT_GT(timeline.chart(c)->pointCount(s), 100);
      EXPECT_LE(timeline.chart(c)->pointCount(s), 2 * 4000 + 2);
    }
  // Per-step chart: one point per measured step of each side.
  const auto measured = [&](Side side) {
    return std::count_if(ref.steps.begin(), ref.steps.end(), [&](const Step& s) {
      return s.side == side && std::isfinite(s.pelvic_drop_deg);
    });
  };
  EXPECT_EQ(review.dropChart()->chart().pointCount(StepMetricChart::kLeftPoints),
            measured(Side::kLeft));
  EXPECT_EQ(review.dropChart()->chart().pointCount(StepMetricChart::kRightPoints),
            measured(Side::kRight));
}

// "Step-time asymmetry 1.3 % (L 0.54 s / R 0.55 s)", written here from the summary values.
QString step_time_text(const dsp::Summary& s) {
  return QString::asprintf("Step-time asymmetry %.1f %% (L %.2f s / R %.2f s)",
                           s.step_time_asymmetry_pct, s.step_time_left_s.mean,
                           s.step_time_right_s.mean);
}

TEST(Review, StepTimeAsymmetrySitsBesideTheDropComparison) {
  const pipeline::AnalysisRun ref = reference_analysis(kWalk);
  ASSERT_TRUE(std::isfinite(ref.summary.step_time_asymmetry_pct));
  ReviewTab review;
  QString error;
  ASSERT_TRUE(review.openFile(test::qsource(kWalk), &error));
  EXPECT_EQ(review.stepTimeLabel()->text(), step_time_text(ref.summary));
  const QString stance = review.stanceTimeLabel()->text();
  EXPECT_TRUE(stance.contains(QString::asprintf(
      "stance L %.2f s / R %.2f s (asymmetry %.1f %%)", ref.summary.contact_time_left_s.mean,
      ref.summary.contact_time_right_s.mean, ref.summary.contact_time_asymmetry_pct)))
      << stance.toStdString();
  // Which side's steps last longer, by how many milliseconds (here a few: a symmetric walk).
  const double diff_ms =
      1000.0 * (ref.summary.step_time_left_s.mean - ref.summary.step_time_right_s.mean);
  ASSERT_GE(std::abs(diff_ms), 0.5);
  EXPECT_LT(std::abs(diff_ms), 10.0);
  EXPECT_TRUE(stance.startsWith(QString::asprintf(
      "%s-stance steps last %.0f ms longer · ", diff_ms > 0 ? "Left" : "Right", std::abs(diff_ms))))
      << stance.toStdString();

  // On screen inside the summary, below the left/right drop values and above the quality notes.
  review.resize(1600, 1000);
  review.show();
  ASSERT_TRUE(test::wait_until([&] { return review.stepTimeLabel()->isVisible(); }, 2000));
  SummaryPanel* panel = review.summaryPanel();
  EXPECT_TRUE(panel->isAncestorOf(review.stepTimeLabel()));
  const auto y_in_panel = [&](const QWidget* w) { return w->mapTo(panel, QPoint(0, 0)).y(); };
  const QWidget* drop_left = panel->findChild<QWidget*>("value_drop_left");
  const QWidget* quality = panel->findChild<QWidget*>("value_quality");
  ASSERT_NE(drop_left, nullptr);
  ASSERT_NE(quality, nullptr);
  EXPECT_GT(y_in_panel(review.stepTimeLabel()), y_in_panel(drop_left));
  EXPECT_GT(y_in_panel(review.stanceTimeLabel()), y_in_panel(review.stepTimeLabel()));
  EXPECT_LT(y_in_panel(review.stanceTimeLabel()), y_in_panel(quality));
  // The label is drawn: its area holds text pixels.
  const QImage shot = review.stepTimeLabel()->grab().toImage();
  EXPECT_GT(test::non_background_pixels(shot, shot.rect(), shot.pixelColor(0, 0)), 50);

  // A range analysis shows that range's figures.
  ASSERT_TRUE(review.analyseRange(20.0, 40.0, &error)) << error.toStdString();
  EXPECT_EQ(review.stepTimeLabel()->text(), step_time_text(review.session()->run.summary));
  EXPECT_NE(review.session()->run.summary.step_time_left_s.n, ref.summary.step_time_left_s.n);
}

TEST(Review, TableSortsNumerically) {
  ReviewTab review;
  QString error;
  ASSERT_TRUE(review.openFile(test::qsource(kWalk), &error));
  QAbstractItemModel* table = review.stepsView();
  table->sort(StepsTableModel::kPelvicDrop, Qt::DescendingOrder);
  double previous = 1e9;
  int checked = 0;
  for (int r = 0; r < table->rowCount(); ++r) {
    const QString text = table->index(r, StepsTableModel::kPelvicDrop).data().toString();
    if (text.isEmpty()) continue;  // not measured: sorts last when descending
    EXPECT_LE(text.toDouble(), previous + 1e-9);
    previous = text.toDouble();
    ++checked;
  }
  EXPECT_GT(checked, 50);
}

TEST(Review, RangeAnalysisOnlyCountsStepsInTheRange) {
  ReviewTab review;
  QString error;
  ASSERT_TRUE(review.openFile(test::qsource(kWalk), &error));
  const int all = review.stepsView()->rowCount();
  ASSERT_TRUE(review.analyseRange(20.0, 40.0, &error)) << error.toStdString();
  const report::Session& s = *review.session();
  EXPECT_FALSE(s.range.whole());
  ASSERT_FALSE(s.run.steps.empty());
  EXPECT_LT(review.stepsView()->rowCount(), all);
  EXPECT_EQ(review.stepsView()->rowCount(), static_cast<int>(s.run.steps.size()));
  for (const Step& step : s.run.steps) {
    EXPECT_GE(step.time_s, 20.0);
    EXPECT_LE(step.time_s, 40.0);
  }
  // The same range through the pipeline directly gives the same steps.
  const Recording rec = storage::read_recording(test::source_path(kWalk));
  pipeline::AnalysisRequest request;
  request.range_start_s = 20.0;
  request.range_end_s = 40.0;
  EXPECT_EQ(pipeline::analyze_recording(rec, request).steps.size(), s.run.steps.size());
  ASSERT_TRUE(review.analyseWholeRecording(&error));
  EXPECT_EQ(review.stepsView()->rowCount(), all);
  EXPECT_FALSE(review.analyseRange(30.0, 10.0, &error));
}

TEST(Review, BadFileSaysWhyAndKeepsWhatWasOpen) {
  ReviewTab review;
  QString error;
  ASSERT_TRUE(review.openFile(test::qsource(kWalk), &error));
  const auto garbage = test::out_dir() / "garbage.h5";
  {
    std::FILE* f = std::fopen(garbage.c_str(), "wb");
    std::fputs("this is not an HDF5 file", f);
    std::fclose(f);
  }
  EXPECT_FALSE(review.openFile(QString::fromStdString(garbage.string()), &error));
  EXPECT_TRUE(error.contains("garbage.h5")) << error.toStdString();
  ASSERT_NE(review.session(), nullptr);
  EXPECT_TRUE(review.session()->path.string().find("walk_200hz.h5") != std::string::npos);
}

TEST(Review, CsvRecordingOpensToo) {
  const pipeline::AnalysisRun ref = reference_analysis("recordings/sim/walk_100hz.csv");
  ReviewTab review;
  QString error;
  ASSERT_TRUE(review.openFile(test::qsource("recordings/sim/walk_100hz.csv"), &error))
      << error.toStdString();
  EXPECT_EQ(review.stepsView()->rowCount(), static_cast<int>(ref.steps.size()));
}

TEST(Review, ReportOfTheSessionCarriesTheSummaryValues) {
  const pipeline::AnalysisRun ref = reference_analysis(kWalk);
  ReviewTab review;
  QString error;
  ASSERT_TRUE(review.openFile(test::qsource(kWalk), &error));
  const report::ReportModel model = report::make_report_model(*review.session());
  report::RenderedReport rendered;
  const QImage page = report::render_report_image(model, 120, &rendered);
  auto drawn = [&](const QString& s) {
    return std::any_of(rendered.texts.begin(), rendered.texts.end(),
                       [&](const QString& t) { return t.contains(s); });
  };
  EXPECT_TRUE(drawn(mean_sd(ref.summary.pelvic_drop_left_deg)));
  EXPECT_TRUE(drawn(mean_sd(ref.summary.pelvic_drop_right_deg)));
  EXPECT_TRUE(drawn(mean_sd(ref.summary.trunk_rotation_deg)));
  EXPECT_TRUE(drawn(QString::number(ref.summary.mean_cadence_spm, 'f', 1)));
  EXPECT_TRUE(drawn(QString::number(ref.summary.steps)));
  EXPECT_TRUE(drawn("walk_200hz.h5"));
  // Step-time asymmetry: the report states the summary's figures, as the Review tab does.
  EXPECT_TRUE(drawn(step_time_text(ref.summary))) << step_time_text(ref.summary).toStdString();
  EXPECT_TRUE(drawn(review.stepTimeLabel()->text()));
  const QRect chart = rendered.drop_chart_rect.toAlignedRect();
  EXPECT_GT(test::pixels_near(page, chart, report::left_color(), 30), 500);
  EXPECT_GT(test::pixels_near(page, chart, report::right_color(), 30), 500);

  const auto pdf = test::out_dir() / "review_report.pdf";
  ASSERT_TRUE(review.exportReport(QString::fromStdString(pdf.string()), &error));
  EXPECT_GT(std::filesystem::file_size(pdf), 5000u);
}

TEST(Review, LongRunOpensOnThePerMinuteFatigueView) {
  // 12 minutes of running whose drop grows by 1.5°/10 min on both sides.
  sim::SimParams p;
  p.activity = sim::Activity::kRun;
  p.gait_duration_s = 720.0;
  p.rate_hz = 100.0;
  p.drop_trend_deg_per_10min = 1.5;
  p.seed = 8;
  const auto file = std::filesystem::temp_directory_path() / "stridelab_review_long_run.h5";
  storage::write_recording(file, sim::simulate(p).recording);
  const pipeline::AnalysisRun ref =
      pipeline::analyze_recording(storage::read_recording(file), pipeline::AnalysisRequest{});

  ReviewTab review;
  QString error;
  ASSERT_TRUE(review.openFile(QString::fromStdString(file.string()), &error))
      << error.toStdString();
  EXPECT_EQ(review.chartTabs()->currentIndex(), 1);  // long session: per minute first
  int measurable = 0;
  for (const auto& w : ref.trends.windows) measurable += std::isfinite(w.pelvic_drop_left_deg.mean);
  EXPECT_GE(measurable, 11);
  charts::Chart& chart = review.trendChart()->chart();
  EXPECT_EQ(chart.pointCount(TrendChart::kLeftPoints), measurable);
  EXPECT_EQ(chart.pointCount(TrendChart::kLeftLine), measurable);
  // The title states the slopes of the analysis, e.g. "+1.49 ± 0.03°/10 min".
  const QString title = review.trendChart()->title();
  EXPECT_TRUE(title.contains(slope_text(ref.trends.pelvic_drop_left_deg))) << title.toStdString();
  EXPECT_TRUE(title.contains(slope_text(ref.trends.pelvic_drop_right_deg)));
  EXPECT_NEAR(ref.trends.pelvic_drop_left_deg.per_10min, 1.5, 0.2);
  // The bundled one-minute walk stays on the per-step view.
  ASSERT_TRUE(review.openFile(test::qsource(kWalk), &error));
  EXPECT_EQ(review.chartTabs()->currentIndex(), 0);
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace stridelab::studio
