// The A4 page: header, session details, key figures, left-vs-right pelvic drop with the
// step-time asymmetry, drop per step, notes, plain-language explanations, quality notes and a
// footer. Laid out in 0.1 mm units.
#include "stridelab/report/report_renderer.hpp"

#include <QDateTime>
#include <QFontMetricsF>
#include <QPdfWriter>

#include <cmath>

#include "report/step_time_figures.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/report/palette.hpp"

namespace stridelab::report {
namespace {

constexpr double kUnit = 10.0;  // 0.1 mm units per mm
constexpr double kMargin = 15 * kUnit;
constexpr double kContentW = kPageWidth - 2 * kMargin;

QFont font_pt(double pt, bool bold = false) {
  QFont f(QStringLiteral("DejaVu Sans"));
  f.setPixelSize(static_cast<int>(std::lround(pt * 0.3528 * kUnit)));
  f.setBold(bold);
  return f;
}

QString qs(const std::string& s) {
  return QString::fromStdString(s);
}

QString format_duration(double s) {
  if (!std::isfinite(s) || s < 0) return QStringLiteral("–");
  const int total = static_cast<int>(std::lround(s));
  return QStringLiteral("%1 min %2 s").arg(total / 60).arg(total % 60, 2, 10, QChar('0'));
}

// "2024-05-02T10:15:00Z" → "2024-05-02 10:15 UTC"; anything else is shown as it is.
QString format_date(const std::string& iso) {
  if (iso.empty()) return QStringLiteral("date not recorded");
  const QDateTime t = QDateTime::fromString(qs(iso), Qt::ISODate);
  if (!t.isValid()) return qs(iso);
  return t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm")) + QStringLiteral(" UTC");
}

// Cuts `text` at a word boundary so that it fits into `rect` when word-wrapped.
QString fit_wrapped(const QString& text, const QFont& font, const QRectF& rect) {
  const QFontMetricsF fm(font);
  auto fits = [&](const QString& s) {
    return fm.boundingRect(rect, Qt::TextWordWrap, s).height() <= rect.height();
  };
  if (fits(text)) return text;
  QString cut = text;
  while (!cut.isEmpty()) {
    const qsizetype space = cut.lastIndexOf(' ');
    cut = space > 0 ? cut.left(space) : QString();
    if (fits(cut + QStringLiteral(" …"))) return cut + QStringLiteral(" …");
  }
  return QStringLiteral("…");
}

void section_title(Canvas& c, double y, const QString& title) {
  QPainter& p = c.painter();
  p.setPen(accent_color());
  p.setFont(font_pt(11.5, true));
  c.text(QRectF(kMargin, y, kContentW, 7 * kUnit), Qt::AlignLeft | Qt::AlignBottom, title);
  p.setPen(QPen(QColor(0xC8, 0xD0, 0xD6), 0.3 * kUnit));
  p.drawLine(QPointF(kMargin, y + 8 * kUnit), QPointF(kMargin + kContentW, y + 8 * kUnit));
}

void draw_header(Canvas& c, const ReportModel& m) {
  QPainter& p = c.painter();
  p.fillRect(QRectF(0, 0, kPageWidth, 28 * kUnit), accent_color());
  p.setPen(Qt::white);
  p.setFont(font_pt(19, true));
  c.text(QRectF(kMargin, 5 * kUnit, 120 * kUnit, 10 * kUnit), Qt::AlignLeft | Qt::AlignVCenter,
         QStringLiteral("Gait assessment report"));
  p.setFont(font_pt(9.5));
  p.setPen(QColor(0xCF, 0xDC, 0xE6));
  c.text(
      QRectF(kMargin, 16 * kUnit, 130 * kUnit, 7 * kUnit), Qt::AlignLeft | Qt::AlignVCenter,
      QStringLiteral("Pelvic drop · trunk rotation · cadence, from a sacrum-worn motion sensor"));
  p.setPen(Qt::white);
  p.setFont(font_pt(12, true));
  const QString subject = m.session.subject_id.empty()
                              ? QStringLiteral("Subject not named")
                              : QStringLiteral("Subject ") + qs(m.session.subject_id);
  c.text(QRectF(kMargin + kContentW - 70 * kUnit, 5 * kUnit, 70 * kUnit, 10 * kUnit),
         Qt::AlignRight | Qt::AlignVCenter, subject);
  p.setFont(font_pt(9.5));
  p.setPen(QColor(0xCF, 0xDC, 0xE6));
  c.text(QRectF(kMargin + kContentW - 70 * kUnit, 16 * kUnit, 70 * kUnit, 7 * kUnit),
         Qt::AlignRight | Qt::AlignVCenter, format_date(m.session.date));
}

void draw_details(Canvas& c, const ReportModel& m, double y) {
  QPainter& p = c.painter();
  const SessionDetails& s = m.session;
  QString analysed = QStringLiteral("whole recording");
  if (std::isfinite(s.range_from_s) && std::isfinite(s.range_to_s))
    analysed = QStringLiteral("%1 s to %2 s")
                   .arg(format_number(s.range_from_s, 1), format_number(s.range_to_s, 1));
  const std::pair<QString, QString> items[] = {
      {QStringLiteral("Activity"),
       m.summary.activity.empty() ? QStringLiteral("–") : qs(m.summary.activity)},
      {QStringLiteral("Duration"), format_duration(s.duration_s)},
      {QStringLiteral("Analysed"), analysed},
      {QStringLiteral("Sensor"), s.sensor.empty() ? QStringLiteral("–") : qs(s.sensor)},
      {QStringLiteral("File"), s.file.empty() ? QStringLiteral("–") : qs(s.file)},
      {QStringLiteral("Software"), QStringLiteral("stridelab ") + qs(s.tool_version)},
  };
  const double col_w = kContentW / 2, row_h = 5.6 * kUnit, key_w = 22 * kUnit;
  for (int i = 0; i < 6; ++i) {
    const double x = kMargin + (i % 2) * col_w;
    const double yy = y + (i / 2) * row_h;
    p.setFont(font_pt(8.5));
    p.setPen(muted_text_color());
    c.text(QRectF(x, yy, key_w, row_h), Qt::AlignLeft | Qt::AlignVCenter, items[i].first);
    p.setFont(font_pt(9));
    p.setPen(text_color());
    const QString value = QFontMetricsF(p.font()).elidedText(items[i].second, Qt::ElideMiddle,
                                                             col_w - key_w - 3 * kUnit);
    c.text(QRectF(x + key_w, yy, col_w - key_w - 3 * kUnit, row_h),
           Qt::AlignLeft | Qt::AlignVCenter, value);
  }
}

void draw_card(Canvas& c, const QRectF& r, const QString& title, const QString& value,
               const QString& unit, const QString& detail) {
  QPainter& p = c.painter();
  p.setPen(Qt::NoPen);
  p.setBrush(QColor(0xF2, 0xF5, 0xF7));
  p.drawRoundedRect(r, 1.5 * kUnit, 1.5 * kUnit);
  const double inner_w = r.width() - 5 * kUnit;
  p.setPen(muted_text_color());
  p.setFont(font_pt(8));
  c.text(QRectF(r.left() + 3 * kUnit, r.top() + 2 * kUnit, inner_w, 5 * kUnit),
         Qt::AlignLeft | Qt::AlignVCenter, title);
  p.setPen(text_color());
  p.setFont(font_pt(15, true));
  const QRectF value_rect(r.left() + 3 * kUnit, r.top() + 8.5 * kUnit, inner_w, 8 * kUnit);
  c.text(value_rect, Qt::AlignLeft | Qt::AlignVCenter, value);
  if (!unit.isEmpty()) {  // the unit in small type right after the value
    const double value_w = QFontMetricsF(p.font()).horizontalAdvance(value);
    p.setFont(font_pt(9));
    p.setPen(muted_text_color());
    c.text(value_rect.adjusted(value_w + 1.5 * kUnit, 0, 0, -1 * kUnit),
           Qt::AlignLeft | Qt::AlignBottom, unit);
  }
  p.setPen(muted_text_color());
  p.setFont(font_pt(7.5));
  c.text(QRectF(r.left() + 3 * kUnit, r.top() + 16.5 * kUnit, inner_w, 5 * kUnit),
         Qt::AlignLeft | Qt::AlignVCenter, detail);
}

void draw_key_figures(Canvas& c, const ReportModel& m, double y) {
  const SummaryFigures& f = m.summary;
  const double gap = 4 * kUnit, w = (kContentW - 3 * gap) / 4, h = 23 * kUnit;
  const double diff = f.pelvic_drop_right_deg.mean - f.pelvic_drop_left_deg.mean;
  QString diff_text = QStringLiteral("–");
  if (std::isfinite(diff))
    diff_text = (diff > 0 ? QStringLiteral("+") : QString()) + format_deg(diff);
  draw_card(c, QRectF(kMargin, y, w, h), QStringLiteral("Cadence"),
            format_number(f.mean_cadence_spm, 1), QStringLiteral("steps/min"),
            QStringLiteral("mean over the session"));
  draw_card(c, QRectF(kMargin + (w + gap), y, w, h), QStringLiteral("Steps"),
            QString::number(f.steps), QString(), QStringLiteral("detected, left and right"));
  draw_card(c, QRectF(kMargin + 2 * (w + gap), y, w, h), QStringLiteral("Trunk rotation"),
            format_mean_sd_deg(f.trunk_rotation_deg), QString(),
            QStringLiteral("per stride, mean ± SD"));
  draw_card(c, QRectF(kMargin + 3 * (w + gap), y, w, h), QStringLiteral("Drop difference"),
            diff_text, QString(), QStringLiteral("right minus left stance"));
}

// Two lines under the drop bars: the step-time asymmetry with both sides' step times (bold)
// and in plain words which side's steps last longer; then the stance times and how many steps
// the figures are over. The figures come from the analysed steps through the summary's own
// accumulator (step_time_figures), so they are the summary's.
void draw_step_time_lines(Canvas& c, const ReportModel& m, double y) {
  QPainter& p = c.painter();
  const StepTimeFigures f = step_time_figures(m.steps);
  const QRectF first(kMargin, y, kContentW, 5 * kUnit);
  p.setFont(font_pt(9.5, true));
  p.setPen(text_color());
  const QString head = step_time_asymmetry_text(f);
  c.text(first, Qt::AlignLeft | Qt::AlignVCenter, head);
  const double used = QFontMetricsF(p.font()).horizontalAdvance(head) + 2 * kUnit;
  p.setFont(font_pt(8));
  p.setPen(muted_text_color());
  const QString meaning = step_time_asymmetry_meaning(f);
  if (!meaning.isEmpty())
    c.text(first.adjusted(used, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
           QStringLiteral("·  ") + meaning);
  const QString counts = QStringLiteral("  ·  over %1 left and %2 right good steps")
                             .arg(f.step_left_s.n)
                             .arg(f.step_right_s.n);
  const QString second = stance_time_text(f) + counts;
  c.text(QRectF(kMargin, y + 5 * kUnit, kContentW, 4.5 * kUnit), Qt::AlignLeft | Qt::AlignVCenter,
         QFontMetricsF(p.font()).elidedText(second, Qt::ElideRight, kContentW));
}

void draw_paragraphs(Canvas& c, double y, double height) {
  QPainter& p = c.painter();
  const std::pair<QString, QString> items[] = {
      {QStringLiteral("Pelvic drop."),
       QStringLiteral("The largest dip of the pelvis on the side of the swinging leg in each "
                      "step, compared with standing still. “Left stance” = standing on the left "
                      "leg (the right side dips). A large or one-sided dip can point to weak hip "
                      "muscles.")},
      {QStringLiteral("Trunk rotation."),
       QStringLiteral("How far the pelvis turns around the vertical axis during one stride "
                      "(one left and one right step). Turns along the walking path are removed.")},
      {QStringLiteral("Cadence and step time."),
       QStringLiteral("Steps per minute; shorter, quicker steps often reduce pelvic drop and "
                      "joint load. Step-time asymmetry: how much longer the steps on one leg "
                      "last than on the other (0 % = even); a limp raises it.")},
      {QStringLiteral("Mean ± SD."),
       QStringLiteral("The average over all good steps, and how much steps vary around it "
                      "(standard deviation). Doubtful steps (turns, signal gaps, unsure side) "
                      "are drawn hollow and left out of the averages.")},
  };
  const double col_gap = 6 * kUnit, col_w = (kContentW - col_gap) / 2;
  const double box_h = height / 2;
  for (int i = 0; i < 4; ++i) {
    const QRectF box(kMargin + (i % 2) * (col_w + col_gap), y + (i / 2) * box_h, col_w,
                     box_h - 1 * kUnit);
    p.setFont(font_pt(8.5, true));
    p.setPen(accent_color());
    c.text(QRectF(box.left(), box.top(), box.width(), 5 * kUnit), Qt::AlignLeft | Qt::AlignVCenter,
           items[i].first);
    p.setFont(font_pt(8.2));
    p.setPen(text_color());
    const QRectF body = box.adjusted(0, 5.5 * kUnit, 0, 0);
    c.text(body, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
           fit_wrapped(items[i].second, p.font(), body));
  }
}

void draw_notes_and_quality(Canvas& c, const ReportModel& m, double y, double height) {
  QPainter& p = c.painter();
  const double col_gap = 6 * kUnit, col_w = (kContentW - col_gap) / 2;
  const QRectF notes(kMargin, y, col_w, height);
  const QRectF quality(kMargin + col_w + col_gap, y, col_w, height);
  for (const auto& [box, title] : {std::pair{notes, QStringLiteral("Notes")},
                                   std::pair{quality, QStringLiteral("Data quality")}}) {
    p.setPen(QPen(QColor(0xC8, 0xD0, 0xD6), 0.3 * kUnit));
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(box, 1.5 * kUnit, 1.5 * kUnit);
    p.setPen(accent_color());
    p.setFont(font_pt(8.5, true));
    c.text(QRectF(box.left() + 3 * kUnit, box.top() + 1.5 * kUnit, box.width(), 5 * kUnit),
           Qt::AlignLeft | Qt::AlignVCenter, title);
  }
  p.setFont(font_pt(8.2));
  p.setPen(text_color());
  const QRectF notes_body = notes.adjusted(3 * kUnit, 7.5 * kUnit, -3 * kUnit, -2 * kUnit);
  const QString notes_text =
      m.session.notes.empty() ? QStringLiteral("No notes were recorded.") : qs(m.session.notes);
  c.text(notes_body, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
         fit_wrapped(notes_text, p.font(), notes_body));
  QString quality_text;
  for (const std::string& q : m.summary.quality_notes) quality_text += "• " + qs(q) + "\n";
  if (quality_text.isEmpty()) quality_text = QStringLiteral("No quality problems were found.");
  const QRectF quality_body = quality.adjusted(3 * kUnit, 7.5 * kUnit, -3 * kUnit, -2 * kUnit);
  c.text(quality_body, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
         fit_wrapped(quality_text.trimmed(), p.font(), quality_body));
}

void draw_footer(Canvas& c, const ReportModel& m) {
  QPainter& p = c.painter();
  const double y = kPageHeight - 12 * kUnit;
  p.setPen(QPen(QColor(0xC8, 0xD0, 0xD6), 0.3 * kUnit));
  p.drawLine(QPointF(kMargin, y), QPointF(kMargin + kContentW, y));
  p.setFont(font_pt(7));
  p.setPen(muted_text_color());
  c.text(QRectF(kMargin, y + 1 * kUnit, kContentW * 0.75, 5 * kUnit),
         Qt::AlignLeft | Qt::AlignVCenter,
         QStringLiteral("Made with stridelab %1 on %2. Supports clinical judgement; it is not "
                        "a diagnosis.")
             .arg(qs(m.session.tool_version),
                  QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))));
  c.text(QRectF(kMargin + kContentW * 0.75, y + 1 * kUnit, kContentW * 0.25, 5 * kUnit),
         Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("page 1 of 1"));
}

}  // namespace

RenderedReport render_report(QPainter& painter, const QRect& device_rect,
                             const ReportModel& model) {
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing, true);
  painter.setRenderHint(QPainter::TextAntialiasing, true);
  painter.setViewport(device_rect);
  painter.setWindow(0, 0, kPageWidth, kPageHeight);
  painter.fillRect(QRectF(0, 0, kPageWidth, kPageHeight), Qt::white);
  Canvas canvas(painter);
  RenderedReport out;

  draw_header(canvas, model);
  section_title(canvas, 31 * kUnit, QStringLiteral("Session"));
  draw_details(canvas, model, 41 * kUnit);
  draw_key_figures(canvas, model, 61 * kUnit);

  section_title(canvas, 86 * kUnit, QStringLiteral("Pelvic drop: left vs right stance"));
  const QRectF bars(kMargin, 96 * kUnit, kContentW, 30 * kUnit);
  paint_drop_bars(canvas, bars, model.summary, kUnit);
  draw_step_time_lines(canvas, model, 126.5 * kUnit);

  section_title(canvas, 138 * kUnit, QStringLiteral("Pelvic drop in every step"));
  const QRectF chart(kMargin, 148 * kUnit, kContentW, 58 * kUnit);
  const QRectF plot = paint_drop_per_step(canvas, chart, model.steps, model.summary, kUnit);

  section_title(canvas, 208 * kUnit, QStringLiteral("What the numbers mean"));
  draw_paragraphs(canvas, 218 * kUnit, 42 * kUnit);
  draw_notes_and_quality(canvas, model, 261 * kUnit, 22 * kUnit);
  draw_footer(canvas, model);

  const QTransform to_device = painter.combinedTransform();
  out.drop_bars_rect = to_device.mapRect(bars);
  out.drop_chart_rect = to_device.mapRect(plot);
  out.texts = canvas.texts();
  painter.restore();
  return out;
}

QImage render_report_image(const ReportModel& model, int dpi, RenderedReport* rendered) {
  const int w = static_cast<int>(std::lround(210.0 / 25.4 * dpi));
  const int h = static_cast<int>(std::lround(297.0 / 25.4 * dpi));
  QImage image(w, h, QImage::Format_RGB32);
  const int dots_per_m = static_cast<int>(std::lround(dpi / 0.0254));
  image.setDotsPerMeterX(dots_per_m);
  image.setDotsPerMeterY(dots_per_m);
  image.fill(Qt::white);
  QPainter painter(&image);
  RenderedReport r = render_report(painter, QRect(0, 0, w, h), model);
  painter.end();
  if (rendered) *rendered = std::move(r);
  return image;
}

void write_report_png(const std::filesystem::path& path, const ReportModel& model, int dpi,
                      RenderedReport* rendered) {
  const QImage image = render_report_image(model, dpi, rendered);
  if (!image.save(QString::fromStdString(path.string()), "PNG"))
    fail_at(path.string(), "cannot write the PNG report");
}

void write_report_pdf(const std::filesystem::path& path, const ReportModel& model,
                      RenderedReport* rendered) {
  QPdfWriter writer(QString::fromStdString(path.string()));
  writer.setPageSize(QPageSize(QPageSize::A4));
  writer.setPageMargins(QMarginsF(0, 0, 0, 0));
  writer.setResolution(300);
  writer.setTitle(QStringLiteral("Gait assessment report ") +
                  QString::fromStdString(model.session.subject_id));
  writer.setCreator(QStringLiteral("stridelab ") +
                    QString::fromStdString(model.session.tool_version));
  QPainter painter;
  if (!painter.begin(&writer)) fail_at(path.string(), "cannot write the PDF report");
  const QRect page = writer.pageLayout().paintRectPixels(writer.resolution());
  RenderedReport r = render_report(painter, QRect(0, 0, page.width(), page.height()), model);
  if (!painter.end()) fail_at(path.string(), "cannot finish the PDF report");
  if (rendered) *rendered = std::move(r);
}

}  // namespace stridelab::report
