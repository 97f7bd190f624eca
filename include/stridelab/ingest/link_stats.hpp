#pragma once
// Per-sensor link statistics, as a plain snapshot the CLI and the GUI can read at any rate
// (IngestSession::stats() copies them under a lock; nothing here is live).
#include <cstdint>
#include <string>

namespace stridelab::ingest {

struct LinkStats {
  std::string sensor;  // sensor name in the recording
  std::string source;  // SourceConfig::describe() of the link feeding it
  std::string protocol;
  std::string device_id;  // from the device's info message, if it has one
  bool connected = false;
  std::string last_error;  // why the link last went down or failed to open
  // Transport.
  std::uint64_t bytes = 0;
  std::uint64_t connects = 0;          // successful connections (the first one included)
  std::uint64_t reconnects = 0;        // connections after the first
  std::uint64_t connect_failures = 0;  // attempts that failed (device missing, refused)
  std::uint64_t disconnects = 0;
  // Decoder (summed over connections).
  std::uint64_t frames = 0;           // intact frames
  std::uint64_t frames_rejected = 0;  // CRC/SUM, COBS, format, oversize
  std::uint64_t crc_failures = 0;
  std::uint64_t bytes_skipped = 0;   // dropped while resynchronising
  std::uint64_t missing_frames = 0;  // from sequence numbers
  // Samples and clock.
  std::uint64_t samples = 0;          // delivered to the consumer's queue
  std::uint64_t sequence_gaps = 0;    // dropouts found from counters or device time
  std::uint64_t missing_samples = 0;  // samples in those dropouts and in disconnects
  std::uint64_t device_restarts = 0;
  std::uint64_t stale_samples = 0;    // repeated/older device times, dropped
  std::uint64_t queue_overflows = 0;  // samples lost because the consumer fell behind
  double rate_hz = 0.0;               // delivered samples per second over the last ~1 s
  double latency_ms = 0.0;            // mean arrival minus mapped sample time, ms
  double jitter_ms = 0.0;             // standard deviation of that latency, ms
  double clock_skew_ppm = 0.0;        // device clock drift estimate
  double last_data_age_s = -1;        // since the last bytes arrived (-1: never), s
  // BLE: signal strength last reported by the adapter (BlueZ reports it from advertisements,
  // so while connected it is the value from before the connection).
  bool has_rssi = false;
  int rssi_dbm = 0;
};

// One short line for a terminal: "pelvis ok 199.8 Hz 12 kB/s gaps 0 crc 0 lat 1.2±0.3 ms".
std::string format_link_stats(const LinkStats& s);

}  // namespace stridelab::ingest
