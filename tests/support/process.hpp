#pragma once
// Running programs from tests: the built `stridelab` (and stridelab-report), python3, readelf.
// run_process() runs one to completion and hands back its exit status, stdout and stderr;
// ChildProcess keeps one running (a recorder, an emulator) and reads its stdout line by line.
// No shell in between: arguments are passed as they are, so paths need no quoting.
#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stridelab::testing {

// A program of the build tree: build/stridelab, build/stridelab-report.
std::string built_program(const std::string& name);
inline std::string stridelab_binary() {
  return built_program("stridelab");
}

struct ProcessResult {
  int status = -1;                                  // exit status; -N when killed by signal N
  std::string out;                                  // stdout
  std::string err;                                  // stderr
  std::string output() const { return out + err; }  // both, for failure messages
};

// Variables to set (or override) in the child's environment.
using Environment = std::vector<std::pair<std::string, std::string>>;

// Runs argv[0] (a path) with argv, stdin from /dev/null, and waits for it. A child still
// running after timeout_s is killed (status -SIGKILL). Throws if it cannot be started.
ProcessResult run_process(const std::vector<std::string>& argv, const Environment& env = {},
                          double timeout_s = 600.0);
// run_process({stridelab_binary(), args...}).
ProcessResult run_stridelab(const std::vector<std::string>& args, const Environment& env = {},
                            double timeout_s = 600.0);

// A running child with its stdout on a pipe; the destructor kills and reaps it if it still
// runs, so a failing test leaves no orphans.
class ChildProcess {
 public:
  // stderr goes to stderr_path (empty: inherited).
  explicit ChildProcess(const std::vector<std::string>& args, const std::string& stderr_path = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Next stdout line (without newline), or nullopt on timeout / EOF.
  std::optional<std::string> read_line(double timeout_s = 10.0);
  // Everything left on stdout until EOF (the child closed it or exited).
  std::string read_rest(double timeout_s = 10.0);
  void signal(int sig);
  bool running();
  // Waits up to timeout_s; returns the exit status (-signal if killed), nullopt if running.
  std::optional<int> wait(double timeout_s);
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::string buffer_;
  bool exited_ = false;
  int status_ = 0;
};

// A fresh, empty directory for one test.
std::filesystem::path fresh_dir(const std::string& name);

}  // namespace stridelab::testing
