// summarize_recording(): the format 1 reader's checks on metadata, time and gaps, but acc and
// gyr are only scanned for their largest value, a block of rows at a time, never held whole.
// Reading them whole cost `stridelab info` as much as the first half of `analyze`: 35 MB of
// fresh memory (page faults), a copy, and a vector per channel it did not need.
#include "stridelab/storage/recording_summary.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>

#include "storage/h5_layout.hpp"
#include "storage/h5_recording.hpp"
#include "storage/journal.hpp"
#include "stridelab/core/error.hpp"

namespace stridelab::storage {

namespace fs = std::filesystem;

namespace {

// Rows per read: a multiple of the writer's 4096-row chunks, 768 KiB of doubles.
constexpr std::size_t kBlockRows = 32768;

// Largest |value| of an N x 3 float dataset that must have `rows` rows.
double max_abs_rows3(hid_t dataset, std::size_t rows, const std::string& where) {
  const std::size_t n = h5::float_rows_2d(dataset, 3, where);
  if (n != rows)
    fail_at(where, "has " + std::to_string(n) + " rows but time has " + std::to_string(rows));
  h5::Handle file_space(h5::check(H5Dget_space(dataset), where, "cannot read dataspace"));
  std::vector<double> block(3 * std::min(rows, kBlockRows));
  double largest = 0.0;
  for (std::size_t first = 0; first < rows; first += kBlockRows) {
    const hsize_t count[2] = {std::min(kBlockRows, rows - first), 3};
    const hsize_t start[2] = {first, 0};
    h5::check_status(
        H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, count, nullptr),
        where, "cannot select rows");
    h5::Handle mem_space(h5::check(H5Screate_simple(2, count, nullptr), where, "no memory space"));
    h5::check_status(H5Dread(dataset, H5T_NATIVE_DOUBLE, mem_space.get(), file_space.get(),
                             H5P_DEFAULT, block.data()),
                     where, "cannot read rows");
    // Eigen's maxCoeff runs in SIMD registers; a scalar std::max chain cost a third as much
    // as reading the block.
    const auto values =
        Eigen::Map<const Eigen::ArrayXd>(block.data(), static_cast<Eigen::Index>(3 * count[0]));
    largest = std::max(largest, values.abs().maxCoeff());
  }
  return largest;
}

SensorSummary summarize_sensor_v1(hid_t sensors, const std::string& name, const std::string& file) {
  const std::string where = h5::location(file, "/sensors/" + name);
  h5::Handle g = h5::open_group(sensors, name, h5::location(file, "/sensors"));
  SensorSummary s;
  s.info = read_sensor_info_v1(g.get(), name, where);
  auto open = [&](const char* ds_name, const char* units) {
    h5::Handle ds = h5::open_dataset(g.get(), ds_name, where);
    require_units(ds.get(), units, where + "/" + ds_name);
    return ds;
  };
  const std::vector<double> time =
      h5::read_doubles_1d(open(layout::kTime, layout::kUnitSeconds).get(), where + "/time");
  check_time_column(time, time.size(), where + "/time");
  s.samples = time.size();
  if (!time.empty()) {
    s.first_time_s = time.front();
    s.last_time_s = time.back();
  }
  s.acc_max_abs_ms2 =
      max_abs_rows3(open(layout::kAcc, layout::kUnitAcc).get(), s.samples, where + "/acc");
  if (s.info.has_gyr)
    s.gyr_max_abs_rads =
        max_abs_rows3(open(layout::kGyr, layout::kUnitGyr).get(), s.samples, where + "/gyr");
  s.gaps = read_gaps_v1(g.get(), where, s.samples, false);
  return s;
}

// The block-wise path covers closed format 1 recordings; a file of a killed writer (journal,
// SWMR flags), an older format or another kind of file goes through read_recording().
// Opens such a recording and reads its root metadata; false for anything else.
bool open_v1(const fs::path& path, OpenedFile& f, Recording& metadata) {
  std::error_code ec;
  if (fs::exists(journal::path_for(path), ec)) return false;
  f = open_h5_for_reading(path);
  const hid_t root = f.file.get();
  if (f.recovered || !h5::has_attr(root, layout::kAttrFormat) ||
      h5::read_string_attr(root, layout::kAttrFormat, f.where) != layout::kFormatName ||
      h5::read_int_attr(root, layout::kAttrFormatVersion, f.where) != 1)
    return false;
  read_root_metadata(root, f.where, metadata);
  return true;
}

bool summarize_h5_v1(const fs::path& path, RecordingSummary& out) {
  OpenedFile f;
  if (!open_v1(path, f, out.metadata)) return false;
  const hid_t root = f.file.get();
  h5::Handle sensors = h5::open_group(root, layout::kSensorsGroup, f.where);
  const auto names = h5::child_names(sensors.get(), h5::location(f.where, "/sensors"));
  if (names.empty()) fail_at(h5::location(f.where, "/sensors"), "holds no sensors");
  for (const auto& name : names)
    out.sensors.push_back(summarize_sensor_v1(sensors.get(), name, f.where));
  return true;
}

double max_abs(const std::vector<Vec3>& v) {
  double m = 0.0;
  for (const Vec3& x : v) m = std::max(m, x.cwiseAbs().maxCoeff());
  return m;
}

bool is_hdf5(const fs::path& path) {
  h5::quiet();
  const bool hdf5 = H5Fis_hdf5(path.c_str()) > 0;  // by content, as read_recording() goes
  H5Eclear2(H5E_DEFAULT);
  return hdf5;
}

}  // namespace

SensorSummary summarize_sensor(const SensorData& sensor) {
  SensorSummary s;
  s.info = sensor.info;
  s.samples = sensor.size();
  if (s.samples > 0) {
    s.first_time_s = sensor.time_s.front();
    s.last_time_s = sensor.time_s.back();
  }
  s.gaps = sensor.gaps;
  s.acc_max_abs_ms2 = max_abs(sensor.acc);
  if (sensor.info.has_gyr) s.gyr_max_abs_rads = max_abs(sensor.gyr);
  return s;
}

Recording read_metadata(const fs::path& path, const CsvOptions& csv) {
  if (is_hdf5(path)) {
    OpenedFile f;
    Recording metadata;
    if (open_v1(path, f, metadata)) return metadata;
  }
  Recording rec = read_recording(path, csv);
  rec.sensors.clear();
  return rec;
}

RecordingSummary summarize_recording(const fs::path& path, const CsvOptions& csv) {
  RecordingSummary out;
  if (is_hdf5(path) && summarize_h5_v1(path, out)) return out;
  out = {};
  Recording rec = read_recording(path, csv);
  for (const SensorData& s : rec.sensors) out.sensors.push_back(summarize_sensor(s));
  rec.sensors.clear();
  out.metadata = std::move(rec);
  return out;
}

}  // namespace stridelab::storage
