#pragma once
// Invariant checks shared by the libFuzzer targets and the GoogleTest that runs the same
// checks in the normal (gcc) build. Each returns an empty string when every invariant holds,
// else what broke.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace stridelab::protocol::fuzz {

// Decodes bytes twice — whole, and in chunks whose sizes come from chunk_seed — and checks:
// no exception; buffered bytes bounded; bytes_in = framed + skipped + buffered after every
// feed; finite samples with strictly increasing indices; gap and sample counters consistent
// with the output; identical results for both chunkings.
std::string check_stream(std::string_view protocol, std::span<const std::uint8_t> bytes,
                         std::uint32_t chunk_seed);

// One fuzz input: the first byte picks raw mode (the rest is the byte stream) or structured
// mode (the rest makes a valid stream of the protocol, which is then damaged by bit flips,
// cuts and insertions taken from the input), then check_stream runs on the result.
std::string fuzz_one(std::string_view protocol, std::span<const std::uint8_t> input);

// Largest buffered_bytes() a decoder of this protocol may hold.
std::size_t max_buffered(std::string_view protocol);

}  // namespace stridelab::protocol::fuzz
