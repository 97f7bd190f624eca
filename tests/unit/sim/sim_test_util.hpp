#pragma once
// Shared helpers for the simulator tests.
#include <Eigen/Geometry>

#include <cstdint>

#include "stridelab/sim/simulator.hpp"

namespace stridelab::sim::test {

// Noise-free, bias-free, no saturation, no quantisation, no dropouts.
SimParams ideal_params(Activity activity, double gait_s = 60.0);

// Integrates the gyroscope of samples [from, to] starting from q0 (sensor → world), with a
// second-order rotation vector per interval (mean rate plus coning correction). Calls
// visit(i, q) for every sample after `from`.
template <class Visit>
Eigen::Quaterniond integrate_gyro(const SensorData& s, std::size_t from, std::size_t to,
                                  Eigen::Quaterniond q, Visit visit) {
  for (std::size_t i = from + 1; i <= to; ++i) {
    const double dt = s.time_s[i] - s.time_s[i - 1];
    const Vec3 w0 = s.gyr[i - 1], w1 = s.gyr[i];
    const Vec3 rv = 0.5 * (w0 + w1) * dt + (dt * dt / 12.0) * w0.cross(w1);
    const double angle = rv.norm();
    if (angle > 0.0)
      q = (q * Eigen::Quaterniond(Eigen::AngleAxisd(angle, rv / angle))).normalized();
    visit(i, q);
  }
  return q;
}

double angle_between_deg(const Eigen::Quaterniond& a, const Eigen::Quaterniond& b);

// Specific force of sample i rotated into the world with the true orientation, m/s².
Vec3 world_specific_force(const SimResult& r, std::size_t i);

// Index of the first sample at or after t (samples on the i / rate grid, no dropouts).
std::size_t index_at(const SimResult& r, double t);

// FNV-1a 64 over the bits of every sample (time, acc, gyr, mag), gap, truth step, stride and
// per-sample truth angle: equal hashes mean bit-identical simulations.
std::uint64_t hash_result(const SimResult& r);

}  // namespace stridelab::sim::test
