// `stridelab convert IN OUT`: CSV <-> HDF5 by extension (also HDF5 -> HDF5, which rewrites a
// recovered or older-format file as a clean current one). CSV holds one sensor: with several,
// --sensor picks it.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "cli/command.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/storage/recording_io.hpp"

namespace stridelab::cli {
namespace {

struct ConvertOptions {
  std::string input, output, sensor;
  std::string acc_unit = "auto", gyr_unit = "auto", time_column;
  double rate_hz = 0.0;
};

void run(const ConvertOptions& o) {
  namespace fs = std::filesystem;
  const storage::FileKind out_kind = storage::file_kind(o.output);
  std::error_code ec;
  if (fs::exists(o.output, ec) && fs::equivalent(o.input, o.output, ec))
    throw Error(o.output + ": output is the input file");
  storage::CsvOptions csv;
  csv.acc_unit = storage::acc_unit_from_string(o.acc_unit);
  csv.gyr_unit = storage::gyr_unit_from_string(o.gyr_unit);
  csv.time_column = o.time_column;
  csv.rate_hz = o.rate_hz;
  Recording rec = storage::read_recording(o.input, csv);
  if (!o.sensor.empty()) {
    std::string names;
    for (const auto& s : rec.sensors) {
      if (s.info.name == o.sensor) {
        SensorData keep = s;
        rec.sensors = {std::move(keep)};
        names.clear();
        break;
      }
      {
        if (!names.empty()) names += ", ";
        names += s.info.name;
      }
    }
    if (!names.empty())
      throw Error(o.input + ": no sensor '" + o.sensor + "' (sensors: " + names + ")");
  }
  if (out_kind == storage::FileKind::kCsv && rec.sensors.size() > 1) {
    std::string names;
    for (const auto& s : rec.sensors) {
      if (!names.empty()) names += ", ";
      names += s.info.name;
    }
    throw Error(o.input + " has " + std::to_string(rec.sensors.size()) + " sensors (" + names +
                "); a CSV holds one: choose it with --sensor NAME");
  }
  storage::write_recording(o.output, rec);
  std::size_t samples = 0;
  for (const auto& s : rec.sensors) samples += s.size();
  std::cout << fmt::format("wrote {}: {} sensor{}, {} samples\n", o.output, rec.sensors.size(),
                           rec.sensors.size() == 1 ? "" : "s", samples);
}

void register_convert(CLI::App& app) {
  auto o = std::make_shared<ConvertOptions>();
  auto* cmd = app.add_subcommand("convert", "Convert a recording between CSV and HDF5");
  cmd->add_option("IN", o->input, "Input recording (.csv or .h5)")->required();
  cmd->add_option("OUT", o->output, "Output recording (.csv or .h5), replaced if it exists")
      ->required();
  cmd->add_option("--acc-unit", o->acc_unit, "CSV accelerometer unit: auto, g, ms2")
      ->check(CLI::IsMember({"auto", "g", "ms2"}));
  cmd->add_option("--gyr-unit", o->gyr_unit, "CSV gyroscope unit: auto, dps, rads")
      ->check(CLI::IsMember({"auto", "dps", "rads"}));
  cmd->add_option("--time-column", o->time_column, "CSV time column (seconds)");
  cmd->add_option("--rate", o->rate_hz, "CSV without time column: sample rate, Hz")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--sensor", o->sensor,
                  "Keep only this sensor (needed for CSV output of a "
                  "multi-sensor recording)");
  cmd->callback([o] { run(*o); });
}

}  // namespace
STRIDELAB_COMMAND("convert", register_convert);
}  // namespace stridelab::cli
