// The small building blocks of the streaming pipeline against plain reference computations:
// the contiguous sliding window and folded FIR, the frame search, the quaternion shortcuts.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "stridelab/dsp/filters.hpp"
#include "stridelab/dsp/orientation.hpp"
#include "stridelab/dsp/step_metrics.hpp"

using namespace stridelab;
using namespace stridelab::dsp;

TEST(SlidingWindow, HoldsTheLastValuesContiguouslyOldestFirst) {
  SlidingWindow w;
  w.reset(5);
  EXPECT_TRUE(w.empty());
  for (int v = 1; v <= 13; ++v) {
    w.push(v);
    EXPECT_EQ(w.newest(), v);
    EXPECT_EQ(w.full(), v >= 5);
    if (!w.full()) continue;
    for (int j = 0; j < 5; ++j)
      EXPECT_EQ(w.data()[j], v - 4 + j) << "after " << v << ", slot " << j;
  }
  w.clear();
  EXPECT_TRUE(w.empty());
  EXPECT_FALSE(w.full());
}

TEST(SymmetricFir, EqualsTheDirectConvolution) {
  std::mt19937 rng(4);
  std::normal_distribution<double> n01;
  for (int half : {1, 2, 6, 9}) {
    const auto k = gaussian_kernel(half / 3.0, 1.0);  // sigma = half/3 samples -> this half
    ASSERT_EQ(static_cast<int>(k.size()), 2 * half + 1);
    std::vector<double> x(k.size());
    for (double& v : x) v = n01(rng);
    double direct = 0.0;
    for (std::size_t j = 0; j < k.size(); ++j) direct += k[j] * x[j];
    EXPECT_NEAR(symmetric_fir(k.data(), x.data(), half), direct, 1e-14) << "half " << half;
  }
}

TEST(FrameIndexAt, MatchesLowerBoundWithGapsJitterAndWrapAround) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> u01(0.0, 1.0);
  FrameRing ring(300);  // overwritten several times below
  double t = 5.0;
  std::vector<double> held;
  int checked = 0;
  for (int i = 0; i < 2000; ++i) {
    t += 0.02 * (0.9 + 0.2 * u01(rng));        // jitter
    if (u01(rng) < 0.01) t += 3.0 * u01(rng);  // a gap
    ring.push_slot().time_s = t;
    held.push_back(t);
    if (held.size() > ring.capacity()) held.erase(held.begin());
    if (i % 7) continue;
    for (int q = 0; q < 20; ++q) {
      // Queries inside, at, and outside the held span.
      const double lo = held.front() - 0.5, hi = held.back() + 0.5;
      double tq = lo + (hi - lo) * u01(rng);
      if (q == 0) tq = held.front();
      if (q == 1) tq = held.back();
      if (q == 2) tq = held[held.size() / 2];
      const auto expect =
          static_cast<std::uint64_t>(std::lower_bound(held.begin(), held.end(), tq) - held.begin());
      ASSERT_EQ(frame_index_at(ring, tq) - ring.begin(), expect) << "t " << tq;
      ++checked;
    }
  }
  EXPECT_GT(checked, 5000);
  EXPECT_EQ(frame_index_at(FrameRing(4), 1.0), 0u);  // empty ring: end()
}

TEST(QuaternionShortcuts, UpAndHorizontalRotationEqualEigen) {
  std::mt19937 rng(2);
  std::normal_distribution<double> n01;
  for (int i = 0; i < 200; ++i) {
    Eigen::Quaterniond q(n01(rng), n01(rng), n01(rng), n01(rng));
    q.normalize();
    const Vec3 v(n01(rng), n01(rng), n01(rng));
    const Vec3 up = q.conjugate() * Vec3::UnitZ();
    EXPECT_LT((up_in(q) - up).norm(), 1e-12);
    const Vec3 r = q * v;
    const Eigen::Vector2d xy = rotate_xy(q, v);
    EXPECT_NEAR(xy.x(), r.x(), 1e-12);
    EXPECT_NEAR(xy.y(), r.y(), 1e-12);
  }
}
