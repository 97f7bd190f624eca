// Decoder and encoder throughput of the protocol stage, in MB/s and samples/s.
//
//   build/bench/bench_protocol --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "stridelab/protocol/decoder.hpp"
#include "stridelab/protocol/encoder.hpp"

namespace {

using namespace stridelab;
using namespace stridelab::protocol;

std::vector<ImuSample> motion(std::size_t n, double rate_hz) {
  std::vector<ImuSample> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = i / rate_hz;
    out[i].time_s = t;
    out[i].acc = Vec3(2 * std::sin(11 * t), std::cos(7 * t), kGravity + 3 * std::sin(13 * t));
    out[i].gyr = Vec3(0.5 * std::sin(5 * t), 0.8 * std::cos(3 * t), -std::sin(2 * t));
  }
  return out;
}

std::vector<std::uint8_t> stream(std::string_view protocol, std::size_t samples,
                                 std::size_t per_frame) {
  EncoderParams p;
  p.rate_hz = 1000;
  p.samples_per_frame = per_frame;
  auto enc = make_encoder(protocol, p);
  std::vector<std::uint8_t> bytes;
  enc->begin(bytes);
  for (const auto& s : motion(samples, p.rate_hz)) enc->push(s, bytes);
  enc->flush(bytes);
  return bytes;
}

// Feeds the whole stream in chunks of `chunk` bytes (4096: a serial read; 20: BLE
// notifications at the default MTU), draining after each chunk as a transport would.
void decode(benchmark::State& state, std::string_view protocol, std::size_t per_frame,
            std::size_t chunk) {
  constexpr std::size_t kSamples = 200000;
  const auto bytes = stream(protocol, kSamples, per_frame);
  DecoderParams params;
  params.nominal_rate_hz = 1000;
  DecoderOutput out;
  std::size_t samples = 0;
  for (auto _ : state) {
    auto dec = make_decoder(protocol, params);
    for (std::size_t pos = 0; pos < bytes.size(); pos += chunk) {
      dec->feed(bytes.data() + pos, std::min(chunk, bytes.size() - pos));
      dec->drain(out);
      samples += out.samples.size();
      out.clear();
    }
    dec->finish();
    if (dec->stats().samples != kSamples) state.SkipWithError("lost samples");
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
  state.counters["samples/s"] =
      benchmark::Counter(static_cast<double>(samples), benchmark::Counter::kIsRate);
  state.counters["bytes/sample"] = static_cast<double>(bytes.size()) / kSamples;
}

void BM_DecodeStridelab(benchmark::State& state) {
  decode(state, "stridelab", static_cast<std::size_t>(state.range(0)),
         static_cast<std::size_t>(state.range(1)));
}
BENCHMARK(BM_DecodeStridelab)
    ->ArgNames({"per_frame", "chunk"})
    ->Args({1, 4096})
    ->Args({10, 4096})
    ->Args({17, 4096})
    ->Args({82, 4096})
    ->Args({10, 20})
    ->Unit(benchmark::kMillisecond);

void BM_DecodeWitMotionSerial(benchmark::State& state) {
  decode(state, "witmotion", 1, static_cast<std::size_t>(state.range(0)));
}
BENCHMARK(BM_DecodeWitMotionSerial)
    ->ArgName("chunk")
    ->Arg(4096)
    ->Arg(20)
    ->Unit(benchmark::kMillisecond);

void BM_DecodeWitMotionBle(benchmark::State& state) {
  decode(state, "witmotion-ble", 1, static_cast<std::size_t>(state.range(0)));
}
BENCHMARK(BM_DecodeWitMotionBle)
    ->ArgName("chunk")
    ->Arg(4096)
    ->Arg(20)
    ->Unit(benchmark::kMillisecond);

void BM_EncodeStridelab(benchmark::State& state) {
  const auto samples = motion(100000, 1000);
  EncoderParams p;
  p.rate_hz = 1000;
  p.samples_per_frame = static_cast<std::size_t>(state.range(0));
  std::vector<std::uint8_t> bytes;
  for (auto _ : state) {
    StridelabEncoder enc(p);
    bytes.clear();
    for (const auto& s : samples) enc.push(s, bytes);
    enc.flush(bytes);
    benchmark::DoNotOptimize(bytes.data());
  }
  state.counters["samples/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * samples.size()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_EncodeStridelab)->ArgName("per_frame")->Arg(10)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
