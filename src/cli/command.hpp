#pragma once
// Subcommand registry: each src/cli/cmd_*.cpp registers itself with STRIDELAB_COMMAND, so
// adding a subcommand touches only its own file and the source list in CMakeLists.txt. Also
// the parse-and-report-errors loop shared by `stridelab` and `stridelab-report`.
#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace stridelab::cli {

// Thrown by a subcommand to end the program with a specific exit status.
struct Exit {
  int code;
  std::string message;  // printed to stderr as "stridelab: <message>" when not empty
};

// Exit statuses shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;    // bad input, I/O failure
inline constexpr int kExitUsage = 64;   // bad command line (sysexits EX_USAGE)
inline constexpr int kExitPartial = 3;  // batch: some inputs failed, the rest are done

using Registrar = std::function<void(CLI::App& app)>;
int add_command(const std::string& name, Registrar registrar);
// Adds every registered subcommand to `app`, in name order (a stable --help).
void add_registered_commands(CLI::App& app);

// Parses the command line and runs what it selects. Every error ends as one line on stderr
// ("stridelab: ...") and a non-zero exit status; nothing escapes as a crash.
int run_command_line(CLI::App& app, int argc, char** argv);

// The report needs Qt, so it is a program of its own next to `stridelab`, which hands
// `stridelab report ARGS` to it (cmd_report.cpp); both show the same one-line description.
inline constexpr const char* kReportProgram = "stridelab-report";
inline constexpr const char* kReportDescription = "One-page patient report (A4 PDF and/or PNG)";
// `stridelab history --png` has the figure drawn by this program, for the same reason.
inline constexpr const char* kHistoryFigureProgram = "stridelab-history-figure";

}  // namespace stridelab::cli

#define STRIDELAB_CLI_CONCAT2(a, b) a##b
#define STRIDELAB_CLI_CONCAT(a, b) STRIDELAB_CLI_CONCAT2(a, b)
// STRIDELAB_COMMAND("info", [](CLI::App& app) { ... app.add_subcommand("info", ...) ... });
#define STRIDELAB_COMMAND(name, registrar)                                         \
  static const int STRIDELAB_CLI_CONCAT(stridelab_command_registered_, __LINE__) = \
      ::stridelab::cli::add_command(name, registrar)
