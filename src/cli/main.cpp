// The `stridelab` command: parses the command line and runs one subcommand. It links no Qt:
// `report` runs the separate stridelab-report program (cmd_report.cpp), so starting up stays
// cheap for everything else (docs/PERFORMANCE.md "Process start").
#include "cli/command.hpp"
#include "stridelab/core/version.hpp"

int main(int argc, char** argv) {
  using namespace stridelab;
  CLI::App app{"stridelab: per-step hip drop, trunk rotation and cadence from a pelvis IMU",
               "stridelab"};
  app.set_version_flag("--version", std::string(version()));
  app.require_subcommand(1);
  cli::add_registered_commands(app);
  return cli::run_command_line(app, argc, argv);
}
