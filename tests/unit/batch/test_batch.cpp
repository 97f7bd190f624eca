// Batch mechanics on real files in a temporary study folder. The analysis is injected (the
// batch stage does not know gait), so a small deterministic stand-in is used here; the real
// analysis runs through `stridelab batch` in tests/integration.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>

#include "../../../src/batch/table.hpp"
#include "../../../src/batch/trends_table.hpp"
#include "stridelab/batch/batch.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/storage/recording_io.hpp"

namespace stridelab::batch {
namespace {

Recording make_recording(double seconds, double rate, unsigned seed) {
  Recording rec;
  rec.subject_id = "s" + std::to_string(seed);
  SensorData s;
  s.info.nominal_rate_hz = rate;
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(-0.1, 0.1);
  for (int i = 0; i < static_cast<int>(seconds * rate); ++i) {
    s.time_s.push_back(i / rate);
    s.device_time_s.push_back(i / rate);
    s.acc.push_back(Vec3(u(rng), u(rng), kGravity + u(rng)));
    s.gyr.push_back(Vec3(u(rng), u(rng), u(rng)));
  }
  rec.sensors.push_back(std::move(s));
  return rec;
}

// Stand-in analysis: one "step" per second whose values depend on the data, so a changed
// input changes the result.
storage::AnalysisOutput fake_analysis(const Recording& rec) {
  const SensorData& s = rec.primary();
  storage::AnalysisOutput out;
  double sum = 0.0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    sum += s.acc[i].z();
    if (i > 0 && std::floor(s.time_s[i]) != std::floor(s.time_s[i - 1])) {
      Step step;
      step.time_s = s.time_s[i];
      step.side = out.steps.size() % 2 ? Side::kRight : Side::kLeft;
      step.step_time_s = 1.0;
      step.cadence_spm = 60.0;
      step.pelvic_drop_deg = sum / static_cast<double>(i);
      out.steps.push_back(step);
    }
  }
  // Trend windows of 2 s, one per started pair of seconds, like the real summary's.
  nlohmann::json windows = nlohmann::json::array();
  for (double t = 0; t < s.duration_s(); t += 2.0)
    windows.push_back({{"start_s", t},
                       {"end_s", t + 2.0},
                       {"steps", 2},
                       {"pelvic_drop_left_deg", {{"mean", t}, {"sd", nullptr}, {"n", 1}}}});
  out.summary_json =
      nlohmann::json{
          {"activity", "walk"},
          {"steps", out.steps.size()},
          {"mean_cadence_spm", 60.0},
          {"pelvic_drop_left_deg", {{"mean", sum / s.size()}, {"sd", 0.5}}},
          {"step_time_left_s", {{"mean", 0.6}, {"sd", 0.02}, {"n", 10}}},
          {"step_time_right_s", {{"mean", 0.4}, {"sd", 0.01}, {"n", 9}}},
          {"step_time_asymmetry_pct", 40.0},
          {"contact_time_asymmetry_pct", nullptr},
          {"trends", {{"pelvic_drop_left_deg", {{"per_10min", 0.5}}}, {"windows", windows}}}}
          .dump();
  out.calibration_json = R"({"neutral_obliquity_deg": 0.25})";
  return out;
}

class BatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("stridelab_batch_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
    study_ = root_ / "study";
    std::filesystem::create_directories(study_ / "s01");
    std::filesystem::create_directories(study_ / "s02");
    std::filesystem::create_directories(study_ / ".cache");
    storage::write_recording(study_ / "s01" / "walk.h5", make_recording(6, 50, 1));
    storage::write_recording(study_ / "s01" / "run.csv", make_recording(5, 50, 2));
    storage::write_recording(study_ / "s02" / "walk.h5", make_recording(7, 50, 3));
    storage::write_recording(study_ / "s02" / "walk.csv", make_recording(4, 50, 4));
    storage::write_recording(study_ / ".cache" / "hidden.h5", make_recording(2, 50, 5));
    std::ofstream(study_ / "s02" / "garbage.h5") << "this is not an HDF5 file";
    std::ofstream(study_ / "s02" / "empty.csv");
    std::ofstream(study_ / "notes.txt") << "not a recording";
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  BatchOptions options(const std::string& out, int jobs) const {
    BatchOptions o;
    o.input_dir = study_;
    o.output_dir = root_ / out;
    o.jobs = jobs;
    o.quiet = true;
    o.parameters_key = R"({"activity":"auto"})";
    return o;
  }
  // What batch finds in the study, as relative paths.
  std::vector<std::string> discovered() const {
    std::vector<std::string> names;
    for (const auto& f : discover_recordings(study_)) names.push_back(f.generic_string());
    return names;
  }
  // The folder `id` is found once, as one recording, and none of its files on their own; a
  // batch run over it analyses exactly it.
  BatchReport expect_folder_recording(const std::string& id) const {
    const auto names = discovered();
    EXPECT_EQ(std::count(names.begin(), names.end(), id), 1) << id;
    for (const auto& n : names) EXPECT_EQ(n.find(id + "/"), std::string::npos) << n;
    BatchOptions o = options("out", 1);
    o.patterns = {id};
    const BatchReport r = run_batch(o, fake_analysis);
    EXPECT_EQ(r.total, 1);
    EXPECT_EQ(r.analysed, 1);
    EXPECT_TRUE(r.failures.empty()) << r.failures.front().reason;
    return r;
  }
  static std::string slurp(const std::filesystem::path& p) { return read_text(p); }

  std::filesystem::path root_, study_;
};

TEST_F(BatchTest, DiscoversRecordingsSortedSkippingHiddenAndOutput) {
  std::filesystem::create_directories(study_ / "results");
  storage::write_recording(study_ / "results" / "old.h5", make_recording(1, 50, 9));
  std::ofstream(study_ / "s01" / "walk.h5.steps.csv") << "time_s\n";  // an earlier run's
  std::ofstream(study_ / "s01" / "walk.h5.results.h5") << "output";   // outputs in place
  const auto files = discover_recordings(study_, study_ / "results");
  std::vector<std::string> names;
  for (const auto& f : files) names.push_back(f.generic_string());
  EXPECT_EQ(names, (std::vector<std::string>{"s01/run.csv", "s01/walk.h5", "s02/empty.csv",
                                             "s02/garbage.h5", "s02/walk.csv", "s02/walk.h5"}));
  const auto only_h5 = discover_recordings(study_, {}, {"*.h5"});
  EXPECT_EQ(only_h5.size(), 4u);  // fnmatch '*' crosses '/' without FNM_PATHNAME
  EXPECT_THROW(discover_recordings(study_ / "missing"), Error);
}

// A Sensor Logger export kept as a folder: 5 s at 100 Hz (time in ns; columns z, y, x).
void write_sensor_logger_folder(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  const auto write = [&](const char* name, double x, double y, double z) {
    std::ofstream out(dir / name);
    out << "time,seconds_elapsed,z,y,x\n";
    for (int i = 0; i < 500; ++i)
      out << 1700000000000000000LL + 10000000LL * i << ',' << 0.01 * i << ',' << z << ','
          << y + 0.001 * i << ',' << x << '\n';
  };
  write("Accelerometer.csv", 0.1, 0.0, 0.2);
  write("Gravity.csv", 0.0, 0.0, 9.81);
  write("Gyroscope.csv", 0.01, 0.02, 0.03);
}

TEST_F(BatchTest, PhoneExportFolderIsOneRecordingAndItsChangesAreSeen) {
  write_sensor_logger_folder(study_ / "s03" / "phone walk");
  expect_folder_recording("s03/phone walk");
  EXPECT_TRUE(std::filesystem::exists(root_ / "out" / "s03" / "phone walk.results.h5"));
  BatchOptions o = options("out", 1);
  o.patterns = {"s03/*"};
  const BatchReport again = run_batch(o, fake_analysis);
  EXPECT_EQ(again.skipped, 1);  // same files: up to date
  // A changed file inside the folder makes the recording out of date.
  std::ofstream(study_ / "s03" / "phone walk" / "Gyroscope.csv", std::ios::app)
      << 1700000000000000000LL + 10000000LL * 500 << ",5.0,0.03,0.02,0.01\n";
  const BatchReport changed = run_batch(o, fake_analysis);
  EXPECT_EQ(changed.analysed, 1);
  EXPECT_EQ(changed.skipped, 0);
}

// A phyphox export from a phone set to German: file names and captions translated, units not;
// ';' separators and decimal commas. 5 s at 100 Hz, acc and gyro in separate files.
void write_german_phyphox_folder(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir / "meta");
  const auto write = [&](const char* name, const char* what, const char* unit, double z) {
    std::ofstream out(dir / name);
    out << "\"Zeit (s)\"";
    for (const char* axis : {"x", "y", "z"})
      out << ";\"" << what << " " << axis << " (" << unit << ")\"";
    out << "\n";
    for (int i = 0; i < 500; ++i) {
      char row[120];
      std::snprintf(row, sizeof row, "%.6E;%.6E;%.6E;%.6E\n", 0.01 * i, 0.1, 0.001 * i, z);
      std::string r = row;
      std::replace(r.begin(), r.end(), '.', ',');
      out << r;
    }
  };
  write("Beschleunigungssensor.csv", "Beschleunigung", "m/s^2", 9.81);
  write("Gyroskop.csv", "Drehrate", "rad/s", 0.05);
  std::ofstream(dir / "meta" / "device.csv") << "\"property\";\"value\"\n";
}

TEST_F(BatchTest, LocalisedPhyphoxFolderIsOneRecordingFoundByItsColumns) {
  write_german_phyphox_folder(study_ / "s04" / "Handy Gehen");
  // Two complete phyphox tables (acc and gyro in each) side by side stay two recordings.
  std::filesystem::create_directories(study_ / "s05");
  for (const char* name : {"a.csv", "b.csv"})
    std::ofstream(study_ / "s05" / name)
        << "\"Time (s)\",\"X (m/s^2)\",\"Y (m/s^2)\",\"Z (m/s^2)\",\"X (rad/s)\","
           "\"Y (rad/s)\",\"Z (rad/s)\"\n0,0,0,9.8,0,0,0\n0.01,0,0,9.8,0,0,0\n";
  const auto names = discovered();
  EXPECT_EQ(std::count(names.begin(), names.end(), "s05/a.csv"), 1);
  EXPECT_EQ(std::count(names.begin(), names.end(), "s05/b.csv"), 1);

  const Recording rec = storage::read_recording(study_ / "s04" / "Handy Gehen");
  EXPECT_EQ(rec.attributes.at("import_format"), "phyphox export");
  ASSERT_EQ(rec.primary().size(), 500u);
  EXPECT_NEAR(rec.primary().acc[250].z(), 9.81, 1e-9);
  EXPECT_NEAR(rec.primary().gyr[250].y(), 0.25, 1e-9);
  expect_folder_recording("s04/Handy Gehen");
}

TEST_F(BatchTest, ShardsPartitionTheStudy) {
  EXPECT_THROW(parse_shard("0/4"), Error);
  EXPECT_THROW(parse_shard("5/4"), Error);
  EXPECT_THROW(parse_shard("x"), Error);
  const Shard s = parse_shard("2/3");
  EXPECT_EQ(s.index, 1);
  EXPECT_EQ(s.count, 3);
  const auto files = discover_recordings(study_);
  std::size_t total = 0;
  for (int i = 0; i < 3; ++i) total += select_shard(files, Shard{i, 3}).size();
  EXPECT_EQ(total, files.size());

  ::setenv("SLURM_ARRAY_TASK_ID", "7", 1);
  ::setenv("SLURM_ARRAY_TASK_MIN", "5", 1);
  ::setenv("SLURM_ARRAY_TASK_COUNT", "4", 1);
  Shard env_shard;
  ASSERT_TRUE(shard_from_environment(env_shard));
  EXPECT_EQ(env_shard.index, 2);
  EXPECT_EQ(env_shard.count, 4);
  ::setenv("SLURM_ARRAY_TASK_ID", "9", 1);
  EXPECT_THROW(shard_from_environment(env_shard), Error);
  ::unsetenv("SLURM_ARRAY_TASK_ID");
  ::unsetenv("SLURM_ARRAY_TASK_MIN");
  ::unsetenv("SLURM_ARRAY_TASK_COUNT");
  EXPECT_FALSE(shard_from_environment(env_shard));
}

TEST_F(BatchTest, BadFilesAreListedAndTheRestIsAnalysed) {
  const BatchReport r = run_batch(options("out", 2), fake_analysis);
  EXPECT_EQ(r.total, 6);
  EXPECT_EQ(r.analysed, 4);
  ASSERT_EQ(r.failures.size(), 2u);
  EXPECT_EQ(r.failures[0].id, "s02/empty.csv");
  EXPECT_EQ(r.failures[1].id, "s02/garbage.h5");
  for (const auto& f : r.failures) EXPECT_FALSE(f.reason.empty());
  const TextTable errors = read_csv(r.errors_table);
  ASSERT_EQ(errors.rows.size(), 2u);
  EXPECT_EQ(errors.rows[1][0], "s02/garbage.h5");

  const TextTable recs = read_csv(r.recordings_table);
  ASSERT_EQ(recs.rows.size(), 4u);
  EXPECT_EQ(recs.columns[0], "recording_id");
  EXPECT_EQ(recs.rows[0][0], "s01/run.csv");
  // Every row says which tool and which parameters made it.
  const auto col = [&](const std::string& name) {
    return std::find(recs.columns.begin(), recs.columns.end(), name) - recs.columns.begin();
  };
  ASSERT_LT(col("parameters_hash"), static_cast<long>(recs.columns.size()));
  ASSERT_LT(col("input_hash"), static_cast<long>(recs.columns.size()));
  ASSERT_LT(col("calibration.neutral_obliquity_deg"), static_cast<long>(recs.columns.size()));
  EXPECT_EQ(recs.rows[0][col("parameters_hash")].size(), 16u);
  EXPECT_EQ(recs.rows[0][col("calibration.neutral_obliquity_deg")], "0.25");
  const TextTable steps = read_csv(r.steps_table);
  EXPECT_EQ(steps.columns[0], "recording_id");
  EXPECT_EQ(steps.columns[1], "time_s");
  // 5 + 6 + 4 + 7 s of data -> 4 + 5 + 3 + 6 whole-second boundaries.
  EXPECT_EQ(steps.rows.size(), 18u);
  // Step-time asymmetry: per side .mean/.sd/.n and the index, leading, right after the drops.
  const long left_mean = col("step_time_left_s.mean"), index = col("step_time_asymmetry_pct");
  ASSERT_LT(index, static_cast<long>(recs.columns.size()));
  EXPECT_GT(left_mean, col("pelvic_drop_left_deg.sd"));
  EXPECT_EQ(col("step_time_left_s.sd"), left_mean + 1);
  EXPECT_EQ(col("step_time_left_s.n"), left_mean + 2);
  EXPECT_EQ(col("step_time_right_s.mean"), left_mean + 3);
  EXPECT_EQ(index, left_mean + 6);
  // Leading, not sorted in alphabetically after calibration.*.
  EXPECT_LT(index, col("calibration.neutral_obliquity_deg"));
  EXPECT_EQ(recs.rows[0][left_mean], "0.6");
  EXPECT_EQ(recs.rows[0][col("step_time_left_s.n")], "10");
  EXPECT_EQ(recs.rows[0][col("step_time_right_s.sd")], "0.01");
  EXPECT_EQ(recs.rows[0][index], "40");
  EXPECT_EQ(recs.rows[0][col("contact_time_asymmetry_pct")], "");  // null: an empty cell
  // Trend windows: one row each in minutes.csv, none as a JSON blob in recordings.csv.
  EXPECT_LT(col("trends.pelvic_drop_left_deg.per_10min"), static_cast<long>(recs.columns.size()));
  EXPECT_EQ(col("trends.windows"), static_cast<long>(recs.columns.size()));
  const TextTable minutes = read_csv(r.minutes_table);
  ASSERT_GE(minutes.columns.size(), 5u);
  EXPECT_EQ(minutes.columns[0], "recording_id");
  EXPECT_EQ(minutes.columns[1], "start_s");
  EXPECT_NE(std::find(minutes.columns.begin(), minutes.columns.end(), "pelvic_drop_left_deg.mean"),
            minutes.columns.end());
  // 5, 6, 4 and 7 s (minus the last sample's 1/50 s) in 2 s windows: 3 + 3 + 2 + 4.
  EXPECT_EQ(minutes.rows.size(), 12u);
  EXPECT_EQ(minutes.rows[0][0], "s01/run.csv");

  // The per-recording results file holds the same steps.
  const auto analysis = storage::read_analysis(root_ / "out" / "s02" / "walk.h5.results.h5");
  EXPECT_EQ(analysis.steps.size(), 6u);
  const auto csv_steps = storage::read_steps_csv(root_ / "out" / "s02" / "walk.h5.steps.csv");
  ASSERT_EQ(csv_steps.size(), analysis.steps.size());
  EXPECT_DOUBLE_EQ(csv_steps[3].pelvic_drop_deg, analysis.steps[3].pelvic_drop_deg);
}

TEST_F(BatchTest, TablesAreByteIdenticalWhateverTheJobCount) {
  const BatchReport one = run_batch(options("j1", 1), fake_analysis);
  const BatchReport four = run_batch(options("j4", 4), fake_analysis);
  EXPECT_EQ(slurp(one.recordings_table), slurp(four.recordings_table));
  EXPECT_EQ(slurp(one.steps_table), slurp(four.steps_table));
  EXPECT_EQ(slurp(one.errors_table), slurp(four.errors_table));
  EXPECT_EQ(slurp(one.minutes_table), slurp(four.minutes_table));
}

TEST_F(BatchTest, ResumeSkipsUpToDateAndRedoesChanged) {
  const BatchReport first = run_batch(options("out", 2), fake_analysis);
  const std::string first_steps = slurp(first.steps_table);
  const std::string tables = slurp(first.recordings_table) + first_steps;

  const BatchReport second = run_batch(options("out", 2), fake_analysis);
  EXPECT_EQ(second.analysed, 0);
  EXPECT_EQ(second.skipped, 4);
  EXPECT_EQ(second.failures.size(), 2u);  // failures are retried, and fail again
  EXPECT_EQ(slurp(second.recordings_table) + slurp(second.steps_table), tables);

  storage::write_recording(study_ / "s01" / "walk.h5", make_recording(6, 50, 42));
  const BatchReport third = run_batch(options("out", 2), fake_analysis);
  EXPECT_EQ(third.analysed, 1);
  EXPECT_EQ(third.skipped, 3);
  EXPECT_NE(slurp(third.steps_table), first_steps);  // same path: compare the text

  BatchOptions changed = options("out", 2);
  changed.parameters_key = R"({"activity":"walk"})";
  const BatchReport fourth = run_batch(changed, fake_analysis);
  EXPECT_EQ(fourth.analysed, 4);
  EXPECT_EQ(fourth.skipped, 0);
}

TEST_F(BatchTest, MergedShardsEqualOneRun) {
  const BatchReport whole = run_batch(options("whole", 1), fake_analysis);
  for (int i = 0; i < 3; ++i) {
    BatchOptions o = options("sharded", 2);
    o.shard = Shard{i, 3};
    run_batch(o, fake_analysis);
  }
  EXPECT_EQ(merge_shards(root_ / "sharded"), 3);
  EXPECT_EQ(slurp(root_ / "sharded" / "recordings.csv"), slurp(whole.recordings_table));
  EXPECT_EQ(slurp(root_ / "sharded" / "steps.csv"), slurp(whole.steps_table));
  EXPECT_EQ(slurp(root_ / "sharded" / "errors.csv"), slurp(whole.errors_table));
  EXPECT_EQ(slurp(root_ / "sharded" / "minutes.csv"), slurp(whole.minutes_table));

  // A shard written before the step-time columns existed (e.g. resumed from older results)
  // still merges: its rows get empty cells there, the others keep their values.
  const auto shard2 = root_ / "sharded" / "recordings.shard-2-of-3.csv";
  TextTable old_shard = read_csv(shard2);
  TextTable trimmed;
  std::vector<std::size_t> keep;
  for (std::size_t c = 0; c < old_shard.columns.size(); ++c)
    if (old_shard.columns[c].rfind("step_time_", 0) != 0) keep.push_back(c);
  for (std::size_t c : keep) trimmed.columns.push_back(old_shard.columns[c]);
  for (const auto& row : old_shard.rows) {
    trimmed.rows.emplace_back();
    for (std::size_t c : keep) trimmed.rows.back().push_back(row[c]);
  }
  ASSERT_LT(trimmed.columns.size(), old_shard.columns.size());
  ASSERT_FALSE(trimmed.rows.empty());
  write_text_atomic(shard2, format_csv(trimmed));
  EXPECT_EQ(merge_shards(root_ / "sharded"), 3);
  const TextTable merged = read_csv(root_ / "sharded" / "recordings.csv");
  const auto index =
      std::find(merged.columns.begin(), merged.columns.end(), "step_time_asymmetry_pct") -
      merged.columns.begin();
  ASSERT_LT(index, static_cast<long>(merged.columns.size()));
  int empty = 0, forty = 0;
  for (const auto& row : merged.rows) (row[index].empty() ? empty : forty) += 1;
  EXPECT_EQ(empty, static_cast<int>(trimmed.rows.size()));
  EXPECT_EQ(forty, static_cast<int>(merged.rows.size() - trimmed.rows.size()));

  std::filesystem::remove(root_ / "sharded" / "recordings.shard-2-of-3.csv");
  try {
    merge_shards(root_ / "sharded");
    FAIL() << "expected a missing-shard error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("shard 2 of 3 is missing"), std::string::npos);
  }
}

TEST_F(BatchTest, MergeTakesTheLatestSplitAfterAResubmissionWithAnotherArraySize) {
  const BatchReport whole = run_batch(options("whole", 1), fake_analysis);
  for (int i = 0; i < 3; ++i) {  // the first submission: an array of 3
    BatchOptions o = options("resub", 1);
    o.shard = Shard{i, 3};
    run_batch(o, fake_analysis);
  }
  // Its tables are older than the re-submission's (an array of 2) by a minute.
  const auto dir = root_ / "resub";
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().filename().string().find("-of-3.csv") != std::string::npos)
      std::filesystem::last_write_time(
          e.path(), std::filesystem::last_write_time(e.path()) - std::chrono::minutes(1));
  for (int i = 0; i < 2; ++i) {
    BatchOptions o = options("resub", 1);
    o.shard = Shard{i, 2};
    run_batch(o, fake_analysis);
  }
  std::vector<int> ignored;
  EXPECT_EQ(merge_shards(dir, &ignored), 2);
  EXPECT_EQ(ignored, std::vector<int>{3});
  EXPECT_EQ(slurp(dir / "recordings.csv"), slurp(whole.recordings_table));
  EXPECT_EQ(slurp(dir / "steps.csv"), slurp(whole.steps_table));
  EXPECT_TRUE(std::filesystem::exists(dir / "recordings.shard-1-of-3.csv"));  // left in place
  // The latest split incomplete (its second task failed): named, not mixed with the old one.
  std::filesystem::remove(dir / "recordings.shard-2-of-2.csv");
  try {
    merge_shards(dir);
    FAIL() << "expected a missing-shard error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("shard 2 of 2 is missing"), std::string::npos) << e.what();
  }
}

TEST_F(BatchTest, MergeAfterOneShardKeepsItsFinalTables) {
  // A job array of one task writes the final tables itself; the dependent merge then has
  // nothing to do and must neither fail nor touch them.
  BatchOptions o = options("one", 1);
  o.shard = Shard{0, 1};
  const BatchReport r = run_batch(o, fake_analysis);
  const std::string recordings = slurp(r.recordings_table), steps = slurp(r.steps_table);
  ASSERT_FALSE(recordings.empty());
  EXPECT_EQ(merge_shards(root_ / "one"), 0);
  EXPECT_EQ(slurp(root_ / "one" / "recordings.csv"), recordings);
  EXPECT_EQ(slurp(root_ / "one" / "steps.csv"), steps);
  std::filesystem::create_directories(root_ / "empty");
  try {
    merge_shards(root_ / "empty");
    FAIL() << "expected an error for a folder without tables";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no shard tables"), std::string::npos) << e.what();
  }
}

TEST(TextTableCsv, QuotesRoundTrip) {
  TextTable t{{"a", "b,c"}, {{"x\"y", "1\n2"}, {"", "plain"}}};
  const std::string text = format_csv(t);
  const TextTable back = parse_csv(text, "t");
  EXPECT_EQ(back.columns, t.columns);
  EXPECT_EQ(back.rows, t.rows);
  EXPECT_EQ(format_csv(back), text);
  EXPECT_THROW(parse_csv("a,b\n1,2,3\n", "bad.csv"), Error);
}

// The trends table always has the whole schema, in order: a window that lacks a figure (an
// older summary) gets an empty cell, a key the schema does not know goes last.
TEST(TrendsTable, ColumnsAreTheSchemaWhateverTheWindowsHold) {
  const auto summary = nlohmann::json::parse(R"({"trends": {"windows": [{"start_s": 60.0,
      "steps": 98, "pelvic_drop_left_deg": {"mean": 5.5, "sd": null, "n": 49},
      "zz_new_figure": 1.5}]}})");
  std::vector<NamedCells> rows;
  add_trend_rows(summary, {{"recording_id", "s01/walk.h5"}}, rows);
  add_trend_rows(nlohmann::json{{"steps", 0}}, {{"recording_id", "none.h5"}}, rows);  // no trends
  const TextTable t = trends_table(rows, {"recording_id"});
  ASSERT_EQ(t.columns.size(), 1 + trend_columns().size() + 1);
  EXPECT_EQ(t.columns.front(), "recording_id");
  EXPECT_TRUE(std::equal(trend_columns().begin(), trend_columns().end(), t.columns.begin() + 1));
  EXPECT_EQ(t.columns.back(), "zz_new_figure");
  EXPECT_EQ(trend_columns()[5], "pelvic_drop_left_deg.mean");
  ASSERT_EQ(t.rows.size(), 1u);
  const auto cell = [&](const std::string& name) {
    return t.rows[0][std::find(t.columns.begin(), t.columns.end(), name) - t.columns.begin()];
  };
  EXPECT_EQ(cell("recording_id"), "s01/walk.h5");
  EXPECT_EQ(cell("start_s"), "60");
  EXPECT_EQ(cell("steps"), "98");
  EXPECT_EQ(cell("pelvic_drop_left_deg.mean"), "5.5");
  EXPECT_EQ(cell("pelvic_drop_left_deg.sd"), "");
  EXPECT_EQ(cell("pelvic_drop_left_deg.n"), "49");
  EXPECT_EQ(cell("end_s"), "");
  EXPECT_EQ(cell("zz_new_figure"), "1.5");
  // Without any window the header is still complete (analyze of a recording without gait).
  EXPECT_EQ(trends_table({}).columns, trend_columns());
}

}  // namespace
}  // namespace stridelab::batch
