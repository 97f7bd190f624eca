#pragma once
// Live: connect one or more sensors, watch the raw signals and the per-step metrics as they
// happen (hip drop L/R with running means, trunk rotation, cadence), see the link health at a
// glance, and record a trial with subject id and notes. I/O runs on the ingest session's own
// threads; this widget only copies snapshots on a 30 Hz timer.
#include <QWidget>

#include <memory>
#include <vector>

#include "stridelab/core/steps.hpp"
#include "stridelab/ingest/source_config.hpp"
#include "studio/live/cue_audio.hpp"
#include "studio/live/live_engine.hpp"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;
class QTimer;

namespace stridelab::ingest {
class IngestSession;
}

namespace stridelab::studio {

namespace charts {
class Chart;
}
class ConnectPanel;
class CuePanel;
class StepMetricChart;

class LiveTab : public QWidget {
  Q_OBJECT
 public:
  explicit LiveTab(QWidget* parent = nullptr);
  ~LiveTab() override;

  // Opens the links and starts streaming (returns at once; links reconnect by themselves).
  bool connectSources(const std::vector<ingest::SourceConfig>& sources, QString* error);
  void disconnectAll();
  bool isConnected() const;

  // Records from now on into `path` (HDF5). Subject and notes come from the form.
  bool startRecording(const QString& path, QString* error);
  void stopRecording();
  bool isRecording() const;
  void setSubject(const QString& subject, const QString& notes);

  // Redraws from the engine now (the timer calls this ~30 times a second).
  void refresh();
  // A test (or a replay) can feed the engine directly, as the ingest session would.
  LiveEngine& engine() { return engine_; }
  const std::vector<Step>& steps() const { return steps_; }
  charts::Chart& accChart() { return *acc_chart_; }
  charts::Chart& gyrChart() { return *gyr_chart_; }
  StepMetricChart& dropChart() { return *drop_chart_; }
  StepMetricChart& rotationChart() { return *rotation_chart_; }
  StepMetricChart& cadenceChart() { return *cadence_chart_; }
  QString figureText(const QString& key) const;  // "drop_left", "drop_right", "cadence", ...
  QTableWidget* linkTable() const { return link_table_; }
  CuePanel& cuePanel() { return *cue_panel_; }
  // Cue tones go here (not owned; null: the sound card if there is one, else nowhere).
  void setAudio(AudioSink* audio);

 signals:
  void statusMessage(const QString& message);
  void recordingSaved(const QString& path);

 private:
  QWidget* buildSidePanel();
  QWidget* buildCharts();
  void refreshTraces();
  void refreshSteps();
  void refreshStatus();
  void updateSensorList();

  LiveEngine engine_;
  NullAudioSink null_audio_;
  std::unique_ptr<AudioSink> system_audio_;  // the sound card, if there is one
  std::unique_ptr<ingest::IngestSession> session_;
  std::vector<Step> steps_;  // bounded: the engine's max_steps
  QTimer* timer_ = nullptr;
  int tick_ = 0;
  std::size_t shown_sensor_ = 0;

  ConnectPanel* connect_panel_ = nullptr;
  CuePanel* cue_panel_ = nullptr;
  QTableWidget* link_table_ = nullptr;
  QLineEdit* subject_ = nullptr;
  QPlainTextEdit* notes_ = nullptr;
  QLineEdit* record_path_ = nullptr;
  QPushButton* record_ = nullptr;
  QLabel* record_status_ = nullptr;
  QComboBox* sensor_choice_ = nullptr;
  QComboBox* window_choice_ = nullptr;
  QPushButton* pause_ = nullptr;
  QLabel* clock_label_ = nullptr;
  std::vector<std::pair<QString, QLabel*>> figures_;
  std::unique_ptr<charts::Chart> acc_chart_, gyr_chart_;
  std::unique_ptr<StepMetricChart> drop_chart_, rotation_chart_, cadence_chart_;
};

}  // namespace stridelab::studio
