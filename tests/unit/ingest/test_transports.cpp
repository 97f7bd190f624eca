// Transports against real links: a pty behind a symlink, loopback TCP and UDP sockets.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <mutex>
#include <random>
#include <thread>

#include "stridelab/core/error.hpp"
#include "stridelab/ingest/byte_source.hpp"
#include "test_links.hpp"

namespace stridelab::ingest {
namespace {

using stridelab::testing::wait_for;

class CollectingHandler : public ByteHandler {
 public:
  void on_connected(const std::string& peer, double) override {
    std::lock_guard l(m);
    ++connects;
    last_peer = peer;
  }
  void on_bytes(std::span<const std::uint8_t> b, double host_rx_s) override {
    std::lock_guard l(m);
    bytes.insert(bytes.end(), b.begin(), b.end());
    if (host_rx_s < last_rx) rx_went_back = true;
    last_rx = host_rx_s;
  }
  void on_disconnected(const std::string& reason, double) override {
    std::lock_guard l(m);
    ++disconnects;
    last_reason = reason;
  }
  void on_connect_failed(const std::string& reason, double) override {
    std::lock_guard l(m);
    ++failures;
    last_reason = reason;
  }
  std::size_t byte_count() {
    std::lock_guard l(m);
    return bytes.size();
  }
  int connect_count() {
    std::lock_guard l(m);
    return connects;
  }
  int disconnect_count() {
    std::lock_guard l(m);
    return disconnects;
  }
  int failure_count() {
    std::lock_guard l(m);
    return failures;
  }
  std::mutex m;
  std::vector<std::uint8_t> bytes;
  int connects = 0, disconnects = 0, failures = 0;
  std::string last_peer, last_reason;
  double last_rx = 0;
  bool rx_went_back = false;
};

// Runs one source on its own io thread for the duration of a test.
struct SourceRunner {
  SourceRunner(const SourceConfig& config, ByteHandler& handler)
      : source(make_byte_source(io, config, handler, clock)) {
    boost::asio::post(io, [this] { source->start(); });
    thread = std::thread([this] { io.run(); });
  }
  ~SourceRunner() { stop(); }
  void stop() {
    if (!thread.joinable()) return;
    boost::asio::post(io, [this] {
      source->stop();
      guard.reset();
    });
    thread.join();
  }
  void drop() {
    boost::asio::post(io, [this] { source->drop("test"); });
  }
  boost::asio::io_context io;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard{
      io.get_executor()};
  SessionClock clock;
  std::unique_ptr<ByteSource> source;
  std::thread thread;
};

std::vector<std::uint8_t> random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::uint8_t> out(n);
  for (auto& b : out) b = static_cast<std::uint8_t>(rng());
  return out;
}

TEST(SerialSource, ReadsEveryByteOfAPtyInRawMode) {
  const auto dir = stridelab::testing::temp_dir("serial");
  stridelab::testing::PtyDevice pty(dir / "imu0");
  CollectingHandler h;
  SourceConfig c = serial_source((dir / "imu0").string() + ":921600");
  SourceRunner run(c, h);
  ASSERT_TRUE(wait_for([&] { return h.connect_count() == 1; }));
  // All 256 byte values, including the ones a cooked tty would interpret (^C, CR, ^D, XON).
  const auto data = random_bytes(20000, 1);
  for (std::size_t i = 0; i < data.size(); i += 1000)
    pty.write(std::vector<std::uint8_t>(data.begin() + static_cast<long>(i),
                                        data.begin() + static_cast<long>(i + 1000)));
  ASSERT_TRUE(wait_for([&] { return h.byte_count() >= data.size(); }));
  std::lock_guard l(h.m);
  EXPECT_EQ(h.bytes, data);
  EXPECT_FALSE(h.rx_went_back);
}

TEST(SerialSource, ReconnectsWhenTheDevicePathComesBack) {
  const auto dir = stridelab::testing::temp_dir("replug");
  stridelab::testing::PtyDevice pty(dir / "imu0");
  CollectingHandler h;
  SourceConfig c = serial_source((dir / "imu0").string());
  c.backoff = {0.02, 0.2};
  SourceRunner run(c, h);
  ASSERT_TRUE(wait_for([&] { return h.connect_count() == 1; }));
  pty.write({1, 2, 3});
  ASSERT_TRUE(wait_for([&] { return h.byte_count() == 3; }));
  const std::string first_slave = pty.slave_path();
  pty.close();  // unplugged: the path is gone
  ASSERT_TRUE(wait_for([&] { return h.disconnect_count() == 1; }));
  ASSERT_TRUE(wait_for([&] { return h.failure_count() >= 2; })) << "retries while unplugged";
  pty.open();  // plugged in again, on a new /dev/pts node
  ASSERT_TRUE(wait_for([&] { return h.connect_count() == 2; }));
  pty.write({4, 5});
  ASSERT_TRUE(wait_for([&] { return h.byte_count() == 5; }));
  std::lock_guard l(h.m);
  EXPECT_EQ(h.bytes, (std::vector<std::uint8_t>{1, 2, 3, 4, 5}));
  std::cout << "[ingest] replug: " << first_slave << " -> " << pty.slave_path() << ", "
            << h.failures << " failed attempts while unplugged\n";
}

TEST(SerialSource, SilentLinkTimesOutAndReopens) {
  const auto dir = stridelab::testing::temp_dir("idle");
  stridelab::testing::PtyDevice pty(dir / "imu0");
  CollectingHandler h;
  SourceConfig c = serial_source((dir / "imu0").string());
  c.idle_timeout_s = 0.2;
  c.backoff = {0.02, 0.1};
  SourceRunner run(c, h);
  ASSERT_TRUE(wait_for([&] { return h.disconnect_count() >= 1; }, 3.0));
  EXPECT_TRUE(wait_for([&] { return h.connect_count() >= 2; }, 3.0));
  std::lock_guard l(h.m);
  EXPECT_NE(h.last_reason.find("no data"), std::string::npos) << h.last_reason;
}

TEST(TcpSource, ReadsAndReconnectsWhenTheBridgeRestarts) {
  auto server = std::make_unique<stridelab::testing::TcpServer>();
  const unsigned short port = server->port();
  CollectingHandler h;
  SourceConfig c = tcp_source("127.0.0.1:" + std::to_string(port));
  c.backoff = {0.02, 0.2};
  SourceRunner run(c, h);
  ASSERT_TRUE(server->accept_client());
  const auto data = random_bytes(100000, 2);
  server->write(data);
  ASSERT_TRUE(wait_for([&] { return h.byte_count() == data.size(); }));
  server.reset();  // the bridge goes away: connection closed, port refuses
  ASSERT_TRUE(wait_for([&] { return h.disconnect_count() == 1; }));
  ASSERT_TRUE(wait_for([&] { return h.failure_count() >= 1; }));
  server = std::make_unique<stridelab::testing::TcpServer>(port);  // and comes back
  ASSERT_TRUE(server->accept_client());
  server->write({9, 9, 9});
  ASSERT_TRUE(wait_for([&] { return h.byte_count() == data.size() + 3; }));
  EXPECT_EQ(h.connect_count(), 2);
}

TEST(TcpSource, BacksOffWhileNothingListens) {
  const unsigned short port = stridelab::testing::free_udp_port();  // likely no TCP listener
  CollectingHandler h;
  SourceConfig c = tcp_source("127.0.0.1:" + std::to_string(port));
  c.backoff = {0.05, 0.4};
  SourceRunner run(c, h);
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  run.stop();
  // 0.05 + 0.1 + 0.2 + 0.4 + 0.4 ... : about 5 attempts in a second, not hundreds.
  EXPECT_GE(h.failure_count(), 3);
  EXPECT_LE(h.failure_count(), 8);
  EXPECT_EQ(h.connect_count(), 0);
}

TEST(UdpSource, ReceivesDatagramsAndReportsSilence) {
  const unsigned short port = stridelab::testing::free_udp_port();
  CollectingHandler h;
  SourceConfig c = udp_source(std::to_string(port));
  c.idle_timeout_s = 0.3;
  SourceRunner run(c, h);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // bound
  stridelab::testing::UdpSender sender(port);
  for (int i = 0; i < 50; ++i) sender.send(random_bytes(100, 10 + i));
  ASSERT_TRUE(wait_for([&] { return h.byte_count() == 5000; }));
  EXPECT_EQ(h.connect_count(), 1);
  ASSERT_TRUE(wait_for([&] { return h.disconnect_count() == 1; }, 2.0));
  sender.send({1});
  ASSERT_TRUE(wait_for([&] { return h.connect_count() == 2; }));
  stridelab::testing::UdpSender other(port);  // a different device: a new link
  other.send({2});
  ASSERT_TRUE(wait_for([&] { return h.connect_count() == 3; }));
  EXPECT_EQ(h.disconnect_count(), 2);
}

TEST(SourceConfig, ParsesTheCommandLineForms) {
  auto s = serial_source("/dev/ttyUSB0:921600");
  EXPECT_EQ(s.device, "/dev/ttyUSB0");
  EXPECT_EQ(s.baud, 921600u);
  EXPECT_EQ(serial_source("/dev/ttyACM1").baud, 115200u);
  auto t = tcp_source("192.168.4.1:8888");
  EXPECT_EQ(t.host, "192.168.4.1");
  EXPECT_EQ(t.port, 8888);
  auto u = udp_source("9000");
  EXPECT_EQ(u.host, "127.0.0.1");
  EXPECT_EQ(u.port, 9000);
  EXPECT_EQ(udp_source("0.0.0.0:9001").host, "0.0.0.0");
  EXPECT_THROW(tcp_source("localhost"), Error);
  EXPECT_THROW(tcp_source("localhost:99999"), Error);
  EXPECT_THROW(udp_source("x:"), Error);
  EXPECT_THROW(serial_source(":9600"), Error);
}

}  // namespace
}  // namespace stridelab::ingest
