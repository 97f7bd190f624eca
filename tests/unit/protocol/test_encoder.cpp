// Stream encoders (what `stridelab emulate` sends) decode back to the recording.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "protocol_test_util.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/protocol/encoder.hpp"
#include "stridelab/protocol/stridelab_decoder.hpp"

namespace stridelab::protocol {
namespace {

SensorData synthetic(std::size_t n, double rate_hz, bool with_mag = false) {
  SensorData d;
  d.info.nominal_rate_hz = rate_hz;
  d.info.has_mag = with_mag;
  for (std::size_t i = 0; i < n; ++i) {
    const double t = 2.0 + i / rate_hz;
    d.time_s.push_back(t);
    d.acc.emplace_back(std::sin(t), 0.3 * std::cos(2 * t), kGravity + std::sin(9 * t));
    d.gyr.emplace_back(0.1 * std::sin(4 * t), -0.2, std::cos(t));
    if (with_mag) d.mag.emplace_back(20.0, -5.0 + t, 40.0);
  }
  return d;
}

constexpr double kAccLsb = 16 * kGravity / 32768;
constexpr double kGyrLsb = 2000 * std::numbers::pi / 180 / 32768;

TEST(Encoder, StridelabRoundTripKeepsTimesAndValues) {
  const SensorData d = synthetic(1000, 200, true);
  EncoderParams p;
  p.samples_per_frame = 17;
  const test::Bytes bytes = encode_sensor_data(d, "stridelab", p);
  StridelabDecoder dec;
  const auto run = test::decode(dec, bytes, test::chunk_sizes(bytes.size(), 20));
  ASSERT_EQ(run.out.samples.size(), 1000u);
  ASSERT_EQ(run.out.device_infos.size(), 1u);
  EXPECT_TRUE(run.out.device_infos[0].boot());
  EXPECT_EQ(run.out.device_infos[0].channels, channel::kAll);
  EXPECT_EQ(run.stats.frames_rejected(), 0u);
  EXPECT_DOUBLE_EQ(dec.sensor_info().nominal_rate_hz, 200.0);
  for (std::size_t i = 0; i < 1000; ++i) {
    const auto& s = run.out.samples[i];
    EXPECT_NEAR(s.device_time_s, d.time_s[i], 1e-6);
    EXPECT_LE((s.acc - d.acc[i]).cwiseAbs().maxCoeff(), kAccLsb / 2 + 1e-9);
    EXPECT_LE((s.gyr - d.gyr[i]).cwiseAbs().maxCoeff(), kGyrLsb / 2 + 1e-9);
    EXPECT_LE((s.mag - d.mag[i]).cwiseAbs().maxCoeff(), 4900.0 / 32768 / 2 + 1e-6);
    EXPECT_TRUE(s.has_mag);
  }
}

TEST(Encoder, TimeGapsBecomeMissingSampleIndices) {
  SensorData d = synthetic(1000, 100);
  auto cut = [&](auto& v) { v.erase(v.begin() + 300, v.begin() + 350); };
  cut(d.time_s);
  cut(d.acc);
  cut(d.gyr);
  const auto run = test::decode("stridelab", encode_sensor_data(d, "stridelab"));
  EXPECT_EQ(run.stats.missing_samples, 50u);
  EXPECT_EQ(run.stats.missing_frames, 0u);  // the device never sent them: no frame missing
  ASSERT_EQ(run.out.gaps.size(), 1u);
  EXPECT_EQ(run.out.gaps[0].first_missing_index, 300u);
  EXPECT_EQ(run.out.gaps[0].missing_samples, 50u);
  ASSERT_EQ(run.out.samples.size(), 950u);
  EXPECT_EQ(run.out.samples[300].index, 350u);
  EXPECT_NEAR(run.out.samples[300].device_time_s, d.time_s[300], 1e-6);
}

TEST(Encoder, WitMotionRoundTrips) {
  const SensorData d = synthetic(400, 100);
  for (const char* protocol : {"witmotion", "witmotion-ble"}) {
    SCOPED_TRACE(protocol);
    DecoderParams params;
    params.nominal_rate_hz = 100;
    const auto run = test::decode(protocol, encode_sensor_data(d, protocol), {}, params);
    ASSERT_EQ(run.out.samples.size(), 400u);
    for (std::size_t i = 0; i < 400; ++i) {
      EXPECT_LE((run.out.samples[i].acc - d.acc[i]).cwiseAbs().maxCoeff(), kAccLsb / 2 + 1e-9);
      EXPECT_LE((run.out.samples[i].gyr - d.gyr[i]).cwiseAbs().maxCoeff(), kGyrLsb / 2 + 1e-9);
      // No time on the wire: index × nominal period (the recording started at 2 s).
      EXPECT_NEAR(run.out.samples[i].device_time_s, d.time_s[i] - 2.0, 1e-9);
    }
  }
}

TEST(Encoder, StridelabEncoderFramesAndSequence) {
  EncoderParams p;
  p.rate_hz = 100;
  p.samples_per_frame = 4;
  StridelabEncoder enc(p);
  test::Bytes bytes;
  enc.begin(bytes);
  EXPECT_EQ(bytes.front(), 0x00);  // flushes a receiver's partial frame first
  EXPECT_EQ(enc.next_seq(), 1);
  for (int i = 0; i < 10; ++i) {
    ImuSample s;
    s.time_s = i * 0.01;
    enc.push(s, bytes);
  }
  EXPECT_EQ(enc.next_seq(), 3);  // two full batches of 4
  enc.set_rate(50, bytes);       // flushes the 2 open samples first
  EXPECT_EQ(enc.next_seq(), 4);
  for (int i = 0; i < 4; ++i) {
    ImuSample s;
    s.time_s = 1.0 + i * 0.02;
    enc.push(s, bytes);
  }
  enc.send(Ack{5, Opcode::kSetRate, AckResult::kOk, 50000}, 1100000, bytes);
  DecoderParams dp;
  dp.keep_frames = true;
  StridelabDecoder dec(dp);
  const auto run = test::decode(dec, bytes);
  std::vector<Frame> frames;
  dec.drain_frames(frames);
  ASSERT_EQ(frames.size(), 6u);
  for (std::size_t k = 0; k < frames.size(); ++k) EXPECT_EQ(frames[k].header.seq, k);
  EXPECT_EQ(std::get<ImuBatch>(frames[3].message).count(), 2u);
  EXPECT_EQ(std::get<ImuBatch>(frames[4].message).period_ns, 20000000u);
  EXPECT_EQ(std::get<ImuBatch>(frames[4].message).first_index, 10u);
  EXPECT_EQ(run.out.acks.size(), 1u);
  EXPECT_EQ(run.stats.missing_samples, 0u);
}

TEST(Encoder, RejectsBadInput) {
  EncoderParams p;
  p.samples_per_frame = 0;
  EXPECT_THROW(StridelabEncoder{p}, Error);
  p.samples_per_frame = 83;
  EXPECT_THROW(StridelabEncoder{p}, Error);
  p.samples_per_frame = 82;
  EXPECT_NO_THROW(StridelabEncoder{p});
  p.rate_hz = -1;
  EXPECT_THROW(make_encoder("witmotion", p), Error);
  EXPECT_THROW(make_encoder("mavlink", {}), Error);
  EXPECT_THROW(quantize(std::nan(""), 1.0), Error);
  EXPECT_EQ(quantize(1e9, 1.0), 32767);
  EXPECT_EQ(quantize(-1e9, 1.0), -32768);
  EXPECT_EQ(quantize(2.5, 1.0), 2);  // round half to even
  EXPECT_EQ(quantize(-1.4, 1.0), -1);
}

}  // namespace
}  // namespace stridelab::protocol
