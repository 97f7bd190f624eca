#include "stridelab/pipeline/analyze_recording.hpp"

#include <algorithm>
#include <cmath>

#include "stridelab/core/error.hpp"
#include "stridelab/core/version.hpp"
#include "stridelab/dsp/summary_json.hpp"

namespace stridelab::pipeline {

const SensorData& pick_sensor(const Recording& rec, const std::string& name) {
  if (name.empty()) return rec.primary();
  for (const auto& s : rec.sensors)
    if (s.info.name == name) return s;
  std::string names;
  for (const auto& s : rec.sensors) names += (names.empty() ? "" : ", ") + s.info.name;
  throw Error("recording has no sensor named '" + name + "' (it has: " + names + ")");
}

dsp::AnalyzerParams make_params(const SensorData& s, const AnalysisRequest& r) {
  dsp::AnalyzerParams p;
  p.rate_hz = s.info.nominal_rate_hz > 0 ? s.info.nominal_rate_hz
                                         : static_cast<double>(s.size() - 1) / s.duration_s();
  if (!(p.rate_hz > 0) || !std::isfinite(p.rate_hz))
    throw Error("sensor '" + s.info.name + "': cannot tell the sample rate");
  p.acc_range_ms2 = s.info.acc_range_ms2;
  p.gyr_range_rads = s.info.gyr_range_rads;
  p.keep_angles = r.keep_angles;
  p.use_magnetometer = s.info.has_mag && s.mag.size() == s.size() && r.use_magnetometer;
  if (!(r.tau_acc_s > 0)) throw Error("tau_acc must be > 0 s");
  p.orientation.tau_acc_s = r.tau_acc_s;
  if (r.activity == "walk")
    p.events.forced = dsp::Activity::kWalk;
  else if (r.activity == "run")
    p.events.forced = dsp::Activity::kRun;
  else if (r.activity != "auto")
    throw Error("activity '" + r.activity + "': expected auto, walk or run");
  const bool has_start = std::isfinite(r.calibration_start_s);
  const bool has_end = std::isfinite(r.calibration_end_s);
  if (has_start != has_end) throw Error("calibration period needs both START and END");
  if (has_start) {
    if (!(r.calibration_end_s > r.calibration_start_s))
      throw Error("calibration period: END must be after START");
    p.alignment.calibration_start_s = r.calibration_start_s;
    p.alignment.calibration_end_s = r.calibration_end_s;
  }
  return p;
}

storage::AnalysisOutput AnalysisRun::to_output() const {
  storage::AnalysisOutput a;
  a.steps = steps;
  a.angles.time_s.reserve(angles.size());
  for (const auto& x : angles) {
    a.angles.time_s.push_back(x.time_s);
    a.angles.obliquity_deg.push_back(x.obliquity_deg);
    a.angles.tilt_deg.push_back(x.tilt_deg);
    a.angles.rotation_deg.push_back(x.rotation_deg);
  }
  a.summary_json = summary_json.dump();
  a.calibration_json = calibration_json.dump();
  a.parameters_json = parameters_json.dump();
  a.tool_version = std::string(version());
  return a;
}

AnalysisRun analyze_recording(const Recording& rec, const AnalysisRequest& request) {
  const SensorData& s = pick_sensor(rec, request.sensor);
  s.validate();
  if (!s.info.has_gyr || s.gyr.size() != s.size())
    throw Error("sensor '" + s.info.name + "' has no gyroscope; the analysis needs angular rate");
  if (s.size() < 2) throw Error("too few samples (" + std::to_string(s.size()) + ")");

  AnalysisRun run;
  run.sensor_name = s.info.name;
  run.params = make_params(s, request);
  dsp::Analyzer analyzer(run.params);
  // Gaps recorded in the file stay gaps: the analyzer sees the time jump, nothing is
  // interpolated across it.
  constexpr std::size_t kChunk = 4096;
  std::vector<ImuSample> chunk;
  chunk.reserve(kChunk);
  const auto first = std::lower_bound(s.time_s.begin(), s.time_s.end(), request.range_start_s);
  const auto last = std::upper_bound(first, s.time_s.end(), request.range_end_s);
  const std::size_t begin = static_cast<std::size_t>(first - s.time_s.begin());
  const std::size_t end = static_cast<std::size_t>(last - s.time_s.begin());
  if (end - begin < 2) throw Error("the selected time range holds fewer than 2 samples");
  for (std::size_t i = begin; i < end; i += kChunk) {
    chunk.clear();
    for (std::size_t j = i; j < std::min(end, i + kChunk); ++j) chunk.push_back(s.sample(j));
    analyzer.update(chunk.data(), chunk.size());
    analyzer.take_steps(run.steps);
    analyzer.take_angles(run.angles);
  }
  analyzer.finish();
  analyzer.take_steps(run.steps);
  analyzer.take_angles(run.angles);
  run.summary = analyzer.summary();
  run.summary_json = dsp::summary_to_json(run.summary, run.params);
  run.summary_json["sensor"] = s.info.name;
  run.trends = analyzer.trends();
  run.summary_json["trends"] = dsp::to_json(run.trends, run.params.trends);
  run.calibration_json = dsp::to_json(run.summary.calibration);
  run.parameters_json = dsp::to_json(run.params);
  return run;
}

}  // namespace stridelab::pipeline
