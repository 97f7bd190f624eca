#include "transport_base.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace stridelab::ingest::detail {

namespace {
std::chrono::steady_clock::duration seconds(double s) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(s));
}
}  // namespace

TransportBase::TransportBase(boost::asio::io_context& io, const SourceConfig& config,
                             ByteHandler& handler, const SessionClock& clock)
    : io_(io),
      config_(config),
      handler_(handler),
      clock_(clock),
      retry_timer_(io),
      watchdog_(io),
      next_backoff_s_(config.backoff.initial_s) {}

void TransportBase::start() {
  stopped_ = false;
  next_backoff_s_ = config_.backoff.initial_s;
  arm_watchdog();
  open_link();
}

void TransportBase::stop() {
  stopped_ = true;
  retry_timer_.cancel();
  watchdog_.cancel();
  close_link();
  if (up_) {
    up_ = false;
    handler_.on_disconnected("stopped", clock_.now_s());
  }
}

void TransportBase::drop(const std::string& reason) {
  if (!stopped_ && up_) link_down(reason);
}

void TransportBase::link_up(const std::string& peer) {
  if (stopped_) return;
  up_ = true;
  got_data_ = false;
  last_rx_s_ = clock_.now_s();
  handler_.on_connected(peer, last_rx_s_);
}

void TransportBase::bytes_in(std::size_t n) {
  if (stopped_ || n == 0) return;
  const double now = clock_.now_s();
  last_rx_s_ = now;
  if (!got_data_) {
    got_data_ = true;
    next_backoff_s_ = config_.backoff.initial_s;  // a link that delivers is a good link
  }
  handler_.on_bytes(std::span<const std::uint8_t>(read_buffer_.data(), n), now);
}

void TransportBase::link_down(const std::string& reason) {
  if (stopped_) return;
  close_link();
  if (up_) {
    up_ = false;
    handler_.on_disconnected(reason, clock_.now_s());
  }
  schedule_retry();
}

void TransportBase::report_down(const std::string& reason) {
  if (stopped_ || !up_) return;
  up_ = false;
  handler_.on_disconnected(reason, clock_.now_s());
}

void TransportBase::signal_strength(int rssi_dbm) {
  if (!stopped_) handler_.on_signal_strength(rssi_dbm, clock_.now_s());
}

void TransportBase::open_failed(const std::string& reason) {
  if (stopped_) return;
  close_link();
  handler_.on_connect_failed(reason, clock_.now_s());
  schedule_retry();
}

void TransportBase::schedule_retry() {
  if (stopped_) return;
  const double wait = next_backoff_s_;
  next_backoff_s_ = std::min(next_backoff_s_ * 2.0, config_.backoff.max_s);
  retry_timer_.expires_after(seconds(wait));
  retry_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    open_link();
  });
}

// Checks for silence a few times per idle period; a silent link counts as lost.
void TransportBase::arm_watchdog() {
  if (stopped_ || !(config_.idle_timeout_s > 0)) return;
  watchdog_.expires_after(seconds(std::clamp(config_.idle_timeout_s / 4, 0.02, 0.5)));
  watchdog_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    if (up_ && clock_.now_s() - last_rx_s_ > config_.idle_timeout_s) {
      const std::string reason =
          "no data for " + std::to_string(config_.idle_timeout_s).substr(0, 4) + " s";
      if (reopen_when_idle()) {
        link_down(reason);
      } else {
        report_down(reason);
      }
    }
    arm_watchdog();
  });
}

}  // namespace stridelab::ingest::detail
