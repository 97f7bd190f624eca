#pragma once
// Deterministic random numbers: std::mt19937_64 for the bits, and our own uniform and normal
// transforms, so a seed gives the same numbers with every standard library.
#include <cstdint>
#include <random>

namespace stridelab::sim {

class Rng {
 public:
  // Independent streams from one user seed: the stream id is mixed in with SplitMix64, so the
  // gait, the noise and the dropouts do not share numbers (changing the noise keeps the gait).
  Rng(std::uint64_t seed, std::uint64_t stream);

  double uniform();  // [0, 1), 53 random bits
  double normal();   // standard normal (Box–Muller, both outputs used)
  double normal(double mean, double sd) { return mean + sd * normal(); }
  double exponential(double rate);  // mean 1 / rate

 private:
  std::mt19937_64 engine_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

std::uint64_t splitmix64(std::uint64_t x);

}  // namespace stridelab::sim
