// stridelab-history-figure SESSIONS.csv OUT.png: the history figure drawn from a sessions
// table that `stridelab history` wrote (which runs this program for --png). The trends and
// weeks are recomputed from the table: they are pure functions of the sessions.
#include <QGuiApplication>

#include <iostream>
#include <string>

#include "cli/command.hpp"
#include "stridelab/history/history.hpp"
#include "stridelab/report/history_figure.hpp"

int main(int argc, char** argv) {
  using namespace stridelab;
  CLI::App app{"History figure (PNG) from a `stridelab history --csv` table",
               "stridelab-history-figure"};
  std::string table, png;
  app.add_option("SESSIONS_CSV", table, "sessions table")->required()->check(CLI::ExistingFile);
  app.add_option("PNG", png, "figure to write")->required();
  app.callback([&] {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext&, const QString& msg) {
      if (type == QtCriticalMsg || type == QtFatalMsg)
        std::cerr << "stridelab: qt: " << msg.toStdString() << "\n";
    });
    int qt_argc = 1;
    char name[] = "stridelab";
    char* qt_argv[] = {name, nullptr};
    QGuiApplication qt(qt_argc, qt_argv);
    auto sessions = history::read_sessions_csv(table);
    const std::string subject = sessions.empty() ? std::string() : sessions.front().subject;
    report::write_history_png(png, history::make_history(std::move(sessions), subject));
  });
  return cli::run_command_line(app, argc, argv);
}
