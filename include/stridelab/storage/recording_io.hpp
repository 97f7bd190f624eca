#pragma once
// Reading and writing recordings: the HDF5 recording format (docs/FILE_FORMAT.md) and CSV, and
// reading other devices' files (Axivity CWA, Xsens exports, APDM HDF5, phone-app exports).
// What is read is judged from the content (detect_format); what is written from the extension.
// Every bad input throws stridelab::Error with a message that names the file and the place
// (line, dataset, block).
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "stridelab/core/types.hpp"

namespace stridelab::storage {

// Units of a CSV column group. kAuto takes the unit from the column-name suffix (_g, _ms2,
// _mps2 / _dps, _degs, _rads) and falls back to SI; an explicit unit overrides the suffix (for
// files whose names lie).
enum class AccUnit { kAuto, kMs2, kG };
enum class GyrUnit { kAuto, kRads, kDps };

struct CsvOptions {
  AccUnit acc_unit = AccUnit::kAuto;  // kAuto: from the column suffix, else m/s²
  GyrUnit gyr_unit = GyrUnit::kAuto;  // kAuto: from the column suffix, else rad/s
  std::string time_column;            // empty: "time", "time_s", "t_s", "t", "timestamp"
  double rate_hz = 0.0;               // > 0: ignore time columns and use i / rate_hz, Hz
  std::string sensor_name = "pelvis";
  Placement placement = Placement::kPelvis;
  bool skip_unit_check = false;  // true: trust the units even if the data disagree
  // Axivity CWA: the device clock's offset from UTC ("+01:00"); the file keeps local time
  // and no zone, so empty leaves the start time local with no zone.
  std::string utc_offset;
};

// What a phyphox CSV's first line holds, from the units in its captions ("Time (s)",
// "Beschleunigung x (m/s^2)"): phyphox may translate captions and file names, never units.
struct PhoneColumns {
  bool time = false;  // a caption in s
  bool acc = false;   // x/y/z captions in m/s^2
  bool gyr = false;   // x/y/z captions in rad/s
};
PhoneColumns phyphox_columns(std::string_view head);

// Reads a recording in any format detect_format() recognises. HDF5 files of older formats are
// upgraded in memory; a file left open by a killed recorder is read up to its last flush and
// gets the attribute "recovered". CSV options apply to the text formats (units, rate, sensor
// name); other devices' files say what they are in the attribute "import_format".
Recording read_recording(const std::filesystem::path& path, const CsvOptions& csv = {});

// Recording formats read, recognised from the content first (magic bytes, header lines,
// captions, a folder's or zip's file names) and from the extension only when the content
// does not say (.h5/.hdf5/.hdf, .csv).
enum class SourceFormat {
  kStridelabHdf5,   // this tool's recording (docs/FILE_FORMAT.md)
  kCsv,             // native or recognised columns
  kAxivityCwa,      // Axivity AX3 / AX6 .cwa
  kXsensMtManager,  // Xsens MT Manager text export ("//" header, tab-separated)
  kXsensDot,        // Xsens DOT app CSV ("sep=," and metadata lines)
  kApdmHdf5,        // APDM Opal / Mobility Lab HDF5 (/Sensors/<id>/...)
  kSensorLogger,    // Sensor Logger folder or zip (Accelerometer.csv, Gyroscope.csv, ...)
  kPhyphox,         // phyphox CSV export (file, folder or zip)
};
// Throws Error naming the file if it is missing or of no recognised kind.
SourceFormat detect_format(const std::filesystem::path& path);
std::string format_name(SourceFormat format);

// Writes a whole recording (HDF5 or CSV; CSV holds the primary sensor only and says so by
// throwing if there are several sensors and allow_lossy_csv is false).
// HDF5 is written to "<path>.partial" and renamed into place when complete.
void write_recording(const std::filesystem::path& path, const Recording& rec,
                     bool allow_lossy_csv = false);

// Command-line spellings: "auto", "g", "ms2" / "auto", "dps", "rads". Throw Error otherwise.
AccUnit acc_unit_from_string(const std::string& s);
GyrUnit gyr_unit_from_string(const std::string& s);

// format_version of an HDF5 recording (root attribute); throws Error if it is not one.
std::int64_t recording_format_version(const std::filesystem::path& path);

// File kinds by extension (case-insensitive): .h5/.hdf5/.hdf, .csv. Throws Error otherwise.
// This is what write_recording() writes; reading goes by detect_format().
enum class FileKind { kHdf5, kCsv };
FileKind file_kind(const std::filesystem::path& path);

// CSV directly (DESIGN.md "Native CSV"). parse_csv reads text already in memory; `name` is
// used in messages and as Recording::source.
Recording read_csv(const std::filesystem::path& path, const CsvOptions& options = {});
Recording parse_csv(std::string_view text, const std::string& name, const CsvOptions& options = {});
// Native CSV of one sensor: time,acc_x..z[,gyr_x..z][,mag_x..z] in s, m/s², rad/s, µT, each
// number in the shortest form that reads back to the same double.
void write_csv(const std::filesystem::path& path, const SensorData& sensor);
std::string format_csv(const SensorData& sensor);

}  // namespace stridelab::storage
