// Physical consistency of the simulated motion: standing reads 1 g, strides average to
// gravity, running has flight phases and walking has none, and the CoM does not drift.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>

#include "sim_test_util.hpp"

namespace stridelab::sim {
namespace {

using test::ideal_params;

TEST(Standing, ReadsOneGAndNoRotation) {
  SimParams p = ideal_params(Activity::kWalk, 10.0);
  p.mounting = mounting_preset("tilted");
  const SimResult r = simulate(p);
  const SensorData& s = r.recording.sensors[0];
  double worst_g = 0.0, worst_w = 0.0;
  for (std::size_t i = 0; s.time_s[i] < p.standing_before_s - 0.5; ++i) {
    worst_g = std::max(worst_g, std::abs(s.acc[i].norm() - kGravity));
    worst_w = std::max(worst_w, s.gyr[i].norm());
  }
  std::cout << "[ standing ] max | |f| - g | = " << worst_g << " m/s2, max |w| = " << worst_w
            << " rad/s\n";
  EXPECT_LT(worst_g, 0.01);
  EXPECT_LT(worst_w, 0.01);  // only the tiny standing sway

  // With white noise only, the mean over the standing period is still 1 g.
  p.acc_noise_ms2 = 0.05;
  p.gyr_noise_rads = 0.005;
  const SimResult noisy = simulate(p);
  const SensorData& n = noisy.recording.sensors[0];
  Vec3 mean_f = Vec3::Zero(), mean_w = Vec3::Zero();
  std::size_t count = 0;
  for (std::size_t i = 0; n.time_s[i] < p.standing_before_s - 0.5; ++i, ++count) {
    mean_f += n.acc[i];
    mean_w += n.gyr[i];
  }
  mean_f /= static_cast<double>(count);
  mean_w /= static_cast<double>(count);
  EXPECT_NEAR(mean_f.norm(), kGravity, 0.01);
  EXPECT_LT(mean_w.norm(), 0.002);
}

class StrideMean : public ::testing::TestWithParam<Activity> {};

TEST_P(StrideMean, SpecificForceOverWholeStridesIsGravity) {
  SimParams p = ideal_params(GetParam(), 60.0);
  p.rate_hz = 1000.0;  // fine grid: the stride ends fall within 1 ms of a sample
  p.mounting = mounting_preset("random", 3);
  const SimResult r = simulate(p);
  const Vec3 g(0.0, 0.0, kGravity);
  double worst = 0.0;
  Vec3 all = Vec3::Zero();
  std::size_t all_n = 0;
  const auto& strides = r.truth.strides;
  // Steady strides only: the first and last two steps ramp the gait up and down.
  for (std::size_t k = 2; k + 4 < strides.size(); ++k) {
    const std::size_t a = test::index_at(r, strides[k].start_s);
    const std::size_t b = test::index_at(r, strides[k].end_s);
    Vec3 sum = Vec3::Zero();
    for (std::size_t i = a; i < b; ++i) sum += test::world_specific_force(r, i);
    worst = std::max(worst, (sum / static_cast<double>(b - a) - g).norm());
    if (k % 2 == 0) {  // non-overlapping strides for the overall mean
      all += sum;
      all_n += b - a;
    }
  }
  const double overall = (all / static_cast<double>(all_n) - g).norm();
  std::cout << "[ stride mean ] " << to_string(p.activity)
            << " worst stride |mean f_world - g| = " << worst
            << " m/s2, over all steady strides = " << overall << " m/s2\n";
  EXPECT_LT(worst, 0.05);
  EXPECT_LT(overall, 0.01);
}

INSTANTIATE_TEST_SUITE_P(Activities, StrideMean, ::testing::Values(Activity::kWalk, Activity::kRun),
                         [](const auto& param_info) { return to_string(param_info.param); });

// Longest stretch (s) inside [a, b) where the world-vertical specific force is below limit.
double longest_below(const SimResult& r, double a, double b, double limit) {
  double longest = 0.0, start = -1.0;
  const auto& t = r.recording.sensors[0].time_s;
  for (std::size_t i = test::index_at(r, a); i < t.size() && t[i] < b; ++i) {
    const bool low = std::abs(test::world_specific_force(r, i).z()) < limit;
    if (low && start < 0.0) start = t[i];
    if (!low) start = -1.0;
    if (start >= 0.0) longest = std::max(longest, t[i] - start);
  }
  return longest;
}

TEST(Flight, RunningHasFlightEveryStepWalkingNone) {
  const SimResult run = simulate(ideal_params(Activity::kRun, 30.0));
  const auto& steps = run.truth.steps;
  double shortest = 1e9;
  for (std::size_t k = 2; k + 2 < steps.size(); ++k) {
    const double flight =
        longest_below(run, steps[k].time_s, steps[k].time_s + steps[k].step_time_s, 0.1 * kGravity);
    shortest = std::min(shortest, flight);
    // Free fall between final contact and the next initial contact.
    const double expected = steps[k].step_time_s - steps[k].contact_time_s;
    EXPECT_GT(flight, 0.6 * expected) << "step " << k;
  }
  std::cout << "[ flight ] running: shortest stretch below 0.1 g per step = " << shortest << " s\n";

  const SimResult walk = simulate(ideal_params(Activity::kWalk, 30.0));
  double lowest = 1e9;
  for (std::size_t i = 0; i < walk.recording.sensors[0].size(); ++i)
    lowest = std::min(lowest, test::world_specific_force(walk, i).z());
  std::cout << "[ flight ] walking: lowest vertical specific force = " << lowest / kGravity
            << " g\n";
  EXPECT_GT(lowest, 0.4 * kGravity);
}

TEST(Running, ActivePeakIsTwoToThreeG) {
  const SimResult run = simulate(ideal_params(Activity::kRun, 30.0));
  double peak = 0.0;
  for (std::size_t i = 0; i < run.recording.sensors[0].size(); ++i)
    peak = std::max(peak, test::world_specific_force(run, i).z());
  std::cout << "[ running ] peak vertical specific force = " << peak / kGravity << " g\n";
  EXPECT_GT(peak, 1.8 * kGravity);
  EXPECT_LT(peak, 3.5 * kGravity);
}

class Drift : public ::testing::TestWithParam<Activity> {};

TEST_P(Drift, CentreOfMassReturnsToRestWithoutVerticalDrift) {
  SimParams p = ideal_params(GetParam(), 60.0);
  p.rate_hz = 2000.0;  // the trapezoid rule's error at the stance kinks stays well below 1 cm
  p.lever_arm_m = Vec3::Zero();  // the sensor at the centre of mass
  p.turns = {{25.0, 3.0, 120.0}};
  const SimResult r = simulate(p);
  const SensorData& s = r.recording.sensors[0];
  const Vec3 g(0.0, 0.0, kGravity);
  Vec3 v = Vec3::Zero(), x = Vec3::Zero(), a_prev = test::world_specific_force(r, 0) - g;
  double max_z = 0.0, gait_distance = 0.0;
  for (std::size_t i = 1; i < s.size(); ++i) {
    const double dt = s.time_s[i] - s.time_s[i - 1];
    const Vec3 a = test::world_specific_force(r, i) - g;
    const Vec3 v_new = v + 0.5 * (a + a_prev) * dt;
    x += 0.5 * (v + v_new) * dt;
    v = v_new;
    a_prev = a;
    max_z = std::max(max_z, std::abs(x.z()));
    if (s.time_s[i] > r.truth.gait_start_s && s.time_s[i] <= r.truth.gait_end_s)
      gait_distance += v.head<2>().norm() * dt;
  }
  const double mean_speed = gait_distance / (r.truth.gait_end_s - r.truth.gait_start_s);
  std::cout << "[ drift ] " << to_string(p.activity) << " final velocity = " << v.transpose()
            << " m/s, final height = " << x.z() << " m, max |height| = " << max_z
            << " m, mean speed = " << mean_speed << " m/s\n";
  EXPECT_LT(v.norm(), 0.01);  // standing again at the end, turn included
  EXPECT_LT(std::abs(x.z()), 0.01);
  EXPECT_LT(max_z, 0.1);  // a few centimetres of vertical excursion
  const double nominal = p.activity == Activity::kRun ? 3.3 : 1.3;
  EXPECT_NEAR(mean_speed, nominal, 0.1 * nominal);
}

INSTANTIATE_TEST_SUITE_P(Activities, Drift, ::testing::Values(Activity::kWalk, Activity::kRun),
                         [](const auto& param_info) { return to_string(param_info.param); });

}  // namespace
}  // namespace stridelab::sim
