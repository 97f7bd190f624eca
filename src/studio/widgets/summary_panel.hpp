#pragma once
// The headline figures of an analysed session on screen: key numbers, the left-vs-right
// pelvic drop bars (the same drawing as the report) and plain-language quality notes.
#include <QMap>
#include <QWidget>

#include "stridelab/report/report_model.hpp"

class QGridLayout;
class QLabel;

namespace stridelab::report {
struct Session;
}

namespace stridelab::studio {

// Left-vs-right pelvic drop bars, painted by the report's own painter.
class DropBarsWidget : public QWidget {
  Q_OBJECT
 public:
  explicit DropBarsWidget(QWidget* parent = nullptr);
  void setFigures(const report::SummaryFigures& figures);
  QSize sizeHint() const override { return {420, 130}; }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  report::SummaryFigures figures_;
  bool has_figures_ = false;
};

class SummaryPanel : public QWidget {
  Q_OBJECT
 public:
  explicit SummaryPanel(QWidget* parent = nullptr);
  void setSession(const report::Session* session);  // nullptr: empty panel

  // The text shown for one figure: "activity", "steps", "cadence", "drop_left", "drop_right",
  // "drop_difference", "trunk_rotation", "contact_time", "neutral", "quality".
  QString shownText(const QString& key) const;

 private:
  QLabel* addFigure(QGridLayout* grid, int row, int column, const QString& key,
                    const QString& title);
  QMap<QString, QLabel*> values_;
  DropBarsWidget* bars_ = nullptr;
  QLabel* quality_ = nullptr;
};

}  // namespace stridelab::studio
