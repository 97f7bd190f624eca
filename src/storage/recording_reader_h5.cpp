// Reading the HDF5 recording format: open (including files left open by a killed SWMR
// writer), check format and version, dispatch to the reader of that version, validate.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>

#include "storage/h5_layout.hpp"
#include "storage/h5_recording.hpp"
#include "storage/journal.hpp"
#include "stridelab/core/error.hpp"

namespace stridelab::storage {

namespace fs = std::filesystem;

namespace {

// True if the superblock (v3, at offset 0) says a writer still has the file open: HDF5 then
// refuses a normal open, but SWMR read mode sees everything the writer flushed.
bool marked_open_by_writer(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char head[12] = {};
  if (!in.read(reinterpret_cast<char*>(head), sizeof head)) return false;
  static const unsigned char kSignature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  if (std::memcmp(head, kSignature, 8) != 0) return false;
  const unsigned version = head[8];
  const unsigned flags = head[11];  // bit 0: open for write, bit 2: open for SWMR write
  return version >= 3 && (flags & 0x5u) != 0;
}

std::string row_text(std::size_t row) {
  return "row " + std::to_string(row);
}

// Eigen's Vector3d is three packed doubles, so N x 3 rows read straight into the vector.
static_assert(sizeof(Vec3) == 3 * sizeof(double));

std::vector<Vec3> read_vec3_rows(hid_t dataset, const std::string& where) {
  std::vector<Vec3> out(h5::float_rows_2d(dataset, 3, where));
  h5::read_doubles_into(dataset, out.data()->data(), 3 * out.size(), where);
  return out;
}

}  // namespace

std::vector<Gap> read_gaps_v1(hid_t group, const std::string& where, std::size_t samples,
                              bool recovered) {
  h5::Handle ds = h5::open_dataset(group, layout::kGaps, where);
  const std::string gw = where + "/gaps";
  h5::Handle type(h5::check(H5Dget_type(ds.get()), gw, "cannot read datatype"));
  if (H5Tget_class(type.get()) != H5T_COMPOUND) fail_at(gw, "expected a compound table");
  for (const char* member : {"index", "start_s", "end_s", "missing", "cause"})
    if (H5Tget_member_index(type.get(), member) < 0) {
      H5Eclear2(H5E_DEFAULT);
      fail_at(gw, std::string("missing column '") + member + "'");
    }
  const auto d = h5::dims(ds.get(), gw);
  if (d.size() != 1) fail_at(gw, "expected a 1-D table");
  std::vector<layout::GapRow> rows(d[0]);
  h5::Handle mem = make_gap_row_type();
  if (!rows.empty())
    h5::check_status(H5Dread(ds.get(), mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data()), gw,
                     "cannot read table");
  std::vector<Gap> gaps;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    const bool unwritten = r.index == 0 && r.missing == 0 && r.start_s == 0 && r.cause[0] == 0;
    if (recovered && (unwritten || r.index > samples)) continue;  // cut off by the crash
    if (!std::isfinite(r.start_s) || !std::isfinite(r.end_s))
      fail_at(gw, row_text(i) + ": gap times are not finite");
    if (r.index > samples)
      fail_at(gw, row_text(i) + ": index " + std::to_string(r.index) + " is past the last sample");
    Gap g;
    g.index = r.index;
    g.start_s = r.start_s;
    g.end_s = r.end_s;
    g.missing = r.missing;
    g.cause.assign(r.cause, strnlen(r.cause, layout::kGapCauseBytes));
    gaps.push_back(std::move(g));
  }
  return gaps;
}

SensorInfo read_sensor_info_v1(hid_t g, const std::string& name, const std::string& where) {
  SensorInfo info;
  info.name = name;
  try {
    info.placement = placement_from_string(h5::read_string_attr(g, layout::kAttrPlacement, where));
  } catch (const Error& e) {
    fail_at(where, e.what());
  }
  info.device_model = h5::read_string_attr(g, layout::kAttrDeviceModel, where);
  info.device_id = h5::read_string_attr(g, layout::kAttrDeviceId, where);
  info.firmware = h5::read_string_attr(g, layout::kAttrFirmware, where);
  info.nominal_rate_hz = h5::read_double_attr(g, layout::kAttrNominalRate, where);
  info.acc_range_ms2 = h5::read_double_attr(g, layout::kAttrAccRange, where);
  info.gyr_range_rads = h5::read_double_attr(g, layout::kAttrGyrRange, where);
  info.has_gyr = h5::read_int_attr(g, layout::kAttrHasGyr, where) != 0;
  info.has_mag = h5::read_int_attr(g, layout::kAttrHasMag, where) != 0;
  for (auto [flag, ds_name, attr] : {std::tuple{info.has_gyr, layout::kGyr, layout::kAttrHasGyr},
                                     std::tuple{info.has_mag, layout::kMag, layout::kAttrHasMag}})
    if (!flag && h5::has_link(g, ds_name))
      fail_at(where, std::string(attr) + " is 0 but dataset '" + ds_name + "' exists");
  return info;
}

void require_units(hid_t dataset, const char* expected, const std::string& where) {
  const std::string units = h5::read_string_attr(dataset, layout::kAttrUnits, where);
  if (units != expected) fail_at(where, "units are '" + units + "', expected '" + expected + "'");
}

void check_time_column(const std::vector<double>& time, std::size_t n, const std::string& where) {
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(time[i])) fail_at(where, row_text(i) + " is not finite");
    if (i > 0 && !(time[i] > time[i - 1]))
      fail_at(where, "not strictly increasing at " + row_text(i) + " (" +
                         std::to_string(time[i - 1]) + " s then " + std::to_string(time[i]) +
                         " s)");
  }
}

namespace {

SensorData read_sensor_v1(hid_t sensors, const std::string& name, const std::string& file,
                          bool recovered) {
  const std::string where = h5::location(file, "/sensors/" + name);
  h5::Handle g = h5::open_group(sensors, name, h5::location(file, "/sensors"));
  SensorData d;
  d.info = read_sensor_info_v1(g.get(), name, where);
  const SensorInfo& info = d.info;

  auto column = [&](const char* ds_name, const char* units) {
    const std::string dw = where + "/" + ds_name;
    h5::Handle ds = h5::open_dataset(g.get(), ds_name, where);
    require_units(ds.get(), units, dw);
    return h5::read_doubles_1d(ds.get(), dw);
  };
  auto rows3 = [&](const char* ds_name, const char* units) {
    const std::string dw = where + "/" + ds_name;
    h5::Handle ds = h5::open_dataset(g.get(), ds_name, where);
    require_units(ds.get(), units, dw);
    return read_vec3_rows(ds.get(), dw);
  };
  std::vector<double> time = column(layout::kTime, layout::kUnitSeconds);
  std::vector<double> device_time = column(layout::kDeviceTime, layout::kUnitSeconds);
  std::vector<Vec3> acc = rows3(layout::kAcc, layout::kUnitAcc);
  std::vector<Vec3> gyr, mag;
  if (info.has_gyr) gyr = rows3(layout::kGyr, layout::kUnitGyr);
  if (info.has_mag) mag = rows3(layout::kMag, layout::kUnitMag);

  std::size_t n = time.size();
  auto check_rows = [&](const char* ds_name, std::size_t rows) {
    if (recovered)
      n = std::min(n, rows);
    else if (rows != time.size())
      fail_at(where + "/" + ds_name,
              "has " + std::to_string(rows) + " rows but time has " + std::to_string(time.size()));
  };
  check_rows(layout::kDeviceTime, device_time.size());
  check_rows(layout::kAcc, acc.size());
  if (info.has_gyr) check_rows(layout::kGyr, gyr.size());
  if (info.has_mag) check_rows(layout::kMag, mag.size());
  if (recovered) {
    // Rows the writer had allocated but not yet filled read as the NaN fill value.
    std::size_t good = 0;
    while (good < n && std::isfinite(time[good]) && std::isfinite(device_time[good]) &&
           !std::isnan(acc[good].x()))
      ++good;
    n = good;
  }
  check_time_column(time, n, where + "/time");
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(device_time[i]))
      fail_at(where + "/device_time", row_text(i) + " is not finite");
  time.resize(n);
  device_time.resize(n);
  d.time_s = std::move(time);
  d.device_time_s = std::move(device_time);
  acc.resize(n);
  d.acc = std::move(acc);
  if (info.has_gyr) {
    gyr.resize(n);
    d.gyr = std::move(gyr);
  }
  if (info.has_mag) {
    mag.resize(n);
    d.mag = std::move(mag);
  }
  d.gaps = read_gaps_v1(g.get(), where, n, recovered);
  return d;
}

}  // namespace

OpenedFile open_h5_for_reading(const fs::path& path) {
  h5::quiet();
  OpenedFile f;
  f.where = path.string();
  std::error_code ec;
  if (!fs::exists(path, ec)) fail_at(f.where, "no such file");
  if (fs::is_directory(path, ec)) fail_at(f.where, "is a directory, not a file");
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    fail_at(f.where, "not an HDF5 file");
  }
  f.recovered = marked_open_by_writer(path);
  const unsigned mode = f.recovered ? (H5F_ACC_RDONLY | H5F_ACC_SWMR_READ) : H5F_ACC_RDONLY;
  h5::Handle fapl(H5Pcreate(H5P_FILE_ACCESS));
  // SWMR readers re-read metadata whose checksum fails (the writer may be mid-update); the
  // default of 100 attempts with growing sleeps makes a damaged file hang for minutes.
  if (f.recovered) H5Pset_metadata_read_attempts(fapl.get(), 6);
  const hid_t id = H5Fopen(path.c_str(), mode, fapl.get());
  if (id < 0) h5::fail(f.where, "cannot open HDF5 file (damaged or truncated?)");
  f.file = h5::Handle(id);
  return f;
}

void read_root_metadata(hid_t file, const std::string& where, Recording& rec) {
  auto text = [&](const char* name) {
    return h5::has_attr(file, name) ? h5::read_string_attr(file, name, where) : std::string();
  };
  rec.subject_id = text(layout::kAttrSubject);
  rec.notes = text(layout::kAttrNotes);
  rec.start_time_iso = text(layout::kAttrStartTime);
  rec.tool_version = text(layout::kAttrToolVersion);
  rec.source = text(layout::kAttrSource);
  for (const auto& name : h5::attr_names(file, where)) {
    const auto& reserved = layout::kReservedRootAttrs;
    if (std::find(reserved.begin(), reserved.end(), name) != reserved.end()) continue;
    if (auto value = h5::read_attr_as_text(file, name)) rec.attributes[name] = *value;
  }
}

Recording read_format1(hid_t file, const std::string& where, bool recovered) {
  Recording rec;
  read_root_metadata(file, where, rec);
  h5::Handle sensors = h5::open_group(file, layout::kSensorsGroup, where);
  const auto names = h5::child_names(sensors.get(), h5::location(where, "/sensors"));
  if (names.empty()) fail_at(h5::location(where, "/sensors"), "holds no sensors");
  for (const auto& name : names)
    rec.sensors.push_back(read_sensor_v1(sensors.get(), name, where, recovered));
  return rec;
}

namespace {

constexpr const char* kAttrRecovered = "recovered";

Recording read_h5_file(const fs::path& path) {
  OpenedFile f = open_h5_for_reading(path);
  const hid_t root = f.file.get();
  if (!h5::has_attr(root, layout::kAttrFormat))
    fail_at(f.where, "not a stridelab recording (no 'format' attribute on the root group)");
  const std::string format = h5::read_string_attr(root, layout::kAttrFormat, f.where);
  if (format == "stridelab-analysis") fail_at(f.where, "holds analysis results only, no recording");
  if (format != layout::kFormatName)
    fail_at(f.where, "is a '" + format + "' file, not a stridelab recording");
  const std::int64_t version = h5::read_int_attr(root, layout::kAttrFormatVersion, f.where);
  if (version > layout::kFormatVersion)
    fail_at(f.where, "written by a newer stridelab (format " + std::to_string(version) +
                         "); this build reads format " + std::to_string(layout::kFormatVersion) +
                         ", please update stridelab");
  Recording rec;
  switch (version) {
    case 0:
      rec = read_format0(root, f.where);
      break;
    case 1:
      rec = read_format1(root, f.where, f.recovered);
      break;
    default:
      fail_at(f.where, "invalid format_version " + std::to_string(version));
  }
  if (f.recovered)
    rec.attributes[kAttrRecovered] =
        "file was not closed by its writer (killed, or still recording); read up to the last "
        "flush";
  return rec;
}

std::string sample_counts(const Recording& rec) {
  std::string text;
  for (const auto& s : rec.sensors)
    text += (text.empty() ? "" : ", ") + s.info.name + " " + std::to_string(s.size());
  return text;
}

// The HDF5 file is unreadable: the recording is the journal's.
Recording restore_from_journal(const fs::path& journal_path, const std::string& h5_error) {
  journal::Contents j;
  try {
    j = journal::read(journal_path);
  } catch (const Error& e) {
    throw Error(h5_error + "; restoring from the journal failed too: " + e.what());
  }
  Recording rec = std::move(j.recording);
  for (const auto& s : rec.sensors) {
    try {
      s.validate();
    } catch (const Error& e) {
      fail_at(journal_path.string(), e.what());
    }
  }
  rec.attributes[kAttrRecovered] =
      "file was not closed by its writer and its HDF5 data is unreadable (" + h5_error +
      "); restored from " + journal_path.string() + ": samples " + sample_counts(rec) +
      (j.stopped.empty() ? "" : " (journal ends with a cut-off record: " + j.stopped + ")");
  return rec;
}

// The HDF5 file of a killed writer opened: add the rows the journal holds beyond it (the
// journal is written before each HDF5 flush, so it can be one flush ahead).
void add_journal_tail(Recording& rec, const fs::path& journal_path) {
  journal::Contents j;
  try {
    j = journal::read(journal_path);
  } catch (const Error&) {
    return;  // the HDF5 data stands on its own
  }
  std::size_t added = 0;
  for (auto& s : rec.sensors) {
    auto it = std::find_if(j.recording.sensors.begin(), j.recording.sensors.end(),
                           [&](const SensorData& d) { return d.info.name == s.info.name; });
    if (it == j.recording.sensors.end() || it->info.has_gyr != s.info.has_gyr ||
        it->info.has_mag != s.info.has_mag)
      continue;
    const SensorData& from = *it;
    const std::size_t n = s.size();
    // Only a journal that agrees with the file where they overlap extends it.
    if (from.size() <= n || (n > 0 && from.time_s[n - 1] != s.time_s[n - 1])) continue;
    s.time_s.insert(s.time_s.end(), from.time_s.begin() + n, from.time_s.end());
    s.device_time_s.insert(s.device_time_s.end(), from.device_time_s.begin() + n,
                           from.device_time_s.end());
    s.acc.insert(s.acc.end(), from.acc.begin() + n, from.acc.end());
    if (s.info.has_gyr) s.gyr.insert(s.gyr.end(), from.gyr.begin() + n, from.gyr.end());
    if (s.info.has_mag) s.mag.insert(s.mag.end(), from.mag.begin() + n, from.mag.end());
    for (std::size_t g = s.gaps.size(); g < from.gaps.size(); ++g)
      if (from.gaps[g].index <= s.size()) s.gaps.push_back(from.gaps[g]);
    added += from.size() - n;
  }
  if (added > 0)
    rec.attributes[kAttrRecovered] += "; " + std::to_string(added) + " samples added from " +
                                      journal_path.string() + " (samples " + sample_counts(rec) +
                                      ")";
}

}  // namespace

Recording read_h5_recording(const fs::path& path) {
  const fs::path journal_path = journal::path_for(path);
  std::error_code ec;
  if (!fs::exists(journal_path, ec)) return read_h5_file(path);
  Recording rec;
  try {
    rec = read_h5_file(path);
  } catch (const Error& e) {
    // A kill -9 inside an HDF5 write can leave a block half-written; the journal has the rows.
    return restore_from_journal(journal_path, e.what());
  }
  // A cleanly closed file is complete; a journal beside it is a leftover (kill after close).
  if (rec.attributes.count(kAttrRecovered)) add_journal_tail(rec, journal_path);
  return rec;
}

}  // namespace stridelab::storage
