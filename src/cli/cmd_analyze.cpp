// `stridelab analyze REC`: per-step pelvic drop, trunk rotation, cadence and contact time from
// one pelvis IMU recording (HDF5 or CSV). Writes the steps table (CSV), the summary (JSON)
// and an /analysis group (HDF5), and prints a short summary. Bad input gives one clear line
// and a non-zero exit; a recording without gait gives an empty, flagged result.
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "cli/command.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/core/version.hpp"
#include "stridelab/dsp/analyzer.hpp"
#include "stridelab/dsp/summary_json.hpp"
#include "stridelab/storage/recording_io.hpp"
#include "stridelab/storage/results_io.hpp"

namespace stridelab::cli {
namespace {

struct AnalyzeOptions {
  std::string input, steps_csv, summary_json, out_h5;
  std::string activity = "auto";
  std::string sensor;
  std::string calibration;  // START:END, s
  std::string acc_unit = "auto", gyr_unit = "auto";
  double rate_hz = 0.0;
  double tau_acc_s = 3.0;
  bool quiet = false;
};

std::string mean_sd(const dsp::MeanSd& m, const char* unit, int digits = 1) {
  if (m.n == 0) return "n/a";
  if (!std::isfinite(m.sd)) return fmt::format("{:.{}f} {} (n={})", m.mean, digits, unit, m.n);
  return fmt::format("{:.{}f} ± {:.{}f} {} (n={})", m.mean, digits, m.sd, digits, unit, m.n);
}

const SensorData& pick_sensor(const Recording& rec, const std::string& name) {
  if (name.empty()) return rec.primary();
  for (const auto& s : rec.sensors)
    if (s.info.name == name) return s;
  throw Error("recording has no sensor named '" + name + "'");
}

void run(const AnalyzeOptions& o) {
  storage::CsvOptions csv;
  csv.acc_unit = o.acc_unit == "g"     ? storage::AccUnit::kG
                 : o.acc_unit == "ms2" ? storage::AccUnit::kMs2
                                       : storage::AccUnit::kAuto;
  csv.gyr_unit = o.gyr_unit == "dps"    ? storage::GyrUnit::kDps
                 : o.gyr_unit == "rads" ? storage::GyrUnit::kRads
                                        : storage::GyrUnit::kAuto;
  csv.rate_hz = o.rate_hz;
  const Recording rec = storage::read_recording(o.input, csv);
  const SensorData& s = pick_sensor(rec, o.sensor);
  s.validate();
  if (!s.info.has_gyr || s.gyr.size() != s.size())
    throw Error(o.input + ": sensor '" + s.info.name +
                "' has no gyroscope; the analysis needs angular rate");
  if (s.size() < 2) throw Error(o.input + ": too few samples (" + std::to_string(s.size()) + ")");

  dsp::AnalyzerParams p;
  p.rate_hz = s.info.nominal_rate_hz > 0 ? s.info.nominal_rate_hz : (s.size() - 1) / s.duration_s();
  p.acc_range_ms2 = s.info.acc_range_ms2;
  p.gyr_range_rads = s.info.gyr_range_rads;
  p.keep_angles = !o.out_h5.empty();
  p.orientation.tau_acc_s = o.tau_acc_s;
  if (o.activity == "walk") p.events.forced = dsp::Activity::kWalk;
  if (o.activity == "run") p.events.forced = dsp::Activity::kRun;
  if (!o.calibration.empty()) {
    const auto colon = o.calibration.find(':');
    try {
      if (colon == std::string::npos) throw std::exception();
      p.alignment.calibration_start_s = std::stod(o.calibration.substr(0, colon));
      p.alignment.calibration_end_s = std::stod(o.calibration.substr(colon + 1));
    } catch (const std::exception&) {
      throw Exit{kExitUsage,
                 "--calibration: expected START:END in seconds, got '" + o.calibration + "'"};
    }
    if (!(p.alignment.calibration_end_s > p.alignment.calibration_start_s))
      throw Exit{kExitUsage, "--calibration: END must be after START"};
  }

  // Gaps recorded in the file are honoured: the analyzer sees the time jump (nothing is
  // interpolated across it).
  dsp::Analyzer analyzer(p);
  std::vector<Step> steps;
  std::vector<dsp::AngleSample> angles;
  constexpr std::size_t kChunk = 4096;
  std::vector<ImuSample> buf;
  buf.reserve(kChunk);
  for (std::size_t i = 0; i < s.size(); i += kChunk) {
    buf.clear();
    for (std::size_t j = i; j < std::min(s.size(), i + kChunk); ++j) buf.push_back(s.sample(j));
    analyzer.update(buf.data(), buf.size());
    analyzer.take_steps(steps);
    analyzer.take_angles(angles);
  }
  analyzer.finish();
  analyzer.take_steps(steps);
  analyzer.take_angles(angles);
  const dsp::Summary sum = analyzer.summary();
  nlohmann::json summary = dsp::summary_to_json(sum, p);
  summary["input"] = o.input;
  summary["sensor"] = s.info.name;

  if (!o.steps_csv.empty()) storage::write_steps_csv(o.steps_csv, steps);
  if (!o.summary_json.empty()) {
    std::ofstream out(o.summary_json);
    if (!out) throw Error(o.summary_json + ": cannot open for writing");
    out << summary.dump(2) << "\n";
    if (!out) throw Error(o.summary_json + ": write failed");
  }
  if (!o.out_h5.empty()) {
    storage::AnalysisOutput a;
    a.steps = steps;
    for (const auto& x : angles) {
      a.angles.time_s.push_back(x.time_s);
      a.angles.obliquity_deg.push_back(x.obliquity_deg);
      a.angles.tilt_deg.push_back(x.tilt_deg);
      a.angles.rotation_deg.push_back(x.rotation_deg);
    }
    a.summary_json = summary.dump();
    a.calibration_json = dsp::to_json(sum.calibration).dump();
    a.parameters_json = dsp::to_json(p).dump();
    storage::write_analysis(o.out_h5, a);
  }

  if (o.quiet) return;
  std::cout << fmt::format("{}: {} steps, activity {}, sensor '{}'\n", o.input, sum.steps,
                           sum.activity, s.info.name);
  if (sum.steps > 0) {
    std::cout << fmt::format("  pelvic drop  left stance  {}\n",
                             mean_sd(sum.pelvic_drop_left_deg, "deg"));
    std::cout << fmt::format("  pelvic drop  right stance {}\n",
                             mean_sd(sum.pelvic_drop_right_deg, "deg"));
    std::cout << fmt::format("  trunk rotation            {}\n",
                             mean_sd(sum.trunk_rotation_deg, "deg"));
    std::cout << fmt::format("  cadence                   {}\n",
                             std::isfinite(sum.mean_cadence_spm)
                                 ? fmt::format("{:.1f} steps/min", sum.mean_cadence_spm)
                                 : std::string("n/a"));
    std::cout << fmt::format("  contact time              {}\n", mean_sd(sum.contact_time_s, "s", 3));
    std::cout << fmt::format("  good steps {} of {} (L {}, R {}), side confidence {:.2f}\n",
                             sum.good_steps, sum.steps, sum.left_steps, sum.right_steps,
                             sum.mean_side_confidence);
  }
  if (sum.calibration.valid)
    std::cout << fmt::format("  calibration: up from {}, anterior confidence {:.2f}\n",
                             sum.calibration.up_method, sum.calibration.anterior_confidence);
  for (const auto& w : sum.warnings) std::cout << "  warning: " << w << "\n";
}

}  // namespace

STRIDELAB_COMMAND("analyze", [](CLI::App& app) {
  auto o = std::make_shared<AnalyzeOptions>();
  auto* cmd = app.add_subcommand(
      "analyze", "Per-step pelvic drop (L/R), trunk rotation, cadence and contact time");
  cmd->add_option("REC", o->input, "Recording (.h5/.hdf5 or .csv)")->required();
  cmd->add_option("--steps-csv", o->steps_csv, "Write the steps table (CSV)");
  cmd->add_option("--summary-json", o->summary_json, "Write the summary (JSON)");
  cmd->add_option("--out", o->out_h5, "Write the /analysis group into this HDF5 file");
  cmd->add_option("--activity", o->activity, "auto, walk or run")
      ->check(CLI::IsMember({"auto", "walk", "run"}));
  cmd->add_option("--sensor", o->sensor, "Sensor name (default: the first pelvis sensor)");
  cmd->add_option("--calibration", o->calibration,
                  "Quiet standing period START:END in s (wins over automatic detection)");
  cmd->add_option("--acc-unit", o->acc_unit, "CSV accelerometer unit: auto, g, ms2")
      ->check(CLI::IsMember({"auto", "g", "ms2"}));
  cmd->add_option("--gyr-unit", o->gyr_unit, "CSV gyroscope unit: auto, dps, rads")
      ->check(CLI::IsMember({"auto", "dps", "rads"}));
  cmd->add_option("--rate", o->rate_hz, "CSV: sample rate in Hz (ignore the time column)");
  cmd->add_option("--tau-acc", o->tau_acc_s, "Orientation: accelerometer time constant, s")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--quiet", o->quiet, "Do not print the summary");
  cmd->callback([o] { run(*o); });
});

}  // namespace stridelab::cli
