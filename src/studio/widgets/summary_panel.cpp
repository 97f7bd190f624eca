#include "studio/widgets/summary_panel.hpp"

#include <QGridLayout>
#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>

#include <algorithm>
#include <map>
#include <tuple>

#include <cmath>

#include "stridelab/report/palette.hpp"
#include "stridelab/report/report_renderer.hpp"
#include "stridelab/report/session.hpp"

namespace stridelab::studio {

DropBarsWidget::DropBarsWidget(QWidget* parent) : QWidget(parent) {
  setMinimumHeight(110);
  setMaximumHeight(170);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void DropBarsWidget::setFigures(const report::SummaryFigures& figures) {
  figures_ = figures;
  has_figures_ = true;
  update();
}

void DropBarsWidget::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), palette().base());
  if (!has_figures_) return;
  report::Canvas canvas(painter);
  // The report's layout is in millimetres; on screen 1 mm ≈ 3 px keeps the fonts readable.
  const double unit = std::clamp(width() / 130.0, 2.4, 3.4);
  report::paint_drop_bars(canvas, QRectF(rect()).adjusted(8, 6, -6, -4), figures_, unit);
}

SummaryPanel::SummaryPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(8, 8, 8, 8);
  layout->setSpacing(6);

  auto* title = new QLabel(tr("Summary"));
  title->setObjectName("sectionTitle");
  layout->addWidget(title);

  auto* grid = new QGridLayout();
  grid->setHorizontalSpacing(14);
  grid->setVerticalSpacing(2);
  addFigure(grid, 0, 0, "cadence", tr("Cadence (steps/min)"));
  addFigure(grid, 0, 1, "steps", tr("Steps"));
  addFigure(grid, 2, 0, "trunk_rotation", tr("Trunk rotation per stride"));
  addFigure(grid, 2, 1, "drop_difference", tr("Drop difference R − L"));
  addFigure(grid, 4, 0, "contact_time", tr("Contact time (s)"));
  addFigure(grid, 4, 1, "activity", tr("Activity"));
  layout->addLayout(grid);

  auto* drop_title = new QLabel(tr("Pelvic drop: left vs right stance"));
  drop_title->setObjectName("sectionTitle");
  layout->addSpacing(4);
  layout->addWidget(drop_title);
  bars_ = new DropBarsWidget();
  layout->addWidget(bars_);
  // The bar values also as plain text (screen readers, tests, copy & paste).
  auto* drops = new QGridLayout();
  for (const auto& [key, side, title_text] :
       {std::tuple{QStringLiteral("drop_left"), Side::kLeft, tr("Left stance")},
        std::tuple{QStringLiteral("drop_right"), Side::kRight, tr("Right stance")}}) {
    const int column = side == Side::kLeft ? 0 : 1;
    auto* name = new QLabel(title_text);
    name->setStyleSheet(
        QStringLiteral("color: %1; font-weight: bold;").arg(report::side_color(side).name()));
    auto* value = new QLabel(QStringLiteral("–"));
    value->setObjectName("value_" + key);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    drops->addWidget(name, 0, column);
    drops->addWidget(value, 1, column);
    values_[key] = value;
  }
  layout->addLayout(drops);

  auto* quality_title = new QLabel(tr("Calibration and data quality"));
  quality_title->setObjectName("sectionTitle");
  layout->addSpacing(4);
  layout->addWidget(quality_title);
  auto* neutral = new QLabel(QStringLiteral("–"));
  neutral->setObjectName("value_neutral");
  neutral->setWordWrap(true);
  values_["neutral"] = neutral;
  layout->addWidget(neutral);
  quality_ = new QLabel(QStringLiteral("–"));
  quality_->setObjectName("value_quality");
  quality_->setWordWrap(true);
  quality_->setTextFormat(Qt::PlainText);
  values_["quality"] = quality_;
  layout->addWidget(quality_);
  layout->addStretch(1);
}

QLabel* SummaryPanel::addFigure(QGridLayout* grid, int row, int column, const QString& key,
                                const QString& title) {
  auto* caption = new QLabel(title);
  caption->setObjectName("figureCaption");
  auto* value = new QLabel(QStringLiteral("–"));
  value->setObjectName("value_" + key);
  value->setProperty("figure", true);
  value->setTextInteractionFlags(Qt::TextSelectableByMouse);
  grid->addWidget(caption, row, column);
  grid->addWidget(value, row + 1, column);
  values_[key] = value;
  return value;
}

QString SummaryPanel::shownText(const QString& key) const {
  const QLabel* label = values_.value(key, nullptr);
  return label ? label->text() : QString();
}

void SummaryPanel::setSession(const report::Session* session) {
  if (!session) {
    for (QLabel* l : values_) l->setText(QStringLiteral("–"));
    bars_->setFigures({});
    return;
  }
  const report::SummaryFigures& f = session->figures;
  const dsp::Summary& s = session->run.summary;
  values_["cadence"]->setText(report::format_number(f.mean_cadence_spm, 1));
  values_["steps"]->setText(
      QStringLiteral("%1  (%2 L · %3 R)").arg(f.steps).arg(s.left_steps).arg(s.right_steps));
  values_["activity"]->setText(QString::fromStdString(f.activity));
  values_["trunk_rotation"]->setText(report::format_mean_sd_deg(f.trunk_rotation_deg));
  const double diff = f.pelvic_drop_right_deg.mean - f.pelvic_drop_left_deg.mean;
  values_["drop_difference"]->setText(
      std::isfinite(diff) ? (diff > 0 ? QStringLiteral("+") : QString()) + report::format_deg(diff)
                          : QStringLiteral("–"));
  const dsp::MeanSd& contact = s.contact_time_s;
  values_["contact_time"]->setText(
      std::isfinite(contact.mean)
          ? QStringLiteral("%1 ± %2").arg(report::format_number(contact.mean, 3),
                                          report::format_number(contact.sd, 3))
          : QStringLiteral("–"));
  values_["drop_left"]->setText(report::format_mean_sd_deg(f.pelvic_drop_left_deg) +
                                QStringLiteral("  (n = %1)").arg(f.pelvic_drop_left_deg.n));
  values_["drop_right"]->setText(report::format_mean_sd_deg(f.pelvic_drop_right_deg) +
                                 QStringLiteral("  (n = %1)").arg(f.pelvic_drop_right_deg.n));
  bars_->setFigures(f);

  const dsp::Calibration& cal = s.calibration;
  QString neutral;
  if (!cal.valid)
    neutral = tr("Mounting not determined (too few steps).");
  else if (cal.up_method == "standing" || cal.up_method == "marked")
    neutral = tr("Neutral posture from quiet standing, %1 s to %2 s.")
                  .arg(report::format_number(cal.standing_start_s, 1),
                       report::format_number(cal.standing_end_s, 1));
  else
    neutral = tr("No quiet standing found: neutral is the mean posture while walking.");
  values_["neutral"]->setText(neutral);
  QStringList notes;
  for (const std::string& n : f.quality_notes)
    notes << QStringLiteral("• ") + QString::fromStdString(n);
  // How often each step flag occurs (the table's flags column, summed).
  std::map<std::string, int> flag_counts;
  for (const Step& step : session->run.steps)
    for (std::uint32_t bit = 1; bit != 0 && bit <= step.flags; bit <<= 1)
      if (step.flags & bit) ++flag_counts[flags_to_string(bit)];
  if (!flag_counts.empty()) {
    QStringList parts;
    for (const auto& [name, count] : flag_counts)
      parts << QStringLiteral("%1 %2").arg(QString::fromStdString(name)).arg(count);
    notes << tr("• Step flags: %1").arg(parts.join(QStringLiteral(", ")));
  }
  quality_->setText(notes.isEmpty() ? tr("No quality problems found.") : notes.join('\n'));
}

}  // namespace stridelab::studio
