// WitMotion serial and BLE decoders: the worked examples of PROTOCOLS.md, pairing, resync,
// loss inference, chunking, and the encoders and commands.
#include <gtest/gtest.h>

#include <numbers>
#include <random>

#include "protocol_test_util.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/protocol/witmotion.hpp"

namespace stridelab::protocol {
namespace {

using test::Bytes;
using test::from_hex;
constexpr double kDeg = std::numbers::pi / 180.0;

template <typename Dec, typename FrameT>
std::vector<FrameT> frames_of(const Bytes& bytes, DecoderParams params = {}) {
  params.keep_frames = true;
  Dec dec(params);
  dec.feed(bytes);
  dec.finish();
  std::vector<FrameT> frames;
  dec.drain_frames(frames);
  return frames;
}

TEST(WitSerial, WorkedExamplesFromProtocolsMd) {
  const Bytes acc = from_hex("55 51 00 00 00 00 00 08 48 0E 04");
  EXPECT_EQ(witmotion_checksum(std::span(acc.data(), 10)), 0x04);
  const Bytes angle = from_hex("55 53 00 C0 00 00 00 00 00 00 68");
  EXPECT_EQ(witmotion_checksum(std::span(angle.data(), 10)), 0x68);

  Bytes both = acc;
  both.insert(both.end(), angle.begin(), angle.end());
  const auto frames = frames_of<WitSerialDecoder, WitSerialFrame>(both);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].type, wit::kAcc);
  EXPECT_DOUBLE_EQ(witmotion_acc_g(frames[0].words[0]), 0.0);
  EXPECT_DOUBLE_EQ(witmotion_acc_g(frames[0].words[1]), 0.0);
  EXPECT_DOUBLE_EQ(witmotion_acc_g(frames[0].words[2]), 1.0);  // Az = 2048 → 1.000 g
  EXPECT_DOUBLE_EQ(witmotion_temperature_c(frames[0].words[3]), 36.56);
  EXPECT_EQ(frames[1].type, wit::kAngle);
  EXPECT_DOUBLE_EQ(witmotion_angle_deg(frames[1].words[0]), -90.0);  // 0xC000
}

TEST(WitSerial, AccAndGyroFramesMakeOneSiSample) {
  Bytes bytes = from_hex("55 51 00 00 00 00 00 08 48 0E 04");
  const auto gyr = encode_witmotion_serial_frame(wit::kGyro, {256, -512, 16384, 0});
  bytes.insert(bytes.end(), gyr.begin(), gyr.end());
  DecoderParams params;
  params.nominal_rate_hz = 200;
  const auto run = test::decode("witmotion", bytes, {}, params);
  ASSERT_EQ(run.out.samples.size(), 1u);
  const DecodedSample& s = run.out.samples[0];
  EXPECT_DOUBLE_EQ(s.acc.z(), kGravity);
  EXPECT_DOUBLE_EQ(s.gyr.x(), 15.625 * kDeg);
  EXPECT_DOUBLE_EQ(s.gyr.y(), -31.25 * kDeg);
  EXPECT_DOUBLE_EQ(s.gyr.z(), 1000.0 * kDeg);
  EXPECT_EQ(s.index, 0u);
  EXPECT_EQ(s.device_time_s, 0.0);
  auto dec = make_decoder("witmotion", params);
  EXPECT_FALSE(dec->has_device_clock());
  EXPECT_DOUBLE_EQ(dec->sensor_info().nominal_rate_hz, 200.0);
}

// A module with the default output (acc, gyro, angle, mag) for n periods.
Bytes wit_serial_stream(std::size_t periods, std::vector<std::size_t>* frame_starts = nullptr) {
  Bytes out;
  for (std::size_t k = 0; k < periods; ++k) {
    const auto v = static_cast<std::int16_t>(k % 30000);
    for (std::uint8_t type : {wit::kAcc, wit::kGyro, wit::kAngle, wit::kMag}) {
      if (frame_starts) frame_starts->push_back(out.size());
      const auto f = encode_witmotion_serial_frame(
          type, {v, static_cast<std::int16_t>(-v), static_cast<std::int16_t>(type), 0x55});
      out.insert(out.end(), f.begin(), f.end());
    }
  }
  return out;
}

TEST(WitSerial, SamplesAreStampedIndexTimesNominalPeriod) {
  DecoderParams params;
  params.nominal_rate_hz = 100;
  const auto run = test::decode("witmotion", wit_serial_stream(500), {}, params);
  ASSERT_EQ(run.out.samples.size(), 500u);
  for (std::size_t i = 0; i < 500; ++i) {
    EXPECT_EQ(run.out.samples[i].index, i);
    EXPECT_DOUBLE_EQ(run.out.samples[i].device_time_s, i * 0.01);
    EXPECT_DOUBLE_EQ(run.out.samples[i].acc.x(), static_cast<double>(i) / 32768 * 16 * kGravity);
  }
  EXPECT_EQ(run.stats.frames_ok, 2000u);
  EXPECT_EQ(run.stats.missing_samples, 0u);
  EXPECT_EQ(run.stats.crc_failures, 0u);
}

TEST(WitSerial, ChunkingDoesNotChangeTheResult) {
  std::vector<std::size_t> starts;
  Bytes bytes = wit_serial_stream(400, &starts);
  // Some damage too, so resync decisions are part of what must not depend on chunking.
  bytes[starts[41] + 3] ^= 0x40;
  bytes.insert(bytes.begin() + static_cast<long>(starts[100]), {0x55, 0x51, 0x00, 0x55, 0x12});
  const auto whole = test::decode("witmotion", bytes);
  for (const auto& sizes : {test::chunk_sizes(bytes.size(), 1), test::chunk_sizes(bytes.size(), 20),
                            test::random_chunk_sizes(bytes.size(), 5, 40)})
    EXPECT_TRUE(test::same_output(whole, test::decode("witmotion", bytes, sizes)));
}

TEST(WitSerial, BadSumDropsOneByteAndLosesOnlyThatPeriod) {
  std::vector<std::size_t> starts;
  Bytes bytes = wit_serial_stream(100, &starts);
  bytes[starts[4 * 10 + 1] + 5] ^= 0x01;  // period 10's gyro frame: bad SUM
  const auto run = test::decode("witmotion", bytes);
  EXPECT_EQ(run.out.samples.size(), 99u);
  EXPECT_EQ(run.stats.missing_samples, 1u);
  EXPECT_GE(run.stats.crc_failures, 1u);
  EXPECT_EQ(run.stats.frames_ok, 399u);
  ASSERT_EQ(run.out.gaps.size(), 1u);
  EXPECT_EQ(run.out.gaps[0].first_missing_index, 10u);
  EXPECT_EQ(run.out.gaps[0].missing_samples, 1u);
  EXPECT_EQ(run.out.gaps[0].cause, "incomplete period");
  EXPECT_EQ(run.out.samples[10].index, 11u);  // period 11 keeps its own time slot
  EXPECT_DOUBLE_EQ(run.out.samples[10].device_time_s, 11 * 0.01);
}

TEST(WitSerial, ResyncsAfterGarbageFullOf0x55) {
  Bytes bytes = {0x55, 0x55, 0x51, 0x55, 0x52, 0x01, 0x55, 0x00, 0x55, 0x53, 0x99, 0x55, 0x55};
  const Bytes stream = wit_serial_stream(50);
  bytes.insert(bytes.end(), stream.begin(), stream.end());
  const auto run = test::decode("witmotion", bytes, test::chunk_sizes(bytes.size(), 3));
  EXPECT_EQ(run.out.samples.size(), 50u);
  EXPECT_EQ(run.stats.bytes_skipped, 13u);
  EXPECT_EQ(run.stats.frames_ok, 200u);
}

TEST(WitSerial, RandomDamageStaysAccounted) {
  std::vector<std::size_t> starts;
  const Bytes clean = wit_serial_stream(1000, &starts);
  std::mt19937 rng(12);
  for (int trial = 0; trial < 20; ++trial) {
    Bytes bytes = clean;
    std::set<std::size_t> touched_periods;
    for (int e = 0; e < 5; ++e) {
      const std::size_t frame = 4 + rng() % (starts.size() - 8);
      if (frame % 4 > 1) continue;  // only damage acc/gyro frames: those periods must be lost
      bytes[starts[frame] + 2 + rng() % 8] ^= static_cast<std::uint8_t>(1 + rng() % 255);
      touched_periods.insert(frame / 4);
    }
    const auto run =
        test::decode("witmotion", bytes, test::random_chunk_sizes(bytes.size(), trial, 64));
    EXPECT_EQ(run.stats.missing_samples, touched_periods.size()) << "trial " << trial;
    EXPECT_EQ(run.out.samples.size(), 1000 - touched_periods.size());
    for (const auto& s : run.out.samples) EXPECT_FALSE(touched_periods.count(s.index));
  }
}

TEST(WitBle, WorkedExamplesFromProtocolsMd) {
  const Bytes data = from_hex("55 61 00 00 00 00 00 08 00 00 00 00 00 01 00 C0 00 00 00 20");
  const Bytes reg = from_hex("55 71 3A 00 68 01 69 00 7A 00 00 00 00 00 00 00 00 00 00 00");
  Bytes bytes = data;
  bytes.insert(bytes.end(), reg.begin(), reg.end());
  const auto frames = frames_of<WitBleDecoder, WitBleFrame>(bytes);
  ASSERT_EQ(frames.size(), 2u);
  const auto& w = frames[0].words;
  EXPECT_DOUBLE_EQ(witmotion_acc_g(w[2]), 1.0);
  EXPECT_DOUBLE_EQ(witmotion_gyr_dps(w[5]), 15.625);
  EXPECT_DOUBLE_EQ(witmotion_angle_deg(w[6]), -90.0);
  EXPECT_DOUBLE_EQ(witmotion_angle_deg(w[7]), 0.0);
  EXPECT_DOUBLE_EQ(witmotion_angle_deg(w[8]), 45.0);
  EXPECT_EQ(frames[1].type, wit::kBleRegister);
  EXPECT_EQ(frames[1].start_register, 0x3A);
  EXPECT_EQ(frames[1].words[0], 360);  // Hx
  EXPECT_EQ(frames[1].words[1], 105);  // Hy
  EXPECT_EQ(frames[1].words[2], 122);  // Hz

  const auto run = test::decode("witmotion-ble", bytes);
  ASSERT_EQ(run.out.samples.size(), 1u);  // the register reply is not a sample
  EXPECT_DOUBLE_EQ(run.out.samples[0].acc.z(), kGravity);
  EXPECT_DOUBLE_EQ(run.out.samples[0].gyr.z(), 15.625 * kDeg);
}

Bytes ble_stream(std::size_t n) {
  Bytes out;
  for (std::size_t i = 0; i < n; ++i) {
    ImuSample s;
    s.acc = Vec3(0.01 * i, 0.0, kGravity);
    s.gyr = Vec3(0.0, 0.001 * i, -0.5);
    const auto f = encode_witmotion_ble(s, Vec3(0, 0, 0.1 * i));
    out.insert(out.end(), f.begin(), f.end());
  }
  return out;
}

TEST(WitBle, NotificationSplitsAndMergesDoNotMatter) {
  const Bytes bytes = ble_stream(300);
  const auto whole = test::decode("witmotion-ble", bytes);
  EXPECT_EQ(whole.out.samples.size(), 300u);  // the last frame is accepted at finish()
  EXPECT_EQ(whole.stats.bytes_skipped, 0u);
  for (const auto& sizes :
       {test::chunk_sizes(bytes.size(), 1), test::chunk_sizes(bytes.size(), 20),
        test::chunk_sizes(bytes.size(), 7), test::random_chunk_sizes(bytes.size(), 6, 244)})
    EXPECT_TRUE(test::same_output(whole, test::decode("witmotion-ble", bytes, sizes)));
}

TEST(WitBle, ShortenedFrameIsDroppedAndTheLossEstimated) {
  Bytes bytes = ble_stream(50);
  // The bridge lost 7 bytes from the middle of frame 20.
  bytes.erase(bytes.begin() + 20 * 20 + 5, bytes.begin() + 20 * 20 + 12);
  const auto run = test::decode("witmotion-ble", bytes, test::chunk_sizes(bytes.size(), 20));
  EXPECT_EQ(run.out.samples.size(), 49u);
  EXPECT_EQ(run.stats.missing_samples, 1u);
  ASSERT_EQ(run.out.gaps.size(), 1u);
  EXPECT_EQ(run.out.gaps[0].first_missing_index, 20u);
  EXPECT_EQ(run.out.gaps[0].cause, "resync (estimated)");
  EXPECT_EQ(run.out.samples[20].index, 21u);
  // What arrived is unchanged: sample 21's acc.x is 0.21 m/s² quantised.
  EXPECT_NEAR(run.out.samples[20].acc.x(), 0.21, 16 * kGravity / 32768);
}

TEST(WitBle, FinishReportsATruncatedFrame) {
  Bytes bytes = ble_stream(5);
  bytes.resize(bytes.size() - 6);
  const auto run = test::decode("witmotion-ble", bytes);
  EXPECT_EQ(run.out.samples.size(), 4u);
  EXPECT_EQ(run.stats.truncated_frames, 1u);
}

TEST(WitEncode, SerialRoundTripAndSaturation) {
  ImuSample s;
  s.acc = Vec3(1.0, -2.0, 200.0);  // 200 m/s² > 16 g: saturates
  s.gyr = Vec3(1.0, -1.0, 0.25);
  Bytes bytes;
  encode_witmotion_serial(s, bytes);
  ASSERT_EQ(bytes.size(), 22u);
  const auto run = test::decode("witmotion", bytes);
  ASSERT_EQ(run.out.samples.size(), 1u);
  const double acc_lsb = 16 * kGravity / 32768, gyr_lsb = 2000 * kDeg / 32768;
  EXPECT_NEAR(run.out.samples[0].acc.x(), 1.0, acc_lsb / 2);
  EXPECT_NEAR(run.out.samples[0].acc.y(), -2.0, acc_lsb / 2);
  EXPECT_DOUBLE_EQ(run.out.samples[0].acc.z(), 32767 * acc_lsb);
  EXPECT_NEAR(run.out.samples[0].gyr.z(), 0.25, gyr_lsb / 2);
}

TEST(WitCommands, SetRateSequencesFromProtocolsMd) {
  const auto cmds = witmotion_set_rate_commands(100);
  ASSERT_EQ(cmds.size(), 3u);
  EXPECT_EQ(Bytes(cmds[0].begin(), cmds[0].end()), from_hex("FF AA 69 88 B5"));
  EXPECT_EQ(Bytes(cmds[1].begin(), cmds[1].end()), from_hex("FF AA 03 09 00"));
  EXPECT_EQ(Bytes(cmds[2].begin(), cmds[2].end()), from_hex("FF AA 00 00 00"));
  EXPECT_EQ(witmotion_rate_code(200), 0x0B);
  EXPECT_EQ(witmotion_rate_code(10), 0x06);
  const auto read = witmotion_read_register(0x03);
  EXPECT_EQ(Bytes(read.begin(), read.end()), from_hex("FF AA 27 03 00"));
  EXPECT_THROW(witmotion_rate_code(7), Error);
}

TEST(WitParams, RejectsBadRate) {
  DecoderParams p;
  p.nominal_rate_hz = 0;
  EXPECT_THROW(make_decoder("witmotion", p), Error);
  EXPECT_THROW(make_decoder("witmotion-ble", p), Error);
  EXPECT_THROW(make_decoder("xsens", {}), Error);
}

}  // namespace
}  // namespace stridelab::protocol
