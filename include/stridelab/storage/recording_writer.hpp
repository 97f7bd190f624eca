#pragma once
// Appendable, crash-safe writer of the HDF5 recording format (docs/FILE_FORMAT.md).
//
// The live recorder opens it once with the sensors it will record, appends samples as they
// arrive and adds gaps when the clock model finds them. Samples are buffered in memory and
// written in batches; with crash_safe (the default) the file is in HDF5's SWMR mode and is
// flushed at least every flush_interval_s, each flush preceded by an append to the journal
// `<path>.journal`, so `kill -9` at any moment leaves a file that read_recording() opens (or
// restores from the journal when a kill cut an HDF5 write) and that holds every sample
// appended up to flush_interval_s before.
//
// Crash safety holds as long as the caller keeps calling append() or flush_if_due() (e.g. from
// a timer); the writer has no thread of its own. Use one writer from one thread. The sensors
// are fixed at open() (HDF5's SWMR mode cannot create objects later). Files are replaced, not
// appended to: a new session is a new file.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "stridelab/core/types.hpp"

namespace stridelab::storage {

struct WriterOptions {
  bool crash_safe = true;         // SWMR file + periodic flush; false: classic HDF5 file that
                                  // appears at `path` only when close() succeeds (batch use)
  double flush_interval_s = 0.5;  // max age of buffered samples before they are written, s
  std::size_t chunk_rows = 4096;  // rows per HDF5 chunk
  int deflate_level = 1;          // zlib 0..9 (0 = none) for time and device_time; with
                                  // shuffle, 1 is nearly as small as 4 and ~30 % faster
  bool compress_imu = false;      // shuffle+deflate on acc/gyr/mag too: noisy sensor doubles
                                  // shrink only ~1.6x but inflate costs ~3x the whole analysis
                                  // (docs/PERFORMANCE.md); Fletcher-32 stays on either way
  bool sync_to_disk = false;      // fsync after each flush (power-loss safety; costs ms)
  bool journal = true;            // crash_safe only: append-only `<path>.journal` written
                                  // before each flush, from which read_recording() restores
                                  // what a kill -9 made unreadable in the HDF5 file; removed
                                  // by a clean close() (docs/FILE_FORMAT.md, Crash safety)
};

class RecordingWriter {
 public:
  RecordingWriter();
  // Opens at once (see open()).
  RecordingWriter(const std::filesystem::path& path, const Recording& metadata,
                  const std::vector<SensorInfo>& sensors, const WriterOptions& options = {});
  ~RecordingWriter();  // close(), errors swallowed: call close() to see them
  RecordingWriter(RecordingWriter&&) noexcept;
  RecordingWriter& operator=(RecordingWriter&&) noexcept;

  // Creates the file with the root metadata of `metadata` (its sensors are ignored) and one
  // group per sensor. The layout is built in "<path>.partial" and renamed into place once it
  // is complete, so `path` never holds a half-made file. Replaces an existing file.
  void open(const std::filesystem::path& path, const Recording& metadata,
            const std::vector<SensorInfo>& sensors, const WriterOptions& options = {});
  bool is_open() const;
  const std::filesystem::path& path() const;

  // Index of the sensor called `name` (as given to open()); throws Error if unknown.
  std::size_t sensor_index(const std::string& name) const;

  // Appends samples of one sensor. `device_time_s` is the sensor's own clock, one per sample,
  // or empty (then it equals time_s). Time must be finite and strictly increasing across
  // calls; gyr is ignored unless the sensor has_gyr, mag unless has_mag. Throws Error.
  void append(std::size_t sensor, std::span<const ImuSample> samples,
              std::span<const double> device_time_s = {});
  void append(std::size_t sensor, const ImuSample& sample, double device_time_s);
  // A stretch of missing samples (Gap::index counts samples of this sensor).
  void add_gap(std::size_t sensor, const Gap& gap);

  // Writes everything buffered and makes it visible to readers (and to a reader after a crash).
  void flush();
  // flush() if the oldest buffered sample is older than flush_interval_s. Returns true if so.
  bool flush_if_due();
  // Flushes and closes; for a classic (non crash-safe) file, renames it into place.
  void close();
  // Abandons the file: a classic file is removed, a crash-safe one keeps what was flushed.
  void discard();

  std::size_t samples_appended(std::size_t sensor) const;  // written + buffered

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stridelab::storage
