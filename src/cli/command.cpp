// The subcommand registry and the error handling every stridelab program shares.
#include "cli/command.hpp"

#include <exception>
#include <iostream>
#include <map>

#include "stridelab/core/error.hpp"

namespace stridelab::cli {

static std::map<std::string, Registrar>& registry() {
  static std::map<std::string, Registrar> commands;  // sorted: stable --help order
  return commands;
}

int add_command(const std::string& name, Registrar registrar) {
  registry()[name] = std::move(registrar);
  return 0;
}

void add_registered_commands(CLI::App& app) {
  for (auto& [name, registrar] : registry()) registrar(app);
}

int run_command_line(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitUsage;
  } catch (const Exit& e) {
    if (!e.message.empty()) std::cerr << "stridelab: " << e.message << "\n";
    return e.code;
  } catch (const Error& e) {
    std::cerr << "stridelab: error: " << e.what() << "\n";
    return kExitError;
  } catch (const std::exception& e) {
    std::cerr << "stridelab: internal error: " << e.what() << "\n";
    return kExitError;
  }
  return 0;
}

}  // namespace stridelab::cli
