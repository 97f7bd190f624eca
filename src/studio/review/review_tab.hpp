#pragma once
// Review: open a recording (HDF5 or CSV), see its timeline with every step marked, the steps
// table, the summary and quality, choose a time range to analyse, export the patient report.
#include <QString>
#include <QWidget>

#include <memory>

class QAbstractItemModel;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QTabWidget;

namespace stridelab::report {
struct Session;
}
namespace stridelab::dsp {
struct Summary;
}

namespace stridelab::studio {

class StepMetricChart;
class TrendChart;
class StepsTableModel;
class SummaryPanel;
class TimelineView;

class ReviewTab : public QWidget {
  Q_OBJECT
 public:
  explicit ReviewTab(QWidget* parent = nullptr);
  ~ReviewTab() override;

  // Reads and analyses a recording. On failure returns false and says why in *error; the tab
  // keeps what it showed before. Never opens a dialog (the caller decides how to tell).
  bool openFile(const QString& path, QString* error);
  // Re-analyses only [from_s, to_s] of the open recording (NaN = open end).
  bool analyseRange(double from_s, double to_s, QString* error);
  bool analyseWholeRecording(QString* error);
  // Writes the one-page report; PDF or PNG by the file suffix.
  bool exportReport(const QString& path, QString* error) const;

  const report::Session* session() const { return session_.get(); }
  std::shared_ptr<const report::Session> sharedSession() const { return session_; }
  QAbstractItemModel* stepsView() const;  // what the table shows (sorted)
  SummaryPanel* summaryPanel() const { return summary_; }
  // Step-time asymmetry beside the left/right drop values: "Step-time asymmetry 40.0 % (L 0.60 s
  // / R 0.40 s)", and the stance times with which side's steps last longer.
  QLabel* stepTimeLabel() const { return step_time_label_; }
  QLabel* stanceTimeLabel() const { return stance_time_label_; }
  TimelineView* timeline() const { return timeline_; }
  StepMetricChart* dropChart() const { return drop_chart_.get(); }
  TrendChart* trendChart() const { return trend_chart_.get(); }
  QTabWidget* chartTabs() const { return chart_tabs_; }

 signals:
  void sessionChanged();
  void statusMessage(const QString& message);
  void exportRequested();  // the "Export patient report…" button

 private:
  void showSession(std::shared_ptr<report::Session> session);
  void addStepTimeLabels();
  void showStepTimes(const dsp::Summary& summary);
  void onStepActivated(const QModelIndex& index);

  std::shared_ptr<report::Session> session_;
  QLabel* file_label_ = nullptr;
  QLabel* details_label_ = nullptr;
  QLabel* range_label_ = nullptr;
  QDoubleSpinBox* from_ = nullptr;
  QDoubleSpinBox* to_ = nullptr;
  QPushButton* analyse_range_ = nullptr;
  QPushButton* whole_ = nullptr;
  QPushButton* export_ = nullptr;
  TimelineView* timeline_ = nullptr;
  SummaryPanel* summary_ = nullptr;
  QLabel* step_time_label_ = nullptr;
  QLabel* stance_time_label_ = nullptr;
  StepsTableModel* steps_model_ = nullptr;
  QSortFilterProxyModel* steps_proxy_ = nullptr;
  QTableView* steps_table_ = nullptr;
  std::unique_ptr<StepMetricChart> drop_chart_;
  std::unique_ptr<TrendChart> trend_chart_;  // per minute: long runs, fatigue
  QTabWidget* chart_tabs_ = nullptr;
};

// "walk_200hz.h5 · 1 min 08 s · pelvis, 200 Hz" and similar one-line descriptions.
QString describeSession(const report::Session& session);

}  // namespace stridelab::studio
