#include "stridelab/protocol/movesense.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <numbers>

#include "stridelab/core/error.hpp"

namespace stridelab::protocol {

namespace {

constexpr double kDegToRad = std::numbers::pi / 180.0;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// A timestamp this far behind the previous one is a reboot, not reordering.
constexpr std::uint32_t kRestartBackMs = 1000;

std::uint32_t le32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
float lef32(const std::uint8_t* p) {
  const std::uint32_t u = le32(p);
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}
void put32(std::uint32_t v, std::vector<std::uint8_t>& out) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void put_f32(double v, std::vector<std::uint8_t>& out) {
  const float f = static_cast<float>(v);
  std::uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  put32(u, out);
}
Vec3 triplet(const std::uint8_t* p) {
  return Vec3(lef32(p), lef32(p + 4), lef32(p + 8));
}

}  // namespace

const std::vector<double>& movesense_rates() {
  static const std::vector<double> rates = {13, 26, 52, 104, 208, 416, 833, 1666};
  return rates;
}

void check_movesense_rate(double rate_hz) {
  const auto& r = movesense_rates();
  if (std::find(r.begin(), r.end(), rate_hz) == r.end()) {
    char given[32];
    std::snprintf(given, sizeof given, "%g", rate_hz);
    throw Error("Movesense offers IMU rates 13, 26, 52, 104, 208, 416, 833 and 1666 Hz, not " +
                std::string(given));
  }
}

std::vector<std::uint8_t> movesense_subscribe_command(double rate_hz, std::uint8_t ref) {
  check_movesense_rate(rate_hz);  // whole numbers from here on
  std::vector<std::uint8_t> c = {movesense::kSubscribe, ref};
  const std::string path = "/Meas/IMU9/" + std::to_string(static_cast<int>(rate_hz));
  c.insert(c.end(), path.begin(), path.end());
  return c;
}

std::vector<std::uint8_t> movesense_unsubscribe_command(std::uint8_t ref) {
  return {movesense::kUnsubscribe, ref};
}

std::vector<std::vector<std::uint8_t>> encode_movesense_imu9(std::uint32_t t_first_ms,
                                                             std::span<const ImuSample> samples,
                                                             std::size_t max_notify,
                                                             std::uint8_t ref) {
  if (max_notify < 8) throw Error("Movesense: a notification must hold more than its header");
  std::vector<std::uint8_t> packet = {movesense::kData, ref};
  put32(t_first_ms, packet);
  for (const auto& s : samples)
    for (int k = 0; k < 3; ++k) put_f32(s.acc[k], packet);
  for (const auto& s : samples)
    for (int k = 0; k < 3; ++k) put_f32(s.gyr[k] / kDegToRad, packet);
  for (const auto& s : samples)
    for (int k = 0; k < 3; ++k) put_f32(s.mag[k], packet);  // zero where there is none
  std::vector<std::vector<std::uint8_t>> out;
  if (packet.size() <= max_notify) {
    out.push_back(std::move(packet));
    return out;
  }
  // The rest goes in one DATA_PART2 (the firmware splits once; longer is not documented).
  out.emplace_back(packet.begin(), packet.begin() + static_cast<std::ptrdiff_t>(max_notify));
  std::vector<std::uint8_t> part2 = {movesense::kDataPart2, ref};
  part2.insert(part2.end(), packet.begin() + static_cast<std::ptrdiff_t>(max_notify), packet.end());
  if (part2.size() > max_notify) throw Error("Movesense: packet too long for two notifications");
  out.push_back(std::move(part2));
  return out;
}

void append_notification_record(std::span<const std::uint8_t> notification,
                                std::vector<std::uint8_t>& out) {
  const std::size_t n = std::min(notification.size(), movesense::kMaxNotify);
  out.push_back(static_cast<std::uint8_t>(n & 0xFF));
  out.push_back(static_cast<std::uint8_t>(n >> 8));
  out.insert(out.end(), notification.begin(),
             notification.begin() + static_cast<std::ptrdiff_t>(n));
}

// ---- Decoder ------------------------------------------------------------------------------

MovesenseDecoder::MovesenseDecoder(const DecoderParams& params) : params_(params) {
  if (!(params.nominal_rate_hz > 0.0) || !std::isfinite(params.nominal_rate_hz))
    throw Error("Movesense decoder: the subscription rate must be a positive number of Hz");
}

SensorInfo MovesenseDecoder::sensor_info() const {
  SensorInfo info;
  info.device_model = "Movesense (GATT SensorData)";
  info.nominal_rate_hz = params_.nominal_rate_hz;
  info.has_gyr = true;
  info.has_mag = true;
  return info;
}

void MovesenseDecoder::do_feed(std::span<const std::uint8_t> bytes) {
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    if (buffer_.size() < 2) {  // the length field
      buffer_.push_back(bytes[pos++]);
      if (buffer_.size() < 2) continue;
      const std::size_t len = buffer_[0] | (static_cast<std::size_t>(buffer_[1]) << 8);
      if (len < 2 || len > movesense::kMaxNotify) {
        // Not a record start (only damaged input does this): step one byte and look again.
        ++stats_.bytes_skipped;
        buffer_.erase(buffer_.begin());
      }
      continue;
    }
    const std::size_t need = 2 + (buffer_[0] | (static_cast<std::size_t>(buffer_[1]) << 8));
    const std::size_t take = std::min(need - buffer_.size(), bytes.size() - pos);
    buffer_.insert(buffer_.end(), bytes.begin() + static_cast<std::ptrdiff_t>(pos),
                   bytes.begin() + static_cast<std::ptrdiff_t>(pos + take));
    pos += take;
    if (buffer_.size() == need) {
      stats_.bytes_framed += buffer_.size();
      on_record(buffer_.data() + 2, buffer_.size() - 2);
      buffer_.clear();
    }
  }
}

void MovesenseDecoder::do_finish() {
  if (!buffer_.empty()) {
    ++stats_.truncated_frames;
    stats_.bytes_skipped += buffer_.size();
    buffer_.clear();
  }
  if (!held_.empty()) {
    ++stats_.truncated_frames;  // its DATA_PART2 never came
    held_.clear();
  }
}

void MovesenseDecoder::drop_held() {
  if (held_.empty()) return;
  ++stats_.format_errors;  // a first part whose second part was lost
  held_.clear();
}

void MovesenseDecoder::on_record(const std::uint8_t* p, std::size_t n) {
  const std::uint8_t type = p[0];
  if (type == movesense::kDataPart2) {
    if (held_.empty() || held_[1] != p[1]) {
      drop_held();
      ++stats_.format_errors;  // a second part without its first
      return;
    }
    std::vector<std::uint8_t> packet;
    packet.swap(held_);
    packet.insert(packet.end(), p + 2, p + n);
    if ((packet.size() - 6) % movesense::kSampleBytes != 0) {
      ++stats_.format_errors;
      return;
    }
    on_packet(packet);
    return;
  }
  drop_held();
  if (type == movesense::kCommandResult) {
    if (n < 4) {
      ++stats_.format_errors;
      return;
    }
    last_status_ = (p[2] << 8) | p[3];
    ++stats_.frames_ok;
    return;
  }
  if (type != movesense::kData) {
    ++stats_.unknown_frames;
    return;
  }
  if (n < 6) {
    ++stats_.format_errors;
    return;
  }
  std::vector<std::uint8_t> packet(p, p + n);
  if (n > 6 && (n - 6) % movesense::kSampleBytes == 0) {
    on_packet(packet);
  } else {
    held_ = std::move(packet);
  }
}

void MovesenseDecoder::on_packet(const std::vector<std::uint8_t>& packet) {
  const std::size_t count = (packet.size() - 6) / movesense::kSampleBytes;
  if (count == 0) {
    ++stats_.format_errors;  // a timestamp and no samples
    return;
  }
  const std::uint8_t* acc = packet.data() + 6;
  const std::uint8_t* gyr = acc + count * 12;
  const std::uint8_t* mag = gyr + count * 12;
  std::vector<DecodedSample> decoded(count);
  for (std::size_t i = 0; i < count; ++i) {
    DecodedSample& s = decoded[i];
    s.acc = triplet(acc + 12 * i);
    s.gyr = triplet(gyr + 12 * i) * kDegToRad;
    s.mag = triplet(mag + 12 * i);
    s.has_mag = true;
    if (!s.acc.allFinite() || !s.gyr.allFinite() || !s.mag.allFinite()) {
      ++stats_.format_errors;  // NaN/Inf floats: the packet is not a measurement
      return;
    }
  }
  const std::uint32_t raw = le32(packet.data() + 2);
  const double rate = params_.nominal_rate_hz;
  // Signed ms since the previous packet (the u32 clock wraps after 49.7 days).
  const auto step_ms = static_cast<std::int32_t>(raw - last_raw_ts_);
  if (!have_packet_) {
    t0_s_ = static_cast<double>(raw) / 1000.0;
  } else if (step_ms < -static_cast<std::int32_t>(kRestartBackMs)) {
    // The clock went back: the sensor rebooted. A new epoch; what was lost is unknown.
    ++stats_.device_restarts;
    t0_s_ = static_cast<double>(raw) / 1000.0 - static_cast<double>(next_index_) / rate;
    push_gap(0, kNaN, static_cast<double>(raw) / 1000.0, "device restart");
  } else {
    // Where this packet's first sample falls, from the time since the previous packet.
    const double prev_first = static_cast<double>(next_index_ - last_count_);
    const double at = prev_first + step_ms / 1000.0 * rate;
    if (at > static_cast<double>(next_index_) + 0.5) {
      const auto missing =
          static_cast<std::uint64_t>(std::llround(at - static_cast<double>(next_index_)));
      push_gap(missing, t0_s_ + static_cast<double>(next_index_ - 1) / rate,
               t0_s_ + static_cast<double>(next_index_ + missing) / rate, "timestamp");
      next_index_ += missing;
    }
  }
  have_packet_ = true;
  last_raw_ts_ = raw;
  last_count_ = count;
  for (auto& s : decoded) {
    s.index = next_index_++;
    s.device_time_s = t0_s_ + static_cast<double>(s.index) / rate;
  }
  ++stats_.frames_ok;
  stats_.samples += count;
  pending_.samples.insert(pending_.samples.end(), decoded.begin(), decoded.end());
}

void MovesenseDecoder::push_gap(std::uint64_t missing, double before_s, double after_s,
                                const char* cause) {
  StreamGap g;
  g.first_missing_index = next_index_;
  g.missing_samples = missing;
  g.before_time_s = before_s;
  g.after_time_s = after_s;
  g.cause = cause;
  pending_.gaps.push_back(g);
  ++stats_.gaps;
  stats_.missing_samples += missing;
}

}  // namespace stridelab::protocol
