#pragma once
// Min/max decimation for plotting: a trace is drawn as one (min, max) pair per pixel column, so
// a chart never holds more than ~2 points per pixel however long or fast the signal is, and
// peaks are never lost (unlike picking every n-th sample). Qt-free, so it can be benchmarked.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace stridelab::studio {

// Calls out(t, v) for at most 2 * columns points that outline samples (t[i], v[i]) with
// lo <= t[i] <= hi (t sorted ascending). NaN values are skipped. Within a column the minimum
// and maximum are emitted in time order, so the polyline keeps the signal's shape.
template <class Emit>
void min_max_decimate(const double* t, const double* v, std::size_t n, double lo, double hi,
                      int columns, Emit&& out) {
  if (n == 0 || !(hi > lo) || columns <= 0) return;
  const std::size_t begin = static_cast<std::size_t>(std::lower_bound(t, t + n, lo) - t);
  const std::size_t end = static_cast<std::size_t>(std::upper_bound(t, t + n, hi) - t);
  if (begin >= end) return;
  if (end - begin <= static_cast<std::size_t>(2 * columns)) {
    for (std::size_t i = begin; i < end; ++i)
      if (!std::isnan(v[i])) out(t[i], v[i]);
    return;
  }
  const double column_s = (hi - lo) / columns;
  std::size_t i = begin;
  while (i < end) {
    const auto column = static_cast<std::int64_t>((t[i] - lo) / column_s);
    std::size_t i_min = end, i_max = end;
    for (; i < end && static_cast<std::int64_t>((t[i] - lo) / column_s) == column; ++i) {
      if (std::isnan(v[i])) continue;
      if (i_min == end || v[i] < v[i_min]) i_min = i;
      if (i_max == end || v[i] > v[i_max]) i_max = i;
    }
    if (i_min == end) continue;
    const std::size_t first = std::min(i_min, i_max), second = std::max(i_min, i_max);
    out(t[first], v[first]);
    if (second != first) out(t[second], v[second]);
  }
}

struct MinMaxRingParams {
  double window_s = 20.0;  // how much history is kept, s
  int columns = 1200;      // buckets across the window (≈ chart width in pixels)
};

// Decimate-on-ingest buffer for a live trace: every sample folds into a fixed-width time bucket
// (O(1) per sample, no allocation after construction), only the last window_s are kept. Memory
// is bounded by `columns` whatever the sample rate, so 8 sensors × 1 kHz cost the same to draw
// as one sensor at 50 Hz.
class MinMaxRing {
 public:
  struct Bucket {
    double t_min = 0.0, v_min = 0.0;  // time and value of the smallest sample
    double t_max = 0.0, v_max = 0.0;  // time and value of the largest sample
    std::int64_t index = 0;           // floor(t / bucket_s)
  };

  explicit MinMaxRing(const MinMaxRingParams& params = {})
      : params_(params),
        bucket_s_(params.window_s / std::max(params.columns, 1)),
        ring_(static_cast<std::size_t>(std::max(params.columns, 1)) + 1) {}

  void push(double t, double v) {
    if (std::isnan(v) || std::isnan(t)) return;
    const auto index = static_cast<std::int64_t>(std::floor(t / bucket_s_));
    if (size_ > 0 && index < back().index) {  // time went back (a new session): start over
      clear();
    }
    if (size_ == 0 || index > back().index) {
      if (size_ == ring_.size()) {
        head_ = (head_ + 1) % ring_.size();
        --size_;
      }
      Bucket& b = ring_[(head_ + size_) % ring_.size()];
      ++size_;
      b = Bucket{t, v, t, v, index};
    } else {
      Bucket& b = back();
      if (v < b.v_min) b.t_min = t, b.v_min = v;
      if (v > b.v_max) b.t_max = t, b.v_max = v;
    }
    latest_t_ = t;
    // Drop buckets that fell out of the time window (e.g. after a pause in the stream).
    while (size_ > 1 && ring_[head_].index < index - params_.columns) {
      head_ = (head_ + 1) % ring_.size();
      --size_;
    }
  }

  void clear() {
    head_ = 0;
    size_ = 0;
  }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  double latest_time() const { return latest_t_; }
  double window_s() const { return params_.window_s; }

  // Calls out(t, v) for each bucket's min and max, oldest first, in time order.
  template <class Emit>
  void envelope(Emit&& out) const {
    for (std::size_t k = 0; k < size_; ++k) {
      const Bucket& b = ring_[(head_ + k) % ring_.size()];
      if (b.t_min <= b.t_max) {
        out(b.t_min, b.v_min);
        if (b.t_max != b.t_min) out(b.t_max, b.v_max);
      } else {
        out(b.t_max, b.v_max);
        out(b.t_min, b.v_min);
      }
    }
  }

 private:
  Bucket& back() { return ring_[(head_ + size_ - 1) % ring_.size()]; }

  MinMaxRingParams params_;
  double bucket_s_;
  std::vector<Bucket> ring_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
  double latest_t_ = 0.0;
};

}  // namespace stridelab::studio
