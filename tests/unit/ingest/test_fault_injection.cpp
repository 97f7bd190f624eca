#include <gtest/gtest.h>

#include "stridelab/core/error.hpp"
#include "stridelab/ingest/fault_injection.hpp"

namespace stridelab::ingest {
namespace {

std::vector<std::uint8_t> frame(std::size_t n) {
  std::vector<std::uint8_t> f(n, 0x11);
  f.back() = 0x00;
  return f;
}

TEST(FaultInjection, ParsesTheSpec) {
  const FaultParams p =
      parse_faults("drop=0.01,corrupt=0.001,noise=0.002,disconnect=10s,down=250ms", 7);
  EXPECT_DOUBLE_EQ(p.drop, 0.01);
  EXPECT_DOUBLE_EQ(p.corrupt, 0.001);
  EXPECT_DOUBLE_EQ(p.noise, 0.002);
  EXPECT_DOUBLE_EQ(p.disconnect_every_s, 10.0);
  EXPECT_DOUBLE_EQ(p.down_s, 0.25);
  EXPECT_EQ(p.seed, 7u);
  EXPECT_FALSE(parse_faults("").any());
  EXPECT_THROW(parse_faults("drop=1.5"), Error);
  EXPECT_THROW(parse_faults("drop"), Error);
  EXPECT_THROW(parse_faults("lose=0.1"), Error);
  EXPECT_THROW(parse_faults("disconnect=soon"), Error);
  EXPECT_THROW(parse_faults("drop=-0.1"), Error);
}

TEST(FaultInjection, SameSeedSameFaults) {
  FaultParams p = parse_faults("drop=0.05,corrupt=0.002,noise=0.02", 3);
  FaultInjector a(p), b(p);
  for (int i = 0; i < 2000; ++i) {
    auto fa = frame(60), fb = frame(60);
    const auto oa = a.apply(fa), ob = b.apply(fb);
    ASSERT_EQ(fa, fb);
    ASSERT_EQ(oa.dropped, ob.dropped);
    ASSERT_EQ(oa.corrupted, ob.corrupted);
  }
}

TEST(FaultInjection, RatesAreWhatWasAskedFor) {
  FaultInjector inj(parse_faults("drop=0.02,corrupt=0.001,noise=0.01", 9));
  std::size_t dropped = 0, flipped = 0, garbage = 0, bytes = 0, frames = 50000;
  for (std::size_t i = 0; i < frames; ++i) {
    auto f = frame(50);
    const auto original = f;
    const auto o = inj.apply(f);
    dropped += o.dropped;
    garbage += o.garbage_before;
    if (o.dropped) continue;
    bytes += 50;
    flipped += o.corrupted;
    // A flip changes the byte; garbage only goes in front.
    const std::size_t offset = f.size() - original.size();
    std::size_t differing = 0;
    for (std::size_t k = 0; k < original.size(); ++k) differing += f[offset + k] != original[k];
    ASSERT_EQ(differing, o.corrupted);
  }
  EXPECT_NEAR(static_cast<double>(dropped) / frames, 0.02, 0.004);
  EXPECT_NEAR(static_cast<double>(flipped) / bytes, 0.001, 0.0002);
  EXPECT_NEAR(static_cast<double>(garbage) / (frames - dropped), 0.01, 0.003);
}

}  // namespace
}  // namespace stridelab::ingest
