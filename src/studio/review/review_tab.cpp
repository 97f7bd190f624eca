#include "studio/review/review_tab.hpp"

#include <QApplication>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <cmath>

#include "report/step_time_figures.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/report/palette.hpp"
#include "stridelab/report/report_renderer.hpp"
#include "stridelab/report/session.hpp"
#include "stridelab/storage/recording_io.hpp"
#include "studio/review/steps_table_model.hpp"
#include "studio/review/timeline_view.hpp"
#include "studio/widgets/step_metric_chart.hpp"
#include "studio/widgets/summary_panel.hpp"
#include "studio/widgets/trend_chart.hpp"

namespace stridelab::studio {
namespace {

QString duration_text(double s) {
  const int total = static_cast<int>(std::lround(s));
  return QStringLiteral("%1 min %2 s").arg(total / 60).arg(total % 60, 2, 10, QChar('0'));
}

// Busy cursor for the few hundred milliseconds a read + analysis takes.
struct BusyCursor {
  BusyCursor() { QApplication::setOverrideCursor(Qt::WaitCursor); }
  ~BusyCursor() { QApplication::restoreOverrideCursor(); }
};

}  // namespace

QString describeSession(const report::Session& session) {
  const SensorData& sensor = pipeline::pick_sensor(session.recording, session.run.sensor_name);
  QStringList parts;
  parts << (session.recording.subject_id.empty()
                ? QObject::tr("subject not named")
                : QObject::tr("subject %1")
                      .arg(QString::fromStdString(session.recording.subject_id)));
  if (!session.recording.start_time_iso.empty())
    parts << QString::fromStdString(session.recording.start_time_iso);
  parts << duration_text(sensor.duration_s());
  parts << QObject::tr("%1, %2 Hz, %3 samples")
               .arg(QString::fromStdString(sensor.info.name))
               .arg(sensor.info.nominal_rate_hz, 0, 'g', 4)
               .arg(sensor.size());
  if (session.recording.sensors.size() > 1)
    parts << QObject::tr("%1 sensors").arg(session.recording.sensors.size());
  return parts.join(QStringLiteral("  ·  "));
}

ReviewTab::ReviewTab(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(10, 8, 10, 8);
  layout->setSpacing(6);

  // Header: what is open.
  auto* header = new QHBoxLayout();
  auto* header_text = new QVBoxLayout();
  file_label_ = new QLabel(tr("No recording open"));
  file_label_->setObjectName("fileTitle");
  details_label_ = new QLabel(tr("File ▸ Open recording… (HDF5 or CSV), or drop a file here."));
  details_label_->setObjectName("muted");
  header_text->addWidget(file_label_);
  header_text->addWidget(details_label_);
  header->addLayout(header_text, 1);

  // Range: what is analysed.
  auto* range_box = new QHBoxLayout();
  range_label_ = new QLabel(tr("Analysed: –"));
  range_box->addWidget(range_label_);
  range_box->addSpacing(10);
  range_box->addWidget(new QLabel(tr("from")));
  from_ = new QDoubleSpinBox();
  to_ = new QDoubleSpinBox();
  for (QDoubleSpinBox* box : {from_, to_}) {
    box->setDecimals(1);
    box->setSuffix(QStringLiteral(" s"));
    box->setRange(0, 1e6);
    box->setKeyboardTracking(false);
    box->setMinimumWidth(90);
  }
  range_box->addWidget(from_);
  range_box->addWidget(new QLabel(tr("to")));
  range_box->addWidget(to_);
  analyse_range_ = new QPushButton(tr("Analyse range"));
  analyse_range_->setToolTip(tr("Analyse only this part (Shift+drag on the timeline selects it)"));
  whole_ = new QPushButton(tr("Whole recording"));
  range_box->addWidget(analyse_range_);
  range_box->addWidget(whole_);
  range_box->addSpacing(14);
  export_ = new QPushButton(tr("Export patient report…"));
  export_->setObjectName("primaryButton");
  export_->setToolTip(tr("One-page A4 report (PDF or PNG) of the analysed part"));
  range_box->addWidget(export_);
  header->addLayout(range_box);
  layout->addLayout(header);

  auto* hint = new QLabel(
      tr("Steps: <b style='color:%1'>| left stance</b> &nbsp;<b style='color:%2'>| right "
         "stance</b> &nbsp;·&nbsp; drag to zoom · wheel to zoom · Shift+drag to select a range "
         "to analyse · double-click to see everything")
          .arg(report::left_color().name(), report::right_color().name()));
  hint->setObjectName("hint");
  layout->addWidget(hint);

  // Middle: timeline | summary. Bottom: steps table | drop per step.
  auto* vertical = new QSplitter(Qt::Vertical);
  auto* top = new QSplitter(Qt::Horizontal);
  timeline_ = new TimelineView();
  top->addWidget(timeline_);
  summary_ = new SummaryPanel();
  addStepTimeLabels();
  auto* summary_scroll = new QScrollArea();
  summary_scroll->setWidget(summary_);
  summary_scroll->setWidgetResizable(true);
  summary_scroll->setFrameShape(QFrame::NoFrame);
  summary_scroll->setMinimumWidth(400);
  summary_scroll->setMaximumWidth(560);
  summary_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  top->addWidget(summary_scroll);
  top->setStretchFactor(0, 3);
  top->setStretchFactor(1, 1);

  auto* bottom = new QSplitter(Qt::Horizontal);
  steps_model_ = new StepsTableModel(this);
  steps_proxy_ = new QSortFilterProxyModel(this);
  steps_proxy_->setSourceModel(steps_model_);
  steps_proxy_->setSortRole(StepsTableModel::kSortRole);
  steps_table_ = new QTableView();
  steps_table_->setModel(steps_proxy_);
  steps_table_->setSortingEnabled(true);
  steps_table_->sortByColumn(StepsTableModel::kTime, Qt::AscendingOrder);
  steps_table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  steps_table_->setAlternatingRowColors(true);
  steps_table_->verticalHeader()->hide();
  steps_table_->verticalHeader()->setDefaultSectionSize(22);
  steps_table_->horizontalHeader()->setStretchLastSection(true);
  steps_table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  steps_table_->setToolTip(tr("Click a step to show it on the timeline; click a header to sort"));
  bottom->addWidget(steps_table_);
  drop_chart_ = std::make_unique<StepMetricChart>(StepMetricChart::Metric::kPelvicDrop,
                                                  tr("Pelvic drop per step"));
  trend_chart_ = std::make_unique<TrendChart>();
  chart_tabs_ = new QTabWidget();
  chart_tabs_->setDocumentMode(true);
  // The tab bar must not make the bottom row taller than the chart alone was (small windows).
  drop_chart_->widget()->setMinimumHeight(100);
  trend_chart_->widget()->setMinimumHeight(100);
  chart_tabs_->addTab(drop_chart_->widget(), tr("Per step"));
  chart_tabs_->addTab(trend_chart_->widget(), tr("Per minute"));
  chart_tabs_->setTabToolTip(1, tr("Each side's mean drop per minute and its change per 10 "
                                   "minutes: does it grow late in a long run?"));
  bottom->addWidget(chart_tabs_);
  bottom->setStretchFactor(0, 3);
  bottom->setStretchFactor(1, 2);

  vertical->addWidget(top);
  vertical->addWidget(bottom);
  vertical->setStretchFactor(0, 3);
  vertical->setStretchFactor(1, 2);
  // Initial proportions (stretch factors only share out later resizes).
  top->setSizes({1100, 430});
  bottom->setSizes({880, 650});
  vertical->setSizes({600, 300});
  layout->addWidget(vertical, 1);

  connect(steps_table_, &QTableView::clicked, this, &ReviewTab::onStepActivated);
  connect(timeline_, &TimelineView::rangeSelected, this, [this](double lo, double hi) {
    QString error;
    if (!analyseRange(lo, hi, &error)) emit statusMessage(error);
  });
  connect(analyse_range_, &QPushButton::clicked, this, [this] {
    QString error;
    if (!analyseRange(from_->value(), to_->value(), &error)) emit statusMessage(error);
  });
  connect(whole_, &QPushButton::clicked, this, [this] {
    QString error;
    if (!analyseWholeRecording(&error)) emit statusMessage(error);
  });
  connect(export_, &QPushButton::clicked, this, &ReviewTab::exportRequested);
  for (QWidget* w : {static_cast<QWidget*>(from_), static_cast<QWidget*>(to_),
                     static_cast<QWidget*>(analyse_range_), static_cast<QWidget*>(whole_),
                     static_cast<QWidget*>(export_)})
    w->setEnabled(false);
}

ReviewTab::~ReviewTab() = default;

QAbstractItemModel* ReviewTab::stepsView() const {
  return steps_proxy_;
}

bool ReviewTab::openFile(const QString& path, QString* error) {
  BusyCursor busy;
  try {
    Recording rec = storage::read_recording(path.toStdString());
    auto session = std::make_shared<report::Session>(
        report::analyze_session(std::move(rec), path.toStdString()));
    showSession(std::move(session));
    emit statusMessage(
        tr("Opened %1: %2 steps").arg(QFileInfo(path).fileName()).arg(session_->figures.steps));
    return true;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
}

bool ReviewTab::analyseRange(double from_s, double to_s, QString* error) {
  if (!session_) return false;
  if (!(to_s > from_s)) {
    if (error) *error = tr("The range must end after it starts.");
    return false;
  }
  BusyCursor busy;
  try {
    auto session = std::make_shared<report::Session>(report::analyze_session(
        session_->recording, session_->path, report::TimeRange{from_s, to_s}));
    const auto [lo, hi] = timeline_->xRange();
    showSession(std::move(session));
    timeline_->setXRange(lo, hi);  // keep the view where the user was
    emit statusMessage(tr("Analysed %1 s to %2 s: %3 steps")
                           .arg(from_s, 0, 'f', 1)
                           .arg(to_s, 0, 'f', 1)
                           .arg(session_->figures.steps));
    return true;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
}

bool ReviewTab::analyseWholeRecording(QString* error) {
  if (!session_) return false;
  BusyCursor busy;
  try {
    showSession(std::make_shared<report::Session>(
        report::analyze_session(session_->recording, session_->path)));
    return true;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
}

bool ReviewTab::exportReport(const QString& path, QString* error) const {
  if (!session_) {
    if (error) *error = tr("Open a recording first.");
    return false;
  }
  try {
    const report::ReportModel model = report::make_report_model(*session_);
    if (path.endsWith(QStringLiteral(".pdf"), Qt::CaseInsensitive))
      report::write_report_pdf(path.toStdString(), model);
    else
      report::write_report_png(path.toStdString(), model);
    return true;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
}

void ReviewTab::showSession(std::shared_ptr<report::Session> session) {
  session_ = std::move(session);
  const report::Session& s = *session_;
  file_label_->setText(QFileInfo(QString::fromStdString(s.path.string())).fileName());
  details_label_->setText(describeSession(s));
  const SensorData& sensor = pipeline::pick_sensor(s.recording, s.run.sensor_name);
  const double start = sensor.size() ? sensor.time_s.front() : 0.0;
  const double end = sensor.size() ? sensor.time_s.back() : 0.0;
  for (QDoubleSpinBox* box : {from_, to_}) box->setRange(std::floor(start), std::ceil(end));
  from_->setValue(s.range.whole() || std::isnan(s.range.from_s) ? start : s.range.from_s);
  to_->setValue(s.range.whole() || std::isnan(s.range.to_s) ? end : s.range.to_s);
  range_label_->setText(s.range.whole() ? tr("Analysed: whole recording")
                                        : tr("Analysed: selected range"));
  for (QWidget* w : {static_cast<QWidget*>(from_), static_cast<QWidget*>(to_),
                     static_cast<QWidget*>(analyse_range_), static_cast<QWidget*>(whole_),
                     static_cast<QWidget*>(export_)})
    w->setEnabled(true);

  timeline_->setSession(session_.get());
  if (!s.range.whole()) timeline_->setSelection(from_->value(), to_->value());
  summary_->setSession(session_.get());
  showStepTimes(s.run.summary);
  steps_model_->setSteps(s.run.steps);
  drop_chart_->setSteps(s.run.steps);
  trend_chart_->setTrends(s.run.trends);
  // Long sessions open on the per-minute view (fatigue), short ones on the per-step view.
  chart_tabs_->setCurrentIndex(end - start >= 600.0 ? 1 : 0);
  emit sessionChanged();
}

void ReviewTab::addStepTimeLabels() {
  step_time_label_ = new QLabel(QStringLiteral("–"));
  step_time_label_->setObjectName("value_step_time_asymmetry");
  step_time_label_->setStyleSheet(QStringLiteral("font-weight: bold;"));
  stance_time_label_ = new QLabel(QStringLiteral("–"));
  stance_time_label_->setObjectName("value_stance_time");
  stance_time_label_->setWordWrap(true);
  for (QLabel* l : {step_time_label_, stance_time_label_}) {
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    l->setToolTip(
        tr("Step time of left-stance vs right-stance steps over the good steps (no turn, gap, "
           "outlier, bout edge, unsure side or clipping); asymmetry = |L − R| / mean(L, R). "
           "0 % = even; a limp raises it. Shown from 3 good steps a side."));
  }
  // Right under the panel's left/right drop values (the grid after the drop bars), so both
  // left/right comparisons read together; at the panel's end if its layout ever differs.
  auto* box = qobject_cast<QVBoxLayout*>(summary_->layout());
  const int bars = box ? box->indexOf(summary_->findChild<DropBarsWidget*>()) : -1;
  const int at = bars >= 0 && bars + 2 <= box->count() ? bars + 2 : -1;
  if (box && at >= 0) {
    box->insertWidget(at, stance_time_label_);
    box->insertWidget(at, step_time_label_);
  } else if (summary_->layout()) {
    summary_->layout()->addWidget(step_time_label_);
    summary_->layout()->addWidget(stance_time_label_);
  }
}

void ReviewTab::showStepTimes(const dsp::Summary& summary) {
  const report::StepTimeFigures f = report::step_time_figures(summary);
  step_time_label_->setText(report::step_time_asymmetry_text(f));
  const QString meaning = report::step_time_asymmetry_meaning(f);
  QString stance = report::stance_time_text(f);
  if (!meaning.isEmpty()) {
    stance[0] = stance[0].toLower();
    stance = meaning.left(1).toUpper() + meaning.mid(1) + QStringLiteral(" · ") + stance;
  }
  stance_time_label_->setText(stance);
}

void ReviewTab::onStepActivated(const QModelIndex& index) {
  const QModelIndex source = steps_proxy_->mapToSource(index);
  if (!source.isValid()) return;
  const Step& step = steps_model_->steps()[static_cast<std::size_t>(source.row())];
  timeline_->centerOn(step.time_s, 3.0);
}

}  // namespace stridelab::studio
