#include "stridelab/dsp/step_metrics.hpp"

#include <algorithm>
#include <cmath>

namespace stridelab::dsp {
namespace {

// Linear interpolation of a frame field at time t (NaN if outside the ring).
template <class Field>
double value_at(const FrameRing& ring, double t, Field field) {
  const std::uint64_t i = frame_index_at(ring, t);
  if (i >= ring.end()) return kNotMeasured;
  if (ring[i].time_s == t) return field(ring[i]);
  if (i == ring.begin()) return kNotMeasured;
  const FrameSample& a = ring[i - 1];
  const FrameSample& b = ring[i];
  const double w = (t - a.time_s) / (b.time_s - a.time_s);
  return field(a) + w * (field(b) - field(a));
}

double obliquity(const FrameSample& f) {
  return f.obliquity_deg;
}
double rotation(const FrameSample& f) {
  return f.rotation_deg;
}

}  // namespace

std::uint64_t frame_index_at(const FrameRing& ring, double t) {
  const std::uint64_t b = ring.begin(), e = ring.end();
  if (b == e || t > ring[e - 1].time_s) return e;
  const double t0 = ring[b].time_s, t1 = ring[e - 1].time_s;
  if (t <= t0) return b;
  // Frames are evenly spaced except at gaps: start where the spacing puts t, look at a few
  // neighbours, and bisect what is left only if that fails. The answer stays in [lo, hi].
  std::uint64_t lo = b, hi = e - 1;
  const std::uint64_t guess =
      b + static_cast<std::uint64_t>((t - t0) / (t1 - t0) * static_cast<double>(e - 1 - b));
  if (ring[guess].time_s < t) {
    lo = guess + 1;
    for (int k = 0; k < 3 && lo < hi && ring[lo].time_s < t; ++k) ++lo;
  } else {
    hi = guess;
    for (int k = 0; k < 3 && hi > lo && ring[hi - 1].time_s >= t; ++k) --hi;
  }
  while (lo < hi) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    if (ring[mid].time_s < t)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

bool covers(const FrameRing& ring, double t0, double t1) {
  return !ring.empty() && ring[ring.begin()].time_s <= t0 && ring[ring.end() - 1].time_s >= t1;
}

double pelvic_drop_deg(const FrameRing& ring, Side stance, double ic_s, double stance_end_s) {
  if (stance == Side::kUnknown || !covers(ring, ic_s, stance_end_s)) return kNotMeasured;
  double hi = -1e300, lo = 1e300;
  for (std::uint64_t i = frame_index_at(ring, ic_s);
       i < ring.end() && ring[i].time_s <= stance_end_s; ++i) {
    hi = std::max(hi, ring[i].obliquity_deg);
    lo = std::min(lo, ring[i].obliquity_deg);
  }
  if (hi < lo) return kNotMeasured;
  return stance == Side::kLeft ? hi : -lo;
}

double midstance_drop_deg(const FrameRing& ring, Side stance, double ic_s, double stance_end_s) {
  if (stance == Side::kUnknown) return kNotMeasured;
  const double phi = value_at(ring, 0.5 * (ic_s + stance_end_s), obliquity);
  return stance == Side::kLeft ? phi : -phi;
}

double trunk_rotation_deg(const FrameRing& ring, double start_s, double end_s) {
  if (!covers(ring, start_s, end_s) || !(end_s > start_s)) return kNotMeasured;
  const double psi0 = value_at(ring, start_s, rotation);
  const double psi1 = value_at(ring, end_s, rotation);
  const double slope = (psi1 - psi0) / (end_s - start_s);
  double hi = 0.0, lo = 0.0;  // the detrended value is 0 at both ends
  for (std::uint64_t i = frame_index_at(ring, start_s); i < ring.end() && ring[i].time_s <= end_s;
       ++i) {
    const double d = ring[i].rotation_deg - (psi0 + slope * (ring[i].time_s - start_s));
    hi = std::max(hi, d);
    lo = std::min(lo, d);
  }
  return hi - lo;
}

double heading_change_deg(const FrameRing& ring, double t0, double t1) {
  if (!covers(ring, t0, t1)) return kNotMeasured;
  return value_at(ring, t1, rotation) - value_at(ring, t0, rotation);
}

double yaw_change_deg(const FrameRing& ring, double t0, double t1) {
  if (!covers(ring, t0, t1)) return kNotMeasured;
  double sum = 0.0;
  for (std::uint64_t i = frame_index_at(ring, t0) + 1; i < ring.end() && ring[i].time_s <= t1; ++i)
    sum += ring[i].gyr.dot(ring[i].up) * (ring[i].time_s - ring[i - 1].time_s);
  return sum * 180.0 / M_PI;
}

double side_cue_deg(const FrameRing& ring, double ic_s, double window_s, double step_s,
                    double yaw_weight) {
  if (!covers(ring, ic_s, ic_s + window_s)) return kNotMeasured;
  const double roll = value_at(ring, ic_s + window_s, obliquity) - value_at(ring, ic_s, obliquity);
  if (yaw_weight == 0.0 || !covers(ring, ic_s - 2.0 * step_s, ic_s + window_s)) return roll;
  // Heading trend from the stride before the contact (causal), removed from the yaw change.
  const double psi0 = value_at(ring, ic_s, rotation);
  const double trend = (psi0 - value_at(ring, ic_s - 2.0 * step_s, rotation)) / (2.0 * step_s);
  const double yaw = value_at(ring, ic_s + window_s, rotation) - psi0 - trend * window_s;
  return roll - yaw_weight * yaw;
}

std::uint32_t frame_flags(const FrameRing& ring, double t0, double t1) {
  std::uint32_t flags = 0;
  // A gap before the first frame of the window also touches it.
  for (std::uint64_t i = frame_index_at(ring, t0); i < ring.end() && ring[i].time_s <= t1 + 1e-9;
       ++i) {
    if (ring[i].gap_before || ring[i].bridged_hole) flags |= kFlagGap;
    if (ring[i].clipped) flags |= kFlagClipping;
  }
  return flags;
}

}  // namespace stridelab::dsp

namespace stridelab::dsp {

double lateral_side_cue(const FrameRing& ring, const Vec3& left_in_sensor, double ic_s,
                        double from_s, double to_s) {
  if (!covers(ring, ic_s + from_s, ic_s + to_s)) return kNotMeasured;
  double sum = 0.0;
  int n = 0;
  for (std::uint64_t i = frame_index_at(ring, ic_s + from_s);
       i < ring.end() && ring[i].time_s <= ic_s + to_s; ++i, ++n)
    sum += ring[i].acc_h.dot(left_in_sensor);
  return n ? -sum / n : kNotMeasured;
}

}  // namespace stridelab::dsp
