#pragma once
// Transports: serial port, TCP client and UDP listener, each turning a link into chunks of
// bytes stamped with the host session clock on arrival. They know nothing about protocols
// (decoders sit above them) and nothing about the consumer. All callbacks run on the
// io_context thread; nothing here blocks or opens a dialog.
//
// Reconnect: a link that fails or goes silent for idle_timeout_s is closed and reopened with
// exponential backoff (Backoff: 0.1 s doubling to 2 s). A serial device path that vanishes
// and comes back (USB unplug, a re-pointed symlink) and a TCP bridge that restarts are picked
// up again by themselves.
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "stridelab/ingest/source_config.hpp"

namespace boost::asio {
class io_context;
}

namespace stridelab::ingest {

// Host steady clock, 0 at session start: the recording's common time base.
class SessionClock {
 public:
  SessionClock() : start_(std::chrono::steady_clock::now()) {}
  double now_s() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  std::chrono::steady_clock::time_point start() const { return start_; }

 private:
  std::chrono::steady_clock::time_point start_;
};

class ByteHandler {
 public:
  virtual ~ByteHandler() = default;
  // The link is up (serial port opened, TCP connected, first UDP datagram from a sender).
  virtual void on_connected(const std::string& peer, double host_s) = 0;
  // Bytes as they arrived; host_rx_s = session time when the read completed.
  virtual void on_bytes(std::span<const std::uint8_t> bytes, double host_rx_s) = 0;
  // The link went down (read error, hang-up, EOF, idle timeout); a retry follows.
  virtual void on_disconnected(const std::string& reason, double host_s) = 0;
  // An attempt to connect failed (device missing, connection refused); a retry follows.
  virtual void on_connect_failed(const std::string& reason, double host_s) = 0;
  // BLE: the signal strength the adapter reported for the device, dBm (others never call it).
  virtual void on_signal_strength(int /*rssi_dbm*/, double /*host_s*/) {}
};

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Starts connecting; call on (or before running) the io_context thread.
  virtual void start() = 0;
  // Closes the link and cancels retries; no callbacks follow once the io_context has run the
  // cancelled handlers. Call on the io_context thread (or after it stopped).
  virtual void stop() = 0;
  // Drops the current link as if it failed (a retry follows): for a device identity
  // mismatch, and for tests.
  virtual void drop(const std::string& reason) = 0;
  virtual const SourceConfig& config() const = 0;
};

// The transport for config.kind. The handler and the clock must outlive the source.
std::unique_ptr<ByteSource> make_byte_source(boost::asio::io_context& io,
                                             const SourceConfig& config, ByteHandler& handler,
                                             const SessionClock& clock);

}  // namespace stridelab::ingest
