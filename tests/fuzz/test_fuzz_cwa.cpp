// The CWA reader's fuzz invariants in the normal build: valid files decode completely, and
// random, damaged, cut and checksum-repaired damaged files never crash or slip through
// inconsistent.
#include <gtest/gtest.h>

#include <random>

#include "cwa_fuzz_checks.hpp"
#include "storage/foreign_formats.hpp"

namespace stridelab::storage::fuzz {
namespace {

TEST(FuzzCwa, GeneratedFilesDecodeCompletely) {
  for (bool gyro : {false, true}) {
    const std::string file = make_cwa(7, gyro, 3);
    const Recording rec = foreign::parse_cwa(file, "gen.cwa", {});
    ASSERT_EQ(rec.sensors.at(0).size(), gyro ? 280u : 840u);
    EXPECT_TRUE(rec.sensors[0].gaps.empty());
    EXPECT_EQ(rec.sensors[0].info.has_gyr, gyro);
    // Device-local time: a CWA file records no time zone (so no "Z").
    EXPECT_EQ(rec.start_time_iso, "2019-10-29T09:03:06.000");
  }
}

TEST(FuzzCwa, RandomAndDamagedFiles) {
  constexpr int kInputs = 60000;
  std::mt19937 rng(14);
  std::vector<std::uint8_t> input;
  int failures = 0;
  for (int i = 0; i < kInputs && failures < 5; ++i) {
    input.resize(1 + rng() % 600);
    for (auto& b : input) b = static_cast<std::uint8_t>(rng());
    input[0] = static_cast<std::uint8_t>(i % 4 == 0 ? rng() % 64 : 64 + rng() % 192);
    if (input[0] < 64 && input.size() > 4 && i % 8 == 0) {  // raw, but starting like a header
      input[1] = 'M', input[2] = 'D', input[3] = 0xFC, input[4] = 0x03;
    }
    const std::string error = fuzz_cwa_one(input);
    if (!error.empty()) {
      ++failures;
      ADD_FAILURE() << "input " << i << ": " << error;
    }
  }
  std::cout << "cwa: " << kInputs << " random/damaged files checked\n";
}

}  // namespace
}  // namespace stridelab::storage::fuzz
