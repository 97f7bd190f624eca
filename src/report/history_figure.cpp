// The history figure: a 3 × 2 grid of panels (five metrics, then the weekly volume) under a
// title line. Each metric panel: x = days since the first session, every session's mean with
// an SD whisker, the least-squares line, and one line of text with the change per week, the
// total change and the MDC95.
#include "stridelab/report/history_figure.hpp"

#include <QPainter>

#include <algorithm>
#include <cmath>

#include "stridelab/core/error.hpp"
#include "stridelab/report/palette.hpp"
#include "stridelab/report/report_renderer.hpp"

namespace stridelab::report {
namespace {

using history::Metric;
constexpr double kDay = 86400.0;

QColor metric_color(Metric m) {
  if (m == Metric::kDropLeft) return left_color();
  if (m == Metric::kDropRight) return right_color();
  return accent_color();
}

QFont font_px(int px, bool bold = false) {
  QFont f(QStringLiteral("DejaVu Sans"));
  f.setPixelSize(px);
  f.setBold(bold);
  return f;
}

struct Axes {
  QRectF plot;
  double x0, x1, y0, y1;
  QPointF map(double x, double y) const {
    return {plot.left() + (x - x0) / (x1 - x0) * plot.width(),
            plot.bottom() - (y - y0) / (y1 - y0) * plot.height()};
  }
};

// Frame, y grid with labels, the x title and (x_days) a day label every week.
void draw_frame(Canvas& c, const Axes& a, const QString& title, const QString& x_title,
                bool x_days) {
  QPainter& p = c.painter();
  p.setPen(text_color());
  p.setFont(font_px(17, true));
  c.text(QRectF(a.plot.left(), a.plot.top() - 52, a.plot.width(), 24), Qt::AlignLeft, title);
  p.setFont(font_px(12));
  const double span = a.y1 - a.y0;
  const double raw = span / 4, base = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10 * base;
  for (double m : {1.0, 2.0, 2.5, 5.0})
    if (raw <= m * base) {
      step = m * base;
      break;
    }
  for (double y = std::ceil(a.y0 / step) * step; y <= a.y1 + 1e-9; y += step) {
    const QPointF at = a.map(a.x0, y);
    p.setPen(QPen(QColor(225, 225, 225), 1));
    p.drawLine(QPointF(a.plot.left(), at.y()), QPointF(a.plot.right(), at.y()));
    p.setPen(muted_text_color());
    c.text(QRectF(a.plot.left() - 60, at.y() - 8, 54, 16), Qt::AlignRight | Qt::AlignVCenter,
           format_number(y, step < 1 ? 1 : 0));
  }
  p.setPen(QPen(muted_text_color(), 1));
  p.setBrush(Qt::NoBrush);
  p.drawRect(a.plot);
  if (x_days)  // a tick a week
    for (double d = 0; d <= a.x1; d += 7)
      c.text(QRectF(a.map(d, a.y0).x() - 30, a.plot.bottom() + 3, 60, 16), Qt::AlignHCenter,
             format_number(d, 0));
  c.text(QRectF(a.plot.left(), a.plot.bottom() + 20, a.plot.width(), 16), Qt::AlignHCenter,
         x_title);
}

void metric_panel(Canvas& c, const QRectF& box, const history::History& h, Metric m) {
  const double t0 = h.sessions.front().start_unix_s;
  std::vector<QPointF> pts;
  std::vector<double> sds;
  double lo = 1e300, hi = -1e300;
  for (const auto& s : h.sessions) {
    const auto& f = s.figure(m);
    if (!std::isfinite(f.mean)) continue;
    const double sd = std::isfinite(f.sd) ? f.sd : 0.0;
    pts.emplace_back((s.start_unix_s - t0) / kDay, f.mean);
    sds.push_back(sd);
    lo = std::min(lo, f.mean - sd);
    hi = std::max(hi, f.mean + sd);
  }
  const double days = std::max(1.0, (h.sessions.back().start_unix_s - t0) / kDay);
  if (pts.empty()) lo = 0, hi = 1;
  const double pad = std::max(0.1 * (hi - lo), 0.5);
  const Axes a{box.adjusted(70, 60, -10, -44), -0.04 * days, 1.04 * days, lo - pad, hi + pad};
  draw_frame(c, a, QString::fromStdString(history::metric_label(m)),
             QStringLiteral("days since %1").arg(QString::fromStdString(history::format_date(t0))),
             true);
  QPainter& p = c.painter();
  p.save();
  p.setClipRect(a.plot);
  const QColor color = metric_color(m);
  const history::Trend& t = h.trend(m);
  if (std::isfinite(t.per_week)) {
    p.setPen(QPen(color, 2, Qt::DashLine));
    const double last = pts.back().x();
    p.drawLine(a.map(pts.front().x(), t.intercept),
               a.map(last, t.intercept + t.per_week / 7 * (last - pts.front().x())));
  }
  for (std::size_t i = 0; i < pts.size(); ++i) {
    p.setPen(QPen(color, 1.5));
    p.drawLine(a.map(pts[i].x(), pts[i].y() - sds[i]), a.map(pts[i].x(), pts[i].y() + sds[i]));
    p.setBrush(color);
    p.drawEllipse(a.map(pts[i].x(), pts[i].y()), 5, 5);
  }
  p.restore();
  p.setPen(text_color());
  p.setFont(font_px(13));
  const QString verdict =
      !std::isfinite(t.total_change)
          ? QStringLiteral("too few sessions for a trend")
          : QStringLiteral("%1 per week, total %2 (MDC95 %3): %4")
                .arg(format_number(t.per_week, 2), format_number(t.total_change, 2),
                     format_number(t.mdc95, 2),
                     t.exceeds_mdc ? QStringLiteral("beyond the noise")
                                   : QStringLiteral("within the noise"));
  c.text(QRectF(a.plot.left(), a.plot.top() - 26, a.plot.width(), 20), Qt::AlignLeft, verdict);
}

void volume_panel(Canvas& c, const QRectF& box, const history::History& h) {
  double top = 1.0;
  for (const auto& w : h.weeks) top = std::max(top, w.gait_minutes);
  const double n = static_cast<double>(h.weeks.size());
  const Axes a{box.adjusted(70, 60, -10, -44), -0.5, n - 0.5, 0.0, top * 1.2};
  draw_frame(c, a, QStringLiteral("Weekly volume (minutes of gait)"),
             QStringLiteral("week starting (Monday, UTC)"), false);
  QPainter& p = c.painter();
  p.setFont(font_px(11));
  for (std::size_t i = 0; i < h.weeks.size(); ++i) {
    const auto& w = h.weeks[i];
    const QPointF base = a.map(i - 0.35, 0), tip = a.map(i + 0.35, w.gait_minutes);
    p.fillRect(QRectF(base, tip).normalized(), accent_color().lighter(160));
    p.setPen(text_color());
    const QString change = std::isfinite(w.minutes_change_pct)
                               ? QStringLiteral("%1%").arg(format_number(w.minutes_change_pct, 0))
                               : QString();
    c.text(QRectF(tip.x() - 60, tip.y() - 18, 60 + (base.x() - tip.x()) + 60, 16), Qt::AlignHCenter,
           change);
    if (h.weeks.size() <= 12 || i % 2 == 0)
      c.text(QRectF(a.map(i, 0).x() - 45, a.plot.bottom() + 3, 90, 16), Qt::AlignHCenter,
             QString::fromStdString(w.start_date));
  }
}

}  // namespace

QImage render_history_image(const history::History& h, RenderedHistory* rendered) {
  if (h.sessions.empty()) throw Error("history figure: no sessions");
  QImage image(kHistoryWidth, kHistoryHeight, QImage::Format_RGB32);
  image.fill(Qt::white);
  QPainter painter(&image);
  painter.setRenderHint(QPainter::Antialiasing, true);
  Canvas c(painter);
  painter.setPen(accent_color());
  painter.setFont(font_px(22, true));
  c.text(QRectF(20, 10, kHistoryWidth - 40, 32), Qt::AlignLeft,
         QStringLiteral("History of %1: %2 sessions, %3 to %4")
             .arg(QString::fromStdString(h.subject))
             .arg(h.sessions.size())
             .arg(QString::fromStdString(history::format_date(h.sessions.front().start_unix_s)),
                  QString::fromStdString(history::format_date(h.sessions.back().start_unix_s))));
  const double w = kHistoryWidth / 2.0, row = (kHistoryHeight - 50) / 3.0;
  for (int i = 0; i < 6; ++i) {
    const QRectF box(i % 2 * w, 50 + i / 2 * row, w, row);
    if (i < history::kMetricCount)
      metric_panel(c, box, h, history::kMetrics[static_cast<std::size_t>(i)]);
    else
      volume_panel(c, box, h);
  }
  painter.end();
  if (rendered) rendered->texts = c.texts();
  return image;
}

void write_history_png(const std::filesystem::path& path, const history::History& h,
                       RenderedHistory* rendered) {
  if (!render_history_image(h, rendered).save(QString::fromStdString(path.string()), "PNG"))
    throw Error(path.string() + ": cannot write PNG");
}

}  // namespace stridelab::report
