#include "stridelab/core/crc.hpp"

#include <array>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <nmmintrin.h>
#define STRIDELAB_HAVE_SSE42_PATH 1
#endif

namespace stridelab {

namespace {

using Tables = std::array<std::array<std::uint32_t, 256>, 8>;

// Slicing-by-8: table[k][b] is the CRC state change of byte b followed by k zero bytes.
constexpr Tables make_tables(std::uint32_t poly) {
  Tables t{};
  for (std::uint32_t b = 0; b < 256; ++b) {
    std::uint32_t c = b;
    for (int i = 0; i < 8; ++i) c = (c >> 1) ^ ((c & 1u) ? poly : 0u);
    t[0][b] = c;
  }
  for (std::uint32_t b = 0; b < 256; ++b)
    for (int k = 1; k < 8; ++k) t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xFFu];
  return t;
}
constexpr Tables kCastagnoli = make_tables(static_cast<std::uint32_t>(Crc32Variant::kCastagnoli));
constexpr Tables kIsoHdlc = make_tables(static_cast<std::uint32_t>(Crc32Variant::kIsoHdlc));

std::uint32_t load_le32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

// `previous` is a finished CRC (0 to start): the running state is its complement.
std::uint32_t slicing_by_8(const Tables& t, const std::uint8_t* p, std::size_t n,
                           std::uint32_t previous) {
  std::uint32_t c = ~previous;
  while (n >= 8) {
    const std::uint32_t lo = load_le32(p) ^ c;
    const std::uint32_t hi = load_le32(p + 4);
    c = t[7][lo & 0xFFu] ^ t[6][(lo >> 8) & 0xFFu] ^ t[5][(lo >> 16) & 0xFFu] ^ t[4][lo >> 24] ^
        t[3][hi & 0xFFu] ^ t[2][(hi >> 8) & 0xFFu] ^ t[1][(hi >> 16) & 0xFFu] ^ t[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n--) c = (c >> 8) ^ t[0][(c ^ *p++) & 0xFFu];
  return ~c;
}

}  // namespace

namespace crc_detail {

std::uint32_t crc32c_portable(std::span<const std::uint8_t> data, std::uint32_t previous) {
  return slicing_by_8(kCastagnoli, data.data(), data.size(), previous);
}

#ifdef STRIDELAB_HAVE_SSE42_PATH
bool crc32c_hardware_available() {
  static const bool available = __builtin_cpu_supports("sse4.2");
  return available;
}

__attribute__((target("sse4.2"))) std::uint32_t crc32c_hardware(std::span<const std::uint8_t> data,
                                                                std::uint32_t previous) {
  const std::uint8_t* p = data.data();
  std::size_t n = data.size();
  std::uint64_t c = ~previous;
  while (n >= 8) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);  // x86 is little-endian, as the CRC's byte order needs
    c = _mm_crc32_u64(c, v);
    p += 8;
    n -= 8;
  }
  auto c32 = static_cast<std::uint32_t>(c);
  while (n--) c32 = _mm_crc32_u8(c32, *p++);
  return ~c32;
}
#else
bool crc32c_hardware_available() {
  return false;
}
std::uint32_t crc32c_hardware(std::span<const std::uint8_t> data, std::uint32_t previous) {
  return crc32c_portable(data, previous);
}
#endif

}  // namespace crc_detail

std::uint32_t crc32c(const void* data, std::size_t bytes, std::uint32_t previous) {
  const std::span s(static_cast<const std::uint8_t*>(data), bytes);
  return crc_detail::crc32c_hardware_available() ? crc_detail::crc32c_hardware(s, previous)
                                                 : crc_detail::crc32c_portable(s, previous);
}

std::uint32_t crc32(Crc32Variant variant, const void* data, std::size_t bytes,
                    std::uint32_t previous) {
  if (variant == Crc32Variant::kCastagnoli) return crc32c(data, bytes, previous);
  return slicing_by_8(kIsoHdlc, static_cast<const std::uint8_t*>(data), bytes, previous);
}

std::uint16_t crc16_ccitt_false(std::span<const std::uint8_t> data) {
  std::uint16_t crc = 0xFFFF;
  for (std::uint8_t byte : data) {
    crc ^= static_cast<std::uint16_t>(byte << 8);
    for (int bit = 0; bit < 8; ++bit)
      crc = static_cast<std::uint16_t>((crc & 0x8000u) ? ((crc << 1) ^ 0x1021u) : (crc << 1));
  }
  return crc;
}

}  // namespace stridelab
