// A simulated series of one runner's sessions (real HDF5 recordings with subject and start
// time, the real analysis) with a known change of the pelvic drop per week: the history must
// recover it and call it beyond the noise; an unchanged series must stay within it. Batch
// results are used where a batch analysed the same bytes, counted by the analysis calls.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <fstream>

#include "../../../src/batch/table.hpp"
#include "history_series.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/history/history.hpp"
#include "stridelab/pipeline/analyze_recording.hpp"

namespace stridelab::history {
namespace {

// The analysis as the CLI runs it, counting its calls.
struct CountingAnalysis {
  int calls = 0;
  batch::AnalyzeFn fn() {
    return [this](const Recording& rec) {
      ++calls;
      return pipeline::analyze_recording(rec, {}).to_output();
    };
  }
};

class HistorySeries : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = fs::temp_directory_path() / ("stridelab_history_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    test::write_series(root_ / "change", spec_);
    test::SeriesSpec flat = spec_;
    flat.drop_per_week_deg = 0.0;
    flat.seed = 80;
    test::write_series(root_ / "flat", flat);
  }
  static void TearDownTestSuite() { fs::remove_all(root_); }
  static History history_of(const fs::path& dir, CountingAnalysis& analysis,
                            std::vector<Skipped>* skipped = nullptr) {
    CollectOptions o;
    o.inputs = {dir};
    std::vector<Skipped> local;
    auto sessions = collect_sessions(o, analysis.fn(), skipped ? *skipped : local);
    return make_history(std::move(sessions));
  }
  static inline fs::path root_;
  static inline const test::SeriesSpec spec_{};
};

TEST_F(HistorySeries, RecoversTheDropChangePerWeek) {
  CountingAnalysis analysis;
  const History h = history_of(root_ / "change", analysis);
  EXPECT_EQ(analysis.calls, 6);
  ASSERT_EQ(h.sessions.size(), 6u);
  EXPECT_EQ(h.subject, "P017");
  for (std::size_t k = 0; k < 6; ++k) {
    const Session& s = h.sessions[k];
    EXPECT_EQ(s.subject_from, "recording");
    EXPECT_EQ(s.date_from, "recording");
    EXPECT_EQ(s.results_from, "analysis");
    EXPECT_DOUBLE_EQ(s.start_unix_s, test::series_start_unix_s() + spec_.days[k] * 86400.0);
    // About 60 s of stepping at 110 steps/min.
    EXPECT_NEAR(s.gait_minutes, 1.0, 0.05) << s.id;
    EXPECT_NEAR(s.steps, 110, 6) << s.id;
  }
  // Tolerance: the analysis recovers each session's mean drop within ~0.15 deg on these
  // simulations (docs/ACCURACY.md); over 35 days that bounds the slope error near 0.05/week.
  for (Metric m : {Metric::kDropLeft, Metric::kDropRight}) {
    const Trend& t = h.trend(m);
    RecordProperty(metric_name(m) + "_per_week", std::to_string(t.per_week));
    EXPECT_EQ(t.sessions, 6);
    EXPECT_NEAR(t.per_week, spec_.drop_per_week_deg, 0.08) << metric_name(m);
    EXPECT_NEAR(t.total_change, spec_.drop_per_week_deg * 5, 0.4) << metric_name(m);
    EXPECT_GT(t.mdc95, 0.05);
    EXPECT_LT(t.mdc95, 0.6);
    EXPECT_TRUE(t.exceeds_mdc) << metric_name(m);
  }
  EXPECT_NEAR(h.trend(Metric::kDropLeft).intercept, spec_.drop_left_deg, 0.5);
  EXPECT_NEAR(h.trend(Metric::kDropRight).intercept, spec_.drop_right_deg, 0.5);
  // Cadence did not change.
  EXPECT_NEAR(h.trend(Metric::kCadence).intercept, 110, 2);
  EXPECT_NEAR(h.trend(Metric::kCadence).per_week, 0, 0.5);
  // Weeks of 2, 9 (day 12), 16 (day 20), 23 (day 26), 30 March, 6 April (day 35).
  ASSERT_EQ(h.weeks.size(), 6u);
  EXPECT_EQ(h.weeks.front().start_date, "2026-03-02");
  EXPECT_EQ(h.weeks.front().sessions, 2);  // days 0 and 5
  EXPECT_EQ(h.weeks[4].sessions, 0);
  EXPECT_EQ(h.weeks[4].steps, 0);
  EXPECT_EQ(h.weeks[1].steps, h.sessions[2].steps);
}

TEST_F(HistorySeries, UnchangedSeriesStaysWithinTheNoise) {
  CountingAnalysis analysis;
  const History h = history_of(root_ / "flat", analysis);
  for (Metric m : {Metric::kDropLeft, Metric::kDropRight}) {
    const Trend& t = h.trend(m);
    RecordProperty(metric_name(m) + "_per_week", std::to_string(t.per_week));
    EXPECT_NEAR(t.per_week, 0.0, 0.08) << metric_name(m);
    EXPECT_FALSE(t.exceeds_mdc) << metric_name(m) << ": total " << t.total_change << " MDC "
                                << t.mdc95;
  }
}

TEST_F(HistorySeries, UsesBatchResultsAndAnalysesOnlyWhatIsMissing) {
  const fs::path dir = root_ / "batched";
  fs::create_directories(dir);
  for (const auto& e : fs::directory_iterator(root_ / "change"))
    fs::copy_file(e.path(), dir / e.path().filename());
  CountingAnalysis batch_analysis;
  batch::BatchOptions b;
  b.input_dir = dir;
  b.output_dir = dir / "results";
  b.quiet = true;
  batch::run_batch(b, batch_analysis.fn());
  ASSERT_EQ(batch_analysis.calls, 6);

  // A value no analysis would give: the history must show it, so it read the table.
  const fs::path table_path = dir / "results" / "recordings.csv";
  batch::TextTable table = batch::read_csv(table_path);
  const auto col =
      std::find(table.columns.begin(), table.columns.end(), "pelvic_drop_left_deg.mean") -
      table.columns.begin();
  ASSERT_EQ(table.rows[2][0], "P017_session3.h5");
  table.rows[2][col] = "42.5";
  std::ofstream(table_path) << batch::format_csv(table);
  // A session recorded after the batch, and one whose file changed since: analysed.
  test::SeriesSpec later = spec_;
  later.days.push_back(42);
  storage::write_recording(dir / "P017_session7.h5", test::series_recording(later, 6));
  test::SeriesSpec redone = spec_;
  redone.seed = 99;  // other bytes than the batch saw
  storage::write_recording(dir / "P017_session6.h5", test::series_recording(redone, 5));

  CountingAnalysis analysis;
  const History h = history_of(dir, analysis);
  EXPECT_EQ(analysis.calls, 2);
  ASSERT_EQ(h.sessions.size(), 7u);  // results/ is not searched for recordings
  int from_batch = 0;
  for (const Session& s : h.sessions) {
    const bool analysed = s.id == "P017_session7.h5" || s.id == "P017_session6.h5";
    EXPECT_EQ(s.results_from, analysed ? "analysis" : "batch") << s.id;
    from_batch += s.results_from == "batch";
    EXPECT_EQ(s.date_from, "recording") << s.id;  // read from the recording, not analysed
    const double drop = s.figure(Metric::kDropLeft).mean;
    if (s.id == "P017_session3.h5") {
      EXPECT_DOUBLE_EQ(drop, 42.5);
    } else {
      EXPECT_LT(drop, 10.0) << s.id;
    }
    EXPECT_NEAR(s.gait_minutes, 1.0, 0.05) << s.id;  // from <id>.steps.csv or the analysis
  }
  EXPECT_EQ(from_batch, 5);

  // A damaged cell in the table: that session is skipped, naming the table, row and column.
  table.rows[3][col] = "abc";
  std::ofstream(table_path) << batch::format_csv(table);
  std::vector<Skipped> skipped;
  const History damaged = history_of(dir, analysis, &skipped);
  EXPECT_EQ(damaged.sessions.size(), 6u);
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_NE(skipped[0].reason.find("recordings.csv, row P017_session4.h5: column "
                                   "'pelvic_drop_left_deg.mean': 'abc' is not a number"),
            std::string::npos)
      << skipped[0].reason;
}

TEST_F(HistorySeries, BrokenFileIsSkippedAndNamedTheRestReported) {
  const fs::path dir = root_ / "broken";
  fs::create_directories(dir);
  for (const auto& e : fs::directory_iterator(root_ / "change"))
    fs::copy_file(e.path(), dir / e.path().filename());
  std::ofstream(dir / "P017_session9.h5") << "\x89HDF\r\n\x1a\n not really";
  std::ofstream(dir / "P017_notes.csv") << "time,acc_x\n0,1\n";
  CountingAnalysis analysis;
  std::vector<Skipped> skipped;
  const History h = history_of(dir, analysis, &skipped);
  EXPECT_EQ(h.sessions.size(), 6u);
  ASSERT_EQ(skipped.size(), 2u);
  EXPECT_NE(skipped[0].file.find("P017_notes.csv"), std::string::npos);
  EXPECT_NE(skipped[1].file.find("P017_session9.h5"), std::string::npos);
  for (const auto& s : skipped) EXPECT_FALSE(s.reason.empty());
  EXPECT_NEAR(h.trend(Metric::kDropLeft).per_week, spec_.drop_per_week_deg, 0.08);

  CollectOptions missing;
  missing.inputs = {dir / "nope"};
  EXPECT_THROW(collect_sessions(missing, analysis.fn(), skipped), Error);
}

TEST_F(HistorySeries, WithoutStoredDateAndSubjectTheFileTimeAndNameCount) {
  const fs::path dir = root_ / "S09";
  fs::create_directories(dir);
  Recording rec = test::series_recording(spec_, 0);
  rec.subject_id.clear();
  rec.start_time_iso.clear();
  storage::write_recording(dir / "walk.h5", rec);
  storage::write_recording(dir / "R2_walk.h5", rec);
  // 2026-05-04T10:00:00Z as the modification time of the first.
  const auto when =
      std::chrono::file_clock::from_sys(std::chrono::sys_seconds{std::chrono::seconds{1777888800}});
  fs::last_write_time(dir / "walk.h5", when);
  CountingAnalysis analysis;
  std::vector<Skipped> skipped;
  CollectOptions o;
  o.inputs = {dir};
  const auto sessions = collect_sessions(o, analysis.fn(), skipped);
  ASSERT_EQ(sessions.size(), 2u);
  const Session& s = sessions[1].id == "walk.h5" ? sessions[1] : sessions[0];
  const Session& r = sessions[1].id == "walk.h5" ? sessions[0] : sessions[1];
  EXPECT_EQ(s.date_from, "file time");
  EXPECT_DOUBLE_EQ(s.start_unix_s, 1777888800.0);
  EXPECT_EQ(s.subject, "S09");  // the folder
  EXPECT_EQ(s.subject_from, "name");
  EXPECT_EQ(r.subject, "R2");  // the name before '_'
  // Two subjects: the history needs a choice, then shows that one.
  EXPECT_THROW(make_history(sessions), Error);
  const History h = make_history(sessions, "S09");
  ASSERT_EQ(h.sessions.size(), 1u);
  EXPECT_EQ(h.weeks.front().start_date, "2026-05-04");
}

}  // namespace
}  // namespace stridelab::history
