#pragma once
// What a real IMU adds to the ideal signals: scale error, bias, white noise, saturation at the
// full-scale range, quantisation, and runs of lost samples.
#include <cstddef>
#include <vector>

#include "sim/random.hpp"
#include "stridelab/core/types.hpp"

namespace stridelab::sim {

struct ChannelModel {
  double scale_error = 0.0;  // relative
  Vec3 bias = Vec3::Zero();  // sensor units
  double noise_sd = 0.0;     // sensor units
  double range = 0.0;        // full scale (clip at ±range); 0 = no saturation
  int bits = 0;              // quantisation over ±range; 0 = none
};

// Applies, in this order: scale, bias, noise, saturation, quantisation.
Vec3 apply_errors(const Vec3& ideal, const ChannelModel& m, Rng& rng);

// Nearest level of a bits-bit grid over ±range (step 2·range / 2^bits; ±range are levels).
double quantise(double x, double range, int bits);

struct Dropout {
  std::size_t first = 0;  // index of the first lost sample (on the full output grid)
  std::size_t count = 0;  // samples lost
};

// Poisson-distributed dropouts of 1 sample to 0.2 s each. Never loses the first or the last
// sample, and keeps at least one sample between two dropouts.
std::vector<Dropout> plan_dropouts(std::size_t n, double rate_hz, double per_min, Rng& rng);

}  // namespace stridelab::sim
