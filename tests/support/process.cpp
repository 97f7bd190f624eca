#include "support/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace stridelab::testing {
namespace {

using Clock = std::chrono::steady_clock;

// Where the child's stderr goes.
enum class Stderr { kInherit, kFile, kPipe };

struct Spawned {
  pid_t pid = -1;
  int out = -1;  // read end of the child's stdout
  int err = -1;  // read end of its stderr (kPipe only)
};

// environ with `env` set on top (an existing NAME= entry is replaced).
std::vector<std::string> merged_environment(const Environment& env) {
  std::vector<std::string> out;
  for (char** e = environ; *e; ++e) {
    const std::string entry(*e);
    bool replaced = false;
    for (const auto& [name, value] : env) replaced |= entry.rfind(name + "=", 0) == 0;
    if (!replaced) out.push_back(entry);
  }
  for (const auto& [name, value] : env) out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

Spawned spawn(std::vector<std::string> args, Stderr where, const std::string& stderr_path,
              bool stdin_null, const Environment& env) {
  if (args.empty()) throw std::invalid_argument("spawn: no program");
  int out[2], err[2] = {-1, -1};
  if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  if (where == Stderr::kPipe && ::pipe2(err, O_CLOEXEC) != 0) {
    ::close(out[0]);
    ::close(out[1]);
    throw std::runtime_error("pipe failed");
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (stdin_null) posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
  if (where == Stderr::kFile)
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, stderr_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (where == Stderr::kPipe) posix_spawn_file_actions_adddup2(&fa, err[1], STDERR_FILENO);
  std::vector<std::string> env_strings = merged_environment(env);
  std::vector<char*> argv = c_strings(args), envp = c_strings(env_strings);
  Spawned s;
  const int rc = ::posix_spawn(&s.pid, argv[0], &fa, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  ::close(out[1]);
  if (err[1] >= 0) ::close(err[1]);
  if (rc != 0) {
    ::close(out[0]);
    if (err[0] >= 0) ::close(err[0]);
    throw std::runtime_error("cannot start " + args[0] + ": " + std::strerror(rc));
  }
  s.out = out[0];
  s.err = err[0];
  return s;
}

int decode_status(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

}  // namespace

std::string built_program(const std::string& name) {
  return std::string(STRIDELAB_BINARY_DIR) + "/" + name;
}

ProcessResult run_process(const std::vector<std::string>& argv, const Environment& env,
                          double timeout_s) {
  const Spawned s = spawn(argv, Stderr::kPipe, {}, true, env);
  ProcessResult r;
  const auto end = Clock::now() + std::chrono::duration<double>(timeout_s);
  // Both pipes at once: a child that fills one while we block on the other would hang.
  pollfd fds[2] = {{s.out, POLLIN, 0}, {s.err, POLLIN, 0}};
  std::string* sinks[2] = {&r.out, &r.err};
  bool timed_out = false;
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    if (::poll(fds, 2, static_cast<int>(left)) < 0 && errno != EINTR) break;
    for (int k = 0; k < 2; ++k) {
      if (fds[k].fd < 0 || fds[k].revents == 0) continue;
      char chunk[65536];
      const ssize_t n = ::read(fds[k].fd, chunk, sizeof chunk);
      if (n > 0) {
        sinks[k]->append(chunk, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fds[k].fd);
        fds[k].fd = -1;  // poll ignores negative descriptors
      }
    }
  }
  for (const pollfd& p : fds)
    if (p.fd >= 0) ::close(p.fd);
  if (timed_out) ::kill(s.pid, SIGKILL);
  int status = 0;
  while (::waitpid(s.pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.status = decode_status(status);
  return r;
}

ProcessResult run_stridelab(const std::vector<std::string>& args, const Environment& env,
                            double timeout_s) {
  std::vector<std::string> argv{stridelab_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, env, timeout_s);
}

ChildProcess::ChildProcess(const std::vector<std::string>& args, const std::string& stderr_path) {
  const Spawned s =
      spawn(args, stderr_path.empty() ? Stderr::kInherit : Stderr::kFile, stderr_path, false, {});
  pid_ = s.pid;
  out_ = s.out;
}

ChildProcess::~ChildProcess() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    wait(5.0);
  }
  if (out_ >= 0) ::close(out_);
}

std::optional<std::string> ChildProcess::read_line(double timeout_s) {
  const auto end = Clock::now() + std::chrono::duration<double>(timeout_s);
  for (;;) {
    const auto nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return line;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd p{out_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char chunk[4096];
    const ssize_t n = ::read(out_, chunk, sizeof chunk);
    if (n <= 0) return std::nullopt;
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

std::string ChildProcess::read_rest(double timeout_s) {
  std::string all;
  while (auto line = read_line(timeout_s)) all += *line + "\n";
  return all + std::exchange(buffer_, {});
}

void ChildProcess::signal(int sig) {
  if (running()) ::kill(pid_, sig);
}

bool ChildProcess::running() {
  if (exited_) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) {
    exited_ = true;
    status_ = status;
  }
  return !exited_;
}

std::optional<int> ChildProcess::wait(double timeout_s) {
  const auto end = Clock::now() + std::chrono::duration<double>(timeout_s);
  while (running()) {
    if (Clock::now() > end) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return decode_status(status_);
}

std::filesystem::path fresh_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("stridelab-it-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace stridelab::testing
