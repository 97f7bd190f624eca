#pragma once
// Cue settings and the cues given, stored in a recording's `/cues` group (docs/FILE_FORMAT.md).
// Written after the recording is closed (its SWMR layout is fixed while recording).
#include <filesystem>
#include <vector>

#include "stridelab/core/cues.hpp"

namespace stridelab::storage {

struct CueLog {
  CueSettings settings;
  std::vector<Cue> cues;
};

// Adds (or replaces) `/cues` in an existing HDF5 file. Throws Error naming the file.
void write_cues(const std::filesystem::path& path, const CueLog& log);
// Throws Error if the file has no `/cues` group or it is malformed.
CueLog read_cues(const std::filesystem::path& path);

}  // namespace stridelab::storage
