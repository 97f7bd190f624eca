// Recording → analysed session → report content. Every number comes from the analysis; this
// file only selects, copies and words things.
#include "stridelab/report/session.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "stridelab/core/version.hpp"

namespace stridelab::report {
namespace {

std::string sensor_description(const SensorInfo& info) {
  std::string out = info.name;
  if (!info.device_model.empty()) out += " · " + info.device_model;
  if (info.nominal_rate_hz > 0) {
    const double r = info.nominal_rate_hz;
    char buf[32];
    std::snprintf(buf, sizeof buf, std::abs(r - std::round(r)) < 1e-6 ? "%.0f Hz" : "%.2f Hz", r);
    out += std::string(" · ") + buf;
  }
  return out;
}

MeanSd copy(const dsp::MeanSd& v) {
  return MeanSd{v.mean, v.sd, v.n};
}

}  // namespace

SummaryFigures summary_figures(const dsp::Summary& s) {
  SummaryFigures f;
  f.activity = s.activity == "none" ? std::string("no gait found") : s.activity;
  f.steps = s.steps;
  f.mean_cadence_spm = s.mean_cadence_spm;
  f.pelvic_drop_left_deg = copy(s.pelvic_drop_left_deg);
  f.pelvic_drop_right_deg = copy(s.pelvic_drop_right_deg);
  f.trunk_rotation_deg = copy(s.trunk_rotation_deg);
  const int doubtful = s.steps - s.good_steps;
  if (doubtful > 0)
    f.quality_notes.push_back(std::to_string(doubtful) + " of " + std::to_string(s.steps) +
                              " steps are doubtful (turn, gap, unsure side or unusual timing) "
                              "and left out of the averages");
  for (const std::string& w : s.warnings) f.quality_notes.push_back(w);
  return f;
}

Session analyze_session(Recording recording, const std::filesystem::path& path,
                        const TimeRange& range) {
  Session session;
  session.path = path;
  session.range = range;
  pipeline::AnalysisRequest request;
  request.keep_angles = true;
  if (!std::isnan(range.from_s)) request.range_start_s = range.from_s;
  if (!std::isnan(range.to_s)) request.range_end_s = range.to_s;
  session.run = pipeline::analyze_recording(recording, request);
  session.figures = summary_figures(session.run.summary);
  session.recording = std::move(recording);
  return session;
}

ReportModel make_report_model(const Session& session) {
  ReportModel model;
  const Recording& rec = session.recording;
  model.session.subject_id = rec.subject_id;
  model.session.notes = rec.notes;
  model.session.date = rec.start_time_iso;
  model.session.file = session.path.filename().string();
  model.session.tool_version = std::string(version());
  const SensorData& sensor = pipeline::pick_sensor(rec, session.run.sensor_name);
  model.session.sensor = sensor_description(sensor.info);
  model.session.duration_s = sensor.duration_s();
  if (!session.range.whole() && sensor.size() > 0) {
    const double start = sensor.time_s.front(), end = sensor.time_s.back();
    model.session.range_from_s =
        std::isnan(session.range.from_s) ? start : std::max(start, session.range.from_s);
    model.session.range_to_s =
        std::isnan(session.range.to_s) ? end : std::min(end, session.range.to_s);
  }
  model.summary = session.figures;
  model.steps = session.run.steps;
  return model;
}

}  // namespace stridelab::report
