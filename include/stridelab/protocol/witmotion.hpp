#pragma once
// WitMotion IMUs (WT901, JY901, HWT905, BWT901CL; WT901BLECL / BWT901BLECL5.0 over a BLE
// bridge). Facts: docs/PROTOCOL.md and shared PROTOCOLS.md section 1.
//
// Their frames carry no device time and no sequence number, so the decoders stamp each sample
// with index × nominal period (has_device_clock() == false) and can only infer losses:
// the serial decoder from output periods without an acc+gyro pair, the BLE decoder from bytes
// skipped while resynchronising (an estimate).
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "stridelab/core/types.hpp"
#include "stridelab/protocol/decoder.hpp"

namespace stridelab::protocol {

// ---- Classic serial protocol: 11-byte frames 0x55 TYPE D1 D2 D3 D4 SUM (int16 LE words) ----
inline constexpr std::size_t kWitSerialFrameBytes = 11;
namespace wit {
inline constexpr std::uint8_t kHeader = 0x55;
inline constexpr std::uint8_t kTime = 0x50, kAcc = 0x51, kGyro = 0x52, kAngle = 0x53, kMag = 0x54,
                              kQuaternion = 0x59, kRegister = 0x5F;
inline constexpr std::uint8_t kBleData = 0x61, kBleRegister = 0x71;
}  // namespace wit

struct WitSerialFrame {
  std::uint8_t type = 0;
  std::array<std::int16_t, 4> words{};  // D1..D4
  bool operator==(const WitSerialFrame&) const = default;
};

// SUM = (byte0 + … + byte9) & 0xFF.
std::uint8_t witmotion_checksum(std::span<const std::uint8_t> first_ten);

// Unit conversions of raw words (v / 32768 · full scale).
inline double witmotion_acc_g(std::int16_t v, double range_g = 16.0) {
  return v / 32768.0 * range_g;
}
inline double witmotion_gyr_dps(std::int16_t v, double range_dps = 2000.0) {
  return v / 32768.0 * range_dps;
}
inline double witmotion_angle_deg(std::int16_t v) {
  return v / 32768.0 * 180.0;
}
inline double witmotion_temperature_c(std::int16_t v) {
  return v / 100.0;
}

class WitSerialDecoder final : public Decoder {
 public:
  explicit WitSerialDecoder(const DecoderParams& params = {});
  std::string_view protocol() const override { return "witmotion"; }
  std::size_t buffered_bytes() const override { return tail_len_; }
  bool has_device_clock() const override { return false; }
  SensorInfo sensor_info() const override;
  // Every frame with a good SUM, in order (only with params.keep_frames).
  void drain_frames(std::vector<WitSerialFrame>& out);

 private:
  void do_feed(std::span<const std::uint8_t> bytes) override;
  void do_finish() override;
  std::size_t scan(const std::uint8_t* p, std::size_t n);  // returns bytes consumed
  void on_frame(const WitSerialFrame& f);
  void close_period();
  void emit_missing_gap(double after_time_s);

  DecoderParams params_;
  double period_s_;
  std::array<std::uint8_t, 2 * kWitSerialFrameBytes> tail_{};
  std::size_t tail_len_ = 0;
  std::vector<WitSerialFrame> frames_;
  // Output periods: the module sends its frames in ascending TYPE order once per period, so
  // a TYPE not above the previous one starts a new period.
  bool have_type_ = false;
  std::uint8_t last_type_ = 0;
  std::uint64_t period_ = 0;  // index of the current period = sample index
  bool period_has_acc_ = false;
  bool period_emitted_ = false;
  std::array<std::int16_t, 4> acc_{};
  bool seen_pair_ = false;  // the module does send acc+gyro (so a period without is a loss)
  std::uint64_t missing_run_ = 0;
  bool have_sample_ = false;
  double last_sample_time_s_ = 0.0;
};

// ---- BLE 5.0: 20-byte frames 0x55 0x61 (acc, gyro, angle) / 0x55 0x71 (register reply) ------
inline constexpr std::size_t kWitBleFrameBytes = 20;

struct WitBleFrame {
  std::uint8_t type = 0;                // wit::kBleData or wit::kBleRegister
  std::uint16_t start_register = 0;     // kBleRegister: first register of the reply
  std::array<std::int16_t, 9> words{};  // kBleData: ax ay az wx wy wz roll pitch yaw;
                                        // kBleRegister: 8 registers, words[8] = 0
  bool operator==(const WitBleFrame&) const = default;
};

// No checksum: a frame is accepted only when the next frame's header (55 61 / 55 71) follows
// it exactly 20 bytes later, or when it ends the input at finish(). So the newest frame is
// held back until the next one starts.
class WitBleDecoder final : public Decoder {
 public:
  explicit WitBleDecoder(const DecoderParams& params = {});
  std::string_view protocol() const override { return "witmotion-ble"; }
  std::size_t buffered_bytes() const override { return tail_len_; }
  bool has_device_clock() const override { return false; }
  SensorInfo sensor_info() const override;
  void drain_frames(std::vector<WitBleFrame>& out);

 private:
  void do_feed(std::span<const std::uint8_t> bytes) override;
  void do_finish() override;
  std::size_t scan(const std::uint8_t* p, std::size_t n, bool at_end);
  void on_frame(const std::uint8_t* p);

  DecoderParams params_;
  double period_s_;
  std::array<std::uint8_t, 2 * (kWitBleFrameBytes + 2)> tail_{};
  std::size_t tail_len_ = 0;
  std::vector<WitBleFrame> frames_;
  std::uint64_t next_index_ = 0;
  bool have_sample_ = false;
  double last_sample_time_s_ = 0.0;
  std::uint64_t skipped_since_frame_ = 0;
};

// ---- Encoding (for the emulator and tests) ----------------------------------------------------

// One serial frame with its SUM.
std::array<std::uint8_t, kWitSerialFrameBytes> encode_witmotion_serial_frame(
    std::uint8_t type, const std::array<std::int16_t, 4>& words);
// A sample as the module sends it with RSW = acc + gyro: a 0x51 frame then a 0x52 frame
// (22 bytes appended). Values saturate at the full scale; temperature goes in D4 of 0x51.
void encode_witmotion_serial(const ImuSample& sample, std::vector<std::uint8_t>& out,
                             double acc_range_g = 16.0, double gyr_range_dps = 2000.0,
                             double temperature_c = 25.0);
// A sample as a BLE 5.0 0x55 0x61 frame; angles (not computed here) are sent as given.
std::array<std::uint8_t, kWitBleFrameBytes> encode_witmotion_ble(
    const ImuSample& sample, const Vec3& angles_deg = Vec3::Zero(), double acc_range_g = 16.0,
    double gyr_range_dps = 2000.0);

// ---- Commands host → module: FF AA reg valL valH (no checksum) --------------------------------
using WitCommand = std::array<std::uint8_t, 5>;
WitCommand witmotion_write_register(std::uint8_t reg, std::uint16_t value);
WitCommand witmotion_unlock();                         // FF AA 69 88 B5
WitCommand witmotion_save();                           // FF AA 00 00 00
WitCommand witmotion_read_register(std::uint8_t reg);  // FF AA 27 reg 00
// RRATE code for a rate (0.2…200 Hz; 0x0B = 200 Hz per the official SDK). Throws Error for a
// rate the module does not offer.
std::uint8_t witmotion_rate_code(double rate_hz);
// Unlock, set RRATE, save: send with ~100 ms between them, then read register 0x03 back.
std::vector<WitCommand> witmotion_set_rate_commands(double rate_hz);

}  // namespace stridelab::protocol
