// APDM Opal / Mobility Lab HDF5, as documented by the readers of scikit-digital-health and
// DISPEL: /Sensors/<id>/Accelerometer (m/s^2, N x 3), Gyroscope (rad/s), Magnetometer (uT),
// Time (us since 1970, uint64), and the sensor's label in the attribute "Label 0" of
// /Sensors/<id>/Configuration. No public sample file was available: the layout is taken from
// that documentation and tested with a fixture written from it (tests/unit/storage).
#include <algorithm>
#include <cctype>

#include "storage/foreign_formats.hpp"
#include "storage/h5_recording.hpp"
#include "storage/import_util.hpp"
#include "stridelab/core/error.hpp"

namespace stridelab::storage::foreign {
namespace {

// Lumbar / sacrum sensors are the analysis's; trunk ones are upper trunk.
Placement placement_of(const std::string& label) {
  const std::string l = import::lower(label);
  for (const char* w : {"lumbar", "sacrum", "sacral", "pelvis", "waist", "lower back", "l5"})
    if (l.find(w) != std::string::npos) return Placement::kPelvis;
  for (const char* w : {"sternum", "chest", "trunk", "thorax"})
    if (l.find(w) != std::string::npos) return Placement::kUpperTrunk;
  return Placement::kOther;
}

// "Lumbar" -> "lumbar", "Right Foot" -> "right_foot": a sensor name fit for an HDF5 group.
std::string name_of(const std::string& label) {
  std::string out;
  for (unsigned char c : label) {
    if (std::isalnum(c)) {
      out += static_cast<char>(std::tolower(c));
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

std::vector<Vec3> rows3(hid_t group, const char* dataset, const std::string& where) {
  const h5::Handle ds = h5::open_dataset(group, dataset, where);
  const std::vector<double> v = h5::read_doubles_2d(ds.get(), 3, where + "/" + dataset);
  std::vector<Vec3> out(v.size() / 3);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = Vec3(v[3 * i], v[3 * i + 1], v[3 * i + 2]);
  return out;
}

}  // namespace

bool is_apdm_hdf5(const std::filesystem::path& path) {
  try {
    OpenedFile f = open_h5_for_reading(path);
    return !h5::has_attr(f.file.get(), "format") && h5::has_link(f.file.get(), "Sensors");
  } catch (const Error&) {
    return false;  // the stridelab reader reports what is wrong with the file
  }
}

Recording read_apdm(const std::filesystem::path& path, const CsvOptions& o) {
  const std::string format = "APDM HDF5";
  OpenedFile f = open_h5_for_reading(path);
  const std::string file = f.where;
  const h5::Handle sensors = h5::open_group(f.file.get(), "Sensors", file + ": " + format);
  const std::vector<std::string> ids = h5::child_names(sensors.get(), file + ":/Sensors");
  if (ids.empty()) fail_at(file + ":/Sensors", format + ": no sensors");

  struct Raw {
    SensorData d;
    std::vector<std::int64_t> time_us;
  };
  std::vector<Raw> raws;
  std::int64_t t0 = 0;
  for (const std::string& id : ids) {
    const std::string where = file + ":/Sensors/" + id;
    const h5::Handle g = h5::open_group(sensors.get(), id, where);
    Raw r;
    std::string label;
    if (h5::has_link(g.get(), "Configuration")) {
      const h5::Handle cfg = h5::open_group(g.get(), "Configuration", where + "/Configuration");
      if (h5::has_attr(cfg.get(), "Label 0"))
        label = h5::read_string_attr(cfg.get(), "Label 0", where + "/Configuration");
    }
    if (!h5::has_link(g.get(), "Accelerometer") || !h5::has_link(g.get(), "Time"))
      fail_at(where, format + ": missing the Accelerometer or Time dataset");
    r.d.acc = rows3(g.get(), "Accelerometer", where);
    r.d.info.has_gyr = h5::has_link(g.get(), "Gyroscope");
    if (r.d.info.has_gyr) r.d.gyr = rows3(g.get(), "Gyroscope", where);
    r.d.info.has_mag = h5::has_link(g.get(), "Magnetometer");
    if (r.d.info.has_mag) r.d.mag = rows3(g.get(), "Magnetometer", where);
    const h5::Handle time = h5::open_dataset(g.get(), "Time", where + "/Time");
    r.time_us = h5::read_ints_1d(time.get(), where + "/Time");
    const std::size_t n = r.time_us.size();
    if (n == 0) fail_at(where + "/Time", format + ": no samples");
    if (r.d.acc.size() != n || (r.d.info.has_gyr && r.d.gyr.size() != n) ||
        (r.d.info.has_mag && r.d.mag.size() != n))
      fail_at(where, format + ": Time has " + std::to_string(n) +
                         " rows but Accelerometer/Gyroscope/Magnetometer have " +
                         std::to_string(r.d.acc.size()) + "/" + std::to_string(r.d.gyr.size()) +
                         "/" + std::to_string(r.d.mag.size()));
    for (std::size_t i = 1; i < n; ++i)
      if (r.time_us[i] <= r.time_us[i - 1])
        fail_at(where + "/Time",
                format + ": row " + std::to_string(i) + ": time does not increase");
    r.d.info.device_model = "APDM Opal";
    r.d.info.device_id = id;
    r.d.info.placement = placement_of(label);
    r.d.info.name = name_of(label.empty() ? id : label);
    if (r.d.info.name.empty()) r.d.info.name = "sensor";
    t0 = raws.empty() ? r.time_us.front() : std::min(t0, r.time_us.front());
    raws.push_back(std::move(r));
  }

  Recording rec;
  rec.source = file;
  rec.start_time_iso = import::iso_utc(static_cast<double>(t0) * 1e-6);
  rec.attributes["import_format"] = "APDM Opal / Mobility Lab HDF5";
  // The analysis takes the first pelvis sensor: put the lumbar one first.
  std::stable_sort(raws.begin(), raws.end(), [](const Raw& a, const Raw& b) {
    return (a.d.info.placement == Placement::kPelvis) > (b.d.info.placement == Placement::kPelvis);
  });
  std::vector<std::string> labels;
  for (Raw& r : raws) {
    SensorData& d = r.d;
    std::string unique = d.info.name;
    for (int k = 2; std::any_of(rec.sensors.begin(), rec.sensors.end(),
                                [&](const SensorData& s) { return s.info.name == unique; });
         ++k)
      unique = d.info.name + "_" + std::to_string(k);
    d.info.name = unique;
    d.time_s.resize(r.time_us.size());
    for (std::size_t i = 0; i < d.time_s.size(); ++i)
      d.time_s[i] = static_cast<double>(r.time_us[i] - t0) * 1e-6;
    d.device_time_s = d.time_s;
    d.info.nominal_rate_hz = import::find_gaps(d.time_s, d.gaps, "time");
    if (!o.skip_unit_check)
      import::check_units(d, "m/s^2", 1.0, "rad/s", 1.0, "APDM layout",
                          file + ":/Sensors/" + d.info.device_id);
    labels.push_back(d.info.name + " (" + d.info.device_id + ")");
    rec.sensors.push_back(std::move(d));
  }
  if (rec.sensors.size() > 1 && rec.sensors.front().info.placement != Placement::kPelvis) {
    std::string list;
    for (const auto& l : labels) list += (list.empty() ? "" : ", ") + l;
    rec.attributes["import_warnings"] =
        "APDM HDF5: no sensor is labelled lumbar/sacrum/pelvis; the analysis uses '" +
        rec.sensors.front().info.name + "' unless --sensor names another (" + list + ")";
  }
  return rec;
}

}  // namespace stridelab::storage::foreign
