#include "storage/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <system_error>

#include "stridelab/core/crc.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/core/version.hpp"

namespace stridelab::storage::journal {

namespace fs = std::filesystem;

// Records are written in native byte order, which the format fixes as little-endian.
static_assert(std::endian::native == std::endian::little, "the journal is little-endian");

namespace {

constexpr unsigned char kMagic[8] = {0x89, 'S', 'L', 'J', 'R', 'N', 'L', '\n'};
constexpr std::uint32_t kVersion = 1;
constexpr std::uint32_t kHeader = 1;
constexpr std::uint32_t kSamples = 2;
constexpr std::uint32_t kGaps = 3;
constexpr std::size_t kRecordHead = 8;  // type, payload bytes
constexpr std::size_t kGapBytes = 32 + layout::kGapCauseBytes;
constexpr std::uint32_t kMaxPayload = 1u << 30;  // sanity limit for a damaged length

// Journal format 1 checks its records with CRC-32/ISO-HDLC (zlib's crc32), not the
// protocol's CRC-32C: existing journals must still restore (docs/FILE_FORMAT.md).
std::uint32_t crc32_of(const unsigned char* data, std::size_t bytes) {
  return crc32(Crc32Variant::kIsoHdlc, data, bytes);
}

void write_all(int fd, const unsigned char* data, std::size_t bytes, const fs::path& path) {
  while (bytes > 0) {
    const ssize_t done = ::write(fd, data, bytes);
    if (done < 0) {
      if (errno == EINTR) continue;
      fail_at(path.string(), std::string("cannot write journal: ") + std::strerror(errno));
    }
    data += done;
    bytes -= static_cast<std::size_t>(done);
  }
}

// Bounds-checked reading of one record's payload.
class Cursor {
 public:
  Cursor(const unsigned char* data, std::size_t bytes) : p_(data), end_(data + bytes) {}
  bool ok() const { return ok_; }
  bool at_end() const { return p_ == end_; }
  std::size_t left() const { return static_cast<std::size_t>(end_ - p_); }
  template <typename T>
  T get() {
    T value{};
    bytes(&value, sizeof value);
    return value;
  }
  void bytes(void* out, std::size_t n) {
    if (!ok_ || left() < n) {
      ok_ = false;
      return;
    }
    std::memcpy(out, p_, n);
    p_ += n;
  }
  std::string string() {
    const auto n = get<std::uint32_t>();
    if (!ok_ || left() < n) {
      ok_ = false;
      return {};
    }
    std::string s(reinterpret_cast<const char*>(p_), n);
    p_ += n;
    return s;
  }

 private:
  const unsigned char* p_;
  const unsigned char* end_;
  bool ok_ = true;
};

bool parse_header(Cursor& c, Recording& rec, std::string& error) {
  const auto version = c.get<std::uint32_t>();
  if (c.ok() && version != kVersion) {
    error = "journal version " + std::to_string(version) + " is not supported";
    return false;
  }
  rec.subject_id = c.string();
  rec.notes = c.string();
  rec.start_time_iso = c.string();
  rec.tool_version = c.string();
  rec.source = c.string();
  const auto attrs = c.get<std::uint32_t>();
  for (std::uint32_t i = 0; c.ok() && i < attrs; ++i) {
    std::string key = c.string();
    rec.attributes[key] = c.string();
  }
  const auto sensors = c.get<std::uint32_t>();
  for (std::uint32_t i = 0; c.ok() && i < sensors; ++i) {
    SensorData d;
    SensorInfo& info = d.info;
    info.name = c.string();
    const std::string placement = c.string();
    info.device_model = c.string();
    info.device_id = c.string();
    info.firmware = c.string();
    info.nominal_rate_hz = c.get<double>();
    info.acc_range_ms2 = c.get<double>();
    info.gyr_range_rads = c.get<double>();
    info.has_gyr = c.get<std::uint8_t>() != 0;
    info.has_mag = c.get<std::uint8_t>() != 0;
    if (!c.ok()) break;
    try {
      info.placement = placement_from_string(placement);
    } catch (const Error& e) {
      error = e.what();
      return false;
    }
    rec.sensors.push_back(std::move(d));
  }
  if (!c.ok() || !c.at_end() || rec.sensors.empty()) {
    error = "malformed header record";
    return false;
  }
  return true;
}

// Appends one samples record to its sensor. False (and `error`) if it does not fit.
bool parse_samples(Cursor& c, Recording& rec, std::string& error) {
  const auto sensor = c.get<std::uint32_t>();
  const auto n = c.get<std::uint32_t>();
  const auto first_row = c.get<std::uint64_t>();
  if (!c.ok() || sensor >= rec.sensors.size()) {
    error = "samples record for an unknown sensor";
    return false;
  }
  SensorData& s = rec.sensors[sensor];
  const std::size_t per_row = 5 + (s.info.has_gyr ? 3 : 0) + (s.info.has_mag ? 3 : 0);
  if (c.left() != std::size_t{n} * per_row * sizeof(double)) {
    error = "samples record of the wrong size";
    return false;
  }
  if (first_row != s.size()) {
    error = "samples record for " + s.info.name + " starts at row " + std::to_string(first_row) +
            ", expected " + std::to_string(s.size());
    return false;
  }
  const std::size_t old = s.size();
  s.time_s.resize(old + n);
  s.device_time_s.resize(old + n);
  c.bytes(s.time_s.data() + old, n * sizeof(double));
  c.bytes(s.device_time_s.data() + old, n * sizeof(double));
  auto vec3s = [&](std::vector<Vec3>& v) {
    v.resize(old + n);
    static_assert(sizeof(Vec3) == 3 * sizeof(double));
    c.bytes(v[old].data(), 3 * n * sizeof(double));
  };
  vec3s(s.acc);
  if (s.info.has_gyr) vec3s(s.gyr);
  if (s.info.has_mag) vec3s(s.mag);
  for (std::size_t i = old; i < old + n; ++i)
    if (!std::isfinite(s.time_s[i]) || (i > 0 && !(s.time_s[i] > s.time_s[i - 1])) ||
        !std::isfinite(s.device_time_s[i])) {
      error = "samples record for " + s.info.name + " has invalid times";
      s.time_s.resize(old);
      s.device_time_s.resize(old);
      s.acc.resize(old);
      if (s.info.has_gyr) s.gyr.resize(old);
      if (s.info.has_mag) s.mag.resize(old);
      return false;
    }
  return true;
}

bool parse_gaps(Cursor& c, Recording& rec, std::string& error) {
  const auto sensor = c.get<std::uint32_t>();
  const auto n = c.get<std::uint32_t>();
  const auto first_gap = c.get<std::uint64_t>();
  if (!c.ok() || sensor >= rec.sensors.size() || c.left() != std::size_t{n} * kGapBytes) {
    error = "malformed gaps record";
    return false;
  }
  SensorData& s = rec.sensors[sensor];
  if (first_gap != s.gaps.size()) {
    error = "gaps record for " + s.info.name + " does not follow the previous one";
    return false;
  }
  for (std::uint32_t i = 0; i < n; ++i) {
    Gap g;
    g.index = static_cast<std::size_t>(c.get<std::uint64_t>());
    g.start_s = c.get<double>();
    g.end_s = c.get<double>();
    g.missing = c.get<std::uint64_t>();
    char cause[layout::kGapCauseBytes];
    c.bytes(cause, sizeof cause);
    g.cause.assign(cause, strnlen(cause, sizeof cause));
    s.gaps.push_back(std::move(g));
  }
  return true;
}

}  // namespace

fs::path path_for(const fs::path& recording) {
  return fs::path(recording.string() + ".journal");
}

// ---- writing -------------------------------------------------------------------------------

Writer::~Writer() {
  if (fd_ >= 0) ::close(fd_);
}

Writer::Writer(Writer&& o) noexcept
    : path_(std::move(o.path_)),
      fd_(o.fd_),
      sync_(o.sync_),
      buf_(std::move(o.buf_)),
      record_start_(o.record_start_),
      has_gyr_(std::move(o.has_gyr_)),
      has_mag_(std::move(o.has_mag_)) {
  o.fd_ = -1;
}

Writer& Writer::operator=(Writer&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(o.path_);
    fd_ = o.fd_;
    sync_ = o.sync_;
    buf_ = std::move(o.buf_);
    record_start_ = o.record_start_;
    has_gyr_ = std::move(o.has_gyr_);
    has_mag_ = std::move(o.has_mag_);
    o.fd_ = -1;
  }
  return *this;
}

template <typename T>
void Writer::put(const T& value) {
  put_bytes(&value, sizeof value);
}

void Writer::put_bytes(const void* data, std::size_t bytes) {
  const auto* p = static_cast<const unsigned char*>(data);
  buf_.insert(buf_.end(), p, p + bytes);
}

void Writer::put_string(const std::string& s) {
  put(static_cast<std::uint32_t>(s.size()));
  put_bytes(s.data(), s.size());
}

void Writer::begin_record(std::uint32_t type) {
  record_start_ = buf_.size();
  put(type);
  put(std::uint32_t{0});  // payload bytes, set by end_record()
}

void Writer::end_record() {
  const std::size_t payload = buf_.size() - record_start_ - kRecordHead;
  const auto bytes = static_cast<std::uint32_t>(payload);
  std::memcpy(buf_.data() + record_start_ + 4, &bytes, sizeof bytes);
  const std::uint32_t crc = crc32_of(buf_.data() + record_start_, buf_.size() - record_start_);
  put(crc);
}

void Writer::open(const fs::path& path, const Recording& metadata,
                  const std::vector<SensorInfo>& sensors, bool sync) {
  close(false);
  path_ = path;
  sync_ = sync;
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0)
    fail_at(path.string(), std::string("cannot create journal: ") + std::strerror(errno));
  buf_.clear();
  put_bytes(kMagic, sizeof kMagic);
  begin_record(kHeader);
  put(kVersion);
  put_string(metadata.subject_id);
  put_string(metadata.notes);
  put_string(metadata.start_time_iso);
  put_string(std::string(version()));
  put_string(metadata.source);
  put(static_cast<std::uint32_t>(metadata.attributes.size()));
  for (const auto& [key, value] : metadata.attributes) {
    put_string(key);
    put_string(value);
  }
  put(static_cast<std::uint32_t>(sensors.size()));
  has_gyr_.clear();
  has_mag_.clear();
  for (const auto& info : sensors) {
    put_string(info.name);
    put_string(to_string(info.placement));
    put_string(info.device_model);
    put_string(info.device_id);
    put_string(info.firmware);
    put(info.nominal_rate_hz);
    put(info.acc_range_ms2);
    put(info.gyr_range_rads);
    put(std::uint8_t{info.has_gyr});
    put(std::uint8_t{info.has_mag});
    has_gyr_.push_back(info.has_gyr);
    has_mag_.push_back(info.has_mag);
  }
  end_record();
  commit();
}

void Writer::add_samples(std::size_t sensor, std::uint64_t first_row, std::size_t n,
                         const double* time, const double* device_time, const double* acc,
                         const double* gyr, const double* mag) {
  if (fd_ < 0 || n == 0) return;
  constexpr std::size_t kMaxRows = 1u << 20;  // keeps a record well under kMaxPayload
  for (std::size_t done = 0; done < n; done += kMaxRows) {
    const std::size_t rows = std::min(kMaxRows, n - done);
    begin_record(kSamples);
    put(static_cast<std::uint32_t>(sensor));
    put(static_cast<std::uint32_t>(rows));
    put(static_cast<std::uint64_t>(first_row + done));
    put_bytes(time + done, rows * sizeof(double));
    put_bytes(device_time + done, rows * sizeof(double));
    put_bytes(acc + 3 * done, 3 * rows * sizeof(double));
    if (has_gyr_[sensor]) put_bytes(gyr + 3 * done, 3 * rows * sizeof(double));
    if (has_mag_[sensor]) put_bytes(mag + 3 * done, 3 * rows * sizeof(double));
    end_record();
  }
}

void Writer::add_gaps(std::size_t sensor, std::uint64_t first_gap,
                      std::span<const layout::GapRow> rows) {
  if (fd_ < 0 || rows.empty()) return;
  begin_record(kGaps);
  put(static_cast<std::uint32_t>(sensor));
  put(static_cast<std::uint32_t>(rows.size()));
  put(first_gap);
  for (const auto& r : rows) {
    put(r.index);
    put(r.start_s);
    put(r.end_s);
    put(r.missing);
    put_bytes(r.cause, sizeof r.cause);
  }
  end_record();
}

void Writer::commit() {
  if (fd_ < 0 || buf_.empty()) return;
  write_all(fd_, buf_.data(), buf_.size(), path_);
  buf_.clear();
  if (sync_ && ::fdatasync(fd_) != 0)
    fail_at(path_.string(), std::string("journal fdatasync failed: ") + std::strerror(errno));
}

void Writer::close(bool remove) {
  if (fd_ < 0) return;
  ::close(fd_);
  fd_ = -1;
  buf_.clear();
  if (remove) {
    std::error_code ec;
    fs::remove(path_, ec);
  }
}

// ---- reading -------------------------------------------------------------------------------

Contents read(const fs::path& path) {
  const std::string where = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) fail_at(where, "cannot open journal");
  unsigned char magic[sizeof kMagic] = {};
  if (!in.read(reinterpret_cast<char*>(magic), sizeof magic) ||
      std::memcmp(magic, kMagic, sizeof kMagic) != 0)
    fail_at(where, "not a stridelab journal");
  std::error_code ec;
  const auto file_size = fs::file_size(path, ec);
  if (ec) fail_at(where, "cannot stat journal: " + ec.message());
  std::uint64_t offset = sizeof kMagic;

  Contents out;
  std::vector<unsigned char> rec;
  bool have_header = false;
  while (true) {
    if (offset == file_size) break;
    const std::string at = "record at byte " + std::to_string(offset);
    unsigned char head[kRecordHead];
    if (file_size - offset < kRecordHead + 4 ||
        !in.read(reinterpret_cast<char*>(head), sizeof head)) {
      out.stopped = at + " is cut off";
      break;
    }
    std::uint32_t type = 0, bytes = 0;
    std::memcpy(&type, head, 4);
    std::memcpy(&bytes, head + 4, 4);
    if (bytes > kMaxPayload || bytes > file_size - offset - kRecordHead - 4) {
      out.stopped = at + " is cut off or damaged";
      break;
    }
    rec.resize(kRecordHead + bytes + 4);
    std::memcpy(rec.data(), head, kRecordHead);
    if (!in.read(reinterpret_cast<char*>(rec.data() + kRecordHead), bytes + 4)) {
      out.stopped = at + " is cut off";
      break;
    }
    std::uint32_t stored = 0;
    std::memcpy(&stored, rec.data() + kRecordHead + bytes, 4);
    if (crc32_of(rec.data(), kRecordHead + bytes) != stored) {
      out.stopped = at + " fails its CRC-32";
      break;
    }
    Cursor c(rec.data() + kRecordHead, bytes);
    std::string error;
    bool ok = false;
    if (!have_header) {
      if (type != kHeader) fail_at(where, "journal does not start with a header record");
      if (!parse_header(c, out.recording, error)) fail_at(where, "journal header: " + error);
      have_header = ok = true;
    } else if (type == kSamples) {
      ok = parse_samples(c, out.recording, error);
    } else if (type == kGaps) {
      ok = parse_gaps(c, out.recording, error);
    } else {
      error = "unknown record type " + std::to_string(type);
    }
    if (!ok) {
      out.stopped = at + ": " + error;
      break;
    }
    if (type != kHeader) ++out.records;
    offset += kRecordHead + bytes + 4;
  }
  if (!have_header) fail_at(where, "journal header: " + out.stopped);
  // A gap may name the sample after it before that sample was journaled.
  for (auto& s : out.recording.sensors)
    std::erase_if(s.gaps, [&](const Gap& g) { return g.index > s.size(); });
  return out;
}

}  // namespace stridelab::storage::journal
