#include "stridelab/ingest/device_link.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "stridelab/core/error.hpp"

namespace stridelab::ingest {

namespace {

using Clock = std::chrono::steady_clock;

Clock::time_point deadline(double timeout_s) {
  return Clock::now() +
         std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout_s));
}

int ms_left(Clock::time_point end) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now());
  return static_cast<int>(std::max<long>(0, left.count()));
}

// Writes all bytes to a non-blocking fd, polling for room until the deadline.
bool write_all(int fd, std::span<const std::uint8_t> bytes, double timeout_s, int flags,
               bool is_socket) {
  const auto end = deadline(timeout_s);
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = is_socket ? ::send(fd, bytes.data() + done, bytes.size() - done, flags)
                                : ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return false;
    pollfd p{fd, POLLOUT, 0};
    if (ms_left(end) == 0 || ::poll(&p, 1, ms_left(end)) <= 0) return false;
    if (p.revents & (POLLERR | POLLNVAL)) return false;
  }
  return true;
}

void set_nonblocking(int fd) {
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

class PtyLink final : public DeviceLink {
 public:
  explicit PtyLink(std::filesystem::path link) : link_(std::move(link)) { plug(); }
  ~PtyLink() override { unplug(); }
  std::string address() const override { return "pty: " + slave_; }
  bool reader_present() override {
    if (master_ < 0) return false;
    pollfd p{master_, POLLOUT, 0};
    ::poll(&p, 1, 0);
    return !(p.revents & POLLHUP);  // HUP while no one has the slave open
  }
  bool write(std::span<const std::uint8_t> bytes, double timeout_s) override {
    return master_ >= 0 && write_all(master_, bytes, timeout_s, 0, false);
  }
  void drain(double timeout_s) override {
    // Written bytes pass through the pty's flip buffer (a kernel worker) before the slave can
    // count them, and closing the master discards what the reader has not read: "nothing
    // pending" must hold for 0.2 s (10 probes; a loaded machine delays that worker).
    const auto end = deadline(timeout_s);
    int quiet = 0;
    while (master_ >= 0 && reader_present() && ms_left(end) > 0 && quiet < 10) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      quiet = pending_input() == 0 ? quiet + 1 : 0;
    }
  }
  int pending_input() const {
    const int probe = ::open(slave_.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK);
    int pending = 1;
    if (probe >= 0) {
      ::ioctl(probe, FIONREAD, &pending);
      ::close(probe);
    }
    return pending;
  }
  void unplug() override {
    if (master_ >= 0) ::close(master_);
    master_ = -1;
    if (!link_.empty()) {
      std::error_code ec;
      std::filesystem::remove(link_, ec);
    }
  }
  void plug() override {
    unplug();
    master_ = ::posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
    if (master_ < 0 || ::grantpt(master_) != 0 || ::unlockpt(master_) != 0)
      throw Error(std::string("cannot create a pseudo-terminal: ") + std::strerror(errno));
    slave_ = ::ptsname(master_);
    // Raw mode before the first byte: a cooked line discipline would turn 0x0D into 0x0A,
    // act on ^C/^Z/^D and echo; the pty keeps these settings while the master is open.
    const int slave = ::open(slave_.c_str(), O_RDWR | O_NOCTTY);
    if (slave < 0) throw Error("cannot open " + slave_ + ": " + std::strerror(errno));
    termios t{};
    ::tcgetattr(slave, &t);
    ::cfmakeraw(&t);
    ::tcsetattr(slave, TCSANOW, &t);
    ::close(slave);
    if (!link_.empty()) {
      const auto tmp = link_.string() + ".new";
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      std::filesystem::create_symlink(slave_, tmp);
      std::filesystem::rename(tmp, link_);  // atomic re-point
    }
  }

 private:
  std::filesystem::path link_;
  std::string slave_;
  int master_ = -1;
};

sockaddr_in ipv4(const std::string& host, unsigned short port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  if (::inet_pton(AF_INET, host.c_str(), &a.sin_addr) != 1)
    throw Error("'" + host + "' is not an IPv4 address");
  return a;
}

class TcpLink final : public DeviceLink {
 public:
  TcpLink(std::string bind_address, unsigned short port)
      : bind_(std::move(bind_address)), port_(port) {
    plug();
  }
  ~TcpLink() override { unplug(); }
  std::string address() const override { return "tcp: " + bind_ + ":" + std::to_string(port_); }
  bool reader_present() override {
    if (listener_ < 0) return false;
    const int c = ::accept(listener_, nullptr, nullptr);
    if (c >= 0) {  // a new client replaces the old one (a recorder that reconnected)
      if (client_ >= 0) ::close(client_);
      client_ = c;
      set_nonblocking(client_);
    }
    if (client_ >= 0) {  // a client that hung up reads as EOF
      pollfd p{client_, POLLIN, 0};
      char byte;
      if (::poll(&p, 1, 0) > 0 &&
          (p.revents & (POLLHUP | POLLERR) || ::recv(client_, &byte, 1, MSG_PEEK) == 0)) {
        ::close(client_);
        client_ = -1;
      }
    }
    return client_ >= 0;
  }
  bool write(std::span<const std::uint8_t> bytes, double timeout_s) override {
    if (client_ < 0) return false;
    if (write_all(client_, bytes, timeout_s, MSG_NOSIGNAL, true)) return true;
    ::close(client_);
    client_ = -1;
    return false;
  }
  void drain(double) override {}  // sent bytes reach the peer before the FIN
  void unplug() override {
    if (client_ >= 0) ::close(client_);
    if (listener_ >= 0) ::close(listener_);
    client_ = listener_ = -1;
  }
  void plug() override {
    unplug();
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a = ipv4(bind_, port_);
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::listen(listener_, 4) != 0)
      throw Error("cannot listen on " + bind_ + ":" + std::to_string(port_) + ": " +
                  std::strerror(errno));
    socklen_t len = sizeof a;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);  // an ephemeral port stays the same across re-plugs
    set_nonblocking(listener_);
  }

 private:
  std::string bind_;
  unsigned short port_;
  int listener_ = -1;
  int client_ = -1;
};

class UdpLink final : public DeviceLink {
 public:
  UdpLink(const std::string& host, unsigned short port)
      : host_(host), port_(port), to_(ipv4(host, port)) {
    fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    set_nonblocking(fd_);
  }
  ~UdpLink() override { ::close(fd_); }
  std::string address() const override { return "udp: " + host_ + ":" + std::to_string(port_); }
  bool reader_present() override { return up_; }
  bool write(std::span<const std::uint8_t> bytes, double timeout_s) override {
    if (!up_) return false;
    const auto end = deadline(timeout_s);
    for (;;) {
      const ssize_t n = ::sendto(fd_, bytes.data(), bytes.size(), 0,
                                 reinterpret_cast<const sockaddr*>(&to_), sizeof to_);
      if (n == static_cast<ssize_t>(bytes.size())) return true;
      if (n < 0 && errno == ECONNREFUSED) continue;  // an earlier datagram found no listener
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return false;
      pollfd p{fd_, POLLOUT, 0};
      if (ms_left(end) == 0 || ::poll(&p, 1, ms_left(end)) <= 0) return false;
    }
  }
  void drain(double) override {}
  void unplug() override { up_ = false; }
  void plug() override { up_ = true; }

 private:
  std::string host_;
  unsigned short port_;
  sockaddr_in to_;
  int fd_ = -1;
  bool up_ = true;
};

}  // namespace

std::unique_ptr<DeviceLink> make_pty_link(const std::filesystem::path& link) {
  return std::make_unique<PtyLink>(link);
}
std::unique_ptr<DeviceLink> make_tcp_link(const std::string& bind_address, unsigned short port) {
  return std::make_unique<TcpLink>(bind_address, port);
}
std::unique_ptr<DeviceLink> make_udp_link(const std::string& host, unsigned short port) {
  return std::make_unique<UdpLink>(host, port);
}

}  // namespace stridelab::ingest
