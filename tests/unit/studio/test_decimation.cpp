// Min/max decimation: bounded output, no lost peaks, bounded live buffers.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "studio/decimation.hpp"

namespace stridelab::studio {
namespace {

TEST(MinMaxDecimate, KeepsEveryPeakWithAtMostTwoPointsPerColumn) {
  // 1 kHz for 60 s: a slow sine plus one narrow spike per second (1 sample wide).
  const std::size_t n = 60000;
  std::vector<double> t(n), v(n);
  for (std::size_t i = 0; i < n; ++i) {
    t[i] = i * 1e-3;
    v[i] = std::sin(t[i]) + (i % 1000 == 500 ? 10.0 : 0.0);
  }
  std::vector<std::pair<double, double>> out;
  min_max_decimate(t.data(), v.data(), n, 0.0, 60.0, 400,
                   [&](double x, double y) { out.emplace_back(x, y); });
  EXPECT_LE(out.size(), 800u);
  EXPECT_GT(out.size(), 400u);
  int spikes = 0;
  for (std::size_t i = 1; i < out.size(); ++i) {
    EXPECT_GE(out[i].first, out[i - 1].first);  // time order kept
    if (out[i].second > 5.0) ++spikes;
  }
  EXPECT_EQ(spikes, 60);  // picking every n-th sample would miss nearly all of them
}

TEST(MinMaxDecimate, ShortRangesPassThroughAndNaNIsSkipped) {
  std::vector<double> t{0, 1, 2, 3, 4}, v{1, NAN, 3, 4, 5};
  std::vector<double> ys;
  min_max_decimate(t.data(), v.data(), t.size(), 0.5, 3.5, 100,
                   [&](double, double y) { ys.push_back(y); });
  EXPECT_EQ(ys, (std::vector<double>{3, 4}));
}

TEST(MinMaxRing, MemoryIsBoundedWhateverTheRate) {
  MinMaxRing ring({10.0, 500});
  // 8 kHz for 100 s: 800 000 samples into 500 buckets of 20 ms.
  for (int i = 0; i < 800000; ++i) ring.push(i / 8000.0, std::sin(i * 0.01));
  EXPECT_LE(ring.size(), 501u);
  double first = 1e9, last = -1e9, lo = 1e9, hi = -1e9;
  int points = 0;
  ring.envelope([&](double t, double v) {
    first = std::min(first, t);
    last = std::max(last, t);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    ++points;
  });
  EXPECT_LE(points, 1002);
  EXPECT_GT(first, 100.0 - 10.0 - 0.05);  // only the last window is kept
  EXPECT_NEAR(last, 100.0, 0.001);
  EXPECT_NEAR(lo, -1.0, 1e-3);  // extremes survive decimation
  EXPECT_NEAR(hi, 1.0, 1e-3);
}

TEST(MinMaxRing, ClearAndTimeGoingBackStartOver) {
  MinMaxRing ring({5.0, 100});
  for (int i = 0; i < 1000; ++i) ring.push(i * 0.01, 1.0);
  EXPECT_GT(ring.size(), 0u);
  ring.clear();
  EXPECT_TRUE(ring.empty());
  for (int i = 0; i < 100; ++i) ring.push(100 + i * 0.01, 2.0);
  ring.push(1.0, 3.0);  // a new session restarts its clock
  EXPECT_EQ(ring.size(), 1u);
}

}  // namespace
}  // namespace stridelab::studio
