#pragma once
// The History tab: a person's sessions over weeks (stridelab history in the studio). Choose a
// folder or files; per metric a chart of every session's mean ± SD with the trend line and its
// change per week against the minimal detectable change; the weekly volume as bars; the
// sessions and weeks as tables. Batch results inside the folder are used, the rest analysed.
#include <QStringList>
#include <QWidget>

#include <array>
#include <memory>
#include <vector>

#include "stridelab/history/history.hpp"

class QComboBox;
class QLabel;
class QTableWidget;

namespace stridelab::studio {

namespace charts {
class Chart;
}

class HistoryTab : public QWidget {
  Q_OBJECT
 public:
  explicit HistoryTab(QWidget* parent = nullptr);
  ~HistoryTab() override;

  // Collects the sessions of folders and/or files (analysing what has no batch results) and
  // shows the first subject's history. False with *error set when nothing could be read.
  bool openPaths(const QStringList& paths, QString* error);
  // Shows another subject of the sessions loaded (one of subjects()).
  void showSubject(const QString& subject);
  QStringList subjects() const;
  void chooseFolder();  // dialogs
  void chooseFiles();

  const history::History& history() const { return history_; }
  charts::Chart* metricChart(history::Metric m) const;
  // Under each metric chart: change per week, total change, MDC95 and the verdict.
  QLabel* trendLabel(history::Metric m) const { return trend_labels_[static_cast<int>(m)]; }
  charts::Chart* volumeChart() const { return volume_chart_.get(); }
  QTableWidget* sessionsTable() const { return sessions_table_; }
  QTableWidget* weeksTable() const { return weeks_table_; }
  QLabel* skippedLabel() const { return skipped_label_; }
  // Series of a metric chart, in creation order.
  enum MetricSeries { kSdSeries = 0, kMeanSeries = 1, kTrendSeries = 2 };

 signals:
  void statusMessage(const QString& message);

 private:
  void showHistory();
  void fillMetricChart(history::Metric m);
  void fillVolumeChart();
  void fillTables();

  std::vector<history::Session> sessions_;  // every subject's
  std::vector<history::Skipped> skipped_;
  history::History history_;
  std::array<std::unique_ptr<charts::Chart>, history::kMetricCount> charts_;
  std::array<QLabel*, history::kMetricCount> trend_labels_{};
  std::unique_ptr<charts::Chart> volume_chart_;
  QComboBox* subject_box_ = nullptr;
  QLabel* summary_label_ = nullptr;
  QLabel* skipped_label_ = nullptr;
  QTableWidget* sessions_table_ = nullptr;
  QTableWidget* weeks_table_ = nullptr;
};

}  // namespace stridelab::studio
