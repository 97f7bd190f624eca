// The Live tab's side panel and session handling: connect/disconnect, Record/Stop, and the
// link table and record status (5 Hz). The charts and their refresh are in live_tab.cpp.
#include "studio/live/live_tab.hpp"

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QStandardPaths>
#include <QStyle>
#include <QTableWidget>
#include <QTimeZone>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "stridelab/core/error.hpp"
#include "stridelab/core/version.hpp"
#include "stridelab/dsp/summary.hpp"
#include "stridelab/ingest/ingest_session.hpp"
#include "stridelab/report/palette.hpp"
#include "stridelab/report/report_renderer.hpp"
#include "studio/charts/chart.hpp"
#include "studio/live/connect_panel.hpp"
#include "studio/style.hpp"
#include "studio/widgets/step_metric_chart.hpp"

namespace stridelab::studio {
namespace {

QString iso_utc(std::chrono::system_clock::time_point t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch());
  return QDateTime::fromMSecsSinceEpoch(ms.count(), Qt::UTC).toString(Qt::ISODate);
}

}  // namespace

QWidget* LiveTab::buildSidePanel() {
  auto* panel = new QWidget();
  auto* layout = new QVBoxLayout(panel);
  layout->setContentsMargins(0, 0, 6, 0);
  connect_panel_ = new ConnectPanel();
  layout->addWidget(connect_panel_);
  connect(connect_panel_, &ConnectPanel::statusMessage, this, &LiveTab::statusMessage);
  connect(connect_panel_, &ConnectPanel::connectRequested, this, [this] {
    QString error;
    try {
      if (!connectSources(connect_panel_->sources(), &error)) emit statusMessage(error);
    } catch (const Error& e) {
      emit statusMessage(QString::fromStdString(e.what()));
    }
  });
  connect(connect_panel_, &ConnectPanel::disconnectRequested, this, &LiveTab::disconnectAll);

  auto* links = new QGroupBox(tr("Link"));
  auto* links_layout = new QVBoxLayout(links);
  link_table_ = new QTableWidget(0, 5);
  link_table_->setHorizontalHeaderLabels(
      {tr("sensor"), tr("state"), tr("rate"), tr("gaps"), tr("CRC")});
  link_table_->verticalHeader()->hide();
  link_table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  link_table_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
  link_table_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  link_table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  link_table_->setSelectionMode(QAbstractItemView::NoSelection);
  link_table_->setMinimumHeight(90);
  link_table_->setMaximumHeight(150);
  link_table_->setToolTip(
      tr("rate: samples/s delivered · gaps: samples missing (dropouts, "
         "unplugged) · CRC: damaged frames dropped"));
  links_layout->addWidget(link_table_);
  layout->addWidget(links);

  auto* record = new QGroupBox(tr("Record a trial"));
  auto* form = new QFormLayout(record);
  subject_ = new QLineEdit();
  subject_->setPlaceholderText(tr("e.g. P-017"));
  form->addRow(tr("Subject ID"), subject_);
  notes_ = new QPlainTextEdit();
  notes_->setPlaceholderText(tr("e.g. baseline, before cadence retraining"));
  notes_->setFixedHeight(54);
  form->addRow(tr("Notes"), notes_);
  auto* path_row = new QHBoxLayout();
  record_path_ = new QLineEdit();
  record_path_->setPlaceholderText(tr("file name is made from the subject and time"));
  auto* browse = new QPushButton(tr("…"));
  browse->setFixedWidth(30);
  path_row->addWidget(record_path_, 1);
  path_row->addWidget(browse);
  form->addRow(tr("File"), path_row);
  record_ = new QPushButton(tr("● Record"));
  record_->setObjectName("recordButton");
  record_->setEnabled(false);
  form->addRow(record_);
  record_status_ = new QLabel(tr("Connect a sensor to record."));
  record_status_->setObjectName("muted");
  record_status_->setWordWrap(true);
  form->addRow(record_status_);
  layout->addWidget(record);
  layout->addStretch(1);

  connect(browse, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Record to"), record_path_->text(),
                                                      tr("HDF5 recording (*.h5)"));
    if (!path.isEmpty()) record_path_->setText(path);
  });
  connect(record_, &QPushButton::clicked, this, [this] {
    if (isRecording()) {
      stopRecording();
      return;
    }
    QString path = record_path_->text().trimmed();
    if (path.isEmpty()) {
      const QString dir =
          QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation) + "/stridelab";
      QDir().mkpath(dir);
      const QString subject =
          subject_->text().trimmed().isEmpty()
              ? QStringLiteral("trial")
              : subject_->text().trimmed().replace(QRegularExpression("[^A-Za-z0-9_-]"), "_");
      path = dir + "/" + subject + "_" +
             QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd_HHmmss")) + ".h5";
    }
    QString error;
    if (!startRecording(path, &error)) emit statusMessage(error);
  });
  return panel;
}

bool LiveTab::connectSources(const std::vector<ingest::SourceConfig>& sources, QString* error) {
  disconnectAll();
  try {
    auto session = std::make_unique<ingest::IngestSession>(engine_);
    for (const ingest::SourceConfig& source : sources) session->add_source(source);
    engine_.reset(session->sensor_infos());
    engine_.set_window(window_choice_->currentData().toDouble());
    session->start();
    session_ = std::move(session);
  } catch (const std::exception& e) {
    if (error) *error = tr("Cannot connect: %1").arg(QString::fromStdString(e.what()));
    return false;
  }
  steps_.clear();
  updateSensorList();
  connect_panel_->showSources(sources);
  connect_panel_->setConnected(true);
  record_->setEnabled(true);
  record_status_->setText(tr("Ready to record."));
  emit statusMessage(tr("Connecting %1 sensor(s)…").arg(sources.size()));
  return true;
}

void LiveTab::disconnectAll() {
  if (session_) {
    session_->stop();  // delivers everything queued, then joins its threads
    session_.reset();
  }
  if (isRecording()) stopRecording();
  if (connect_panel_) connect_panel_->setConnected(false);
  if (record_) record_->setEnabled(false);
}

bool LiveTab::isConnected() const {
  return session_ != nullptr;
}

void LiveTab::setSubject(const QString& subject, const QString& notes) {
  subject_->setText(subject);
  notes_->setPlainText(notes);
}

bool LiveTab::startRecording(const QString& path, QString* error) {
  if (!session_) {
    if (error) *error = tr("Connect a sensor first.");
    return false;
  }
  Recording meta;
  meta.subject_id = subject_->text().trimmed().toStdString();
  meta.notes = notes_->toPlainText().trimmed().toStdString();
  meta.start_time_iso = iso_utc(session_->start_wall_time()).toStdString();
  meta.tool_version = std::string(version());
  meta.source = "stridelab-studio live";
  try {
    engine_.start_recording(path.toStdString(), meta);
  } catch (const std::exception& e) {
    if (error) *error = tr("Cannot record: %1").arg(QString::fromStdString(e.what()));
    return false;
  }
  record_path_->setText(path);
  record_->setText(tr("■ Stop"));
  record_->setProperty("active", true);
  record_->style()->unpolish(record_);
  record_->style()->polish(record_);
  subject_->setEnabled(false);
  notes_->setEnabled(false);
  emit statusMessage(tr("Recording to %1").arg(path));
  return true;
}

void LiveTab::stopRecording() {
  const RecordingStatus status = engine_.stop_recording();
  record_->setText(tr("● Record"));
  record_->setProperty("active", false);
  record_->style()->unpolish(record_);
  record_->style()->polish(record_);
  subject_->setEnabled(true);
  notes_->setEnabled(true);
  record_path_->clear();  // the next trial gets a new name
  const QString path = QString::fromStdString(status.path.string());
  if (!status.error.empty()) {
    record_status_->setText(tr("Recording stopped: %1").arg(QString::fromStdString(status.error)));
    emit statusMessage(record_status_->text());
  } else if (!path.isEmpty()) {
    record_status_->setText(tr("Saved %1 (%2 samples).").arg(path).arg(status.samples));
    emit recordingSaved(path);
  }
}

bool LiveTab::isRecording() const {
  return engine_.recording_status().active;
}

void LiveTab::refreshStatus() {
  for (const std::string& event : engine_.take_events())
    emit statusMessage(QString::fromStdString(event));
  if (!session_) return;
  clock_label_->setText(tr("t = %1 s").arg(engine_.latest_time_s(), 0, 'f', 1));
  const std::vector<ingest::LinkStats> stats = session_->stats();
  link_table_->setRowCount(static_cast<int>(stats.size()));
  for (int row = 0; row < static_cast<int>(stats.size()); ++row) {
    const ingest::LinkStats& s = stats[static_cast<std::size_t>(row)];
    QString state;
    QColor color;
    if (s.connected && s.last_data_age_s >= 0 && s.last_data_age_s < 1.0) {
      state = tr("● streaming"), color = style::kOkColor;
    } else if (s.connected) {
      state = tr("● no data"), color = style::kWarnColor;
    } else if (s.connects > 0) {
      state = tr("● reconnecting…"), color = style::kWarnColor;
    } else {
      state = tr("● waiting"), color = QColor(0x80, 0x80, 0x80);
    }
    const QString cells[5] = {QString::fromStdString(s.sensor), state,
                              QStringLiteral("%1 Hz").arg(s.rate_hz, 0, 'f', 0),
                              QString::number(s.missing_samples), QString::number(s.crc_failures)};
    for (int col = 0; col < 5; ++col) {
      QTableWidgetItem* item = link_table_->item(row, col);
      if (!item) link_table_->setItem(row, col, item = new QTableWidgetItem());
      item->setText(cells[col]);
      item->setToolTip(QString::fromStdString(
          s.source + (s.last_error.empty() ? "" : "\nlast error: " + s.last_error) +
          "\nreconnects: " + std::to_string(s.reconnects) +
          ", gaps: " + std::to_string(s.sequence_gaps) +
          ", frames rejected: " + std::to_string(s.frames_rejected)));
      if (col == 1) item->setForeground(color);
    }
  }
  const RecordingStatus rec = engine_.recording_status();
  if (rec.active) {
    const double elapsed = rec.samples ? rec.last_time_s - rec.first_time_s : 0.0;
    record_status_->setText(tr("Recording %1:%2 · %3 samples · %4")
                                .arg(static_cast<int>(elapsed) / 60)
                                .arg(static_cast<int>(elapsed) % 60, 2, 10, QChar('0'))
                                .arg(rec.samples)
                                .arg(QString::fromStdString(rec.path.filename().string())));
  } else if (!rec.error.empty() && record_->property("active").toBool()) {
    stopRecording();  // the engine stopped by itself (disk full, ...): show it
  }
}

}  // namespace stridelab::studio
