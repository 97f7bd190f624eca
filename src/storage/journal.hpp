#pragma once
// Append-only sidecar journal of a live recording (`<path>.journal`, docs/FILE_FORMAT.md
// "Crash safety"). HDF5 1.10 rewrites blocks in place (the last chunk of every dataset, chunk
// index blocks, object headers); `kill -9` in the middle of such a write() can leave a block
// half new, half old, and the HDF5 file unreadable. The journal only ever appends, every record
// carries a CRC-32, and it is written before each HDF5 flush, so a reader can restore from it
// whatever the HDF5 file lost. Removed when the writer closes the file cleanly. Private to the
// storage stage.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "storage/h5_layout.hpp"
#include "stridelab/core/types.hpp"

namespace stridelab::storage::journal {

// "<recording>.journal"
std::filesystem::path path_for(const std::filesystem::path& recording);

class Writer {
 public:
  Writer() = default;
  ~Writer();  // closes the file and keeps it
  Writer(Writer&& o) noexcept;
  Writer& operator=(Writer&& o) noexcept;
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Creates (replaces) the journal and writes its header record (metadata and sensors).
  // `sync`: fdatasync after each commit() (the HDF5 file's sync_to_disk).
  void open(const std::filesystem::path& path, const Recording& metadata,
            const std::vector<SensorInfo>& sensors, bool sync);
  bool is_open() const { return fd_ >= 0; }

  // Queue one record of `n` rows of sensor `sensor`, starting at row `first_row`. The arrays
  // are row-major: time and device_time n values, acc/gyr/mag 3n values (gyr/mag nullptr if
  // the sensor has none).
  void add_samples(std::size_t sensor, std::uint64_t first_row, std::size_t n, const double* time,
                   const double* device_time, const double* acc, const double* gyr,
                   const double* mag);
  void add_gaps(std::size_t sensor, std::uint64_t first_gap, std::span<const layout::GapRow> rows);
  // Appends the queued records with one write() (then fdatasync if asked).
  void commit();
  // Closes; remove = true deletes the file (the HDF5 file was closed cleanly).
  void close(bool remove);

 private:
  void begin_record(std::uint32_t type);
  void end_record();
  template <typename T>
  void put(const T& value);
  void put_bytes(const void* data, std::size_t bytes);
  void put_string(const std::string& s);

  std::filesystem::path path_;
  int fd_ = -1;
  bool sync_ = false;
  std::vector<unsigned char> buf_;
  std::size_t record_start_ = 0;
  std::vector<bool> has_gyr_, has_mag_;
};

// What a journal holds.
struct Contents {
  Recording recording;      // metadata, sensors, and every sample and gap journaled
  std::size_t records = 0;  // sample and gap records read
  std::string stopped;      // why reading stopped before the end of the file, "" if not
};

// Reads a journal up to its first incomplete, damaged or inconsistent record (a kill during a
// write leaves a cut-off last record). Throws Error if the file or its header record is
// unreadable.
Contents read(const std::filesystem::path& path);

}  // namespace stridelab::storage::journal
