// Real recordings (walking, lower back): detected initial contacts vs reference events.
//  - mobilise_d_HA001: INDIP (foot IMUs + insoles) and Stereophoto (motion capture) events,
//    compared inside the reference walking bouts; cadence vs the bouts' reference cadence.
//  - skdh_lumbar: the events of another tool (scikit-digital-health), not ground truth.
// Each case prints its figures; the assertions are the targets of docs/ACCURACY.md or, where
// a target is not reached, the best figure reliably reached (the gap is documented there).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "accuracy/accuracy_common.hpp"
#include "stridelab/storage/recording_io.hpp"

using namespace stridelab;
using accuracy::RefContact;

namespace {

const std::string kReal = std::string(STRIDELAB_SOURCE_DIR) + "/recordings/real/";

// Minimal reader of the reference CSVs (header row, comma separated, no quoting).
std::vector<std::map<std::string, std::string>> read_table(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  std::stringstream hs(line);
  for (std::string h; std::getline(hs, h, ',');) header.push_back(h);
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(in, line)) {
    std::stringstream ls(line);
    std::map<std::string, std::string> row;
    std::size_t i = 0;
    for (std::string v; std::getline(ls, v, ',') && i < header.size(); ++i) row[header[i]] = v;
    rows.push_back(row);
  }
  return rows;
}

struct Bout {
  double start_s, end_s, cadence_spm;
};

struct RealCase {
  std::string name;
  std::vector<RefContact> ics;
  std::vector<Bout> bouts;
};

RealCase mobilise(const std::string& test, const std::string& system) {
  const std::string base = kReal + "mobilise_d_HA001/HA_001_" + test + "_ref_" + system;
  RealCase c;
  c.name = test + "/" + system;
  for (auto& r : read_table(base + "_events.csv"))
    if (r["event"] == "IC" && !r["t_s"].empty())
      c.ics.push_back({std::stod(r["t_s"]), side_from_string(r["side"])});
  for (auto& r : read_table(base + "_walkingbouts.csv"))
    if (!r["start_s"].empty() && !r["cadence_steps_per_min"].empty())
      c.bouts.push_back(
          {std::stod(r["start_s"]), std::stod(r["end_s"]), std::stod(r["cadence_steps_per_min"])});
  return c;
}

SensorData load(const std::string& file) {
  Recording rec = storage::read_recording(kReal + file);
  SensorData s = rec.primary();
  if (!(s.info.nominal_rate_hz > 0) && s.size() > 1)
    s.info.nominal_rate_hz = (s.size() - 1) / s.duration_s();
  return s;
}

struct RealFigures {
  accuracy::EventFigures events;
  double cadence_error_spm = 0;
  int bouts_with_cadence = 0;
};

RealFigures evaluate(const SensorData& s, const RealCase& ref) {
  const auto run = accuracy::analyze(s, accuracy::params_for(s));
  // Only detections inside the reference bouts (±0.3 s) count for precision.
  std::vector<Step> inside;
  for (const Step& st : run.steps)
    for (const Bout& b : ref.bouts)
      if (st.time_s >= b.start_s - 0.3 && st.time_s <= b.end_s + 0.3) {
        inside.push_back(st);
        break;
      }
  RealFigures f;
  f.events = accuracy::event_figures(ref.ics, inside, 0.1);
  for (const Bout& b : ref.bouts) {
    if (!(b.cadence_spm > 0)) continue;  // no reference cadence (skdh)
    double sum = 0;
    int n = 0;
    for (const Step& st : inside)
      if (st.time_s >= b.start_s && st.time_s < b.end_s && std::isfinite(st.step_time_s) &&
          !(st.flags & kFlagOutlier)) {
        sum += st.step_time_s;
        ++n;
      }
    if (n < 2) continue;
    f.cadence_error_spm += std::abs(60.0 * n / sum - b.cadence_spm);
    ++f.bouts_with_cadence;
  }
  if (f.bouts_with_cadence) f.cadence_error_spm /= f.bouts_with_cadence;
  std::printf(
      "%-24s ref %3d det %3d matched %3d recall %.3f precision %.3f |IC| %5.1f ms (bias %+5.1f) "
      "side %.3f (%d) cadence err %.2f spm over %d bouts; summary: %s, %d steps, calibration %s\n",
      ref.name.c_str(), f.events.reference, f.events.detected, f.events.matched, f.events.recall,
      f.events.precision, 1e3 * f.events.mean_abs_error_s, 1e3 * f.events.mean_error_s,
      f.events.side_accuracy, f.events.side_known, f.cadence_error_spm, f.bouts_with_cadence,
      run.summary.activity.c_str(), run.summary.steps, run.summary.calibration.up_method.c_str());
  return f;
}

}  // namespace

TEST(RealAccuracy, MobiliseTest5StraightWalking) {
  for (const char* trial : {"Test5_Trial1", "Test5_Trial2"}) {
    const SensorData s = load(std::string("mobilise_d_HA001/HA_001_") + trial + "_imu.csv");
    for (const char* system : {"INDIP", "Stereophoto"}) {
      const auto f = evaluate(s, mobilise(trial, system));
      EXPECT_GE(f.events.recall, 0.95);
      EXPECT_GE(f.events.precision, 0.95);
      EXPECT_GE(f.events.side_accuracy, 0.90);
      EXPECT_LE(f.cadence_error_spm, 3.0);
    }
  }
}

TEST(RealAccuracy, MobiliseTest11DailyLiving) {
  // Side agreement meets its target (>= 0.90). Recall/precision (target 0.90) and cadence
  // (target 3 spm) are NOT reached on this slow walk with many turns; asserted is the best
  // figure reliably reached, and docs/ACCURACY.md lists the gap.
  const SensorData s = load("mobilise_d_HA001/HA_001_Test11_Trial1_imu.csv");
  for (const char* system : {"INDIP", "Stereophoto"}) {
    const auto f = evaluate(s, mobilise("Test11_Trial1", system));
    EXPECT_GE(f.events.recall, 0.75);
    EXPECT_GE(f.events.precision, 0.78);
    EXPECT_GE(f.events.side_accuracy, 0.90);
    EXPECT_LE(f.cadence_error_spm, 6.0);
  }
}

TEST(RealAccuracy, SkdhLumbarAgainstAnotherTool) {
  const SensorData s = load("skdh_lumbar/gait_input2_acc_gyro_128hz.csv");
  for (const char* method : {"vcwt", "apcwt"}) {
    RealCase c;
    c.name = std::string("skdh/") + method;
    const auto rows =
        read_table(kReal + "skdh_lumbar/gait_input2_skdh_" + method + "_reference_events.csv");
    double first = 1e9, last = -1e9;
    for (auto r : rows) {
      const double t = std::stod(r["IC t_s"]);
      c.ics.push_back({t, Side::kUnknown});
      first = std::min(first, t);
      last = std::max(last, t);
    }
    c.bouts.push_back({first, last, 0.0});  // one span; no reference cadence per bout
    const auto f = evaluate(s, c);
    // Another tool's output: agreement, not accuracy.
    EXPECT_GE(f.events.recall, 0.85);
    EXPECT_GE(f.events.precision, 0.85);
  }
}
