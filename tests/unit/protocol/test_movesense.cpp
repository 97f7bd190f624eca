// Movesense GATT SensorData Protocol: commands, the IMU9 packet layout (by hand, not only
// through our own encoder), DATA + DATA_PART2 joining, gaps from timestamps, damaged input.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <numbers>
#include <string>

#include "stridelab/core/error.hpp"
#include "stridelab/protocol/movesense.hpp"

namespace stridelab::protocol {
namespace {

constexpr double kRate = 104.0;

void put_f32(float f, std::vector<std::uint8_t>& out) {
  std::uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(u >> (8 * i)));
}

std::unique_ptr<MovesenseDecoder> decoder() {
  DecoderParams p;
  p.nominal_rate_hz = kRate;
  return std::make_unique<MovesenseDecoder>(p);
}

void feed_notifications(Decoder& dec, const std::vector<std::vector<std::uint8_t>>& notes) {
  std::vector<std::uint8_t> records;
  for (const auto& n : notes) append_notification_record(n, records);
  dec.feed(records);
}

std::vector<ImuSample> ramp(std::size_t n, double offset) {
  std::vector<ImuSample> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double v = offset + static_cast<double>(i);
    out[i].acc = Vec3(v, -v, 9.81);
    out[i].gyr = Vec3(0.01 * v, 0.5, -0.25);
    out[i].mag = Vec3(20.0, -5.0, 40.0 + v);
  }
  return out;
}

TEST(Movesense, SubscribeCommandNamesTheIMU9PathAndRefusesOtherRates) {
  const auto c = movesense_subscribe_command(104);
  ASSERT_GE(c.size(), 2u);
  EXPECT_EQ(c[0], 0x01);
  EXPECT_EQ(c[1], movesense::kReference);
  EXPECT_EQ(std::string(c.begin() + 2, c.end()), "/Meas/IMU9/104");
  const auto fast = movesense_subscribe_command(1666);
  EXPECT_EQ(std::string(fast.begin() + 2, fast.end()), "/Meas/IMU9/1666");
  EXPECT_EQ(movesense_unsubscribe_command(), (std::vector<std::uint8_t>{0x02, 0x53}));
  try {
    movesense_subscribe_command(100);
    FAIL() << "100 Hz accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("13, 26, 52, 104"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("not 100"), std::string::npos) << e.what();
  }
}

// One sample written byte by byte as the API describes it: u32 ms, acc m/s², gyro °/s, mag.
TEST(Movesense, DecodesAHandWrittenPacketInSIUnits) {
  std::vector<std::uint8_t> note = {0x02, 0x53, 0xE8, 0x03, 0x00, 0x00};  // t = 1000 ms
  for (float v : {0.5f, -1.0f, 9.75f}) put_f32(v, note);
  for (float v : {0.0f, 90.0f, -180.0f}) put_f32(v, note);
  for (float v : {10.0f, 20.0f, -30.0f}) put_f32(v, note);
  auto dec = decoder();
  feed_notifications(*dec, {note});
  DecoderOutput out;
  dec->drain(out);
  ASSERT_EQ(out.samples.size(), 1u);
  const DecodedSample& s = out.samples[0];
  EXPECT_EQ(s.index, 0u);
  EXPECT_DOUBLE_EQ(s.device_time_s, 1.0);
  EXPECT_EQ(s.acc, Vec3(0.5, -1.0, 9.75));
  EXPECT_NEAR(s.gyr.y(), std::numbers::pi / 2, 1e-6);
  EXPECT_NEAR(s.gyr.z(), -std::numbers::pi, 1e-6);
  EXPECT_TRUE(s.has_mag);
  EXPECT_EQ(s.mag, Vec3(10.0, 20.0, -30.0));
  EXPECT_EQ(dec->stats().frames_ok, 1u);
  EXPECT_TRUE(dec->has_device_clock());
}

// 8 IMU9 samples are 294 bytes: the firmware's 158-byte notifications split them in two.
TEST(Movesense, JoinsDataAndDataPart2) {
  const auto samples = ramp(8, 0.0);
  const auto notes = encode_movesense_imu9(500, samples);
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0].size(), 158u);
  EXPECT_EQ(notes[0][0], movesense::kData);
  EXPECT_EQ(notes[1][0], movesense::kDataPart2);
  EXPECT_EQ(notes[1].size(), 294u - 158u + 2u);
  auto dec = decoder();
  feed_notifications(*dec, {notes[0]});
  DecoderOutput out;
  dec->drain(out);
  EXPECT_TRUE(out.samples.empty()) << "the first part alone must wait";
  feed_notifications(*dec, {notes[1]});
  dec->drain(out);
  ASSERT_EQ(out.samples.size(), 8u);
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(out.samples[i].index, i);
    EXPECT_NEAR(out.samples[i].device_time_s, 0.5 + static_cast<double>(i) / kRate, 1e-12);
    EXPECT_NEAR((out.samples[i].acc - samples[i].acc).norm(), 0.0, 1e-5);
    EXPECT_NEAR((out.samples[i].gyr - samples[i].gyr).norm(), 0.0, 1e-6);
    EXPECT_NEAR((out.samples[i].mag - samples[i].mag).norm(), 0.0, 1e-5);
  }
  EXPECT_EQ(dec->stats().frames_ok, 1u);
  EXPECT_EQ(dec->stats().frames_rejected(), 0u);
}

// A lost notification pair: the next packet's timestamp says how many samples are missing.
TEST(Movesense, ALostPacketIsAGapOfItsSamples) {
  auto dec = decoder();
  for (int k : {0, 1, 3, 4}) {  // packet 2 never arrives
    const auto t = static_cast<std::uint32_t>(std::lround(k * 8 * 1000.0 / kRate));
    feed_notifications(*dec, encode_movesense_imu9(t, ramp(8, k * 8.0)));
  }
  DecoderOutput out;
  dec->drain(out);
  ASSERT_EQ(out.samples.size(), 32u);
  ASSERT_EQ(out.gaps.size(), 1u);
  EXPECT_EQ(out.gaps[0].first_missing_index, 16u);
  EXPECT_EQ(out.gaps[0].missing_samples, 8u);
  EXPECT_EQ(out.gaps[0].cause, "timestamp");
  EXPECT_EQ(out.samples[16].index, 24u);
  EXPECT_NEAR(out.samples[16].acc.x(), 24.0, 1e-5);  // the sample the index says it is
  EXPECT_EQ(dec->stats().missing_samples, 8u);
  // ms rounding of the timestamps (76 or 77 ms apart) never makes a gap by itself.
  for (std::size_t i = 1; i < out.samples.size(); ++i) {
    if (i != 16) {
      EXPECT_EQ(out.samples[i].index, out.samples[i - 1].index + 1) << i;
    }
  }
}

TEST(Movesense, AClockThatGoesBackIsARestart) {
  auto dec = decoder();
  feed_notifications(*dec, encode_movesense_imu9(60000, ramp(4, 0.0)));
  feed_notifications(*dec, encode_movesense_imu9(200, ramp(4, 4.0)));
  DecoderOutput out;
  dec->drain(out);
  ASSERT_EQ(out.samples.size(), 8u);
  ASSERT_EQ(out.gaps.size(), 1u);
  EXPECT_EQ(out.gaps[0].cause, "device restart");
  EXPECT_EQ(out.gaps[0].missing_samples, 0u);
  EXPECT_EQ(dec->stats().device_restarts, 1u);
  EXPECT_EQ(out.samples[4].index, 4u);
  EXPECT_NEAR(out.samples[4].device_time_s, 0.2, 1e-12);  // the new epoch's clock
}

TEST(Movesense, PartsOutOfPlaceAreRejectedNotDecoded) {
  const auto a = encode_movesense_imu9(0, ramp(8, 0.0));
  const auto b = encode_movesense_imu9(77, ramp(8, 8.0));
  auto dec = decoder();
  // A second part alone; a first part followed by another first part; then a whole packet.
  feed_notifications(*dec, {a[1], a[0], b[0], b[1]});
  DecoderOutput out;
  dec->drain(out);
  ASSERT_EQ(out.samples.size(), 8u);
  EXPECT_NEAR(out.samples[0].acc.x(), 8.0, 1e-5);
  EXPECT_EQ(dec->stats().format_errors, 2u);
  EXPECT_EQ(dec->stats().frames_ok, 1u);
}

TEST(Movesense, CommandResultIsReadNotTakenForData) {
  auto dec = decoder();
  feed_notifications(*dec, {{0x01, 0x53, 0x01, 0xF5}});  // 501: rate not supported
  DecoderOutput out;
  dec->drain(out);
  EXPECT_TRUE(out.samples.empty());
  EXPECT_EQ(dec->last_command_status(), 501);
  EXPECT_EQ(dec->stats().frames_rejected(), 0u);
}

// Cut input: whatever was cut is counted, nothing is invented, every byte is accounted.
TEST(Movesense, TruncatedAndGarbageInputIsCounted) {
  std::vector<std::uint8_t> records;
  for (const auto& n : encode_movesense_imu9(0, ramp(8, 0.0)))
    append_notification_record(n, records);
  for (std::size_t cut = 0; cut < records.size(); cut += 7) {
    auto dec = decoder();
    dec->feed(std::span(records).first(cut));
    dec->finish();
    DecoderOutput out;
    dec->drain(out);
    EXPECT_TRUE(out.samples.empty()) << "cut at " << cut;
    const DecoderStats& s = dec->stats();
    EXPECT_EQ(s.bytes_in, s.bytes_framed + s.bytes_skipped) << cut;
    // A cut record; past the first (DATA, 2 + 158 bytes) its DATA_PART2 is missing too.
    if (cut > 0) {
      EXPECT_EQ(s.truncated_frames, cut > 160 ? 2u : 1u) << cut;
    }
  }
  // A length that no notification can have is skipped byte by byte, then decoding resumes.
  std::vector<std::uint8_t> garbage = {0x00, 0x00};  // lengths 0 and 0x9E00
  garbage.insert(garbage.end(), records.begin(), records.end());
  auto dec = decoder();
  dec->feed(garbage);
  dec->finish();
  DecoderOutput out;
  dec->drain(out);
  EXPECT_EQ(out.samples.size(), 8u);
  EXPECT_EQ(dec->stats().bytes_skipped, 2u);
  EXPECT_EQ(dec->stats().bytes_skipped + dec->stats().bytes_framed, garbage.size());
}

}  // namespace
}  // namespace stridelab::protocol
