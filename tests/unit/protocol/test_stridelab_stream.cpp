// The streaming stridelab decoder: chunking independence, exact loss accounting under
// corruption and dropped frames, sequence wrap, restarts, bounded memory.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "protocol_test_util.hpp"
#include "stridelab/protocol/cobs.hpp"
#include "stridelab/protocol/crc.hpp"
#include "stridelab/protocol/stridelab_decoder.hpp"

namespace stridelab::protocol {
namespace {

using test::Bytes;
using test::FrameStream;

TEST(StridelabStream, CleanStreamDecodesEverySample) {
  const FrameStream s = test::make_stream(300, 1);
  const auto run = test::decode("stridelab", s.bytes);
  std::size_t total = 0;
  for (std::size_t n : s.samples) total += n;
  EXPECT_EQ(run.stats.frames_ok, s.frames());
  EXPECT_EQ(run.stats.frames_rejected(), 0u);
  EXPECT_EQ(run.stats.missing_frames, 0u);
  EXPECT_EQ(run.stats.samples, total);
  ASSERT_EQ(run.out.samples.size(), total);
  for (std::size_t i = 0; i < total; ++i) {
    const DecodedSample& x = run.out.samples[i];
    ASSERT_EQ(x.index, i);
    EXPECT_NEAR(x.device_time_s, i * 0.005, 1e-9);
    // Quantisation to int16 at 16 g / 2000 °/s full scale: within half an LSB.
    const double t = i * 0.005;
    if (x.acc.x() != 0.0) {
      EXPECT_NEAR(x.acc.x(), std::sin(t), 0.5 * 16 * kGravity / 32768 + 1e-9);
    }
    EXPECT_NEAR(x.acc.z(), 9.81 + std::sin(7 * t), 0.5 * 16 * kGravity / 32768 + 1e-9);
    EXPECT_NEAR(x.gyr.z(), -std::sin(5 * t), 0.5 * 2000 * std::numbers::pi / 180 / 32768 + 1e-9);
    EXPECT_TRUE(x.has_acc && x.has_gyr && !x.has_mag);
  }
  EXPECT_EQ(run.out.statuses.size(), 300u / 7 + (300 % 7 > 3 ? 1 : 0));
}

TEST(StridelabStream, ChunkingDoesNotChangeTheResult) {
  const FrameStream s = test::make_stream(400, 2);
  const auto whole = test::decode("stridelab", s.bytes);
  const std::vector<std::vector<std::size_t>> chunkings = {
      test::chunk_sizes(s.bytes.size(), 1),
      test::chunk_sizes(s.bytes.size(), 20),
      test::chunk_sizes(s.bytes.size(), 244),
      test::chunk_sizes(s.bytes.size(), 509),
      test::random_chunk_sizes(s.bytes.size(), 1, 3),
      test::random_chunk_sizes(s.bytes.size(), 2, 512),
      test::random_chunk_sizes(s.bytes.size(), 3, 5000)};
  for (std::size_t c = 0; c < chunkings.size(); ++c) {
    EXPECT_TRUE(test::same_output(whole, test::decode("stridelab", s.bytes, chunkings[c])))
        << "chunking " << c;
    EXPECT_TRUE(
        test::same_output(whole, test::decode("stridelab", s.bytes, chunkings[c], {}, true)))
        << "chunking " << c << " with drains in between";
  }
}

// Flips bytes inside chosen frames (sometimes their delimiter) and checks that exactly the
// touched frames are lost — plus the next one when its separating delimiter was destroyed —
// and that everything else arrives unchanged.
TEST(StridelabStream, CorruptionLosesOnlyTouchedFrames) {
  const FrameStream s = test::make_stream(300, 3);
  const auto clean = test::decode("stridelab", s.bytes);
  std::mt19937 rng(99);
  for (int trial = 0; trial < 60; ++trial) {
    Bytes bytes = s.bytes;
    std::set<std::size_t> lost;
    std::size_t events = 0;
    std::set<std::size_t> touched;
    while (touched.size() < 1 + rng() % 8) touched.insert(1 + rng() % (s.frames() - 3));
    for (std::size_t k : touched) {
      const std::size_t len = s.end(k) - s.start[k];
      const bool hit_delimiter = rng() % 4 == 0;
      const std::size_t pos = s.start[k] + (hit_delimiter ? len - 1 : rng() % (len - 1));
      bytes[pos] ^= static_cast<std::uint8_t>(1 + rng() % 255);  // always changes the byte
      lost.insert(k);
      if (hit_delimiter) lost.insert(k + 1);  // frames k and k+1 merge into one bad run
      ++events;
    }
    SCOPED_TRACE("trial " + std::to_string(trial));
    const auto run =
        test::decode("stridelab", bytes, test::random_chunk_sizes(bytes.size(), trial, 300));
    std::uint64_t lost_samples = 0;
    std::set<std::uint64_t> lost_indices;
    for (std::size_t k : lost) {
      lost_samples += s.samples[k];
      for (std::size_t i = 0; i < s.samples[k]; ++i) lost_indices.insert(s.first_index[k] + i);
    }
    EXPECT_EQ(run.stats.frames_ok, s.frames() - lost.size());
    EXPECT_EQ(run.stats.missing_frames, lost.size());
    EXPECT_EQ(run.stats.missing_samples, lost_samples);
    EXPECT_GE(run.stats.frames_rejected(), 1u);  // merged events may form a single bad run
    EXPECT_LE(run.stats.frames_rejected(), 2 * events);
    // Everything not lost arrives bit-identical.
    std::vector<DecodedSample> expect;
    for (const auto& x : clean.out.samples)
      if (!lost_indices.count(x.index)) expect.push_back(x);
    ASSERT_EQ(run.out.samples.size(), expect.size());
    for (std::size_t i = 0; i < expect.size(); ++i) {
      ASSERT_EQ(run.out.samples[i].index, expect[i].index);
      ASSERT_TRUE(test::same_vec(run.out.samples[i].acc, expect[i].acc));
      ASSERT_EQ(run.out.samples[i].device_time_s, expect[i].device_time_s);
    }
  }
}

TEST(StridelabStream, DroppedFramesAreCountedExactly) {
  const FrameStream s = test::make_stream(500, 4);
  std::mt19937 rng(4);
  for (int trial = 0; trial < 30; ++trial) {
    std::vector<bool> drop(s.frames(), false);
    for (std::size_t k = 1; k + 1 < s.frames(); ++k) drop[k] = rng() % 10 < 2;
    Bytes bytes;
    for (std::size_t k = 0; k < s.frames(); ++k)
      if (!drop[k])
        bytes.insert(bytes.end(), s.bytes.begin() + s.start[k], s.bytes.begin() + s.end(k));
    // Expected gaps: at every kept batch whose first index is past the expected one.
    std::vector<StreamGap> expect;
    std::uint64_t next = 0, dropped_since_batch = 0, dropped = 0, missing = 0;
    for (std::size_t k = 0; k < s.frames(); ++k) {
      if (drop[k]) {
        ++dropped;
        ++dropped_since_batch;
        missing += s.samples[k];
        continue;
      }
      if (s.samples[k] == 0) continue;
      if (s.first_index[k] != next) {
        StreamGap g;
        g.first_missing_index = next;
        g.missing_samples = s.first_index[k] - next;
        g.missing_frames = dropped_since_batch;
        expect.push_back(g);
      }
      dropped_since_batch = 0;
      next = s.first_index[k] + s.samples[k];
    }
    const auto run =
        test::decode("stridelab", bytes, test::random_chunk_sizes(bytes.size(), trial, 100));
    EXPECT_EQ(run.stats.missing_frames, dropped);
    EXPECT_EQ(run.stats.missing_samples, missing);
    EXPECT_EQ(run.stats.frames_rejected(), 0u);
    ASSERT_EQ(run.out.gaps.size(), expect.size());
    for (std::size_t i = 0; i < expect.size(); ++i) {
      EXPECT_EQ(run.out.gaps[i].first_missing_index, expect[i].first_missing_index);
      EXPECT_EQ(run.out.gaps[i].missing_samples, expect[i].missing_samples);
      EXPECT_EQ(run.out.gaps[i].missing_frames, expect[i].missing_frames);
      EXPECT_EQ(run.out.gaps[i].cause, "sequence");
    }
  }
}

TEST(StridelabStream, SequenceWrapsAt65536) {
  const FrameStream s = test::make_stream(400, 5, 65400);  // seq 65400 … 65535, 0 … 263
  auto run = test::decode("stridelab", s.bytes);
  EXPECT_EQ(run.stats.frames_ok, 400u);
  EXPECT_EQ(run.stats.missing_frames, 0u);
  // Drop the frames with seq 65535 and 0: two missing across the wrap.
  Bytes bytes(s.bytes.begin(), s.bytes.begin() + s.start[135]);
  bytes.insert(bytes.end(), s.bytes.begin() + s.start[137], s.bytes.end());
  run = test::decode("stridelab", bytes);
  EXPECT_EQ(run.stats.missing_frames, 2u);
  EXPECT_EQ(run.stats.missing_samples, s.samples[135] + s.samples[136]);
}

Bytes boot_info(std::uint16_t seq) {
  DeviceInfo d;
  d.flags = DeviceInfo::kBootFlag;
  d.model = "test";
  d.channels = channel::kAcc | channel::kGyr;
  d.sample_rate_mhz = 200000;
  d.acc_fs_g = 16;
  d.gyr_fs_dps = 2000;
  d.placement = 2;
  return encode_frame(Frame{{seq, 10}, d});
}

TEST(StridelabStream, DeviceRestartContinuesIndicesAndMarksAGap) {
  const FrameStream a = test::make_stream(50, 6, 1);
  const FrameStream b = test::make_stream(50, 7, 1);
  for (bool with_info : {true, false}) {
    SCOPED_TRACE(with_info ? "boot DEVICE_INFO received" : "boot DEVICE_INFO lost");
    Bytes bytes = boot_info(0);
    bytes.insert(bytes.end(), a.bytes.begin(), a.bytes.end());
    if (with_info) {
      const Bytes info = boot_info(0);
      bytes.insert(bytes.end(), info.begin(), info.end());
    }
    bytes.insert(bytes.end(), b.bytes.begin(), b.bytes.end());
    const auto run = test::decode("stridelab", bytes);
    EXPECT_EQ(run.stats.device_restarts, 1u);
    ASSERT_EQ(run.out.gaps.size(), 1u);
    EXPECT_EQ(run.out.gaps[0].cause, "device restart");
    EXPECT_EQ(run.out.gaps[0].missing_samples, 0u);
    for (std::size_t i = 1; i < run.out.samples.size(); ++i)
      ASSERT_EQ(run.out.samples[i].index, run.out.samples[i - 1].index + 1);
    if (with_info) {
      EXPECT_EQ(run.stats.missing_frames, 0u);
    }
    EXPECT_EQ(run.out.device_infos.size(), with_info ? 2u : 1u);
  }
}

TEST(StridelabStream, MemoryStaysBoundedOnEndlessGarbage) {
  std::mt19937 rng(8);
  Bytes garbage(1 << 20);
  for (auto& x : garbage) x = static_cast<std::uint8_t>(1 + rng() % 255);  // no delimiter at all
  StridelabDecoder dec;
  const auto run = test::decode(dec, garbage, test::chunk_sizes(garbage.size(), 4096));
  EXPECT_LE(run.max_buffered, kMaxEncodedBytes);
  EXPECT_EQ(run.stats.frames_ok, 0u);
  EXPECT_EQ(run.stats.oversize_frames, 1u);  // one endless run
  EXPECT_EQ(run.stats.bytes_skipped, garbage.size());

  // Garbage with delimiters sprinkled in, then a stream: the stream decodes.
  Bytes mixed(200000);
  for (auto& x : mixed) x = static_cast<std::uint8_t>(rng() % 3 == 0 ? 0 : rng());
  mixed.push_back(0);
  const FrameStream s = test::make_stream(20, 9);
  mixed.insert(mixed.end(), s.bytes.begin(), s.bytes.end());
  const auto run2 =
      test::decode("stridelab", mixed, test::random_chunk_sizes(mixed.size(), 1, 777));
  EXPECT_LE(run2.max_buffered, kMaxEncodedBytes);
  EXPECT_EQ(run2.stats.frames_ok, 20u);
  EXPECT_GT(run2.stats.frames_rejected(), 1000u);
}

TEST(StridelabStream, JoiningMidFrameSkipsThePartialFrameWithoutError) {
  const FrameStream s = test::make_stream(30, 10);
  const Bytes bytes(s.bytes.begin() + static_cast<long>(s.start[0] + 5), s.bytes.end());
  const auto run = test::decode("stridelab", bytes);
  EXPECT_EQ(run.stats.frames_ok, 29u);
  EXPECT_EQ(run.stats.frames_rejected(), 0u);
  EXPECT_EQ(run.stats.bytes_skipped, s.end(0) - s.start[0] - 5);
}

TEST(StridelabStream, StatusAcksCommandsAndDeviceInfoReachTheOutput) {
  Bytes bytes = boot_info(0);
  Status st;
  st.battery_mv = 3900;
  st.battery_pct = 80;
  st.temperature_cdeg = Status::kTemperatureUnknown;
  st.flags = Status::kStreaming;
  encode_frame(Frame{{1, 2000000}, st}, bytes);
  encode_frame(Frame{{2, 2000100}, Ack{7, Opcode::kSetRate, AckResult::kOk, 100000}}, bytes);
  encode_frame(Frame{{3, 0}, Command{Opcode::kSetRate, 100000}}, bytes);
  StridelabDecoder dec;
  const auto run = test::decode(dec, bytes);
  ASSERT_EQ(run.out.statuses.size(), 1u);
  EXPECT_DOUBLE_EQ(run.out.statuses[0].battery_v, 3.9);
  EXPECT_DOUBLE_EQ(run.out.statuses[0].battery_fraction, 0.8);
  EXPECT_TRUE(std::isnan(run.out.statuses[0].temperature_c));
  EXPECT_DOUBLE_EQ(run.out.statuses[0].device_time_s, 2.0);
  ASSERT_EQ(run.out.acks.size(), 1u);
  EXPECT_EQ(run.out.acks[0].acked_seq, 7);
  EXPECT_EQ(run.out.acks[0].value, 100000u);
  ASSERT_EQ(run.out.commands.size(), 1u);
  EXPECT_EQ(run.out.commands[0].header.seq, 3);
  EXPECT_EQ(run.out.commands[0].command.opcode, Opcode::kSetRate);
  const SensorInfo info = dec.sensor_info();
  EXPECT_EQ(info.device_model, "test");
  EXPECT_DOUBLE_EQ(info.nominal_rate_hz, 200.0);
  EXPECT_DOUBLE_EQ(info.acc_range_ms2, 16 * kGravity);
  EXPECT_EQ(info.placement, Placement::kUpperTrunk);
  EXPECT_TRUE(dec.has_device_clock());
}

TEST(StridelabStream, UnknownTypesAreSkippedButKeepTheSequence) {
  Bytes bytes;
  encode_frame(Frame{{1, 0}, Status{}}, bytes);
  Bytes raw = {1, 0x7E, 2, 0, 0, 0, 0, 0, 0xAB};  // version 1, type 0x7E, seq 2
  const std::uint32_t crc = crc32c(raw);
  for (int i = 0; i < 4; ++i) raw.push_back(static_cast<std::uint8_t>(crc >> (8 * i)));
  cobs_encode(raw, bytes);
  bytes.push_back(0);
  encode_frame(Frame{{3, 0}, Status{}}, bytes);
  const auto run = test::decode("stridelab", bytes);
  EXPECT_EQ(run.stats.frames_ok, 2u);
  EXPECT_EQ(run.stats.unknown_frames, 1u);
  EXPECT_EQ(run.stats.missing_frames, 0u);
  EXPECT_EQ(run.stats.frames_rejected(), 0u);
}

}  // namespace
}  // namespace stridelab::protocol
