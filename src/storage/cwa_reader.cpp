// Axivity .cwa (OpenMovement "continuous wave accelerometer" format) as the AX3 and AX6 write
// it: a 1024-byte "MD" header, then 512-byte "AX" data blocks, each with its own RTC stamp,
// sample count and a 16-bit word checksum. Facts used (OpenMovement's published cwa.h layout,
// checked on the shared sample files):
//   header  @4 hardware type (0x64 AX6; 0x00, 0x17, 0xFF AX3), @5 device id (u16),
//           @7 session id, @11 upper device id (0xFFFF = none), @35 sensor config (low nibble:
//           gyro range 8000/2^n deg/s), @36 rate code, @41 firmware revision
//   block   @4 fraction/device id, @10 sequence, @14 RTC (YYYYYY MMMM DDDDD hhhhh mmmmmm ssssss,
//           years since 2000), @18 light (bits 13-15: acc scale 2^(8+n) counts/g, bits 10-12:
//           gyro range 8000/2^n deg/s), @24 rate code (3200 / 2^(15 - low nibble) Hz,
//           range 16 >> (code >> 6) g), @25 axes (high nibble) and packing (low nibble: 2 =
//           int16 per axis, 0 = three 10-bit values + 2-bit exponent in 32 bits), @26 timestamp
//           offset (the sample index the RTC second belongs to), @28 sample count, @30 data
//           (per sample: [gyro xyz] acc xyz [mag xyz]), @510 checksum (all 256 words sum to 0).
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "storage/foreign_formats.hpp"
#include "storage/import_util.hpp"
#include "stridelab/core/error.hpp"

namespace stridelab::storage::foreign {
namespace {

constexpr std::size_t kHeaderBytes = 1024;
constexpr std::size_t kBlockBytes = 512;
constexpr std::size_t kDataOffset = 30;
constexpr std::size_t kDataBytes = 480;
constexpr double kDegToRad = 3.14159265358979323846 / 180.0;

std::uint16_t u16(const unsigned char* p) {
  return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}
std::uint32_t u32(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
std::int16_t i16(const unsigned char* p) {
  return static_cast<std::int16_t>(u16(p));
}

double rate_hz(std::uint8_t code) {
  return 3200.0 / static_cast<double>(1u << (15 - (code & 0x0F)));
}

// Seconds since 1970 of the packed RTC value's calendar fields, as if UTC: the fields are the
// device's local time, whose zone the file does not record (see docs/FILE_FORMAT.md).
double rtc_seconds(std::uint32_t t) {
  return import::unix_seconds(
      static_cast<int>((t >> 26) & 0x3F) + 2000, static_cast<int>((t >> 22) & 0x0F),
      static_cast<int>((t >> 17) & 0x1F), static_cast<int>((t >> 12) & 0x1F),
      static_cast<int>((t >> 6) & 0x3F), static_cast<int>(t & 0x3F));
}

bool checksum_ok(const unsigned char* block) {
  std::uint16_t sum = 0;
  for (std::size_t i = 0; i < kBlockBytes; i += 2)
    sum = static_cast<std::uint16_t>(sum + u16(block + i));
  return sum == 0;
}

bool all_bytes(const unsigned char* p, std::size_t n, unsigned char value) {
  for (std::size_t i = 0; i < n; ++i)
    if (p[i] != value) return false;
  return true;
}

std::string place(std::size_t block, std::size_t offset) {
  return "block " + std::to_string(block) + " (byte " + std::to_string(offset) + ")";
}

struct Layout {
  int axes = 0;  // 3, 6 or 9
  bool packed = false;
  std::size_t count = 0;
};

// The block's sample layout, or an explanation of why it cannot be one.
std::string read_layout(const unsigned char* b, Layout& l) {
  l.axes = b[25] >> 4;
  const int packing = b[25] & 0x0F;
  l.count = u16(b + 28);
  l.packed = packing == 0;
  if (packing != 0 && packing != 2) return "unknown sample packing code " + std::to_string(packing);
  if (l.axes != 3 && l.axes != 6 && l.axes != 9)
    return "unsupported number of axes " + std::to_string(l.axes);
  if (l.packed && l.axes != 3) return "packed samples with " + std::to_string(l.axes) + " axes";
  const std::size_t bytes = l.count * (l.packed ? 4 : 2 * static_cast<std::size_t>(l.axes));
  if (l.count == 0 || bytes > kDataBytes)
    return "sample count " + std::to_string(l.count) + " does not fit the block";
  return {};
}

}  // namespace

bool looks_like_cwa(std::string_view head) {
  return head.size() >= 4 && head[0] == 'M' && head[1] == 'D' &&
         u16(reinterpret_cast<const unsigned char*>(head.data()) + 2) == 1020;
}

Recording parse_cwa(std::string_view bytes, const std::string& name, const CsvOptions& options) {
  const std::string where = name + ": Axivity CWA";
  if (!looks_like_cwa(bytes)) fail_at(where, "byte 0: no \"MD\" header (not a CWA file)");
  if (bytes.size() < kHeaderBytes)
    fail_at(where, "the file ends inside the 1024-byte header (at byte " +
                       std::to_string(bytes.size()) + ")");
  const auto* h = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::uint8_t hardware = h[4];
  const std::uint16_t upper = u16(h + 11);
  const std::uint32_t device_id = u16(h + 5) | (upper == 0xFFFF ? 0u : std::uint32_t{upper} << 16);
  const std::uint32_t session = u32(h + 7);
  const std::uint8_t sensor_config = h[35];
  const std::uint8_t rate_code = h[36];
  const int firmware = h[41];

  Recording rec;
  rec.source = name;
  SensorData d;
  d.info.name = options.sensor_name;
  d.info.placement = options.placement;
  d.info.device_id = std::to_string(device_id);
  d.info.firmware = std::to_string(firmware);
  d.info.nominal_rate_hz = rate_hz(rate_code);
  d.info.acc_range_ms2 = static_cast<double>(16 >> (rate_code >> 6)) * kGravity;
  const bool header_gyro = sensor_config != 0x00 && sensor_config != 0xFF;
  if (header_gyro)
    d.info.gyr_range_rads = static_cast<double>(8000 >> (sensor_config & 0x0F)) * kDegToRad;

  Layout file_layout;
  bool have_layout = false;
  std::vector<std::string> problems;  // skipped blocks, for the attribute
  std::size_t skipped = 0;
  double t_ref = 0.0;   // RTC second of the first good block: times are kept relative to it
  double t_last = 0.0;  // nominal end of the previous good block, s after t_ref
  double last_sample = 0.0;
  std::uint32_t last_sequence = 0;
  bool have_block = false;
  bool skipped_since_last = false;
  std::string skip_cause;
  std::vector<double> t;  // s after t_ref

  const std::size_t blocks = (bytes.size() - kHeaderBytes) / kBlockBytes;
  for (std::size_t k = 0; k < blocks; ++k) {
    const std::size_t offset = kHeaderBytes + k * kBlockBytes;
    const auto* b = h + offset;
    auto skip = [&](const std::string& why, const char* cause) {
      ++skipped;
      if (problems.size() < 5) problems.push_back(place(k, offset) + " " + why);
      skipped_since_last = true;
      if (skip_cause.empty()) skip_cause = cause;
    };
    if (b[0] != 'A' || b[1] != 'X' || u16(b + 2) != 508) {
      // Unused sectors at the end of a download are all 0xFF (or zero): not damage.
      if (all_bytes(b, kBlockBytes, 0xFF) || all_bytes(b, kBlockBytes, 0x00)) continue;
      skip("is not a data block (starts \"" + import::printable(bytes.substr(offset, 2)) + "\")",
           "damaged");
      continue;
    }
    if (!checksum_ok(b)) {
      skip("has a bad checksum", "checksum");
      continue;
    }
    Layout l;
    if (const std::string why = read_layout(b, l); !why.empty()) {
      skip(why, "damaged");
      continue;
    }
    if (!have_layout) {
      file_layout = l;
      have_layout = true;
    } else if (l.axes != file_layout.axes) {
      skip("has " + std::to_string(l.axes) + " axes, the file " + std::to_string(file_layout.axes),
           "damaged");
      continue;
    }

    // Timing. The RTC second belongs to sample `offset_index`; the 15-bit fraction, where
    // present, was already folded into that index by the device, so the block's first sample
    // is at RTC - offset_index / rate. A block that follows its predecessor without a break
    // starts where that one ended (its own stamp only repeats the same time up to the RTC's
    // jitter), so samples stay evenly spread; its end comes from its own stamp.
    const double freq = rate_hz(b[24]);
    const double n = static_cast<double>(l.count);
    const std::uint32_t sequence = u32(b + 10);
    const double rtc = rtc_seconds(u32(b + 14));
    if (!have_block) t_ref = rtc;
    double t0 = rtc - t_ref - static_cast<double>(i16(b + 26)) / freq;
    double t1 = t0 + n / freq;
    if (have_block) {
      const bool contiguous = !skipped_since_last && sequence == last_sequence + 1;
      const double jump = t0 - t_last;
      if ((contiguous && jump < 1.0) || jump <= 0.0) t0 = t_last;
      if (!contiguous || jump >= 1.0) {
        Gap g;
        g.index = t.size();
        g.start_s = last_sample;
        g.end_s = t0;
        // Whole blocks lost: the sequence numbers count them exactly (the nominal rate can be
        // a few percent off the real one); otherwise the time step says how many.
        const double by_sequence = (static_cast<double>(sequence) - last_sequence - 1.0) * n;
        const double by_time = std::round((t0 - t_last) * freq);
        g.missing = static_cast<std::uint64_t>(
            std::max(1.0, by_sequence > 0 && by_sequence < 1e12   ? by_sequence
                          : std::isfinite(by_time) && by_time > 0 ? by_time
                                                                  : 1.0));
        g.cause = !skip_cause.empty() ? skip_cause : contiguous ? "time" : "sequence";
        d.gaps.push_back(std::move(g));
      }
    }
    if (!(t1 > t0)) t1 = t0 + n / freq;
    const double dt = (t1 - t0) / n;

    // Samples.
    const auto* data = b + kDataOffset;
    const double acc_scale =
        l.packed ? kGravity / 256.0
                 : kGravity / static_cast<double>(1u << (8 + ((u16(b + 18) >> 13) & 7)));
    const double gyr_scale =
        static_cast<double>(8000 >> ((u16(b + 18) >> 10) & 7)) / 32768.0 * kDegToRad;
    for (std::size_t i = 0; i < l.count; ++i) {
      t.push_back(t0 + static_cast<double>(i) * dt);
      if (l.packed) {
        const std::uint32_t w = u32(data + 4 * i);
        const int exponent = static_cast<int>(w >> 30);
        auto axis = [&](int shift) {
          int v = static_cast<int>((w >> shift) & 0x3FF);
          if (v & 0x200) v -= 0x400;  // 10-bit two's complement
          return static_cast<double>(v * (1 << exponent));
        };
        d.acc.push_back(acc_scale * Vec3(axis(0), axis(10), axis(20)));
        continue;
      }
      const auto* s = data + 2 * static_cast<std::size_t>(l.axes) * i;
      auto v3 = [&](int first) {
        return Vec3(i16(s + 2 * first), i16(s + 2 * first + 2), i16(s + 2 * first + 4));
      };
      if (l.axes == 3) {
        d.acc.push_back(acc_scale * v3(0));
      } else {
        d.gyr.push_back(gyr_scale * v3(0));
        d.acc.push_back(acc_scale * v3(3));
        if (l.axes == 9) d.mag.push_back(v3(6) / 16.0);  // 16 counts per uT
      }
    }
    last_sample = t.back();
    t_last = t1;
    last_sequence = sequence;
    have_block = true;
    skipped_since_last = false;
    skip_cause.clear();
  }

  if (t.empty())
    fail_at(where, blocks == 0 ? "no data blocks after the header (the file holds " +
                                     std::to_string(bytes.size()) + " bytes)"
                               : "no readable data block among " + std::to_string(blocks) +
                                     (problems.empty() ? "" : "; first: " + problems.front()));

  const bool ax6 = file_layout.axes >= 6 || hardware == 0x64;
  d.info.device_model = ax6 ? "Axivity AX6" : "Axivity AX3";
  if (hardware != 0x64 && hardware != 0x00 && hardware != 0x17 && hardware != 0xFF) {
    char buf[48];
    std::snprintf(buf, sizeof buf, " (hardware type 0x%02x)", hardware);
    d.info.device_model += buf;
  }
  d.info.has_gyr = file_layout.axes >= 6;
  d.info.has_mag = file_layout.axes == 9;
  if (!d.info.has_gyr) d.info.gyr_range_rads = 0.0;

  const double origin = t.front();
  // The RTC holds the local time the configuring computer set, with no zone (FILE_FORMAT.md).
  if (options.utc_offset.empty()) {
    rec.start_time_iso = import::iso_time(t_ref + origin, "");
  } else {
    int minutes = 0;
    try {
      minutes = import::parse_utc_offset_min(options.utc_offset);
    } catch (const Error& e) {
      fail_at(where, e.what());
    }
    char zone[16] = "Z";
    if (minutes != 0)
      std::snprintf(zone, sizeof zone, "%c%02d:%02d", minutes < 0 ? '-' : '+',
                    std::abs(minutes) / 60, std::abs(minutes) % 60);
    rec.start_time_iso = import::iso_time(t_ref + origin, zone);
  }
  for (double& x : t) x -= origin;
  for (Gap& g : d.gaps) {
    g.start_s -= origin;
    g.end_s -= origin;
  }
  d.time_s = std::move(t);
  d.device_time_s = d.time_s;

  rec.attributes["import_format"] = "Axivity CWA (" + d.info.device_model + ")";
  rec.attributes["cwa_session_id"] = std::to_string(session);
  rec.attributes["cwa_clock"] =
      options.utc_offset.empty()
          ? "device local time; the file records no time zone (--utc-offset states it)"
          : "device local time, UTC offset " + options.utc_offset + " (as given)";
  std::string warnings;
  if (skipped > 0) {
    warnings = std::to_string(skipped) + " block" + (skipped == 1 ? "" : "s") +
               " skipped and marked as gaps: ";
    for (std::size_t i = 0; i < problems.size(); ++i) warnings += (i ? "; " : "") + problems[i];
    if (skipped > problems.size()) warnings += "; ...";
  }
  if (const std::size_t tail = (bytes.size() - kHeaderBytes) % kBlockBytes; tail != 0) {
    if (!warnings.empty()) warnings += "; ";
    warnings += "the file ends inside " + place(blocks, kHeaderBytes + blocks * kBlockBytes) +
                ": its " + std::to_string(tail) + " bytes are not read";
  }
  if (!warnings.empty()) rec.attributes["import_warnings"] = "Axivity CWA: " + warnings;
  rec.sensors.push_back(std::move(d));
  return rec;
}

}  // namespace stridelab::storage::foreign
