#include <gtest/gtest.h>

#include "stridelab/core/error.hpp"
#include "stridelab/core/steps.hpp"

namespace stridelab {
namespace {

TEST(StepFlags, JoinAndSplitRoundTrip) {
  const std::uint32_t flags = kFlagTurn | kFlagGap | kFlagLowSideConfidence;
  EXPECT_EQ(flags_to_string(flags), "turn|gap|low_side_confidence");
  EXPECT_EQ(flags_from_string(flags_to_string(flags)), flags);
  EXPECT_EQ(flags_to_string(kFlagNone), "");
  EXPECT_EQ(flags_from_string(""), 0u);
  EXPECT_THROW(flags_from_string("turn|wobble"), Error);
}

TEST(Side, ParsesCommonSpellings) {
  EXPECT_EQ(side_from_string("Left"), Side::kLeft);
  EXPECT_EQ(side_from_string("R"), Side::kRight);
  EXPECT_EQ(side_from_string("?"), Side::kUnknown);
  EXPECT_EQ(to_string(Side::kLeft), "L");
}

TEST(StepColumns, ContractOrder) {
  const std::vector<std::string> contract{"time_s",          "side",
                                          "step_time_s",     "cadence_spm",
                                          "pelvic_drop_deg", "trunk_rotation_deg",
                                          "contact_time_s",  "flags"};
  const auto& cols = step_columns();
  ASSERT_GE(cols.size(), contract.size());
  for (std::size_t i = 0; i < contract.size(); ++i) EXPECT_EQ(cols[i], contract[i]);
}

}  // namespace
}  // namespace stridelab
