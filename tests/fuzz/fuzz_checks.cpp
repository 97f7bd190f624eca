#include "fuzz_checks.hpp"

#include <cmath>
#include <exception>
#include <sstream>

#include "stridelab/protocol/decoder.hpp"
#include "stridelab/protocol/encoder.hpp"
#include "stridelab/protocol/messages.hpp"
#include "stridelab/protocol/movesense.hpp"
#include "stridelab/protocol/witmotion.hpp"

namespace stridelab::protocol::fuzz {

namespace {

// Small deterministic generator (no <random> state differences between libraries).
struct SplitMix {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
};

struct Result {
  DecoderOutput out;
  DecoderStats stats;
};

std::string run(std::string_view protocol, std::span<const std::uint8_t> bytes,
                std::uint32_t chunk_seed, bool chunked, Result& result) {
  DecoderParams params;
  params.nominal_rate_hz = 100.0;
  auto dec = make_decoder(protocol, params);
  const std::size_t bound = max_buffered(protocol);
  SplitMix rng{chunk_seed};
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    std::size_t n = bytes.size() - pos;
    if (chunked) {
      // Mostly tiny chunks (BLE-like), sometimes large merges.
      const std::uint64_t r = rng.next();
      n = std::min<std::size_t>(n, (r & 3) ? 1 + (r >> 8) % 24 : 1 + (r >> 8) % 600);
    }
    dec->feed(bytes.subspan(pos, n));
    pos += n;
    const DecoderStats& s = dec->stats();
    if (dec->buffered_bytes() > bound) return "buffered_bytes above bound";
    if (s.bytes_in != pos) return "bytes_in does not count the input";
    if (s.bytes_in != s.bytes_framed + s.bytes_skipped + dec->buffered_bytes())
      return "bytes_in != framed + skipped + buffered";
    if (chunked && rng.next() % 5 == 0) dec->drain(result.out);  // drains in between too
  }
  dec->finish();
  if (dec->buffered_bytes() != 0) return "bytes still buffered after finish()";
  dec->drain(result.out);
  result.stats = dec->stats();
  const DecoderStats& s = result.stats;
  if (s.bytes_in != s.bytes_framed + s.bytes_skipped) return "bytes not all accounted at finish";
  if (s.samples != result.out.samples.size()) return "stats.samples != samples output";
  if (s.gaps != result.out.gaps.size()) return "stats.gaps != gaps output";
  std::uint64_t gap_missing = 0;
  for (const auto& g : result.out.gaps) gap_missing += g.missing_samples;
  if (gap_missing != s.missing_samples) return "missing_samples != sum over gaps";
  if (protocol == "witmotion" && s.bytes_framed != s.frames_ok * kWitSerialFrameBytes)
    return "WitMotion serial: framed bytes != 11 × frames";
  if (protocol == "witmotion-ble" && s.bytes_framed != s.frames_ok * kWitBleFrameBytes)
    return "WitMotion BLE: framed bytes != 20 × frames";
  for (std::size_t i = 0; i < result.out.samples.size(); ++i) {
    const DecodedSample& x = result.out.samples[i];
    if (!x.acc.allFinite() || !x.gyr.allFinite() || !x.mag.allFinite() ||
        !std::isfinite(x.device_time_s))
      return "non-finite sample";
    if (i > 0 && x.index <= result.out.samples[i - 1].index) return "sample index not increasing";
  }
  return {};
}

}  // namespace

std::size_t max_buffered(std::string_view protocol) {
  if (protocol == "stridelab") return kMaxEncodedBytes;
  if (protocol == "witmotion") return 2 * kWitSerialFrameBytes;
  if (protocol == "movesense") return 2 + movesense::kMaxNotify;
  return 2 * (kWitBleFrameBytes + 2);
}

std::string check_stream(std::string_view protocol, std::span<const std::uint8_t> bytes,
                         std::uint32_t chunk_seed) {
  Result whole, chunked;
  try {
    if (auto e = run(protocol, bytes, chunk_seed, false, whole); !e.empty()) return "whole: " + e;
    if (auto e = run(protocol, bytes, chunk_seed, true, chunked); !e.empty())
      return "chunked: " + e;
  } catch (const std::exception& e) {
    return std::string("exception: ") + e.what();
  }
  const auto& a = whole.out;
  const auto& b = chunked.out;
  if (a.samples.size() != b.samples.size() || a.gaps.size() != b.gaps.size() ||
      a.device_infos.size() != b.device_infos.size() || a.statuses.size() != b.statuses.size() ||
      a.acks.size() != b.acks.size() || a.commands.size() != b.commands.size())
    return "chunking changed the output";
  for (std::size_t i = 0; i < a.samples.size(); ++i)
    if (a.samples[i].index != b.samples[i].index || a.samples[i].acc != b.samples[i].acc ||
        a.samples[i].device_time_s != b.samples[i].device_time_s)
      return "chunking changed a sample";
  const auto &s = whole.stats, &t = chunked.stats;
  if (s.frames_ok != t.frames_ok || s.frames_rejected() != t.frames_rejected() ||
      s.bytes_skipped != t.bytes_skipped || s.missing_frames != t.missing_frames ||
      s.missing_samples != t.missing_samples || s.truncated_frames != t.truncated_frames) {
    std::ostringstream msg;
    msg << "chunking changed the counters (whole/chunked): ok " << s.frames_ok << "/" << t.frames_ok
        << ", rejected " << s.frames_rejected() << "/" << t.frames_rejected() << ", skipped "
        << s.bytes_skipped << "/" << t.bytes_skipped << ", missing frames " << s.missing_frames
        << "/" << t.missing_frames << ", missing samples " << s.missing_samples << "/"
        << t.missing_samples << ", truncated " << s.truncated_frames << "/" << t.truncated_frames;
    return msg.str();
  }
  return {};
}

std::string fuzz_one(std::string_view protocol, std::span<const std::uint8_t> input) {
  if (input.size() < 2) return check_stream(protocol, input, 1);
  const std::uint8_t mode = input[0];
  const std::uint32_t chunk_seed = input[1];
  input = input.subspan(2);
  if ((mode & 1) == 0) return check_stream(protocol, input, chunk_seed);

  // Structured: a valid stream whose samples come from the input, then damage.
  const std::size_t half = input.size() / 2;
  EncoderParams params;
  params.rate_hz = 100.0;
  params.samples_per_frame = 1 + (mode >> 1) % 40;
  std::vector<ImuSample> samples;
  for (std::size_t i = 0; i + 6 <= half; i += 6) {
    ImuSample s;
    s.time_s = static_cast<double>(i / 6) * 0.01;
    for (int k = 0; k < 3; ++k) {
      s.acc[k] = (static_cast<int>(input[i + k]) - 128) * 0.5;
      s.gyr[k] = (static_cast<int>(input[i + 3 + k]) - 128) * 0.05;
    }
    samples.push_back(s);
  }
  std::vector<std::uint8_t> bytes;
  try {
    if (protocol == "movesense") {
      // Packets of up to 12 samples as notification records, a packet skipped now and then.
      const std::size_t per = 1 + (mode >> 1) % 12;
      for (std::size_t first = 0; first < samples.size(); first += per) {
        if (input[first % half] % 11 == 0) continue;  // a lost packet: a timestamp gap
        const auto n = std::min(per, samples.size() - first);
        const auto t_ms = static_cast<std::uint32_t>(first * 10);
        // Split anywhere from the middle to not at all.
        const std::size_t packet = 6 + n * movesense::kSampleBytes;
        const std::size_t max_notify = packet - (mode >> 4) * 7u % (packet / 2 - 2);
        for (const auto& note :
             encode_movesense_imu9(t_ms, std::span(samples).subspan(first, n), max_notify))
          append_notification_record(note, bytes);
      }
    } else {
      auto enc = make_encoder(protocol, params);
      enc->begin(bytes);
      for (const auto& s : samples) enc->push(s, bytes);
      enc->flush(bytes);
    }
  } catch (const std::exception& e) {
    return std::string("encoder exception: ") + e.what();
  }
  // Damage: each 3 input bytes = operation, position, value.
  for (std::size_t i = half; i + 3 <= input.size() && !bytes.empty(); i += 3) {
    const std::size_t pos =
        (static_cast<std::size_t>(input[i + 1]) * 131u + input[i + 2]) % bytes.size();
    switch (input[i] % 4) {
      case 0:
        bytes[pos] ^= static_cast<std::uint8_t>(1u << (input[i + 2] % 8));
        break;
      case 1:
        bytes.insert(bytes.begin() + static_cast<long>(pos), input[i + 2]);
        break;
      case 2:
        bytes.erase(bytes.begin() + static_cast<long>(pos));
        break;
      default:
        bytes.resize(pos);
        break;  // truncate
    }
  }
  return check_stream(protocol, bytes, chunk_seed);
}

}  // namespace stridelab::protocol::fuzz
