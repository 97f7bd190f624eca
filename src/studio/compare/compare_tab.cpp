#include "studio/compare/compare_tab.hpp"

#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <functional>

#include "stridelab/report/palette.hpp"
#include "stridelab/report/report_renderer.hpp"
#include "stridelab/report/session.hpp"
#include "stridelab/storage/recording_io.hpp"
#include "studio/charts/chart.hpp"
#include "studio/review/review_tab.hpp"
#include "studio/widgets/step_metric_chart.hpp"
#include "studio/widgets/summary_panel.hpp"

namespace stridelab::studio {
namespace {

struct Row {
  QString key, name;
  int decimals;
  QString unit;
  std::function<double(const report::Session&)> value;
  std::function<double(const report::Session&)> sd;  // may be empty
};

const std::vector<Row>& rows() {
  static const std::vector<Row> r = {
      {"cadence",
       QObject::tr("Cadence"),
       1,
       QObject::tr(" steps/min"),
       [](const report::Session& s) { return s.figures.mean_cadence_spm; },
       {}},
      {"steps",
       QObject::tr("Steps"),
       0,
       QString(),
       [](const report::Session& s) { return double(s.figures.steps); },
       {}},
      {"drop_left", QObject::tr("Pelvic drop, left stance"), 1, QStringLiteral("°"),
       [](const report::Session& s) { return s.figures.pelvic_drop_left_deg.mean; },
       [](const report::Session& s) { return s.figures.pelvic_drop_left_deg.sd; }},
      {"drop_right", QObject::tr("Pelvic drop, right stance"), 1, QStringLiteral("°"),
       [](const report::Session& s) { return s.figures.pelvic_drop_right_deg.mean; },
       [](const report::Session& s) { return s.figures.pelvic_drop_right_deg.sd; }},
      {"drop_difference",
       QObject::tr("Drop difference (R − L)"),
       1,
       QStringLiteral("°"),
       [](const report::Session& s) {
         return s.figures.pelvic_drop_right_deg.mean - s.figures.pelvic_drop_left_deg.mean;
       },
       {}},
      {"trunk_rotation", QObject::tr("Trunk rotation per stride"), 1, QStringLiteral("°"),
       [](const report::Session& s) { return s.figures.trunk_rotation_deg.mean; },
       [](const report::Session& s) { return s.figures.trunk_rotation_deg.sd; }},
      {"contact_time", QObject::tr("Contact time"), 3, QObject::tr(" s"),
       [](const report::Session& s) { return s.run.summary.contact_time_s.mean; },
       [](const report::Session& s) { return s.run.summary.contact_time_s.sd; }},
  };
  return r;
}

}  // namespace

CompareTab::CompareTab(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(10, 8, 10, 8);

  table_ = new QTableWidget(static_cast<int>(rows().size()), 4);
  table_->setHorizontalHeaderLabels(
      {tr("metric"), tr("A (before)"), tr("B (after)"), tr("change B − A")});
  table_->verticalHeader()->hide();
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  table_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  for (int r = 0; r < static_cast<int>(rows().size()); ++r) {
    row_keys_ << rows()[static_cast<std::size_t>(r)].key;
    auto* name = new QTableWidgetItem(rows()[static_cast<std::size_t>(r)].name);
    if (row_keys_.back() == "drop_left") name->setForeground(report::left_color());
    if (row_keys_.back() == "drop_right") name->setForeground(report::right_color());
    table_->setItem(r, 0, name);
    for (int c = 1; c < 4; ++c) {
      auto* item = new QTableWidgetItem(QStringLiteral("–"));
      item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      table_->setItem(r, c, item);
    }
  }

  auto* columns = new QGridLayout();
  for (int side = 0; side < 2; ++side) {
    auto* head = new QHBoxLayout();
    titles_[side] =
        new QLabel(side == 0 ? tr("A (before): no recording") : tr("B (after): no recording"));
    titles_[side]->setObjectName("fileTitle");
    auto* open = new QPushButton(tr("Open…"));
    head->addWidget(titles_[side], 1);
    head->addWidget(open);
    columns->addLayout(head, 0, side);
    bars_[side] = new DropBarsWidget();
    bars_[side]->setMinimumHeight(120);
    columns->addWidget(bars_[side], 1, side);
    drop_charts_[side] = std::make_unique<StepMetricChart>(
        StepMetricChart::Metric::kPelvicDrop,
        side == 0 ? tr("A: pelvic drop per step") : tr("B: pelvic drop per step"));
    columns->addWidget(drop_charts_[side]->widget(), 2, side);
    connect(open, &QPushButton::clicked, this, [this, side] {
      const QString path = QFileDialog::getOpenFileName(
          this, side == 0 ? tr("Open session A (before)") : tr("Open session B (after)"), QString(),
          tr("Recordings (*.h5 *.hdf5 *.csv *.cwa *.txt *.zip);;All files (*)"));
      if (path.isEmpty()) return;
      QString error;
      if (!openSide(side, path, &error)) emit statusMessage(error);
    });
  }
  columns->setRowStretch(2, 1);
  // The whole table, no scrolling: as tall as its rows.
  table_->resizeRowsToContents();
  int height = table_->horizontalHeader()->sizeHint().height() + 2 * table_->frameWidth();
  for (int r = 0; r < table_->rowCount(); ++r) height += table_->rowHeight(r);
  table_->setFixedHeight(height);
  layout->addWidget(table_);
  layout->addLayout(columns, 1);
}

CompareTab::~CompareTab() = default;

bool CompareTab::openSide(int which, const QString& path, QString* error) {
  QApplication::setOverrideCursor(Qt::WaitCursor);
  try {
    Recording rec = storage::read_recording(path.toStdString());
    sessions_.at(which) = std::make_shared<report::Session>(
        report::analyze_session(std::move(rec), path.toStdString()));
  } catch (const std::exception& e) {
    QApplication::restoreOverrideCursor();
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
  QApplication::restoreOverrideCursor();
  const report::Session& s = *sessions_[which];
  titles_[which]->setText((which == 0 ? tr("A (before): ") : tr("B (after): ")) +
                          QFileInfo(path).fileName());
  titles_[which]->setToolTip(describeSession(s));
  bars_[which]->setFigures(s.figures);
  drop_charts_[which]->setSteps(s.run.steps);
  // Same scales on both sides, so the eye compares like with like.
  if (sessions_[0] && sessions_[1]) {
    charts::Chart& a = drop_charts_[0]->chart();
    charts::Chart& b = drop_charts_[1]->chart();
    const auto [ax0, ax1] = a.xRange();
    const auto [bx0, bx1] = b.xRange();
    const auto [ay0, ay1] = a.yRange();
    const auto [by0, by1] = b.yRange();
    for (charts::Chart* c : {&a, &b}) {
      c->setXRange(std::min(ax0, bx0), std::max(ax1, bx1));
      c->setYRange(std::min(ay0, by0), std::max(ay1, by1));
    }
  }
  updateTable();
  return true;
}

bool CompareTab::openFiles(const QString& a, const QString& b, QString* error) {
  return openSide(0, a, error) && openSide(1, b, error);
}

void CompareTab::chooseFiles() {
  for (int side = 0; side < 2; ++side) {
    const QString path = QFileDialog::getOpenFileName(
        this, side == 0 ? tr("Open session A (before)") : tr("Open session B (after)"), QString(),
        tr("Recordings (*.h5 *.hdf5 *.csv *.cwa *.txt *.zip);;All files (*)"));
    if (path.isEmpty()) return;
    QString error;
    if (!openSide(side, path, &error)) {
      emit statusMessage(error);
      return;
    }
  }
}

QString CompareTab::tableText(const QString& key, int column) const {
  const int row = static_cast<int>(row_keys_.indexOf(key));
  if (row < 0 || column < 0 || column > 2) return {};
  return table_->item(row, column + 1)->text();
}

void CompareTab::updateTable() {
  for (int r = 0; r < static_cast<int>(rows().size()); ++r) {
    const Row& row = rows()[static_cast<std::size_t>(r)];
    double values[2] = {std::nan(""), std::nan("")};
    for (int side = 0; side < 2; ++side) {
      if (!sessions_[side]) continue;
      values[side] = row.value(*sessions_[side]);
      QString text = report::format_number(values[side], row.decimals);
      if (std::isfinite(values[side])) {
        text += row.unit;
        if (row.sd && std::isfinite(row.sd(*sessions_[side])))
          text += QStringLiteral(" ± ") +
                  report::format_number(row.sd(*sessions_[side]), row.decimals) + row.unit;
      }
      table_->item(r, side + 1)->setText(text);
    }
    const double change = values[1] - values[0];
    QString change_text = QStringLiteral("–");
    if (std::isfinite(change)) {
      change_text = (change > 0 ? QStringLiteral("+") : QString()) +
                    report::format_number(change, row.decimals) + row.unit;
      if (std::abs(values[0]) > 1e-9 && row.key != "drop_difference")
        change_text += QStringLiteral("  (%1%2 %)")
                           .arg(change > 0 ? QStringLiteral("+") : QString())
                           .arg(change / std::abs(values[0]) * 100.0, 0, 'f', 0);
    }
    table_->item(r, 3)->setText(change_text);
  }
}

}  // namespace stridelab::studio
