// The History tab. Collecting is synchronous (a wait cursor): batch results cost nothing and
// a missing session is analysed in ~20 ms per minute of recording.
#include "studio/history/history_tab.hpp"

#include <QApplication>
#include <QComboBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <set>

#include "stridelab/core/error.hpp"
#include "stridelab/pipeline/analyze_recording.hpp"
#include "stridelab/report/palette.hpp"
#include "stridelab/report/report_renderer.hpp"
#include "studio/charts/chart.hpp"
#include "studio/style.hpp"

namespace stridelab::studio {
namespace {

using history::Metric;
constexpr double kDay = 86400.0;

QColor metric_color(Metric m) {
  if (m == Metric::kDropLeft) return report::left_color();
  if (m == Metric::kDropRight) return report::right_color();
  if (m == Metric::kRotation) return style::kRotationColor;
  return style::kCadenceColor;
}

QString num(double v, int decimals) {
  return report::format_number(v, decimals);
}

QString mean_sd(const history::Figure& f, int decimals) {
  if (!std::isfinite(f.mean)) return QStringLiteral("–");
  if (!std::isfinite(f.sd)) return num(f.mean, decimals);
  return QStringLiteral("%1 ± %2").arg(num(f.mean, decimals), num(f.sd, decimals));
}

QString percent(double v) {
  const double r = std::round(v);  // first: no "+0 %" for a change of 0.4 %
  return std::isfinite(r) ? QStringLiteral("%1%2 %").arg(r > 0 ? "+" : "").arg(num(r, 0))
                          : QStringLiteral("–");
}

QTableWidget* make_table(const QStringList& headers) {
  auto* t = new QTableWidget(0, static_cast<int>(headers.size()));
  t->setHorizontalHeaderLabels(headers);
  t->verticalHeader()->hide();
  t->setEditTriggers(QAbstractItemView::NoEditTriggers);
  t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  t->horizontalHeader()->setStretchLastSection(true);
  return t;
}

void set_row(QTableWidget* t, int row, const QStringList& cells) {
  for (int c = 0; c < cells.size(); ++c) {
    auto* item = new QTableWidgetItem(cells[c]);
    item->setTextAlignment((c == cells.size() - 1 ? Qt::AlignLeft : Qt::AlignRight) |
                           Qt::AlignVCenter);
    t->setItem(row, c, item);
  }
}

// y range around the values and whiskers, never flat.
void fit_y(charts::Chart& chart, const QList<QPointF>& values) {
  double lo = 1e300, hi = -1e300;
  for (const QPointF& p : values) lo = std::min(lo, p.y()), hi = std::max(hi, p.y());
  if (values.isEmpty()) lo = 0, hi = 1;
  const double pad = std::max(0.1 * (hi - lo), 0.5);
  chart.setYRange(lo - pad, hi + pad);
}

}  // namespace

HistoryTab::HistoryTab(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(10, 8, 10, 8);
  auto* bar = new QHBoxLayout();
  auto* folder = new QPushButton(tr("Choose folder…"));
  auto* files = new QPushButton(tr("Choose files…"));
  subject_box_ = new QComboBox();
  subject_box_->setMinimumWidth(140);
  summary_label_ = new QLabel(tr("No sessions: choose a folder of one person's recordings."));
  summary_label_->setObjectName("fileTitle");
  bar->addWidget(folder);
  bar->addWidget(files);
  bar->addWidget(new QLabel(tr("Subject:")));
  bar->addWidget(subject_box_);
  bar->addWidget(summary_label_, 1);
  layout->addLayout(bar);
  skipped_label_ = new QLabel();
  skipped_label_->setWordWrap(true);
  skipped_label_->setStyleSheet(QStringLiteral("color: %1").arg(style::kErrorColor.name()));
  skipped_label_->hide();
  layout->addWidget(skipped_label_);

  auto* grid_widget = new QWidget();
  auto* grid = new QGridLayout(grid_widget);
  grid->setContentsMargins(0, 0, 0, 0);
  for (int i = 0; i < history::kMetricCount; ++i) {
    const Metric m = history::kMetrics[static_cast<std::size_t>(i)];
    auto& chart = charts_[static_cast<std::size_t>(i)];
    chart = charts::createChart();
    const QColor c = metric_color(m);
    chart->addSeries({tr("± SD"), c.lighter(150), charts::SeriesKind::kSegments, 2.0});
    chart->addSeries({tr("session mean"), c, charts::SeriesKind::kPoints, 10.0});
    chart->addSeries({tr("trend"), c, charts::SeriesKind::kLine, 2.0, Qt::DashLine});
    chart->setAxisTitles(tr("days since the first session"),
                         QString::fromStdString(history::metric_label(m)));
    chart->setTitle(QString::fromStdString(history::metric_label(m)));
    auto* cell = new QWidget();
    auto* column = new QVBoxLayout(cell);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(2);
    column->addWidget(chart->widget(), 1);
    trend_labels_[static_cast<std::size_t>(i)] = new QLabel(tr("no trend yet"));
    trend_labels_[static_cast<std::size_t>(i)]->setAlignment(Qt::AlignCenter);
    column->addWidget(trend_labels_[static_cast<std::size_t>(i)]);
    grid->addWidget(cell, i / 3, i % 3);
  }
  volume_chart_ = charts::createChart();
  volume_chart_->addSeries({tr("minutes of gait per week"), style::kCadenceColor.lighter(170),
                            charts::SeriesKind::kBars, 5.0});
  volume_chart_->setAxisTitles(tr("days since the first session"), tr("minutes"));
  volume_chart_->setTitle(tr("Weekly volume"));
  grid->addWidget(volume_chart_->widget(), 1, 2);

  sessions_table_ = make_table({tr("date"), tr("results"), tr("steps"), tr("minutes"),
                                tr("drop L (°)"), tr("drop R (°)"), tr("cadence"),
                                tr("rotation (°)"), tr("asym. (%)"), tr("session")});
  weeks_table_ = make_table(
      {tr("week of"), tr("sessions"), tr("minutes"), tr("change"), tr("steps"), tr("change")});
  auto* tables = new QSplitter(Qt::Horizontal);
  tables->addWidget(sessions_table_);
  tables->addWidget(weeks_table_);
  tables->setStretchFactor(0, 3);
  tables->setStretchFactor(1, 2);
  auto* split = new QSplitter(Qt::Vertical);
  split->addWidget(grid_widget);
  split->addWidget(tables);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 1);
  layout->addWidget(split, 1);

  connect(folder, &QPushButton::clicked, this, &HistoryTab::chooseFolder);
  connect(files, &QPushButton::clicked, this, &HistoryTab::chooseFiles);
  connect(subject_box_, &QComboBox::currentTextChanged, this, [this](const QString& s) {
    if (!s.isEmpty() && QString::fromStdString(history_.subject) != s) showSubject(s);
  });
}

HistoryTab::~HistoryTab() = default;

charts::Chart* HistoryTab::metricChart(Metric m) const {
  return charts_[static_cast<std::size_t>(m)].get();
}

void HistoryTab::chooseFolder() {
  const QString dir =
      QFileDialog::getExistingDirectory(this, tr("Folder of one person's sessions"));
  QString error;
  if (!dir.isEmpty() && !openPaths({dir}, &error)) emit statusMessage(error);
}

void HistoryTab::chooseFiles() {
  const QStringList files = QFileDialog::getOpenFileNames(this, tr("Sessions"));
  QString error;
  if (!files.isEmpty() && !openPaths(files, &error)) emit statusMessage(error);
}

bool HistoryTab::openPaths(const QStringList& paths, QString* error) {
  history::CollectOptions o;
  for (const QString& p : paths) o.inputs.emplace_back(p.toStdString());
  std::vector<history::Skipped> skipped;
  std::vector<history::Session> sessions;
  QApplication::setOverrideCursor(Qt::WaitCursor);
  try {
    sessions = history::collect_sessions(
        o,
        [](const Recording& rec) {
          pipeline::AnalysisRequest request;
          request.keep_angles = false;
          return pipeline::analyze_recording(rec, request).to_output();
        },
        skipped);
  } catch (const std::exception& e) {
    QApplication::restoreOverrideCursor();
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
  QApplication::restoreOverrideCursor();
  if (sessions.empty()) {
    if (error)
      *error = skipped.empty() ? tr("No recordings found in %1").arg(paths.join(", "))
                               : tr("No session could be read: %1")
                                     .arg(QString::fromStdString(skipped.front().reason));
    return false;
  }
  sessions_ = std::move(sessions);
  skipped_ = std::move(skipped);
  QStringList lines;
  for (const auto& s : skipped_) lines << QString::fromStdString(s.file + ": " + s.reason);
  skipped_label_->setText(tr("Skipped %1: %2").arg(skipped_.size()).arg(lines.join("; ")));
  skipped_label_->setVisible(!skipped_.empty());
  const QStringList names = subjects();
  subject_box_->blockSignals(true);
  subject_box_->clear();
  subject_box_->addItems(names);
  subject_box_->blockSignals(false);
  showSubject(names.front());
  return true;
}

QStringList HistoryTab::subjects() const {
  std::set<std::string> set;
  for (const auto& s : sessions_) set.insert(s.subject);
  QStringList out;
  for (const auto& s : set) out << QString::fromStdString(s);
  return out;
}

void HistoryTab::showSubject(const QString& subject) {
  history_ = history::make_history(sessions_, subject.toStdString());
  history_.skipped = skipped_;
  subject_box_->blockSignals(true);
  subject_box_->setCurrentText(subject);
  subject_box_->blockSignals(false);
  showHistory();
}

void HistoryTab::showHistory() {
  if (history_.sessions.empty()) return;
  const auto& first = history_.sessions.front();
  const auto& last = history_.sessions.back();
  summary_label_->setText(
      tr("%1: %2 sessions, %3 to %4 (%5 from batch results, %6 analysed now)")
          .arg(QString::fromStdString(history_.subject))
          .arg(history_.sessions.size())
          .arg(QString::fromStdString(history::format_date(first.start_unix_s)),
               QString::fromStdString(history::format_date(last.start_unix_s)))
          .arg(std::count_if(history_.sessions.begin(), history_.sessions.end(),
                             [](const auto& s) { return s.results_from == "batch"; }))
          .arg(std::count_if(history_.sessions.begin(), history_.sessions.end(),
                             [](const auto& s) { return s.results_from == "analysis"; })));
  for (Metric m : history::kMetrics) fillMetricChart(m);
  fillVolumeChart();
  fillTables();
  emit statusMessage(summary_label_->text());
}

void HistoryTab::fillMetricChart(Metric m) {
  charts::Chart& chart = *metricChart(m);
  const double t0 = history_.sessions.front().start_unix_s;
  QList<QPointF> sd, means, all;
  for (const auto& s : history_.sessions) {
    const history::Figure& f = s.figure(m);
    if (!std::isfinite(f.mean)) continue;
    const double x = (s.start_unix_s - t0) / kDay;
    means << QPointF(x, f.mean);
    all << means.back();
    if (std::isfinite(f.sd)) {
      sd << QPointF(x, f.mean - f.sd) << QPointF(x, f.mean + f.sd);
      all << sd[sd.size() - 2] << sd.back();
    }
  }
  const history::Trend& t = history_.trend(m);
  QList<QPointF> line;
  if (std::isfinite(t.per_week) && !means.isEmpty())
    for (double x : {means.front().x(), means.back().x()})
      line << QPointF(x, t.intercept + t.per_week / 7 * (x - means.front().x()));
  chart.setPoints(kSdSeries, sd);
  chart.setPoints(kMeanSeries, means);
  chart.setPoints(kTrendSeries, line);
  const double days = std::max(1.0, (history_.sessions.back().start_unix_s - t0) / kDay);
  chart.setXRange(-0.05 * days, 1.05 * days);
  fit_y(chart, all);
  QLabel* verdict = trend_labels_[static_cast<std::size_t>(m)];
  if (!std::isfinite(t.total_change)) {
    verdict->setText(tr("too few sessions on different days for a trend"));
    return;
  }
  verdict->setText(tr("%1 per week, total %2, MDC95 %3: <b>%4</b>")
                       .arg(num(t.per_week, 2), num(t.total_change, 2), num(t.mdc95, 2),
                            t.exceeds_mdc ? tr("beyond the noise") : tr("within the noise")));
}

void HistoryTab::fillVolumeChart() {
  const double t0 = history_.sessions.front().start_unix_s;
  QList<QPointF> bars;
  double top = 1.0;
  for (const auto& w : history_.weeks) {
    bars << QPointF((w.start_unix_s + 3.5 * kDay - t0) / kDay, w.gait_minutes);
    top = std::max(top, w.gait_minutes);
  }
  volume_chart_->setPoints(0, bars);
  const double days = std::max(1.0, (history_.sessions.back().start_unix_s - t0) / kDay);
  volume_chart_->setXRange(std::min(-0.05 * days, bars.front().x() - 3.5),
                           std::max(1.05 * days, bars.back().x() + 3.5));
  volume_chart_->setYRange(0, top * 1.15);
}

void HistoryTab::fillTables() {
  sessions_table_->setRowCount(static_cast<int>(history_.sessions.size()));
  for (int r = 0; r < sessions_table_->rowCount(); ++r) {
    const auto& s = history_.sessions[static_cast<std::size_t>(r)];
    set_row(
        sessions_table_, r,
        {QString::fromStdString(history::format_date(s.start_unix_s)),
         QString::fromStdString(s.results_from), QString::number(s.steps), num(s.gait_minutes, 1),
         mean_sd(s.figure(Metric::kDropLeft), 1), mean_sd(s.figure(Metric::kDropRight), 1),
         mean_sd(s.figure(Metric::kCadence), 1), mean_sd(s.figure(Metric::kRotation), 1),
         num(s.figure(Metric::kAsymmetry).mean, 1), QString::fromStdString(s.id)});
    sessions_table_->item(r, 4)->setForeground(report::left_color());
    sessions_table_->item(r, 5)->setForeground(report::right_color());
  }
  weeks_table_->setRowCount(static_cast<int>(history_.weeks.size()));
  for (int r = 0; r < weeks_table_->rowCount(); ++r) {
    const auto& w = history_.weeks[static_cast<std::size_t>(r)];
    set_row(
        weeks_table_, r,
        {QString::fromStdString(w.start_date), QString::number(w.sessions), num(w.gait_minutes, 1),
         percent(w.minutes_change_pct), QString::number(w.steps), percent(w.steps_change_pct)});
  }
}

}  // namespace stridelab::studio
