#pragma once
// Reading and writing recordings: the HDF5 recording format (docs/FILE_FORMAT.md) and CSV.
// The format is chosen from the file extension (.h5/.hdf5 vs .csv); every bad input throws
// stridelab::Error with a message that names the file and the place (line, dataset).
#include <filesystem>
#include <string>

#include "stridelab/core/types.hpp"

namespace stridelab::storage {

// Units of a CSV column group when the header does not say (recognised suffixes such as
// _g, _ms2, _dps, _rads win over these).
enum class AccUnit { kAuto, kMs2, kG };
enum class GyrUnit { kAuto, kRads, kDps };

struct CsvOptions {
  AccUnit acc_unit = AccUnit::kAuto;  // kAuto: from the column suffix, else m/s²
  GyrUnit gyr_unit = GyrUnit::kAuto;  // kAuto: from the column suffix, else rad/s
  std::string time_column;            // empty: "time", "t_s", "t", "timestamp" in that order
  double rate_hz = 0.0;               // > 0: ignore time columns and use i / rate_hz
  std::string sensor_name = "pelvis";
  Placement placement = Placement::kPelvis;
};

// Reads a recording (HDF5 or CSV).
Recording read_recording(const std::filesystem::path& path, const CsvOptions& csv = {});

// Writes a whole recording (HDF5 or CSV; CSV holds the primary sensor only and says so by
// throwing if there are several sensors and allow_lossy_csv is false).
void write_recording(const std::filesystem::path& path, const Recording& rec,
                     bool allow_lossy_csv = false);

}  // namespace stridelab::storage
