#pragma once
// Helpers shared by the storage tests: a scratch directory per test, deterministic synthetic
// sensors, exact comparison of recordings, and the repo's bundled data.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <numbers>
#include <random>
#include <string>

#include "stridelab/core/error.hpp"
#include "stridelab/core/types.hpp"

namespace stridelab::storage::test {

namespace fs = std::filesystem;

inline fs::path source_dir() {
  return fs::path(STRIDELAB_SOURCE_DIR);
}
inline fs::path real_dir() {
  return source_dir() / "recordings" / "real";
}
inline fs::path mobilise_walk() {
  return real_dir() / "mobilise_d_HA001" / "HA_001_Test5_Trial1_imu.csv";
}
inline fs::path mobilise_daily() {
  return real_dir() / "mobilise_d_HA001" / "HA_001_Test11_Trial1_imu.csv";
}
inline fs::path skdh_lumbar() {
  return real_dir() / "skdh_lumbar" / "gait_input2_acc_gyro_128hz.csv";
}

// A fresh directory removed at the end of the test.
class ScratchDir {
 public:
  ScratchDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = info ? std::string(info->test_suite_name()) + "_" + info->name() : "t";
    for (char& c : name)
      if (c == '/') c = '_';
    path_ = fs::temp_directory_path() /
            ("stridelab_storage_" + std::to_string(::getpid()) + "_" + name);
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  fs::path operator/(const std::string& name) const { return path_ / name; }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Gait-like synthetic signals with irrational-looking values (exercise full precision).
inline SensorData make_sensor(const std::string& name, std::size_t n, double rate_hz, bool has_gyr,
                              bool has_mag, unsigned seed = 1) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0.0, 0.05);
  SensorData d;
  d.info.name = name;
  d.info.placement = name == "trunk" ? Placement::kUpperTrunk : Placement::kPelvis;
  d.info.device_model = "test-imu";
  d.info.device_id = "SN-" + std::to_string(seed);
  d.info.firmware = "1.2.3";
  d.info.nominal_rate_hz = rate_hz;
  d.info.acc_range_ms2 = 16 * kGravity;
  d.info.gyr_range_rads = 34.9;
  d.info.has_gyr = has_gyr;
  d.info.has_mag = has_mag;
  for (std::size_t i = 0; i < n; ++i) {
    const double t = 0.25 + static_cast<double>(i) / rate_hz;
    const double w = 2 * std::numbers::pi * 0.9 * t;
    d.time_s.push_back(t);
    d.device_time_s.push_back(1000.0 + t * 1.00002);
    d.acc.emplace_back(1.5 * std::sin(w) + noise(rng), 0.7 * std::cos(2 * w) + noise(rng),
                       kGravity + 2.0 * std::sin(2 * w) + noise(rng));
    if (has_gyr)
      d.gyr.emplace_back(0.3 * std::cos(w) + noise(rng), 0.2 * std::sin(2 * w),
                         0.5 * std::sin(w) + noise(rng));
    if (has_mag) d.mag.emplace_back(20.0 + noise(rng), -5.0 + noise(rng), 40.0 + noise(rng));
  }
  return d;
}

inline Recording make_recording() {
  Recording rec;
  rec.subject_id = "S07";
  rec.notes = "synthetic: two sensors, gaps, µT magnetometer";
  rec.start_time_iso = "2024-03-01T10:15:30.250Z";
  rec.source = "storage test";
  rec.attributes["protocol"] = "6 minute walk";
  rec.attributes["site"] = "lab 2";
  rec.sensors.push_back(make_sensor("pelvis", 5000, 200.0, true, true, 1));
  rec.sensors.push_back(make_sensor("trunk", 1234, 100.0, false, false, 2));
  rec.sensors[0].gaps.push_back({1200, 6.245, 6.26, 2, "sequence"});
  rec.sensors[0].gaps.push_back({3000, 15.245, 16.0, 150, "disconnect"});
  return rec;
}

inline void expect_same_vec3(const std::vector<Vec3>& a, const std::vector<Vec3>& b,
                             const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (std::size_t i = 0; i < a.size(); ++i)
    ASSERT_EQ(a[i], b[i]) << what << " differs at sample " << i;
}

// Bit-exact equality of everything a recording holds (tool_version aside: the writer stamps
// its own).
inline void expect_same_sensor(const SensorData& a, const SensorData& b) {
  EXPECT_EQ(a.info.name, b.info.name);
  EXPECT_EQ(a.info.placement, b.info.placement);
  EXPECT_EQ(a.info.device_model, b.info.device_model);
  EXPECT_EQ(a.info.device_id, b.info.device_id);
  EXPECT_EQ(a.info.firmware, b.info.firmware);
  EXPECT_EQ(a.info.nominal_rate_hz, b.info.nominal_rate_hz);
  EXPECT_EQ(a.info.acc_range_ms2, b.info.acc_range_ms2);
  EXPECT_EQ(a.info.gyr_range_rads, b.info.gyr_range_rads);
  EXPECT_EQ(a.info.has_gyr, b.info.has_gyr);
  EXPECT_EQ(a.info.has_mag, b.info.has_mag);
  EXPECT_EQ(a.time_s, b.time_s);
  EXPECT_EQ(a.device_time_s, b.device_time_s);
  expect_same_vec3(a.acc, b.acc, a.info.name + " acc");
  expect_same_vec3(a.gyr, b.gyr, a.info.name + " gyr");
  expect_same_vec3(a.mag, b.mag, a.info.name + " mag");
  ASSERT_EQ(a.gaps.size(), b.gaps.size());
  for (std::size_t i = 0; i < a.gaps.size(); ++i) {
    EXPECT_EQ(a.gaps[i].index, b.gaps[i].index);
    EXPECT_EQ(a.gaps[i].start_s, b.gaps[i].start_s);
    EXPECT_EQ(a.gaps[i].end_s, b.gaps[i].end_s);
    EXPECT_EQ(a.gaps[i].missing, b.gaps[i].missing);
    EXPECT_EQ(a.gaps[i].cause, b.gaps[i].cause);
  }
}

inline void expect_same_recording(const Recording& a, const Recording& b) {
  EXPECT_EQ(a.subject_id, b.subject_id);
  EXPECT_EQ(a.notes, b.notes);
  EXPECT_EQ(a.start_time_iso, b.start_time_iso);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.attributes, b.attributes);
  ASSERT_EQ(a.sensors.size(), b.sensors.size());
  for (std::size_t k = 0; k < a.sensors.size(); ++k) expect_same_sensor(a.sensors[k], b.sensors[k]);
}

inline void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

inline std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Every part occurs in the message (each missing one is a failure naming it).
inline void expect_has(const std::string& msg, std::initializer_list<const char*> parts) {
  for (const char* p : parts)
    EXPECT_NE(msg.find(p), std::string::npos) << "'" << p << "' not in: " << msg;
}

// Runs `error_producing` and returns the Error message ("" and a test failure if none).
template <typename F>
std::string error_of(F&& error_producing) {
  try {
    error_producing();
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected stridelab::Error";
  return "";
}

}  // namespace stridelab::storage::test
