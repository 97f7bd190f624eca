#pragma once
// The studio's main window: Live, Review, Compare and History tabs, menus, status bar.
#include <QMainWindow>

class QTabWidget;

namespace stridelab::studio {

class CompareTab;
class HistoryTab;
class LiveTab;
class ReviewTab;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  enum Tab { kLive = 0, kReview = 1, kCompare = 2, kHistory = 3 };
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Opens a recording in the Review tab. Returns false with *error set; no dialog.
  bool openRecording(const QString& path, QString* error);
  // Loads two recordings side by side in the Compare tab.
  bool compareRecordings(const QString& a, const QString& b, QString* error);
  void showTab(Tab tab);

  LiveTab* liveTab() const { return live_; }
  ReviewTab* reviewTab() const { return review_; }
  CompareTab* compareTab() const { return compare_; }
  HistoryTab* historyTab() const { return history_; }

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  void closeEvent(QCloseEvent* event) override;

 private:
  void createMenus();
  void openWithDialog();
  void exportReportWithDialog();
  void saveScreenshotWithDialog();
  void showAbout();
  void showMetricsHelp();
  void onStatusMessage(const QString& message);

  QTabWidget* tabs_ = nullptr;
  LiveTab* live_ = nullptr;
  ReviewTab* review_ = nullptr;
  CompareTab* compare_ = nullptr;
  HistoryTab* history_ = nullptr;
};

}  // namespace stridelab::studio
