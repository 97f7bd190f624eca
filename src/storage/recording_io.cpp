// Format dispatch (reading by content, writing by extension), and whole-recording HDF5 writes
// through RecordingWriter (one code path builds the layout, whether the file is written live
// or in one go).
#include <algorithm>
#include <cctype>
#include <fstream>

#include "storage/foreign_formats.hpp"
#include "storage/h5_recording.hpp"
#include "storage/import_util.hpp"
#include "storage/zip_reader.hpp"
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

namespace {

namespace fs = std::filesystem;

std::string extension_of(const fs::path& path) {
  return import::lower(path.extension().string());
}

// The first bytes of a file (enough for every signature and header that is sniffed).
std::string head_of(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail_at(path.string(), "cannot open for reading");
  std::string head(16384, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head;
}

bool is_hdf5_signature(std::string_view head) {
  return head.substr(0, 8) == std::string_view("\x89HDF\r\n\x1a\n", 8);
}

// Key of a phone-app member: its file name, keeping a "meta/" folder (phyphox's meta/time.csv).
std::string member_key(const std::string& stored) {
  const auto slash = stored.find_last_of('/');
  std::string base = slash == std::string::npos ? stored : stored.substr(slash + 1);
  if (slash != std::string::npos) {
    const auto before = stored.find_last_of('/', slash == 0 ? 0 : slash - 1);
    const std::string parent =
        stored.substr(before == std::string::npos ? 0 : before + 1,
                      slash - (before == std::string::npos ? 0 : before + 1));
    if (import::lower(parent) == "meta") base = "meta/" + base;
  }
  return base;
}

bool is_csv_name(const std::string& name) {
  return name.size() > 4 && import::lower(name.substr(name.size() - 4)) == ".csv" &&
         name.find("__MACOSX") == std::string::npos;
}

foreign::FileSet folder_files(const fs::path& dir) {
  foreign::FileSet files;
  for (const fs::path& d : {dir, dir / "meta"}) {
    std::error_code ec;
    if (!fs::is_directory(d, ec)) continue;
    for (const auto& entry : fs::directory_iterator(d, ec)) {
      const std::string name = entry.path().filename().string();
      if (!entry.is_regular_file(ec) || !is_csv_name(name)) continue;
      files[d == dir ? name : "meta/" + name] = import::read_file(entry.path());
    }
  }
  return files;
}

foreign::FileSet zip_files(std::string_view bytes, const std::string& where) {
  foreign::FileSet files;
  for (auto& [stored, text] : zip::extract(bytes, where, is_csv_name)) {
    const std::string key = member_key(stored);
    if (files.count(key))
      fail_at(where, "zip holds two recordings' files named " + key + " (unpack it and open one)");
    files[key] = std::move(text);
  }
  return files;
}

SourceFormat phone_format(const foreign::FileSet& files, const std::string& where) {
  if (foreign::looks_like_sensor_logger(files)) return SourceFormat::kSensorLogger;
  if (foreign::looks_like_phyphox(files)) return SourceFormat::kPhyphox;
  std::string names;
  for (const auto& [name, text] : files) names += (names.empty() ? "" : ", ") + name;
  fail_at(where,
          "holds no recording stridelab knows (expected Sensor Logger's "
          "Accelerometer.csv + Gyroscope.csv with a 'time' column, or phyphox CSVs with "
          "units in the captions); CSV files found: " +
              (names.empty() ? std::string("none") : names));
}

SourceFormat detect(const fs::path& path, foreign::FileSet* files) {
  const std::string where = path.string();
  std::error_code ec;
  if (!fs::exists(path, ec)) fail_at(where, "no such file");
  if (fs::is_directory(path, ec)) {
    foreign::FileSet set = folder_files(path);
    const SourceFormat f = phone_format(set, where);
    if (files) *files = std::move(set);
    return f;
  }
  const std::string head = head_of(path);
  if (is_hdf5_signature(head))
    return foreign::is_apdm_hdf5(path) ? SourceFormat::kApdmHdf5 : SourceFormat::kStridelabHdf5;
  if (foreign::looks_like_cwa(head)) return SourceFormat::kAxivityCwa;
  if (zip::is_zip(head)) {
    const std::string all = import::read_file(path);
    foreign::FileSet set = zip_files(all, where);
    const SourceFormat f = phone_format(set, where);
    if (files) *files = std::move(set);
    return f;
  }
  if (foreign::looks_like_xsens_mt(head)) return SourceFormat::kXsensMtManager;
  if (foreign::looks_like_xsens_dot(head)) return SourceFormat::kXsensDot;
  if (foreign::looks_like_phyphox_header(head)) return SourceFormat::kPhyphox;
  const std::string ext = extension_of(path);
  if (ext == ".h5" || ext == ".hdf5" || ext == ".hdf") return SourceFormat::kStridelabHdf5;
  if (ext == ".csv") return SourceFormat::kCsv;
  fail_at(where, "unknown file type '" + ext + "' (starts \"" + import::printable(head, 16) +
                     "\"; expected a stridelab .h5 or .csv, Axivity .cwa, an Xsens MT Manager "
                     "or DOT export, APDM .h5, or a Sensor Logger / phyphox export)");
}

}  // namespace

SourceFormat detect_format(const fs::path& path) {
  return detect(path, nullptr);
}

std::string format_name(SourceFormat format) {
  switch (format) {
    case SourceFormat::kStridelabHdf5:
      return "HDF5, stridelab recording";
    case SourceFormat::kCsv:
      return "CSV";
    case SourceFormat::kAxivityCwa:
      return "Axivity CWA";
    case SourceFormat::kXsensMtManager:
      return "Xsens MT Manager text export";
    case SourceFormat::kXsensDot:
      return "Xsens DOT CSV export";
    case SourceFormat::kApdmHdf5:
      return "APDM Opal / Mobility Lab HDF5";
    case SourceFormat::kSensorLogger:
      return "Sensor Logger export";
    case SourceFormat::kPhyphox:
      return "phyphox export";
  }
  return "unknown";
}

Recording read_recording(const fs::path& path, const CsvOptions& csv) {
  foreign::FileSet files;
  const SourceFormat format = detect(path, &files);
  const std::string where = path.string();
  switch (format) {
    case SourceFormat::kStridelabHdf5:
      return read_h5_recording(path);
    case SourceFormat::kCsv:
      return read_csv(path, csv);
    case SourceFormat::kAxivityCwa:
      return foreign::parse_cwa(import::read_file(path), where, csv);
    case SourceFormat::kXsensMtManager:
      return foreign::parse_xsens_mt(import::read_file(path), where, csv);
    case SourceFormat::kXsensDot:
      return foreign::parse_xsens_dot(import::read_file(path), where, csv);
    case SourceFormat::kApdmHdf5:
      return foreign::read_apdm(path, csv);
    case SourceFormat::kSensorLogger:
      return foreign::parse_sensor_logger(files, where, csv);
    case SourceFormat::kPhyphox:
      if (files.empty()) files[path.filename().string()] = import::read_file(path);
      return foreign::parse_phyphox(files, where, csv);
  }
  fail_at(where, "unknown format");
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
