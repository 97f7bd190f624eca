#include "stridelab/protocol/cobs.hpp"

#include <cstring>

namespace stridelab::protocol {

void cobs_encode(std::span<const std::uint8_t> in, std::vector<std::uint8_t>& out) {
  out.reserve(out.size() + cobs_max_encoded_size(in.size()));
  std::size_t code_pos = out.size();
  out.push_back(0);  // placeholder for the first block's code
  std::uint8_t code = 1;
  bool block_open = true;
  for (std::uint8_t byte : in) {
    if (!block_open) {  // the previous block was a full 254-byte one
      code_pos = out.size();
      out.push_back(0);
      code = 1;
      block_open = true;
    }
    if (byte == 0) {
      out[code_pos] = code;
      code_pos = out.size();
      out.push_back(0);
      code = 1;
      continue;
    }
    out.push_back(byte);
    if (++code == 0xFF) {
      out[code_pos] = code;
      block_open = false;
    }
  }
  if (block_open) out[code_pos] = code;
}

std::optional<std::size_t> cobs_decode(std::span<const std::uint8_t> in,
                                       std::span<std::uint8_t> out) {
  const std::uint8_t* p = in.data();
  const std::size_t n = in.size();
  std::size_t i = 0;
  std::size_t len = 0;
  while (i < n) {
    const std::uint8_t code = p[i++];
    if (code == 0) return std::nullopt;
    const std::size_t block = code - 1u;
    if (block > n - i || block > out.size() - len) return std::nullopt;
    if (block > 0) {
      if (std::memchr(p + i, 0, block) != nullptr) return std::nullopt;
      std::memcpy(out.data() + len, p + i, block);
      len += block;
      i += block;
    }
    if (code != 0xFF && i < n) {
      if (len >= out.size()) return std::nullopt;
      out[len++] = 0;
    }
  }
  return len;
}

}  // namespace stridelab::protocol
