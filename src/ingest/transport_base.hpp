#pragma once
// Shared machinery of the transports: backoff retries, the idle watchdog and the read buffer.
// A concrete transport opens (open_link) and closes (close_link) its link and reports what
// happens through link_up / bytes_in / link_down / open_failed.
#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "stridelab/ingest/byte_source.hpp"

namespace stridelab::ingest::detail {

class TransportBase : public ByteSource {
 public:
  TransportBase(boost::asio::io_context& io, const SourceConfig& config, ByteHandler& handler,
                const SessionClock& clock);
  void start() override;
  void stop() override;
  void drop(const std::string& reason) override;
  const SourceConfig& config() const override { return config_; }

 protected:
  virtual void open_link() = 0;   // starts an attempt; ends in link_up() or open_failed()
  virtual void close_link() = 0;  // closes whatever is open; must be idempotent
  // When the idle watchdog fires: true to reconnect (serial, TCP), false to just report the
  // link as down and keep listening (UDP).
  virtual bool reopen_when_idle() const { return true; }

  void link_up(const std::string& peer);
  void bytes_in(std::size_t n);  // n bytes arrived in read_buffer_
  void link_down(const std::string& reason);
  void open_failed(const std::string& reason);
  void report_down(const std::string& reason);  // link lost, but nothing to close or retry
  void signal_strength(int rssi_dbm);           // BLE: RSSI as the adapter reports it
  bool stopped() const { return stopped_; }
  bool is_up() const { return up_; }

  boost::asio::io_context& io_;
  SourceConfig config_;
  std::array<std::uint8_t, 65536> read_buffer_{};

 private:
  void schedule_retry();
  void arm_watchdog();

  ByteHandler& handler_;
  const SessionClock& clock_;
  boost::asio::steady_timer retry_timer_;
  boost::asio::steady_timer watchdog_;
  double next_backoff_s_;
  bool stopped_ = true;
  bool up_ = false;
  bool got_data_ = false;  // since link_up (backoff resets only once data flowed)
  double last_rx_s_ = 0.0;
};

}  // namespace stridelab::ingest::detail
