// `stridelab batch` / `stridelab merge` end to end: real simulated recordings, the real
// analysis, real HDF5 and CSV files, and the results read back by Debian's python3-h5py.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../../../src/batch/table.hpp"
#include "../../../src/batch/trends_table.hpp"
#include "stridelab/sim/simulator.hpp"
#include "stridelab/storage/recording_io.hpp"
#include "stridelab/storage/results_io.hpp"
#include "support/process.hpp"

namespace stridelab {
namespace {

namespace fs = std::filesystem;

using stridelab::testing::ProcessResult;
using stridelab::testing::run_process;
using stridelab::testing::run_stridelab;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class BatchCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = fs::temp_directory_path() / ("stridelab_batch_cli_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "study" / "s01");
    fs::create_directories(root_ / "study" / "s02");
    sim::SimParams walk;
    walk.gait_duration_s = 25;
    walk.drop_left_deg = 6;
    walk.drop_right_deg = 3;
    walk.seed = 11;
    storage::write_recording(root_ / "study" / "s01" / "walk.h5", sim::simulate(walk).recording);
    sim::SimParams run_p;
    run_p.activity = sim::Activity::kRun;
    run_p.gait_duration_s = 20;
    run_p.seed = 12;
    storage::write_recording(root_ / "study" / "s01" / "run.h5", sim::simulate(run_p).recording);
    walk.seed = 13;
    walk.rate_hz = 100;
    storage::write_recording(root_ / "study" / "s02" / "walk.csv", sim::simulate(walk).recording);
    std::ofstream(root_ / "study" / "s02" / "broken.h5") << "\x89HDF\r\n garbage, not a file";
  }
  static void TearDownTestSuite() { fs::remove_all(root_); }
  // `stridelab batch` over the study into root_/out, with more options after it.
  static ProcessResult batch(const std::string& out, std::vector<std::string> extra = {},
                             const stridelab::testing::Environment& env = {}) {
    std::vector<std::string> args{"batch", (root_ / "study").string(), "--out",
                                  (root_ / out).string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_stridelab(args, env);
  }
  static inline fs::path root_;
};

TEST_F(BatchCli, AnalysesStudyListsFailuresAndIsIndependentOfJobs) {
  const ProcessResult a = batch("j2", {"-j", "2"});
  std::cout << a.output();
  EXPECT_EQ(a.status, 3) << "some failed -> exit 3";
  EXPECT_NE(a.output().find("4 recordings: 3 analysed, 0 up to date, 1 failed"), std::string::npos);
  const std::string errors = slurp(root_ / "j2" / "errors.csv");
  EXPECT_NE(errors.find("s02/broken.h5"), std::string::npos) << errors;

  const ProcessResult b = batch("j1", {"-j", "1", "--quiet"});
  EXPECT_EQ(b.status, 3);
  for (const char* t : {"recordings.csv", "steps.csv", "errors.csv"})
    EXPECT_EQ(slurp(root_ / "j1" / t), slurp(root_ / "j2" / t)) << t;

  // Batch results equal `stridelab analyze` on the same file.
  const fs::path single = root_ / "single.steps.csv";
  const ProcessResult an = run_stridelab({"analyze", (root_ / "study" / "s01" / "walk.h5").string(),
                                          "--quiet", "--steps-csv", single.string()});
  ASSERT_EQ(an.status, 0) << an.output();
  EXPECT_EQ(slurp(single), slurp(root_ / "j2" / "s01" / "walk.h5.steps.csv"));

  const auto steps = storage::read_steps_csv(root_ / "j2" / "s01" / "walk.h5.steps.csv");
  EXPECT_GT(steps.size(), 30u);  // 25 s of walking at ~110 steps/min
}

TEST_F(BatchCli, SecondRunSkipsUpToDateResults) {
  ASSERT_EQ(batch("resume", {"--quiet"}).status, 3);
  const std::string steps = slurp(root_ / "resume" / "steps.csv");
  const ProcessResult again = batch("resume", {"--quiet"});
  EXPECT_NE(again.output().find("0 analysed, 3 up to date, 1 failed"), std::string::npos)
      << again.output();
  EXPECT_EQ(slurp(root_ / "resume" / "steps.csv"), steps);
}

TEST_F(BatchCli, ShardsMergedEqualOneRun) {
  ASSERT_EQ(batch("whole", {"--quiet"}).status, 3);
  for (const char* shard : {"1/3", "2/3", "3/3"}) {
    const ProcessResult r = batch("sharded", {"--quiet", "--shard", shard});
    EXPECT_TRUE(r.status == 0 || r.status == 3) << r.output();
  }
  const ProcessResult m = run_stridelab({"merge", (root_ / "sharded").string()});
  ASSERT_EQ(m.status, 0) << m.output();
  for (const char* t : {"recordings.csv", "steps.csv", "errors.csv"})
    EXPECT_EQ(slurp(root_ / "sharded" / t), slurp(root_ / "whole" / t)) << t;
  // Slurm job-array variables select the shard when --shard is absent.
  const ProcessResult slurm =
      batch("slurm", {"--quiet"}, {{"SLURM_ARRAY_TASK_ID", "1"}, {"SLURM_ARRAY_TASK_COUNT", "3"}});
  EXPECT_NE(slurm.output().find("(shard 2/3)"), std::string::npos) << slurm.output();
  EXPECT_TRUE(fs::exists(root_ / "slurm" / "recordings.shard-2-of-3.csv"));
  EXPECT_EQ(run_stridelab({"merge", (root_ / "slurm").string()}).status, 1);  // shards missing
}

TEST_F(BatchCli, PythonH5pyReadsResultsEqualToCsv) {
  if (run_process({"/usr/bin/python3", "-c", "import h5py"}).status != 0)
    GTEST_SKIP() << "/usr/bin/python3 has no h5py (Debian package python3-h5py)";
  ASSERT_EQ(batch("py", {"--quiet"}).status, 3);
  const fs::path script = root_ / "check.py";
  std::ofstream(script) << R"PY(
import csv, json, math, sys
import h5py
out = sys.argv[1]
with h5py.File(out + "/s01/walk.h5.results.h5", "r") as f:
    a = f["analysis"]
    drop = a["steps"]["pelvic_drop_deg"][()]
    side = [s.decode() for s in a["steps"]["side"][()]]
    t = a["steps"]["time_s"][()]
    summary = json.loads(a.attrs["summary"])
rows = list(csv.DictReader(open(out + "/s01/walk.h5.steps.csv")))
assert len(rows) == len(drop), (len(rows), len(drop))
for r, d, s, ti in zip(rows, drop, side, t):
    assert r["side"] == s, (r["side"], s)
    assert abs(float(r["time_s"]) - ti) < 1e-12
    if r["pelvic_drop_deg"] == "":
        assert math.isnan(d)
    else:
        assert abs(float(r["pelvic_drop_deg"]) - d) < 1e-12
study = {r["recording_id"]: r for r in csv.DictReader(open(out + "/recordings.csv"))}
row = study["s01/walk.h5"]
assert int(row["steps"]) == summary["steps"] == len(rows)
assert abs(float(row["pelvic_drop_left_deg.mean"]) - summary["pelvic_drop_left_deg"]["mean"]) < 1e-12
print("h5py ok", len(rows), "steps; left drop", summary["pelvic_drop_left_deg"]["mean"])
)PY";
  const ProcessResult py =
      run_process({"/usr/bin/python3", script.string(), (root_ / "py").string()});
  std::cout << py.output();
  EXPECT_EQ(py.status, 0) << py.output();
  EXPECT_NE(py.output().find("h5py ok"), std::string::npos);
}

// Step-time asymmetry from a simulated walk reaches recordings.csv and minutes.csv with the
// summary's values; those are the documented rule applied to the recording's own steps table
// (known side, finite step time, none of gap/outlier/bout_edge/turn/low side
// confidence/clipping); `stridelab analyze` prints the same figures.
TEST_F(BatchCli, StepTimeAsymmetryColumnsHoldTheSummaryValues) {
  ASSERT_EQ(batch("asym", {"--quiet"}).status, 3);
  const batch::TextTable recs = batch::read_csv(root_ / "asym" / "recordings.csv");
  const auto col = [](const batch::TextTable& t, const std::string& name) {
    const auto it = std::find(t.columns.begin(), t.columns.end(), name);
    EXPECT_NE(it, t.columns.end()) << name;
    return static_cast<std::size_t>(it - t.columns.begin());
  };
  const auto row_it = std::find_if(recs.rows.begin(), recs.rows.end(),
                                   [](const auto& r) { return r[0] == "s01/walk.h5"; });
  ASSERT_NE(row_it, recs.rows.end());
  const std::vector<std::string>& row = *row_it;
  const auto summary =
      nlohmann::json::parse(slurp(root_ / "asym" / "s01" / "walk.h5.manifest.json"))["summary"];
  for (const char* key :
       {"step_time_left_s", "step_time_right_s", "contact_time_left_s", "contact_time_right_s"}) {
    for (const char* field : {"mean", "sd"})
      EXPECT_EQ(std::stod(row[col(recs, std::string(key) + "." + field)]),
                summary[key][field].get<double>())
          << key << "." << field;
    EXPECT_EQ(std::stoi(row[col(recs, std::string(key) + ".n")]), summary[key]["n"].get<int>());
  }
  const double index = std::stod(row[col(recs, "step_time_asymmetry_pct")]);
  EXPECT_EQ(index, summary["step_time_asymmetry_pct"].get<double>());
  EXPECT_EQ(std::stod(row[col(recs, "contact_time_asymmetry_pct")]),
            summary["contact_time_asymmetry_pct"].get<double>());

  // The rule, applied here to the steps table the batch wrote.
  const auto steps = storage::read_steps_csv(root_ / "asym" / "s01" / "walk.h5.steps.csv");
  const std::uint32_t excluded =
      kFlagGap | kFlagOutlier | kFlagBoutEdge | kFlagTurn | kFlagLowSideConfidence | kFlagClipping;
  double sum[3] = {0, 0, 0};
  int n[3] = {0, 0, 0};
  for (const Step& st : steps) {
    if (st.side == Side::kUnknown || (st.flags & excluded) || !std::isfinite(st.step_time_s))
      continue;
    sum[static_cast<int>(st.side)] += st.step_time_s;
    ++n[static_cast<int>(st.side)];
  }
  ASSERT_GE(n[1], 3);
  ASSERT_GE(n[2], 3);
  const double left = sum[1] / n[1], right = sum[2] / n[2];
  EXPECT_EQ(std::stoi(row[col(recs, "step_time_left_s.n")]), n[1]);
  EXPECT_EQ(std::stoi(row[col(recs, "step_time_right_s.n")]), n[2]);
  EXPECT_NEAR(std::stod(row[col(recs, "step_time_left_s.mean")]), left, 1e-12);
  EXPECT_NEAR(std::stod(row[col(recs, "step_time_right_s.mean")]), right, 1e-12);
  EXPECT_NEAR(index, 100.0 * std::abs(left - right) / (0.5 * (left + right)), 1e-9);
  // The simulated walk is symmetric at 110 steps/min: 0.545 s a side.
  EXPECT_NEAR(left, 60.0 / 110.0, 0.02);
  EXPECT_NEAR(right, 60.0 / 110.0, 0.02);
  EXPECT_LT(index, 5.0);

  // minutes.csv: the walk fits one window, with its own per-side step times.
  const batch::TextTable minutes = batch::read_csv(root_ / "asym" / "minutes.csv");
  int walk_windows = 0;
  for (const auto& r : minutes.rows) {
    if (r[0] != "s01/walk.h5") continue;
    ++walk_windows;
    EXPECT_NEAR(std::stod(r[col(minutes, "step_time_left_s.mean")]), left, 0.02);
    EXPECT_LT(std::stod(r[col(minutes, "step_time_asymmetry_pct")]), 5.0);
  }
  EXPECT_EQ(walk_windows, 1);

  // The printed summary of `stridelab analyze` has the same figures.
  const ProcessResult an =
      run_stridelab({"analyze", (root_ / "study" / "s01" / "walk.h5").string()});
  ASSERT_EQ(an.status, 0) << an.output();
  char want[160];
  std::snprintf(want, sizeof want,
                "step time                 L %.3f s  R %.3f s  asymmetry %.1f %%",
                summary["step_time_left_s"]["mean"].get<double>(),
                summary["step_time_right_s"]["mean"].get<double>(),
                summary["step_time_asymmetry_pct"].get<double>());
  EXPECT_NE(an.output().find(want), std::string::npos) << want << "\n" << an.output();
  std::snprintf(want, sizeof want, "contact time per side     L %.3f s  R %.3f s",
                summary["contact_time_left_s"]["mean"].get<double>(),
                summary["contact_time_right_s"]["mean"].get<double>());
  EXPECT_NE(an.output().find(want), std::string::npos) << want << "\n" << an.output();
}

TEST_F(BatchCli, UnusableStudyFolderIsAnError) {
  const ProcessResult r =
      run_stridelab({"batch", (root_ / "nope").string(), "--out", (root_ / "o").string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output().find("not a folder"), std::string::npos) << r.output();
  EXPECT_EQ(run_stridelab({"batch", (root_ / "study").string(), "--out", (root_ / "o").string(),
                           "--shard", "4/3"})
                .status,
            1);
}

TEST_F(BatchCli, AnalyzeWritesThePerMinuteTrendsTable) {
  sim::SimParams p;
  p.activity = sim::Activity::kRun;
  p.gait_duration_s = 150;  // 2.6 minutes with standing: 3 windows
  p.seed = 21;
  const fs::path rec = root_ / "trend_run.h5";
  storage::write_recording(rec, sim::simulate(p).recording);
  const fs::path csv = root_ / "trend_run.trends.csv", json = root_ / "trend_run.json";
  const ProcessResult r = run_stridelab({"analyze", rec.string(), "--quiet", "--trends-csv",
                                         csv.string(), "--summary-json", json.string()});
  ASSERT_EQ(r.status, 0) << r.output();
  const std::string text = slurp(csv);
  // The schema of docs/FILE_FORMAT.md "Trends table CSV", names as in minutes.csv.
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "start_s,end_s,steps,good_steps,cadence_spm,"
            "pelvic_drop_left_deg.mean,pelvic_drop_left_deg.sd,pelvic_drop_left_deg.n,"
            "pelvic_drop_right_deg.mean,pelvic_drop_right_deg.sd,pelvic_drop_right_deg.n,"
            "trunk_rotation_deg.mean,trunk_rotation_deg.sd,trunk_rotation_deg.n,"
            "contact_time_s.mean,contact_time_s.sd,contact_time_s.n,"
            "step_time_left_s.mean,step_time_left_s.sd,step_time_left_s.n,"
            "step_time_right_s.mean,step_time_right_s.sd,step_time_right_s.n,"
            "step_time_asymmetry_pct,turn_fraction");
  const auto summary = nlohmann::json::parse(slurp(json));
  const auto& windows = summary["trends"]["windows"];
  ASSERT_EQ(windows.size(), 3u);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 4);  // header + 3 rows
  int steps = 0;
  for (const auto& w : windows) steps += w["steps"].get<int>();
  EXPECT_EQ(steps, summary["steps"].get<int>());  // every step in exactly one window
  // Unwritable path: a clear error and a non-zero exit.
  const ProcessResult bad =
      run_stridelab({"analyze", rec.string(), "--quiet", "--trends-csv", "/nonexistent/dir/t.csv"});
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.output().find("/nonexistent/dir/t.csv"), std::string::npos) << bad.output();
}

// One schema per table: `analyze --trends-csv` and the batch's minutes.csv of the same
// recording have the same trend columns and the same cells, batch only adds recording_id.
TEST_F(BatchCli, AnalyzeTrendsCsvEqualsBatchMinutesForTheSameRecording) {
  sim::SimParams p;
  p.gait_duration_s = 130;  // with standing before and after: 3 windows
  p.cadence_spm = 110;
  p.drop_left_deg = 6;
  p.drop_right_deg = 3;
  p.seed = 31;
  const fs::path study = root_ / "one_walk", rec = study / "walk.h5";
  fs::create_directories(study);
  storage::write_recording(rec, sim::simulate(p).recording);
  const fs::path csv = root_ / "one_walk.trends.csv", out = root_ / "one_walk_out";
  const ProcessResult an =
      run_stridelab({"analyze", rec.string(), "--quiet", "--trends-csv", csv.string()});
  ASSERT_EQ(an.status, 0) << an.output();
  const ProcessResult b =
      run_stridelab({"batch", study.string(), "--out", out.string(), "-j", "1", "--quiet"});
  ASSERT_EQ(b.status, 0) << b.output();
  const batch::TextTable trends = batch::read_csv(csv);
  const batch::TextTable minutes = batch::read_csv(out / "minutes.csv");

  EXPECT_EQ(trends.columns, batch::trend_columns());
  std::vector<std::string> with_id{"recording_id"};
  with_id.insert(with_id.end(), trends.columns.begin(), trends.columns.end());
  EXPECT_EQ(minutes.columns, with_id);
  ASSERT_EQ(trends.rows.size(), 3u);
  ASSERT_EQ(minutes.rows.size(), trends.rows.size());
  for (std::size_t i = 0; i < trends.rows.size(); ++i) {
    EXPECT_EQ(minutes.rows[i][0], "walk.h5");
    const std::vector<std::string> cells(minutes.rows[i].begin() + 1, minutes.rows[i].end());
    EXPECT_EQ(cells, trends.rows[i]) << "window " << i;
  }

  // The cells are the analysis' figures: every step in one window, full minutes measured.
  const auto col = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(trends.columns.begin(), trends.columns.end(), name) -
                                    trends.columns.begin());
  };
  const auto summary = nlohmann::json::parse(slurp(out / "walk.h5.manifest.json"))["summary"];
  int steps = 0;
  for (const auto& r : trends.rows) steps += std::stoi(r[col("steps")]);
  EXPECT_EQ(steps, summary["steps"].get<int>());
  // Window 60..120 s: walking throughout (gait from 5 to 135 s).
  const std::vector<std::string>& full = trends.rows[1];
  EXPECT_DOUBLE_EQ(std::stod(full[col("start_s")]) - std::stod(trends.rows[0][col("start_s")]),
                   60.0);
  EXPECT_GE(std::stoi(full[col("good_steps")]), 90);
  EXPECT_NEAR(std::stod(full[col("cadence_spm")]), p.cadence_spm, 3.0);
  EXPECT_NEAR(std::stod(full[col("pelvic_drop_left_deg.mean")]), p.drop_left_deg, 1.5);
  EXPECT_NEAR(std::stod(full[col("pelvic_drop_right_deg.mean")]), p.drop_right_deg, 1.5);
  EXPECT_GE(std::stoi(full[col("pelvic_drop_left_deg.n")]), 40);
  EXPECT_GT(std::stod(full[col("pelvic_drop_left_deg.sd")]), 0.0);
  EXPECT_GT(std::stod(full[col("trunk_rotation_deg.mean")]), 0.0);
  EXPECT_GT(std::stod(full[col("contact_time_s.mean")]), 0.0);
}

}  // namespace
}  // namespace stridelab
