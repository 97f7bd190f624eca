// Encode → parse round trip for every message type, and every parse error class.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "protocol_test_util.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/protocol/cobs.hpp"
#include "stridelab/protocol/crc.hpp"

namespace stridelab::protocol {
namespace {

using test::Bytes;

// Decodes one encoded frame (with delimiter) back to its bytes before COBS.
Bytes unframe(const Bytes& wire) {
  EXPECT_FALSE(wire.empty());
  EXPECT_EQ(wire.back(), 0);
  EXPECT_EQ(std::count(wire.begin(), wire.end() - 1, 0), 0);
  std::array<std::uint8_t, 2048> out{};
  const auto n = cobs_decode(std::span(wire.data(), wire.size() - 1), out);
  EXPECT_TRUE(n);
  return Bytes(out.begin(), out.begin() + static_cast<long>(n.value_or(0)));
}

Bytes reframe(Bytes raw, bool fix_crc) {
  if (fix_crc) {
    const std::uint32_t crc = crc32c(std::span(raw.data(), raw.size() - 4));
    for (int i = 0; i < 4; ++i) raw[raw.size() - 4 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
  }
  Bytes wire;
  cobs_encode(raw, wire);
  wire.push_back(0);
  return wire;
}

std::vector<Frame> random_frames(std::mt19937& rng) {
  auto u16 = [&] { return static_cast<std::uint16_t>(rng()); };
  auto u32 = [&] { return static_cast<std::uint32_t>(rng()); };
  std::vector<Frame> frames;
  DeviceInfo d;
  d.flags = rng() % 2;
  d.model = "model-" + std::to_string(rng() % 1000);
  d.device_id = std::string(16, static_cast<char>('A' + rng() % 26));
  d.firmware = "";
  d.sample_rate_mhz = u32();
  d.channels = static_cast<std::uint8_t>(1 + rng() % 7);
  d.placement = static_cast<std::uint8_t>(rng() % 4);
  d.acc_fs_g = u16();
  d.gyr_fs_dps = u16();
  d.mag_fs_ut = u16();
  d.acc_scale = 0.001f * (1 + rng() % 100);
  d.gyr_scale = 1e-4f * (1 + rng() % 100);
  d.mag_scale = 0.0f;
  frames.push_back({{u16(), u32()}, d});
  for (std::uint8_t channels = 1; channels <= channel::kAll; ++channels) {
    ImuBatch b;
    b.channels = channels;
    b.first_index = u32();
    b.period_ns = 1 + u32() % 100000000;
    if (channels & channel::kAcc) b.acc_scale = 0.0048f;
    if (channels & channel::kGyr) b.gyr_scale = 0.00107f;
    if (channels & channel::kMag) b.mag_scale = 0.15f;
    const std::size_t count = 1 + rng() % max_batch_samples(channels);
    for (std::size_t i = 0; i < count * b.values_per_sample(); ++i)
      b.raw.push_back(static_cast<std::int16_t>(rng()));
    frames.push_back({{u16(), u32()}, b});
  }
  Status s;
  s.battery_mv = u16();
  s.battery_pct = static_cast<std::uint8_t>(rng() % 101);
  s.flags = static_cast<std::uint8_t>(rng());
  s.temperature_cdeg = static_cast<std::int16_t>(rng());
  s.dropped_samples = u32();
  frames.push_back({{u16(), u32()}, s});
  for (Opcode op : {Opcode::kStart, Opcode::kStop, Opcode::kSetRate, Opcode::kRequestInfo})
    frames.push_back({{u16(), u32()}, Command{op, u32()}});
  frames.push_back({{u16(), u32()}, Ack{u16(), Opcode::kSetRate, AckResult::kBusy, u32()}});
  frames.push_back(
      {{u16(), u32()}, Ack{u16(), static_cast<Opcode>(0x7F), AckResult::kUnknownCommand, 0}});
  return frames;
}

TEST(Messages, RoundTripEveryType) {
  std::mt19937 rng(5);
  std::set<MessageType> seen;
  for (int trial = 0; trial < 200; ++trial) {
    for (const Frame& f : random_frames(rng)) {
      const Bytes wire = encode_frame(f);
      ASSERT_LE(wire.size(), kMaxEncodedBytes + 1);
      const ParseResult r = parse_frame(unframe(wire));
      ASSERT_EQ(r.error, ParseError::kNone) << to_string(r.error);
      EXPECT_TRUE(r.header_valid);
      EXPECT_EQ(r.frame, f);
      seen.insert(type_of(f.message));
    }
  }
  EXPECT_EQ(seen.size(), 5u);
}

TEST(Messages, EncodeRejectsInvalidMessages) {
  ImuBatch b;
  b.channels = channel::kAcc | channel::kGyr;
  b.period_ns = 5000000;
  EXPECT_THROW(encode_frame(Frame{{}, b}), Error);  // empty
  b.raw.assign(83 * 6, 1);
  EXPECT_THROW(encode_frame(Frame{{}, b}), Error);  // 83 > 82 samples
  b.raw.assign(82 * 6, 1);
  EXPECT_NO_THROW(encode_frame(Frame{{}, b}));
  b.raw.assign(7, 1);
  EXPECT_THROW(encode_frame(Frame{{}, b}), Error);  // not a whole number of samples
  b.channels = 0x08;
  b.raw.assign(6, 1);
  EXPECT_THROW(encode_frame(Frame{{}, b}), Error);
  DeviceInfo d;
  d.model = "seventeen chars!!";
  try {
    encode_frame(Frame{{}, d});
    ADD_FAILURE() << "no throw";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("model"), std::string::npos) << e.what();
  }
}

TEST(Messages, ParseErrorClasses) {
  Status s;
  const Bytes raw = unframe(encode_frame(Frame{{9, 100}, s}));
  auto parse_raw = [](Bytes r, bool fix_crc) {
    return parse_frame(unframe(reframe(std::move(r), fix_crc)));
  };

  EXPECT_EQ(parse_frame(std::span(raw.data(), 11)).error, ParseError::kTooShort);
  EXPECT_EQ(parse_frame(Bytes(1025, 1)).error, ParseError::kTooLong);

  Bytes bad = raw;
  bad[5] ^= 0x10;
  EXPECT_EQ(parse_raw(bad, false).error, ParseError::kBadCrc);

  bad = raw;
  bad[0] = 2;  // version 2
  EXPECT_EQ(parse_raw(bad, true).error, ParseError::kBadVersion);

  bad = raw;
  bad[1] = 0x42;  // unknown type: header still valid
  const ParseResult unknown = parse_raw(bad, true);
  EXPECT_EQ(unknown.error, ParseError::kUnknownType);
  EXPECT_TRUE(unknown.header_valid);
  EXPECT_EQ(unknown.frame.header.seq, 9);

  bad = raw;
  bad.insert(bad.end() - 4, 0x00);  // payload one byte too long
  EXPECT_EQ(parse_raw(bad, true).error, ParseError::kBadLength);

  bad = raw;
  bad[10] = 150;  // battery 150 %
  EXPECT_EQ(parse_raw(bad, true).error, ParseError::kBadField);
}

TEST(Messages, BatchFieldChecks) {
  ImuBatch b;
  b.channels = channel::kAcc;
  b.period_ns = 1000000;
  b.acc_scale = 0.001f;
  b.raw = {1, 2, 3};
  const Bytes raw = unframe(encode_frame(Frame{{1, 2}, b}));
  auto with = [&](std::size_t offset, std::uint8_t value) {
    Bytes r = raw;
    r[offset] = value;
    return parse_frame(unframe(reframe(r, true))).error;
  };
  // Payload starts at byte 8: channels, count, first_index (4), period_ns (4), acc_scale (4).
  EXPECT_EQ(with(8, 0x00), ParseError::kBadField);   // no channels
  EXPECT_EQ(with(8, 0x09), ParseError::kBadField);   // reserved bit
  EXPECT_EQ(with(8, 0x03), ParseError::kBadLength);  // gyro too: length no longer fits
  EXPECT_EQ(with(9, 0x02), ParseError::kBadLength);  // count 2 with one sample's bytes
  Bytes r = raw;
  for (std::size_t i = 14; i < 18; ++i) r.at(i) = 0;  // period 0
  EXPECT_EQ(parse_frame(unframe(reframe(r, true))).error, ParseError::kBadField);
  r = raw;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::memcpy(r.data() + 18, &nan, 4);
  EXPECT_EQ(parse_frame(unframe(reframe(r, true))).error, ParseError::kBadField);
}

}  // namespace
}  // namespace stridelab::protocol
