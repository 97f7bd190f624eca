// Studio budgets: the live path must keep up with 8 sensors × 1 kHz without loading the UI
// thread, and a redraw must fit well inside one 30 Hz frame (33 ms).
//   BM_LiveEngineIngest  — samples/s through the sink (traces + analysis of one sensor)
//   BM_LiveTabRefresh    — one UI refresh with 8 full sensors (copy + chart update)
//   BM_TimelineDecimate  — one zoom redraw of a 1-hour 200 Hz trace to 1500 columns
#include <QApplication>

#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "studio/decimation.hpp"
#include "studio/live/live_engine.hpp"
#include "studio/live/live_tab.hpp"

namespace {

using namespace stridelab;
using namespace stridelab::studio;

std::vector<SensorInfo> eight_sensors() {
  std::vector<SensorInfo> infos(8);
  for (std::size_t i = 0; i < infos.size(); ++i) {
    infos[i].name = std::string(1, static_cast<char>('a' + i));
    infos[i].placement = i == 0 ? Placement::kPelvis : Placement::kOther;
    infos[i].nominal_rate_hz = 1000;
  }
  return infos;
}

// Walking-like signal so the analysis has real work (contacts, steps) to do.
void fill(std::vector<ingest::TimedSample>& packet, double t0, std::size_t sensor) {
  for (std::size_t k = 0; k < packet.size(); ++k) {
    const double t = t0 + k * 1e-3;
    const double phase = 2 * M_PI * 0.92 * t;
    packet[k].sample.time_s = packet[k].device_time_s = t;
    packet[k].sample.acc = Vec3(1.5 * std::sin(phase), 0.8 * std::sin(phase / 2 + sensor),
                                9.81 + 2.5 * std::cos(2 * phase));
    packet[k].sample.gyr =
        Vec3(0.3 * std::sin(phase / 2), 0.2 * std::cos(phase), 0.4 * std::sin(phase / 2));
  }
}

void BM_LiveEngineIngest(benchmark::State& state) {
  LiveEngine engine;
  const auto infos = eight_sensors();
  engine.reset(infos);
  std::vector<ingest::TimedSample> packet(10);  // 10 ms packets, as a USB link delivers
  double t = 0;
  std::int64_t samples = 0;
  for (auto _ : state) {
    for (int block = 0; block < 100; ++block, t += 0.01)  // 1 s of data from 8 sensors
      for (std::size_t s = 0; s < infos.size(); ++s) {
        fill(packet, t, s);
        engine.on_samples(s, packet);
        samples += static_cast<std::int64_t>(packet.size());
      }
  }
  state.SetItemsProcessed(samples);
  state.counters["realtime_x"] = benchmark::Counter(
      static_cast<double>(samples) / 8000.0, benchmark::Counter::kIsRate);  // s of data per s
}
BENCHMARK(BM_LiveEngineIngest)->Unit(benchmark::kMillisecond);

void BM_LiveTabRefresh(benchmark::State& state) {
  LiveTab tab;
  tab.resize(1600, 1000);
  tab.show();
  const auto infos = eight_sensors();
  tab.engine().reset(infos);
  std::vector<ingest::TimedSample> packet(10);
  for (double t = 0; t < 30; t += 0.01)
    for (std::size_t s = 0; s < infos.size(); ++s) {
      fill(packet, t, s);
      tab.engine().on_samples(s, packet);
    }
  for (auto _ : state) {
    tab.refresh();
    QApplication::processEvents();  // the repaint that follows
  }
}
BENCHMARK(BM_LiveTabRefresh)->Unit(benchmark::kMillisecond);

void BM_TimelineDecimate(benchmark::State& state) {
  const std::size_t n = 3600 * 200;
  std::vector<double> t(n), v(n);
  for (std::size_t i = 0; i < n; ++i) t[i] = i / 200.0, v[i] = std::sin(i * 0.03);
  std::size_t points = 0;
  for (auto _ : state) {
    points = 0;
    min_max_decimate(t.data(), v.data(), n, 0.0, 3600.0, 1500, [&](double, double) { ++points; });
    benchmark::DoNotOptimize(points);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}
BENCHMARK(BM_TimelineDecimate)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
