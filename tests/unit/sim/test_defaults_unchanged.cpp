// Bit-identity of existing simulations: the gait-variety options (limp, slow walking,
// hesitant starts, pauses, short bouts) default to "off", and with them off every sample and
// every truth value is exactly what the simulator made before they existed. The hashes were
// measured on commit 1b0c501 (before the gait-variety options were added).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "sim_test_util.hpp"

namespace stridelab::sim {
namespace {

// Fixed-seed configurations covering walking, running, noise presets, mountings, turns,
// dropouts, the magnetometer and the fatigue trend.
SimParams config(int which) {
  SimParams p;
  switch (which) {
    case 0:  // every default
      break;
    case 1:
      p.activity = Activity::kRun;
      p.rate_hz = 100.0;
      p.gait_duration_s = 30.0;
      p.seed = 7;
      p.mounting = mounting_preset("random", 7);
      apply_noise_preset(p, "realistic");
      p.turns = {{8.0, 2.0, 180.0}, {20.0, 1.5, -90.0}};
      p.dropout_rate_per_min = 3.0;
      p.magnetometer = true;
      p.first_side = Side::kRight;
      p.drop_trend_deg_per_10min = 2.0;
      break;
    case 2:
      p.rate_hz = 500.0;
      p.gait_duration_s = 20.0;
      p.cadence_spm = 90.0;
      p.cadence_cv = 0.05;
      p.seed = 123456789;
      p.mounting = mounting_preset("tilted");
      apply_noise_preset(p, "high");
      p.drop_left_deg = 7.0;
      p.drop_right_deg = 3.0;
      p.standing_before_s = 0.0;
      break;
  }
  return p;
}

TEST(DefaultsUnchanged, SamplesAndTruthAreBitIdentical) {
  // FNV-1a 64 of every sample, gap and truth value (test::hash_result).
  const std::uint64_t expected[] = {0x136277e797d9cca7ULL, 0xd8def479ce8ac917ULL,
                                    0x56fc33e0213fca1bULL};
  for (int which = 0; which < 3; ++which) {
    const std::uint64_t h = test::hash_result(simulate(config(which)));
    std::printf("[ hash ] config %d: 0x%016llxULL\n", which, static_cast<unsigned long long>(h));
    EXPECT_EQ(h, expected[which]) << "config " << which;
  }
}

}  // namespace
}  // namespace stridelab::sim
