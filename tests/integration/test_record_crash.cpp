// The recorder killed with SIGKILL at random moments: the file opens and holds every sample
// up to at most 1 s before the kill. And a recorder that never gets data fails loudly.
#include <gtest/gtest.h>

#include <iostream>
#include <random>

#include "e2e_helpers.hpp"

namespace stridelab::testing {
namespace {

TEST(RecordCrash, KillNineLeavesAFileWithAllButTheLastSecond) {
  const auto dir = fresh_dir("kill9");
  const auto source = make_source(dir, 30.0);
  const auto link = (dir / "imu0").string();
  // One emulated sensor streaming in real time for the whole test; each recorder attaches,
  // records a random while and is killed.
  ChildProcess emulator(
      {stridelab_binary(), "emulate", source.string(), "--pty", "--link", link, "--loop"},
      (dir / "emulate.err").string());
  ASSERT_TRUE(emulator.read_line());
  std::mt19937 rng(20240611);
  std::uniform_real_distribution<double> when(1.2, 3.5);
  double worst_margin = 1e9;
  for (int run = 0; run < 4; ++run) {
    const auto out = dir / ("rec" + std::to_string(run) + ".h5");
    const auto t_start = std::chrono::steady_clock::now();
    ChildProcess rec({stridelab_binary(), "record", "--serial", link, "--out", out.string()},
                     (dir / ("record" + std::to_string(run) + ".err")).string());
    const double kill_after = when(rng);
    std::this_thread::sleep_for(std::chrono::duration<double>(kill_after));
    rec.signal(SIGKILL);
    const double killed_at =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
    ASSERT_EQ(rec.wait(5.0), -SIGKILL);
    ASSERT_TRUE(std::filesystem::exists(out))
        << "run " << run << ": no file after " << killed_at << " s";
    Recording got;
    ASSERT_NO_THROW(got = storage::read_recording(out)) << "run " << run;
    const SensorData& s = got.primary();
    ASSERT_GT(s.size(), 0u);
    EXPECT_NO_THROW(s.validate());
    // time_s is the recorder's session clock (0 at its start, which is after t_start), so
    // the last stored sample time bounds how much before the kill the file ends.
    const double margin = killed_at - s.time_s.back();
    worst_margin = std::min(worst_margin, 1.0 - margin);
    EXPECT_LE(margin, 1.0) << "run " << run << ": killed at " << killed_at
                           << " s, last sample in the file at " << s.time_s.back() << " s";
    // And nothing is missing before that: consecutive source samples.
    for (std::size_t i = 1; i < s.size(); ++i)
      ASSERT_NEAR(s.device_time_s[i] - s.device_time_s[i - 1], 0.005, 1e-5) << "run " << run;
    std::cout << "[e2e] kill -9 after " << killed_at << " s: " << s.size()
              << " samples in the file, the last " << margin << " s before the kill\n";
    // The pty must be free for the next recorder: the emulator sees the reader go away.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  emulator.signal(SIGINT);
  EXPECT_EQ(emulator.wait(5.0), 0);
  std::cout << "[e2e] kill -9: worst spare time to the 1 s promise " << worst_margin << " s\n";
  std::filesystem::remove_all(dir);
}

TEST(RecordCrash, NoDataMeansNonZeroExitAndNoFile) {
  const auto dir = fresh_dir("nodata");
  ChildProcess rec({stridelab_binary(), "record", "--serial", (dir / "nothing").string(), "--out",
                    (dir / "rec.h5").string(), "--duration", "1"},
                   (dir / "record.err").string());
  const auto status = rec.wait(10.0);
  ASSERT_TRUE(status);
  EXPECT_EQ(*status, 1);
  EXPECT_FALSE(std::filesystem::exists(dir / "rec.h5"));
  std::ifstream err(dir / "record.err");
  const std::string text((std::istreambuf_iterator<char>(err)), {});
  EXPECT_NE(text.find("no data received"), std::string::npos) << text;
  std::filesystem::remove_all(dir);
}

TEST(RecordCrash, BadCommandLinesAreUsageErrors) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"record", "--out", "x.h5"},
        std::vector<std::string>{"record", "--tcp", "nohostport", "--out", "x.h5"},
        std::vector<std::string>{"record", "--serial", "/dev/null", "--protocol", "nmea", "--out",
                                 "x.h5"},
        std::vector<std::string>{"emulate", "x.h5", "--pty", "--tcp", "0"},
        std::vector<std::string>{"emulate", "x.h5", "--pty", "--faults", "drop=2"},
        std::vector<std::string>{"emulate", "x.h5", "--tcp", "http"}}) {
    const ProcessResult r = run_stridelab(args, {}, 10.0);
    EXPECT_EQ(r.status, 64) << args[0] << " " << args[1] << " " << args[2] << "\n" << r.err;
  }
}

}  // namespace
}  // namespace stridelab::testing
