#include <cmath>
#include <numbers>
#include <string>

#include "stridelab/core/error.hpp"
#include "stridelab/protocol/encoder.hpp"
#include "stridelab/protocol/witmotion.hpp"

namespace stridelab::protocol {

namespace {

constexpr double kRadToDeg = 180.0 / std::numbers::pi;

void put16(std::uint8_t* p, std::int16_t v) {
  const auto u = static_cast<std::uint16_t>(v);
  p[0] = static_cast<std::uint8_t>(u & 0xFFu);
  p[1] = static_cast<std::uint8_t>(u >> 8);
}

std::array<std::int16_t, 3> raw3(const Vec3& v, double lsb) {
  return {quantize(v.x(), lsb), quantize(v.y(), lsb), quantize(v.z(), lsb)};
}

}  // namespace

std::array<std::uint8_t, kWitSerialFrameBytes> encode_witmotion_serial_frame(
    std::uint8_t type, const std::array<std::int16_t, 4>& words) {
  std::array<std::uint8_t, kWitSerialFrameBytes> f{};
  f[0] = wit::kHeader;
  f[1] = type;
  for (int k = 0; k < 4; ++k) put16(f.data() + 2 + 2 * k, words[k]);
  f[10] = witmotion_checksum(std::span(f.data(), 10));
  return f;
}

void encode_witmotion_serial(const ImuSample& sample, std::vector<std::uint8_t>& out,
                             double acc_range_g, double gyr_range_dps, double temperature_c) {
  const auto a = raw3(sample.acc / kGravity, acc_range_g / 32768.0);
  const auto w = raw3(sample.gyr * kRadToDeg, gyr_range_dps / 32768.0);
  const std::int16_t t = quantize(temperature_c, 0.01);
  const auto acc = encode_witmotion_serial_frame(wit::kAcc, {a[0], a[1], a[2], t});
  const auto gyr = encode_witmotion_serial_frame(wit::kGyro, {w[0], w[1], w[2], t});
  out.insert(out.end(), acc.begin(), acc.end());
  out.insert(out.end(), gyr.begin(), gyr.end());
}

std::array<std::uint8_t, kWitBleFrameBytes> encode_witmotion_ble(const ImuSample& sample,
                                                                 const Vec3& angles_deg,
                                                                 double acc_range_g,
                                                                 double gyr_range_dps) {
  std::array<std::uint8_t, kWitBleFrameBytes> f{};
  f[0] = wit::kHeader;
  f[1] = wit::kBleData;
  const auto a = raw3(sample.acc / kGravity, acc_range_g / 32768.0);
  const auto w = raw3(sample.gyr * kRadToDeg, gyr_range_dps / 32768.0);
  const auto r = raw3(angles_deg, 180.0 / 32768.0);
  for (int k = 0; k < 3; ++k) {
    put16(f.data() + 2 + 2 * k, a[k]);
    put16(f.data() + 8 + 2 * k, w[k]);
    put16(f.data() + 14 + 2 * k, r[k]);
  }
  return f;
}

WitCommand witmotion_write_register(std::uint8_t reg, std::uint16_t value) {
  return {0xFF, 0xAA, reg, static_cast<std::uint8_t>(value & 0xFFu),
          static_cast<std::uint8_t>(value >> 8)};
}
WitCommand witmotion_unlock() {
  return witmotion_write_register(0x69, 0xB588);
}
WitCommand witmotion_save() {
  return witmotion_write_register(0x00, 0x0000);
}
WitCommand witmotion_read_register(std::uint8_t reg) {
  return witmotion_write_register(0x27, reg);
}

std::uint8_t witmotion_rate_code(double rate_hz) {
  struct Entry {
    double hz;
    std::uint8_t code;
  };
  static constexpr Entry kRates[] = {{0.2, 0x01}, {0.5, 0x02}, {1, 0x03},  {2, 0x04},
                                     {5, 0x05},   {10, 0x06},  {20, 0x07}, {50, 0x08},
                                     {100, 0x09}, {125, 0x0A}, {200, 0x0B}};
  for (const auto& e : kRates)
    if (std::abs(rate_hz - e.hz) < 1e-6) return e.code;
  throw Error(
      "WitMotion modules offer 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 125 (WT931) or "
      "200 Hz, not " +
      std::to_string(rate_hz) + " Hz");
}

std::vector<WitCommand> witmotion_set_rate_commands(double rate_hz) {
  return {witmotion_unlock(), witmotion_write_register(0x03, witmotion_rate_code(rate_hz)),
          witmotion_save()};
}

}  // namespace stridelab::protocol
