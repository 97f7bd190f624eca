#include "stridelab/storage/recording_writer.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <exception>
#include <limits>
#include <set>
#include <system_error>

#include "storage/h5_layout.hpp"
#include "storage/h5_recording.hpp"
#include "storage/h5_util.hpp"
#include "storage/journal.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/core/version.hpp"

namespace stridelab::storage {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// One sensor's open datasets and the samples waiting to be written.
struct SensorSink {
  SensorInfo info;
  std::string where;  // "<file>:/sensors/<name>"
  h5::Handle group, time, device_time, acc, gyr, mag, gaps;
  std::size_t rows_written = 0;
  std::size_t gaps_written = 0;
  std::size_t rows_journaled = 0;  // >= rows_written: the journal is written first
  std::size_t gaps_journaled = 0;
  std::vector<double> time_buf, device_time_buf, acc_buf, gyr_buf, mag_buf;  // row-major
  std::vector<layout::GapRow> gap_buf;
  double last_time = -std::numeric_limits<double>::infinity();

  std::size_t buffered() const { return time_buf.size(); }
};

void check_sensor_names(const std::vector<SensorInfo>& sensors, const std::string& where) {
  if (sensors.empty()) fail_at(where, "a recording needs at least one sensor");
  std::set<std::string> seen;
  for (const auto& s : sensors) {
    if (s.name.empty() || s.name.find_first_of("/.") != std::string::npos || s.name[0] == ' ')
      fail_at(where, "sensor name '" + s.name + "' is not usable as a group name");
    if (!seen.insert(s.name).second) fail_at(where, "sensor name '" + s.name + "' repeats");
  }
}

}  // namespace

// The compound type of one gaps row, same layout in memory and in the file.
h5::Handle make_gap_row_type() {
  h5::Handle cause(H5Tcopy(H5T_C_S1));
  H5Tset_size(cause.get(), layout::kGapCauseBytes);
  H5Tset_strpad(cause.get(), H5T_STR_NULLPAD);
  h5::Handle type(H5Tcreate(H5T_COMPOUND, sizeof(layout::GapRow)));
  H5Tinsert(type.get(), "index", HOFFSET(layout::GapRow, index), H5T_NATIVE_UINT64);
  H5Tinsert(type.get(), "start_s", HOFFSET(layout::GapRow, start_s), H5T_NATIVE_DOUBLE);
  H5Tinsert(type.get(), "end_s", HOFFSET(layout::GapRow, end_s), H5T_NATIVE_DOUBLE);
  H5Tinsert(type.get(), "missing", HOFFSET(layout::GapRow, missing), H5T_NATIVE_UINT64);
  H5Tinsert(type.get(), "cause", HOFFSET(layout::GapRow, cause), cause.get());
  return type;
}

struct RecordingWriter::Impl {
  fs::path final_path;
  fs::path work_path;  // where the file is built; equals final_path once it is in place
  WriterOptions options;
  h5::Handle file;
  h5::Handle gap_type;
  std::vector<SensorSink> sensors;
  journal::Writer journal;  // crash_safe with options.journal: <path>.journal
  bool pending = false;     // samples or gaps buffered since the last flush
  Clock::time_point oldest_pending;

  std::string where() const { return final_path.string(); }
  void create_sensor(hid_t sensors_group, const SensorInfo& info);
  void journal_sensor(std::size_t index);
  void write_sensor(SensorSink& s);
  void sync();
};

void RecordingWriter::Impl::create_sensor(hid_t sensors_group, const SensorInfo& info) {
  SensorSink s;
  s.info = info;
  s.where = h5::location(where(), "/sensors/" + info.name);
  s.group = h5::create_group(sensors_group, info.name, s.where);
  const hid_t g = s.group.get();
  h5::write_attr(g, layout::kAttrPlacement, to_string(info.placement), s.where);
  h5::write_attr(g, layout::kAttrDeviceModel, info.device_model, s.where);
  h5::write_attr(g, layout::kAttrDeviceId, info.device_id, s.where);
  h5::write_attr(g, layout::kAttrFirmware, info.firmware, s.where);
  h5::write_attr(g, layout::kAttrNominalRate, info.nominal_rate_hz, s.where);
  h5::write_attr(g, layout::kAttrAccRange, info.acc_range_ms2, s.where);
  h5::write_attr(g, layout::kAttrGyrRange, info.gyr_range_rads, s.where);
  h5::write_attr(g, layout::kAttrHasGyr, std::uint8_t{info.has_gyr}, s.where);
  h5::write_attr(g, layout::kAttrHasMag, std::uint8_t{info.has_mag}, s.where);

  h5::AppendableSpec spec;
  spec.chunk_rows = options.chunk_rows;
  auto dataset = [&](const char* name, std::size_t cols, const char* units) {
    spec.cols = cols;
    // Times compress ~10x; IMU samples stay raw unless asked (read speed, see WriterOptions).
    spec.deflate_level = cols == 0 || options.compress_imu ? options.deflate_level : 0;
    h5::Handle ds = h5::create_appendable(g, name, spec, s.where);
    h5::write_attr(ds.get(), layout::kAttrUnits, std::string(units), s.where + "/" + name);
    return ds;
  };
  s.time = dataset(layout::kTime, 0, layout::kUnitSeconds);
  s.device_time = dataset(layout::kDeviceTime, 0, layout::kUnitSeconds);
  s.acc = dataset(layout::kAcc, 3, layout::kUnitAcc);
  if (info.has_gyr) s.gyr = dataset(layout::kGyr, 3, layout::kUnitGyr);
  if (info.has_mag) s.mag = dataset(layout::kMag, 3, layout::kUnitMag);

  h5::AppendableSpec gap_spec;
  gap_spec.type = gap_type.get();
  gap_spec.chunk_rows = 64;
  gap_spec.deflate_level = 0;
  gap_spec.nan_fill = false;
  s.gaps = h5::create_appendable(g, layout::kGaps, gap_spec, s.where);
  sensors.push_back(std::move(s));
}

// Queues the sensor's buffered rows and gaps that the journal does not hold yet.
void RecordingWriter::Impl::journal_sensor(std::size_t index) {
  SensorSink& s = sensors[index];
  const std::size_t skip = s.rows_journaled - s.rows_written;  // journaled, HDF5 write failed
  if (s.buffered() > skip) {
    const std::size_t n = s.buffered() - skip;
    journal.add_samples(index, s.rows_journaled, n, s.time_buf.data() + skip,
                        s.device_time_buf.data() + skip, s.acc_buf.data() + 3 * skip,
                        s.info.has_gyr ? s.gyr_buf.data() + 3 * skip : nullptr,
                        s.info.has_mag ? s.mag_buf.data() + 3 * skip : nullptr);
    s.rows_journaled += n;
  }
  const std::size_t gap_skip = s.gaps_journaled - s.gaps_written;
  if (s.gap_buf.size() > gap_skip) {
    journal.add_gaps(index, s.gaps_journaled,
                     std::span<const layout::GapRow>(s.gap_buf).subspan(gap_skip));
    s.gaps_journaled = s.gaps_written + s.gap_buf.size();
  }
}

void RecordingWriter::Impl::write_sensor(SensorSink& s) {
  const std::size_t n = s.buffered();
  if (n > 0) {
    // time last: a reader that finds fewer time rows than acc rows trusts the shorter one.
    h5::append_rows(s.device_time.get(), H5T_NATIVE_DOUBLE, s.device_time_buf.data(), n,
                    s.rows_written, s.where + "/device_time");
    h5::append_rows(s.acc.get(), H5T_NATIVE_DOUBLE, s.acc_buf.data(), n, s.rows_written,
                    s.where + "/acc");
    if (s.gyr)
      h5::append_rows(s.gyr.get(), H5T_NATIVE_DOUBLE, s.gyr_buf.data(), n, s.rows_written,
                      s.where + "/gyr");
    if (s.mag)
      h5::append_rows(s.mag.get(), H5T_NATIVE_DOUBLE, s.mag_buf.data(), n, s.rows_written,
                      s.where + "/mag");
    h5::append_rows(s.time.get(), H5T_NATIVE_DOUBLE, s.time_buf.data(), n, s.rows_written,
                    s.where + "/time");
    s.rows_written += n;
    for (auto* buf : {&s.time_buf, &s.device_time_buf, &s.acc_buf, &s.gyr_buf, &s.mag_buf})
      buf->clear();
  }
  if (!s.gap_buf.empty()) {
    h5::append_rows(s.gaps.get(), gap_type.get(), s.gap_buf.data(), s.gap_buf.size(),
                    s.gaps_written, s.where + "/gaps");
    s.gaps_written += s.gap_buf.size();
    s.gap_buf.clear();
  }
}

void RecordingWriter::Impl::sync() {
  if (!options.sync_to_disk) return;
  void* handle = nullptr;
  h5::check_status(H5Fget_vfd_handle(file.get(), H5P_DEFAULT, &handle), where(),
                   "cannot get the file descriptor");
  if (handle && ::fsync(*static_cast<int*>(handle)) != 0)
    fail_at(where(), std::string("fsync failed: ") + std::strerror(errno));
}

RecordingWriter::RecordingWriter() = default;

RecordingWriter::RecordingWriter(const fs::path& path, const Recording& metadata,
                                 const std::vector<SensorInfo>& sensors,
                                 const WriterOptions& options) {
  open(path, metadata, sensors, options);
}

RecordingWriter::~RecordingWriter() {
  try {
    close();
  } catch (...) {  // a destructor must not throw; close() explicitly to see errors
  }
}

RecordingWriter::RecordingWriter(RecordingWriter&&) noexcept = default;
RecordingWriter& RecordingWriter::operator=(RecordingWriter&&) noexcept = default;

void RecordingWriter::open(const fs::path& path, const Recording& metadata,
                           const std::vector<SensorInfo>& sensors, const WriterOptions& options) {
  h5::quiet();
  close();
  auto impl = std::make_unique<Impl>();
  impl->final_path = path;
  impl->work_path = fs::path(path.string() + ".partial");
  impl->options = options;
  const std::string where = path.string();
  check_sensor_names(sensors, where);
  for (const auto& [key, value] : metadata.attributes)
    for (const char* reserved : layout::kReservedRootAttrs)
      if (key == reserved)
        fail_at(where, "free-form attribute '" + key + "' clashes with a format attribute");

  std::error_code ec;
  fs::remove(impl->work_path, ec);
  // A journal left by an earlier session at this path must not be mixed into the new file.
  const fs::path journal_path = journal::path_for(path);
  fs::remove(journal_path, ec);
  try {
    h5::Handle fapl(H5Pcreate(H5P_FILE_ACCESS));
    // The 1.10 format: needed for SWMR, and every metadata block (superblock, object headers,
    // chunk indexes) carries a checksum, so a damaged file is refused instead of misread.
    h5::set_checksummed_format(fapl.get());
    impl->file = h5::Handle(
        h5::check(H5Fcreate(impl->work_path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get()), where,
                  "cannot create file"));
    const hid_t root = impl->file.get();
    h5::write_attr(root, layout::kAttrFormat, std::string(layout::kFormatName), where);
    h5::write_attr(root, layout::kAttrFormatVersion, layout::kFormatVersion, where);
    h5::write_attr(root, layout::kAttrSubject, metadata.subject_id, where);
    h5::write_attr(root, layout::kAttrNotes, metadata.notes, where);
    h5::write_attr(root, layout::kAttrStartTime, metadata.start_time_iso, where);
    h5::write_attr(root, layout::kAttrToolVersion, std::string(version()), where);
    h5::write_attr(root, layout::kAttrSource, metadata.source, where);
    for (const auto& [key, value] : metadata.attributes) h5::write_attr(root, key, value, where);

    impl->gap_type = make_gap_row_type();
    h5::Handle group = h5::create_group(root, layout::kSensorsGroup, where, /*track_order=*/true);
    for (const auto& info : sensors) impl->create_sensor(group.get(), info);

    if (options.crash_safe) {
      // Every object exists now (SWMR cannot create more); from here on writes are ordered so
      // that the file on disk is consistent at any instant.
      h5::check_status(H5Fstart_swmr_write(root), where, "cannot start SWMR writing");
      // The journal exists before <path> does, so a killed recording always has one.
      if (options.journal)
        impl->journal.open(journal_path, metadata, sensors, options.sync_to_disk);
      fs::rename(impl->work_path, path, ec);
      if (ec) fail_at(where, "cannot move the new file into place: " + ec.message());
      impl->work_path = path;
    }
  } catch (...) {
    // Leave nothing half-made behind: close what exists and remove the partial file.
    impl->sensors.clear();
    impl->gap_type.reset();
    if (impl->file) H5Fclose(impl->file.release());
    H5Eclear2(H5E_DEFAULT);
    if (impl->work_path != path) fs::remove(impl->work_path, ec);
    impl->journal.close(/*remove=*/true);
    throw;
  }
  impl_ = std::move(impl);
}

bool RecordingWriter::is_open() const {
  return impl_ && impl_->file;
}

const fs::path& RecordingWriter::path() const {
  static const fs::path none;
  return impl_ ? impl_->final_path : none;
}

std::size_t RecordingWriter::sensor_index(const std::string& name) const {
  if (!is_open()) throw Error("recording writer is not open");
  for (std::size_t i = 0; i < impl_->sensors.size(); ++i)
    if (impl_->sensors[i].info.name == name) return i;
  fail_at(impl_->where(), "no sensor called '" + name + "'");
}

void RecordingWriter::append(std::size_t sensor, std::span<const ImuSample> samples,
                             std::span<const double> device_time_s) {
  if (!is_open()) throw Error("recording writer is not open");
  if (sensor >= impl_->sensors.size())
    fail_at(impl_->where(), "sensor index " + std::to_string(sensor) + " out of range");
  SensorSink& s = impl_->sensors[sensor];
  if (!device_time_s.empty() && device_time_s.size() != samples.size())
    fail_at(s.where, "got " + std::to_string(samples.size()) + " samples but " +
                         std::to_string(device_time_s.size()) + " device times");
  // Validate the whole batch before buffering any of it.
  double last = s.last_time;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const double t = samples[i].time_s;
    if (!std::isfinite(t) || !(t > last))
      fail_at(s.where, "sample time " + std::to_string(t) + " s does not follow " +
                           std::to_string(last) + " s (time must increase strictly)");
    if (!device_time_s.empty() && !std::isfinite(device_time_s[i]))
      fail_at(s.where, "device time of sample at " + std::to_string(t) + " s is not finite");
    last = t;
  }
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const ImuSample& x = samples[i];
    s.time_buf.push_back(x.time_s);
    s.device_time_buf.push_back(device_time_s.empty() ? x.time_s : device_time_s[i]);
    s.acc_buf.insert(s.acc_buf.end(), x.acc.data(), x.acc.data() + 3);
    if (s.info.has_gyr) s.gyr_buf.insert(s.gyr_buf.end(), x.gyr.data(), x.gyr.data() + 3);
    if (s.info.has_mag) s.mag_buf.insert(s.mag_buf.end(), x.mag.data(), x.mag.data() + 3);
  }
  s.last_time = last;
  if (!samples.empty() && !impl_->pending) {
    impl_->pending = true;
    impl_->oldest_pending = Clock::now();
  }
  flush_if_due();
}

void RecordingWriter::append(std::size_t sensor, const ImuSample& sample, double device_time_s) {
  append(sensor, std::span<const ImuSample>(&sample, 1),
         std::span<const double>(&device_time_s, 1));
}

void RecordingWriter::add_gap(std::size_t sensor, const Gap& gap) {
  if (!is_open()) throw Error("recording writer is not open");
  if (sensor >= impl_->sensors.size())
    fail_at(impl_->where(), "sensor index " + std::to_string(sensor) + " out of range");
  SensorSink& s = impl_->sensors[sensor];
  if (!std::isfinite(gap.start_s) || !std::isfinite(gap.end_s))
    fail_at(s.where, "gap times must be finite");
  layout::GapRow row{};
  row.index = gap.index;
  row.start_s = gap.start_s;
  row.end_s = gap.end_s;
  row.missing = gap.missing;
  std::memcpy(row.cause, gap.cause.data(), std::min(gap.cause.size(), layout::kGapCauseBytes));
  s.gap_buf.push_back(row);
  if (!impl_->pending) {
    impl_->pending = true;
    impl_->oldest_pending = Clock::now();
  }
  flush_if_due();
}

void RecordingWriter::flush() {
  if (!is_open()) return;
  h5::quiet();
  // Journal first: it only appends, so whatever a kill does to the HDF5 writes below, the
  // rows are in the journal (a kill during this write() cuts off at most the last record).
  if (impl_->journal.is_open()) {
    for (std::size_t k = 0; k < impl_->sensors.size(); ++k) impl_->journal_sensor(k);
    impl_->journal.commit();
  }
  for (auto& s : impl_->sensors) impl_->write_sensor(s);
  h5::check_status(H5Fflush(impl_->file.get(), H5F_SCOPE_GLOBAL), impl_->where(), "cannot flush");
  impl_->sync();
  impl_->pending = false;
}

bool RecordingWriter::flush_if_due() {
  if (!is_open() || !impl_->pending) return false;
  const std::chrono::duration<double> age = Clock::now() - impl_->oldest_pending;
  if (age.count() < impl_->options.flush_interval_s) return false;
  flush();
  return true;
}

void RecordingWriter::close() {
  if (!is_open()) return;
  std::exception_ptr flush_error;
  try {
    flush();
  } catch (...) {
    flush_error = std::current_exception();
  }
  std::unique_ptr<Impl> impl = std::move(impl_);  // closed whatever happens below
  impl->sensors.clear();                          // datasets and groups before the file
  impl->gap_type.reset();
  const herr_t status = H5Fclose(impl->file.release());
  const bool classic = impl->work_path != impl->final_path;
  std::error_code ec;
  if (flush_error || status < 0) {
    if (classic) fs::remove(impl->work_path, ec);  // never leave a half-written classic file
    impl->journal.close(/*remove=*/false);         // may hold rows the file lacks
    if (flush_error) std::rethrow_exception(flush_error);
    h5::fail(impl->where(), "cannot close file");
  }
  impl->journal.close(/*remove=*/true);  // the file is complete and closed
  if (classic) {
    fs::rename(impl->work_path, impl->final_path, ec);
    if (ec) fail_at(impl->where(), "cannot move the finished file into place: " + ec.message());
  }
}

void RecordingWriter::discard() {
  if (!is_open()) return;
  std::unique_ptr<Impl> impl = std::move(impl_);
  impl->sensors.clear();
  impl->gap_type.reset();
  const herr_t status = H5Fclose(impl->file.release());
  H5Eclear2(H5E_DEFAULT);
  impl->journal.close(/*remove=*/status >= 0);  // closed cleanly: the file holds what was flushed
  if (impl->work_path != impl->final_path) {
    std::error_code ec;
    fs::remove(impl->work_path, ec);
  }
}

std::size_t RecordingWriter::samples_appended(std::size_t sensor) const {
  if (!is_open() || sensor >= impl_->sensors.size()) return 0;
  return impl_->sensors[sensor].rows_written + impl_->sensors[sensor].buffered();
}

}  // namespace stridelab::storage
