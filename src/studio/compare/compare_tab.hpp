#pragma once
// Compare: two sessions side by side (e.g. before and after a cadence change): a table of the
// headline figures with the change, and each session's left-vs-right bars and drop per step.
#include <QString>
#include <QWidget>

#include <array>
#include <memory>

class QLabel;
class QTableWidget;

namespace stridelab::report {
struct Session;
}

namespace stridelab::studio {

class DropBarsWidget;
class StepMetricChart;

class CompareTab : public QWidget {
  Q_OBJECT
 public:
  explicit CompareTab(QWidget* parent = nullptr);
  ~CompareTab() override;

  // which = 0 (A, "before") or 1 (B, "after"). No dialogs; false + *error on failure.
  bool openSide(int which, const QString& path, QString* error);
  bool openFiles(const QString& a, const QString& b, QString* error);
  void chooseFiles();  // file dialogs for both sides

  const report::Session* session(int which) const { return sessions_.at(which).get(); }
  // Text in the comparison table: row key ("cadence", "drop_left", ...), column 0..2 (A, B,
  // change).
  QString tableText(const QString& key, int column) const;

 signals:
  void statusMessage(const QString& message);

 private:
  void updateTable();

  std::array<std::shared_ptr<report::Session>, 2> sessions_;
  std::array<QLabel*, 2> titles_{};
  std::array<DropBarsWidget*, 2> bars_{};
  std::array<std::unique_ptr<StepMetricChart>, 2> drop_charts_;
  QTableWidget* table_ = nullptr;
  QStringList row_keys_;
};

}  // namespace stridelab::studio
