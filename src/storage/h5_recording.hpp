#pragma once
// HDF5 recording internals shared by the writer, the reader, the format upgrades and the
// results writer. Private to the storage stage.
#include <filesystem>
#include <string>

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

}  // namespace stridelab::storage
