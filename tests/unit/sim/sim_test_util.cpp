#include "sim_test_util.hpp"

#include <algorithm>
#include <cmath>

namespace stridelab::sim::test {

SimParams ideal_params(Activity activity, double gait_s) {
  SimParams p;
  p.activity = activity;
  p.gait_duration_s = gait_s;
  apply_noise_preset(p, "none");
  p.acc_range_ms2 = 0.0;
  p.gyr_range_rads = 0.0;
  return p;
}

double angle_between_deg(const Eigen::Quaterniond& a, const Eigen::Quaterniond& b) {
  return a.angularDistance(b) * 180.0 / M_PI;
}

Vec3 world_specific_force(const SimResult& r, std::size_t i) {
  return sensor_orientation(r.truth, i) * r.recording.sensors[0].acc[i];
}

std::size_t index_at(const SimResult& r, double t) {
  const auto& ts = r.recording.sensors[0].time_s;
  return static_cast<std::size_t>(std::lower_bound(ts.begin(), ts.end(), t - 1e-12) - ts.begin());
}

}  // namespace stridelab::sim::test
