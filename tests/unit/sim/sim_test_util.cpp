#include "sim_test_util.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

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

namespace {

struct Fnv {
  std::uint64_t h = 1469598103934665603ULL;
  void bytes(const void* p, std::size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ULL;
  }
  void num(double x) {
    std::uint64_t u;
    std::memcpy(&u, &x, sizeof u);
    bytes(&u, sizeof u);
  }
  void vec(const Vec3& v) {
    for (int k = 0; k < 3; ++k) num(v[k]);
  }
  void count(std::size_t n) {
    const auto u = static_cast<std::uint64_t>(n);
    bytes(&u, sizeof u);
  }
};

}  // namespace

std::uint64_t hash_result(const SimResult& r) {
  Fnv f;
  const SensorData& s = r.recording.sensors[0];
  f.count(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    f.num(s.time_s[i]);
    f.num(s.device_time_s[i]);
    f.vec(s.acc[i]);
    f.vec(s.gyr[i]);
    if (!s.mag.empty()) f.vec(s.mag[i]);
  }
  f.count(s.gaps.size());
  for (const Gap& g : s.gaps) {
    f.count(g.index);
    f.num(g.start_s);
    f.num(g.end_s);
    f.count(g.missing);
  }
  const Truth& t = r.truth;
  f.num(t.gait_start_s);
  f.num(t.gait_end_s);
  f.num(t.mean_cadence_spm);
  f.count(t.steps.size());
  for (const TruthStep& st : t.steps) {
    f.num(st.time_s);
    f.count(static_cast<std::size_t>(st.side));
    f.num(st.step_time_s);
    f.num(st.pelvic_drop_deg);
    f.num(st.contact_time_s);
    f.num(st.final_contact_s);
    f.count(st.in_turn ? 1 : 0);
  }
  f.count(t.strides.size());
  for (const TruthStride& st : t.strides) {
    f.num(st.start_s);
    f.num(st.end_s);
    f.count(static_cast<std::size_t>(st.side));
    f.num(st.trunk_rotation_deg);
    f.count(st.in_turn ? 1 : 0);
  }
  for (const auto* v : {&t.obliquity_deg, &t.tilt_deg, &t.rotation_deg, &t.heading_deg})
    for (double x : *v) f.num(x);
  return f.h;
}

}  // namespace stridelab::sim::test
