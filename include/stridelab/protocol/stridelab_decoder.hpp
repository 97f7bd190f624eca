#pragma once
// Streaming decoder for the stridelab protocol: COBS framing with 0x00 delimiters, CRC-32C,
// sequence and sample-index tracking, device-clock unwrapping, conversion to SI.
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "stridelab/protocol/decoder.hpp"
#include "stridelab/protocol/messages.hpp"

namespace stridelab::protocol {

class StridelabDecoder final : public Decoder {
 public:
  explicit StridelabDecoder(const DecoderParams& params = {});
  std::string_view protocol() const override { return "stridelab"; }
  std::size_t buffered_bytes() const override { return run_len_; }
  bool has_device_clock() const override { return true; }
  SensorInfo sensor_info() const override;
  // Every intact frame in arrival order (only with params.keep_frames).
  void drain_frames(std::vector<Frame>& out);
  // The last DEVICE_INFO received, if any.
  const std::optional<DeviceInfo>& device_info() const { return device_info_; }

 private:
  void do_feed(std::span<const std::uint8_t> bytes) override;
  void do_finish() override;
  void on_run(std::span<const std::uint8_t> encoded);  // one delimited run, delimiter excluded
  void on_frame(const Frame& frame);
  void track_sequence(std::uint16_t seq);
  std::int64_t unwrap_time_us(std::uint32_t t_dev_us);
  void on_batch(const FrameHeader& header, const ImuBatch& batch);
  void on_device_info(const DeviceInfo& info);

  DecoderParams params_;
  std::array<std::uint8_t, kMaxEncodedBytes> run_{};
  std::size_t run_len_ = 0;
  bool dropping_ = false;  // inside an over-long run: skip to the next delimiter
  bool synced_ = false;    // a delimiter has been seen
  std::array<std::uint8_t, kMaxEncodedBytes> frame_{};
  std::vector<Frame> frames_;
  std::optional<DeviceInfo> device_info_;

  // Stream tracking; reset when the device says it restarted.
  bool have_seq_ = false;
  std::uint16_t last_seq_ = 0;
  std::uint64_t frames_missing_since_batch_ = 0;
  bool have_time_ = false;
  std::uint32_t last_t32_ = 0;
  std::int64_t last_time_us_ = 0;
  bool have_index_ = false;
  bool started_ = false;  // any batch seen (output index continues across restarts)
  std::uint32_t next_device_index_ = 0;
  std::uint64_t next_index_ = 0;
  bool have_sample_ = false;
  double last_sample_time_s_ = 0.0;
  bool restart_pending_ = false;
  std::uint32_t last_period_ns_ = 0;
  std::uint8_t last_channels_ = 0;
};

}  // namespace stridelab::protocol
