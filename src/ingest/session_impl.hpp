#pragma once
// Internals of IngestSession, shared by ingest_session.cpp (threads, API) and
// sensor_link.cpp (what happens to the bytes of one link). Everything except the queue and
// the stats snapshot lives on the io thread.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "event_queue.hpp"
#include "stridelab/clock/clock_model.hpp"
#include "stridelab/ingest/byte_source.hpp"
#include "stridelab/ingest/ingest_session.hpp"
#include "stridelab/protocol/decoder.hpp"

namespace stridelab::ingest {

namespace detail {
struct SessionCore;
}
using detail::ControlEvent;
using detail::QueueItem;
using detail::SessionCore;

// Delivered samples per second and arrival latency, updated per sample on the io thread.
struct LinkMeter {
  double window_start_s = -1;
  std::uint64_t window_count = 0;
  double rate_hz = 0;
  double latency_mean_s = 0;
  double latency_var_s2 = 0;
  bool have_latency = false;
  void add(double host_rx_s, double time_s, std::uint64_t n_samples);
};

// One sensor of the recording: its clock and identity.
struct SensorSlot {
  explicit SensorSlot(const clock::ClockParams& params) : clock(params) {}
  SensorInfo info;
  clock::ClockModel clock;
  std::string device_id;
  int fed_by = -1;  // link currently connected and feeding it, -1 none
  bool info_sent = false;
  std::uint64_t overflow_missing = 0;  // samples lost to a full queue, not yet reported
  double overflow_start_s = 0;         // time of the last sample queued before them
  double last_queued_s = 0;
  LinkMeter meter;
  LinkStats stats;        // guarded by Impl::stats_mutex
  double last_rx_s = -1;  // guarded by Impl::stats_mutex
};

// One transport and its decoder. The decoder is new for every connection (bytes of a
// half-received frame from the old connection must not join the new one).
class SensorLink final : public ByteHandler {
 public:
  SensorLink(SessionCore& session, std::size_t index, const SourceConfig& config);
  void on_connected(const std::string& peer, double host_s) override;
  void on_bytes(std::span<const std::uint8_t> bytes, double host_rx_s) override;
  void on_disconnected(const std::string& reason, double host_s) override;
  void on_connect_failed(const std::string& reason, double host_s) override;
  void on_signal_strength(int rssi_dbm, double host_s) override;
  void finish(double host_s);  // end of session: decode what is left

  std::size_t index;
  SourceConfig config;
  std::size_t slot;
  std::unique_ptr<ByteSource> source;

 private:
  std::string confirmed_id_;  // device id heard on the current connection
  void process(double host_rx_s);
  void bind_device(const std::string& device_id);
  void update_info();
  void deliver(const protocol::DecodedSample& d, const clock::MappedStamp& m, double host_rx_s);
  void add_decoder_stats();

  SessionCore& session_;
  std::unique_ptr<protocol::Decoder> decoder_;
  protocol::DecoderOutput out_;
  std::vector<clock::DeviceStamp> stamps_;
  std::vector<clock::MappedStamp> mapped_;
  protocol::DecoderStats counted_;  // of decoder_, already added to the slot's stats
  std::uint64_t connections_ = 0;
  std::uint64_t failures_in_row_ = 0;
  std::string last_failure_;  // the connect failure last reported
};

namespace detail {
struct SessionCore {
  SessionCore(SampleSink& sink, const SessionOptions& options);

  void push_control(std::size_t sensor, QueueItem::Kind kind, ControlEvent event);
  void message(std::size_t sensor, const std::string& text);
  void deliver_loop();

  SampleSink& sink;
  SessionOptions options;
  SessionClock clock;
  std::chrono::system_clock::time_point wall_start;
  boost::asio::io_context io;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
  detail::EventQueue queue;
  std::vector<SensorSlot> slots;
  std::vector<std::unique_ptr<SensorLink>> links;
  mutable std::mutex stats_mutex;
  std::thread io_thread;
  std::thread delivery_thread;
  bool running = false;
  std::exception_ptr sink_error;  // set by the delivery thread; then the sink is not called
  std::mutex sink_error_mutex;
};
}  // namespace detail

}  // namespace stridelab::ingest
