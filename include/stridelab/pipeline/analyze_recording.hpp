#pragma once
// One call from a loaded recording to everything an analysis run stores: the glue shared by
// `stridelab analyze`, `stridelab batch`, the report and the studio, so they all give the
// same numbers for the same input. The streaming dsp::Analyzer does the work.
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stridelab/core/types.hpp"
#include "stridelab/dsp/analyzer.hpp"
#include "stridelab/storage/results_io.hpp"

namespace stridelab::pipeline {

struct AnalysisRequest {
  std::string activity = "auto";  // auto, walk or run
  std::string sensor;             // sensor name; empty = the first pelvis sensor
  double calibration_start_s = std::numeric_limits<double>::quiet_NaN();  // quiet standing, s
  double calibration_end_s = std::numeric_limits<double>::quiet_NaN();
  double tau_acc_s = 3.0;  // orientation: accelerometer time constant, s
  double range_start_s = -std::numeric_limits<double>::infinity();  // analyse only this span
  double range_end_s = std::numeric_limits<double>::infinity();
  bool keep_angles = true;       // collect per-sample pelvis angles
  bool use_magnetometer = true;  // 9-axis heading when the sensor has a magnetometer
};

struct AnalysisRun {
  std::string sensor_name;
  dsp::AnalyzerParams params;
  std::vector<Step> steps;
  std::vector<dsp::AngleSample> angles;
  dsp::Summary summary;
  dsp::Trends trends;           // per-minute windows and per-10-minute slopes
  nlohmann::json summary_json;  // DESIGN.md "Summary", with tool version and parameters
  nlohmann::json calibration_json;
  nlohmann::json parameters_json;

  storage::AnalysisOutput to_output() const;  // what storage::write_analysis takes
};

// The sensor named in the request (or the primary one). Throws Error if absent.
const SensorData& pick_sensor(const Recording& rec, const std::string& name);
// Analyzer parameters for a sensor and a request (validated; throws Error on bad values).
dsp::AnalyzerParams make_params(const SensorData& sensor, const AnalysisRequest& request);
// Runs the whole analysis. Throws Error for input it cannot analyse (no gyroscope, too few
// samples, bad times); a recording without gait gives an empty, flagged result.
AnalysisRun analyze_recording(const Recording& rec, const AnalysisRequest& request);

}  // namespace stridelab::pipeline
