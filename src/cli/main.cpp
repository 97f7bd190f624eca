// The `stridelab` command: parses the command line and runs one subcommand. Every error ends
// as one line on stderr and a non-zero exit status; nothing escapes as a crash.
#include <algorithm>
#include <exception>
#include <iostream>
#include <map>

#include "cli/command.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/core/version.hpp"

namespace stridelab::cli {

static std::map<std::string, Registrar>& registry() {
  static std::map<std::string, Registrar> commands;  // sorted: stable --help order
  return commands;
}

int add_command(const std::string& name, Registrar registrar) {
  registry()[name] = std::move(registrar);
  return 0;
}

}  // namespace stridelab::cli

int main(int argc, char** argv) {
  using namespace stridelab;
  CLI::App app{"stridelab: per-step hip drop, trunk rotation and cadence from a pelvis IMU",
               "stridelab"};
  app.set_version_flag("--version", std::string(version()));
  app.require_subcommand(1);
  for (auto& [name, registrar] : cli::registry()) registrar(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : cli::kExitUsage;
  } catch (const cli::Exit& e) {
    if (!e.message.empty()) std::cerr << "stridelab: " << e.message << "\n";
    return e.code;
  } catch (const Error& e) {
    std::cerr << "stridelab: error: " << e.what() << "\n";
    return cli::kExitError;
  } catch (const std::exception& e) {
    std::cerr << "stridelab: internal error: " << e.what() << "\n";
    return cli::kExitError;
  }
  return 0;
}
