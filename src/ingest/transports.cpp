// The three transports. Each keeps one read outstanding; any error ends in link_down() and a
// retry with backoff (TransportBase).
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/serial_port.hpp>

#include "ble_transport.hpp"
#include "stridelab/core/error.hpp"
#include "transport_base.hpp"

namespace stridelab::ingest {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

class SerialSource final : public detail::TransportBase {
 public:
  using TransportBase::TransportBase;

 private:
  void open_link() override {
    error_code ec;
    port_.open(config_.device, ec);
    if (ec) return open_failed("cannot open " + config_.device + ": " + ec.message());
    // Raw 8N1, no flow control (asio's open already clears the cooked-mode flags).
    using sp = asio::serial_port_base;
    port_.set_option(sp::baud_rate(config_.baud), ec);
    if (!ec) port_.set_option(sp::character_size(8), ec);
    if (!ec) port_.set_option(sp::parity(sp::parity::none), ec);
    if (!ec) port_.set_option(sp::stop_bits(sp::stop_bits::one), ec);
    if (!ec) port_.set_option(sp::flow_control(sp::flow_control::none), ec);
    if (ec) return open_failed("cannot configure " + config_.device + ": " + ec.message());
    link_up(config_.device);
    read();
  }
  void close_link() override {
    error_code ignored;
    port_.close(ignored);
  }
  void read() {
    port_.async_read_some(asio::buffer(read_buffer_), [this](const error_code& ec, std::size_t n) {
      if (ec == asio::error::operation_aborted || stopped()) return;
      bytes_in(n);
      if (ec) return link_down(ec == asio::error::eof ? "device closed" : ec.message());
      read();
    });
  }
  asio::serial_port port_{io_};
};

class TcpSource final : public detail::TransportBase {
 public:
  using TransportBase::TransportBase;

 private:
  void open_link() override {
    ++attempt_;
    resolver_.async_resolve(
        config_.host, std::to_string(config_.port),
        [this, attempt = attempt_](const error_code& ec, asio::ip::tcp::resolver::results_type r) {
          if (ec == asio::error::operation_aborted || stopped() || attempt != attempt_) return;
          if (ec) return open_failed("cannot resolve " + config_.host + ": " + ec.message());
          asio::async_connect(
              socket_, r,
              [this, attempt](const error_code& ec2, const asio::ip::tcp::endpoint& ep) {
                if (ec2 == asio::error::operation_aborted || stopped() || attempt != attempt_)
                  return;
                if (ec2)
                  return open_failed("cannot connect to " + config_.describe() + ": " +
                                     ec2.message());
                error_code ignored;
                socket_.set_option(asio::socket_base::keep_alive(true), ignored);
                link_up(ep.address().to_string() + ":" + std::to_string(ep.port()));
                read();
              });
        });
  }
  void close_link() override {
    resolver_.cancel();
    error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }
  void read() {
    socket_.async_read_some(asio::buffer(read_buffer_), [this](const error_code& ec,
                                                               std::size_t n) {
      if (ec == asio::error::operation_aborted || stopped()) return;
      bytes_in(n);
      if (ec)
        return link_down(ec == asio::error::eof ? "bridge closed the connection" : ec.message());
      read();
    });
  }
  asio::ip::tcp::resolver resolver_{io_};
  asio::ip::tcp::socket socket_{io_};
  unsigned attempt_ = 0;
};

// A UDP listener has no connection: it is "up" while datagrams arrive and "down" after
// idle_timeout_s of silence; the socket stays bound throughout.
class UdpSource final : public detail::TransportBase {
 public:
  using TransportBase::TransportBase;

 private:
  bool reopen_when_idle() const override { return false; }
  void open_link() override {
    error_code ec;
    const auto address = asio::ip::make_address(config_.host, ec);
    if (ec) return open_failed("bad UDP address '" + config_.host + "': " + ec.message());
    const asio::ip::udp::endpoint local(address, config_.port);
    socket_.open(local.protocol(), ec);
    if (!ec) socket_.set_option(asio::socket_base::reuse_address(true), ec);
    // Room for bursts while the io thread is busy elsewhere (the kernel caps it).
    if (!ec) socket_.set_option(asio::socket_base::receive_buffer_size(4 << 20), ec);
    if (!ec) socket_.bind(local, ec);
    if (ec) return open_failed("cannot listen on " + config_.describe() + ": " + ec.message());
    read();
  }
  void close_link() override {
    error_code ignored;
    socket_.close(ignored);
  }
  void read() {
    socket_.async_receive_from(
        asio::buffer(read_buffer_), sender_, [this](const error_code& ec, std::size_t n) {
          if (ec == asio::error::operation_aborted || stopped()) return;
          if (ec) return link_down(ec.message());
          const std::string peer =
              sender_.address().to_string() + ":" + std::to_string(sender_.port());
          if (!is_up() || peer != peer_) {
            if (is_up()) report_down("sender changed to " + peer);
            peer_ = peer;
            link_up(peer);
          }
          bytes_in(n);
          read();
        });
  }
  asio::ip::udp::socket socket_{io_};
  asio::ip::udp::endpoint sender_;
  std::string peer_;
};

}  // namespace

std::unique_ptr<ByteSource> make_byte_source(asio::io_context& io, const SourceConfig& config,
                                             ByteHandler& handler, const SessionClock& clock) {
  switch (config.kind) {
    case TransportKind::kSerial:
      return std::make_unique<SerialSource>(io, config, handler, clock);
    case TransportKind::kTcp:
      return std::make_unique<TcpSource>(io, config, handler, clock);
    case TransportKind::kUdp:
      return std::make_unique<UdpSource>(io, config, handler, clock);
    case TransportKind::kBle:
      return make_ble_source(io, config, handler, clock);
  }
  throw Error("unknown transport");
}

}  // namespace stridelab::ingest
