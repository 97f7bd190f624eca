// The one checksum module (stridelab/core/crc.hpp): known answers, chaining, both CRC-32C
// paths, the journal's CRC-32/ISO-HDLC against zlib (the journal's former implementation), and
// CRC-32C against the firmware's C code (firmware_protocol/stridelab_proto.h).
#include "stridelab/core/crc.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

#include "stridelab_proto.h"

namespace stridelab {
namespace {

constexpr std::string_view kCheck = "123456789";

// 1 MiB of a fixed pattern; the expected CRCs were computed independently (Python, table and
// bit-by-bit CRC-32C; zlib.crc32 for ISO-HDLC).
std::vector<std::uint8_t> megabyte() {
  std::vector<std::uint8_t> buf(std::size_t{1} << 20);
  for (std::size_t i = 0; i < buf.size(); ++i) buf[i] = static_cast<std::uint8_t>((i * 7919) >> 3);
  return buf;
}

TEST(CoreCrc32c, KnownAnswers) {
  EXPECT_EQ(crc32c(kCheck.data(), kCheck.size()), 0xE3069283u);
  EXPECT_EQ(crc32c(nullptr, 0), 0u);
  EXPECT_EQ(crc32c(std::span<const std::uint8_t>{}), 0u);
  EXPECT_EQ(crc32c(nullptr, 0, 0xE3069283u), 0xE3069283u);  // no bytes: unchanged
  const std::vector<std::uint8_t> zeros(32, 0);
  EXPECT_EQ(crc32c(zeros), 0x8A9136AAu);  // RFC 3720 B.4: 32 bytes of zeros
  EXPECT_EQ(crc32(Crc32Variant::kCastagnoli, kCheck.data(), kCheck.size()), 0xE3069283u);
  EXPECT_EQ(crc32(Crc32Variant::kIsoHdlc, kCheck.data(), kCheck.size()), 0xCBF43926u);
  EXPECT_EQ(crc32(Crc32Variant::kIsoHdlc, nullptr, 0), 0u);
}

TEST(CoreCrc32c, MegabyteBuffer) {
  const auto buf = megabyte();
  EXPECT_EQ(crc32c(buf), 0xA5EEF26Du);
  EXPECT_EQ(crc_detail::crc32c_portable(buf), 0xA5EEF26Du);
  if (crc_detail::crc32c_hardware_available()) {
    EXPECT_EQ(crc_detail::crc32c_hardware(buf), 0xA5EEF26Du);
  }
  EXPECT_EQ(slp_crc32c(buf.data(), buf.size()), 0xA5EEF26Du);  // the firmware's code
  EXPECT_EQ(crc32(Crc32Variant::kIsoHdlc, buf.data(), buf.size()), 0xCA198C9Du);
}

TEST(CoreCrc32c, ChainedUpdatesEqualOneShot) {
  const auto buf = megabyte();
  const std::uint32_t whole = crc32c(buf);
  const std::uint32_t whole_iso = crc32(Crc32Variant::kIsoHdlc, buf.data(), buf.size());
  for (std::size_t piece : {1, 3, 7, 8, 9, 64, 1000, 65536}) {
    std::uint32_t c = 0, portable = 0, hardware = 0, iso = 0;
    std::uint32_t firmware = 0xFFFFFFFFu;  // slp_crc32c_update runs on the raw state
    for (std::size_t at = 0; at < buf.size(); at += piece) {
      const std::span<const std::uint8_t> s(buf.data() + at, std::min(piece, buf.size() - at));
      c = crc32c(s.data(), s.size(), c);
      portable = crc_detail::crc32c_portable(s, portable);
      if (crc_detail::crc32c_hardware_available())
        hardware = crc_detail::crc32c_hardware(s, hardware);
      iso = crc32(Crc32Variant::kIsoHdlc, s.data(), s.size(), iso);
      if (piece >= 1000) firmware = slp_crc32c_update(firmware, s.data(), s.size());
    }
    EXPECT_EQ(c, whole) << piece;
    EXPECT_EQ(portable, whole) << piece;
    if (crc_detail::crc32c_hardware_available()) {
      EXPECT_EQ(hardware, whole) << piece;
    }
    EXPECT_EQ(iso, whole_iso) << piece;
    if (piece >= 1000) {
      EXPECT_EQ(firmware ^ 0xFFFFFFFFu, whole) << piece;
    }
  }
}

// The journal's records keep the CRC zlib's crc32() gave them before this module existed.
TEST(CoreCrc32c, JournalVariantMatchesZlib) {
  const auto buf = megabyte();
  for (std::size_t offset = 0; offset < 9; ++offset) {
    for (std::size_t len : {0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 255, 1024, 70000}) {
      const std::uint8_t* p = buf.data() + offset;
      const auto expect = static_cast<std::uint32_t>(::crc32(0L, p, static_cast<uInt>(len)));
      EXPECT_EQ(crc32(Crc32Variant::kIsoHdlc, p, len), expect) << offset << " " << len;
    }
  }
}

}  // namespace
}  // namespace stridelab
