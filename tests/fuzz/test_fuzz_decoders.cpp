// The fuzz invariants in the normal build: every decoder gets a few hundred thousand random
// and damaged buffers and must never throw, crash, grow its buffer or lose count.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "fuzz_checks.hpp"
#include "stridelab/protocol/encoder.hpp"
#include "stridelab/protocol/stridelab_decoder.hpp"

namespace stridelab::protocol::fuzz {
namespace {

constexpr int kBuffersPerDecoder = 200000;

void run_random_buffers(std::string_view protocol, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::uint8_t> input;
  int failures = 0;
  for (int i = 0; i < kBuffersPerDecoder && failures < 5; ++i) {
    input.resize(rng() % 320);
    const int style = i % 4;  // uniform bytes, or biased to the bytes framing cares about
    for (auto& b : input) {
      const std::uint32_t r = rng();
      if (style == 0 || r % 3 != 0) {
        b = static_cast<std::uint8_t>(r >> 8);
      } else {
        static constexpr std::uint8_t kSpecial[] = {0x00, 0x55, 0x51, 0x52, 0x61, 0x71, 0xFF, 0x01};
        b = kSpecial[(r >> 8) % 8];
      }
    }
    const std::string error = fuzz_one(protocol, input);
    if (!error.empty()) {
      ++failures;
      ADD_FAILURE() << protocol << " buffer " << i << ": " << error;
    }
  }
  ::testing::Test::RecordProperty("buffers", kBuffersPerDecoder);
  std::cout << protocol << ": " << kBuffersPerDecoder << " random/mutated buffers checked\n";
}

TEST(FuzzDecoders, StridelabRandomAndDamagedBuffers) {
  run_random_buffers("stridelab", 1);
}
TEST(FuzzDecoders, WitMotionSerialRandomAndDamagedBuffers) {
  run_random_buffers("witmotion", 2);
}
TEST(FuzzDecoders, WitMotionBleRandomAndDamagedBuffers) {
  run_random_buffers("witmotion-ble", 3);
}
TEST(FuzzDecoders, MovesenseRandomAndDamagedBuffers) {
  run_random_buffers("movesense", 4);
}

// Damage never lets a wrong sample through (CRC-32C), and every frame between the first and
// the last decoded one is either decoded or counted missing.
TEST(FuzzDecoders, StridelabDamageIsAlwaysAccounted) {
  EncoderParams params;
  params.rate_hz = 200;
  params.samples_per_frame = 9;
  StridelabEncoder enc(params);
  std::vector<std::uint8_t> clean;
  enc.begin(clean);
  std::map<std::uint64_t, Vec3> truth;
  for (int i = 0; i < 600; ++i) {
    ImuSample s;
    s.time_s = i * 0.005;
    s.acc = Vec3(i % 17 - 8.0, 0.25 * (i % 5), 9.8);
    s.gyr = Vec3(0.01 * (i % 13), 0.0, -0.3);
    enc.push(s, clean);
    if (i % 97 == 0) enc.send(Status{}, static_cast<std::uint32_t>(i * 5000), clean);
  }
  enc.flush(clean);
  {
    StridelabDecoder dec;
    dec.feed(clean);
    dec.finish();
    DecoderOutput out;
    dec.drain(out);
    ASSERT_EQ(out.samples.size(), 600u);
    for (const auto& s : out.samples) truth[s.index] = s.acc;
  }
  std::mt19937 rng(17);
  for (int trial = 0; trial < 3000; ++trial) {
    std::vector<std::uint8_t> bytes = clean;
    const int ops = 1 + static_cast<int>(rng() % 12);
    for (int k = 0; k < ops && !bytes.empty(); ++k) {
      const std::size_t pos = rng() % bytes.size();
      switch (rng() % 4) {
        case 0:
          bytes[pos] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
          break;
        case 1:
          bytes.insert(bytes.begin() + static_cast<long>(pos), static_cast<std::uint8_t>(rng()));
          break;
        case 2:
          bytes.erase(bytes.begin() + static_cast<long>(pos));
          break;
        default:
          bytes.erase(bytes.begin() + static_cast<long>(pos),
                      bytes.begin() + static_cast<long>(std::min(bytes.size(), pos + rng() % 300)));
      }
    }
    ASSERT_EQ(check_stream("stridelab", bytes, trial), "") << "trial " << trial;
    DecoderParams dp;
    dp.keep_frames = true;
    StridelabDecoder dec(dp);
    dec.feed(bytes);
    dec.finish();
    DecoderOutput out;
    dec.drain(out);
    std::vector<Frame> frames;
    dec.drain_frames(frames);
    for (const auto& s : out.samples) {
      ASSERT_TRUE(truth.count(s.index)) << "trial " << trial;
      ASSERT_EQ(truth[s.index], s.acc) << "trial " << trial << " index " << s.index;
    }
    if (!frames.empty()) {
      const std::uint64_t span = frames.back().header.seq - frames.front().header.seq + 1u;
      ASSERT_EQ(dec.stats().frames_ok + dec.stats().missing_frames, span) << "trial " << trial;
    }
  }
}

}  // namespace
}  // namespace stridelab::protocol::fuzz
