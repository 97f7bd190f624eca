#pragma once
// One ingest session: several sensor links on one io_context thread, each with its own
// decoder and clock model, delivering samples on the common time base to one sink.
//
//   IngestSession session(sink);
//   session.add_source(ingest::serial_source("/dev/ttyUSB0:115200"));
//   session.add_source(ingest::tcp_source("127.0.0.1:9000"));
//   session.start();            // returns at once; data flows to sink on its own thread
//   ... session.stats() ...     // thread-safe snapshot, any rate
//   session.stop();             // closes links, delivers everything queued, joins
//
// Threads: the io thread runs transports, decoders and clock models; the delivery thread
// calls the sink. A reappearing device is recognised by its device id (where the protocol
// sends one), so two devices that swap ports keep their names.
#include <chrono>
#include <cstddef>
#include <exception>
#include <memory>
#include <vector>

#include "stridelab/clock/clock_model.hpp"
#include "stridelab/ingest/link_stats.hpp"
#include "stridelab/ingest/sample_sink.hpp"
#include "stridelab/ingest/source_config.hpp"

namespace stridelab::ingest {

namespace detail {
struct SessionCore;
}

struct SessionOptions {
  std::size_t queue_capacity = 1 << 17;  // events between I/O and sink (~16 s of 8 × 1 kHz)
  clock::ClockParams clock;              // tick settings are set per protocol by the session
};

class IngestSession {
 public:
  explicit IngestSession(SampleSink& sink, const SessionOptions& options = {});
  ~IngestSession();  // stop()
  IngestSession(const IngestSession&) = delete;
  IngestSession& operator=(const IngestSession&) = delete;

  // Adds a sensor link (before start()). Returns its sensor index. Names must be unique;
  // an empty name becomes the placement name, made unique with a suffix.
  std::size_t add_source(const SourceConfig& config);
  // Sensor descriptions as configured (name, placement): what a writer can open with.
  std::vector<SensorInfo> sensor_infos() const;

  void start();
  void stop();
  bool running() const;

  std::vector<LinkStats> stats() const;  // thread-safe snapshot
  // The first exception the sink threw, if any. From then on the sink is not called and
  // queued events are discarded: the owner should stop the session and report it.
  std::exception_ptr sink_error() const;
  double now_s() const;  // session clock (0 at construction)
  // Wall-clock time of session time 0.
  std::chrono::system_clock::time_point start_wall_time() const;

 private:
  std::unique_ptr<detail::SessionCore> impl_;
};

}  // namespace stridelab::ingest
