// The history's statistics on sessions built by hand, so every expected value follows from the
// construction: the trend line, the MDC from the standard errors, the calendar weeks and their
// changes, the subject rule, ISO times and the sessions table read back; and the simulator's
// per-session drop offset that the series tests rely on.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "stridelab/core/error.hpp"
#include "stridelab/history/history.hpp"
#include "stridelab/sim/simulator.hpp"

namespace stridelab::history {
namespace {

constexpr double kMonday = 1772409600.0;  // 2026-03-02T00:00:00Z, a Monday
constexpr double kDay = 86400.0;

Session session(double day, double drop_left, double drop_right, double minutes, int steps) {
  Session s;
  s.id = "s" + std::to_string(static_cast<int>(day));
  s.file = s.id + ".h5";
  s.subject = "P1";
  s.start_unix_s = kMonday + day * kDay + 8 * 3600;
  s.gait_minutes = minutes;
  s.steps = steps;
  s.figures[static_cast<int>(Metric::kDropLeft)] = {drop_left, 1.0, 100, 0.1};
  s.figures[static_cast<int>(Metric::kDropRight)] = {drop_right, 2.0, 100, 0.2};
  // Rotation: steady steps (se 0.01) but session means 0.4 apart from one session to the next.
  const double rotation = static_cast<int>(day / 7) % 2 ? 7.8 : 8.2;
  s.figures[static_cast<int>(Metric::kRotation)] = {rotation, 0.1, 100, 0.01};
  return s;
}

std::vector<Session> four_sessions() {
  // Left drop falls exactly 0.25 deg a week; right drop wobbles ±0.05 about 5 deg.
  std::vector<Session> v;
  const double days[] = {0, 7, 14, 28}, minutes[] = {10, 12, 15, 9};
  const int steps[] = {1000, 1100, 1400, 800};
  for (int i = 0; i < 4; ++i)
    v.push_back(session(days[i], 6.0 - 0.25 * days[i] / 7, 5.0 + (i % 2 ? -0.05 : 0.05), minutes[i],
                        steps[i]));
  std::swap(v[0], v[2]);  // order must not matter
  return v;
}

TEST(HistoryStats, TrendLineAndMinimalDetectableChange) {
  const History h = make_history(four_sessions());
  ASSERT_EQ(h.sessions.size(), 4u);
  EXPECT_EQ(h.subject, "P1");
  EXPECT_LT(h.sessions[0].start_unix_s, h.sessions[1].start_unix_s);  // sorted by date

  const Trend& left = h.trend(Metric::kDropLeft);
  EXPECT_EQ(left.sessions, 4);
  EXPECT_NEAR(left.per_week, -0.25, 1e-12);
  EXPECT_NEAR(left.intercept, 6.0, 1e-12);
  EXPECT_NEAR(left.total_change, -1.0, 1e-12);  // 28 days
  EXPECT_NEAR(left.residual_sd, 0.0, 1e-12);
  EXPECT_NEAR(left.sem, 0.1, 1e-12);
  EXPECT_NEAR(left.mdc95, 1.96 * std::sqrt(2.0) * 0.1, 1e-12);
  EXPECT_TRUE(left.exceeds_mdc);

  const Trend& right = h.trend(Metric::kDropRight);
  EXPECT_NEAR(right.sem, 0.2, 1e-12);
  EXPECT_LT(std::abs(right.total_change), 0.1);
  EXPECT_GT(right.residual_sd, 0.04);
  EXPECT_FALSE(right.exceeds_mdc);  // 0.55 deg MDC

  // The steps alone would call the rotation's zig-zag a change (0.27 > 0.028); its session
  // means scatter more than their steps say, and that scatter is the noise used.
  const Trend& rotation = h.trend(Metric::kRotation);
  EXPECT_NEAR(rotation.sem_steps, 0.01, 1e-12);
  EXPECT_GT(std::abs(rotation.total_change), 1.96 * std::sqrt(2.0) * rotation.sem_steps);
  EXPECT_GT(rotation.residual_sd, 0.2);
  EXPECT_DOUBLE_EQ(rotation.sem, rotation.residual_sd);
  EXPECT_NEAR(rotation.mdc95, 1.96 * std::sqrt(2.0) * rotation.residual_sd, 1e-12);
  EXPECT_FALSE(rotation.exceeds_mdc);
  EXPECT_DOUBLE_EQ(left.sem, left.sem_steps);  // a perfect line: the steps' SEM stands

  // No values: no trend, no verdict.
  const Trend& cadence = h.trend(Metric::kCadence);
  EXPECT_EQ(cadence.sessions, 0);
  EXPECT_TRUE(std::isnan(cadence.per_week));
  EXPECT_FALSE(cadence.exceeds_mdc);
}

TEST(HistoryStats, CalendarWeeksWithChanges) {
  const History h = make_history(four_sessions());
  ASSERT_EQ(h.weeks.size(), 5u);  // 2, 9, 16, 23 (no session), 30 March
  const char* starts[] = {"2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30"};
  const double minutes[] = {10, 12, 15, 0, 9};
  const int steps[] = {1000, 1100, 1400, 0, 800};
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(h.weeks[i].start_date, starts[i]);
    EXPECT_DOUBLE_EQ(h.weeks[i].gait_minutes, minutes[i]);
    EXPECT_EQ(h.weeks[i].steps, steps[i]);
    EXPECT_EQ(h.weeks[i].sessions, i == 3 ? 0 : 1);
  }
  EXPECT_TRUE(std::isnan(h.weeks[0].minutes_change));
  EXPECT_DOUBLE_EQ(h.weeks[1].minutes_change, 2.0);
  EXPECT_DOUBLE_EQ(h.weeks[1].minutes_change_pct, 20.0);
  EXPECT_DOUBLE_EQ(h.weeks[2].steps_change_pct, 100.0 * 300 / 1100);
  EXPECT_DOUBLE_EQ(h.weeks[3].minutes_change_pct, -100.0);
  EXPECT_DOUBLE_EQ(h.weeks[4].minutes_change, 9.0);
  EXPECT_TRUE(std::isnan(h.weeks[4].minutes_change_pct));  // from an empty week
}

TEST(HistoryStats, SeveralSubjectsNeedAChoice) {
  auto sessions = four_sessions();
  sessions[1].subject = "P2";
  try {
    make_history(sessions);
    FAIL() << "two subjects were mixed";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("P1, P2"), std::string::npos) << e.what();
  }
  const History h = make_history(sessions, "P1");
  EXPECT_EQ(h.sessions.size(), 3u);
  EXPECT_EQ(make_history(sessions, "P2").sessions.size(), 1u);
}

TEST(HistoryStats, IsoTimesAndSubjectNames) {
  EXPECT_DOUBLE_EQ(parse_iso_time("1970-01-02T00:00:00Z"), kDay);
  EXPECT_DOUBLE_EQ(parse_iso_time("2026-03-02T00:00:00Z"), kMonday);
  EXPECT_DOUBLE_EQ(parse_iso_time("2026-03-02T09:30:00.5+01:00"), kMonday + 8.5 * 3600 + 0.5);
  EXPECT_DOUBLE_EQ(parse_iso_time("2026-03-02 08:30:00"), kMonday + 8.5 * 3600);
  EXPECT_DOUBLE_EQ(parse_iso_time("2026-03-02"), kMonday);
  EXPECT_TRUE(std::isnan(parse_iso_time("")));
  EXPECT_TRUE(std::isnan(parse_iso_time("yesterday")));
  EXPECT_TRUE(std::isnan(parse_iso_time("2026-13-02T00:00:00Z")));
  EXPECT_EQ(format_date(kMonday + 86399), "2026-03-02");
  EXPECT_EQ(format_date_time(kMonday + 3661), "2026-03-02T01:01:01Z");

  EXPECT_EQ(subject_from_name("/data/runs/P017_2026-03-01.h5"), "P017");
  EXPECT_EQ(subject_from_name("/data/runner_a/monday.h5"), "runner_a");
  EXPECT_EQ(subject_from_name("/data/S01/_x.h5"), "S01");  // nothing before '_'
}

TEST(HistoryStats, SessionsTableReadsBack) {
  History h = make_history(four_sessions());
  h.sessions[2].figures[static_cast<int>(Metric::kAsymmetry)] = {3.25, kNaN, 200, 0.75};
  const auto path = std::filesystem::temp_directory_path() / "stridelab_history_sessions.csv";
  std::ofstream(path) << sessions_csv(h);
  const auto back = read_sessions_csv(path);
  ASSERT_EQ(back.size(), h.sessions.size());
  for (std::size_t i = 0; i < back.size(); ++i) {
    EXPECT_EQ(back[i].id, h.sessions[i].id);
    EXPECT_EQ(back[i].subject, "P1");
    EXPECT_DOUBLE_EQ(back[i].start_unix_s, h.sessions[i].start_unix_s);
    EXPECT_DOUBLE_EQ(back[i].gait_minutes, h.sessions[i].gait_minutes);
    EXPECT_EQ(back[i].steps, h.sessions[i].steps);
    for (Metric m : kMetrics) {
      const Figure &a = back[i].figure(m), &b = h.sessions[i].figure(m);
      EXPECT_EQ(std::isnan(a.mean), std::isnan(b.mean));
      if (!std::isnan(b.mean)) {
        EXPECT_DOUBLE_EQ(a.mean, b.mean);
      }
      if (!std::isnan(b.se)) {
        EXPECT_DOUBLE_EQ(a.se, b.se);
      }
      EXPECT_EQ(a.n, b.n);
    }
  }
  std::ofstream(path) << "subject,date\nP1,2026-03-02\n";
  EXPECT_THROW(read_sessions_csv(path), Error);
  std::filesystem::remove(path);
}

// The simulator's per-session offset moves every step's true drop by the offset (scaled by
// the gait envelope at a bout's ends) and nothing else; the truth file keeps it.
TEST(SimDropOffset, ShiftsEveryStepsDropAndIsRecorded) {
  sim::SimParams p;
  p.gait_duration_s = 20;
  p.rate_hz = 100;
  const sim::SimResult base = sim::simulate(p);
  p.drop_offset_deg = -1.25;
  const sim::SimResult moved = sim::simulate(p);
  ASSERT_EQ(base.truth.steps.size(), moved.truth.steps.size());
  const std::size_t n = base.truth.steps.size();
  for (std::size_t i = 0; i < n; ++i) {
    const double d = moved.truth.steps[i].pelvic_drop_deg - base.truth.steps[i].pelvic_drop_deg;
    EXPECT_LE(d, 1e-12);
    EXPECT_GE(d, -1.25 - 1e-9);
    // The whole offset except on the two steps at each end of the bout (the gait envelope).
    if (i >= 2 && i + 2 < n) {
      EXPECT_NEAR(d, -1.25, 1e-9) << "step " << i;
    }
    EXPECT_EQ(moved.truth.steps[i].time_s, base.truth.steps[i].time_s);
  }
  const auto path = std::filesystem::temp_directory_path() / "stridelab_offset_truth.json";
  sim::write_truth_json(path, moved.truth);
  EXPECT_DOUBLE_EQ(sim::read_truth_json(path).params.drop_offset_deg, -1.25);
  std::filesystem::remove(path);
  p.drop_offset_deg = 40;
  EXPECT_THROW(sim::simulate(p), Error);
}

}  // namespace
}  // namespace stridelab::history
