#pragma once
// Real links for ingest tests, built with plain POSIX calls (independent of the code under
// test): a pseudo-terminal pair behind a stable symlink, a loopback TCP server, a UDP sender.
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace stridelab::testing {

// A pty whose slave is reachable under a fixed symlink path; close() unplugs it, open()
// plugs a new one in (usually a different /dev/pts/N) and re-points the link.
class PtyDevice {
 public:
  explicit PtyDevice(std::filesystem::path link) : link_(std::move(link)) { open(); }
  ~PtyDevice() { close(); }
  void open() {
    master_ = ::posix_openpt(O_RDWR | O_NOCTTY);
    if (master_ < 0 || ::grantpt(master_) != 0 || ::unlockpt(master_) != 0)
      throw std::runtime_error("posix_openpt failed");
    slave_path_ = ::ptsname(master_);
    // Raw mode before any byte flows: the line discipline would otherwise eat 0x03, 0x0D...
    const int slave = ::open(slave_path_.c_str(), O_RDWR | O_NOCTTY);
    termios t{};
    ::tcgetattr(slave, &t);
    ::cfmakeraw(&t);
    ::tcsetattr(slave, TCSANOW, &t);
    ::close(slave);
    std::error_code ec;
    std::filesystem::remove(link_, ec);
    std::filesystem::create_symlink(slave_path_, link_);
  }
  void close() {
    if (master_ >= 0) ::close(master_);
    master_ = -1;
    std::error_code ec;
    std::filesystem::remove(link_, ec);
  }
  void write(const std::vector<std::uint8_t>& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::write(master_, bytes.data() + done, bytes.size() - done);
      if (n <= 0) throw std::runtime_error("pty write failed");
      done += static_cast<std::size_t>(n);
    }
  }
  const std::filesystem::path& link() const { return link_; }
  const std::string& slave_path() const { return slave_path_; }

 private:
  std::filesystem::path link_;
  std::string slave_path_;
  int master_ = -1;
};

// Accepts one client at a time on 127.0.0.1:port and lets the test write to it.
class TcpServer {
 public:
  explicit TcpServer(unsigned short port = 0) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd_, 4) != 0)
      throw std::runtime_error("cannot listen on 127.0.0.1:" + std::to_string(port));
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~TcpServer() {
    drop_client();
    ::close(fd_);
  }
  unsigned short port() const { return port_; }
  bool accept_client(double timeout_s = 5.0) {
    timeval tv{static_cast<time_t>(timeout_s), 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    client_ = ::accept(fd_, nullptr, nullptr);
    return client_ >= 0;
  }
  void write(const std::vector<std::uint8_t>& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::send(client_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n <= 0) throw std::runtime_error("tcp send failed");
      done += static_cast<std::size_t>(n);
    }
  }
  void drop_client() {
    if (client_ >= 0) ::close(client_);
    client_ = -1;
  }

 private:
  int fd_ = -1;
  int client_ = -1;
  unsigned short port_ = 0;
};

// A port that was free a moment ago (for listeners that need a fixed number).
inline unsigned short free_udp_port() {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

// Sends datagrams to 127.0.0.1:port from one socket (one sender address, like a device).
class UdpSender {
 public:
  explicit UdpSender(unsigned short port) : fd_(::socket(AF_INET, SOCK_DGRAM, 0)) {
    to_.sin_family = AF_INET;
    to_.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    to_.sin_port = htons(port);
  }
  ~UdpSender() { ::close(fd_); }
  void send(const std::vector<std::uint8_t>& bytes) {
    ::sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(&to_),
             sizeof to_);
  }

 private:
  int fd_;
  sockaddr_in to_{};
};

// Polls cond every 5 ms for up to timeout_s.
inline bool wait_for(const std::function<bool()>& cond, double timeout_s = 5.0) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  while (std::chrono::steady_clock::now() < end) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return cond();
}

// A fresh directory under the build tree's temp area.
inline std::filesystem::path temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("stridelab-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace stridelab::testing
