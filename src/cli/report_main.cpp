// stridelab-report, run as `stridelab report REC --pdf F.pdf [--png F.png]`: the one-page
// patient report (A4) of a recording, headless (Qt's offscreen platform; no display needed).
// Same analysis as `stridelab analyze` (pipeline::analyze_recording), same page as the
// studio's "Export report". A program of its own so that only the report loads Qt.
#include <QGuiApplication>

#include <cmath>
#include <iostream>
#include <string>

#include "cli/command.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/report/report_renderer.hpp"
#include "stridelab/report/session.hpp"
#include "stridelab/storage/recording_io.hpp"

namespace stridelab::cli {
namespace {

struct ReportOptions {
  std::string input, pdf, png;
  int dpi = 150;
  double from_s = std::nan(""), to_s = std::nan("");
  std::string subject, notes;  // override what the recording says
  bool quiet = false;
};

void run(const ReportOptions& o) {
  if (o.pdf.empty() && o.png.empty())
    throw Exit{kExitUsage, "report: give --pdf FILE and/or --png FILE"};
  if (o.dpi < 50 || o.dpi > 1200) throw Exit{kExitUsage, "--dpi: expected 50..1200"};
  if (!std::isnan(o.from_s) && !std::isnan(o.to_s) && !(o.to_s > o.from_s))
    throw Exit{kExitUsage, "--to must be after --from"};

  // Text rendering needs a QGuiApplication; the offscreen platform needs no display.
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  int argc = 1;
  char name[] = "stridelab";
  char* argv[] = {name, nullptr};
  // Only Qt's critical messages reach the terminal (not e.g. "XDG_RUNTIME_DIR not set").
  qInstallMessageHandler([](QtMsgType type, const QMessageLogContext&, const QString& msg) {
    if (type == QtCriticalMsg || type == QtFatalMsg)
      std::cerr << "stridelab: qt: " << msg.toStdString() << "\n";
  });
  QGuiApplication app(argc, argv);

  Recording rec = storage::read_recording(o.input);
  if (!o.subject.empty()) rec.subject_id = o.subject;
  if (!o.notes.empty()) rec.notes = o.notes;
  report::Session session;
  try {
    session = report::analyze_session(std::move(rec), o.input, {o.from_s, o.to_s});
  } catch (const Error& e) {
    throw Error(o.input + ": " + e.what());
  }
  const report::ReportModel model = report::make_report_model(session);
  if (!o.pdf.empty()) report::write_report_pdf(o.pdf, model);
  if (!o.png.empty()) report::write_report_png(o.png, model, o.dpi);
  if (!o.quiet) {
    std::cout << "report: " << session.figures.steps << " steps";
    if (!o.pdf.empty()) std::cout << ", " << o.pdf;
    if (!o.png.empty()) std::cout << ", " << o.png;
    std::cout << "\n";
  }
}

void add_report_options(CLI::App& cmd, ReportOptions& opts) {
  cmd.add_option("REC", opts.input, "recording (HDF5 or CSV)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd.add_option("--pdf", opts.pdf, "write the report as PDF");
  cmd.add_option("--png", opts.png, "write the report as PNG");
  cmd.add_option("--dpi", opts.dpi, "PNG resolution, dots per inch")->capture_default_str();
  cmd.add_option("--from", opts.from_s, "analyse from this time, s");
  cmd.add_option("--to", opts.to_s, "analyse up to this time, s");
  cmd.add_option("--subject", opts.subject, "subject id to show (default: from the recording)");
  cmd.add_option("--notes", opts.notes, "notes to show (default: from the recording)");
  cmd.add_flag("-q,--quiet", opts.quiet, "print nothing on success");
}

}  // namespace
}  // namespace stridelab::cli

int main(int argc, char** argv) {
  using namespace stridelab::cli;
  // Named as users call it: help and usage read "stridelab report ...", as before the split.
  CLI::App app{kReportDescription, "stridelab report"};
  ReportOptions opts;
  add_report_options(app, opts);
  app.callback([&opts] { run(opts); });
  return run_command_line(app, argc, argv);
}
