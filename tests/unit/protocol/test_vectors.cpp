// The committed test vectors (made by the C encoder) decode to exactly their stated content,
// whatever the chunking.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <numbers>
#include <set>

#include "protocol_test_util.hpp"
#include "stridelab/protocol/cobs.hpp"
#include "stridelab/protocol/stridelab_decoder.hpp"

namespace stridelab::protocol {
namespace {

using nlohmann::json;
using test::Bytes;

json load_vectors() {
  const std::string path =
      std::string(STRIDELAB_SOURCE_DIR) + "/firmware_protocol/test_vectors/vectors.json";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  return json::parse(in);
}

Frame expected_frame(const json& m) {
  Frame f;
  f.header.seq = m.at("seq").get<std::uint16_t>();
  f.header.t_dev_us = m.at("t_dev_us").get<std::uint32_t>();
  const std::string type = m.at("type");
  if (type == "device_info") {
    DeviceInfo d;
    d.protocol_version = m.at("protocol_version");
    d.flags = m.at("flags");
    d.model = m.at("model");
    d.device_id = m.at("device_id");
    d.firmware = m.at("firmware");
    d.sample_rate_mhz = m.at("sample_rate_mhz");
    d.channels = m.at("channels");
    d.placement = m.at("placement");
    d.acc_fs_g = m.at("acc_fs_g");
    d.gyr_fs_dps = m.at("gyr_fs_dps");
    d.mag_fs_ut = m.at("mag_fs_ut");
    d.acc_scale = static_cast<float>(m.at("acc_scale").get<double>());
    d.gyr_scale = static_cast<float>(m.at("gyr_scale").get<double>());
    d.mag_scale = static_cast<float>(m.at("mag_scale").get<double>());
    f.message = d;
  } else if (type == "imu_batch") {
    ImuBatch b;
    b.channels = m.at("channels");
    b.first_index = m.at("first_index");
    b.period_ns = m.at("period_ns");
    b.acc_scale = static_cast<float>(m.at("acc_scale").get<double>());
    b.gyr_scale = static_cast<float>(m.at("gyr_scale").get<double>());
    b.mag_scale = static_cast<float>(m.at("mag_scale").get<double>());
    for (const auto& sample : m.at("samples"))
      for (const auto& v : sample) b.raw.push_back(v.get<std::int16_t>());
    EXPECT_EQ(b.count(), m.at("count").get<std::size_t>());
    f.message = b;
  } else if (type == "status") {
    Status s;
    s.battery_mv = m.at("battery_mv");
    s.battery_pct = m.at("battery_pct");
    s.flags = m.at("flags");
    s.temperature_cdeg = m.at("temperature_cdeg");
    s.dropped_samples = m.at("dropped_samples");
    f.message = s;
  } else if (type == "command") {
    f.message = Command{static_cast<Opcode>(m.at("opcode").get<int>()), m.at("arg")};
  } else if (type == "ack") {
    f.message = Ack{m.at("acked_seq"), static_cast<Opcode>(m.at("opcode").get<int>()),
                    static_cast<AckResult>(m.at("result").get<int>()), m.at("value")};
  } else {
    ADD_FAILURE() << "unknown type " << type;
  }
  return f;
}

class VectorTest : public ::testing::TestWithParam<int> {};

TEST(TestVectors, FileHasAllEdgeCases) {
  const json v = load_vectors();
  EXPECT_EQ(v.at("protocol_version"), 1);
  std::set<std::string> names;
  for (const auto& x : v.at("vectors")) names.insert(x.at("name"));
  for (const char* required :
       {"worked_example_imu_batch", "device_info_boot", "imu_batch_max_size", "imu_batch_zeros",
        "status", "commands", "acks", "seq_and_time_wrap", "seq_gap", "bad_crc",
        "truncated_mid_stream", "truncated_at_end", "oversize_frame", "garbage_run"})
    EXPECT_TRUE(names.count(required)) << required;
}

TEST(TestVectors, MaxSizeFrameIsExactly1024Bytes) {
  for (const auto& v : load_vectors().at("vectors")) {
    if (v.at("name") != "imu_batch_max_size") continue;
    const Bytes wire = test::from_hex(v.at("wire_hex").get<std::string>());
    std::array<std::uint8_t, 2048> decoded{};
    Bytes encoded(wire.begin(), wire.end() - 1);
    const auto n = cobs_decode(encoded, decoded);
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, kMaxFrameBytes);
    EXPECT_LE(encoded.size(), kMaxEncodedBytes);
    EXPECT_TRUE(std::count(encoded.begin(), encoded.end(), 0xFF) >= 3);  // full 254-byte blocks
  }
}

TEST(TestVectors, DecodeToTheirContentWithAnyChunking) {
  const json vectors = load_vectors().at("vectors");
  ASSERT_GE(vectors.size(), 15u);
  for (const auto& v : vectors) {
    SCOPED_TRACE(v.at("name").get<std::string>());
    const Bytes wire = test::from_hex(v.at("wire_hex").get<std::string>());
    const json& expect = v.at("expect");
    std::vector<Frame> expected;
    for (const auto& m : expect.at("messages")) expected.push_back(expected_frame(m));

    const std::vector<std::vector<std::size_t>> chunkings = {
        {},
        test::chunk_sizes(wire.size(), 1),
        test::chunk_sizes(wire.size(), 20),
        test::random_chunk_sizes(wire.size(), 3, 60)};
    test::DecodeRun reference;
    for (std::size_t c = 0; c < chunkings.size(); ++c) {
      DecoderParams params;
      params.keep_frames = true;
      StridelabDecoder dec(params);
      const test::DecodeRun run = test::decode(dec, wire, chunkings[c]);
      std::vector<Frame> frames;
      dec.drain_frames(frames);
      EXPECT_EQ(frames, expected) << "chunking " << c;
      const DecoderStats& s = run.stats;
      EXPECT_EQ(s.frames_ok, expect.at("frames_ok").get<std::uint64_t>());
      EXPECT_EQ(s.frames_rejected(), expect.at("frames_rejected").get<std::uint64_t>());
      if (expect.contains("crc_failures")) {
        EXPECT_EQ(s.crc_failures, expect.at("crc_failures").get<std::uint64_t>());
      }
      EXPECT_EQ(s.oversize_frames, expect.at("oversize_frames").get<std::uint64_t>());
      EXPECT_EQ(s.truncated_frames, expect.at("truncated_frames").get<std::uint64_t>());
      EXPECT_EQ(s.missing_frames, expect.at("missing_frames").get<std::uint64_t>());
      EXPECT_EQ(s.missing_samples, expect.at("missing_samples").get<std::uint64_t>());
      EXPECT_LE(run.max_buffered, kMaxEncodedBytes);
      if (c == 0) {
        reference = run;
      } else {
        EXPECT_TRUE(test::same_output(reference, run)) << "chunking " << c;
      }
    }

    // Samples in SI: raw × scale, at t_first + i · period (device clock).
    std::size_t k = 0;
    for (const Frame& f : expected) {
      const auto* b = std::get_if<ImuBatch>(&f.message);
      if (!b) continue;
      const std::size_t per = b->values_per_sample();
      for (std::size_t i = 0; i < b->count(); ++i, ++k) {
        ASSERT_LT(k, reference.out.samples.size());
        const DecodedSample& s = reference.out.samples[k];
        const std::int16_t* r = b->raw.data() + i * per;
        if (b->channels & channel::kAcc) {
          EXPECT_DOUBLE_EQ(s.acc.z(), r[2] * static_cast<double>(b->acc_scale));
          r += 3;
        }
        if (b->channels & channel::kGyr) {
          EXPECT_DOUBLE_EQ(s.gyr.x(), r[0] * static_cast<double>(b->gyr_scale));
          r += 3;
        }
        if (b->channels & channel::kMag) {
          EXPECT_DOUBLE_EQ(s.mag.y(), r[1] * static_cast<double>(b->mag_scale));
        }
        if (v.at("name") != "seq_and_time_wrap") {
          EXPECT_NEAR(s.device_time_s, f.header.t_dev_us * 1e-6 + i * b->period_ns * 1e-9, 1e-9);
        }
      }
    }
    EXPECT_EQ(k, reference.out.samples.size());
  }
}

TEST(TestVectors, WorkedExampleInSi) {
  for (const auto& v : load_vectors().at("vectors")) {
    if (v.at("name") != "worked_example_imu_batch") continue;
    const auto run = test::decode("stridelab", test::from_hex(v.at("wire_hex").get<std::string>()));
    ASSERT_EQ(run.out.samples.size(), 1u);
    const DecodedSample& s = run.out.samples[0];
    EXPECT_NEAR(s.acc.z(), kGravity, 1e-5);                         // +1 g
    EXPECT_NEAR(s.gyr.z(), 15.625 * std::numbers::pi / 180, 1e-6);  // 15.625 °/s
    EXPECT_DOUBLE_EQ(s.device_time_s, 1.0);
    EXPECT_EQ(s.index, 0u);
  }
}

TEST(TestVectors, TimeUnwrapsAcross2To32Microseconds) {
  for (const auto& v : load_vectors().at("vectors")) {
    if (v.at("name") != "seq_and_time_wrap") continue;
    const auto run = test::decode("stridelab", test::from_hex(v.at("wire_hex").get<std::string>()));
    ASSERT_EQ(run.out.samples.size(), 12u);
    EXPECT_NEAR(run.out.samples[0].device_time_s, 4294.960000, 1e-9);
    EXPECT_NEAR(run.out.samples[4].device_time_s, 4294.980000, 1e-9);
    EXPECT_NEAR(run.out.samples[8].device_time_s, 4295.000000, 1e-9);
    for (std::size_t i = 1; i < run.out.samples.size(); ++i) {
      EXPECT_NEAR(run.out.samples[i].device_time_s - run.out.samples[i - 1].device_time_s, 0.005,
                  1e-9);
      EXPECT_EQ(run.out.samples[i].index, run.out.samples[i - 1].index + 1);
    }
    EXPECT_EQ(run.stats.missing_frames, 0u);
    EXPECT_TRUE(run.out.gaps.empty());
  }
}

TEST(TestVectors, SeqGapBecomesAStreamGap) {
  for (const auto& v : load_vectors().at("vectors")) {
    if (v.at("name") != "seq_gap") continue;
    const auto run = test::decode("stridelab", test::from_hex(v.at("wire_hex").get<std::string>()));
    ASSERT_EQ(run.out.gaps.size(), 1u);
    const StreamGap& g = run.out.gaps[0];
    EXPECT_EQ(g.first_missing_index, 8u);
    EXPECT_EQ(g.missing_samples, 8u);
    EXPECT_EQ(g.missing_frames, 2u);
    EXPECT_EQ(g.cause, "sequence");
    EXPECT_NEAR(g.before_time_s, 0.135, 1e-9);
    EXPECT_NEAR(g.after_time_s, 0.180, 1e-9);
    ASSERT_EQ(run.out.samples.size(), 12u);
    EXPECT_EQ(run.out.samples[8].index, 16u);
  }
}

}  // namespace
}  // namespace stridelab::protocol
