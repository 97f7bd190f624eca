// 9-axis heading: with a magnetometer the orientation filter's earth frame points at magnetic
// north and does not drift; disturbances of the field are rejected; the analysis uses it
// when the recording has one. Ground truth: the simulator's sensor orientation.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "stridelab/dsp/analyzer.hpp"
#include "stridelab/dsp/orientation.hpp"
#include "stridelab/pipeline/analyze_recording.hpp"
#include "stridelab/sim/simulator.hpp"

using namespace stridelab;

namespace {

constexpr double kDeg = 180.0 / M_PI;

// 6 minutes of walking with turns, a random mounting, realistic noise and a gyro bias the
// filter cannot learn (standing too short for rest detection), so 6-axis heading drifts.
sim::SimParams drifting_walk() {
  sim::SimParams p;
  p.rate_hz = 100.0;
  p.gait_duration_s = 360.0;
  p.standing_before_s = 1.0;
  p.mounting = sim::mounting_preset("random", 17);
  p.turns = {{60.0, 2.0, 180.0}, {200.0, 3.0, -90.0}};
  sim::apply_noise_preset(p, "realistic");
  p.gyr_bias_rads = Vec3(0.006, -0.008, 0.007);
  p.magnetometer = true;
  p.seed = 23;
  return p;
}

struct HeadingError {
  double max_abs_deg = 0.0;        // largest |heading error| after settle_s
  double max_settling_deg = 0.0;   // largest |heading error| from 10 s to settle_s
  double drift_deg = 0.0;          // error at the end minus error at settle_s
  double max_inclination_deg = 0;  // largest tilt error (checks the truth reconstruction)
  double max_in_window_deg = 0.0;  // largest |heading error| inside [w0, w1]
};

// Runs the filter over a simulated recording (with or without the magnetometer) and compares
// its sensor->earth orientation with the simulator's sensor->world orientation.
HeadingError heading_error(const sim::SimResult& r, bool use_mag, dsp::OrientationParams op,
                           double w0 = 0.0, double w1 = 0.0, dsp::MagStats* stats = nullptr,
                           double settle_s = 10.0) {
  const SensorData& s = r.recording.primary();
  const double dt = 1.0 / r.truth.rate_hz;
  dsp::OrientationFilter f(op, dt);
  HeadingError e;
  double first = NAN, last = 0.0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    f.update(s.acc[i], s.gyr[i]);
    if (use_mag) f.correct_heading(s.mag[i]);
    const Eigen::Matrix3d err = f.orientation().toRotationMatrix() *
                                sim::sensor_orientation(r.truth, i).toRotationMatrix().transpose();
    const double heading = std::atan2(err(1, 0), err(0, 0)) * kDeg;
    const double incl = std::acos(std::clamp(err(2, 2), -1.0, 1.0)) * kDeg;
    if (s.time_s[i] < 10.0) continue;
    if (s.time_s[i] < settle_s) {
      e.max_settling_deg = std::max(e.max_settling_deg, std::abs(heading));
      continue;
    }
    if (std::isnan(first)) first = heading;
    last = heading;
    e.max_abs_deg = std::max(e.max_abs_deg, std::abs(heading));
    e.max_inclination_deg = std::max(e.max_inclination_deg, incl);
    if (s.time_s[i] >= w0 && s.time_s[i] < w1)
      e.max_in_window_deg = std::max(e.max_in_window_deg, std::abs(heading));
  }
  e.drift_deg = last - first;
  if (stats) *stats = f.mag_stats();
  return e;
}

}  // namespace

TEST(Magnetometer, HeadingPointsNorthAndDoesNotDrift) {
  const sim::SimResult r = sim::simulate(drifting_walk());
  ASSERT_TRUE(r.recording.primary().info.has_mag);
  // The first minute or so the vertical gyro bias is still being learned from the heading
  // corrections (until then the error is about bias × tau_mag_s, 5° here).
  const double settle_s = 90.0;
  const HeadingError six = heading_error(r, false, {}, 0, 0, nullptr, settle_s);
  const HeadingError nine = heading_error(r, true, {}, 0, 0, nullptr, settle_s);
  std::printf(
      "6-axis: heading drift %.1f deg over 4.5 min; 9-axis: max |heading error| %.2f deg "
      "(%.2f deg while the bias is learned), drift %.2f deg, max inclination error "
      "%.2f deg\n",
      six.drift_deg, nine.max_abs_deg, nine.max_settling_deg, nine.drift_deg,
      nine.max_inclination_deg);
  EXPECT_GT(std::abs(six.drift_deg), 30.0);  // the scenario really drifts without it
  EXPECT_LT(nine.max_settling_deg, 8.0);
  EXPECT_LT(nine.max_abs_deg, 2.0);
  EXPECT_LT(std::abs(nine.drift_deg), 1.5);
  EXPECT_LT(nine.max_inclination_deg, 3.0);
}

TEST(Magnetometer, DisturbanceIsRejectedAndALongOneBecomesTheReference) {
  sim::SimParams p = drifting_walk();
  p.gait_duration_s = 200.0;
  p.gyr_bias_rads = Vec3::Zero();
  p.mag_disturbances = {{100.0, 20.0, Vec3(30.0, 0.0, 0.0)}};  // 30 µT east for 20 s
  const sim::SimResult r = sim::simulate(p);
  dsp::MagStats stats;
  const HeadingError kept = heading_error(r, true, {}, 100.0, 125.0, &stats);
  dsp::OrientationParams trusting;  // no rejection at all
  trusting.mag_norm_tolerance = 1e9;
  trusting.mag_dip_tolerance_deg = 1e9;
  const HeadingError pulled = heading_error(r, true, trusting, 100.0, 125.0);
  std::printf(
      "20 s disturbance: max heading error %.2f deg with rejection (rejected %.1f s), "
      "%.1f deg without\n",
      kept.max_in_window_deg, stats.rejected_s, pulled.max_in_window_deg);
  EXPECT_LT(kept.max_in_window_deg, 3.0);
  EXPECT_GT(pulled.max_in_window_deg, 15.0);
  EXPECT_NEAR(stats.rejected_s, 20.0, 1.0);
  EXPECT_EQ(stats.reference_resets, 0);

  // A lasting change (a new place): after mag_max_rejection_s it is the reference.
  p.mag_disturbances = {{100.0, 1e3, Vec3(0.0, 0.0, -15.0)}};  // to the end; norm and dip
  const sim::SimResult moved = sim::simulate(p);
  heading_error(moved, true, {}, 0, 0, &stats);
  EXPECT_EQ(stats.reference_resets, 1);
  EXPECT_NEAR(stats.rejected_s, 60.0, 1.0);
}

TEST(Magnetometer, AnalysisUsesItWhenTheRecordingHasOne) {
  sim::SimParams p = drifting_walk();
  p.gait_duration_s = 60.0;
  p.standing_before_s = 4.0;
  const sim::SimResult r = sim::simulate(p);
  pipeline::AnalysisRequest with, without;
  without.use_magnetometer = false;
  const auto a = pipeline::analyze_recording(r.recording, with);
  const auto b = pipeline::analyze_recording(r.recording, without);
  EXPECT_TRUE(a.params.use_magnetometer);
  EXPECT_TRUE(a.summary.quality.magnetometer);
  EXPECT_EQ(a.summary_json["quality"]["heading"], "magnetometer (9-axis)");
  EXPECT_FALSE(b.summary.quality.magnetometer);
  EXPECT_EQ(b.summary_json["quality"]["heading"], "gyroscope (6-axis)");
  EXPECT_GT(a.summary.quality.mag_accepted_s, 50.0);
  // Heading does not enter drop, cadence or the detrended rotation: same steps either way.
  ASSERT_EQ(a.steps.size(), b.steps.size());
  ASSERT_GT(a.steps.size(), 90u);
  for (std::size_t i = 0; i < a.steps.size(); ++i) {
    EXPECT_NEAR(a.steps[i].time_s, b.steps[i].time_s, 1e-3);  // the bias estimate differs
    EXPECT_EQ(a.steps[i].side, b.steps[i].side);
    if (std::isfinite(a.steps[i].pelvic_drop_deg)) {
      EXPECT_NEAR(a.steps[i].pelvic_drop_deg, b.steps[i].pelvic_drop_deg, 0.3) << i;
    }
    if (std::isfinite(a.steps[i].trunk_rotation_deg)) {
      EXPECT_NEAR(a.steps[i].trunk_rotation_deg, b.steps[i].trunk_rotation_deg, 0.3) << i;
    }
  }
}

TEST(Magnetometer, NonFiniteFieldIsARejectedSampleNotACrash) {
  sim::SimParams p = drifting_walk();
  p.gait_duration_s = 20.0;
  sim::SimResult r = sim::simulate(p);
  SensorData& s = r.recording.sensors[0];
  s.mag[500] = Vec3(NAN, 1.0, 2.0);
  s.mag[900] = Vec3(1.0, INFINITY, 2.0);
  dsp::AnalyzerParams ap;
  ap.rate_hz = p.rate_hz;
  ap.use_magnetometer = true;
  dsp::Analyzer a(ap);
  for (std::size_t i = 0; i < s.size(); ++i) a.update(s.sample(i));
  a.finish();
  EXPECT_EQ(a.quality().rejected_samples, 2u);
  EXPECT_TRUE(a.quality().magnetometer);
}
