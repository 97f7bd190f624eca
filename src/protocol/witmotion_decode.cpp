#include <cmath>
#include <cstring>
#include <limits>
#include <numbers>

#include "protocol/scan_window.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/protocol/witmotion.hpp"

namespace stridelab::protocol {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kDegToRad = std::numbers::pi / 180.0;

std::int16_t le16(const std::uint8_t* p) {
  return static_cast<std::int16_t>(p[0] | (p[1] << 8));
}

double checked_period(const DecoderParams& params) {
  if (!(params.nominal_rate_hz > 0.0) || !std::isfinite(params.nominal_rate_hz))
    throw Error("WitMotion decoder: nominal rate must be a positive number of Hz, got " +
                std::to_string(params.nominal_rate_hz));
  if (!(params.acc_range_g > 0.0) || !(params.gyr_range_dps > 0.0))
    throw Error("WitMotion decoder: full-scale ranges must be positive");
  return 1.0 / params.nominal_rate_hz;
}

SensorInfo witmotion_info(const DecoderParams& params, const char* model) {
  SensorInfo info;
  info.device_model = model;
  info.nominal_rate_hz = params.nominal_rate_hz;
  info.acc_range_ms2 = params.acc_range_g * kGravity;
  info.gyr_range_rads = params.gyr_range_dps * kDegToRad;
  info.has_gyr = true;
  info.has_mag = false;
  return info;
}

DecodedSample wit_sample(const std::int16_t* acc, const std::int16_t* gyr,
                         const DecoderParams& params) {
  DecodedSample s;
  const double a = params.acc_range_g / 32768.0 * kGravity;
  const double w = params.gyr_range_dps / 32768.0 * kDegToRad;
  s.acc = Vec3(acc[0] * a, acc[1] * a, acc[2] * a);
  s.gyr = Vec3(gyr[0] * w, gyr[1] * w, gyr[2] * w);
  s.has_acc = s.has_gyr = true;
  s.has_mag = false;
  return s;
}

}  // namespace

std::uint8_t witmotion_checksum(std::span<const std::uint8_t> first_ten) {
  unsigned sum = 0;
  for (std::uint8_t b : first_ten) sum += b;
  return static_cast<std::uint8_t>(sum & 0xFFu);
}

// ---- Serial ----------------------------------------------------------------------------------

WitSerialDecoder::WitSerialDecoder(const DecoderParams& params)
    : params_(params), period_s_(checked_period(params)) {}

SensorInfo WitSerialDecoder::sensor_info() const {
  return witmotion_info(params_, "WitMotion (serial protocol)");
}

void WitSerialDecoder::drain_frames(std::vector<WitSerialFrame>& out) {
  out.insert(out.end(), frames_.begin(), frames_.end());
  frames_.clear();
}

void WitSerialDecoder::do_feed(std::span<const std::uint8_t> bytes) {
  detail::feed_scanner<kWitSerialFrameBytes>(
      bytes, tail_, tail_len_, [this](const std::uint8_t* p, std::size_t n) { return scan(p, n); });
}

// Like the vendor parser: look for 0x55, check SUM over 11 bytes, on a bad SUM drop one byte.
// Also required: TYPE in 0x50…0x5F, which rejects most false starts before the SUM test.
std::size_t WitSerialDecoder::scan(const std::uint8_t* p, std::size_t n) {
  std::size_t i = 0;
  while (i < n) {
    // A byte other than 0x55 can never start a frame: skip it at once, so what is held back
    // between chunks always starts with 0x55 (and the result does not depend on chunking).
    if (p[i] != wit::kHeader) {
      const auto* next = static_cast<const std::uint8_t*>(std::memchr(p + i, wit::kHeader, n - i));
      const std::size_t to = next ? static_cast<std::size_t>(next - p) : n;
      stats_.bytes_skipped += to - i;
      i = to;
      continue;
    }
    if (n - i < kWitSerialFrameBytes) break;
    const std::uint8_t type = p[i + 1];
    if (type < 0x50 || type > 0x5F) {
      ++stats_.bytes_skipped;
      ++i;
      continue;
    }
    if (witmotion_checksum(std::span(p + i, 10)) != p[i + 10]) {
      ++stats_.crc_failures;
      ++stats_.bytes_skipped;
      ++i;
      continue;
    }
    WitSerialFrame f;
    f.type = type;
    for (int k = 0; k < 4; ++k) f.words[k] = le16(p + i + 2 + 2 * k);
    ++stats_.frames_ok;
    stats_.bytes_framed += kWitSerialFrameBytes;
    on_frame(f);
    i += kWitSerialFrameBytes;
  }
  return i;
}

void WitSerialDecoder::on_frame(const WitSerialFrame& f) {
  if (params_.keep_frames) frames_.push_back(f);
  if (have_type_ && f.type <= last_type_) close_period();
  have_type_ = true;
  last_type_ = f.type;
  if (f.type == wit::kAcc) {
    acc_ = f.words;
    period_has_acc_ = true;
  } else if (f.type == wit::kGyro && period_has_acc_ && !period_emitted_) {
    DecodedSample s = wit_sample(acc_.data(), f.words.data(), params_);
    s.index = period_;
    s.device_time_s = static_cast<double>(period_) * period_s_;
    if (missing_run_ > 0) emit_missing_gap(s.device_time_s);
    pending_.samples.push_back(s);
    ++stats_.samples;
    period_emitted_ = true;
    seen_pair_ = true;
    have_sample_ = true;
    last_sample_time_s_ = s.device_time_s;
  }
}

// A period ends when a TYPE not above the previous one arrives. Once the module is known to
// send acc+gyro, a period without that pair is a lost sample.
void WitSerialDecoder::close_period() {
  if (seen_pair_) {
    if (!period_emitted_) {
      ++missing_run_;
      ++stats_.missing_samples;
    }
    ++period_;
  }
  period_has_acc_ = false;
  period_emitted_ = false;
}

void WitSerialDecoder::emit_missing_gap(double after_time_s) {
  StreamGap gap;
  gap.first_missing_index = period_ - missing_run_;
  gap.missing_samples = missing_run_;
  gap.before_time_s = have_sample_ ? last_sample_time_s_ : kNaN;
  gap.after_time_s = after_time_s;
  gap.cause = "incomplete period";
  pending_.gaps.push_back(std::move(gap));
  ++stats_.gaps;
  missing_run_ = 0;
}

void WitSerialDecoder::do_finish() {
  if (tail_len_ > 0) {
    ++stats_.truncated_frames;  // held-back bytes always start with 0x55
    stats_.bytes_skipped += tail_len_;
    tail_len_ = 0;
  }
  if (missing_run_ > 0) emit_missing_gap(kNaN);
}

// ---- BLE 5.0 -----------------------------------------------------------------------------------

namespace {
bool ble_header(const std::uint8_t* p) {
  return p[0] == wit::kHeader && (p[1] == wit::kBleData || p[1] == wit::kBleRegister);
}
}  // namespace

WitBleDecoder::WitBleDecoder(const DecoderParams& params)
    : params_(params), period_s_(checked_period(params)) {}

SensorInfo WitBleDecoder::sensor_info() const {
  return witmotion_info(params_, "WitMotion BLE 5.0");
}

void WitBleDecoder::drain_frames(std::vector<WitBleFrame>& out) {
  out.insert(out.end(), frames_.begin(), frames_.end());
  frames_.clear();
}

void WitBleDecoder::do_feed(std::span<const std::uint8_t> bytes) {
  detail::feed_scanner<kWitBleFrameBytes + 2>(
      bytes, tail_, tail_len_,
      [this](const std::uint8_t* p, std::size_t n) { return scan(p, n, false); });
}

// A frame at i is taken when a header starts at i and another one at i + 20 (or the input
// ends there): without a checksum, that is what tells a whole frame from a shortened one.
std::size_t WitBleDecoder::scan(const std::uint8_t* p, std::size_t n, bool at_end) {
  const std::size_t need = at_end ? kWitBleFrameBytes : kWitBleFrameBytes + 2;
  std::size_t i = 0;
  auto skip = [&](std::size_t k) {
    stats_.bytes_skipped += k;
    skipped_since_frame_ += k;
    i += k;
  };
  while (i < n) {
    if (p[i] != wit::kHeader) {  // cannot start a frame (see WitSerialDecoder::scan)
      const auto* next = static_cast<const std::uint8_t*>(std::memchr(p + i, wit::kHeader, n - i));
      skip((next ? static_cast<std::size_t>(next - p) : n) - i);
      continue;
    }
    if (n - i < need) break;
    const bool confirmed = n - i < kWitBleFrameBytes + 2 || ble_header(p + i + kWitBleFrameBytes);
    if (!ble_header(p + i) || !confirmed) {
      skip(1);
      continue;
    }
    ++stats_.frames_ok;
    stats_.bytes_framed += kWitBleFrameBytes;
    on_frame(p + i);
    i += kWitBleFrameBytes;
  }
  return i;
}

void WitBleDecoder::on_frame(const std::uint8_t* p) {
  WitBleFrame f;
  f.type = p[1];
  if (f.type == wit::kBleRegister) {
    f.start_register = static_cast<std::uint16_t>(le16(p + 2));
    for (int k = 0; k < 8; ++k) f.words[k] = le16(p + 4 + 2 * k);
  } else {
    for (int k = 0; k < 9; ++k) f.words[k] = le16(p + 2 + 2 * k);
  }
  if (params_.keep_frames) frames_.push_back(f);
  if (f.type != wit::kBleData) return;

  DecodedSample s = wit_sample(f.words.data(), f.words.data() + 3, params_);
  if (skipped_since_frame_ > 0 && have_sample_) {
    // Bytes were lost or inserted: estimate the lost frames from the bytes skipped.
    const std::uint64_t missing =
        (skipped_since_frame_ + kWitBleFrameBytes - 1) / kWitBleFrameBytes;
    StreamGap gap;
    gap.first_missing_index = next_index_;
    gap.missing_samples = missing;
    gap.before_time_s = last_sample_time_s_;
    gap.after_time_s = static_cast<double>(next_index_ + missing) * period_s_;
    gap.cause = "resync (estimated)";
    pending_.gaps.push_back(std::move(gap));
    ++stats_.gaps;
    stats_.missing_samples += missing;
    next_index_ += missing;
  }
  skipped_since_frame_ = 0;
  s.index = next_index_++;
  s.device_time_s = static_cast<double>(s.index) * period_s_;
  pending_.samples.push_back(s);
  ++stats_.samples;
  have_sample_ = true;
  last_sample_time_s_ = s.device_time_s;
}

void WitBleDecoder::do_finish() {
  if (tail_len_ > 0) {
    const std::size_t used = scan(tail_.data(), tail_len_, true);
    const std::size_t left = tail_len_ - used;
    if (left > 0) ++stats_.truncated_frames;
    stats_.bytes_skipped += left;
    tail_len_ = 0;
  }
}

}  // namespace stridelab::protocol
