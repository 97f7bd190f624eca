#pragma once
// The stridelab wire protocol v1 (firmware_protocol/SPEC.md) as C++ values, and the pure
// functions between them and bytes. Encoding goes through the firmware's own C encoder
// (firmware_protocol/stridelab_proto.h); parsing is an independent implementation, so the
// test vectors check one against the other.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace stridelab::protocol {

inline constexpr std::uint8_t kProtocolVersion = 1;
inline constexpr std::size_t kHeaderBytes = 8;         // version, type, seq u16, t_dev_us u32
inline constexpr std::size_t kCrcBytes = 4;            // CRC-32C, little-endian
inline constexpr std::size_t kMaxFrameBytes = 1024;    // decoded frame incl. header and CRC
inline constexpr std::size_t kMaxEncodedBytes = 1029;  // COBS-encoded, without the delimiter

enum class MessageType : std::uint8_t {
  kDeviceInfo = 0x01,
  kImuBatch = 0x02,
  kStatus = 0x03,
  kCommand = 0x10,
  kAck = 0x11,
};
std::string_view to_string(MessageType type);

// Channel bits of IMU_BATCH and DEVICE_INFO; on the wire in the order acc, gyr, mag.
namespace channel {
inline constexpr std::uint8_t kAcc = 0x01;
inline constexpr std::uint8_t kGyr = 0x02;
inline constexpr std::uint8_t kMag = 0x04;
inline constexpr std::uint8_t kAll = 0x07;
}  // namespace channel
int channel_count(std::uint8_t channels);

enum class Opcode : std::uint8_t { kStart = 1, kStop = 2, kSetRate = 3, kRequestInfo = 4 };
enum class AckResult : std::uint8_t {
  kOk = 0,
  kUnknownCommand = 1,
  kBadArgument = 2,
  kBusy = 3,
  kNotSupported = 4,
  kDeviceError = 5,
};

// Sender's frame counter (wraps at 65536) and the sender's clock in µs (wraps at 2^32).
// For IMU_BATCH t_dev_us is the time of the batch's first sample; otherwise the time the
// frame was built.
struct FrameHeader {
  std::uint16_t seq = 0;
  std::uint32_t t_dev_us = 0;
  bool operator==(const FrameHeader&) const = default;
};

struct DeviceInfo {
  static constexpr std::uint8_t kBootFlag = 0x01;  // seq, sample index and clock restarted
  std::uint8_t protocol_version = kProtocolVersion;
  std::uint8_t flags = 0;
  std::string model;  // ASCII, at most 16 characters each
  std::string device_id;
  std::string firmware;
  std::uint32_t sample_rate_mhz = 0;  // nominal output rate, mHz
  std::uint8_t channels = 0;
  std::uint8_t placement = 0;    // 0 unknown, 1 pelvis, 2 upper trunk, 3 other
  std::uint16_t acc_fs_g = 0;    // ± g
  std::uint16_t gyr_fs_dps = 0;  // ± °/s
  std::uint16_t mag_fs_ut = 0;   // ± µT
  float acc_scale = 0.0f;        // m/s² per LSB
  float gyr_scale = 0.0f;        // rad/s per LSB
  float mag_scale = 0.0f;        // µT per LSB
  bool boot() const { return (flags & kBootFlag) != 0; }
  bool operator==(const DeviceInfo&) const = default;
};

struct ImuBatch {
  std::uint8_t channels = channel::kAcc | channel::kGyr;
  std::uint32_t first_index = 0;  // sample counter of the first sample (wraps at 2^32)
  std::uint32_t period_ns = 0;    // sample i is at header.t_dev_us + i · period_ns / 1000 µs
  float acc_scale = 0.0f;         // m/s² per LSB (sent only for present channels; else 0)
  float gyr_scale = 0.0f;         // rad/s per LSB
  float mag_scale = 0.0f;         // µT per LSB
  // Sample-major raw values: per sample x, y, z of each present channel (acc, gyr, mag).
  std::vector<std::int16_t> raw;
  std::size_t values_per_sample() const {
    return 3 * static_cast<std::size_t>(channel_count(channels));
  }
  std::size_t count() const { return values_per_sample() ? raw.size() / values_per_sample() : 0; }
  bool operator==(const ImuBatch&) const = default;
};

struct Status {
  static constexpr std::uint8_t kStreaming = 0x01, kCharging = 0x02, kLowBattery = 0x04,
                                kSensorFault = 0x08, kFifoOverflow = 0x10;
  static constexpr std::uint8_t kBatteryPctUnknown = 255;
  static constexpr std::int16_t kTemperatureUnknown = -32768;
  std::uint16_t battery_mv = 0;  // mV, 0 = unknown
  std::uint8_t battery_pct = kBatteryPctUnknown;
  std::uint8_t flags = 0;
  std::int16_t temperature_cdeg = kTemperatureUnknown;  // 0.01 °C
  std::uint32_t dropped_samples = 0;  // cumulative, measured but not sent by the device
  bool operator==(const Status&) const = default;
};

struct Command {
  Opcode opcode = Opcode::kStart;
  std::uint32_t arg = 0;  // kSetRate: rate in mHz
  bool operator==(const Command&) const = default;
};

struct Ack {
  std::uint16_t acked_seq = 0;  // seq of the COMMAND frame answered
  Opcode opcode = Opcode::kStart;
  AckResult result = AckResult::kOk;
  std::uint32_t value = 0;  // kSetRate: the rate now in effect, mHz
  bool operator==(const Ack&) const = default;
};

using Message = std::variant<DeviceInfo, ImuBatch, Status, Command, Ack>;
MessageType type_of(const Message& message);

struct Frame {
  FrameHeader header;
  Message message;
  bool operator==(const Frame&) const = default;
};

// Largest IMU_BATCH for these channels (82 for acc+gyr, 55 for acc+gyr+mag).
std::size_t max_batch_samples(std::uint8_t channels);

// Appends one frame, COBS-encoded and followed by the 0x00 delimiter, to out. Throws Error
// naming the problem if the message cannot be encoded (no channels, empty or oversized batch,
// a string longer than 16 characters).
void encode_frame(const Frame& frame, std::vector<std::uint8_t>& out);
std::vector<std::uint8_t> encode_frame(const Frame& frame);

enum class ParseError : std::uint8_t {
  kNone,
  kTooShort,  // fewer than header + CRC bytes
  kTooLong,   // more than kMaxFrameBytes
  kBadCrc,
  kBadVersion,   // CRC fine, version byte unknown
  kUnknownType,  // CRC and version fine, message type unknown (header is valid)
  kBadLength,    // payload length wrong for the type
  kBadField,     // a field value the spec forbids (no channels, count 0, NaN scale, ...)
};
std::string_view to_string(ParseError error);

struct ParseResult {
  ParseError error = ParseError::kNone;
  bool header_valid = false;  // CRC and version passed: frame.header can be trusted
  Frame frame;                // complete only when error == kNone
};

// Checks and parses one COBS-decoded frame (no delimiter).
ParseResult parse_frame(std::span<const std::uint8_t> decoded);

}  // namespace stridelab::protocol
