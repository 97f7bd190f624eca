#include "cwa_fuzz_checks.hpp"

#include <cmath>
#include <random>

#include "storage/foreign_formats.hpp"
#include "stridelab/core/error.hpp"

namespace stridelab::storage::fuzz {
namespace {

void put16(std::string& b, std::size_t at, unsigned v) {
  b[at] = static_cast<char>(v & 0xFF);
  b[at + 1] = static_cast<char>((v >> 8) & 0xFF);
}
void put32(std::string& b, std::size_t at, std::uint32_t v) {
  put16(b, at, v & 0xFFFF);
  put16(b, at + 2, v >> 16);
}

}  // namespace

void fix_checksums(std::string& bytes) {
  for (std::size_t at = 1024; at + 512 <= bytes.size(); at += 512) {
    std::uint16_t sum = 0;
    for (std::size_t i = 0; i < 510; i += 2)
      sum =
          static_cast<std::uint16_t>(sum + (static_cast<unsigned char>(bytes[at + i]) |
                                            (static_cast<unsigned char>(bytes[at + i + 1]) << 8)));
    put16(bytes, at + 510, static_cast<std::uint16_t>(0x10000 - sum));
  }
}

std::string make_cwa(int blocks, bool gyro, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::string b(1024 + 512 * static_cast<std::size_t>(blocks), '\0');
  b[0] = 'M', b[1] = 'D';
  put16(b, 2, 1020);
  b[4] = static_cast<char>(gyro ? 0x64 : 0x00);
  put16(b, 5, 1234);
  put16(b, 11, 0xFFFF);
  b[35] = static_cast<char>(gyro ? 0x02 : 0xFF);
  b[36] = static_cast<char>(gyro ? 0x0A : 0x4B);  // 100 Hz +-16 g / 200 Hz +-8 g
  b[41] = 53;
  const std::uint32_t rtc = (19u << 26) | (10u << 22) | (29u << 17) | (9u << 12) | (3u << 6) | 6u;
  for (int k = 0; k < blocks; ++k) {
    const std::size_t at = 1024 + 512 * static_cast<std::size_t>(k);
    b[at] = 'A', b[at + 1] = 'X';
    put16(b, at + 2, 508);
    put32(b, at + 10, static_cast<std::uint32_t>(k));
    const int per_block = gyro ? 40 : 120;
    const double rate = gyro ? 100.0 : 200.0;
    const double start = k * per_block / rate;
    put32(b, at + 14, rtc + static_cast<std::uint32_t>(start));
    put16(b, at + 18, gyro ? (3u << 13) | (2u << 10) : 0u);
    b[at + 24] = b[36];
    b[at + 25] = static_cast<char>(gyro ? 0x62 : 0x30);
    put16(b, at + 26,
          static_cast<std::uint16_t>(
              static_cast<std::int16_t>(-std::lround((start - std::floor(start)) * rate))));
    put16(b, at + 28, static_cast<unsigned>(per_block));
    for (std::size_t i = 30; i < 510; ++i) b[at + i] = static_cast<char>(rng());
  }
  fix_checksums(b);
  return b;
}

std::string check_cwa(std::string_view bytes) {
  Recording rec;
  try {
    rec = foreign::parse_cwa(bytes, "fuzz.cwa", {});
  } catch (const Error& e) {
    const std::string what = e.what();
    if (what.rfind("fuzz.cwa: Axivity CWA", 0) != 0)
      return "error without file and format: " + what;
    return {};
  } catch (const std::exception& e) {
    return std::string("non-stridelab exception: ") + e.what();
  }
  if (rec.sensors.size() != 1) return "not one sensor";
  const SensorData& s = rec.sensors[0];
  try {
    s.validate();
  } catch (const Error& e) {
    return std::string("invalid sensor: ") + e.what();
  }
  if (s.size() == 0) return "no samples but no error";
  if (s.info.has_gyr != !s.gyr.empty()) return "has_gyr disagrees with the data";
  for (std::size_t i = 0; i < s.size(); ++i)
    if (!s.acc[i].allFinite() || (s.info.has_gyr && !s.gyr[i].allFinite()))
      return "non-finite sample " + std::to_string(i);
  for (const Gap& g : s.gaps)
    if (g.index == 0 || g.index >= s.size() || g.missing == 0 || !(g.end_s > g.start_s))
      return "inconsistent gap at " + std::to_string(g.index);
  return {};
}

std::string fuzz_cwa_one(std::span<const std::uint8_t> input) {
  if (input.empty()) return check_cwa({});
  const auto rest = input.subspan(1);
  if (input[0] < 64) return check_cwa({reinterpret_cast<const char*>(rest.data()), rest.size()});
  std::uint32_t seed = 0;
  for (std::size_t i = 0; i < rest.size() && i < 4; ++i) seed = seed << 8 | rest[i];
  std::string file = make_cwa(1 + static_cast<int>(input[0] % 6), input[0] & 1, seed);
  // Each following byte pair: where (scaled over the file) and what to do there.
  for (std::size_t i = 4; i + 1 < rest.size(); i += 2) {
    const std::size_t at = rest[i] * file.size() / 256;
    const std::uint8_t op = rest[i + 1];
    if (op < 200) {
      if (at < file.size()) file[at] = static_cast<char>(file[at] ^ (1 << (op % 8)));
    } else if (op < 220) {
      file.resize(at);
    } else if (op < 240) {
      file.insert(std::min(at, file.size()), 1, static_cast<char>(op));
    } else if (at < file.size()) {
      file[at] = static_cast<char>(op);  // header fields: counts, codes, offsets
    }
  }
  if (input[0] & 2) fix_checksums(file);
  return check_cwa(file);
}

}  // namespace stridelab::storage::fuzz
