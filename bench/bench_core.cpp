// Throughput of the one checksum module (stridelab/core/crc.hpp), in bytes/s.
//
//   build/bench/bench_core --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <vector>

#include "stridelab/core/crc.hpp"

namespace {

using namespace stridelab;

std::vector<std::uint8_t> pattern(std::size_t n) {
  std::vector<std::uint8_t> buf(n);
  for (std::size_t i = 0; i < n; ++i) buf[i] = static_cast<std::uint8_t>(i * 31);
  return buf;
}

// path 0: crc32c() (SSE4.2 when present), 1: slicing-by-8, 2: the SSE4.2 instruction,
// 3: the journal's CRC-32/ISO-HDLC (slicing-by-8).
void BM_Crc32(benchmark::State& state) {
  const auto buf = pattern(static_cast<std::size_t>(state.range(0)));
  const auto path = state.range(1);
  if (path == 2 && !crc_detail::crc32c_hardware_available()) {
    state.SkipWithError("no SSE4.2");
    return;
  }
  for (auto _ : state) {
    switch (path) {
      case 0:
        benchmark::DoNotOptimize(crc32c(buf));
        break;
      case 1:
        benchmark::DoNotOptimize(crc_detail::crc32c_portable(buf));
        break;
      case 2:
        benchmark::DoNotOptimize(crc_detail::crc32c_hardware(buf));
        break;
      default:
        benchmark::DoNotOptimize(crc32(Crc32Variant::kIsoHdlc, buf.data(), buf.size()));
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * buf.size()));
}
BENCHMARK(BM_Crc32)->ArgNames({"bytes", "path"})->ArgsProduct({{1024, 1 << 20}, {0, 1, 2, 3}});

}  // namespace

BENCHMARK_MAIN();
