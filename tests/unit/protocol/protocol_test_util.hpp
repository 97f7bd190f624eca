#pragma once
// Helpers shared by the protocol tests: hex, streams of frames with known boundaries, and
// feeding a decoder with different chunkings.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "stridelab/protocol/decoder.hpp"
#include "stridelab/protocol/encoder.hpp"
#include "stridelab/protocol/messages.hpp"

namespace stridelab::protocol::test {

using Bytes = std::vector<std::uint8_t>;

inline Bytes from_hex(std::string_view hex) {
  Bytes out;
  std::string digits;
  for (char c : hex)
    if (std::isxdigit(static_cast<unsigned char>(c))) digits.push_back(c);
  for (std::size_t i = 0; i + 1 < digits.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(std::stoul(digits.substr(i, 2), nullptr, 16)));
  return out;
}

// A stream whose frame boundaries are known: frame k occupies [start[k], start[k+1]).
struct FrameStream {
  Bytes bytes;
  std::vector<std::size_t> start;    // start offset of each frame
  std::vector<std::size_t> samples;  // samples carried by each frame (0 for non-batches)
  std::vector<std::uint64_t> first_index;
  std::size_t frames() const { return start.size(); }
  std::size_t end(std::size_t k) const {
    return k + 1 < start.size() ? start[k + 1] : bytes.size();
  }
};

// n_frames device frames: mostly IMU batches of 1..max_batch samples of smooth motion, with a
// STATUS every 7th frame. Deterministic for a seed.
inline FrameStream make_stream(std::size_t n_frames, std::uint32_t seed = 1,
                               std::uint16_t first_seq = 0) {
  std::mt19937 rng(seed);
  FrameStream s;
  std::uint32_t index = 0;
  std::uint16_t seq = first_seq;
  const float acc_scale = acc_scale_for_range(16), gyr_scale = gyr_scale_for_range(2000);
  for (std::size_t k = 0; k < n_frames; ++k) {
    s.start.push_back(s.bytes.size());
    s.first_index.push_back(index);
    if (k % 7 == 3) {
      Status st;
      st.battery_mv = static_cast<std::uint16_t>(3700 + k % 100);
      st.battery_pct = static_cast<std::uint8_t>(k % 101);
      encode_frame(Frame{FrameHeader{seq++, static_cast<std::uint32_t>(index * 5000)}, st},
                   s.bytes);
      s.samples.push_back(0);
      continue;
    }
    const std::size_t count = 1 + rng() % 40;
    std::vector<ImuSample> samples(count);
    for (std::size_t i = 0; i < count; ++i) {
      const double t = (index + i) * 0.005;
      samples[i].time_s = t;
      samples[i].acc = Vec3(std::sin(t), std::cos(3 * t), 9.81 + std::sin(7 * t));
      samples[i].gyr = Vec3(0.5 * std::sin(2 * t), 0.2 * std::cos(t), -std::sin(5 * t));
      // Some exact zeros, so frames hold 0x00 bytes that COBS must remove.
      if (rng() % 4 == 0) samples[i].acc.x() = 0.0;
    }
    const ImuBatch batch = make_imu_batch(samples, channel::kAcc | channel::kGyr, index, 5000000,
                                          acc_scale, gyr_scale);
    encode_frame(Frame{FrameHeader{seq++, static_cast<std::uint32_t>(index * 5000)}, batch},
                 s.bytes);
    s.samples.push_back(count);
    index += static_cast<std::uint32_t>(count);
  }
  return s;
}

// Chunking patterns: whole buffer, byte by byte, fixed-size notifications, random splits.
inline std::vector<std::size_t> chunk_sizes(std::size_t total, std::size_t fixed) {
  std::vector<std::size_t> sizes;
  for (std::size_t done = 0; done < total; done += fixed)
    sizes.push_back(std::min(fixed, total - done));
  return sizes;
}
inline std::vector<std::size_t> random_chunk_sizes(std::size_t total, std::uint32_t seed,
                                                   std::size_t max_chunk) {
  std::mt19937 rng(seed);
  std::vector<std::size_t> sizes;
  for (std::size_t done = 0; done < total;) {
    const std::size_t n = std::min<std::size_t>(1 + rng() % max_chunk, total - done);
    sizes.push_back(n);
    done += n;
  }
  return sizes;
}

struct DecodeRun {
  DecoderOutput out;
  DecoderStats stats;
  std::size_t max_buffered = 0;
};

// Feeds bytes in the given chunk sizes (all at once if empty), then finish().
inline DecodeRun decode(Decoder& dec, const Bytes& bytes,
                        const std::vector<std::size_t>& sizes = {}, bool drain_often = false) {
  DecodeRun run;
  std::size_t pos = 0;
  auto step = [&](std::size_t n) {
    dec.feed(bytes.data() + pos, n);
    pos += n;
    run.max_buffered = std::max(run.max_buffered, dec.buffered_bytes());
    EXPECT_EQ(dec.stats().bytes_in,
              dec.stats().bytes_framed + dec.stats().bytes_skipped + dec.buffered_bytes());
    if (drain_often) dec.drain(run.out);
  };
  if (sizes.empty()) {
    step(bytes.size());
  } else {
    for (std::size_t n : sizes) step(n);
  }
  EXPECT_EQ(pos, bytes.size());
  dec.finish();
  dec.drain(run.out);
  run.stats = dec.stats();
  EXPECT_EQ(run.stats.bytes_in, run.stats.bytes_framed + run.stats.bytes_skipped);
  EXPECT_EQ(dec.buffered_bytes(), 0u);
  return run;
}

inline DecodeRun decode(std::string_view protocol, const Bytes& bytes,
                        const std::vector<std::size_t>& sizes = {}, DecoderParams params = {},
                        bool drain_often = false) {
  auto dec = make_decoder(protocol, params);
  return decode(*dec, bytes, sizes, drain_often);
}

inline bool same_vec(const Vec3& a, const Vec3& b) {
  return a.x() == b.x() && a.y() == b.y() && a.z() == b.z();
}
inline bool same_double(double a, double b) {
  return a == b || (std::isnan(a) && std::isnan(b));
}

inline ::testing::AssertionResult same_output(const DecodeRun& a, const DecodeRun& b) {
  const auto& x = a.out;
  const auto& y = b.out;
  if (x.samples.size() != y.samples.size())
    return ::testing::AssertionFailure()
           << "sample counts differ: " << x.samples.size() << " vs " << y.samples.size();
  for (std::size_t i = 0; i < x.samples.size(); ++i) {
    const auto &p = x.samples[i], &q = y.samples[i];
    if (p.index != q.index || p.device_time_s != q.device_time_s || !same_vec(p.acc, q.acc) ||
        !same_vec(p.gyr, q.gyr) || !same_vec(p.mag, q.mag) || p.has_acc != q.has_acc ||
        p.has_gyr != q.has_gyr || p.has_mag != q.has_mag)
      return ::testing::AssertionFailure() << "sample " << i << " differs";
  }
  if (x.gaps.size() != y.gaps.size()) return ::testing::AssertionFailure() << "gap counts differ";
  for (std::size_t i = 0; i < x.gaps.size(); ++i) {
    const auto &p = x.gaps[i], &q = y.gaps[i];
    if (p.first_missing_index != q.first_missing_index || p.missing_samples != q.missing_samples ||
        p.missing_frames != q.missing_frames || p.cause != q.cause ||
        !same_double(p.before_time_s, q.before_time_s) ||
        !same_double(p.after_time_s, q.after_time_s))
      return ::testing::AssertionFailure() << "gap " << i << " differs";
  }
  if (x.device_infos != y.device_infos || x.acks != y.acks ||
      x.statuses.size() != y.statuses.size() || x.commands.size() != y.commands.size())
    return ::testing::AssertionFailure() << "infos, acks, statuses or commands differ";
  const auto &s = a.stats, &t = b.stats;
  if (s.bytes_in != t.bytes_in || s.bytes_framed != t.bytes_framed ||
      s.bytes_skipped != t.bytes_skipped || s.frames_ok != t.frames_ok ||
      s.crc_failures != t.crc_failures || s.cobs_errors != t.cobs_errors ||
      s.format_errors != t.format_errors || s.oversize_frames != t.oversize_frames ||
      s.truncated_frames != t.truncated_frames || s.unknown_frames != t.unknown_frames ||
      s.missing_frames != t.missing_frames || s.missing_samples != t.missing_samples ||
      s.gaps != t.gaps || s.samples != t.samples || s.device_restarts != t.device_restarts)
    return ::testing::AssertionFailure() << "stats differ";
  return ::testing::AssertionSuccess();
}

}  // namespace stridelab::protocol::test
