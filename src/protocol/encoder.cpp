#include "stridelab/protocol/encoder.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "stridelab/core/error.hpp"
#include "stridelab/protocol/witmotion.hpp"

namespace stridelab::protocol {

std::int16_t quantize(double value, double scale) {
  if (!std::isfinite(value))
    throw Error("cannot encode a non-finite sample value (" + std::to_string(value) + ")");
  const double raw = std::nearbyint(value / scale);
  return static_cast<std::int16_t>(std::clamp(raw, -32768.0, 32767.0));
}

float acc_scale_for_range(double range_g) {
  return static_cast<float>(range_g * kGravity / 32768.0);
}
float gyr_scale_for_range(double range_dps) {
  return static_cast<float>(range_dps * std::numbers::pi / 180.0 / 32768.0);
}
float mag_scale_for_range(double range_ut) {
  return static_cast<float>(range_ut / 32768.0);
}

ImuBatch make_imu_batch(std::span<const ImuSample> samples, std::uint8_t channels,
                        std::uint32_t first_index, std::uint32_t period_ns, float acc_scale,
                        float gyr_scale, float mag_scale) {
  ImuBatch b;
  b.channels = channels;
  b.first_index = first_index;
  b.period_ns = period_ns;
  b.acc_scale = (channels & channel::kAcc) ? acc_scale : 0.0f;
  b.gyr_scale = (channels & channel::kGyr) ? gyr_scale : 0.0f;
  b.mag_scale = (channels & channel::kMag) ? mag_scale : 0.0f;
  b.raw.reserve(samples.size() * b.values_per_sample());
  auto put = [&](const Vec3& v, float scale) {
    for (int k = 0; k < 3; ++k) b.raw.push_back(quantize(v[k], scale));
  };
  for (const ImuSample& s : samples) {
    if (channels & channel::kAcc) put(s.acc, acc_scale);
    if (channels & channel::kGyr) put(s.gyr, gyr_scale);
    if (channels & channel::kMag) put(s.mag, mag_scale);
  }
  return b;
}

// ---- stridelab ----------------------------------------------------------------------------------

namespace {

void check_params(const EncoderParams& p) {
  if (!(p.rate_hz > 0.0) || !std::isfinite(p.rate_hz) || p.rate_hz > 1e6)
    throw Error("encoder: sample rate must be in (0, 1e6] Hz, got " + std::to_string(p.rate_hz));
  if (!(p.acc_range_g > 0.0) || !(p.gyr_range_dps > 0.0) || !(p.mag_range_ut > 0.0))
    throw Error("encoder: full-scale ranges must be positive");
}

std::uint32_t period_ns_for(double rate_hz) {
  return static_cast<std::uint32_t>(std::llround(1e9 / rate_hz));
}

std::uint32_t device_us(double t_s) {
  return static_cast<std::uint32_t>(static_cast<std::uint64_t>(std::llround(t_s * 1e6)));
}

std::uint8_t placement_code(Placement p) {
  switch (p) {
    case Placement::kPelvis:
      return 1;
    case Placement::kUpperTrunk:
      return 2;
    case Placement::kOther:
      return 3;
  }
  return 0;
}

}  // namespace

StridelabEncoder::StridelabEncoder(const EncoderParams& params)
    : params_(params),
      channels_(static_cast<std::uint8_t>(channel::kAcc | channel::kGyr |
                                          (params.with_mag ? channel::kMag : 0))),
      acc_scale_(acc_scale_for_range(params.acc_range_g)),
      gyr_scale_(gyr_scale_for_range(params.gyr_range_dps)),
      mag_scale_(mag_scale_for_range(params.mag_range_ut)) {
  check_params(params_);
  if (params_.samples_per_frame < 1 || params_.samples_per_frame > max_batch_samples(channels_))
    throw Error("encoder: samples per frame must be 1.." +
                std::to_string(max_batch_samples(channels_)) + ", got " +
                std::to_string(params_.samples_per_frame));
}

DeviceInfo StridelabEncoder::device_info(bool boot) const {
  DeviceInfo d;
  d.flags = boot ? DeviceInfo::kBootFlag : 0;
  d.model = params_.model.substr(0, 16);
  d.device_id = params_.device_id.substr(0, 16);
  d.firmware = params_.firmware.substr(0, 16);
  d.sample_rate_mhz = static_cast<std::uint32_t>(std::llround(params_.rate_hz * 1000.0));
  d.channels = channels_;
  d.placement = placement_code(params_.placement);
  d.acc_fs_g = static_cast<std::uint16_t>(std::lround(params_.acc_range_g));
  d.gyr_fs_dps = static_cast<std::uint16_t>(std::lround(params_.gyr_range_dps));
  d.mag_fs_ut =
      params_.with_mag ? static_cast<std::uint16_t>(std::lround(params_.mag_range_ut)) : 0;
  d.acc_scale = acc_scale_;
  d.gyr_scale = gyr_scale_;
  d.mag_scale = params_.with_mag ? mag_scale_ : 0.0f;
  return d;
}

void StridelabEncoder::send(const Message& message, std::uint32_t t_dev_us,
                            std::vector<std::uint8_t>& out) {
  encode_frame(Frame{FrameHeader{seq_, t_dev_us}, message}, out);
  ++seq_;  // wraps at 65536
}

void StridelabEncoder::begin(std::vector<std::uint8_t>& out) {
  out.push_back(0x00);  // terminate whatever partial frame the receiver may hold
  send(device_info(true), 0, out);
}

void StridelabEncoder::push(const ImuSample& sample, std::vector<std::uint8_t>& out) {
  const double period_s = 1.0 / params_.rate_hz;
  if (have_last_) {
    const double steps = (sample.time_s - last_time_s_) / period_s;
    if (std::abs(steps - 1.0) > 0.5) {
      // Not the next sample on the fixed grid: close the batch; a forward jump is a run of
      // samples the device never sent, so their indices are skipped.
      flush(out);
      if (steps > 1.5) next_index_ += static_cast<std::uint64_t>(std::llround(steps)) - 1;
    }
  }
  if (open_.empty()) open_first_index_ = next_index_;
  open_.push_back(sample);
  ++next_index_;
  have_last_ = true;
  last_time_s_ = sample.time_s;
  if (open_.size() >= params_.samples_per_frame) flush(out);
}

void StridelabEncoder::flush(std::vector<std::uint8_t>& out) {
  if (open_.empty()) return;
  const ImuBatch batch =
      make_imu_batch(open_, channels_, static_cast<std::uint32_t>(open_first_index_),
                     period_ns_for(params_.rate_hz), acc_scale_, gyr_scale_, mag_scale_);
  send(batch, device_us(open_.front().time_s), out);
  open_.clear();
}

void StridelabEncoder::set_rate(double rate_hz, std::vector<std::uint8_t>& out) {
  flush(out);
  EncoderParams p = params_;
  p.rate_hz = rate_hz;
  check_params(p);
  params_ = p;
  have_last_ = false;
}

// ---- WitMotion ----------------------------------------------------------------------------------

namespace {

class WitSerialEncoder final : public Encoder {
 public:
  explicit WitSerialEncoder(const EncoderParams& p) : params_(p) { check_params(p); }
  std::string_view protocol() const override { return "witmotion"; }
  void begin(std::vector<std::uint8_t>&) override {}
  void push(const ImuSample& s, std::vector<std::uint8_t>& out) override {
    encode_witmotion_serial(s, out, params_.acc_range_g, params_.gyr_range_dps);
  }
  void flush(std::vector<std::uint8_t>&) override {}

 private:
  EncoderParams params_;
};

class WitBleEncoder final : public Encoder {
 public:
  explicit WitBleEncoder(const EncoderParams& p) : params_(p) { check_params(p); }
  std::string_view protocol() const override { return "witmotion-ble"; }
  void begin(std::vector<std::uint8_t>&) override {}
  void push(const ImuSample& s, std::vector<std::uint8_t>& out) override {
    const auto f =
        encode_witmotion_ble(s, Vec3::Zero(), params_.acc_range_g, params_.gyr_range_dps);
    out.insert(out.end(), f.begin(), f.end());
  }
  void flush(std::vector<std::uint8_t>&) override {}

 private:
  EncoderParams params_;
};

}  // namespace

std::vector<std::string> encoder_protocols() {
  return {"stridelab", "witmotion", "witmotion-ble"};
}

std::unique_ptr<Encoder> make_encoder(std::string_view protocol, const EncoderParams& params) {
  if (protocol == "stridelab") return std::make_unique<StridelabEncoder>(params);
  if (protocol == "witmotion") return std::make_unique<WitSerialEncoder>(params);
  if (protocol == "witmotion-ble") return std::make_unique<WitBleEncoder>(params);
  throw Error("unknown sensor protocol '" + std::string(protocol) +
              "' (expected stridelab, witmotion or witmotion-ble)");
}

std::vector<std::uint8_t> encode_sensor_data(const SensorData& data, std::string_view protocol,
                                             const EncoderParams& params) {
  EncoderParams p = params;
  if (data.info.nominal_rate_hz > 0.0) p.rate_hz = data.info.nominal_rate_hz;
  p.with_mag = data.info.has_mag && !data.mag.empty();
  auto encoder = make_encoder(protocol, p);
  std::vector<std::uint8_t> out;
  encoder->begin(out);
  const bool device_clock = data.device_time_s.size() == data.size();
  for (std::size_t i = 0; i < data.size(); ++i) {
    ImuSample s = data.sample(i);
    if (device_clock) s.time_s = data.device_time_s[i];
    encoder->push(s, out);
  }
  encoder->flush(out);
  return out;
}

}  // namespace stridelab::protocol
