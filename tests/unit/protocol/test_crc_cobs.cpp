// CRC check values, COBS examples and worked example from PROTOCOLS.md section 4, and the C++
// implementations against the firmware's C ones.
#include <gtest/gtest.h>

#include <random>

#include "protocol_test_util.hpp"
#include "stridelab/protocol/cobs.hpp"
#include "stridelab/protocol/crc.hpp"
#include "stridelab_proto.h"

namespace stridelab::protocol {
namespace {

using test::Bytes;
using test::from_hex;

const Bytes kCheck = {'1', '2', '3', '4', '5', '6', '7', '8', '9'};

TEST(Crc, CheckValues) {
  EXPECT_EQ(crc16_ccitt_false(kCheck), 0x29B1);
  EXPECT_EQ(crc32c(kCheck), 0xE3069283u);
  EXPECT_EQ(detail::crc32c_portable(kCheck), 0xE3069283u);
  EXPECT_EQ(crc32c({}), 0u);
  std::cout << "CRC-32C hardware path: "
            << (detail::crc32c_hardware_available() ? "SSE4.2" : "not available") << "\n";
}

TEST(Crc, PortableHardwareAndFirmwareAgree) {
  std::mt19937 rng(7);
  Bytes buf(3000);
  for (auto& b : buf) b = static_cast<std::uint8_t>(rng());
  for (std::size_t offset = 0; offset < 9; ++offset) {
    for (std::size_t len : {0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 255, 1024, 2991}) {
      const std::span<const std::uint8_t> s(buf.data() + offset, len);
      const std::uint32_t expect = slp_crc32c(s.data(), s.size());
      EXPECT_EQ(detail::crc32c_portable(s), expect) << offset << " " << len;
      EXPECT_EQ(crc32c(s), expect);
      if (detail::crc32c_hardware_available()) {
        EXPECT_EQ(detail::crc32c_hardware(s), expect);
      }
      EXPECT_EQ(crc16_ccitt_false(s), slp_crc16_ccitt_false(s.data(), s.size()));
    }
  }
}

Bytes cobs(const Bytes& in) {
  Bytes out;
  cobs_encode(in, out);
  return out;
}

TEST(Cobs, ExamplesFromProtocolsMd) {
  // Delimiter not included here (PROTOCOLS.md shows it as the trailing 00).
  EXPECT_EQ(cobs(from_hex("00")), from_hex("01 01"));
  EXPECT_EQ(cobs(from_hex("00 11 00")), from_hex("01 02 11 01"));
  EXPECT_EQ(cobs(from_hex("11 22 00 33")), from_hex("03 11 22 02 33"));
  EXPECT_EQ(cobs(from_hex("11 00 22 00")), from_hex("02 11 02 22 01"));
  EXPECT_EQ(cobs({}), from_hex("01"));
}

TEST(Cobs, LongRunsUseFullBlocks) {
  Bytes run(254);
  for (std::size_t i = 0; i < run.size(); ++i) run[i] = static_cast<std::uint8_t>(1 + i % 255);
  Bytes enc = cobs(run);
  ASSERT_EQ(enc.size(), 255u);  // 0xFF + 254 bytes, no trailing empty block
  EXPECT_EQ(enc[0], 0xFF);
  run.push_back(0x42);
  enc = cobs(run);
  ASSERT_EQ(enc.size(), 257u);
  EXPECT_EQ(enc[255], 0x02);
  EXPECT_EQ(enc[256], 0x42);
}

TEST(Cobs, RoundTripAndBound) {
  std::mt19937 rng(11);
  std::array<std::uint8_t, 2048> out{};
  for (int trial = 0; trial < 2000; ++trial) {
    const std::size_t n = rng() % 1100;
    const int zero_percent = static_cast<int>(rng() % 4) * 30;  // 0, 30, 60, 90 %
    Bytes in(n);
    for (auto& b : in)
      b = (static_cast<int>(rng() % 100) < zero_percent)
              ? 0
              : static_cast<std::uint8_t>(1 + rng() % 255);
    const Bytes enc = cobs(in);
    ASSERT_LE(enc.size(), cobs_max_encoded_size(n));
    ASSERT_EQ(std::count(enc.begin(), enc.end(), 0), 0);
    const auto len = cobs_decode(enc, out);
    ASSERT_TRUE(len.has_value());
    ASSERT_EQ(Bytes(out.begin(), out.begin() + static_cast<long>(*len)), in);
  }
}

TEST(Cobs, RejectsInvalid) {
  std::array<std::uint8_t, 64> out{};
  EXPECT_FALSE(cobs_decode(from_hex("05 11 22"), out));  // block runs past the end
  EXPECT_FALSE(cobs_decode(from_hex("03 00 11"), out));  // 0x00 inside a block
  EXPECT_FALSE(cobs_decode(from_hex("00"), out));        // code 0
  std::array<std::uint8_t, 2> tiny{};
  EXPECT_FALSE(cobs_decode(from_hex("04 11 22 33"), tiny));  // does not fit
  // The variant with a trailing empty block after a full one decodes to the same bytes.
  Bytes enc(255, 0x07);
  enc[0] = 0xFF;
  enc.push_back(0x01);
  std::array<std::uint8_t, 300> big{};
  EXPECT_EQ(cobs_decode(enc, big), 254u);
}

// PROTOCOLS.md section 4 worked example (the proposal frame with CRC-16): the body, its
// CRC-16/CCITT-FALSE 0x6E56 and the 23 bytes on the wire.
TEST(Cobs, ProtocolsMdWorkedExample) {
  Bytes body = from_hex("01 01 00 40 42 0F 00 00 00 00 00 00 08 00 00 00 00 00 01");
  EXPECT_EQ(crc16_ccitt_false(body), 0x6E56);
  body.push_back(0x56);
  body.push_back(0x6E);
  Bytes wire = cobs(body);
  wire.push_back(0x00);
  EXPECT_EQ(wire, from_hex("03 01 01 04 40 42 0F 01 01 01 01 01 02 08 01 01 01 01 04 01 56 6E 00"));
}

}  // namespace
}  // namespace stridelab::protocol
