// `stridelab simulate` end to end: the files it writes read back through the storage library
// and equal what simulate() makes from the parameters recorded in the truth file. The bundled
// recordings in recordings/sim/ are checked the same way, so they cannot go stale unnoticed.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "stridelab/sim/simulator.hpp"
#include "stridelab/storage/recording_io.hpp"
#include "support/process.hpp"

namespace stridelab::sim {
namespace {

namespace fs = std::filesystem;

// Exit status of `stridelab ARGS`; ARGS are split at spaces (none of them holds one).
int run(const std::string& args) {
  std::istringstream in(args);
  std::vector<std::string> argv;
  for (std::string a; in >> a;) argv.push_back(a);
  return stridelab::testing::run_stridelab(argv).status;
}

// The recording equals a fresh simulation from the truth's parameters (to the precision the
// file format keeps).
void expect_matches_truth_params(const fs::path& rec_path, const fs::path& truth_path) {
  const Recording rec = storage::read_recording(rec_path);
  const Truth truth = read_truth_json(truth_path);
  const SimResult fresh = simulate(truth.params);
  const SensorData& a = rec.primary();
  const SensorData& b = fresh.recording.sensors[0];
  ASSERT_EQ(a.size(), b.size()) << rec_path;
  double worst_t = 0.0, worst_acc = 0.0, worst_gyr = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    worst_t = std::max(worst_t, std::abs(a.time_s[i] - b.time_s[i]));
    worst_acc = std::max(worst_acc, (a.acc[i] - b.acc[i]).cwiseAbs().maxCoeff());
    worst_gyr = std::max(worst_gyr, (a.gyr[i] - b.gyr[i]).cwiseAbs().maxCoeff());
  }
  EXPECT_LT(worst_t, 1e-9) << rec_path;
  EXPECT_LT(worst_acc, 1e-6) << rec_path;
  EXPECT_LT(worst_gyr, 1e-9) << rec_path;
  ASSERT_EQ(truth.steps.size(), fresh.truth.steps.size());
  for (std::size_t k = 0; k < truth.steps.size(); ++k) {
    EXPECT_NEAR(truth.steps[k].time_s, fresh.truth.steps[k].time_s, 1e-12);
    EXPECT_NEAR(truth.steps[k].pelvic_drop_deg, fresh.truth.steps[k].pelvic_drop_deg, 1e-12);
  }
}

TEST(SimulateCli, WritesRecordingAndTruthThatReproduce) {
  const fs::path dir = fs::temp_directory_path() / "stridelab_sim_cli";
  fs::create_directories(dir);
  for (const std::string ext : {"csv", "h5"}) {
    const fs::path rec = dir / ("walk." + ext), truth = dir / ("walk_" + ext + ".json");
    ASSERT_EQ(run("simulate --activity run --duration 20 --rate 150 --mount tilted "
                  "--noise high --drop-left 3 --drop-right 6 --turns 5:90,12:-45:3 "
                  "--dropouts 4 --lever-arm=-0.1,0.02,0.05 --seed 77 --out " +
                  rec.string() + " --truth " + truth.string()),
              0);
    expect_matches_truth_params(rec, truth);
    const Truth t = read_truth_json(truth);
    EXPECT_EQ(t.params.turns.size(), 2u);
    EXPECT_EQ(t.params.turns[1].duration_s, 3.0);
    EXPECT_EQ(t.params.lever_arm_m, Vec3(-0.1, 0.02, 0.05));
    EXPECT_EQ(t.activity, Activity::kRun);
    if (ext == "h5") {
      EXPECT_GT(storage::read_recording(rec).primary().gaps.size(), 0u);  // kept in HDF5
    }
  }
  // Bad command lines fail with a usage error and write nothing.
  EXPECT_EQ(run("simulate --activity swim --out " + (dir / "x.h5").string()), 64);
  EXPECT_EQ(run("simulate --activity walk --mount sideways --out " + (dir / "x.h5").string()), 64);
  EXPECT_EQ(run("simulate --activity walk --turns 3:x --out " + (dir / "x.h5").string()), 64);
  EXPECT_EQ(run("simulate --activity walk --cadence 900 --out " + (dir / "x.h5").string()), 1);
  EXPECT_EQ(run("simulate --activity walk --out " + (dir / "x.txt").string()), 1);
  EXPECT_FALSE(fs::exists(dir / "x.h5"));
  fs::remove_all(dir);
}

// Gait variety from the command line: a preset, options that win over it, pauses and bouts.
TEST(SimulateCli, GaitPresetsPausesAndBouts) {
  const fs::path dir = fs::temp_directory_path() / "stridelab_sim_cli_variety";
  fs::create_directories(dir);
  const fs::path rec = dir / "limp.csv", truth = dir / "limp.json";
  ASSERT_EQ(run("simulate --activity walk --duration 30 --gait-preset limp --step-time-ratio 2 "
                "--cadence 60 --pauses 12:2:90 --start-step 1.5 --impact-scale 0.5 --seed 5 "
                "--out " +
                rec.string() + " --truth " + truth.string()),
            0);
  expect_matches_truth_params(rec, truth);
  const Truth t = read_truth_json(truth);
  EXPECT_EQ(t.params.step_time_ratio, 2.0);  // the option wins over the preset's 1.5
  EXPECT_EQ(t.params.loading_right, 0.7);    // from the preset
  EXPECT_EQ(t.params.cadence_spm, 60.0);
  EXPECT_NEAR(t.params.speed_ms, 1.3 * (60.0 / 90.0) * (60.0 / 90.0), 1e-12);
  EXPECT_EQ(t.params.start_step_factor, 1.5);
  EXPECT_EQ(t.params.impact_scale, 0.5);
  ASSERT_EQ(t.params.pauses.size(), 1u);
  EXPECT_EQ(t.params.pauses[0].angle_deg, 90.0);
  EXPECT_EQ(t.steps.back().bout, 1);

  const fs::path rec2 = dir / "bouts.h5", truth2 = dir / "bouts.json";
  ASSERT_EQ(run("simulate --activity walk --bouts 3:2:180,2:1.5,2 --out " + rec2.string() +
                " --truth " + truth2.string()),
            0);
  expect_matches_truth_params(rec2, truth2);
  const Truth t2 = read_truth_json(truth2);
  ASSERT_EQ(t2.params.bouts.size(), 3u);
  EXPECT_EQ(t2.params.bouts[0].turn_after_deg, 180.0);
  EXPECT_EQ(t2.params.bouts[1].pause_after_s, 1.5);
  EXPECT_EQ(t2.steps.size(), 7u);

  const std::string x = " --out " + (dir / "x.h5").string();
  EXPECT_EQ(run("simulate --activity walk --gait-preset moonwalk" + x), 64);
  EXPECT_EQ(run("simulate --activity walk --pauses 10" + x), 64);
  EXPECT_EQ(run("simulate --activity walk --bouts 1:2" + x), 64);
  EXPECT_EQ(run("simulate --activity walk --step-time-ratio 5" + x), 1);
  EXPECT_FALSE(fs::exists(dir / "x.h5"));
  fs::remove_all(dir);
}

TEST(BundledRecordings, MatchTheParametersInTheirTruth) {
  const fs::path dir = fs::path(STRIDELAB_SOURCE_DIR) / "recordings" / "sim";
  for (const std::string name : {"walk_200hz.h5", "walk_100hz.csv", "run_200hz.h5"}) {
    const fs::path rec = dir / name;
    const fs::path truth = dir / (rec.stem().string() + ".truth.json");
    ASSERT_TRUE(fs::exists(rec)) << rec;
    ASSERT_TRUE(fs::exists(truth)) << truth;
    EXPECT_LT(fs::file_size(rec), 2u * 1024 * 1024) << rec;
    expect_matches_truth_params(rec, truth);
  }
}

}  // namespace
}  // namespace stridelab::sim
