// Format 0: the pre-release development layout (docs/FILE_FORMAT.md, "Older formats").
// Acceleration in g and angular rate in deg/s, no device clock, no gaps table, the sample rate
// in `rate_hz`. Read here and upgraded in memory to the current Recording; nothing is written.
#include <cmath>
#include <numbers>

#include "storage/h5_layout.hpp"
#include "storage/h5_recording.hpp"
#include "stridelab/core/error.hpp"

namespace stridelab::storage {

namespace {

std::vector<Vec3> read_scaled_vec3(hid_t group, const char* name, const char* units, double scale,
                                   const std::string& where) {
  const std::string dw = where + "/" + name;
  h5::Handle ds = h5::open_dataset(group, name, where);
  const std::string found = h5::read_string_attr(ds.get(), layout::kAttrUnits, dw);
  if (found != units) fail_at(dw, "units are '" + found + "', format 0 expects '" + units + "'");
  const std::vector<double> flat = h5::read_doubles_2d(ds.get(), 3, dw);
  std::vector<Vec3> out(flat.size() / 3);
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = scale * Vec3(flat[3 * i], flat[3 * i + 1], flat[3 * i + 2]);
  return out;
}

}  // namespace

Recording read_format0(hid_t file, const std::string& where) {
  Recording rec;
  read_root_metadata(file, where, rec);
  h5::Handle sensors = h5::open_group(file, layout::kSensorsGroup, where);
  const auto names = h5::child_names(sensors.get(), h5::location(where, "/sensors"));
  if (names.empty()) fail_at(h5::location(where, "/sensors"), "holds no sensors");
  for (const auto& name : names) {
    const std::string sw = h5::location(where, "/sensors/" + name);
    h5::Handle g = h5::open_group(sensors.get(), name, h5::location(where, "/sensors"));
    SensorData d;
    d.info.name = name;
    try {
      d.info.placement = placement_from_string(h5::read_string_attr(g.get(), "placement", sw));
    } catch (const Error& e) {
      fail_at(sw, e.what());
    }
    d.info.nominal_rate_hz = h5::read_double_attr(g.get(), "rate_hz", sw);
    h5::Handle time = h5::open_dataset(g.get(), layout::kTime, sw);
    d.time_s = h5::read_doubles_1d(time.get(), sw + "/time");
    d.device_time_s = d.time_s;  // format 0 had no separate device clock
    d.acc = read_scaled_vec3(g.get(), layout::kAcc, "g", kGravity, sw);
    d.info.has_gyr = h5::has_link(g.get(), layout::kGyr);
    if (d.info.has_gyr)
      d.gyr = read_scaled_vec3(g.get(), layout::kGyr, "deg/s", std::numbers::pi / 180.0, sw);
    d.info.has_mag = false;
    try {
      d.validate();
    } catch (const Error& e) {
      fail_at(where, e.what());
    }
    rec.sensors.push_back(std::move(d));
  }
  return rec;
}

}  // namespace stridelab::storage
