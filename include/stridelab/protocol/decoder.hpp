#pragma once
// The protocol-agnostic decoder the transports use: bytes in, any chunking (one byte at a
// time up to megabytes, BLE notifications split or merged), samples in SI on the device
// clock out, with gaps, device information, status and command acknowledgements.
//
//   auto dec = make_decoder("stridelab");     // or "witmotion", "witmotion-ble"
//   dec->feed(bytes);                          // as they arrive
//   DecoderOutput out;
//   dec->drain(out);                           // samples, gaps, infos, ... since last drain
//   dec->finish();                             // at end of input
//
// Pure: no I/O, no clocks, no threads. Memory is bounded: buffered_bytes() never exceeds
// one maximum frame, whatever the input.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "stridelab/core/types.hpp"
#include "stridelab/protocol/messages.hpp"

namespace stridelab::protocol {

struct DecodedSample {
  std::uint64_t index = 0;     // sample counter of this stream; jumps only where a gap is
  double device_time_s = 0.0;  // device clock, unwrapped, s (see Decoder::has_device_clock)
  Vec3 acc = Vec3::Zero();     // m/s²
  Vec3 gyr = Vec3::Zero();     // rad/s
  Vec3 mag = Vec3::Zero();     // µT
  bool has_acc = true;
  bool has_gyr = true;
  bool has_mag = false;
};

// Samples the decoder knows are missing, placed before the sample with index
// first_missing_index + missing_samples.
struct StreamGap {
  std::uint64_t first_missing_index = 0;
  std::uint64_t missing_samples = 0;  // 0 = unknown (e.g. the device restarted)
  std::uint64_t missing_frames = 0;   // from sequence numbers; 0 if the protocol has none
  double before_time_s = 0.0;         // device time of the sample before the gap (NaN if none)
  double after_time_s = 0.0;          // device time of the sample after the gap
  std::string cause;                  // "sequence", "device restart", "incomplete period", "resync"
};

// A STATUS frame in SI units; NaN = unknown.
struct DeviceStatus {
  double device_time_s = 0.0;
  double battery_v = 0.0;
  double battery_fraction = 0.0;  // 0..1
  double temperature_c = 0.0;
  std::uint8_t flags = 0;  // Status::k* bits
  std::uint64_t dropped_samples = 0;
};

struct CommandFrame {
  FrameHeader header;  // header.seq is what the ACK refers to
  Command command;
};

struct DecoderOutput {
  std::vector<DecodedSample> samples;
  std::vector<StreamGap> gaps;
  std::vector<DeviceInfo> device_infos;  // stridelab DEVICE_INFO frames
  std::vector<DeviceStatus> statuses;
  std::vector<Ack> acks;
  std::vector<CommandFrame> commands;  // host→device frames (what an emulated device reads)
  void clear();
  bool empty() const;
};

// Counters since construction. Invariant after any feed:
//   bytes_in == bytes_framed + bytes_skipped + buffered_bytes()
struct DecoderStats {
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_framed = 0;      // bytes of delimited/checked frames, good or bad
  std::uint64_t bytes_skipped = 0;     // dropped while searching for a frame start
  std::uint64_t frames_ok = 0;         // passed every check
  std::uint64_t crc_failures = 0;      // CRC-32C (stridelab) or SUM (WitMotion) mismatches
  std::uint64_t cobs_errors = 0;       // invalid COBS (stridelab)
  std::uint64_t format_errors = 0;     // intact frame, invalid content (length, version, field)
  std::uint64_t oversize_frames = 0;   // runs over the maximum frame size, dropped
  std::uint64_t truncated_frames = 0;  // partial frame pending at finish()
  std::uint64_t unknown_frames = 0;    // intact frames of types this decoder ignores
  std::uint64_t missing_frames = 0;    // from sequence numbers
  std::uint64_t missing_samples = 0;   // from sample indices (WitMotion: estimated)
  std::uint64_t gaps = 0;              // StreamGap records produced
  std::uint64_t samples = 0;           // samples produced
  std::uint64_t device_restarts = 0;
  std::uint64_t frames_rejected() const {
    return crc_failures + cobs_errors + format_errors + oversize_frames;
  }
};

struct DecoderParams {
  // WitMotion only (their frames carry no time, rate or scale):
  double nominal_rate_hz = 100.0;  // output rate the module was set to, Hz
  double acc_range_g = 16.0;       // accelerometer full scale, g
  double gyr_range_dps = 2000.0;   // gyroscope full scale, °/s
  // Also keep every parsed frame for drain_frames() of the concrete decoders (tools, tests).
  bool keep_frames = false;
};

class Decoder {
 public:
  virtual ~Decoder() = default;
  virtual std::string_view protocol() const = 0;

  void feed(std::span<const std::uint8_t> bytes) {
    stats_.bytes_in += bytes.size();
    do_feed(bytes);
  }
  void feed(const std::uint8_t* data, std::size_t n) { feed(std::span(data, n)); }
  // End of input: decides what is still pending (a partial frame is counted as truncated).
  void finish() { do_finish(); }
  // Appends everything decoded since the last drain to out.
  void drain(DecoderOutput& out);

  const DecoderStats& stats() const { return stats_; }
  virtual std::size_t buffered_bytes() const = 0;
  // False when device_time_s is only index × nominal period (WitMotion: no time on the wire).
  virtual bool has_device_clock() const = 0;
  // What the stream has said about the device so far (model, rate, ranges, placement).
  virtual SensorInfo sensor_info() const = 0;

 protected:
  virtual void do_feed(std::span<const std::uint8_t> bytes) = 0;
  virtual void do_finish() = 0;
  DecoderStats stats_;
  DecoderOutput pending_;
};

// "stridelab", "witmotion" (serial 0x55 frames), "witmotion-ble" (BLE 5.0 0x55 0x61 frames),
// "movesense" (GATT SensorData IMU9 packets). Throws Error naming the valid protocols for any
// other name.
std::unique_ptr<Decoder> make_decoder(std::string_view protocol, const DecoderParams& params = {});
std::vector<std::string> decoder_protocols();

// True for protocols whose packets have no framing of their own, only BLE notification
// boundaries (movesense): their decoder reads "notification records", u16 LE length + the
// notification's bytes, which the BLE transport writes for them.
bool reads_notification_records(std::string_view protocol);

}  // namespace stridelab::protocol
