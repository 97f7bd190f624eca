#pragma once
// HDF5 recording internals shared by the writer, the reader, the format upgrades and the
// results writer. Private to the storage stage.
#include <filesystem>
#include <string>
#include <vector>

#include "storage/h5_util.hpp"
#include "stridelab/core/types.hpp"

namespace stridelab::storage {

// Compound type of one row of a sensor's `gaps` table (layout::GapRow).
h5::Handle make_gap_row_type();

// An HDF5 file opened read-only. `recovered` is true when the file is still marked as open by
// a SWMR writer (the writer was killed, or is still recording): then it was opened in SWMR read
// mode and datasets may end at slightly different rows.
struct OpenedFile {
  h5::Handle file;
  bool recovered = false;
  std::string where;  // the path, for messages
};
// Throws Error naming the file if it is missing, not HDF5, truncated or otherwise unreadable.
OpenedFile open_h5_for_reading(const std::filesystem::path& path);

Recording read_h5_recording(const std::filesystem::path& path);
void write_h5_recording(const std::filesystem::path& path, const Recording& rec);

// One reader per on-disk format version; each returns the current in-memory Recording, so an
// old file is upgraded as it is read and never rewritten behind the user's back.
Recording read_format0(hid_t file, const std::string& where);
Recording read_format1(hid_t file, const std::string& where, bool recovered);

// Root metadata attributes (shared by the format readers).
void read_root_metadata(hid_t file, const std::string& where, Recording& rec);

// Pieces of the format 1 reader that the summary (recording_summary.cpp) shares with it.
// A sensor group's attributes, checked against the datasets it holds.
SensorInfo read_sensor_info_v1(hid_t group, const std::string& name, const std::string& where);
// The gaps table of a sensor with `samples` rows; `recovered` drops rows a crash left unwritten.
std::vector<Gap> read_gaps_v1(hid_t group, const std::string& where, std::size_t samples,
                              bool recovered);
// Throws unless the dataset's `units` attribute is `expected`.
void require_units(hid_t dataset, const char* expected, const std::string& where);
// Throws naming the row unless time[0..n) is finite and strictly increasing.
void check_time_column(const std::vector<double>& time, std::size_t n, const std::string& where);

}  // namespace stridelab::storage
