#pragma once
// Small building blocks for the streaming pipeline: a fixed-capacity ring indexed by a global
// sequence number, a second-order low-pass (Butterworth) for vectors, and a symmetric Gaussian
// FIR. Memory is allocated once at construction; nothing allocates per sample.
#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

namespace stridelab::dsp {

// Ring buffer addressed by an ever-growing index: push() appends index end(), the oldest
// entries are overwritten once the capacity is reached. contains(i) says whether i is held.
template <class T>
class Ring {
 public:
  explicit Ring(std::size_t capacity = 1) { reset(capacity); }
  // Holds the last `capacity` entries; storage is rounded up to a power of two so that
  // indexing is a mask, not a division.
  void reset(std::size_t capacity) {
    capacity_ = capacity == 0 ? 1 : capacity;
    std::size_t size = 1;
    while (size < capacity_) size <<= 1;
    buf_.assign(size, T{});
    mask_ = size - 1;
    begin_ = end_ = 0;
  }
  void clear() { begin_ = end_; }
  std::size_t capacity() const { return capacity_; }
  std::uint64_t begin() const { return begin_; }
  std::uint64_t end() const { return end_; }
  std::size_t size() const { return static_cast<std::size_t>(end_ - begin_); }
  bool empty() const { return begin_ == end_; }
  bool full() const { return size() == capacity_; }
  bool contains(std::uint64_t i) const { return i >= begin_ && i < end_; }
  T& operator[](std::uint64_t i) { return buf_[i & mask_]; }
  const T& operator[](std::uint64_t i) const { return buf_[i & mask_]; }
  T& back() { return (*this)[end_ - 1]; }
  const T& back() const { return (*this)[end_ - 1]; }
  T& push(const T& v) {
    T& slot = buf_[end_ & mask_];
    slot = v;
    ++end_;
    if (end_ - begin_ > capacity_) ++begin_;
    return slot;
  }
  // Appends an entry and returns it without assigning it: the caller overwrites every field
  // (saves the copy of a large T).
  T& push_slot() {
    T& slot = buf_[end_ & mask_];
    ++end_;
    if (end_ - begin_ > capacity_) ++begin_;
    return slot;
  }
  void drop_before(std::uint64_t i) {
    if (i > begin_) begin_ = i < end_ ? i : end_;
  }

 private:
  std::vector<T> buf_;
  std::size_t capacity_ = 1;
  std::uint64_t mask_ = 0;
  std::uint64_t begin_ = 0, end_ = 0;
};

// The last n values of a stream as ONE contiguous array, oldest first: every value is stored
// twice (at i and i + n), so a convolution over the window runs on plain memory.
class SlidingWindow {
 public:
  void reset(int n) {
    n_ = n < 1 ? 1 : n;
    buf_.assign(2 * static_cast<std::size_t>(n_), 0.0);
    clear();
  }
  void clear() { pos_ = count_ = 0; }
  void push(double v) {
    buf_[pos_] = buf_[pos_ + n_] = v;
    if (++pos_ == n_) pos_ = 0;
    if (count_ < n_) ++count_;
  }
  bool full() const { return count_ == n_; }
  bool empty() const { return count_ == 0; }
  int size() const { return n_; }
  const double* data() const { return buf_.data() + pos_; }  // valid when full()
  double newest() const { return buf_[pos_ + n_ - 1]; }

 private:
  std::vector<double> buf_;
  int n_ = 1, pos_ = 0, count_ = 0;
};

// Symmetric FIR over a window of 2·half + 1 values centred on x[half], folded so that each
// coefficient multiplies once: k[half]·x[half] + Σ_{j<half} k[j]·(x[j] + x[2·half − j]).
inline double symmetric_fir(const double* k, const double* x, int half) {
  double acc = k[half] * x[half];
  for (int j = 0; j < half; ++j) acc += k[j] * (x[j] + x[2 * half - j]);
  return acc;
}

// Second-order Butterworth low-pass on a vector signal (direct form II transposed).
// Cut-off from a time constant as in VQF: fc = sqrt(2) / (2 pi tau).
template <int N>
class LowPass2 {
 public:
  using Vec = Eigen::Matrix<double, N, 1>;
  LowPass2() = default;
  LowPass2(double tau_s, double sample_period_s) { design(tau_s, sample_period_s); }
  void design(double tau_s, double sample_period_s) {
    const double fc = std::sqrt(2.0) / (2.0 * M_PI * tau_s);
    const double c = std::tan(M_PI * fc * sample_period_s);
    const double d = c * c + std::sqrt(2.0) * c + 1.0;
    b0_ = c * c / d;
    b1_ = 2.0 * b0_;
    b2_ = b0_;
    a1_ = 2.0 * (c * c - 1.0) / d;
    a2_ = (1.0 - std::sqrt(2.0) * c + c * c) / d;
    initialised_ = false;
  }
  // Starts in steady state at x (no transient from zero).
  void reset(const Vec& x) {
    s1_ = x * (1.0 - b0_);
    s2_ = x * (b2_ - a2_);
    initialised_ = true;
  }
  const Vec& update(const Vec& x) {
    if (!initialised_) reset(x);
    y_ = b0_ * x + s1_;
    s1_ = b1_ * x - a1_ * y_ + s2_;
    s2_ = b2_ * x - a2_ * y_;
    return y_;
  }
  const Vec& value() const { return y_; }

 private:
  double b0_ = 1, b1_ = 0, b2_ = 0, a1_ = 0, a2_ = 0;
  Vec s1_ = Vec::Zero(), s2_ = Vec::Zero(), y_ = Vec::Zero();
  bool initialised_ = false;
};

// atan2 with |error| <= 2e-8 rad (Abramowitz & Stegun 4.4.49 polynomial for atan on [0, 1]),
// several times cheaper than std::atan2; used for the per-frame pelvis angles.
inline double fast_atan2(double y, double x) {
  const double ax = std::abs(x), ay = std::abs(y);
  const double mx = ax > ay ? ax : ay, mn = ax > ay ? ay : ax;
  if (mx == 0.0) return 0.0;
  const double t = mn / mx, t2 = t * t;
  double a = -0.0040540580;
  a = a * t2 + 0.0218612288;
  a = a * t2 - 0.0559098861;
  a = a * t2 + 0.0964200441;
  a = a * t2 - 0.1390853351;
  a = a * t2 + 0.1994653599;
  a = a * t2 - 0.3332985605;
  a = a * t2 + 0.9999993329;
  double r = a * t;
  if (ay > ax) r = 0.5 * M_PI - r;
  if (x < 0.0) r = M_PI - r;
  return y < 0.0 ? -r : r;
}

// Vertex of the parabola through three equally spaced samples around a local maximum (y0 the
// largest), in samples from the middle one, within ±0.5; 0 when they are not concave.
inline double parabola_peak_offset(double ym, double y0, double yp) {
  const double den = ym - 2.0 * y0 + yp;
  if (!(den < 0.0)) return 0.0;
  const double u = 0.5 * (ym - yp) / den;
  return u < -0.5 ? -0.5 : u > 0.5 ? 0.5 : u;
}

// Median of the first min(n, 4) values of a ring of 4 (recent step times, peak prominences);
// NaN when n == 0. No allocation: an insertion sort of at most 4 values.
inline double median_of_last4(const double (&ring)[4], int n) {
  n = n < 4 ? n : 4;
  if (n <= 0) return std::nan("");
  double v[4] = {ring[0], ring[1], ring[2], ring[3]};
  for (int i = 1; i < n; ++i)
    for (int j = i; j > 0 && v[j - 1] > v[j]; --j) std::swap(v[j - 1], v[j]);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// The prominence a step's loading peak needs (ContactDetector, EarlyContactDetector):
// relative × the median of the last (up to 4) accepted prominences, clamped to
// [floor, ceiling]; the ceiling until two are in. m/s².
inline double required_peak_prominence(const double (&recent)[4], int n, double relative,
                                       double floor, double ceiling) {
  if (n < 2) return ceiling;
  return std::clamp(relative * median_of_last4(recent, n), floor, ceiling);
}

// A contact's force as a half sine cut by a threshold `level` (peak `peak`, same units): the
// fraction of the contact time the threshold misses at each end.
inline double half_sine_cut_fraction(double level, double peak) {
  return std::asin(std::min(level / peak, 0.99)) / M_PI;
}

// Normalised Gaussian kernel with standard deviation sigma_s at rate_hz, half-width 3 sigma.
std::vector<double> gaussian_kernel(double sigma_s, double rate_hz);

}  // namespace stridelab::dsp
