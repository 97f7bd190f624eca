// `stridelab emulate` → `stridelab record` over a real pseudo-terminal pair and loopback TCP
// and UDP: the recording equals the source sample for sample, or its gaps are exactly the
// samples the seeded faults removed.
#include <gtest/gtest.h>

#include <functional>
#include <iostream>

#include "e2e_helpers.hpp"

namespace stridelab::testing {
namespace {

struct RunResult {
  Recording recording;
  FaultLog log;
  nlohmann::json stats;
  std::optional<int> recorder_exit;
  std::string recorder_stdout;
};

unsigned short free_port() {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

// Starts the emulator, reads where it listens, starts the recorder (rec_args gets that
// address), waits for the emulator to finish, lets the recorder take the tail, and stops it
// with stop_signal. With recorder_first (UDP) the recorder starts first.
RunResult emulate_and_record(const std::filesystem::path& dir, std::vector<std::string> emu_args,
                             const std::function<std::vector<std::string>(std::string)>& rec_args,
                             bool recorder_first = false, int stop_signal = SIGINT) {
  emu_args.insert(emu_args.begin(), stridelab_binary());
  emu_args.push_back("--fault-log");
  emu_args.push_back((dir / "faults.json").string());
  std::unique_ptr<ChildProcess> recorder;
  auto start_recorder = [&](const std::string& address) {
    std::vector<std::string> args = {stridelab_binary(),
                                     "record",
                                     "--out",
                                     (dir / "rec.h5").string(),
                                     "--stats-json",
                                     (dir / "stats.json").string(),
                                     "--status-every",
                                     "1"};
    for (auto& a : rec_args(address)) args.push_back(a);
    recorder = std::make_unique<ChildProcess>(args, (dir / "record.err").string());
  };
  if (recorder_first) {
    start_recorder("");
    std::this_thread::sleep_for(std::chrono::milliseconds(400));  // bound
  }
  ChildProcess emulator(emu_args, (dir / "emulate.err").string());
  const auto address = emulator.read_line(10.0);
  EXPECT_TRUE(address.has_value()) << "the emulator printed no address";
  if (!recorder_first) start_recorder(address.value_or(""));
  EXPECT_EQ(emulator.wait(40.0), std::optional<int>(0)) << "emulator did not finish";
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  recorder->signal(stop_signal);
  RunResult r;
  r.recorder_exit = recorder->wait(10.0);
  r.recorder_stdout = recorder->read_rest(1.0);
  std::cout << r.recorder_stdout;
  r.log = read_fault_log(dir / "faults.json");
  if (r.recorder_exit == 0) {
    r.recording = storage::read_recording(dir / "rec.h5");
    std::ifstream in(dir / "stats.json");
    r.stats = nlohmann::json::parse(in);
  }
  return r;
}

class EmulateRecord : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fresh_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    source_path = make_source(dir, 20.0);
    source = storage::read_recording(source_path);
  }
  void TearDown() override {
    if (!HasFailure()) std::filesystem::remove_all(dir);
  }
  const SensorData& src() const { return source.primary(); }
  std::filesystem::path dir, source_path;
  Recording source;
};

TEST_F(EmulateRecord, PtyStreamArrivesSampleForSample) {
  const auto link = (dir / "imu0").string();
  const RunResult r = emulate_and_record(
      dir, {"emulate", source_path.string(), "--pty", "--link", link, "--rate-x", "4"},
      [&](const std::string&) {
        return std::vector<std::string>{"--serial", link + ":921600"};
      });
  ASSERT_EQ(r.recorder_exit, 0);
  const SensorData& got = r.recording.primary();
  const Comparison c = compare_with_source(got, src(), 4.0, r.log.samples);
  EXPECT_EQ(c.matched, src().size());
  EXPECT_TRUE(c.missing.empty()) << c.missing.size() << " samples missing";
  EXPECT_TRUE(got.gaps.empty());
  EXPECT_EQ(got.info.device_id, src().info.device_id);
  EXPECT_DOUBLE_EQ(got.info.nominal_rate_hz, 800.0);
  EXPECT_EQ(r.stats[0]["frames_rejected"], 0);
}

TEST_F(EmulateRecord, TcpWithSeededDropsHasExactlyThoseGaps) {
  const RunResult r = emulate_and_record(
      dir,
      {"emulate", source_path.string(), "--tcp", "0", "--rate-x", "4", "--faults", "drop=0.03",
       "--seed", "11"},
      [](const std::string& address) {
        return std::vector<std::string>{"--tcp", address.substr(address.find(' ') + 1)};
      });
  ASSERT_EQ(r.recorder_exit, 0);
  const SensorData& got = r.recording.primary();
  const Comparison c = compare_with_source(got, src(), 4.0, r.log.samples);
  ASSERT_GT(r.log.lost.size(), 0u) << "the seed must drop something";
  EXPECT_EQ(c.missing, r.log.lost) << set_difference_text(c.missing, r.log.lost);
  expect_gaps_match(got, c.missing, 4.0, 200.0, src().time_s.front());
  for (const Gap& g : got.gaps) EXPECT_EQ(g.cause, "sequence");
  std::cout << "[e2e] tcp drops: " << r.log.lost.size() << " samples dropped in " << got.gaps.size()
            << " gaps, all accounted for\n";
}

TEST_F(EmulateRecord, UdpStreamArrivesSampleForSample) {
  const unsigned short port = free_port();
  const RunResult r = emulate_and_record(
      dir,
      {"emulate", source_path.string(), "--udp", "127.0.0.1:" + std::to_string(port), "--rate-x",
       "4"},
      [&](const std::string&) {
        return std::vector<std::string>{"--udp", std::to_string(port)};
      },
      /*recorder_first=*/true, SIGTERM);
  ASSERT_EQ(r.recorder_exit, 0);
  const Comparison c = compare_with_source(r.recording.primary(), src(), 4.0, r.log.samples);
  EXPECT_EQ(c.matched, src().size());
  EXPECT_TRUE(c.missing.empty()) << c.missing.size() << " samples missing";
}

TEST_F(EmulateRecord, PtyUnplugReplugResumesAndMarksTheGap) {
  const auto link = (dir / "imu0").string();
  const RunResult r = emulate_and_record(dir,
                                         {"emulate", source_path.string(), "--pty", "--link", link,
                                          "--rate-x", "2", "--faults", "disconnect=2s,down=0.4s"},
                                         [&](const std::string&) {
                                           return std::vector<std::string>{"--serial", link};
                                         });
  ASSERT_EQ(r.recorder_exit, 0);
  const SensorData& got = r.recording.primary();
  const Comparison c = compare_with_source(got, src(), 2.0, r.log.samples);
  ASSERT_GE(r.log.by_cause.count("disconnect"), 1u);
  EXPECT_EQ(c.missing, r.log.lost) << set_difference_text(c.missing, r.log.lost);
  expect_gaps_match(got, c.missing, 2.0, 200.0, src().time_s.front());
  std::size_t disconnect_gaps = 0;
  for (const Gap& g : got.gaps) disconnect_gaps += g.cause == "disconnect";
  EXPECT_GE(disconnect_gaps, 3u);
  EXPECT_GE(r.stats[0]["reconnects"].get<int>(), 3);
  std::cout << "[e2e] pty replug: " << disconnect_gaps << " disconnect gaps, " << r.log.lost.size()
            << " samples lost while unplugged, " << got.size() << " recorded\n";
}

TEST_F(EmulateRecord, TcpBridgeRestartResumes) {
  const RunResult r = emulate_and_record(
      dir,
      {"emulate", source_path.string(), "--tcp", "0", "--rate-x", "2", "--faults",
       "disconnect=2s,down=0.3s"},
      [](const std::string& address) {
        return std::vector<std::string>{"--tcp", address.substr(address.find(' ') + 1)};
      });
  ASSERT_EQ(r.recorder_exit, 0);
  const SensorData& got = r.recording.primary();
  const Comparison c = compare_with_source(got, src(), 2.0, r.log.samples);
  EXPECT_EQ(c.missing, r.log.lost) << set_difference_text(c.missing, r.log.lost);
  expect_gaps_match(got, c.missing, 2.0, 200.0, src().time_s.front());
  std::size_t disconnect_gaps = 0;
  for (const Gap& g : got.gaps) disconnect_gaps += g.cause == "disconnect";
  EXPECT_GE(disconnect_gaps, 3u);
}

TEST_F(EmulateRecord, CorruptedBytesLoseOnlyTheFramesTheyTouch) {
  const RunResult r = emulate_and_record(
      dir,
      {"emulate", source_path.string(), "--tcp", "0", "--rate-x", "4", "--faults",
       "corrupt=0.0003,noise=0.01", "--seed", "5"},
      [](const std::string& address) {
        return std::vector<std::string>{"--tcp", address.substr(address.find(' ') + 1)};
      });
  ASSERT_EQ(r.recorder_exit, 0);
  const SensorData& got = r.recording.primary();
  const Comparison c = compare_with_source(got, src(), 4.0, r.log.samples);
  ASSERT_GT(r.log.damaged_frames, 3u);
  EXPECT_EQ(c.missing, r.log.lost) << set_difference_text(
      c.missing, r.log.lost);  // untouched frames all arrived, touched ones did not
  expect_gaps_match(got, c.missing, 4.0, 200.0, src().time_s.front());
  // The decoder's counters agree: a damaged frame is one rejected run, or two when a flip
  // made a 0x00 inside it, or one for two frames when it hit the delimiter between them.
  const auto rejected = r.stats[0]["frames_rejected"].get<std::uint64_t>();
  EXPECT_GE(rejected, r.log.damaged_frames / 2);
  EXPECT_LE(rejected, 2 * r.log.damaged_frames);
  EXPECT_EQ(r.stats[0]["missing_samples"].get<std::uint64_t>(), c.missing.size());
  std::cout << "[e2e] corruption: " << r.log.damaged_frames << " damaged frames, " << rejected
            << " rejected by the decoder, " << c.missing.size() << " samples lost, " << c.matched
            << " intact\n";
}

TEST_F(EmulateRecord, WitMotionSerialOverPty) {
  const auto link = (dir / "imu0").string();
  const RunResult r = emulate_and_record(dir,
                                         {"emulate", source_path.string(), "--pty", "--link", link,
                                          "--rate-x", "2", "--protocol", "witmotion"},
                                         [&](const std::string&) {
                                           return std::vector<std::string>{
                                               "--protocol", "witmotion", "--witmotion-rate",
                                               "400",        "--serial",  link + ":921600"};
                                         });
  ASSERT_EQ(r.recorder_exit, 0);
  const SensorData& got = r.recording.primary();
  // No device clock on the wire: times are the decoder's index / rate, which is the source
  // grid again when nothing is lost.
  const Comparison c = compare_with_source(got, src(), 2.0, r.log.samples);
  EXPECT_EQ(c.matched, src().size());
  EXPECT_TRUE(c.missing.empty());
}

TEST_F(EmulateRecord, TwoSensorsAtOnceKeepTheirNames) {
  const auto link = (dir / "imu0").string();
  ChildProcess a({stridelab_binary(), "emulate", source_path.string(), "--pty", "--link", link,
                  "--rate-x", "4", "--device-id", "PELVIS-1"},
                 (dir / "a.err").string());
  ChildProcess b({stridelab_binary(), "emulate", source_path.string(), "--tcp", "0", "--rate-x",
                  "4", "--device-id", "TRUNK-1"},
                 (dir / "b.err").string());
  ASSERT_TRUE(a.read_line());
  const auto b_address = b.read_line();
  ASSERT_TRUE(b_address);
  ChildProcess rec({stridelab_binary(), "record", "--serial", link, "--name", "pelvis", "--tcp",
                    b_address->substr(b_address->find(' ') + 1), "--name", "trunk", "--placement",
                    "upper_trunk", "--out", (dir / "rec.h5").string()},
                   (dir / "record.err").string());
  ASSERT_EQ(a.wait(30), 0);
  ASSERT_EQ(b.wait(30), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  rec.signal(SIGINT);
  ASSERT_EQ(rec.wait(10), 0);
  const Recording got = storage::read_recording(dir / "rec.h5");
  ASSERT_EQ(got.sensors.size(), 2u);
  EXPECT_EQ(got.sensors[0].info.name, "pelvis");
  EXPECT_EQ(got.sensors[0].info.device_id, "PELVIS-1");
  EXPECT_EQ(got.sensors[1].info.name, "trunk");
  EXPECT_EQ(got.sensors[1].info.device_id, "TRUNK-1");
  EXPECT_EQ(got.sensors[1].info.placement, Placement::kUpperTrunk);
  for (const auto& s : got.sensors) {
    const Comparison c = compare_with_source(s, src(), 4.0, src().size());
    EXPECT_TRUE(c.missing.empty()) << s.info.name;
  }
}

}  // namespace
}  // namespace stridelab::testing
