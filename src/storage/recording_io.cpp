// Format dispatch by extension, and whole-recording HDF5 writes through RecordingWriter (one
// code path builds the layout, whether the file is written live or in one go).
#include <algorithm>
#include <cctype>

#include "storage/h5_recording.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/storage/recording_io.hpp"
#include "stridelab/storage/recording_writer.hpp"

namespace stridelab::storage {

FileKind file_kind(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".h5" || ext == ".hdf5" || ext == ".hdf") return FileKind::kHdf5;
  if (ext == ".csv") return FileKind::kCsv;
  fail_at(path.string(), "unknown file type '" + ext + "' (expected .h5, .hdf5 or .csv)");
}

AccUnit acc_unit_from_string(const std::string& s) {
  if (s == "auto") return AccUnit::kAuto;
  if (s == "g") return AccUnit::kG;
  if (s == "ms2" || s == "m/s2" || s == "m/s^2") return AccUnit::kMs2;
  throw Error("unknown accelerometer unit '" + s + "' (expected auto, g or ms2)");
}

GyrUnit gyr_unit_from_string(const std::string& s) {
  if (s == "auto") return GyrUnit::kAuto;
  if (s == "dps" || s == "deg/s") return GyrUnit::kDps;
  if (s == "rads" || s == "rad/s") return GyrUnit::kRads;
  throw Error("unknown gyroscope unit '" + s + "' (expected auto, dps or rads)");
}

std::int64_t recording_format_version(const std::filesystem::path& path) {
  OpenedFile f = open_h5_for_reading(path);
  if (!h5::has_attr(f.file.get(), "format_version"))
    fail_at(f.where, "not a stridelab recording (no 'format_version' attribute)");
  return h5::read_int_attr(f.file.get(), "format_version", f.where);
}

Recording read_recording(const std::filesystem::path& path, const CsvOptions& csv) {
  return file_kind(path) == FileKind::kHdf5 ? read_h5_recording(path) : read_csv(path, csv);
}

void write_h5_recording(const std::filesystem::path& path, const Recording& rec) {
  std::vector<SensorInfo> infos;
  for (const auto& s : rec.sensors) {
    try {
      s.validate();
    } catch (const Error& e) {
      fail_at(path.string(), e.what());
    }
    infos.push_back(s.info);
  }
  WriterOptions options;
  options.crash_safe = false;  // written in one go: the file appears when it is complete
  options.flush_interval_s = 1e9;
  RecordingWriter writer;
  try {
    writer.open(path, rec, infos, options);
    for (std::size_t k = 0; k < rec.sensors.size(); ++k) {
      const SensorData& s = rec.sensors[k];
      constexpr std::size_t kBatch = 65536;
      std::vector<ImuSample> batch;
      for (std::size_t begin = 0; begin < s.size(); begin += kBatch) {
        const std::size_t end = std::min(s.size(), begin + kBatch);
        batch.clear();
        for (std::size_t i = begin; i < end; ++i) batch.push_back(s.sample(i));
        const std::span<const double> device(
            s.device_time_s.empty() ? nullptr : s.device_time_s.data() + begin,
            s.device_time_s.empty() ? 0 : end - begin);
        writer.append(k, batch, device);
        writer.flush();
      }
      for (const Gap& g : s.gaps) writer.add_gap(k, g);
    }
    writer.close();
  } catch (...) {
    writer.discard();
    throw;
  }
}

void write_recording(const std::filesystem::path& path, const Recording& rec,
                     bool allow_lossy_csv) {
  if (rec.sensors.empty()) fail_at(path.string(), "recording has no sensors to write");
  if (file_kind(path) == FileKind::kHdf5) return write_h5_recording(path, rec);
  if (rec.sensors.size() > 1 && !allow_lossy_csv)
    fail_at(path.string(), "CSV holds one sensor but the recording has " +
                               std::to_string(rec.sensors.size()) +
                               " (choose one, or allow writing only the primary sensor)");
  write_csv(path, rec.primary());
}

}  // namespace stridelab::storage
