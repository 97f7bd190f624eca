// Researchers read our files from Python: h5py (Debian python3-h5py) must see the documented
// layout and the same values, bit for bit. Skipped only if /usr/bin/python3 lacks h5py.
#include <nlohmann/json.hpp>

#include "storage_test_util.hpp"
#include "stridelab/storage/recording_io.hpp"
#include "stridelab/storage/recording_writer.hpp"
#include "stridelab/storage/results_io.hpp"
#include "support/process.hpp"

namespace stridelab::storage::test {
namespace {

constexpr const char* kPython = "/usr/bin/python3";

class PythonInterop : public ::testing::Test {
 protected:
  void SetUp() override {
    const stridelab::testing::ProcessResult r = stridelab::testing::run_process(
        {kPython, "-c", "import h5py, numpy; print(h5py.__version__)"});
    if (r.status != 0) GTEST_SKIP() << kPython << " cannot import h5py: " << r.output();
  }

  // Writes `script` to a file and runs it with the given file argument; parses its JSON output.
  nlohmann::json python(const std::string& script, const fs::path& arg) {
    write_text(dir_ / "script.py", script);
    const stridelab::testing::ProcessResult r =
        stridelab::testing::run_process({kPython, (dir_ / "script.py").string(), arg.string()});
    EXPECT_EQ(r.status, 0) << r.output();
    try {
      return nlohmann::json::parse(r.out);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "python output is not JSON: " << r.output();
      return {};
    }
  }

  ScratchDir dir_;
};

constexpr const char* kRecordingScript = R"PY(
import json, sys
import h5py
def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)
out = {}
with h5py.File(sys.argv[1], "r") as f:
    out["format"] = text(f.attrs["format"])
    out["format_version"] = int(f.attrs["format_version"])
    out["subject_id"] = text(f.attrs["subject_id"])
    out["protocol"] = text(f.attrs["protocol"])
    out["sensors"] = {}
    for name, g in f["sensors"].items():
        s = {"placement": text(g.attrs["placement"]),
             "nominal_rate_hz": float(g.attrs["nominal_rate_hz"]),
             "has_gyr": int(g.attrs["has_gyr"]),
             "time": [float(x) for x in g["time"][:]],
             "time_units": text(g["time"].attrs["units"]),
             "acc_shape": list(g["acc"].shape),
             "acc_units": text(g["acc"].attrs["units"]),
             "acc_row_10": [float(x) for x in g["acc"][10]],
             "gaps": [[int(r["index"]), float(r["start_s"]), float(r["end_s"]),
                       int(r["missing"]), r["cause"].decode()] for r in g["gaps"][:]]}
        if "gyr" in g:
            s["gyr_row_20"] = [float(x) for x in g["gyr"][20]]
        out["sensors"][name] = s
    if "analysis" in f:
        a = f["analysis"]
        st = a["steps"]
        out["analysis"] = {
            "summary": text(a.attrs["summary"]),
            "columns": text(st.attrs["columns"]),
            "time_s": [float(x) for x in st["time_s"][:]],
            "side": [x.decode() for x in st["side"][:]],
            "flags": [int(x) for x in st["flags"][:]],
            "pelvic_drop_deg": [None if x != x else float(x) for x in st["pelvic_drop_deg"][:]],
            "obliquity_deg": [float(x) for x in a["pelvis_angles/obliquity_deg"][:]],
        }
print(json.dumps(out))
)PY";

TEST_F(PythonInterop, H5pyReadsRecordingAndAnalysis) {
  const Recording rec = make_recording();
  const fs::path file = dir_ / "rec.h5";
  write_recording(file, rec);
  AnalysisOutput a;
  for (int i = 0; i < 6; ++i) {
    Step s;
    s.time_s = 1.0 + i * 0.55;
    s.side = i % 2 ? Side::kRight : Side::kLeft;
    s.pelvic_drop_deg = i == 3 ? kNotMeasured : 4.25 + i;
    s.flags = i == 3 ? (kFlagTurn | kFlagGap) : kFlagNone;
    a.steps.push_back(s);
    a.angles.time_s.push_back(i * 0.01);
    a.angles.obliquity_deg.push_back(0.1 * i - 0.3);
    a.angles.tilt_deg.push_back(10);
    a.angles.rotation_deg.push_back(0);
  }
  a.summary_json = R"({"steps": 6, "activity": "walk"})";
  write_analysis(file, a);

  const nlohmann::json py = python(kRecordingScript, file);
  ASSERT_TRUE(py.is_object());
  EXPECT_EQ(py["format"], "stridelab-recording");
  EXPECT_EQ(py["format_version"], 1);
  EXPECT_EQ(py["subject_id"], rec.subject_id);
  EXPECT_EQ(py["protocol"], rec.attributes.at("protocol"));
  for (const SensorData& s : rec.sensors) {
    SCOPED_TRACE(s.info.name);
    const auto& p = py["sensors"][s.info.name];
    EXPECT_EQ(p["placement"], to_string(s.info.placement));
    EXPECT_EQ(p["nominal_rate_hz"].get<double>(), s.info.nominal_rate_hz);
    EXPECT_EQ(p["has_gyr"].get<int>(), s.info.has_gyr ? 1 : 0);
    EXPECT_EQ(p["time"].get<std::vector<double>>(), s.time_s);
    EXPECT_EQ(p["time_units"], "s");
    EXPECT_EQ(p["acc_units"], "m/s^2");
    EXPECT_EQ(p["acc_shape"], (nlohmann::json{s.size(), 3}));
    const auto acc10 = p["acc_row_10"].get<std::vector<double>>();
    EXPECT_EQ(Vec3(acc10[0], acc10[1], acc10[2]), s.acc[10]);
    if (s.info.has_gyr) {
      const auto gyr20 = p["gyr_row_20"].get<std::vector<double>>();
      EXPECT_EQ(Vec3(gyr20[0], gyr20[1], gyr20[2]), s.gyr[20]);
    } else {
      EXPECT_FALSE(p.contains("gyr_row_20"));
    }
    ASSERT_EQ(p["gaps"].size(), s.gaps.size());
    for (std::size_t i = 0; i < s.gaps.size(); ++i) {
      EXPECT_EQ(p["gaps"][i][0].get<std::uint64_t>(), s.gaps[i].index);
      EXPECT_EQ(p["gaps"][i][1].get<double>(), s.gaps[i].start_s);
      EXPECT_EQ(p["gaps"][i][2].get<double>(), s.gaps[i].end_s);
      EXPECT_EQ(p["gaps"][i][3].get<std::uint64_t>(), s.gaps[i].missing);
      EXPECT_EQ(p["gaps"][i][4], s.gaps[i].cause);
    }
  }
  const auto& pa = py["analysis"];
  EXPECT_EQ(pa["summary"], a.summary_json);
  EXPECT_EQ(pa["columns"].get<std::string>().substr(0, 12), "time_s,side,");
  ASSERT_EQ(pa["time_s"].size(), a.steps.size());
  for (std::size_t i = 0; i < a.steps.size(); ++i) {
    EXPECT_EQ(pa["time_s"][i].get<double>(), a.steps[i].time_s);
    EXPECT_EQ(pa["side"][i], to_string(a.steps[i].side));
    EXPECT_EQ(pa["flags"][i].get<std::uint32_t>(), a.steps[i].flags);
    if (std::isnan(a.steps[i].pelvic_drop_deg))
      EXPECT_TRUE(pa["pelvic_drop_deg"][i].is_null());
    else
      EXPECT_EQ(pa["pelvic_drop_deg"][i].get<double>(), a.steps[i].pelvic_drop_deg);
  }
  EXPECT_EQ(pa["obliquity_deg"].get<std::vector<double>>(), a.angles.obliquity_deg);
}

TEST_F(PythonInterop, H5pyReadsAFileWhileItIsBeingRecorded) {
  // What docs/FILE_FORMAT.md tells Python users for a live or crashed recording: swmr=True.
  const Recording meta = make_recording();
  const SensorData& s = meta.sensors[0];
  RecordingWriter writer(dir_ / "live.h5", meta, {s.info});
  for (std::size_t i = 0; i < 1500; ++i) writer.append(0, s.sample(i), s.device_time_s[i]);
  writer.flush();
  const nlohmann::json py = python(R"PY(
import json, sys
import h5py
with h5py.File(sys.argv[1], "r", swmr=True) as f:
    t = f["sensors/pelvis/time"]
    print(json.dumps({"n": int(t.shape[0]), "last": float(t[-1])}))
)PY",
                                   dir_ / "live.h5");
  EXPECT_EQ(py["n"].get<std::size_t>(), 1500u);
  EXPECT_EQ(py["last"].get<double>(), s.time_s[1499]);
  writer.close();
}

}  // namespace
}  // namespace stridelab::storage::test
