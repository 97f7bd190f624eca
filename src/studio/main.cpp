// stridelab-studio: the desktop application. Scriptable for documentation and CI:
//   stridelab-studio --open REC --screenshot F.png [--tab review|live|compare] [--size 1600x1000]
// renders the window offscreen (QT_QPA_PLATFORM=offscreen is set if nothing else is) and exits.
#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <cstdio>

#include "stridelab/core/version.hpp"
#include "studio/main_window.hpp"
#include "studio/style.hpp"

namespace {

bool wants_screenshot(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (QByteArray(argv[i]).startsWith("--screenshot")) return true;
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace stridelab::studio;
  const bool screenshot = wants_screenshot(argc, argv);
  if (screenshot && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
    qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("stridelab-studio"));
  QApplication::setOrganizationName(QStringLiteral("stridelab"));
  QApplication::setApplicationVersion(
      QString::fromLatin1(stridelab::version().data(), stridelab::version().size()));
  app.setStyle(QStringLiteral("Fusion"));
  app.setStyleSheet(style::applicationStyleSheet());

  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("stridelab studio: live and recorded gait "
                     "analysis from a pelvis-worn IMU"));
  parser.addHelpOption();
  parser.addVersionOption();
  QCommandLineOption open({"o", "open"}, "Open a recording (HDF5 or CSV) in Review.", "REC");
  QCommandLineOption compare("compare", "Compare with this recording (B) in Compare.", "REC");
  QCommandLineOption shot("screenshot", "Render the window to a PNG and exit.", "PNG");
  QCommandLineOption tab("tab", "Tab to show: live, review or compare.", "TAB");
  QCommandLineOption size("size", "Window size for --screenshot, e.g. 1600x1000.", "WxH",
                          "1600x1000");
  parser.addOptions({open, compare, shot, tab, size});
  parser.process(app);

  MainWindow window;
  const QStringList wh = parser.value(size).split('x');
  if (wh.size() == 2 && wh[0].toInt() > 200 && wh[1].toInt() > 200)
    window.resize(wh[0].toInt(), wh[1].toInt());
  window.show();

  QString error;
  if (parser.isSet(open) && !window.openRecording(parser.value(open), &error)) {
    std::fprintf(stderr, "stridelab-studio: %s\n", qPrintable(error));
    if (screenshot) return 1;
  }
  if (parser.isSet(compare)) {
    const QString a = parser.isSet(open) ? parser.value(open) : QString();
    if (a.isEmpty() || !window.compareRecordings(a, parser.value(compare), &error)) {
      std::fprintf(stderr, "stridelab-studio: %s\n",
                   a.isEmpty() ? "--compare needs --open" : qPrintable(error));
      if (screenshot) return 1;
    }
  }
  if (parser.isSet(tab)) {
    const QString t = parser.value(tab).toLower();
    window.showTab(t == "live"      ? MainWindow::kLive
                   : t == "compare" ? MainWindow::kCompare
                                    : MainWindow::kReview);
  }
  if (!screenshot) return app.exec();

  // Let layouts settle (a few event-loop turns), then grab the window as it would be shown.
  for (int i = 0; i < 5; ++i) QApplication::processEvents();
  const QString path = parser.value(shot);
  if (!window.grab().save(path, "PNG")) {
    std::fprintf(stderr, "stridelab-studio: cannot write %s\n", qPrintable(path));
    return 1;
  }
  return 0;
}
