#pragma once
// What a recording holds, without holding its samples: per sensor the sample count, first and
// last time, gaps and the largest |value| of acc and gyr (`stridelab info`). A stridelab HDF5
// recording is scanned block by block, so a summary costs a fraction of reading the file
// (docs/PERFORMANCE.md "Process start and whole commands"); every other kind of file is read
// whole with read_recording() and summarised from memory.
#include <cstddef>
#include <filesystem>
#include <vector>

#include "stridelab/core/types.hpp"
#include "stridelab/storage/recording_io.hpp"

namespace stridelab::storage {

struct SensorSummary {
  SensorInfo info;
  std::size_t samples = 0;
  double first_time_s = 0.0, last_time_s = 0.0;  // 0 without samples
  std::vector<Gap> gaps;
  double acc_max_abs_ms2 = 0.0;   // largest |component| of acc
  double gyr_max_abs_rads = 0.0;  // of gyr; 0 without a gyroscope
  double duration_s() const { return last_time_s - first_time_s; }
};

struct RecordingSummary {
  Recording metadata;  // subject, notes, start time, source, version, attributes; no sensors
  std::vector<SensorSummary> sensors;
};

// Throws Error naming the file, as read_recording() does, for anything it cannot read.
RecordingSummary summarize_recording(const std::filesystem::path& path, const CsvOptions& csv = {});
SensorSummary summarize_sensor(const SensorData& sensor);
// Only the metadata (subject, notes, start time, source, version, attributes; no sensors): a
// closed stridelab HDF5 recording reads just its root attributes, any other file is read whole.
Recording read_metadata(const std::filesystem::path& path, const CsvOptions& csv = {});

}  // namespace stridelab::storage
