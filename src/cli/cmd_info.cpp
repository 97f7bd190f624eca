// `stridelab info FILE [--json]`: what a recording holds — per sensor placement, samples,
// duration, nominal and measured rate, channels, gaps, ranges — plus the root metadata and
// whether an /analysis group is stored with it. Works on every format read_recording() reads
// (the format line names it; the device line names the sensor).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/csv_input.hpp"
#include "stridelab/storage/recording_io.hpp"
#include "stridelab/storage/recording_summary.hpp"
#include "stridelab/storage/results_io.hpp"

namespace stridelab::cli {
namespace {

struct InfoOptions {
  std::string file;
  bool json = false;
  CsvInput csv;
};

struct GapStats {
  std::size_t count = 0;
  std::uint64_t missing = 0;
  double longest_s = 0.0;
  double total_s = 0.0;
};

GapStats gap_stats(const storage::SensorSummary& s) {
  GapStats g;
  g.count = s.gaps.size();
  for (const Gap& gap : s.gaps) {
    g.missing += gap.missing;
    g.longest_s = std::max(g.longest_s, gap.end_s - gap.start_s);
    g.total_s += gap.end_s - gap.start_s;
  }
  return g;
}

// Rate from the sample intervals that do not span a gap, Hz (0 if there are none).
double measured_rate_hz(const storage::SensorSummary& s, const GapStats& g) {
  if (s.samples < 2) return 0.0;
  const double intervals = static_cast<double>(s.samples - 1) - static_cast<double>(g.count);
  const double span = s.duration_s() - g.total_s;
  return intervals > 0 && span > 0 ? intervals / span : 0.0;
}

nlohmann::json sensor_json(const storage::SensorSummary& s) {
  const GapStats g = gap_stats(s);
  return {{"name", s.info.name},
          {"placement", to_string(s.info.placement)},
          {"samples", s.samples},
          {"duration_s", s.duration_s()},
          {"nominal_rate_hz", s.info.nominal_rate_hz},
          {"measured_rate_hz", measured_rate_hz(s, g)},
          {"has_gyr", s.info.has_gyr},
          {"has_mag", s.info.has_mag},
          {"device_model", s.info.device_model},
          {"device_id", s.info.device_id},
          {"firmware", s.info.firmware},
          {"gaps", {{"count", g.count}, {"missing", g.missing}, {"longest_s", g.longest_s}}},
          {"acc_range_ms2", s.info.acc_range_ms2},
          {"gyr_range_rads", s.info.gyr_range_rads},
          {"acc_max_abs_ms2", s.acc_max_abs_ms2},
          {"gyr_max_abs_rads", s.info.has_gyr ? nlohmann::json(s.gyr_max_abs_rads) : nullptr}};
}

void print_text(const nlohmann::json& j) {
  auto line = [](const char* key, const std::string& value) {
    if (!value.empty()) std::cout << fmt::format("  {:<14} {}\n", key, value);
  };
  std::cout << j["file"].get<std::string>() << "\n";
  line("format:", j["format"].get<std::string>());
  for (const char* key : {"subject_id", "start_time", "source", "tool_version", "notes"})
    line((std::string(key) + ":").c_str(), j[key].get<std::string>());
  for (const auto& [key, value] : j["attributes"].items())
    line((key + ":").c_str(), value.get<std::string>());
  const auto& a = j["analysis"];
  line("analysis:", a.is_null()
                        ? "none"
                        : fmt::format("{} steps (stridelab {})", a["steps"].get<std::size_t>(),
                                      a["tool_version"].get<std::string>()));
  for (const auto& s : j["sensors"]) {
    std::cout << fmt::format("sensor {} ({})\n", s["name"].get<std::string>(),
                             s["placement"].get<std::string>());
    line("samples:", std::to_string(s["samples"].get<std::size_t>()));
    line("duration:", fmt::format("{:.3f} s", s["duration_s"].get<double>()));
    line("rate:",
         fmt::format("nominal {:g} Hz, measured {:.2f} Hz", s["nominal_rate_hz"].get<double>(),
                     s["measured_rate_hz"].get<double>()));
    line("channels:", std::string("acc") + (s["has_gyr"].get<bool>() ? ", gyr" : " (no gyro)") +
                          (s["has_mag"].get<bool>() ? ", mag" : ""));
    std::string device;
    for (const char* key : {"device_model", "device_id", "firmware"})
      if (!s[key].get<std::string>().empty()) {
        if (!device.empty()) device += ", ";
        device += s[key].get<std::string>();
      }
    line("device:", device);
    const auto& g = s["gaps"];
    line("gaps:",
         g["count"].get<std::size_t>() == 0
             ? "none"
             : fmt::format("{} ({} samples missing, longest {:.3f} s)",
                           g["count"].get<std::size_t>(), g["missing"].get<std::uint64_t>(),
                           g["longest_s"].get<double>()));
    const double acc_range = s["acc_range_ms2"].get<double>();
    line("acc range:", fmt::format("full scale {}, largest |value| {:.2f} m/s^2",
                                   acc_range > 0 ? fmt::format("{:.1f} m/s^2", acc_range)
                                                 : std::string("unknown"),
                                   s["acc_max_abs_ms2"].get<double>()));
    if (s["has_gyr"].get<bool>()) {
      const double gyr_range = s["gyr_range_rads"].get<double>();
      line("gyr range:", fmt::format("full scale {}, largest |value| {:.2f} rad/s",
                                     gyr_range > 0 ? fmt::format("{:.1f} rad/s", gyr_range)
                                                   : std::string("unknown"),
                                     s["gyr_max_abs_rads"].get<double>()));
    }
  }
}

void run(const InfoOptions& o) {
  const storage::CsvOptions csv = o.csv.options();
  // Sizes, times, gaps and ranges without holding the samples (recording_summary.hpp).
  const storage::RecordingSummary contents = storage::summarize_recording(o.file, csv);
  const Recording& rec = contents.metadata;
  const storage::SourceFormat format = storage::detect_format(o.file);
  const bool hdf5 = format == storage::SourceFormat::kStridelabHdf5;

  nlohmann::json j;
  j["file"] = o.file;
  j["format"] = hdf5 ? fmt::format("HDF5, stridelab-recording format {}",
                                   storage::recording_format_version(o.file))
                     : storage::format_name(format);
  j["subject_id"] = rec.subject_id;
  j["start_time"] = rec.start_time_iso;
  j["source"] = rec.source;
  j["tool_version"] = rec.tool_version;
  j["notes"] = rec.notes;
  j["attributes"] = rec.attributes;
  j["analysis"] = nullptr;
  if (hdf5 && storage::has_analysis(o.file)) {
    const storage::AnalysisOutput a = storage::read_analysis(o.file);
    nlohmann::json summary = nlohmann::json::parse(a.summary_json, nullptr, false);
    j["analysis"] = {
        {"steps", a.steps.size()},
        {"tool_version", a.tool_version},
        {"summary", summary.is_discarded() ? nlohmann::json(a.summary_json) : summary}};
  }
  j["sensors"] = nlohmann::json::array();
  for (const storage::SensorSummary& s : contents.sensors) j["sensors"].push_back(sensor_json(s));
  if (o.json)
    std::cout << j.dump(2) << "\n";
  else
    print_text(j);
}

void register_info(CLI::App& app) {
  auto o = std::make_shared<InfoOptions>();
  auto* cmd = app.add_subcommand("info", "Show what a recording holds (any format read)");
  cmd->add_option("FILE", o->file,
                  "Recording: .h5, .csv, Axivity .cwa, Xsens export, APDM .h5, Sensor Logger "
                  "or phyphox folder/zip")
      ->required();
  cmd->add_flag("--json", o->json, "Machine-readable output");
  add_csv_input_options(cmd, o->csv);
  cmd->callback([o] { run(*o); });
}

}  // namespace
STRIDELAB_COMMAND("info", register_info);
}  // namespace stridelab::cli
