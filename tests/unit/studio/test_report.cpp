// The one-page report: drawn as PNG and PDF from a hand-made model, checked by content.
#include <QFile>
#include <QString>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>

#include "image_checks.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/report/palette.hpp"
#include "stridelab/report/report_renderer.hpp"

namespace stridelab::report {
namespace {

namespace fs = std::filesystem;

fs::path out_dir() {
  const fs::path dir = fs::path(STRIDELAB_BINARY_DIR) / "tests" / "studio_out";
  fs::create_directories(dir);
  return dir;
}

MeanSd mean_sd(const std::vector<double>& v) {
  MeanSd out;
  out.n = static_cast<int>(v.size());
  double sum = 0;
  for (double x : v) sum += x;
  out.mean = sum / v.size();
  double ss = 0;
  for (double x : v) ss += (x - out.mean) * (x - out.mean);
  out.sd = std::sqrt(ss / (v.size() - 1));
  return out;
}

// 80 alternating steps at ~110 steps/min with known drops (left 4°, right 6.5°).
ReportModel make_model() {
  ReportModel m;
  m.session.subject_id = "P-017";
  m.session.date = "2024-05-02T10:15:00Z";
  m.session.file = "p017_baseline.h5";
  m.session.sensor = "pelvis · stridelab-sim · 200 Hz";
  m.session.tool_version = "0.1.0";
  m.session.notes = "Baseline before cadence retraining. Mild pain on the right.";
  m.session.duration_s = 52.0;
  std::mt19937 rng(3);
  std::normal_distribution<double> noise(0.0, 0.5);
  std::vector<double> left, right, rot;
  for (int i = 0; i < 80; ++i) {
    Step s;
    s.time_s = 5.0 + i * 60.0 / 110.0;
    s.side = i % 2 == 0 ? Side::kLeft : Side::kRight;
    s.step_time_s = 60.0 / 110.0;
    s.cadence_spm = 110.0;
    s.pelvic_drop_deg = (s.side == Side::kLeft ? 4.0 : 6.5) + noise(rng);
    s.trunk_rotation_deg = 8.0 + noise(rng);
    if (i == 10) s.flags = kFlagTurn;
    (s.side == Side::kLeft ? left : right).push_back(s.pelvic_drop_deg);
    rot.push_back(s.trunk_rotation_deg);
    m.steps.push_back(s);
  }
  m.summary.activity = "walk";
  m.summary.steps = 80;
  m.summary.mean_cadence_spm = 110.04;
  m.summary.pelvic_drop_left_deg = mean_sd(left);
  m.summary.pelvic_drop_right_deg = mean_sd(right);
  m.summary.trunk_rotation_deg = mean_sd(rot);
  m.summary.quality_notes = {"1 step during a turn left out"};
  return m;
}

bool has_text_containing(const std::vector<QString>& texts, const QString& needle) {
  return std::any_of(texts.begin(), texts.end(),
                     [&](const QString& t) { return t.contains(needle); });
}

// The mean ± SD as a reader would write it, formatted here independently of the renderer.
QString expected(const MeanSd& v) {
  return QString::asprintf("%.1f° ± %.1f°", v.mean, v.sd);
}

TEST(Report, PngShowsBothSidesAndTheSummaryValues) {
  const ReportModel model = make_model();
  RenderedReport rendered;
  const fs::path png = out_dir() / "report.png";
  write_report_png(png, model, 150, &rendered);
  QImage image(QString::fromStdString(png.string()));
  ASSERT_FALSE(image.isNull());
  EXPECT_EQ(image.width(), 1240);  // A4 at 150 dpi
  EXPECT_EQ(image.height(), 1754);

  const int colors = test::distinct_colors(image);
  RecordProperty("distinct_colors", colors);
  EXPECT_GT(colors, 100);

  const QRect bars = rendered.drop_bars_rect.toAlignedRect();
  const QRect chart = rendered.drop_chart_rect.toAlignedRect();
  ASSERT_TRUE(QRect(0, 0, 1240, 1754).contains(bars));
  ASSERT_TRUE(QRect(0, 0, 1240, 1754).contains(chart));
  // Bars: both sides' colours fill a real area (a bar is ~5 mm high at 150 dpi ≈ 30 px).
  EXPECT_GT(test::pixels_near(image, bars, left_color(), 10), 2000);
  EXPECT_GT(test::pixels_near(image, bars, right_color(), 10), 2000);
  // The right bar (6.5°) is longer than the left one (4°).
  EXPECT_GT(test::pixels_near(image, bars, right_color(), 10),
            test::pixels_near(image, bars, left_color(), 10));
  // Per-step chart: one mark per step in each colour, the plot is far from empty.
  EXPECT_GT(test::pixels_near(image, chart, left_color(), 30), 40 * 20);
  EXPECT_GT(test::pixels_near(image, chart, right_color(), 30), 40 * 20);
  EXPECT_GT(test::non_background_pixels(image, chart), 5000);

  const auto& texts = rendered.texts;
  EXPECT_TRUE(has_text_containing(texts, "Subject P-017"));
  EXPECT_TRUE(has_text_containing(texts, expected(model.summary.pelvic_drop_left_deg)));
  EXPECT_TRUE(has_text_containing(texts, expected(model.summary.pelvic_drop_right_deg)));
  EXPECT_TRUE(has_text_containing(texts, expected(model.summary.trunk_rotation_deg)));
  EXPECT_TRUE(has_text_containing(texts, "110.0"));
  EXPECT_TRUE(has_text_containing(texts, "steps/min"));
  EXPECT_TRUE(has_text_containing(texts, "2024-05-02 10:15 UTC"));
  EXPECT_TRUE(has_text_containing(texts, "80"));
  EXPECT_TRUE(has_text_containing(texts, "Left stance"));
  EXPECT_TRUE(has_text_containing(texts, "Right stance"));
  EXPECT_TRUE(has_text_containing(texts, "Mild pain on the right"));
  EXPECT_TRUE(has_text_containing(texts, "p017_baseline.h5"));
  EXPECT_TRUE(has_text_containing(texts, "0 min 52 s"));
  EXPECT_TRUE(has_text_containing(texts, "1 step during a turn left out"));
  EXPECT_TRUE(has_text_containing(texts, "Pelvic drop."));  // the explanations
  EXPECT_TRUE(has_text_containing(texts, "Cadence and step time."));
}

// A limp: left-stance steps 0.60 s, right-stance steps 0.40 s (stance 0.45 / 0.30 s).
ReportModel make_limp_model() {
  ReportModel m = make_model();
  double t = 5.0;
  for (std::size_t i = 0; i < m.steps.size(); ++i) {
    Step& s = m.steps[i];
    const bool left = s.side == Side::kLeft;
    s.time_s = t;
    s.step_time_s = left ? 0.60 : 0.40;
    s.cadence_spm = 60.0 / s.step_time_s;
    s.contact_time_s = left ? 0.45 : 0.30;
    t += s.step_time_s;
  }
  m.steps.front().step_time_s = 3.0;  // a bout edge, left out
  m.steps.front().flags |= kFlagBoutEdge;
  return m;
}

TEST(Report, StepTimeAsymmetryIsStatedWithBothSides) {
  const ReportModel model = make_limp_model();
  RenderedReport rendered;
  const fs::path png = out_dir() / "report_limp.png";
  write_report_png(png, model, 150, &rendered);
  const QImage image(QString::fromStdString(png.string()));
  ASSERT_FALSE(image.isNull());
  const auto& texts = rendered.texts;
  EXPECT_TRUE(has_text_containing(texts, "Step-time asymmetry 40.0 % (L 0.60 s / R 0.40 s)"));
  EXPECT_TRUE(has_text_containing(texts, "left-stance steps last 200 ms longer"));
  EXPECT_TRUE(has_text_containing(texts, "Stance L 0.45 s / R 0.30 s (asymmetry 40.0 %)"));
  EXPECT_TRUE(has_text_containing(texts, "over 38 left and 40 right good steps"));  // turn, edge
  EXPECT_TRUE(has_text_containing(texts, "a limp raises it"));  // the explanation
  EXPECT_FALSE(has_text_containing(texts, "…"));                // no explanation cut short
  // The line sits between the drop bars and the per-step chart, clear of both.
  const QRect bars = rendered.drop_bars_rect.toAlignedRect();
  const QRect chart = rendered.drop_chart_rect.toAlignedRect();
  const QRect between(bars.left(), bars.bottom() + 1, bars.width(),
                      chart.top() - bars.bottom() - 1);
  ASSERT_GT(between.height(), 30);
  EXPECT_GT(test::non_background_pixels(image, between), 500);

  // The same limp on the other leg, and symmetric steps.
  ReportModel mirrored = model;
  for (Step& s : mirrored.steps) s.side = s.side == Side::kLeft ? Side::kRight : Side::kLeft;
  render_report_image(mirrored, 72, &rendered);
  EXPECT_TRUE(
      has_text_containing(rendered.texts, "Step-time asymmetry 40.0 % (L 0.40 s / R 0.60 s)"));
  EXPECT_TRUE(has_text_containing(rendered.texts, "right-stance steps last 200 ms longer"));
  render_report_image(make_model(), 72, &rendered);  // 60/110 s on both sides
  EXPECT_TRUE(
      has_text_containing(rendered.texts, "Step-time asymmetry 0.0 % (L 0.55 s / R 0.55 s)"));
  EXPECT_TRUE(has_text_containing(rendered.texts, "left and right steps last equally long"));
  EXPECT_TRUE(has_text_containing(rendered.texts, "Stance time not measured"));  // none given
}

TEST(Report, StepTimeAsymmetryNeedsThreeGoodStepsASide) {
  ReportModel model = make_limp_model();
  // Only 2 right-stance steps stay good.
  int right = 0;
  for (Step& s : model.steps)
    if (s.side == Side::kRight && ++right > 2) s.flags |= kFlagLowSideConfidence;
  RenderedReport rendered;
  render_report_image(model, 72, &rendered);
  EXPECT_TRUE(has_text_containing(
      rendered.texts, "Step-time asymmetry – (L 0.60 s / R 0.40 s): too few good steps on a side"));
  EXPECT_FALSE(has_text_containing(rendered.texts, "steps last longer"));
}

TEST(Report, PdfIsAOnePageA4DocumentWithTheSameText) {
  const ReportModel model = make_model();
  RenderedReport png_render, pdf_render;
  render_report_image(model, 72, &png_render);
  const fs::path pdf = out_dir() / "report.pdf";
  write_report_pdf(pdf, model, &pdf_render);
  QFile file(QString::fromStdString(pdf.string()));
  ASSERT_TRUE(file.open(QIODevice::ReadOnly));
  const QByteArray bytes = file.readAll();
  EXPECT_TRUE(bytes.startsWith("%PDF-"));
  EXPECT_GT(bytes.size(), 5000);
  EXPECT_EQ(bytes.count("/Type /Page\n") + bytes.count("/Type /Page "), 1);
  EXPECT_TRUE(bytes.contains("/MediaBox [0 0 595"));  // A4 = 595 × 842 pt
  // The page is the same page whatever the device: identical text in identical order.
  EXPECT_EQ(pdf_render.texts, png_render.texts);
  EXPECT_TRUE(has_text_containing(pdf_render.texts, expected(model.summary.pelvic_drop_left_deg)));
}

TEST(Report, MissingSideSaysNotMeasured) {
  ReportModel model = make_model();
  model.summary.pelvic_drop_right_deg = MeanSd{};
  for (Step& s : model.steps)
    if (s.side == Side::kRight) s.pelvic_drop_deg = kNotMeasured;
  RenderedReport rendered;
  const QImage image = render_report_image(model, 100, &rendered);
  EXPECT_TRUE(has_text_containing(rendered.texts, "not measured"));
  EXPECT_LT(test::pixels_near(image, rendered.drop_chart_rect.toAlignedRect(), right_color(), 10),
            50);  // only the legend marker, if it falls inside
}

TEST(Report, UnwritablePathIsAnErrorNamingTheFile) {
  const ReportModel model = make_model();
  try {
    write_report_png("/nonexistent-dir/report.png", model);
    FAIL() << "expected stridelab::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/report.png"), std::string::npos);
  }
  EXPECT_THROW(write_report_pdf("/nonexistent-dir/report.pdf", model), Error);
}

}  // namespace
}  // namespace stridelab::report
