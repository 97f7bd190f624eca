// Results files: steps CSV and the /analysis group, written and read back exactly.
#include "storage_test_util.hpp"
#include "stridelab/core/version.hpp"
#include "stridelab/storage/recording_io.hpp"
#include "stridelab/storage/results_io.hpp"

namespace stridelab::storage::test {
namespace {

std::vector<Step> sample_steps() {
  std::vector<Step> steps;
  for (int i = 0; i < 25; ++i) {
    Step s;
    s.time_s = 5.0 + i * 0.5437;
    s.side = i % 2 ? Side::kRight : Side::kLeft;
    s.side_confidence = 0.9 - i * 0.01;
    s.step_time_s = 0.5437 + i * 1e-4;
    s.cadence_spm = 60.0 / s.step_time_s;
    s.pelvic_drop_deg = 4.0 + 0.1 * i;
    s.trunk_rotation_deg = 9.5 - 0.05 * i;
    s.contact_time_s = 0.62;
    steps.push_back(s);
  }
  steps[0].flags = kFlagBoutEdge;
  steps[0].trunk_rotation_deg = kNotMeasured;
  steps[7].side = Side::kUnknown;
  steps[7].flags = kFlagLowSideConfidence | kFlagTurn;
  steps[7].pelvic_drop_deg = kNotMeasured;
  steps.back().step_time_s = kNotMeasured;
  steps.back().cadence_spm = kNotMeasured;
  steps.back().flags = kFlagBoutEdge | kFlagGap;
  return steps;
}

// NaN-aware exact equality.
void expect_same_double(double a, double b, const std::string& what) {
  if (std::isnan(a))
    EXPECT_TRUE(std::isnan(b)) << what;
  else
    EXPECT_EQ(a, b) << what;
}

void expect_same_steps(const std::vector<Step>& a, const std::vector<Step>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string at = "step " + std::to_string(i);
    expect_same_double(a[i].time_s, b[i].time_s, at + " time_s");
    EXPECT_EQ(a[i].side, b[i].side) << at;
    expect_same_double(a[i].side_confidence, b[i].side_confidence, at + " side_confidence");
    expect_same_double(a[i].step_time_s, b[i].step_time_s, at + " step_time_s");
    expect_same_double(a[i].cadence_spm, b[i].cadence_spm, at + " cadence_spm");
    expect_same_double(a[i].pelvic_drop_deg, b[i].pelvic_drop_deg, at + " pelvic_drop_deg");
    expect_same_double(a[i].trunk_rotation_deg, b[i].trunk_rotation_deg, at + " rotation");
    expect_same_double(a[i].contact_time_s, b[i].contact_time_s, at + " contact_time_s");
    EXPECT_EQ(a[i].flags, b[i].flags) << at;
  }
}

AnalysisOutput sample_analysis() {
  AnalysisOutput a;
  a.steps = sample_steps();
  for (int i = 0; i < 1000; ++i) {
    a.angles.time_s.push_back(i * 0.005);
    a.angles.obliquity_deg.push_back(3.0 * std::sin(i * 0.05));
    a.angles.tilt_deg.push_back(10.0 + std::cos(i * 0.1));
    a.angles.rotation_deg.push_back(-4.0 * std::sin(i * 0.025));
  }
  a.summary_json = R"({"activity":"walk","steps":25,"mean_cadence_spm":110.3})";
  a.calibration_json = R"({"neutral":"standing","obliquity_deg":0.4})";
  a.parameters_json = R"({"activity":"auto","min_step_s":0.25})";
  return a;
}

TEST(StepsCsv, HeaderFollowsStepColumnsAndCellsFollowTheContract) {
  const std::string text = format_steps_csv(sample_steps());
  std::string header;
  for (const auto& c : step_columns()) header += (header.empty() ? "" : ",") + c;
  EXPECT_EQ(text.substr(0, text.find('\n')), header);
  // Row of steps[7]: unknown side -> empty, NaN drop -> empty, flags by name.
  std::size_t pos = 0;
  for (int line = 0; line < 8; ++line) pos = text.find('\n', pos) + 1;
  const std::string row7 = text.substr(pos, text.find('\n', pos) - pos);
  EXPECT_NE(row7.find(",,"), std::string::npos) << row7;
  EXPECT_NE(row7.find("turn|low_side_confidence"), std::string::npos) << row7;
  EXPECT_EQ(text.find("nan"), std::string::npos);
}

TEST(StepsCsv, RoundTripIsExact) {
  ScratchDir dir;
  const auto steps = sample_steps();
  write_steps_csv(dir / "steps.csv", steps);
  expect_same_steps(steps, read_steps_csv(dir / "steps.csv"));
  write_steps_csv(dir / "none.csv", {});
  EXPECT_TRUE(read_steps_csv(dir / "none.csv").empty());
}

TEST(StepsCsv, StrictReaderNamesLineAndColumn) {
  const std::string good = format_steps_csv(sample_steps());
  const std::string header = good.substr(0, good.find('\n') + 1);
  auto err = [](const std::string& text) {
    return error_of([&] { parse_steps_csv(text, "s.csv"); });
  };
  expect_has(err("time,side\n1,L\n"), {"s.csv:1", "not a steps table"});
  expect_has(err(header + "1.0,L,0.5,120,4,9,0.6,\n"), {"s.csv:2", "expected 9 columns"});
  expect_has(err(header + "1.0,X,0.5,120,4,9,0.6,,0.9\n"), {"s.csv:2", "'side'", "not L, R"});
  expect_has(err(header + "1.0,L,abc,120,4,9,0.6,,0.9\n"), {"s.csv:2", "'step_time_s'"});
  expect_has(err(header + ",L,0.5,120,4,9,0.6,,0.9\n"), {"s.csv:2", "'time_s'", "empty"});
  expect_has(err(header + "1.0,L,0.5,120,4,9,0.6,wobble,0.9\n"), {"s.csv:2", "'flags'", "wobble"});
  expect_has(err(""), {"s.csv", "empty file"});
}

TEST(AnalysisH5, RoundTripInNewFile) {
  ScratchDir dir;
  const AnalysisOutput a = sample_analysis();
  EXPECT_FALSE(has_analysis(dir / "res.h5"));
  write_analysis(dir / "res.h5", a);
  EXPECT_TRUE(has_analysis(dir / "res.h5"));
  const AnalysisOutput b = read_analysis(dir / "res.h5");
  expect_same_steps(a.steps, b.steps);
  EXPECT_EQ(a.angles.time_s, b.angles.time_s);
  EXPECT_EQ(a.angles.obliquity_deg, b.angles.obliquity_deg);
  EXPECT_EQ(a.angles.tilt_deg, b.angles.tilt_deg);
  EXPECT_EQ(a.angles.rotation_deg, b.angles.rotation_deg);
  EXPECT_EQ(a.summary_json, b.summary_json);
  EXPECT_EQ(a.calibration_json, b.calibration_json);
  EXPECT_EQ(a.parameters_json, b.parameters_json);
  EXPECT_EQ(b.tool_version, std::string(version()));
}

TEST(AnalysisH5, AddedToRecordingAndReplacedOnRewrite) {
  ScratchDir dir;
  const Recording rec = make_recording();
  write_recording(dir / "rec.h5", rec);
  EXPECT_FALSE(has_analysis(dir / "rec.h5"));
  expect_has(error_of([&] { read_analysis(dir / "rec.h5"); }), {"rec.h5", "no /analysis group"});
  AnalysisOutput a = sample_analysis();
  write_analysis(dir / "rec.h5", a);
  a.steps.resize(3);
  a.summary_json = R"({"steps":3})";
  a.angles = {};
  write_analysis(dir / "rec.h5", a);  // replaces the first one
  const AnalysisOutput b = read_analysis(dir / "rec.h5");
  EXPECT_EQ(b.steps.size(), 3u);
  EXPECT_EQ(b.summary_json, a.summary_json);
  EXPECT_TRUE(b.angles.time_s.empty());
  expect_same_recording(rec, read_recording(dir / "rec.h5"));  // recording untouched
}

TEST(AnalysisH5, RefusesBadInputAndForeignFiles) {
  ScratchDir dir;
  AnalysisOutput a = sample_analysis();
  a.angles.tilt_deg.pop_back();
  expect_has(error_of([&] { write_analysis(dir / "x.h5", a); }), {"x.h5", "tilt_deg", "999"});
  write_text(dir / "text.h5", "just text, not HDF5\n");
  expect_has(error_of([&] { write_analysis(dir / "text.h5", sample_analysis()); }),
             {"text.h5", "not an HDF5 file"});
  EXPECT_EQ(read_text(dir / "text.h5"), "just text, not HDF5\n");  // left alone
  EXPECT_FALSE(has_analysis(dir / "text.h5"));
}

}  // namespace
}  // namespace stridelab::storage::test
