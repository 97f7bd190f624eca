// Ingest throughput: the clock model per sample, the whole in-process ingest path (loopback
// TCP → decoder → clock model → queue → sink) as fast as it goes, and the real thing: eight
// `stridelab emulate` processes at 1 kHz each into one `stridelab record`, with loss and CPU.
//
//   build/bench/bench_ingest --benchmark_counters_tabular=true
// The process benchmark needs build/stridelab (it runs the real binary).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "stridelab/clock/clock_model.hpp"
#include "stridelab/ingest/ingest_session.hpp"
#include "stridelab/protocol/encoder.hpp"
#include "stridelab/storage/recording_io.hpp"
#include "stridelab/storage/recording_writer.hpp"

extern char** environ;

namespace {

using namespace stridelab;

// prefix + number (written out: GCC 12 warns falsely about "literal" + std::string).
template <typename N>
std::string numbered(const char* prefix, N n) {
  std::string out(prefix);
  out += std::to_string(n);
  return out;
}

// ---- Clock model ---------------------------------------------------------------------------

std::vector<clock::DeviceStamp> jittered_link(std::size_t n, double rate_hz) {
  std::mt19937 rng(1);
  std::exponential_distribution<double> jitter(1.0 / 0.5e-3);
  std::vector<clock::DeviceStamp> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / rate_hz;
    out[i].ticks = static_cast<std::uint64_t>(std::llround((1000 + t) * 1e6)) & 0xFFFFFFFF;
    out[i].host_rx_s = t * (1 + 50e-6) + 1e-3 + jitter(rng);
    out[i].sample_index = i;
    if (i > 0) out[i].host_rx_s = std::max(out[i].host_rx_s, out[i - 1].host_rx_s);
  }
  return out;
}

void BM_ClockModelUpdate(benchmark::State& state) {
  const auto link = jittered_link(1'000'000, 1000.0);
  for (auto _ : state) {
    clock::ClockModel model;
    double sum = 0;
    for (const auto& s : link) sum += model.update(s).time_s;
    benchmark::DoNotOptimize(sum);
  }
  state.counters["samples/s"] = benchmark::Counter(
      static_cast<double>(link.size() * state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ClockModelUpdate)->Unit(benchmark::kMillisecond);

void BM_ClockModelBatch(benchmark::State& state) {
  const auto link = jittered_link(1'000'000, 1000.0);
  const std::size_t chunk = static_cast<std::size_t>(state.range(0));
  std::vector<clock::MappedStamp> out;
  for (auto _ : state) {
    clock::ClockModel model;
    for (std::size_t i = 0; i < link.size(); i += chunk) {
      model.update_batch(std::span(link).subspan(i, std::min(chunk, link.size() - i)), out);
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.counters["samples/s"] = benchmark::Counter(
      static_cast<double>(link.size() * state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ClockModelBatch)->Arg(10)->Arg(100)->Unit(benchmark::kMillisecond);

// ---- In-process ingest, as fast as it goes --------------------------------------------------

std::vector<std::uint8_t> encoded_stream(std::size_t samples, const std::string& device_id) {
  protocol::EncoderParams p;
  p.rate_hz = 1000;
  p.samples_per_frame = 10;
  p.device_id = device_id;
  protocol::StridelabEncoder enc(p);
  std::vector<std::uint8_t> bytes;
  enc.begin(bytes);
  for (std::size_t i = 0; i < samples; ++i) {
    ImuSample s;
    const double t = static_cast<double>(i) / p.rate_hz;
    s.time_s = t;
    s.acc = Vec3(std::sin(11 * t), std::cos(7 * t), kGravity + std::sin(13 * t));
    s.gyr = Vec3(0.5 * std::sin(5 * t), 0.8 * std::cos(3 * t), -std::sin(2 * t));
    enc.push(s, bytes);
  }
  enc.flush(bytes);
  return bytes;
}

// A loopback TCP server that sends `bytes` to its first client as fast as it can.
class BlastServer {
 public:
  explicit BlastServer(const std::vector<std::uint8_t>& bytes) : bytes_(bytes) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd_, 1);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] {
      const int c = ::accept(fd_, nullptr, nullptr);
      std::size_t done = 0;
      while (done < bytes_.size()) {
        const ssize_t n = ::send(c, bytes_.data() + done, bytes_.size() - done, MSG_NOSIGNAL);
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      ::close(c);
    });
  }
  ~BlastServer() {
    thread_.join();
    ::close(fd_);
  }
  unsigned short port() const { return port_; }

 private:
  const std::vector<std::uint8_t>& bytes_;
  int fd_;
  unsigned short port_;
  std::thread thread_;
};

class CountingSink final : public ingest::SampleSink {
 public:
  explicit CountingSink(storage::RecordingWriter* writer) : writer_(writer) {}
  void on_samples(std::size_t sensor, std::span<const ingest::TimedSample> s) override {
    count += s.size();
    if (!writer_) return;
    samples_.clear();
    device_.clear();
    for (const auto& x : s) {
      samples_.push_back(x.sample);
      device_.push_back(x.device_time_s);
    }
    writer_->append(sensor, samples_, device_);
  }
  void on_gap(std::size_t, const Gap&) override { ++gaps; }
  void on_idle() override {
    if (writer_) writer_->flush_if_due();
  }
  std::atomic<std::size_t> count{0};
  std::size_t gaps = 0;

 private:
  storage::RecordingWriter* writer_;
  std::vector<ImuSample> samples_;
  std::vector<double> device_;
};

// range(0): sensors; range(1): 1 = into an HDF5 RecordingWriter, 0 = counting only.
void BM_IngestMaxThroughput(benchmark::State& state) {
  const auto sensors = static_cast<std::size_t>(state.range(0));
  const bool to_file = state.range(1) != 0;
  constexpr std::size_t kSamples = 200'000;  // per sensor
  std::vector<std::vector<std::uint8_t>> streams;
  for (std::size_t i = 0; i < sensors; ++i)
    streams.push_back(encoded_stream(kSamples, numbered("BENCH-", i)));
  const auto path = std::filesystem::temp_directory_path() / "stridelab-bench-ingest.h5";
  std::size_t total = 0, lost = 0;
  for (auto _ : state) {
    std::vector<std::unique_ptr<BlastServer>> servers;
    for (const auto& s : streams) servers.push_back(std::make_unique<BlastServer>(s));
    storage::RecordingWriter writer;
    CountingSink sink(to_file ? &writer : nullptr);
    ingest::IngestSession session(sink);
    std::vector<SensorInfo> infos;
    for (std::size_t i = 0; i < sensors; ++i) {
      ingest::SourceConfig c =
          ingest::tcp_source("127.0.0.1:" + std::to_string(servers[i]->port()));
      c.name = numbered("s", i);
      session.add_source(c);
    }
    if (to_file) writer.open(path, Recording{}, session.sensor_infos());
    session.start();
    // Until every sample is delivered or counted as lost (a sink slower than the blast
    // overflows the queue; the loss is counted, never silent).
    for (;;) {
      if (const auto error = session.sink_error()) std::rethrow_exception(error);
      std::size_t accounted = sink.count;
      for (const auto& st : session.stats()) accounted += st.queue_overflows;
      if (accounted >= sensors * kSamples) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    session.stop();
    if (to_file) writer.close();
    total += sink.count;
    for (const auto& st : session.stats()) lost += st.queue_overflows + st.missing_samples;
    servers.clear();
  }
  std::filesystem::remove(path);
  state.counters["samples/s"] =
      benchmark::Counter(static_cast<double>(total), benchmark::Counter::kIsRate);
  state.counters["lost"] = static_cast<double>(lost);
}
BENCHMARK(BM_IngestMaxThroughput)
    ->Args({8, 0})
    ->Args({8, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

// ---- The real processes: 8 × `stridelab emulate` at 1 kHz into one `stridelab record` ---

struct Child {
  pid_t pid = -1;
  int out = -1;
};

Child spawn(const std::vector<std::string>& args, const std::string& err_path) {
  int p[2];
  if (::pipe(p) != 0) throw std::runtime_error("pipe");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, p[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&fa, p[0]);
  posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  Child c;
  if (::posix_spawn(&c.pid, argv[0], &fa, nullptr, argv.data(), environ) != 0)
    throw std::runtime_error("cannot start " + args[0]);
  posix_spawn_file_actions_destroy(&fa);
  ::close(p[1]);
  c.out = p[0];
  return c;
}

std::string first_line(int fd) {
  std::string line;
  char ch;
  while (::read(fd, &ch, 1) == 1 && ch != '\n') line += ch;
  return line;
}

double cpu_seconds(const rusage& r) {
  return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec);
}

// range(0): rate multiplier of each emulator (1 = 1 kHz per sensor).
void BM_RecordEightSensorsRealTime(benchmark::State& state) {
  const std::string binary = std::string(STRIDELAB_BINARY_DIR) + "/stridelab";
  if (!std::filesystem::exists(binary)) {
    state.SkipWithError("build/stridelab not built");
    return;
  }
  const auto dir = std::filesystem::temp_directory_path() / "stridelab-bench-record";
  std::filesystem::create_directories(dir);
  constexpr double kSeconds = 10.0;
  constexpr int kSensors = 8;
  const auto rate_x = static_cast<double>(state.range(0));
  // A 1 kHz source recording, streamed rate_x times faster.
  Recording src;
  SensorData s;
  s.info.nominal_rate_hz = 1000;
  const auto n = static_cast<std::size_t>(kSeconds * 1000 * rate_x);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / 1000.0;
    s.time_s.push_back(t);
    s.acc.push_back(Vec3(std::sin(11 * t), std::cos(7 * t), kGravity + std::sin(13 * t)));
    s.gyr.push_back(Vec3(0.5 * std::sin(5 * t), 0.8 * std::cos(3 * t), -std::sin(2 * t)));
  }
  src.sensors.push_back(s);
  storage::write_recording(dir / "src.h5", src);

  double samples_per_s = 0, lost = 0, recorder_cpu = 0, emulator_cpu = 0, in_file = 0;
  for (auto _ : state) {
    std::vector<Child> emulators;
    std::vector<std::string> rec_args = {binary,           "record",
                                         "--out",          (dir / "rec.h5").string(),
                                         "--stats-json",   (dir / "stats.json").string(),
                                         "--status-every", "100"};
    for (int i = 0; i < kSensors; ++i) {
      emulators.push_back(
          spawn({binary, "emulate", (dir / "src.h5").string(), "--tcp", "0", "--rate-x",
                 std::to_string(rate_x), "--device-id", numbered("B", i)},
                (dir / (numbered("emu", i) + ".err")).string()));
      const std::string address = first_line(emulators.back().out);
      rec_args.push_back("--tcp");
      rec_args.push_back(address.substr(address.find(' ') + 1));
      rec_args.push_back("--name");
      rec_args.push_back(numbered("s", i));
    }
    const auto t0 = std::chrono::steady_clock::now();
    Child recorder = spawn(rec_args, (dir / "record.err").string());
    rusage ru{};
    for (auto& e : emulators) {
      int status;
      ::wait4(e.pid, &status, 0, &ru);
      emulator_cpu += cpu_seconds(ru);
      ::close(e.out);
    }
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ::kill(recorder.pid, SIGINT);
    int status;
    ::wait4(recorder.pid, &status, 0, &ru);
    ::close(recorder.out);
    recorder_cpu += cpu_seconds(ru) / (wall + 0.5);
    const Recording got = storage::read_recording(dir / "rec.h5");
    std::size_t stored = 0;
    for (const auto& sensor : got.sensors) stored += sensor.size();
    in_file += static_cast<double>(stored);
    lost += static_cast<double>(kSensors * n - stored);
    samples_per_s += static_cast<double>(stored) / wall;
    state.SetIterationTime(wall);
  }
  const double it = static_cast<double>(state.iterations());
  state.counters["samples/s"] = samples_per_s / it;
  state.counters["in_file"] = in_file / it;
  state.counters["lost"] = lost / it;
  state.counters["recorder_cpu_%"] = 100 * recorder_cpu / it;
  state.counters["emulators_cpu_s"] = emulator_cpu / it;
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_RecordEightSensorsRealTime)
    ->Arg(1)
    ->Arg(4)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

}  // namespace

BENCHMARK_MAIN();
