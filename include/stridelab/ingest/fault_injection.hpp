#pragma once
// Seeded link faults for the emulator (and tests): frames dropped, bytes corrupted, garbage
// injected between frames, periodic disconnects. Same seed and same frames, same faults, so
// a test can compare a recording with exactly what was lost.
#include <cstdint>
#include <random>
#include <string_view>
#include <vector>

namespace stridelab::ingest {

struct FaultParams {
  double drop = 0.0;                // probability that a frame is not sent
  double corrupt = 0.0;             // probability that a byte is flipped (per byte sent)
  double noise = 0.0;               // probability that 1..16 random bytes precede a frame
  double disconnect_every_s = 0.0;  // the link drops this often (0: never), s of stream time
  double down_s = 1.0;              // and stays down this long (at least), s
  std::uint64_t seed = 1;
  bool any() const { return drop > 0 || corrupt > 0 || noise > 0 || disconnect_every_s > 0; }
};

// "drop=0.01,corrupt=0.001,noise=0.001,disconnect=10s,down=500ms" (durations in s or ms;
// a bare number is seconds). Throws Error naming the bad item.
FaultParams parse_faults(std::string_view spec, std::uint64_t seed = 1);
double parse_duration_s(std::string_view text);  // "10s", "250ms", "1.5"

class FaultInjector {
 public:
  explicit FaultInjector(const FaultParams& params);

  struct Outcome {
    bool dropped = false;                 // nothing of the frame is sent
    std::size_t corrupted = 0;            // bytes flipped
    bool garbage_before = false;          // random bytes were put in front of it
    bool garbage_ends_with_zero = false;  // ... and the last of them is 0x00 (a delimiter)
    bool last_byte_hit =
        false;  // its final byte (a delimiter) was flipped: the next frame is hit too
    bool intact() const { return !dropped && corrupted == 0 && !garbage_before; }
  };
  // Applies the faults to one frame's bytes in place (they may grow by a garbage prefix or
  // be emptied).
  Outcome apply(std::vector<std::uint8_t>& frame);
  const FaultParams& params() const { return params_; }

 private:
  FaultParams params_;
  std::mt19937_64 rng_;
  std::geometric_distribution<std::uint64_t> corrupt_gap_;  // bytes until the next flip
  std::uint64_t bytes_to_next_flip_ = 0;
};

}  // namespace stridelab::ingest
