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
#include <vector>

#include "batch/table.hpp"
#include "batch/trends_table.hpp"
#include "cli/command.hpp"
#include "cli/csv_input.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/core/version.hpp"
#include "stridelab/pipeline/analyze_recording.hpp"
#include "stridelab/storage/recording_io.hpp"
#include "stridelab/storage/results_io.hpp"

namespace stridelab::cli {
namespace {

struct AnalyzeOptions {
  std::string input, steps_csv, summary_json, out_h5;
  std::string activity = "auto";
  std::string sensor;
  std::string calibration;  // START:END, s
  std::string trends_csv;
  CsvInput csv;
  double tau_acc_s = 3.0;
  bool no_mag = false;
  bool quiet = false;
};

std::string mean_sd(const dsp::MeanSd& m, const char* unit, int digits = 1) {
  if (m.n == 0) return "n/a";
  if (!std::isfinite(m.sd)) return fmt::format("{:.{}f} {} (n={})", m.mean, digits, unit, m.n);
  return fmt::format("{:.{}f} ± {:.{}f} {} (n={})", m.mean, digits, m.sd, digits, unit, m.n);
}

// "L 0.600 s  R 0.400 s  asymmetry 40.0 %  (n = 12 L, 11 R)": a limp shows here first.
std::string sides(const dsp::MeanSd& left, const dsp::MeanSd& right, double asymmetry_pct) {
  const auto side = [](const dsp::MeanSd& m) {
    return std::isfinite(m.mean) ? fmt::format("{:.3f} s", m.mean) : std::string("n/a");
  };
  const std::string index =
      std::isfinite(asymmetry_pct)
          ? fmt::format("{:.1f} %", asymmetry_pct)
          : fmt::format("n/a (< {} steps a side)", dsp::SummaryAccumulator::kMinAsymmetrySteps);
  return fmt::format("L {}  R {}  asymmetry {}  (n = {} L, {} R)", side(left), side(right), index,
                     left.n, right.n);
}

std::string slope(const dsp::LinearTrend& l, const char* unit) {
  if (!std::isfinite(l.per_10min)) return "n/a";
  return fmt::format("{:+.2f} ± {:.2f} {} per 10 min (n={})", l.per_10min, l.se_per_10min, unit,
                     l.n);
}

void run(const AnalyzeOptions& o) {
  const Recording rec = storage::read_recording(o.input, o.csv.options());

  pipeline::AnalysisRequest req;
  req.activity = o.activity;
  req.sensor = o.sensor;
  req.tau_acc_s = o.tau_acc_s;
  req.use_magnetometer = !o.no_mag;
  req.keep_angles = !o.out_h5.empty();
  if (!o.calibration.empty()) {
    const auto colon = o.calibration.find(':');
    try {
      if (colon == std::string::npos) throw std::exception();
      req.calibration_start_s = std::stod(o.calibration.substr(0, colon));
      req.calibration_end_s = std::stod(o.calibration.substr(colon + 1));
    } catch (const std::exception&) {
      throw Exit{kExitUsage,
                 "--calibration: expected START:END in seconds, got '" + o.calibration + "'"};
    }
  }
  pipeline::AnalysisRun run;
  try {
    run = pipeline::analyze_recording(rec, req);  // the same code path as `stridelab batch`
  } catch (const Error& e) {
    throw Error(o.input + ": " + e.what());
  }
  run.summary_json["input"] = o.input;
  const dsp::Summary& sum = run.summary;

  if (!o.steps_csv.empty()) storage::write_steps_csv(o.steps_csv, run.steps);
  if (!o.summary_json.empty()) {
    std::ofstream out(o.summary_json);
    if (!out) throw Error(o.summary_json + ": cannot open for writing");
    out << run.summary_json.dump(2) << "\n";
    if (!out) throw Error(o.summary_json + ": write failed");
  }
  if (!o.out_h5.empty()) storage::write_analysis(o.out_h5, run.to_output());
  if (!o.trends_csv.empty()) {
    try {
      std::vector<batch::NamedCells> rows;  // the batch's minutes.csv without recording_id
      batch::add_trend_rows(run.summary_json, {}, rows);
      batch::write_text_atomic(o.trends_csv, batch::format_csv(batch::trends_table(rows)));
    } catch (const std::exception& e) {
      throw Error(o.trends_csv + ": cannot write the trends table (" + e.what() + ")");
    }
  }

  if (o.quiet) return;
  std::cout << fmt::format("{}: {} steps, activity {}, sensor '{}'\n", o.input, sum.steps,
                           sum.activity, run.sensor_name);
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
    std::cout << fmt::format("  contact time              {}\n",
                             mean_sd(sum.contact_time_s, "s", 3));
    std::cout << fmt::format(
        "  step time                 {}\n",
        sides(sum.step_time_left_s, sum.step_time_right_s, sum.step_time_asymmetry_pct));
    std::cout << fmt::format(
        "  contact time per side     {}\n",
        sides(sum.contact_time_left_s, sum.contact_time_right_s, sum.contact_time_asymmetry_pct));
    std::cout << fmt::format("  good steps {} of {} (L {}, R {}), side confidence {:.2f}\n",
                             sum.good_steps, sum.steps, sum.left_steps, sum.right_steps,
                             sum.mean_side_confidence);
  }
  // Long sessions: does drop grow late in the run? (slope over the good steps)
  if (sum.quality.end_s - sum.quality.start_s >= 600.0) {  // false for NaN
    std::cout << fmt::format("  trend: drop left {}\n",
                             slope(run.trends.pelvic_drop_left_deg, "deg"));
    std::cout << fmt::format("         drop right {}\n",
                             slope(run.trends.pelvic_drop_right_deg, "deg"));
    std::cout << fmt::format("         cadence {}\n", slope(run.trends.cadence_spm, "steps/min"));
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
  cmd->add_option("--trends-csv", o->trends_csv,
                  "Write per-minute trends (cadence, drop L/R, rotation, step time L/R) as CSV, "
                  "columns as the batch's minutes.csv");
  cmd->add_option("--activity", o->activity, "auto, walk or run")
      ->check(CLI::IsMember({"auto", "walk", "run"}));
  cmd->add_option("--sensor", o->sensor, "Sensor name (default: the first pelvis sensor)");
  cmd->add_option("--calibration", o->calibration,
                  "Quiet standing period START:END in s (wins over automatic detection)");
  add_csv_input_options(cmd, o->csv);
  cmd->add_option("--tau-acc", o->tau_acc_s, "Orientation: accelerometer time constant, s")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--no-mag", o->no_mag, "Ignore a magnetometer (6-axis heading)");
  cmd->add_flag("--quiet", o->quiet, "Do not print the summary");
  cmd->callback([o] { run(*o); });
});

}  // namespace stridelab::cli
