#pragma once
// The one-page patient report (A4 portrait) as PDF and PNG, drawn with QPainter only (Qt Gui,
// no widgets), so the command line can make it without a display.
#include <QImage>
#include <QPainter>
#include <QRectF>
#include <QString>

#include <filesystem>
#include <vector>

#include "stridelab/report/report_model.hpp"

namespace stridelab::report {

// A QPainter that also remembers every piece of text it drew, so tests (and anyone who needs
// the report as text) can read exactly what is on the page.
class Canvas {
 public:
  explicit Canvas(QPainter& painter) : painter_(painter) {}
  QPainter& painter() { return painter_; }
  void text(const QRectF& rect, int flags, const QString& s);
  const std::vector<QString>& texts() const { return texts_; }

 private:
  QPainter& painter_;
  std::vector<QString> texts_;
};

// Where things ended up, in device pixels of the target (image or PDF page).
struct RenderedReport {
  std::vector<QString> texts;  // every text drawn, in drawing order
  QRectF drop_bars_rect;       // left-vs-right pelvic drop bars
  QRectF drop_chart_rect;      // pelvic drop per step chart (plot area)
};

// Page geometry: the report is laid out in 0.1 mm units on a 2100 × 2970 A4 page.
inline constexpr int kPageWidth = 2100;
inline constexpr int kPageHeight = 2970;

// Draws the report into `painter`, whose device shows the whole A4 page in `device_rect`.
RenderedReport render_report(QPainter& painter, const QRect& device_rect, const ReportModel& model);

// The report as an image, `dpi` dots per inch (150 → 1240 × 1754 px).
QImage render_report_image(const ReportModel& model, int dpi = 150,
                           RenderedReport* rendered = nullptr);

// Writes the report; throw stridelab::Error naming the file if it cannot be written.
void write_report_png(const std::filesystem::path& path, const ReportModel& model, int dpi = 150,
                      RenderedReport* rendered = nullptr);
void write_report_pdf(const std::filesystem::path& path, const ReportModel& model,
                      RenderedReport* rendered = nullptr);

// Pieces of the report that the studio reuses on screen. Units: whatever `rect` is in;
// `unit` is the size of 1 mm in those units (fonts and lines scale with it).
void paint_drop_bars(Canvas& canvas, const QRectF& rect, const SummaryFigures& summary,
                     double unit);
// Returns the plot area it used.
QRectF paint_drop_per_step(Canvas& canvas, const QRectF& rect, const std::vector<Step>& steps,
                           const SummaryFigures& summary, double unit);

// Number formatting shared by the report and the studio: "5.1°", "5.1° ± 0.6°", "–".
QString format_deg(double deg);
QString format_mean_sd_deg(const MeanSd& v);
QString format_number(double v, int decimals);

}  // namespace stridelab::report
