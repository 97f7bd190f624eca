// Drawing pieces shared by the page and the studio: the left-vs-right bars and the
// drop-per-step chart, plus number formatting.
#include <QFontMetricsF>
#include <QPainterPath>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

#include "stridelab/dsp/summary.hpp"
#include "stridelab/report/palette.hpp"
#include "stridelab/report/report_renderer.hpp"

namespace stridelab::report {
namespace {

QFont font_pt(double pt, double unit, bool bold = false) {
  QFont f(QStringLiteral("DejaVu Sans"));
  f.setPixelSize(std::max(1, static_cast<int>(std::lround(pt * 0.3528 * unit))));
  f.setBold(bold);
  return f;
}

// A "nice" step (1, 2, 2.5, 5 × 10^k) giving about `target` intervals over `span`.
double nice_step(double span, int target) {
  if (!(span > 0)) return 1.0;
  const double raw = span / target;
  const double base = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0})
    if (raw <= m * base) return m * base;
  return 10 * base;
}

void draw_point(QPainter& p, const QPointF& at, Side side, double size, bool hollow) {
  const QColor c = side_color(side);
  p.setPen(QPen(c.darker(120), size * 0.18));
  p.setBrush(hollow ? QBrush(Qt::white) : QBrush(c));
  const QRectF box(at.x() - size / 2, at.y() - size / 2, size, size);
  if (side == Side::kRight)
    p.drawRect(box.adjusted(size * 0.06, size * 0.06, -size * 0.06, -size * 0.06));
  else
    p.drawEllipse(box);
}

}  // namespace

void Canvas::text(const QRectF& rect, int flags, const QString& s) {
  painter_.drawText(rect, flags, s);
  texts_.push_back(s);
}

QString format_number(double v, int decimals) {
  if (!std::isfinite(v)) return QStringLiteral("–");
  QString text = QString::number(v, 'f', decimals);
  // "-0.0" reads as a change where there is none.
  if (text.startsWith('-') && text.mid(1).count(QRegularExpression("[1-9]")) == 0)
    text.remove(0, 1);
  return text;
}

QString format_deg(double deg) {
  if (!std::isfinite(deg)) return QStringLiteral("–");
  return format_number(deg, 1) + QStringLiteral("°");
}

QString format_mean_sd_deg(const MeanSd& v) {
  if (!std::isfinite(v.mean)) return QStringLiteral("not measured");
  if (!std::isfinite(v.sd)) return format_deg(v.mean);
  return format_deg(v.mean) + QStringLiteral(" ± ") + format_deg(v.sd);
}

void paint_drop_bars(Canvas& canvas, const QRectF& rect, const SummaryFigures& summary,
                     double unit) {
  QPainter& p = canvas.painter();
  p.save();
  p.setRenderHint(QPainter::Antialiasing, true);
  struct Row {
    Side side;
    QString label, sublabel;
    MeanSd value;
  };
  const Row rows[2] = {
      {Side::kLeft, QStringLiteral("Left stance"), QStringLiteral("right side drops"),
       summary.pelvic_drop_left_deg},
      {Side::kRight, QStringLiteral("Right stance"), QStringLiteral("left side drops"),
       summary.pelvic_drop_right_deg},
  };
  // Scale: from min(0, lowest whisker) to the highest whisker, rounded to a nice step.
  double lo = 0.0, hi = 2.0;
  for (const Row& r : rows) {
    if (!std::isfinite(r.value.mean)) continue;
    const double sd = std::isfinite(r.value.sd) ? r.value.sd : 0.0;
    hi = std::max(hi, r.value.mean + sd);
    lo = std::min(lo, r.value.mean - sd);
  }
  const double step = nice_step(hi - lo, 5);
  hi = std::ceil(hi * 1.05 / step) * step;
  lo = std::floor(lo / step) * step;

  const double label_w = 36 * unit, value_w = 42 * unit, axis_h = 7 * unit;
  const QRectF bars(rect.left() + label_w, rect.top(), rect.width() - label_w - value_w,
                    rect.height() - axis_h);
  auto x_of = [&](double v) { return bars.left() + (v - lo) / (hi - lo) * bars.width(); };

  // Grid and axis.
  p.setFont(font_pt(7.5, unit));
  for (double v = lo; v <= hi + step * 1e-6; v += step) {
    const double x = x_of(v);
    p.setPen(QPen(QColor(0xDD, 0xDD, 0xDD), 0.2 * unit));
    p.drawLine(QPointF(x, bars.top()), QPointF(x, bars.bottom()));
    p.setPen(muted_text_color());
    canvas.text(QRectF(x - 8 * unit, bars.bottom() + 1 * unit, 16 * unit, 5 * unit),
                Qt::AlignHCenter | Qt::AlignTop, format_number(v, step < 1 ? 1 : 0) + "°");
  }
  p.setPen(QPen(text_color(), 0.3 * unit));
  p.drawLine(QPointF(x_of(0), bars.top()), QPointF(x_of(0), bars.bottom()));

  const double row_h = bars.height() / 2;
  for (int i = 0; i < 2; ++i) {
    const Row& r = rows[i];
    const QColor c = side_color(r.side);
    const double cy = bars.top() + row_h * (i + 0.5);
    const double bar_h = std::min(row_h * 0.55, 9 * unit);
    p.setPen(c);
    p.setFont(font_pt(10, unit, true));
    canvas.text(QRectF(rect.left(), cy - 5.5 * unit, label_w - 2 * unit, 5.5 * unit),
                Qt::AlignLeft | Qt::AlignBottom, r.label);
    p.setPen(muted_text_color());
    p.setFont(font_pt(7.5, unit));
    canvas.text(QRectF(rect.left(), cy, label_w - 2 * unit, 4.5 * unit),
                Qt::AlignLeft | Qt::AlignTop, "(" + r.sublabel + ")");
    const QRectF value_box(bars.right() + 3 * unit, cy - 5.5 * unit, value_w - 3 * unit, 11 * unit);
    if (!std::isfinite(r.value.mean)) {
      p.setPen(muted_text_color());
      p.setFont(font_pt(9, unit));
      canvas.text(value_box, Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("not measured"));
      continue;
    }
    const double x0 = x_of(0), x1 = x_of(r.value.mean);
    p.setPen(Qt::NoPen);
    p.setBrush(c);
    p.drawRect(QRectF(QPointF(std::min(x0, x1), cy - bar_h / 2),
                      QPointF(std::max(x0, x1), cy + bar_h / 2)));
    if (std::isfinite(r.value.sd) && r.value.sd > 0) {  // SD whisker with end caps
      const double a = x_of(r.value.mean - r.value.sd), b = x_of(r.value.mean + r.value.sd);
      p.setPen(QPen(text_color(), 0.35 * unit));
      p.drawLine(QPointF(a, cy), QPointF(b, cy));
      p.drawLine(QPointF(a, cy - bar_h * 0.3), QPointF(a, cy + bar_h * 0.3));
      p.drawLine(QPointF(b, cy - bar_h * 0.3), QPointF(b, cy + bar_h * 0.3));
    }
    p.setPen(text_color());
    p.setFont(font_pt(11, unit, true));
    canvas.text(value_box.adjusted(0, 0, 0, -5.5 * unit), Qt::AlignLeft | Qt::AlignBottom,
                format_mean_sd_deg(r.value));
    p.setPen(muted_text_color());
    p.setFont(font_pt(7.5, unit));
    canvas.text(value_box.adjusted(0, 5.5 * unit, 0, 0), Qt::AlignLeft | Qt::AlignTop,
                QStringLiteral("mean ± SD, n = %1 steps").arg(r.value.n));
  }
  p.restore();
}

QRectF paint_drop_per_step(Canvas& canvas, const QRectF& rect, const std::vector<Step>& steps,
                           const SummaryFigures& summary, double unit) {
  QPainter& p = canvas.painter();
  p.save();
  p.setRenderHint(QPainter::Antialiasing, true);
  const QRectF plot = rect.adjusted(14 * unit, 7 * unit, -2 * unit, -10 * unit);

  double t_lo = 0, t_hi = 1, v_lo = 0, v_hi = 2;
  bool any = false;
  for (const Step& s : steps) {
    if (!std::isfinite(s.pelvic_drop_deg)) continue;
    if (!any) t_lo = t_hi = s.time_s, v_lo = std::min(0.0, s.pelvic_drop_deg);
    any = true;
    t_lo = std::min(t_lo, s.time_s);
    t_hi = std::max(t_hi, s.time_s);
    v_lo = std::min(v_lo, s.pelvic_drop_deg);
    v_hi = std::max(v_hi, s.pelvic_drop_deg);
  }
  if (!(t_hi > t_lo)) t_hi = t_lo + 1;
  const double t_step = nice_step(t_hi - t_lo, 8);
  t_lo = std::floor(t_lo / t_step) * t_step;
  t_hi = std::ceil(t_hi / t_step) * t_step;
  const double v_step = nice_step(v_hi - v_lo, 5);
  v_lo = std::floor(v_lo / v_step) * v_step;
  v_hi = std::ceil(v_hi * 1.02 / v_step) * v_step;
  auto map = [&](double t, double v) {
    return QPointF(plot.left() + (t - t_lo) / (t_hi - t_lo) * plot.width(),
                   plot.bottom() - (v - v_lo) / (v_hi - v_lo) * plot.height());
  };

  p.setFont(font_pt(7.5, unit));
  for (double v = v_lo; v <= v_hi + v_step * 1e-6; v += v_step) {
    const double y = map(t_lo, v).y();
    p.setPen(QPen(QColor(0xE2, 0xE2, 0xE2), 0.2 * unit));
    p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
    p.setPen(muted_text_color());
    canvas.text(QRectF(rect.left(), y - 2.5 * unit, 12 * unit, 5 * unit),
                Qt::AlignRight | Qt::AlignVCenter,
                format_number(v, v_step < 1 ? 1 : 0) + QStringLiteral("°"));
  }
  for (double t = t_lo; t <= t_hi + t_step * 1e-6; t += t_step) {
    const double x = map(t, v_lo).x();
    p.setPen(QPen(QColor(0xE2, 0xE2, 0xE2), 0.2 * unit));
    p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    p.setPen(muted_text_color());
    canvas.text(QRectF(x - 8 * unit, plot.bottom() + 1 * unit, 16 * unit, 4 * unit),
                Qt::AlignHCenter | Qt::AlignTop, format_number(t, t_step < 1 ? 1 : 0));
  }
  p.setPen(QPen(muted_text_color(), 0.25 * unit));
  p.setBrush(Qt::NoBrush);
  p.drawRect(plot);
  canvas.text(QRectF(plot.left(), plot.bottom() + 5 * unit, plot.width(), 4.5 * unit),
              Qt::AlignHCenter | Qt::AlignTop, QStringLiteral("time (s)"));
  p.save();
  p.translate(rect.left() + 1 * unit, plot.center().y());
  p.rotate(-90);
  canvas.text(QRectF(-plot.height() / 2, 0, plot.height(), 4 * unit), Qt::AlignCenter,
              QStringLiteral("pelvic drop (°)"));
  p.restore();

  // Means first (under the points), dashed, in the side's colour.
  p.setClipRect(plot);
  for (const auto& [side, value] : {std::pair{Side::kLeft, summary.pelvic_drop_left_deg},
                                    std::pair{Side::kRight, summary.pelvic_drop_right_deg}}) {
    if (!std::isfinite(value.mean)) continue;
    p.setPen(QPen(side_color(side), 0.45 * unit, Qt::DashLine));
    p.drawLine(map(t_lo, value.mean), map(t_hi, value.mean));
  }
  const double point = 1.9 * unit;
  for (const Step& s : steps) {
    if (!std::isfinite(s.pelvic_drop_deg)) continue;
    // Hollow = left out of the means, by the same rule as the analysis summary.
    const bool doubtful = (s.flags & dsp::SummaryAccumulator::kBadFlags) != 0;
    draw_point(p, map(s.time_s, s.pelvic_drop_deg), s.side, point, doubtful);
  }
  p.setClipping(false);

  // Legend above the plot, right-aligned: marker + word for each side.
  p.setFont(font_pt(7.5, unit));
  const QFontMetricsF fm(p.font());
  double x = plot.right();
  const double y = plot.top() - 3.5 * unit;
  const std::pair<Side, QString> items[] = {{Side::kRight, QStringLiteral("Right stance")},
                                            {Side::kLeft, QStringLiteral("Left stance")}};
  for (const auto& [side, label] : items) {
    const double w = fm.horizontalAdvance(label) + 1 * unit;
    x -= w;
    p.setPen(side_color(side));
    canvas.text(QRectF(x, y - 2.5 * unit, w, 5 * unit), Qt::AlignLeft | Qt::AlignVCenter, label);
    draw_point(p, QPointF(x - 2.2 * unit, y), side, point, false);
    x -= 7 * unit;
  }
  p.setPen(muted_text_color());
  const QString hint = QStringLiteral("dashed: mean · hollow: doubtful step, not in the mean");
  const double w = fm.horizontalAdvance(hint) + 1 * unit;
  canvas.text(QRectF(plot.left(), y - 2.5 * unit, w, 5 * unit), Qt::AlignLeft | Qt::AlignVCenter,
              hint);
  p.restore();
  return plot;
}

}  // namespace stridelab::report
