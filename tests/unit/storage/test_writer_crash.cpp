// DESIGN.md promise: kill the recorder at any moment and the file opens and holds everything
// up to <= 1 s before. A forked child records two 1 kHz sensors in real time through
// RecordingWriter and logs (unbuffered, straight to the kernel) how many samples it had handed
// over and when; the parent kill -9's it at random moments and checks the file.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>
#include <chrono>

#include <cstring>
#include <thread>

#include "storage_test_util.hpp"
#include "stridelab/storage/recording_io.hpp"
#include "stridelab/storage/recording_writer.hpp"

namespace stridelab::storage::test {
namespace {

constexpr double kRateHz = 1000.0;
constexpr std::size_t kSensors = 2;

double monotonic_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Sample i of sensor k: closed forms so the parent can check every stored value.
ImuSample expected_sample(std::size_t k, std::size_t i) {
  ImuSample s;
  s.time_s = static_cast<double>(i) / kRateHz;
  s.acc = Vec3(0.001 * i + k, std::sin(0.01 * i), -static_cast<double>(i));
  s.gyr = Vec3(k, 0.5 * i, std::cos(0.02 * i));
  return s;
}

// One entry of the child's append log.
struct LogEntry {
  double appended_at;     // monotonic clock after append() returned, s
  std::uint64_t samples;  // samples per sensor handed to the writer so far
};

// How the child records: real time at kRateHz (the recorder), or flat out with a flush after
// every append (so that a kill lands inside HDF5's writes most of the time).
struct ChildMode {
  double flush_interval_s = 0.5;  // the recorder's default
  bool real_time = true;
};

[[noreturn]] void child_record(const fs::path& file, int ready_fd, int log_fd, ChildMode mode) {
  try {
    Recording meta;
    meta.subject_id = "crash";
    std::vector<SensorInfo> infos(kSensors);
    infos[0].name = "pelvis";
    infos[1].name = "trunk";
    infos[1].placement = Placement::kUpperTrunk;
    for (auto& info : infos) info.nominal_rate_hz = kRateHz;
    WriterOptions opts;  // crash_safe by default
    opts.flush_interval_s = mode.flush_interval_s;
    opts.chunk_rows = mode.real_time ? opts.chunk_rows : 512;  // many chunks and index updates
    RecordingWriter writer(file, meta, infos, opts);
    const double t0 = monotonic_s();
    if (::write(ready_fd, "R", 1) != 1) ::_exit(3);
    std::uint64_t n = 0;
    std::vector<ImuSample> batch;
    std::vector<double> device;
    while (true) {
      const auto due =
          mode.real_time ? static_cast<std::uint64_t>((monotonic_s() - t0) * kRateHz) : n + 37;
      for (std::size_t k = 0; k < kSensors; ++k) {
        batch.clear();
        device.clear();
        for (std::uint64_t i = n; i < due; ++i) {
          batch.push_back(expected_sample(k, i));
          device.push_back(static_cast<double>(i) / kRateHz);
        }
        writer.append(k, batch, device);
      }
      n = std::max(n, due);
      const LogEntry entry{monotonic_s(), n};
      if (::write(log_fd, &entry, sizeof entry) != sizeof entry) ::_exit(4);
      if (mode.real_time) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "child: %s\n", e.what());
  }
  ::_exit(2);
}

struct KillResult {
  fs::path file;
  double killed_at = 0.0;
  std::vector<LogEntry> log;
  bool ready = false;
};

// Forks the recorder, kills it `delay_s` after it is ready (or after fork, if !wait_ready).
KillResult record_and_kill(const fs::path& file, const fs::path& log_path, double delay_s,
                           bool wait_ready, ChildMode mode = {}) {
  int ready_pipe[2];
  EXPECT_EQ(::pipe(ready_pipe), 0);
  const int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  EXPECT_GE(log_fd, 0);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(ready_pipe[0]);
    child_record(file, ready_pipe[1], log_fd, mode);
  }
  ::close(ready_pipe[1]);
  ::close(log_fd);
  KillResult r;
  r.file = file;
  if (wait_ready) {
    char c = 0;
    r.ready = ::read(ready_pipe[0], &c, 1) == 1;
    EXPECT_TRUE(r.ready) << "recorder child did not start";
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(delay_s));
  r.killed_at = monotonic_s();
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "child ended on its own (status " << status << ")";
  ::close(ready_pipe[0]);
  const std::string bytes = read_text(log_path);
  r.log.resize(bytes.size() / sizeof(LogEntry));
  std::memcpy(r.log.data(), bytes.data(), r.log.size() * sizeof(LogEntry));
  return r;
}

// Reads the killed recorder's file and checks: it opens, every stored value is the one
// appended, nothing after the kill, and at least `required` samples per sensor. Returns the
// `recovered` note (says whether the journal restored or extended the file).
std::string check_file(const KillResult& r, std::uint64_t required, std::uint64_t appended,
                       const std::string& label) {
  Recording rec;
  try {
    rec = read_recording(r.file);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "file does not open after kill -9: " << e.what();
    return "";
  }
  EXPECT_EQ(rec.attributes.count("recovered"), 1u);
  const std::string note = rec.attributes["recovered"];
  if (rec.sensors.size() != kSensors) {
    ADD_FAILURE() << "file holds " << rec.sensors.size() << " sensors";
    return note;
  }
  for (std::size_t k = 0; k < kSensors; ++k) {
    const SensorData& s = rec.sensors[k];
    std::cout << label << " sensor " << k << ": " << s.size() << " samples in file, " << required
              << " required, " << appended << " appended before the kill\n";
    EXPECT_GE(s.size(), required);
    EXPECT_LE(s.size(), appended);
    for (std::size_t i = 0; i < s.size(); ++i) {
      const ImuSample want = expected_sample(k, i);
      if (s.time_s[i] != want.time_s || s.acc[i] != want.acc || s.gyr[i] != want.gyr) {
        ADD_FAILURE() << "sensor " << k << " sample " << i << " differs from the one appended";
        return note;
      }
    }
  }
  return note;
}

TEST(WriterCrash, KillDashNineKeepsEverythingUpToOneSecondBefore) {
  ScratchDir dir;
  std::mt19937 rng(20240301);
  std::uniform_real_distribution<double> delay(1.05, 2.0);
  for (int round = 0; round < 4; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const fs::path file = dir / ("rec" + std::to_string(round) + ".h5");
    const KillResult r = record_and_kill(file, dir / "log.bin", delay(rng), true);
    ASSERT_TRUE(r.ready);
    // Samples handed over at least 1 s before the kill must all be in the file.
    std::uint64_t required = 0, appended = 0;
    for (const auto& e : r.log) {
      if (e.appended_at <= r.killed_at - 1.0) required = std::max(required, e.samples);
      appended = std::max(appended, e.samples);
    }
    EXPECT_GT(required, 0u);  // the kill came late enough to test the promise
    check_file(r, required, appended, "real-time round " + std::to_string(round));
    if (HasFailure()) return;
    // A recovered file converts into a clean one.
    write_recording(dir / "clean.h5", read_recording(file));
    EXPECT_EQ(read_recording(dir / "clean.h5").attributes.count("recovered"), 1u);
  }
}

TEST(WriterCrash, KillInsideHdf5WritesLosesNothingFlushed) {
  // Flat out with a flush after every append: the child spends nearly all its time inside
  // HDF5 (chunk writes, index and extent updates), so kills land mid-write. Every append it
  // logged had returned, i.e. was flushed, so all logged samples must be in the file. Under
  // CPU load about 1 kill in 50 leaves the HDF5 file itself unreadable (a chunk or chunk
  // index block rewritten in place, cut off by the kill): the journal restores it.
  ScratchDir dir;
  std::mt19937 rng(99);
  std::uniform_real_distribution<double> delay(0.05, 0.5);
  int restored = 0;
  constexpr int kRounds = 20;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const fs::path file = dir / ("busy" + std::to_string(round) + ".h5");
    const KillResult r =
        record_and_kill(file, dir / "log.bin", delay(rng), true, ChildMode{0.0, false});
    ASSERT_TRUE(r.ready);
    // On a loaded machine the child may be killed before its first append returned: then
    // nothing was flushed and the file must still open with at most the first 37 rows.
    const std::uint64_t flushed = r.log.empty() ? 0 : r.log.back().samples;
    const std::string note =
        check_file(r, flushed, flushed + 37, "busy round " + std::to_string(round));
    if (note.find("restored from") != std::string::npos) {
      ++restored;
      std::cout << "busy round " << round << ": " << note << "\n";
    }
  }
  std::cout << "HDF5 file unreadable, restored from the journal: " << restored << " of " << kRounds
            << "\n";
}

TEST(WriterCrash, KillDuringCreationLeavesNoBrokenFile) {
  ScratchDir dir;
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> delay(0.0, 0.03);
  int present = 0;
  for (int round = 0; round < 8; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const fs::path file = dir / ("early" + std::to_string(round) + ".h5");
    record_and_kill(file, dir / "log.bin", delay(rng), false);
    // The file either is not there yet (still "<file>.partial") or opens.
    if (fs::exists(file)) {
      ++present;
      EXPECT_NO_THROW(read_recording(file));
    }
  }
  std::cout << "files present after an early kill: " << present << " of 8\n";
}

}  // namespace
}  // namespace stridelab::storage::test
