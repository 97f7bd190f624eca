// stridelab-studio: the desktop application. Scriptable for documentation and CI:
//   stridelab-studio --open REC --screenshot F.png [--tab review|live|compare|history]
//                    [--size 1600x1000]
//   stridelab-studio --history DIR --screenshot history.png
//   stridelab-studio --connect tcp:127.0.0.1:9000 --wait 20 --screenshot live.png
// renders the window offscreen (QT_QPA_PLATFORM=offscreen is set if nothing else is) and exits.
#include <QApplication>
#include <QCommandLineParser>
#include <QEventLoop>
#include <QTimer>

#include <cstdio>
#include <vector>

#include "stridelab/core/error.hpp"
#include "stridelab/core/version.hpp"
#include "stridelab/ingest/source_config.hpp"
#include "studio/history/history_tab.hpp"
#include "studio/live/live_tab.hpp"
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
  QCommandLineOption history_paths("history", "Show this folder's (or file's) sessions in History.",
                                   "PATH");
  QCommandLineOption shot("screenshot", "Render the window to a PNG and exit.", "PNG");
  QCommandLineOption tab("tab", "Tab to show: live, review, compare or history.", "TAB");
  QCommandLineOption connect_to(
      "connect",
      "Connect a live sensor: serial:DEV[:BAUD], tcp:HOST:PORT or udp:PORT (repeat for "
      "several sensors).",
      "SOURCE");
  QCommandLineOption wait("wait", "With --screenshot: wait this long first (live data), s.", "S",
                          "0");
  QCommandLineOption size("size", "Window size for --screenshot, e.g. 1600x1000.", "WxH",
                          "1600x1000");
  parser.addOptions({open, compare, history_paths, shot, tab, size, connect_to, wait});
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
  if (parser.isSet(history_paths)) {
    if (!window.historyTab()->openPaths(parser.values(history_paths), &error)) {
      std::fprintf(stderr, "stridelab-studio: %s\n", qPrintable(error));
      if (screenshot) return 1;
    }
    window.showTab(MainWindow::kHistory);
  }
  if (parser.isSet(connect_to)) {
    std::vector<stridelab::ingest::SourceConfig> sources;
    try {
      for (const QString& spec : parser.values(connect_to)) {
        const std::string rest = spec.section(':', 1).toStdString();
        if (spec.startsWith("serial:"))
          sources.push_back(stridelab::ingest::serial_source(rest));
        else if (spec.startsWith("tcp:"))
          sources.push_back(stridelab::ingest::tcp_source(rest));
        else if (spec.startsWith("udp:"))
          sources.push_back(stridelab::ingest::udp_source(rest));
        else
          throw stridelab::Error("--connect: expected serial:, tcp: or udp:, got '" +
                                 spec.toStdString() + "'");
      }
    } catch (const stridelab::Error& e) {
      std::fprintf(stderr, "stridelab-studio: %s\n", e.what());
      return 64;
    }
    if (!window.liveTab()->connectSources(sources, &error)) {
      std::fprintf(stderr, "stridelab-studio: %s\n", qPrintable(error));
      if (screenshot) return 1;
    }
    window.showTab(MainWindow::kLive);
  }
  if (parser.isSet(tab)) {
    const QString t = parser.value(tab).toLower();
    window.showTab(t == "live"      ? MainWindow::kLive
                   : t == "compare" ? MainWindow::kCompare
                   : t == "history" ? MainWindow::kHistory
                                    : MainWindow::kReview);
  }
  if (!screenshot) return app.exec();

  // Let layouts settle and live data arrive, then grab the window as it would be shown.
  const int wait_ms = static_cast<int>(parser.value(wait).toDouble() * 1000);
  if (wait_ms > 0) {
    QEventLoop loop;
    QTimer::singleShot(wait_ms, &loop, &QEventLoop::quit);
    loop.exec();
  }
  for (int i = 0; i < 5; ++i) QApplication::processEvents();
  const QString path = parser.value(shot);
  if (!window.grab().save(path, "PNG")) {
    std::fprintf(stderr, "stridelab-studio: cannot write %s\n", qPrintable(path));
    return 1;
  }
  return 0;
}
