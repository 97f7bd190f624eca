#include "studio/main_window.hpp"

#include <QAction>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QStatusBar>
#include <QTabWidget>

#include "stridelab/core/version.hpp"
#include "stridelab/report/session.hpp"
#include "studio/compare/compare_tab.hpp"
#include "studio/history/history_tab.hpp"
#include "studio/live/live_tab.hpp"
#include "studio/review/review_tab.hpp"

namespace stridelab::studio {
namespace {

// Other devices' files open as they are (the content decides the format, not the extension).
const QString kRecordingFilter = QObject::tr(
    "Recordings (*.h5 *.hdf5 *.csv *.cwa *.txt *.zip);;HDF5: stridelab, APDM Opal (*.h5 *.hdf5);;"
    "CSV: stridelab, Xsens DOT, phyphox (*.csv);;Axivity AX3/AX6 (*.cwa);;"
    "Xsens MT Manager export (*.txt);;Sensor Logger / phyphox export (*.zip);;All files (*)");

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("stridelab studio"));
  setAcceptDrops(true);
  tabs_ = new QTabWidget();
  tabs_->setDocumentMode(true);
  live_ = new LiveTab();
  review_ = new ReviewTab();
  compare_ = new CompareTab();
  tabs_->addTab(live_, tr("Live"));
  tabs_->addTab(review_, tr("Review"));
  tabs_->addTab(compare_, tr("Compare"));
  history_ = new HistoryTab();
  tabs_->addTab(history_, tr("History"));
  tabs_->setTabToolTip(kHistory, tr("One person's sessions over weeks: trends and volume"));
  connect(history_, &HistoryTab::statusMessage, this, &MainWindow::onStatusMessage);
  tabs_->setTabToolTip(kLive, tr("Connect sensors, watch hip drop and cadence, record a trial"));
  tabs_->setTabToolTip(kReview, tr("Open a recording: timeline, steps, summary, report"));
  tabs_->setTabToolTip(kCompare, tr("Two sessions side by side, e.g. before and after"));
  setCentralWidget(tabs_);
  createMenus();

  connect(live_, &LiveTab::statusMessage, this, &MainWindow::onStatusMessage);
  connect(review_, &ReviewTab::statusMessage, this, &MainWindow::onStatusMessage);
  connect(review_, &ReviewTab::exportRequested, this, &MainWindow::exportReportWithDialog);
  connect(compare_, &CompareTab::statusMessage, this, &MainWindow::onStatusMessage);
  connect(live_, &LiveTab::recordingSaved, this, [this](const QString& path) {
    statusBar()->showMessage(tr("Saved %1. Opening it in Review…").arg(path), 8000);
    QString error;
    if (openRecording(path, &error)) showTab(kReview);
  });
  statusBar()->showMessage(tr("Ready. Open a recording (Ctrl+O) or connect a sensor."));
  resize(1500, 950);
}

MainWindow::~MainWindow() = default;

void MainWindow::onStatusMessage(const QString& message) {
  statusBar()->showMessage(message, 10000);
}

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* open = file->addAction(tr("&Open recording…"), this, &MainWindow::openWithDialog);
  open->setShortcut(QKeySequence::Open);
  file->addAction(tr("&Compare two recordings…"), this, [this] {
    compare_->chooseFiles();
    showTab(kCompare);
  });
  file->addSeparator();
  QAction* report =
      file->addAction(tr("&Export patient report…"), this, &MainWindow::exportReportWithDialog);
  report->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
  file->addAction(tr("Save &screenshot…"), this, &MainWindow::saveScreenshotWithDialog);
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  QMenu* view = menuBar()->addMenu(tr("&View"));
  const QString names[4] = {tr("&Live"), tr("&Review"), tr("&Compare"), tr("&History")};
  for (int i = 0; i < 4; ++i) {
    QAction* a = view->addAction(names[i], this, [this, i] { showTab(static_cast<Tab>(i)); });
    a->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
  }

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("What the &numbers mean"), this, &MainWindow::showMetricsHelp);
  help->addAction(tr("&About stridelab studio"), this, &MainWindow::showAbout);
}

bool MainWindow::openRecording(const QString& path, QString* error) {
  if (!review_->openFile(path, error)) return false;
  showTab(kReview);
  setWindowTitle(tr("%1 — stridelab studio").arg(QFileInfo(path).fileName()));
  return true;
}

bool MainWindow::compareRecordings(const QString& a, const QString& b, QString* error) {
  if (!compare_->openFiles(a, b, error)) return false;
  showTab(kCompare);
  return true;
}

void MainWindow::showTab(Tab tab) {
  tabs_->setCurrentIndex(tab);
}

void MainWindow::openWithDialog() {
  const QString path =
      QFileDialog::getOpenFileName(this, tr("Open recording"), QString(), kRecordingFilter);
  if (path.isEmpty()) return;
  QString error;
  if (!openRecording(path, &error)) QMessageBox::warning(this, tr("Cannot open recording"), error);
}

void MainWindow::exportReportWithDialog() {
  if (!review_->session()) {
    QMessageBox::information(this, tr("Export patient report"),
                             tr("Open a recording in the Review tab first."));
    return;
  }
  const QString suggested =
      QFileInfo(QString::fromStdString(review_->session()->path.string())).completeBaseName() +
      QStringLiteral("_report.pdf");
  const QString path = QFileDialog::getSaveFileName(this, tr("Export patient report"), suggested,
                                                    tr("PDF (*.pdf);;PNG image (*.png)"));
  if (path.isEmpty()) return;
  QString error;
  if (!review_->exportReport(path, &error))
    QMessageBox::warning(this, tr("Cannot write the report"), error);
  else
    statusBar()->showMessage(tr("Report written to %1").arg(path), 8000);
}

void MainWindow::saveScreenshotWithDialog() {
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Save screenshot"), QStringLiteral("stridelab.png"), tr("PNG image (*.png)"));
  if (path.isEmpty()) return;
  if (!grab().save(path, "PNG"))
    QMessageBox::warning(this, tr("Cannot save screenshot"), tr("Cannot write %1").arg(path));
}

void MainWindow::showMetricsHelp() {
  QMessageBox::information(
      this, tr("What the numbers mean"),
      tr("<b>Pelvic drop</b> (per step, degrees): the largest dip of the pelvis on the side of "
         "the swinging leg, relative to quiet standing. <i>Left stance</i> = standing on the "
         "left leg, the right side drops.<br><br>"
         "<b>Trunk rotation</b> (per stride, degrees): range of rotation about the vertical "
         "axis from one initial contact to the next of the same foot; turns are removed.<br><br>"
         "<b>Cadence</b> (steps/min): 60 / step time.<br><br>"
         "Means and SDs are over good steps; steps flagged for turns, gaps, clipping, an unsure "
         "side or unusual timing are left out."));
}

void MainWindow::showAbout() {
  QMessageBox::about(this, tr("About stridelab studio"),
                     tr("<b>stridelab studio %1</b><br>Per-step hip drop, trunk rotation and "
                        "cadence from a pelvis-worn IMU.<br>Left is drawn in blue with "
                        "circles, right in vermillion with squares, always labelled.")
                         .arg(QString::fromLatin1(version().data(), version().size())));
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  const QList<QUrl> urls = event->mimeData()->urls();
  if (urls.isEmpty()) return;
  QString error;
  if (urls.size() >= 2) {
    if (!compareRecordings(urls[0].toLocalFile(), urls[1].toLocalFile(), &error))
      QMessageBox::warning(this, tr("Cannot compare"), error);
  } else if (!openRecording(urls[0].toLocalFile(), &error)) {
    QMessageBox::warning(this, tr("Cannot open recording"), error);
  }
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (live_->isRecording()) {
    const auto answer =
        QMessageBox::question(this, tr("Recording in progress"),
                              tr("A recording is in progress. Stop it, save the file and quit?"));
    if (answer != QMessageBox::Yes) {
      event->ignore();
      return;
    }
  }
  live_->disconnectAll();
  event->accept();
}

}  // namespace stridelab::studio
