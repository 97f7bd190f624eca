// `stridelab history DIR|FILES`: one point per session, a trend per metric against the minimal
// detectable change, and the weekly volume (README "History", docs/FILE_FORMAT.md "History
// tables"). Batch results are used where they exist; the rest is analysed here. The figure
// (--png) needs Qt, so stridelab-history-figure draws it from the sessions table, keeping Qt
// out of this program as `report` does.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/csv_input.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/history/history.hpp"
#include "stridelab/pipeline/analyze_recording.hpp"

extern char** environ;

namespace stridelab::cli {
namespace {

namespace fs = std::filesystem;

struct HistoryOptions {
  std::vector<std::string> inputs;
  std::string subject, results, csv, trends_csv, weeks_csv, png;
  CsvInput csv_input;
  pipeline::AnalysisRequest request;
};

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out.flush()) throw Error(path + ": cannot write");
}

std::string figure(const history::Figure& f, int precision) {
  if (!std::isfinite(f.mean)) return "-";
  if (!std::isfinite(f.sd)) return fmt::format("{:.{}f}", f.mean, precision);
  return fmt::format("{:.{}f}±{:.{}f}", f.mean, precision, f.sd, precision);
}

void print(const history::History& h) {
  using history::Metric;
  const auto& first = h.sessions.front();
  const auto& last = h.sessions.back();
  std::cout << fmt::format("subject {}: {} sessions, {} to {} ({:.1f} weeks)\n", h.subject,
                           h.sessions.size(), history::format_date(first.start_unix_s),
                           history::format_date(last.start_unix_s),
                           (last.start_unix_s - first.start_unix_s) / (7 * 86400.0));
  std::cout << fmt::format("{:<11} {:<9} {:>6} {:>6} {:>10} {:>10} {:>11} {:>10} {:>6}  {}\n",
                           "date", "results", "steps", "min", "drop L", "drop R", "cadence",
                           "rotation", "asym%", "session");
  for (const auto& s : h.sessions)
    std::cout << fmt::format(
        "{:<11} {:<9} {:>6} {:>6.1f} {:>10} {:>10} {:>11} {:>10} {:>6}  {}\n",
        history::format_date(s.start_unix_s), s.results_from, s.steps, s.gait_minutes,
        figure(s.figure(Metric::kDropLeft), 1), figure(s.figure(Metric::kDropRight), 1),
        figure(s.figure(Metric::kCadence), 1), figure(s.figure(Metric::kRotation), 1),
        figure({s.figure(Metric::kAsymmetry).mean, history::kNaN, 0, history::kNaN}, 1), s.id);
  std::cout << "\ntrend (least squares vs days)      per week     total     MDC95  beyond noise\n";
  auto number = [](double v, const char* spec) {
    return std::isfinite(v) ? fmt::format(fmt::runtime(spec), v) : std::string("-");
  };
  for (const auto& t : h.trends)
    std::cout << fmt::format("{:<34} {:>8} {:>9} {:>9}  {}\n", history::metric_label(t.metric),
                             number(t.per_week, "{:+.3f}"), number(t.total_change, "{:+.3f}"),
                             number(t.mdc95, "{:.3f}"),
                             std::isfinite(t.total_change) ? (t.exceeds_mdc ? "yes" : "no") : "-");
  std::cout << "\nweek of       sessions   minutes   change     steps   change\n";
  auto change = [](double pct) {  // rounded first: no "-0%"
    const double r = std::round(pct);
    return !std::isfinite(r) ? std::string("-") : fmt::format("{:+.0f}%", r == 0 ? 0.0 : r);
  };
  for (const auto& w : h.weeks)
    std::cout << fmt::format("{:<13} {:>8} {:>9.1f} {:>8} {:>9} {:>8}\n", w.start_date, w.sessions,
                             w.gait_minutes, change(w.minutes_change_pct), w.steps,
                             change(w.steps_change_pct));
}

fs::path figure_program() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return (ec ? fs::path(".") : self.parent_path()) / kHistoryFigureProgram;
}

// Runs stridelab-history-figure SESSIONS.csv OUT.png and waits for it.
void draw_png(const std::string& sessions_csv, const std::string& png) {
  const std::string program = figure_program().string();
  std::vector<std::string> args{program, sessions_csv, png};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int err = ::posix_spawn(&pid, program.c_str(), nullptr, nullptr, argv.data(), environ);
  if (err != 0)
    throw Exit{kExitError, "history: cannot run " + program + " (" + std::strerror(err) +
                               "); the figure is drawn by a separate program, built with the GUI "
                               "(cmake -DSTRIDELAB_BUILD_GUI=ON, Qt 6)"};
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw Exit{kExitError, "history: " + png + " not written (" + program + " failed)"};
}

void run(const HistoryOptions& o) {
  history::CollectOptions c;
  for (const std::string& in : o.inputs) c.inputs.emplace_back(in);
  c.results_dir = o.results;
  c.subject = o.subject;
  c.csv = o.csv_input.options();
  const pipeline::AnalysisRequest request = o.request;
  std::vector<history::Skipped> skipped;
  auto sessions = history::collect_sessions(
      c,
      [&request](const Recording& rec) {
        auto r = request;
        r.keep_angles = false;  // only the summary and steps are used
        return pipeline::analyze_recording(rec, r).to_output();
      },
      skipped);
  for (const auto& s : skipped) std::cerr << "skipped: " << s.file << ": " << s.reason << "\n";
  if (sessions.empty())
    throw Exit{kExitError, o.subject.empty() ? "history: no sessions could be read"
                                             : "history: no sessions of subject " + o.subject};
  history::History h;
  try {
    h = history::make_history(std::move(sessions), o.subject);
  } catch (const Error& e) {
    throw Exit{kExitUsage, std::string("history: ") + e.what()};
  }
  h.skipped = skipped;
  print(h);
  if (!o.csv.empty()) write_file(o.csv, history::sessions_csv(h));
  if (!o.trends_csv.empty()) write_file(o.trends_csv, history::trends_csv(h));
  if (!o.weeks_csv.empty()) write_file(o.weeks_csv, history::weeks_csv(h));
  if (!o.png.empty()) {
    // The figure program reads the sessions table: the one asked for, or a temporary one.
    std::string table = o.csv;
    if (table.empty()) {
      table = (fs::temp_directory_path() / fmt::format("stridelab-history-{}.csv", ::getpid()))
                  .string();
      write_file(table, history::sessions_csv(h));
    }
    try {
      draw_png(table, o.png);
    } catch (...) {
      if (o.csv.empty()) fs::remove(table);
      throw;
    }
    if (o.csv.empty()) fs::remove(table);
  }
  if (!skipped.empty())
    throw Exit{kExitPartial, fmt::format("history: {} of {} recordings skipped", skipped.size(),
                                         skipped.size() + h.sessions.size())};
}

void register_history(CLI::App& app) {
  auto o = std::make_shared<HistoryOptions>();
  auto* cmd = app.add_subcommand(
      "history", "A person's sessions over weeks: trends against the detectable change, volume");
  cmd->add_option("DIR|FILES", o->inputs, "Folders (searched recursively) and recordings")
      ->required();
  cmd->add_option("--subject", o->subject,
                  "Only this subject (stored in the recording, else the name before '_', else "
                  "the folder name)");
  cmd->add_option("--results", o->results,
                  "Batch results folder to use (default: one inside DIR, if there is one)");
  cmd->add_option("--csv", o->csv, "Write one row per session (CSV)");
  cmd->add_option("--trends-csv", o->trends_csv, "Write one row per metric's trend (CSV)");
  cmd->add_option("--weeks-csv", o->weeks_csv, "Write one row per calendar week (CSV)");
  cmd->add_option("--png", o->png, "Draw the history as a PNG (needs the GUI build)");
  cmd->add_option("--activity", o->request.activity, "auto, walk or run (for analysed sessions)")
      ->check(CLI::IsMember({"auto", "walk", "run"}));
  add_csv_input_options(cmd, o->csv_input, /*with_time=*/false);
  cmd->callback([o] { run(*o); });
}

}  // namespace
STRIDELAB_COMMAND("history", register_history);
}  // namespace stridelab::cli
