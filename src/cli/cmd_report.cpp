// `stridelab report ...`: runs stridelab-report (report_main.cpp) from the folder this program
// is in, with the same arguments. The report draws with Qt; keeping it in its own program keeps
// Qt's 60-odd shared libraries out of every other subcommand's start-up.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/command.hpp"

namespace stridelab::cli {
namespace {

std::filesystem::path report_program() {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return (ec ? std::filesystem::path(".") : self.parent_path()) / kReportProgram;
}

[[noreturn]] void run(const std::vector<std::string>& args) {
  const std::string program = report_program().string();
  std::vector<char*> argv{const_cast<char*>(program.c_str())};
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  ::execv(program.c_str(), argv.data());  // returns only on failure
  const int err = errno;
  throw Exit{kExitError, "report: cannot run " + program + " (" + std::strerror(err) +
                             "); the report is a separate program, built with the GUI "
                             "(cmake -DSTRIDELAB_BUILD_GUI=ON, Qt 6)"};
}

void register_report(CLI::App& app) {
  auto* cmd = app.add_subcommand("report", kReportDescription);
  // Everything after `report`, --help included, belongs to stridelab-report.
  cmd->prefix_command();
  cmd->set_help_flag();
  cmd->callback([cmd] { run(cmd->remaining()); });
}

}  // namespace
STRIDELAB_COMMAND("report", register_report);
}  // namespace stridelab::cli
