#pragma once
// Consistent Overhead Byte Stuffing: removes every 0x00 from a frame so 0x00 can delimit
// frames. Overhead: at most one byte per 254 plus one.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace stridelab::protocol {

// Appends the COBS encoding of in (no delimiter) to out. A final 254-byte block is not
// followed by an empty block, so 254 non-zero bytes encode to 255 bytes.
void cobs_encode(std::span<const std::uint8_t> in, std::vector<std::uint8_t>& out);

// Largest encoding of n bytes: n + n / 254 + 1.
constexpr std::size_t cobs_max_encoded_size(std::size_t n) {
  return n + n / 254 + 1;
}

// Decodes one encoded frame (without its delimiter) into out. Returns the decoded length, or
// nullopt if the input is not valid COBS (a 0x00 inside, a block running past the end) or the
// result does not fit in out.
std::optional<std::size_t> cobs_decode(std::span<const std::uint8_t> in,
                                       std::span<std::uint8_t> out);

}  // namespace stridelab::protocol
