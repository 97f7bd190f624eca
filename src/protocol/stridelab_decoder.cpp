#include "stridelab/protocol/stridelab_decoder.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <numbers>

#include "stridelab/protocol/cobs.hpp"

namespace stridelab::protocol {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

StridelabDecoder::StridelabDecoder(const DecoderParams& params) : params_(params) {}

void StridelabDecoder::drain_frames(std::vector<Frame>& out) {
  out.insert(out.end(), std::make_move_iterator(frames_.begin()),
             std::make_move_iterator(frames_.end()));
  frames_.clear();
}

// Splits the input at 0x00 delimiters. A run is buffered only while its delimiter has not
// arrived; complete runs inside a chunk are decoded in place.
void StridelabDecoder::do_feed(std::span<const std::uint8_t> bytes) {
  const std::uint8_t* p = bytes.data();
  std::size_t n = bytes.size();
  while (n > 0) {
    const auto* zero = static_cast<const std::uint8_t*>(std::memchr(p, 0, n));
    const std::size_t seg = zero ? static_cast<std::size_t>(zero - p) : n;
    const std::size_t used = zero ? seg + 1 : seg;
    if (dropping_) {
      stats_.bytes_skipped += used;
      if (zero) {
        dropping_ = false;
        synced_ = true;
      }
    } else if (run_len_ + seg > kMaxEncodedBytes) {
      // Over-long run: no valid frame can be this long. Drop it up to the next delimiter.
      ++stats_.oversize_frames;
      stats_.bytes_skipped += run_len_ + used;
      run_len_ = 0;
      dropping_ = (zero == nullptr);
      if (zero) synced_ = true;
    } else if (!zero) {
      std::memcpy(run_.data() + run_len_, p, seg);
      run_len_ += seg;
    } else if (run_len_ == 0) {
      on_run(std::span(p, seg));
    } else {
      if (seg > 0) std::memcpy(run_.data() + run_len_, p, seg);
      const std::size_t len = run_len_ + seg;
      run_len_ = 0;
      on_run(std::span<const std::uint8_t>(run_.data(), len));
    }
    p += used;
    n -= used;
  }
}

void StridelabDecoder::do_finish() {
  if (run_len_ > 0) {
    ++stats_.truncated_frames;
    stats_.bytes_skipped += run_len_;
    run_len_ = 0;
  }
  dropping_ = false;
}

void StridelabDecoder::on_run(std::span<const std::uint8_t> encoded) {
  const bool first_run = !synced_;
  synced_ = true;
  if (encoded.empty()) {  // idle delimiter
    stats_.bytes_framed += 1;
    return;
  }
  const auto decoded_len = cobs_decode(encoded, frame_);
  ParseResult parsed;
  if (decoded_len) parsed = parse_frame(std::span<const std::uint8_t>(frame_.data(), *decoded_len));
  const bool ok = decoded_len &&
                  (parsed.error == ParseError::kNone || parsed.error == ParseError::kUnknownType);
  if (!ok && first_run) {
    // Bytes before the first delimiter are usually the tail of a frame sent before we
    // started listening: skipped, not an error.
    stats_.bytes_skipped += encoded.size() + 1;
    return;
  }
  stats_.bytes_framed += encoded.size() + 1;
  if (!decoded_len) {
    ++stats_.cobs_errors;
    return;
  }
  switch (parsed.error) {
    case ParseError::kNone:
      on_frame(parsed.frame);
      return;
    case ParseError::kUnknownType:
      ++stats_.unknown_frames;
      track_sequence(parsed.frame.header.seq);
      unwrap_time_us(parsed.frame.header.t_dev_us);
      return;
    case ParseError::kTooLong:
      ++stats_.oversize_frames;
      return;
    case ParseError::kBadCrc:
      ++stats_.crc_failures;
      return;
    default:
      ++stats_.format_errors;
      return;
  }
}

void StridelabDecoder::track_sequence(std::uint16_t seq) {
  if (have_seq_) {
    const auto gap = static_cast<std::uint16_t>(seq - last_seq_ - 1u);
    stats_.missing_frames += gap;
    frames_missing_since_batch_ += gap;
  }
  have_seq_ = true;
  last_seq_ = seq;
}

// The unwrapped time is the value congruent to t_dev_us (mod 2^32) nearest to the previous
// one: right across the 71.6-minute wrap as long as frames are < 35.8 min apart.
std::int64_t StridelabDecoder::unwrap_time_us(std::uint32_t t_dev_us) {
  if (!have_time_) {
    last_time_us_ = t_dev_us;
    have_time_ = true;
  } else {
    last_time_us_ += static_cast<std::int32_t>(t_dev_us - last_t32_);
  }
  last_t32_ = t_dev_us;
  return last_time_us_;
}

void StridelabDecoder::on_frame(const Frame& frame) {
  ++stats_.frames_ok;
  if (params_.keep_frames) frames_.push_back(frame);
  const FrameHeader& h = frame.header;
  switch (type_of(frame.message)) {
    case MessageType::kDeviceInfo: {
      const auto& info = std::get<DeviceInfo>(frame.message);
      on_device_info(info);
      track_sequence(h.seq);
      unwrap_time_us(h.t_dev_us);
      pending_.device_infos.push_back(info);
      return;
    }
    case MessageType::kImuBatch:
      track_sequence(h.seq);
      on_batch(h, std::get<ImuBatch>(frame.message));
      return;
    case MessageType::kStatus: {
      track_sequence(h.seq);
      const auto& s = std::get<Status>(frame.message);
      DeviceStatus out;
      out.device_time_s = static_cast<double>(unwrap_time_us(h.t_dev_us)) * 1e-6;
      out.battery_v = s.battery_mv ? s.battery_mv * 1e-3 : kNaN;
      out.battery_fraction =
          s.battery_pct == Status::kBatteryPctUnknown ? kNaN : s.battery_pct / 100.0;
      out.temperature_c =
          s.temperature_cdeg == Status::kTemperatureUnknown ? kNaN : s.temperature_cdeg / 100.0;
      out.flags = s.flags;
      out.dropped_samples = s.dropped_samples;
      pending_.statuses.push_back(out);
      return;
    }
    case MessageType::kCommand:
      // The host's own counter and clock: tracked as a stream of its own kind.
      track_sequence(h.seq);
      pending_.commands.push_back(CommandFrame{h, std::get<Command>(frame.message)});
      return;
    case MessageType::kAck:
      track_sequence(h.seq);
      unwrap_time_us(h.t_dev_us);
      pending_.acks.push_back(std::get<Ack>(frame.message));
      return;
  }
}

void StridelabDecoder::on_device_info(const DeviceInfo& info) {
  device_info_ = info;
  if (!info.boot()) return;
  // The device restarted: its seq, sample index and clock start over.
  if (have_seq_ || started_) {
    ++stats_.device_restarts;
    restart_pending_ = started_;
  }
  have_seq_ = false;
  have_time_ = false;
  have_index_ = false;
  frames_missing_since_batch_ = 0;
}

void StridelabDecoder::on_batch(const FrameHeader& h, const ImuBatch& b) {
  const double t0_s = static_cast<double>(unwrap_time_us(h.t_dev_us)) * 1e-6;
  const std::size_t count = b.count();
  last_period_ns_ = b.period_ns;
  last_channels_ = b.channels;
  auto push_gap = [&](std::uint64_t missing, const char* cause) {
    StreamGap gap;
    gap.first_missing_index = next_index_;
    gap.missing_samples = missing;
    gap.missing_frames = frames_missing_since_batch_;
    gap.before_time_s = have_sample_ ? last_sample_time_s_ : kNaN;
    gap.after_time_s = t0_s;
    gap.cause = cause;
    pending_.gaps.push_back(std::move(gap));
    ++stats_.gaps;
  };
  if (!started_) {
    started_ = true;
    next_index_ = b.first_index;  // output indices start at the device's counter
  } else if (!have_index_) {
    if (restart_pending_) push_gap(0, "device restart");
  } else {
    const std::uint32_t d = b.first_index - next_device_index_;
    if (d != 0 && d < 0x80000000u) {
      push_gap(d, "sequence");
      stats_.missing_samples += d;
      next_index_ += d;
    } else if (d >= 0x80000000u) {
      // Index went back without a boot DEVICE_INFO (it was lost): a restart.
      ++stats_.device_restarts;
      push_gap(0, "device restart");
    }
  }
  have_index_ = true;
  restart_pending_ = false;
  frames_missing_since_batch_ = 0;
  next_device_index_ = b.first_index + static_cast<std::uint32_t>(count);

  const bool has_acc = b.channels & channel::kAcc, has_gyr = b.channels & channel::kGyr,
             has_mag = b.channels & channel::kMag;
  const double sa = b.acc_scale, sg = b.gyr_scale, sm = b.mag_scale;
  const double period_s = b.period_ns * 1e-9;
  const std::size_t per = b.values_per_sample();
  const std::int16_t* v = b.raw.data();
  pending_.samples.reserve(pending_.samples.size() + count);
  for (std::size_t i = 0; i < count; ++i, v += per) {
    DecodedSample s;
    s.index = next_index_ + i;
    s.device_time_s = t0_s + static_cast<double>(i) * period_s;
    s.has_acc = has_acc;
    s.has_gyr = has_gyr;
    s.has_mag = has_mag;
    const std::int16_t* c = v;  // channels follow each other in the order acc, gyr, mag
    if (has_acc) {
      s.acc = Vec3(c[0] * sa, c[1] * sa, c[2] * sa);
      c += 3;
    }
    if (has_gyr) {
      s.gyr = Vec3(c[0] * sg, c[1] * sg, c[2] * sg);
      c += 3;
    }
    if (has_mag) s.mag = Vec3(c[0] * sm, c[1] * sm, c[2] * sm);
    pending_.samples.push_back(s);
  }
  next_index_ += count;
  stats_.samples += count;
  have_sample_ = true;
  last_sample_time_s_ = t0_s + static_cast<double>(count - 1) * period_s;
}

SensorInfo StridelabDecoder::sensor_info() const {
  SensorInfo info;
  if (!device_info_) {
    info.device_model = "stridelab protocol device";
    if (last_period_ns_) info.nominal_rate_hz = 1e9 / last_period_ns_;
    if (last_channels_) {
      info.has_gyr = last_channels_ & channel::kGyr;
      info.has_mag = last_channels_ & channel::kMag;
    }
    return info;
  }
  const DeviceInfo& d = *device_info_;
  info.device_model = d.model;
  info.device_id = d.device_id;
  info.firmware = d.firmware;
  info.nominal_rate_hz = d.sample_rate_mhz * 1e-3;
  info.acc_range_ms2 = d.acc_fs_g * kGravity;
  info.gyr_range_rads = d.gyr_fs_dps * std::numbers::pi / 180.0;
  info.has_gyr = d.channels & channel::kGyr;
  info.has_mag = d.channels & channel::kMag;
  if (d.placement == 2) {
    info.placement = Placement::kUpperTrunk;
    info.name = "upper_trunk";
  } else if (d.placement == 3) {
    info.placement = Placement::kOther;
    info.name = "other";
  }  // 1 (pelvis) and 0 (unknown) keep the default: a pelvis sensor
  return info;
}

}  // namespace stridelab::protocol
