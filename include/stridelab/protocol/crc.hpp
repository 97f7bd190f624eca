#pragma once
// Checksums used on the wire. CRC-32C protects every stridelab frame; CRC-16/CCITT-FALSE is
// here for tools and bridges that need it (firmware_protocol/SPEC.md, section "CRC").
#include <cstdint>
#include <span>

namespace stridelab::protocol {

// CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, not reflected, xorout 0. Check 0x29B1.
std::uint16_t crc16_ccitt_false(std::span<const std::uint8_t> data);

// CRC-32C (Castagnoli): reflected poly 0x82F63B78, init and xorout 0xFFFFFFFF.
// Check ("123456789") 0xE3069283. Uses the SSE4.2 instruction when the CPU has it.
std::uint32_t crc32c(std::span<const std::uint8_t> data);

namespace detail {
std::uint32_t crc32c_portable(std::span<const std::uint8_t> data);  // slicing-by-8 tables
bool crc32c_hardware_available();
std::uint32_t crc32c_hardware(std::span<const std::uint8_t> data);  // only if available
}  // namespace detail

}  // namespace stridelab::protocol
