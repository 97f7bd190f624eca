#pragma once
// Feeding a fixed-window frame scanner with arbitrary chunks. The scanner decides at each
// position from at most `window` bytes and returns how many bytes it consumed; fewer than
// `window` bytes are left over. Leftovers are joined with the start of the next chunk so a
// frame may straddle chunks, and the decisions are identical whatever the chunking.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

namespace stridelab::protocol::detail {

template <std::size_t Window, typename Scan>
void feed_scanner(std::span<const std::uint8_t> bytes, std::array<std::uint8_t, 2 * Window>& tail,
                  std::size_t& tail_len, Scan&& scan) {
  const std::uint8_t* p = bytes.data();
  std::size_t n = bytes.size();
  if (tail_len > 0) {
    std::array<std::uint8_t, 2 * Window> joined{};
    const std::size_t take = std::min(n, Window);
    std::memcpy(joined.data(), tail.data(), tail_len);
    if (take > 0) std::memcpy(joined.data() + tail_len, p, take);
    const std::size_t len = tail_len + take;
    const std::size_t used = scan(joined.data(), len);
    if (used < tail_len) {  // only possible when the whole chunk fitted in `joined`
      std::memmove(tail.data(), joined.data() + used, len - used);
      tail_len = len - used;
      return;
    }
    p += used - tail_len;
    n -= used - tail_len;
    tail_len = 0;
  }
  const std::size_t used = n > 0 ? scan(p, n) : 0;
  tail_len = n - used;
  if (tail_len > 0) std::memcpy(tail.data(), p + used, tail_len);
}

}  // namespace stridelab::protocol::detail
