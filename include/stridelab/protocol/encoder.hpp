#pragma once
// Stream encoders: turn samples (device clock in ImuSample::time_s, SI units) into the bytes a
// sensor would send, in any supported protocol. `stridelab emulate` uses them.
//
//   auto enc = make_encoder("stridelab", params);
//   std::vector<std::uint8_t> bytes;
//   enc->begin(bytes);                       // DEVICE_INFO (boot) for stridelab
//   for (const auto& s : samples) enc->push(s, bytes);   // frames appended when complete
//   enc->flush(bytes);                       // a partly filled batch
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "stridelab/core/types.hpp"
#include "stridelab/protocol/messages.hpp"

namespace stridelab::protocol {

struct EncoderParams {
  double rate_hz = 200.0;              // nominal sample rate, Hz
  std::size_t samples_per_frame = 10;  // stridelab batch size (1 … max_batch_samples)
  bool with_mag = false;               // stridelab: send the magnetometer channel
  double acc_range_g = 16.0;           // full scale, g
  double gyr_range_dps = 2000.0;       // full scale, °/s
  double mag_range_ut = 4900.0;        // full scale, µT
  // DEVICE_INFO content (stridelab).
  std::string model = "stridelab-emulator";
  std::string device_id = "EMU-0001";
  std::string firmware = "emulated";
  Placement placement = Placement::kPelvis;
};

class Encoder {
 public:
  virtual ~Encoder() = default;
  virtual std::string_view protocol() const = 0;
  // What the device sends when it starts (stridelab: DEVICE_INFO with the boot flag).
  virtual void begin(std::vector<std::uint8_t>& out) = 0;
  virtual void push(const ImuSample& sample, std::vector<std::uint8_t>& out) = 0;
  virtual void flush(std::vector<std::uint8_t>& out) = 0;
};

// "stridelab", "witmotion", "witmotion-ble". Throws Error for other names or bad params.
std::unique_ptr<Encoder> make_encoder(std::string_view protocol, const EncoderParams& params = {});
std::vector<std::string> encoder_protocols();

// Raw value for a physical value: round(value / scale), saturated to int16.
std::int16_t quantize(double value, double scale);

// Scales per LSB for full-scale ranges: range / 32768 in SI.
float acc_scale_for_range(double range_g);    // m/s² per LSB
float gyr_scale_for_range(double range_dps);  // rad/s per LSB
float mag_scale_for_range(double range_ut);   // µT per LSB

// One IMU_BATCH of these samples (quantized with the given scales).
ImuBatch make_imu_batch(std::span<const ImuSample> samples, std::uint8_t channels,
                        std::uint32_t first_index, std::uint32_t period_ns, float acc_scale,
                        float gyr_scale, float mag_scale = 0.0f);

// The stridelab encoder, with the extra frames an emulated device answers with.
class StridelabEncoder final : public Encoder {
 public:
  explicit StridelabEncoder(const EncoderParams& params = {});
  std::string_view protocol() const override { return "stridelab"; }
  void begin(std::vector<std::uint8_t>& out) override;  // DEVICE_INFO, boot flag set
  void push(const ImuSample& sample, std::vector<std::uint8_t>& out) override;
  void flush(std::vector<std::uint8_t>& out) override;

  DeviceInfo device_info(bool boot) const;
  // Any message, numbered with this device's seq counter; t_dev_us = device time of the
  // frame (for IMU_BATCH, of its first sample).
  void send(const Message& message, std::uint32_t t_dev_us, std::vector<std::uint8_t>& out);
  // Changes the sample rate (after flushing the open batch), as SET_RATE does.
  void set_rate(double rate_hz, std::vector<std::uint8_t>& out);
  std::uint16_t next_seq() const { return seq_; }
  std::uint64_t next_sample_index() const { return next_index_; }

 private:
  EncoderParams params_;
  std::uint8_t channels_;
  float acc_scale_, gyr_scale_, mag_scale_;
  std::uint16_t seq_ = 0;
  std::uint64_t next_index_ = 0;  // index of the next sample the device measures
  std::vector<ImuSample> open_;   // the batch being filled
  std::uint64_t open_first_index_ = 0;
  double last_time_s_ = 0.0;
  bool have_last_ = false;
};

// A whole recorded sensor as one byte stream (device clock = device_time_s if present, else
// time_s). Gaps in time become missing sample indices.
std::vector<std::uint8_t> encode_sensor_data(const SensorData& data, std::string_view protocol,
                                             const EncoderParams& params = {});

}  // namespace stridelab::protocol
