#pragma once
// The one checksum module. CRC-32C protects every stridelab wire frame
// (firmware_protocol/SPEC.md section 4) and is the default; the crash journal keeps the
// CRC-32/ISO-HDLC polynomial it has always used (docs/FILE_FORMAT.md "The journal"), through
// the same code with another table. CRC-16/CCITT-FALSE is here for tools and bridges.
//
// Chaining: pass the previous result to continue over more bytes, as with zlib's crc32():
//   crc32c(b, nb, crc32c(a, na)) == crc32c(a followed by b, na + nb)
#include <cstddef>
#include <cstdint>
#include <span>

namespace stridelab {

// The 32-bit variants: both reflected, init 0xFFFFFFFF, xorout 0xFFFFFFFF; they differ only in
// the (reflected) polynomial.
enum class Crc32Variant : std::uint32_t {
  kCastagnoli = 0x82F63B78u,  // CRC-32C, check 0xE3069283: wire protocol (the default)
  kIsoHdlc = 0xEDB88320u,     // CRC-32 of zlib/Ethernet, check 0xCBF43926: journal format 1
};

// CRC-32C (Castagnoli). Uses the SSE4.2 instruction when the CPU has it.
std::uint32_t crc32c(const void* data, std::size_t bytes, std::uint32_t previous = 0);
inline std::uint32_t crc32c(std::span<const std::uint8_t> data, std::uint32_t previous = 0) {
  return crc32c(data.data(), data.size(), previous);
}

// Either variant (kCastagnoli is crc32c()).
std::uint32_t crc32(Crc32Variant variant, const void* data, std::size_t bytes,
                    std::uint32_t previous = 0);

// CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, not reflected, xorout 0. Check 0x29B1.
std::uint16_t crc16_ccitt_false(std::span<const std::uint8_t> data);

namespace crc_detail {
// The two CRC-32C paths behind crc32c(), for tests and benchmarks.
std::uint32_t crc32c_portable(std::span<const std::uint8_t> data,
                              std::uint32_t previous = 0);  // slicing-by-8 tables
bool crc32c_hardware_available();
std::uint32_t crc32c_hardware(std::span<const std::uint8_t> data,
                              std::uint32_t previous = 0);  // only if available
}  // namespace crc_detail

}  // namespace stridelab
