#include "stridelab/protocol/messages.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "stridelab/core/crc.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab_proto.h"

namespace stridelab::protocol {

static_assert(kMaxFrameBytes == SLP_MAX_FRAME_BYTES && kMaxEncodedBytes == SLP_MAX_ENCODED_BYTES &&
              kHeaderBytes == SLP_HEADER_BYTES && kCrcBytes == SLP_CRC_BYTES &&
              kProtocolVersion == SLP_PROTOCOL_VERSION);

std::string_view to_string(MessageType type) {
  switch (type) {
    case MessageType::kDeviceInfo:
      return "device_info";
    case MessageType::kImuBatch:
      return "imu_batch";
    case MessageType::kStatus:
      return "status";
    case MessageType::kCommand:
      return "command";
    case MessageType::kAck:
      return "ack";
  }
  return "unknown";
}

std::string_view to_string(ParseError error) {
  switch (error) {
    case ParseError::kNone:
      return "ok";
    case ParseError::kTooShort:
      return "frame shorter than header + CRC";
    case ParseError::kTooLong:
      return "frame longer than 1024 bytes";
    case ParseError::kBadCrc:
      return "CRC mismatch";
    case ParseError::kBadVersion:
      return "unsupported protocol version";
    case ParseError::kUnknownType:
      return "unknown message type";
    case ParseError::kBadLength:
      return "wrong payload length for the message type";
    case ParseError::kBadField:
      return "invalid field value";
  }
  return "?";
}

int channel_count(std::uint8_t channels) {
  return ((channels & channel::kAcc) ? 1 : 0) + ((channels & channel::kGyr) ? 1 : 0) +
         ((channels & channel::kMag) ? 1 : 0);
}

MessageType type_of(const Message& message) {
  struct Visitor {
    MessageType operator()(const DeviceInfo&) const { return MessageType::kDeviceInfo; }
    MessageType operator()(const ImuBatch&) const { return MessageType::kImuBatch; }
    MessageType operator()(const Status&) const { return MessageType::kStatus; }
    MessageType operator()(const Command&) const { return MessageType::kCommand; }
    MessageType operator()(const Ack&) const { return MessageType::kAck; }
  };
  return std::visit(Visitor{}, message);
}

std::size_t max_batch_samples(std::uint8_t channels) {
  return slp_max_batch_samples(static_cast<std::uint8_t>(channels & channel::kAll));
}

// ---- Encoding: through the firmware's C encoder -------------------------------------------

namespace {

void copy_text16(const std::string& s, char (&dst)[16], const char* field) {
  if (s.size() > 16)
    throw Error(std::string("DEVICE_INFO ") + field + " '" + s + "' is longer than 16 characters");
  std::memset(dst, 0, sizeof dst);
  std::memcpy(dst, s.data(), s.size());
}

std::size_t encode_c(const FrameHeader& h, const Message& message, std::uint8_t* out,
                     std::size_t cap) {
  switch (type_of(message)) {
    case MessageType::kDeviceInfo: {
      const auto& m = std::get<DeviceInfo>(message);
      slp_device_info c{};
      c.flags = m.flags;
      copy_text16(m.model, c.model, "model");
      copy_text16(m.device_id, c.device_id, "device_id");
      copy_text16(m.firmware, c.firmware, "firmware");
      c.sample_rate_mhz = m.sample_rate_mhz;
      c.channels = m.channels;
      c.placement = m.placement;
      c.acc_fs_g = m.acc_fs_g;
      c.gyr_fs_dps = m.gyr_fs_dps;
      c.mag_fs_ut = m.mag_fs_ut;
      c.acc_scale = m.acc_scale;
      c.gyr_scale = m.gyr_scale;
      c.mag_scale = m.mag_scale;
      return slp_encode_device_info(out, cap, h.seq, h.t_dev_us, &c);
    }
    case MessageType::kImuBatch: {
      const auto& m = std::get<ImuBatch>(message);
      const std::size_t per = m.values_per_sample();
      if (m.channels == 0 || (m.channels & ~channel::kAll) != 0)
        throw Error("IMU_BATCH channels 0x" + std::to_string(m.channels) + " are invalid");
      if (m.raw.empty() || m.raw.size() % per != 0)
        throw Error("IMU_BATCH has " + std::to_string(m.raw.size()) +
                    " raw values, not a positive multiple of " + std::to_string(per));
      if (m.count() > max_batch_samples(m.channels))
        throw Error("IMU_BATCH of " + std::to_string(m.count()) + " samples exceeds the " +
                    std::to_string(max_batch_samples(m.channels)) + " a frame can hold");
      slp_imu_batch c{};
      c.channels = m.channels;
      c.count = static_cast<std::uint8_t>(m.count());
      c.first_index = m.first_index;
      c.period_ns = m.period_ns;
      c.acc_scale = m.acc_scale;
      c.gyr_scale = m.gyr_scale;
      c.mag_scale = m.mag_scale;
      c.samples = m.raw.data();
      return slp_encode_imu_batch(out, cap, h.seq, h.t_dev_us, &c);
    }
    case MessageType::kStatus: {
      const auto& m = std::get<Status>(message);
      const slp_status c{m.battery_mv, m.battery_pct, m.flags, m.temperature_cdeg,
                         m.dropped_samples};
      return slp_encode_status(out, cap, h.seq, h.t_dev_us, &c);
    }
    case MessageType::kCommand: {
      const auto& m = std::get<Command>(message);
      const slp_command c{static_cast<std::uint8_t>(m.opcode), m.arg};
      return slp_encode_command(out, cap, h.seq, h.t_dev_us, &c);
    }
    case MessageType::kAck: {
      const auto& m = std::get<Ack>(message);
      const slp_ack c{m.acked_seq, static_cast<std::uint8_t>(m.opcode),
                      static_cast<std::uint8_t>(m.result), m.value};
      return slp_encode_ack(out, cap, h.seq, h.t_dev_us, &c);
    }
  }
  return 0;
}

}  // namespace

void encode_frame(const Frame& frame, std::vector<std::uint8_t>& out) {
  const std::size_t start = out.size();
  out.resize(start + SLP_MAX_WIRE_BYTES);
  const std::size_t n =
      encode_c(frame.header, frame.message, out.data() + start, SLP_MAX_WIRE_BYTES);
  out.resize(start + n);
  if (n == 0)
    throw Error(std::string("cannot encode ") + std::string(to_string(type_of(frame.message))) +
                " frame (invalid field or larger than 1024 bytes)");
}

std::vector<std::uint8_t> encode_frame(const Frame& frame) {
  std::vector<std::uint8_t> out;
  encode_frame(frame, out);
  return out;
}

// ---- Parsing: independent of the C encoder ----------------------------------------------------

namespace {

struct Reader {
  const std::uint8_t* p;
  std::uint8_t u8() { return *p++; }
  std::uint16_t u16() {
    const auto v = static_cast<std::uint16_t>(p[0] | (p[1] << 8));
    p += 2;
    return v;
  }
  std::uint32_t u32() {
    const std::uint32_t v =
        static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
        (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
    p += 4;
    return v;
  }
  std::int16_t i16() { return static_cast<std::int16_t>(u16()); }
  float f32() {
    const std::uint32_t bits = u32();
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
  }
  std::string text16() {
    const auto* s = reinterpret_cast<const char*>(p);
    p += 16;
    return std::string(s, std::find(s, s + 16, '\0'));
  }
};

bool valid_scale(float s) {
  return std::isfinite(s) && s > 0.0f;
}

ParseError parse_payload(MessageType type, Reader r, std::size_t n, Message& out) {
  switch (type) {
    case MessageType::kDeviceInfo: {
      if (n != SLP_DEVICE_INFO_PAYLOAD) return ParseError::kBadLength;
      DeviceInfo m;
      m.protocol_version = r.u8();
      m.flags = r.u8();
      m.model = r.text16();
      m.device_id = r.text16();
      m.firmware = r.text16();
      m.sample_rate_mhz = r.u32();
      m.channels = r.u8();
      m.placement = r.u8();
      m.acc_fs_g = r.u16();
      m.gyr_fs_dps = r.u16();
      m.mag_fs_ut = r.u16();
      m.acc_scale = r.f32();
      m.gyr_scale = r.f32();
      m.mag_scale = r.f32();
      if ((m.channels & ~channel::kAll) != 0 || m.placement > SLP_PLACEMENT_OTHER ||
          !std::isfinite(m.acc_scale) || !std::isfinite(m.gyr_scale) || !std::isfinite(m.mag_scale))
        return ParseError::kBadField;
      out = std::move(m);
      return ParseError::kNone;
    }
    case MessageType::kImuBatch: {
      if (n < SLP_BATCH_FIXED_PAYLOAD) return ParseError::kBadLength;
      ImuBatch m;
      m.channels = r.u8();
      const std::size_t count = r.u8();
      m.first_index = r.u32();
      m.period_ns = r.u32();
      if (m.channels == 0 || (m.channels & ~channel::kAll) != 0) return ParseError::kBadField;
      const auto ch = static_cast<std::size_t>(channel_count(m.channels));
      if (n != SLP_BATCH_FIXED_PAYLOAD + 4 * ch + 6 * ch * count) return ParseError::kBadLength;
      if (count == 0 || m.period_ns == 0) return ParseError::kBadField;
      if (m.channels & channel::kAcc) m.acc_scale = r.f32();
      if (m.channels & channel::kGyr) m.gyr_scale = r.f32();
      if (m.channels & channel::kMag) m.mag_scale = r.f32();
      if (((m.channels & channel::kAcc) && !valid_scale(m.acc_scale)) ||
          ((m.channels & channel::kGyr) && !valid_scale(m.gyr_scale)) ||
          ((m.channels & channel::kMag) && !valid_scale(m.mag_scale)))
        return ParseError::kBadField;
      m.raw.resize(count * 3 * ch);
      for (auto& v : m.raw) v = r.i16();
      out = std::move(m);
      return ParseError::kNone;
    }
    case MessageType::kStatus: {
      if (n != SLP_STATUS_PAYLOAD) return ParseError::kBadLength;
      Status m;
      m.battery_mv = r.u16();
      m.battery_pct = r.u8();
      m.flags = r.u8();
      m.temperature_cdeg = r.i16();
      m.dropped_samples = r.u32();
      if (m.battery_pct > 100 && m.battery_pct != Status::kBatteryPctUnknown)
        return ParseError::kBadField;
      out = m;
      return ParseError::kNone;
    }
    case MessageType::kCommand: {
      if (n != SLP_COMMAND_PAYLOAD) return ParseError::kBadLength;
      Command m;
      m.opcode = static_cast<Opcode>(r.u8());
      m.arg = r.u32();
      out = m;
      return ParseError::kNone;
    }
    case MessageType::kAck: {
      if (n != SLP_ACK_PAYLOAD) return ParseError::kBadLength;
      Ack m;
      m.acked_seq = r.u16();
      m.opcode = static_cast<Opcode>(r.u8());
      m.result = static_cast<AckResult>(r.u8());
      m.value = r.u32();
      out = m;
      return ParseError::kNone;
    }
  }
  return ParseError::kUnknownType;
}

bool known_type(std::uint8_t t) {
  return t == SLP_TYPE_DEVICE_INFO || t == SLP_TYPE_IMU_BATCH || t == SLP_TYPE_STATUS ||
         t == SLP_TYPE_COMMAND || t == SLP_TYPE_ACK;
}

}  // namespace

ParseResult parse_frame(std::span<const std::uint8_t> decoded) {
  ParseResult result;
  const std::size_t n = decoded.size();
  if (n < kHeaderBytes + kCrcBytes) {
    result.error = ParseError::kTooShort;
    return result;
  }
  if (n > kMaxFrameBytes) {
    result.error = ParseError::kTooLong;
    return result;
  }
  Reader crc_reader{decoded.data() + n - kCrcBytes};
  if (crc32c(decoded.first(n - kCrcBytes)) != crc_reader.u32()) {
    result.error = ParseError::kBadCrc;
    return result;
  }
  Reader r{decoded.data()};
  const std::uint8_t version = r.u8();
  if (version != kProtocolVersion) {
    result.error = ParseError::kBadVersion;
    return result;
  }
  const std::uint8_t type = r.u8();
  result.frame.header.seq = r.u16();
  result.frame.header.t_dev_us = r.u32();
  result.header_valid = true;
  if (!known_type(type)) {
    result.error = ParseError::kUnknownType;
    return result;
  }
  result.error = parse_payload(static_cast<MessageType>(type), r, n - kHeaderBytes - kCrcBytes,
                               result.frame.message);
  return result;
}

}  // namespace stridelab::protocol
