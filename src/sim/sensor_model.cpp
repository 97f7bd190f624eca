#include "sim/sensor_model.hpp"

#include <algorithm>
#include <cmath>

namespace stridelab::sim {

double quantise(double x, double range, int bits) {
  const double lsb = 2.0 * range / std::ldexp(1.0, bits);
  return std::clamp(std::round(x / lsb) * lsb, -range, range);
}

Vec3 apply_errors(const Vec3& ideal, const ChannelModel& m, Rng& rng) {
  Vec3 out;
  for (int i = 0; i < 3; ++i) {
    double x = ideal[i] * (1.0 + m.scale_error) + m.bias[i];
    if (m.noise_sd > 0.0) x += m.noise_sd * rng.normal();
    if (m.range > 0.0) x = std::clamp(x, -m.range, m.range);
    if (m.bits > 0) x = quantise(x, m.range, m.bits);
    out[i] = x;
  }
  return out;
}

std::vector<Dropout> plan_dropouts(std::size_t n, double rate_hz, double per_min, Rng& rng) {
  std::vector<Dropout> out;
  if (per_min <= 0.0 || n < 3) return out;
  const double per_sample = per_min / (60.0 * rate_hz);
  const double max_len = std::max(1.0, std::round(0.2 * rate_hz));
  std::size_t next_free = 1;  // sample 0 is always kept
  double pos = 0.0;
  for (;;) {
    pos += rng.exponential(per_sample);
    const auto len = static_cast<std::size_t>(1.0 + std::floor(rng.uniform() * max_len));
    if (pos >= static_cast<double>(n)) break;
    const auto first = static_cast<std::size_t>(pos);
    if (first < next_free || first + len >= n) continue;  // overlaps, or would lose the last
    out.push_back({first, len});
    next_free = first + len + 1;
  }
  return out;
}

}  // namespace stridelab::sim
