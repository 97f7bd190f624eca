// `stridelab info` and `stridelab convert`, run as the built binary.
#include <nlohmann/json.hpp>

#include "storage_test_util.hpp"
#include "stridelab/storage/recording_io.hpp"
#include "support/process.hpp"

namespace stridelab::storage::test {
namespace {

using stridelab::testing::ProcessResult;
using stridelab::testing::run_stridelab;

std::size_t data_lines(const fs::path& csv) {
  const std::string text = read_text(csv);
  std::size_t lines = 0;
  for (char c : text) lines += c == '\n';
  return lines - 1;  // minus the header (the files end with a newline)
}

TEST(CliStorage, InfoPrintsSampleCountOfBundledRecording) {
  const fs::path csv = mobilise_walk();
  const std::size_t rows = data_lines(csv);
  ASSERT_GT(rows, 1000u);
  const ProcessResult text = run_stridelab({"info", csv.string()});
  ASSERT_EQ(text.status, 0) << text.output();
  EXPECT_NE(text.out.find("samples:       " + std::to_string(rows) + "\n"), std::string::npos)
      << text.output();
  EXPECT_NE(text.out.find("nominal 100 Hz"), std::string::npos) << text.output();

  const ProcessResult json = run_stridelab({"info", "--json", csv.string()});
  ASSERT_EQ(json.status, 0) << json.output();
  const auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["sensors"][0]["samples"].get<std::size_t>(), rows);
  EXPECT_EQ(j["sensors"][0]["has_gyr"], true);
  EXPECT_NEAR(j["sensors"][0]["measured_rate_hz"].get<double>(), 100.0, 0.01);
  EXPECT_TRUE(j["analysis"].is_null());
}

TEST(CliStorage, InfoShowsGapsSensorsAndMetadataOfHdf5) {
  ScratchDir dir;
  const Recording rec = make_recording();
  write_recording(dir / "rec.h5", rec);
  const ProcessResult r = run_stridelab({"info", "--json", (dir / "rec.h5").string()});
  ASSERT_EQ(r.status, 0) << r.output();
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["subject_id"], rec.subject_id);
  EXPECT_EQ(j["format"], "HDF5, stridelab-recording format 1");
  ASSERT_EQ(j["sensors"].size(), 2u);
  const auto& g = j["sensors"][0]["gaps"];
  EXPECT_EQ(g["count"].get<std::size_t>(), rec.sensors[0].gaps.size());
  EXPECT_EQ(g["missing"].get<std::uint64_t>(),
            rec.sensors[0].gaps[0].missing + rec.sensors[0].gaps[1].missing);
  EXPECT_DOUBLE_EQ(g["longest_s"].get<double>(),
                   rec.sensors[0].gaps[1].end_s - rec.sensors[0].gaps[1].start_s);
  EXPECT_EQ(j["sensors"][1]["has_gyr"], false);
  EXPECT_EQ(j["sensors"][1]["samples"].get<std::size_t>(), rec.sensors[1].size());
}

TEST(CliStorage, ConvertCsvToHdf5ToCsvKeepsSamples) {
  ScratchDir dir;
  const Recording original = read_recording(skdh_lumbar());
  ProcessResult r = run_stridelab({"convert", skdh_lumbar().string(), (dir / "a.h5").string()});
  ASSERT_EQ(r.status, 0) << r.output();
  EXPECT_NE(r.output().find("5719 samples"), std::string::npos) << r.output();
  r = run_stridelab({"convert", (dir / "a.h5").string(), (dir / "b.csv").string()});
  ASSERT_EQ(r.status, 0) << r.output();
  const Recording back = read_recording(dir / "b.csv");
  ASSERT_EQ(back.sensors.size(), 1u);
  EXPECT_EQ(back.sensors[0].time_s, original.sensors[0].time_s);
  expect_same_vec3(back.sensors[0].acc, original.sensors[0].acc, "acc");
  expect_same_vec3(back.sensors[0].gyr, original.sensors[0].gyr, "gyr");
}

TEST(CliStorage, ConvertOptionsOverrideUnitsAndPickSensors) {
  ScratchDir dir;
  // Unsuffixed columns holding g: refused, then accepted with --acc-unit g.
  std::string text = "t,acc_x,acc_y,acc_z\n";
  for (int i = 0; i < 200; ++i)
    text += std::to_string(i * 0.01) + ",0.01,0.02," + std::to_string(1.0 + 0.1 * (i % 7)) + "\n";
  write_text(dir / "g.csv", text);
  ProcessResult r = run_stridelab({"convert", (dir / "g.csv").string(), (dir / "g.h5").string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("--acc-unit g"), std::string::npos) << r.err;
  r = run_stridelab(
      {"convert", "--acc-unit", "g", (dir / "g.csv").string(), (dir / "g.h5").string()});
  ASSERT_EQ(r.status, 0) << r.output();
  EXPECT_NEAR(read_recording(dir / "g.h5").sensors[0].acc[0].z(), kGravity, 1e-9);
  // --rate ignores the time column.
  r = run_stridelab({"convert", "--acc-unit", "g", "--rate", "50", (dir / "g.csv").string(),
                     (dir / "r.h5").string()});
  ASSERT_EQ(r.status, 0) << r.output();
  EXPECT_DOUBLE_EQ(read_recording(dir / "r.h5").sensors[0].time_s[1], 0.02);

  write_recording(dir / "two.h5", make_recording());
  r = run_stridelab({"convert", (dir / "two.h5").string(), (dir / "two.csv").string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("--sensor"), std::string::npos) << r.err;
  r = run_stridelab(
      {"convert", "--sensor", "trunk", (dir / "two.h5").string(), (dir / "two.csv").string()});
  ASSERT_EQ(r.status, 0) << r.output();
  EXPECT_EQ(read_recording(dir / "two.csv").sensors[0].size(), make_recording().sensors[1].size());
}

TEST(CliStorage, BadFilesGiveOneLineErrorAndNonZeroExit) {
  ScratchDir dir;
  write_text(dir / "bad.h5", std::string("\x89HDF\r\n\x1a\n garbage after a valid signature", 40));
  write_text(dir / "bad.csv", "time,acc_x,acc_y,acc_z\n0,0,0,9.8\n0.01,0,zz,9.8\n");
  const auto path = [&](const char* name) { return (dir / name).string(); };
  for (const auto& [args, must_name] :
       std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"info", path("bad.h5")}, "bad.h5"},
           {{"info", path("bad.csv")}, "bad.csv:3"},
           {{"info", path("missing.h5")}, "missing.h5"},
           {{"convert", path("bad.csv"), path("o.h5")}, "bad.csv:3"},
           {{"convert", path("bad.h5"), path("o.csv")}, "bad.h5"}}) {
    SCOPED_TRACE(args[0] + " " + args[1]);
    const ProcessResult r = run_stridelab(args);
    EXPECT_NE(r.status, 0);
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind("stridelab: error: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(must_name), std::string::npos) << r.err;
  }
  EXPECT_FALSE(fs::exists(dir / "o.h5"));
  EXPECT_FALSE(fs::exists(dir / "o.csv"));
}

}  // namespace
}  // namespace stridelab::storage::test
