// `stridelab convert IN OUT`: CSV <-> HDF5 by extension (also HDF5 -> HDF5, which rewrites a
// recovered or older-format file as a clean current one). CSV holds one sensor: with several,
// --sensor picks it.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "cli/command.hpp"
#include "cli/csv_input.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/storage/recording_io.hpp"

namespace stridelab::cli {
namespace {

struct ConvertOptions {
  std::string input, output, sensor;
  CsvInput csv;
};

void run(const ConvertOptions& o) {
  namespace fs = std::filesystem;
  const storage::FileKind out_kind = storage::file_kind(o.output);
  std::error_code ec;
  if (fs::exists(o.output, ec) && fs::equivalent(o.input, o.output, ec))
    throw Error(o.output + ": output is the input file");
  Recording rec = storage::read_recording(o.input, o.csv.options());
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
  add_csv_input_options(cmd, o->csv);
  cmd->add_option("--sensor", o->sensor,
                  "Keep only this sensor (needed for CSV output of a "
                  "multi-sensor recording)");
  cmd->callback([o] { run(*o); });
}

}  // namespace
STRIDELAB_COMMAND("convert", register_convert);
}  // namespace stridelab::cli
