// Writing native CSV: full precision (shortest round-trip form of each double).
#include <charconv>
#include <fstream>

#include "stridelab/core/error.hpp"
#include "stridelab/storage/recording_io.hpp"

namespace stridelab::storage {

namespace {

void put(std::string& out, double v) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

void put_vec(std::string& out, const Vec3& v) {
  for (int a = 0; a < 3; ++a) {
    out += ',';
    put(out, v[a]);
  }
}

}  // namespace

std::string format_csv(const SensorData& sensor) {
  sensor.validate();
  std::string out = "time,acc_x,acc_y,acc_z";
  if (sensor.info.has_gyr) out += ",gyr_x,gyr_y,gyr_z";
  if (sensor.info.has_mag) out += ",mag_x,mag_y,mag_z";
  out += '\n';
  out.reserve(out.size() + sensor.size() * (sensor.info.has_mag ? 200 : 140));
  for (std::size_t i = 0; i < sensor.size(); ++i) {
    put(out, sensor.time_s[i]);
    put_vec(out, sensor.acc[i]);
    if (sensor.info.has_gyr) put_vec(out, sensor.gyr[i]);
    if (sensor.info.has_mag) put_vec(out, sensor.mag[i]);
    out += '\n';
  }
  return out;
}

void write_csv(const std::filesystem::path& path, const SensorData& sensor) {
  const std::string text = format_csv(sensor);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) fail_at(path.string(), "cannot open for writing");
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) fail_at(path.string(), "write failed (disk full?)");
}

}  // namespace stridelab::storage
