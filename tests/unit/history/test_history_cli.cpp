// `stridelab history` as users run it: sessions made by `stridelab simulate` with a drop
// offset, a start time and a subject; the CSV tables' columns and values, a broken file
// (named, exit 3, the rest reported), two subjects (a choice is needed), the PNG figure and
// what --png says without the program that draws it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "../../../src/batch/table.hpp"
#include "history_series.hpp"
#include "support/process.hpp"

namespace stridelab {
namespace {

namespace fs = std::filesystem;
using testing::ProcessResult;
using testing::run_stridelab;

const double kDays[] = {0, 9, 16, 24};  // four sessions over three and a half weeks
constexpr double kPerWeek = -0.5;

// "s<k>.h5" (built with += : GCC 12 warns falsely about "literal" + std::string at -O3)
std::string session_name(int k) {
  std::string name = "s";
  name += std::to_string(k);
  name += ".h5";
  return name;
}

class HistoryCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = fs::temp_directory_path() / ("stridelab_history_cli_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "P017");
    for (int k = 0; k < 4; ++k) {
      const ProcessResult r =
          simulate(root_ / "P017" / session_name(k), k, kPerWeek * kDays[k] / 7, "P017");
      ASSERT_EQ(r.status, 0) << r.output();
    }
  }
  static void TearDownTestSuite() { fs::remove_all(root_); }
  static ProcessResult simulate(const fs::path& out, int k, double offset,
                                const std::string& subject) {
    return run_stridelab({"simulate",
                          "--activity",
                          "walk",
                          "--duration",
                          "45",
                          "--rate",
                          "100",
                          "--drop-left",
                          "7",
                          "--drop-right",
                          "5",
                          "--drop-offset",
                          std::to_string(offset),
                          "--start-time",
                          test::iso_of_day(kDays[k]),
                          "--subject",
                          subject,
                          "--seed",
                          std::to_string(60 + k),
                          "--out",
                          out.string()});
  }
  static batch::TextTable table(const fs::path& p) { return batch::read_csv(p); }
  static double cell(const batch::TextTable& t, std::size_t row, const std::string& col) {
    const auto it = std::find(t.columns.begin(), t.columns.end(), col);
    EXPECT_NE(it, t.columns.end()) << col;
    if (it == t.columns.end()) return NAN;
    return std::stod(t.rows.at(row).at(static_cast<std::size_t>(it - t.columns.begin())));
  }
  static inline fs::path root_;
};

TEST_F(HistoryCli, WritesTheThreeTablesWithTheirColumns) {
  const fs::path s = root_ / "s.csv", t = root_ / "t.csv", w = root_ / "w.csv";
  const ProcessResult r = run_stridelab({"history", (root_ / "P017").string(), "--csv", s.string(),
                                         "--trends-csv", t.string(), "--weeks-csv", w.string()});
  ASSERT_EQ(r.status, 0) << r.output();
  EXPECT_NE(r.out.find("subject P017: 4 sessions, 2026-03-02 to 2026-03-26"), std::string::npos)
      << r.out;

  const batch::TextTable sessions = table(s);
  std::vector<std::string> expected{"subject",    "subject_from", "session_id",   "file",
                                    "start_time", "date_from",    "results_from", "activity",
                                    "steps",      "gait_minutes"};
  for (const char* m : {"pelvic_drop_left_deg", "pelvic_drop_right_deg", "cadence_spm",
                        "trunk_rotation_deg", "step_time_asymmetry_pct"})
    for (const char* part : {".mean", ".sd", ".n", ".se"})
      expected.push_back(m + std::string(part));
  EXPECT_EQ(sessions.columns, expected);
  ASSERT_EQ(sessions.rows.size(), 4u);
  for (std::size_t k = 0; k < 4; ++k) {
    EXPECT_EQ(sessions.rows[k][0], "P017");
    EXPECT_EQ(sessions.rows[k][1], "recording");
    EXPECT_EQ(sessions.rows[k][2], session_name(static_cast<int>(k)));
    EXPECT_EQ(sessions.rows[k][4], test::iso_of_day(kDays[k]));
    EXPECT_EQ(sessions.rows[k][5], "recording");
    EXPECT_EQ(sessions.rows[k][6], "analysis");
    EXPECT_EQ(sessions.rows[k][7], "walk");
    EXPECT_NEAR(cell(sessions, k, "gait_minutes"), 0.75, 0.05);
    EXPECT_NEAR(cell(sessions, k, "pelvic_drop_left_deg.mean"), 7 + kPerWeek * kDays[k] / 7, 0.35);
    EXPECT_NEAR(cell(sessions, k, "cadence_spm.mean"), 110, 2);
    const double sd = cell(sessions, k, "pelvic_drop_left_deg.sd");
    EXPECT_NEAR(cell(sessions, k, "pelvic_drop_left_deg.se"),
                sd / std::sqrt(cell(sessions, k, "pelvic_drop_left_deg.n")), 1e-12);
  }

  const batch::TextTable trends = table(t);
  EXPECT_EQ(trends.columns,
            (std::vector<std::string>{"subject", "metric", "sessions", "intercept", "per_week",
                                      "per_week_se", "total_change", "residual_sd", "sem_steps",
                                      "sem", "mdc95", "exceeds_mdc"}));
  ASSERT_EQ(trends.rows.size(), 5u);
  EXPECT_EQ(trends.rows[0][1], "pelvic_drop_left_deg");
  EXPECT_EQ(trends.rows[4][1], "step_time_asymmetry_pct");
  for (std::size_t row : {0u, 1u}) {
    EXPECT_NEAR(cell(trends, row, "per_week"), kPerWeek, 0.15) << trends.rows[row][1];
    EXPECT_NEAR(cell(trends, row, "mdc95"), 1.96 * std::sqrt(2.0) * cell(trends, row, "sem"),
                1e-12);
    EXPECT_GE(cell(trends, row, "sem"), cell(trends, row, "sem_steps"));
    EXPECT_GE(cell(trends, row, "sem"), cell(trends, row, "residual_sd"));
    EXPECT_EQ(trends.rows[row][11], "true");
  }

  const batch::TextTable weeks = table(w);
  EXPECT_EQ(weeks.columns,
            (std::vector<std::string>{"subject", "week_start", "sessions", "gait_minutes", "steps",
                                      "gait_minutes_change", "gait_minutes_change_pct",
                                      "steps_change", "steps_change_pct"}));
  ASSERT_EQ(weeks.rows.size(), 4u);  // 2, 9, 16, 23 March: one session each
  EXPECT_EQ(weeks.rows[1][1], "2026-03-09");
  EXPECT_DOUBLE_EQ(cell(weeks, 1, "steps"), cell(sessions, 1, "steps"));
  EXPECT_DOUBLE_EQ(cell(weeks, 1, "steps_change"),
                   cell(sessions, 1, "steps") - cell(sessions, 0, "steps"));
  EXPECT_EQ(weeks.rows[0][5], "");  // no week before the first
}

TEST_F(HistoryCli, BrokenFileIsNamedAndTheRestReported) {
  const fs::path dir = root_ / "with_broken";
  fs::create_directories(dir);
  for (int k = 0; k < 4; ++k)
    fs::copy_file(root_ / "P017" / session_name(k), dir / session_name(k),
                  fs::copy_options::overwrite_existing);
  std::ofstream(dir / "s9.h5") << "\x89HDF\r\n\x1a\n truncated";
  const fs::path s = root_ / "broken_sessions.csv";
  const ProcessResult r = run_stridelab({"history", dir.string(), "--csv", s.string()});
  EXPECT_EQ(r.status, 3) << r.output();
  EXPECT_NE(r.err.find("skipped: " + (dir / "s9.h5").string()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("1 of 5 recordings skipped"), std::string::npos) << r.err;
  EXPECT_EQ(table(s).rows.size(), 4u);
}

TEST_F(HistoryCli, SeveralSubjectsNeedAChoice) {
  const fs::path dir = root_ / "two";
  fs::create_directories(dir);
  fs::copy_file(root_ / "P017" / "s0.h5", dir / "a.h5", fs::copy_options::overwrite_existing);
  ASSERT_EQ(simulate(dir / "b.h5", 1, 0.0, "Q2").status, 0);
  const ProcessResult both = run_stridelab({"history", dir.string()});
  EXPECT_EQ(both.status, 64) << both.output();
  EXPECT_NE(both.err.find("P017, Q2"), std::string::npos) << both.err;
  const ProcessResult one = run_stridelab({"history", dir.string(), "--subject", "Q2"});
  EXPECT_EQ(one.status, 0) << one.output();
  EXPECT_NE(one.out.find("subject Q2: 1 sessions"), std::string::npos) << one.out;
  const ProcessResult none = run_stridelab({"history", (root_ / "nope").string()});
  EXPECT_EQ(none.status, 1);
  EXPECT_NE(none.err.find((root_ / "nope").string()), std::string::npos) << none.err;
}

TEST_F(HistoryCli, PngFigureIsDrawnBySeparateProgram) {
  if (!fs::exists(testing::built_program("stridelab-history-figure")))
    GTEST_SKIP() << "built without the GUI";
  const fs::path png = root_ / "history.png";
  const ProcessResult r =
      run_stridelab({"history", (root_ / "P017").string(), "--png", png.string()});
  ASSERT_EQ(r.status, 0) << r.output();
  std::ifstream in(png, std::ios::binary);
  unsigned char head[24] = {};
  in.read(reinterpret_cast<char*>(head), 24);
  ASSERT_EQ(in.gcount(), 24);
  EXPECT_EQ(head[1], 'P');
  EXPECT_EQ(head[2], 'N');
  auto be32 = [&](int at) {
    return (head[at] << 24) | (head[at + 1] << 16) | (head[at + 2] << 8) | head[at + 3];
  };
  EXPECT_EQ(be32(16), 1600);  // IHDR width, height
  EXPECT_EQ(be32(20), 1200);
  EXPECT_GT(fs::file_size(png), 30000u);  // five panels and bars, not a blank page
}

TEST_F(HistoryCli, PngWithoutTheFigureProgramSaysWhatIsMissing) {
  const fs::path dir = root_ / "lonely";
  fs::create_directories(dir);
  fs::copy_file(testing::stridelab_binary(), dir / "stridelab",
                fs::copy_options::overwrite_existing);
  const fs::path csv = dir / "s.csv";
  const ProcessResult r =
      testing::run_process({(dir / "stridelab").string(), "history", (root_ / "P017").string(),
                            "--csv", csv.string(), "--png", (dir / "h.png").string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find((dir / "stridelab-history-figure").string()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("STRIDELAB_BUILD_GUI=ON"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "h.png"));
  EXPECT_EQ(table(csv).rows.size(), 4u);  // the tables are written before the figure
}

}  // namespace
}  // namespace stridelab
