#include <gtest/gtest.h>

#include "stridelab/core/error.hpp"
#include "stridelab/core/types.hpp"

namespace stridelab {
namespace {

SensorData make_sensor(std::size_t n) {
  SensorData s;
  for (std::size_t i = 0; i < n; ++i) {
    s.time_s.push_back(0.01 * static_cast<double>(i));
    s.acc.push_back(Vec3(0, 0, kGravity));
    s.gyr.push_back(Vec3::Zero());
  }
  return s;
}

TEST(SensorData, ValidAcceptsConsistentArrays) {
  SensorData s = make_sensor(10);
  EXPECT_NO_THROW(s.validate());
  EXPECT_DOUBLE_EQ(s.duration_s(), 0.09);
  EXPECT_EQ(s.sample(3).time_s, 0.03);
}

TEST(SensorData, ValidateNamesLengthMismatch) {
  SensorData s = make_sensor(10);
  s.gyr.pop_back();
  try {
    s.validate();
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("gyr has 9 samples, time has 10"), std::string::npos)
        << e.what();
  }
}

TEST(SensorData, ValidateNamesNonMonotonicSample) {
  SensorData s = make_sensor(10);
  s.time_s[5] = s.time_s[4];
  try {
    s.validate();
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("sample 5"), std::string::npos) << e.what();
  }
}

TEST(Recording, PrimaryPrefersPelvis) {
  Recording r;
  EXPECT_THROW(r.primary(), Error);
  SensorData trunk = make_sensor(2);
  trunk.info.name = "trunk";
  trunk.info.placement = Placement::kUpperTrunk;
  SensorData pelvis = make_sensor(3);
  pelvis.info.name = "pelvis";
  r.sensors = {trunk, pelvis};
  EXPECT_EQ(r.primary().info.name, "pelvis");
}

TEST(Placement, RoundTripsAndRejectsUnknown) {
  for (auto p : {Placement::kPelvis, Placement::kUpperTrunk, Placement::kOther})
    EXPECT_EQ(placement_from_string(to_string(p)), p);
  EXPECT_THROW(placement_from_string("knee"), Error);
}

}  // namespace
}  // namespace stridelab
