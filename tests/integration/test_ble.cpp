// Bluetooth LE end to end with real parts except the radio: the real `stridelab` binary, a
// private dbus-daemon as the system bus, and a BlueZ look-alike (tests/ble/mock_bluez.py)
// streaming a simulated walk as WitMotion BLE 0x55 0x61 notifications.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <sstream>
#include <thread>

#include "ble_harness.hpp"
#include "e2e_helpers.hpp"
#include "stridelab/ingest/ble.hpp"
#include "stridelab/protocol/movesense.hpp"
#include "stridelab/protocol/witmotion.hpp"

namespace stridelab::testing {
namespace {

using Clock = std::chrono::steady_clock;
constexpr double kRateHz = 100.0;  // the WT901BLE default output rate

class Ble : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!ingest::ble_supported()) GTEST_SKIP() << "built without sdbus-c++ (no BLE)";
    if (const std::string missing = ble_harness_missing(); !missing.empty())
      GTEST_SKIP() << "BLE harness unavailable: " << missing << " (tools/setup.sh installs it)";
    dir = fresh_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    source_path = make_source(dir, 6.0, kRateHz);
    source = storage::read_recording(source_path);
    write_wit_frames(src());
  }
  // The frames the sensor would send: one 20-byte frame per sample (frames.bin).
  void write_wit_frames(const SensorData& data) const {
    std::ofstream frames(dir / "frames.bin", std::ios::binary);
    for (std::size_t i = 0; i < data.size(); ++i) {
      const auto f = protocol::encode_witmotion_ble(data.sample(i));
      frames.write(reinterpret_cast<const char*>(f.data()), static_cast<std::streamsize>(f.size()));
    }
  }
  void TearDown() override {
    if (!HasFailure() && !dir.empty()) std::filesystem::remove_all(dir);
  }
  const SensorData& src() const { return source.primary(); }
  std::vector<std::string> mock_args(std::vector<std::string> extra = {}) const {
    std::vector<std::string> a = {"--frames", (dir / "frames.bin").string(), "--rate",
                                  std::to_string(kRateHz)};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
  // The source in stridelab's protocol, as the firmware would send it over NUS (nus.bin).
  std::vector<std::uint8_t> write_nus_stream() const {
    protocol::EncoderParams params;
    params.rate_hz = kRateHz;
    params.samples_per_frame = 5;
    params.device_id = "NUS-7F3A";
    auto enc = protocol::make_encoder("stridelab", params);
    std::vector<std::uint8_t> bytes;
    enc->begin(bytes);
    for (std::size_t i = 0; i < src().size(); ++i) enc->push(src().sample(i), bytes);
    enc->flush(bytes);
    std::ofstream(dir / "nus.bin", std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
    return bytes;
  }
  // Mock arguments that stream nus.bin in 20-byte notifications over the source's duration.
  std::vector<std::string> nus_args(std::size_t n_bytes) const {
    const double chunks = static_cast<double>((n_bytes + 19) / 20);
    const double seconds = static_cast<double>(src().size()) / kRateHz;
    return {"--nus-stream", (dir / "nus.bin").string(), "--nus-rate",
            std::to_string(chunks / seconds)};
  }
  // A Movesense's stream of the source: a 104 Hz walk with a magnetometer (IMU9 carries one)
  // as 8-sample packets, each DATA + DATA_PART2 (158-byte notifications, the firmware's MTU),
  // written as notification records for the mock (movesense.bin).
  struct MovesenseStream {
    std::size_t samples = 0, notifications = 0;
    std::vector<std::string> args;  // for the mock: the stream at the packets' rate
  };
  MovesenseStream write_movesense_stream() {
    constexpr double kMoveHz = 104.0;
    sim::SimParams p;  // as make_source, with the magnetometer
    p.rate_hz = kMoveHz;
    p.standing_before_s = p.standing_after_s = 1.0;
    p.gait_duration_s = 4.0;
    p.seed = 3;
    p.magnetometer = true;
    source_path = dir / "source104.h5";
    storage::write_recording(source_path, sim::simulate(p).recording);
    source = storage::read_recording(source_path);
    MovesenseStream m;
    std::vector<std::uint8_t> records;
    for (std::size_t first = 0; first + 8 <= src().size(); first += 8) {
      std::vector<ImuSample> packet;
      for (std::size_t i = first; i < first + 8; ++i) packet.push_back(src().sample(i));
      const auto t_ms = static_cast<std::uint32_t>(std::lround(src().time_s[first] * 1000.0));
      for (const auto& n : protocol::encode_movesense_imu9(t_ms, packet)) {
        protocol::append_notification_record(n, records);
        ++m.notifications;
      }
      m.samples += 8;
    }
    std::ofstream(dir / "movesense.bin", std::ios::binary)
        .write(reinterpret_cast<const char*>(records.data()),
               static_cast<std::streamsize>(records.size()));
    const double per_s =
        static_cast<double>(m.notifications) * kMoveHz / static_cast<double>(m.samples);
    m.args = {"--movesense-stream", (dir / "movesense.bin").string(), "--movesense-rate",
              std::to_string(per_s)};
    return m;
  }
  // Lets the recorder take the last notifications, then stops it as Ctrl-C does; its exit
  // status (0 = the recording was written).
  static std::optional<int> interrupt(ChildProcess& rec) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    rec.signal(SIGINT);
    return rec.wait(10.0);
  }
  // The recording in rec.h5 against the source: every sample, none missing, no gap.
  Recording expect_every_source_sample() const {
    Recording got_rec = storage::read_recording(dir / "rec.h5");
    const SensorData& got = got_rec.primary();
    const Comparison c = compare_with_source(got, src(), 1.0, src().size());
    EXPECT_EQ(c.matched, src().size());
    EXPECT_TRUE(c.missing.empty()) << c.missing.size() << " samples missing";
    EXPECT_TRUE(got.gaps.empty());
    return got_rec;
  }
  std::filesystem::path dir, source_path;
  Recording source;
};

TEST_F(Ble, ScanListsTheMockSensorsWithKindAndRssi) {
  MockBluez bluez(dir, mock_args());
  ASSERT_TRUE(bluez.up());
  const auto t0 = Clock::now();
  const ProcessResult r = run_stridelab({"scan", "--seconds", "1"}, {}, 30);
  const double took = std::chrono::duration<double>(Clock::now() - t0).count();
  ASSERT_EQ(r.status, 0) << r.output();
  std::cout << r.out << "scan took " << took << " s\n";
  // Strongest first, each with its kind from the advertised services.
  // Names padded to the longest one ("Movesense 220330000122", 22 characters).
  const auto wit = r.out.find("WT901BLE68             D4:36:39:7A:11:2C   -58  WitMotion\n");
  const auto nus = r.out.find("stridelab-7f3a         C0:FF:EE:00:00:01   -71  stridelab-NUS\n");
  const auto other = r.out.find("Headphones             11:22:33:44:55:66   -80  unknown\n");
  const auto move = r.out.find("Movesense 220330000122 0C:8C:DC:00:00:0A   -64  Movesense\n");
  EXPECT_EQ(r.out.find("NAME                   ADDRESS"), 0u) << r.out;
  EXPECT_NE(wit, std::string::npos) << r.out;
  EXPECT_NE(nus, std::string::npos) << r.out;
  EXPECT_NE(other, std::string::npos) << r.out;
  EXPECT_NE(move, std::string::npos) << r.out;
  EXPECT_LT(wit, move);
  EXPECT_LT(move, nus);
  EXPECT_LT(nus, other);
  EXPECT_NE(r.err.find("4 device(s), 3 known sensor(s)"), std::string::npos) << r.err;
  EXPECT_GE(took, 1.0);
  EXPECT_LT(took, 10.0);
}

TEST_F(Ble, ScanWithoutBluezSaysBluetoothdIsNotRunning) {
  MockBluez bluez(dir, mock_args());
  ASSERT_TRUE(bluez.up());
  bluez.mock().signal(SIGTERM);  // the bus stays, org.bluez goes
  ASSERT_TRUE(bluez.mock().wait(10.0).has_value());
  const ProcessResult r = run_stridelab({"scan", "--seconds", "0.2"}, {}, 30);
  EXPECT_EQ(r.status, 1) << r.output();
  EXPECT_NE(r.err.find("bluetoothd running"), std::string::npos) << r.err;
}

// record --ble NAME: every source sample arrives once, in order, on the source's grid.
TEST_F(Ble, RecordByNameEqualsTheSourceSampleForSample) {
  MockBluez bluez(dir, mock_args());
  ASSERT_TRUE(bluez.up());
  const auto t0 = Clock::now();
  ChildProcess rec({stridelab_binary(), "record", "--ble", "WT901BLE68", "--witmotion-rate", "100",
                    "--out", (dir / "rec.h5").string(), "--stats-json",
                    (dir / "stats.json").string(), "--status-every", "1"},
                   (dir / "record.err").string());
  const auto done = bluez.mock().read_line(60.0);
  const double streamed_s = std::chrono::duration<double>(Clock::now() - t0).count();
  ASSERT_EQ(done, std::optional<std::string>("done " + std::to_string(src().size())));
  ASSERT_EQ(interrupt(rec), std::optional<int>(0));
  std::cout << rec.read_rest(1.0) << "streamed " << src().size() << " samples in " << streamed_s
            << " s after the recorder started\n";

  const Recording got_rec = expect_every_source_sample();
  const SensorData& got = got_rec.primary();
  EXPECT_NE(got_rec.source.find("ble WT901BLE68"), std::string::npos) << got_rec.source;

  std::ifstream in(dir / "stats.json");
  const auto stats = nlohmann::json::parse(in);
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0]["protocol"], "witmotion-ble");
  EXPECT_EQ(stats[0]["connects"], 1);
  EXPECT_EQ(stats[0]["frames_rejected"], 0);
  EXPECT_EQ(stats[0]["bytes"], 20 * src().size());
  EXPECT_EQ(stats[0]["samples"], src().size());
  EXPECT_EQ(stats[0]["rssi_dbm"], -58);  // the mock's advertised RSSI
  // The recorder let go of the sensor: another program (or the next run) can connect.
  const std::string dev = "/org/bluez/hci0/dev_D4_36_39_7A_11_2C";
  EXPECT_EQ(bluez.property(dev, "org.bluez.Device1", "Connected"), "0");
  EXPECT_EQ(
      bluez.property(dev + "/service0010/char0011", "org.bluez.GattCharacteristic1", "Notifying"),
      "0");
  EXPECT_EQ(bluez.property("/org/bluez/hci0", "org.bluez.Adapter1", "Discovering"), "0");
}

// stridelab's own protocol over the Nordic UART Service (what firmware_protocol/ sends on a BLE
// board): the byte stream cut into 20-byte notifications (ATT MTU 23) at the stream's rate.
TEST_F(Ble, RecordNusStreamEqualsTheSourceSampleForSample) {
  const std::vector<std::uint8_t> bytes = write_nus_stream();
  const std::size_t chunks = (bytes.size() + 19) / 20;
  const double seconds = static_cast<double>(src().size()) / kRateHz;
  MockBluez bluez(dir, mock_args(nus_args(bytes.size())));
  ASSERT_TRUE(bluez.up());
  ChildProcess rec({stridelab_binary(), "record", "--protocol", "stridelab", "--ble",
                    "stridelab-7f3a", "--out", (dir / "rec.h5").string(), "--stats-json",
                    (dir / "stats.json").string(), "--status-every", "1"},
                   (dir / "record.err").string());
  const auto done = bluez.mock().read_line(60.0);
  ASSERT_EQ(done, std::optional<std::string>("done " + std::to_string(chunks)));
  ASSERT_EQ(interrupt(rec), std::optional<int>(0));
  std::cout << rec.read_rest(1.0) << bytes.size() << " bytes in " << chunks
            << " notifications over " << seconds << " s\n";

  const Recording got_rec = expect_every_source_sample();
  const SensorData& got = got_rec.primary();
  EXPECT_EQ(got.info.device_id, "NUS-7F3A");
  std::ifstream in(dir / "stats.json");
  const auto stats = nlohmann::json::parse(in);
  EXPECT_EQ(stats[0]["protocol"], "stridelab");
  EXPECT_EQ(stats[0]["bytes"], bytes.size());
  EXPECT_EQ(stats[0]["crc_failures"], 0);
  EXPECT_EQ(stats[0]["frames_rejected"], 0);
}

// A Movesense through the GATT SensorData Protocol: subscribed to /Meas/IMU9/104 after
// notifications are on, 8-sample packets split over DATA + DATA_PART2 (158-byte notifications,
// the firmware's MTU) at the packets' rate. The recording equals the source sample for sample
// and analyses to the same steps.
TEST_F(Ble, RecordMovesenseEqualsTheSourceAndAnalysesTheSame) {
  const MovesenseStream m = write_movesense_stream();
  const std::size_t samples = m.samples, notifications = m.notifications;
  ASSERT_EQ(notifications, samples / 8 * 2);  // every packet in two parts
  MockBluez bluez(dir, mock_args(m.args));
  ASSERT_TRUE(bluez.up());
  ChildProcess rec({stridelab_binary(), "record", "--ble", "Movesense 220330000122", "--protocol",
                    "movesense", "--out", (dir / "rec.h5").string(), "--stats-json",
                    (dir / "stats.json").string(), "--status-every", "1"},
                   (dir / "record.err").string());
  EXPECT_EQ(bluez.mock().read_line(60.0), std::optional<std::string>("subscribed /Meas/IMU9/104"));
  ASSERT_EQ(bluez.mock().read_line(60.0),
            std::optional<std::string>("done " + std::to_string(notifications)));
  ASSERT_EQ(interrupt(rec), std::optional<int>(0));
  // The recorder unsubscribed before letting go (the firmware also does so on a disconnect).
  EXPECT_EQ(bluez.mock().read_line(10.0), std::optional<std::string>("unsubscribed"));
  std::cout << rec.read_rest(1.0) << samples << " samples in " << notifications
            << " notifications\n";

  const Recording got_rec = storage::read_recording(dir / "rec.h5");
  const SensorData& got = got_rec.primary();
  const Comparison c = compare_with_source(got, src(), 1.0, samples);
  EXPECT_EQ(c.matched, samples);
  EXPECT_TRUE(c.missing.empty()) << c.missing.size() << " samples missing";
  EXPECT_TRUE(got.gaps.empty());
  EXPECT_TRUE(got.info.has_mag);
  std::ifstream in(dir / "stats.json");
  const auto stats = nlohmann::json::parse(in);
  EXPECT_EQ(stats[0]["protocol"], "movesense");
  EXPECT_EQ(stats[0]["samples"], samples);
  EXPECT_EQ(stats[0]["frames"], samples / 8);
  EXPECT_EQ(stats[0]["frames_rejected"], 0);
  EXPECT_EQ(stats[0]["rssi_dbm"], -64);

  // The analysis of what was recorded equals the source's (float32 on the wire: same steps,
  // metrics within rounding).
  const auto summary = [&](const std::filesystem::path& rec_path, const char* name) {
    const auto out = dir / name;
    const ProcessResult r =
        run_stridelab({"analyze", rec_path.string(), "--summary-json", out.string()}, {}, 60);
    EXPECT_EQ(r.status, 0) << r.output();
    std::ifstream f(out);
    return nlohmann::json::parse(f);
  };
  const auto want = summary(source_path, "source.json");
  const auto have = summary(dir / "rec.h5", "rec.json");
  ASSERT_GT(want["steps"].get<int>(), 4);
  EXPECT_EQ(have["steps"], want["steps"]);
  EXPECT_NEAR(have["mean_cadence_spm"].get<double>(), want["mean_cadence_spm"].get<double>(), 0.01);
  for (const char* key : {"pelvic_drop_left_deg", "pelvic_drop_right_deg", "trunk_rotation_deg"})
    EXPECT_NEAR(have[key]["mean"].get<double>(), want[key]["mean"].get<double>(), 0.05) << key;
}

// The Movesense drops the link after 60 notifications (30 packets) and refuses connections for
// 0.5 s while it keeps sampling. The recorder reconnects and subscribes again; its device
// clock places the one gap exactly: the samples of every packet not received whole.
TEST_F(Ble, MovesenseDropResubscribesAndMarksTheGapFromItsClock) {
  const MovesenseStream m = write_movesense_stream();
  std::vector<std::string> args = m.args;
  for (const char* a : {"--movesense-drop-after", "60", "--drop-for", "0.5"}) args.push_back(a);
  MockBluez bluez(dir, mock_args(args));
  ASSERT_TRUE(bluez.up());
  ChildProcess rec({stridelab_binary(), "record", "--ble", "0C:8C:DC:00:00:0A", "--protocol",
                    "movesense", "--out", (dir / "rec.h5").string(), "--stats-json",
                    (dir / "stats.json").string(), "--status-every", "1"},
                   (dir / "record.err").string());
  int subscribed = 0;
  std::size_t first_lost = 0, lost_count = 0;
  for (;;) {
    const auto line = bluez.mock().read_line(60.0);
    ASSERT_TRUE(line.has_value()) << "the mock went quiet";
    if (*line == "subscribed /Meas/IMU9/104") ++subscribed;
    if (line->rfind("lost ", 0) == 0)
      std::istringstream(line->substr(5)) >> first_lost >> lost_count;
    if (line->rfind("done ", 0) == 0) break;
  }
  EXPECT_EQ(subscribed, 2);  // once per connection
  EXPECT_EQ(first_lost, 60u);
  EXPECT_GE(lost_count, 13u);  // at least the 0.5 s refusal at 26 notifications/s
  ASSERT_EQ(interrupt(rec), std::optional<int>(0));
  std::cout << rec.read_rest(1.0);

  // A packet is lost when either of its notifications is (a lone DATA_PART2 is rejected).
  const std::size_t first_packet = first_lost / 2, end_packet = (first_lost + lost_count + 1) / 2;
  const std::size_t missing = 8 * (end_packet - first_packet);
  const Recording got_rec = storage::read_recording(dir / "rec.h5");
  const SensorData& got = got_rec.primary();
  ASSERT_EQ(got.size(), m.samples - missing);
  ASSERT_EQ(got.gaps.size(), 1u);
  const Gap& gap = got.gaps[0];
  std::cout << "gap: cause " << gap.cause << ", " << gap.missing << " missing (" << lost_count
            << " notifications lost), " << gap.start_s << " .. " << gap.end_s << " s\n";
  EXPECT_EQ(gap.index, 8 * first_packet);
  EXPECT_EQ(gap.missing, missing);  // from the device clock: exact
  for (std::size_t k = 0; k < got.size(); ++k) {
    const std::size_t i = k < 8 * first_packet ? k : k + missing;
    ASSERT_LE((got.acc[k] - src().acc[i]).cwiseAbs().maxCoeff(), 1e-5)
        << "sample " << k << " is not source sample " << i;
  }
  std::ifstream in(dir / "stats.json");
  const auto stats = nlohmann::json::parse(in);
  EXPECT_EQ(stats[0]["reconnects"], 1);
  EXPECT_EQ(stats[0]["frames_rejected"], lost_count % 2);  // the orphan part, if any
}

// Both mock sensors at once, each with its own protocol and name.
TEST_F(Ble, TwoBleSensorsAtOnceKeepTheirNames) {
  const std::vector<std::uint8_t> bytes = write_nus_stream();
  MockBluez bluez(dir, mock_args(nus_args(bytes.size())));
  ASSERT_TRUE(bluez.up());
  ChildProcess rec({stridelab_binary(), "record", "--ble", "WT901BLE68", "--name", "wit", "--ble",
                    "C0:FF:EE:00:00:01", "--protocol", "stridelab", "--name", "nus", "--placement",
                    "upper_trunk", "--out", (dir / "rec.h5").string(), "--status-every", "1"},
                   (dir / "record.err").string());
  for (int i = 0; i < 2; ++i) {
    const auto done = bluez.mock().read_line(60.0);
    ASSERT_TRUE(done && done->rfind("done ", 0) == 0) << done.value_or("(nothing)");
  }
  ASSERT_EQ(interrupt(rec), std::optional<int>(0));
  std::cout << rec.read_rest(1.0);
  const Recording got = storage::read_recording(dir / "rec.h5");
  ASSERT_EQ(got.sensors.size(), 2u);
  EXPECT_EQ(got.sensors[0].info.name, "wit");
  EXPECT_EQ(got.sensors[1].info.name, "nus");
  EXPECT_EQ(got.sensors[1].info.placement, Placement::kUpperTrunk);
  for (const SensorData& s : got.sensors) {
    const Comparison c = compare_with_source(s, src(), 1.0, src().size());
    EXPECT_EQ(c.matched, src().size()) << s.info.name;
    EXPECT_TRUE(s.gaps.empty()) << s.info.name;
  }
}

// --set-rate 200: unlock, RRATE 0x0B and save reach the module (which starts at 100 Hz) before
// the subscription, so the whole 200 Hz walk streams in 6 s and decodes on its grid.
TEST_F(Ble, SetRateConfiguresTheModuleBeforeItStreams) {
  const Recording fast = storage::read_recording(make_source(dir, 6.0, 200.0));
  const SensorData& want = fast.primary();
  write_wit_frames(want);
  MockBluez bluez(dir, mock_args());
  ASSERT_TRUE(bluez.up());
  const auto t0 = Clock::now();
  ChildProcess rec({stridelab_binary(), "record", "--ble", "WT901BLE68", "--set-rate", "200",
                    "--out", (dir / "rec.h5").string(), "--status-every", "1"},
                   (dir / "record.err").string());
  EXPECT_EQ(bluez.mock().read_line(30.0), std::optional<std::string>("rate 200"));
  EXPECT_EQ(bluez.mock().read_line(30.0), std::optional<std::string>("saved"));
  const auto done = bluez.mock().read_line(60.0);
  const double took = std::chrono::duration<double>(Clock::now() - t0).count();
  ASSERT_EQ(done, std::optional<std::string>("done " + std::to_string(want.size())));
  EXPECT_LT(took, 9.0);  // 6 s at 200 Hz; 12 s had the module stayed at 100 Hz
  ASSERT_EQ(interrupt(rec), std::optional<int>(0));
  std::cout << rec.read_rest(1.0) << "configured and streamed in " << took << " s\n";
  const Recording got_rec = storage::read_recording(dir / "rec.h5");
  const SensorData& got = got_rec.primary();
  const Comparison c = compare_with_source(got, want, 1.0, want.size());
  EXPECT_EQ(c.matched, want.size());
  EXPECT_TRUE(got.gaps.empty());
  EXPECT_DOUBLE_EQ(got.info.nominal_rate_hz, 200.0);
  // The mapped times span the stream's real duration (a 100 Hz stream would span 12 s).
  EXPECT_NEAR(got.time_s.back() - got.time_s.front(), (want.size() - 1) / 200.0, 0.05);
}

TEST_F(Ble, SetRateIsRefusedWhereItCannotApply) {
  ProcessResult r = run_stridelab(
      {"record", "--tcp", "127.0.0.1:9", "--set-rate", "200", "--out", (dir / "r.h5").string()});
  EXPECT_EQ(r.status, 64) << r.output();
  EXPECT_NE(r.err.find("--set-rate is for WitMotion BLE and Movesense sources"), std::string::npos)
      << r.err;
  r = run_stridelab(
      {"record", "--ble", "WT901BLE68", "--set-rate", "300", "--out", (dir / "r.h5").string()});
  EXPECT_EQ(r.status, 64) << r.output();
  EXPECT_NE(r.err.find("--set-rate 300"), std::string::npos) << r.err;
  // A Movesense subscribes at one of its own rates, and only over BLE.
  r = run_stridelab({"record", "--ble", "Movesense 220330000122", "--protocol", "movesense",
                     "--set-rate", "100", "--out", (dir / "r.h5").string()});
  EXPECT_EQ(r.status, 64) << r.output();
  EXPECT_NE(r.err.find("Movesense offers IMU rates 13, 26, 52, 104"), std::string::npos) << r.err;
  // A Movesense recorded without --protocol: the error says which protocol it speaks.
  MockBluez bluez(dir, mock_args());
  ASSERT_TRUE(bluez.up());
  r = run_stridelab({"record", "--ble", "Movesense 220330000122", "--duration", "2", "--out",
                     (dir / "r.h5").string()},
                    {}, 30);
  EXPECT_EQ(r.status, 1) << r.output();
  EXPECT_NE(r.err.find("has no witmotion-ble characteristic 0000ffe4-0000-1000-8000-00805f9a34fb "
                       "(it is a Movesense: --protocol movesense)"),
            std::string::npos)
      << r.err;
  r = run_stridelab({"record", "--tcp", "127.0.0.1:9", "--protocol", "movesense", "--out",
                     (dir / "r.h5").string()});
  EXPECT_EQ(r.status, 64) << r.output();
  EXPECT_NE(r.err.find("movesense is a Bluetooth LE protocol"), std::string::npos) << r.err;
}

// The sensor drops the link after 200 frames and refuses connections for 0.5 s; it keeps
// sampling meanwhile. The recorder reconnects by itself and marks one gap that holds exactly
// the frames sent to nobody; every sample around it is the source's.
TEST_F(Ble, DropMidStreamReconnectsAndMarksTheGap) {
  MockBluez bluez(dir, mock_args({"--drop-after", "200", "--drop-for", "0.5"}));
  ASSERT_TRUE(bluez.up());
  ChildProcess rec({stridelab_binary(), "record", "--ble", "D4:36:39:7A:11:2C", "--out",
                    (dir / "rec.h5").string(), "--stats-json", (dir / "stats.json").string(),
                    "--status-every", "1"},
                   (dir / "record.err").string());
  const auto lost = bluez.mock().read_line(60.0);
  ASSERT_TRUE(lost && lost->rfind("lost ", 0) == 0) << lost.value_or("(nothing)");
  std::istringstream words(lost->substr(5));
  std::size_t first_lost = 0, lost_count = 0;
  words >> first_lost >> lost_count;
  EXPECT_EQ(first_lost, 200u);
  EXPECT_GE(lost_count, 40u);  // at least the 0.5 s refusal at 100 Hz
  const auto done = bluez.mock().read_line(60.0);
  ASSERT_EQ(done, std::optional<std::string>("done " + std::to_string(src().size())));
  ASSERT_EQ(interrupt(rec), std::optional<int>(0));
  std::cout << rec.read_rest(1.0);

  const Recording got_rec = storage::read_recording(dir / "rec.h5");
  const SensorData& got = got_rec.primary();
  ASSERT_EQ(got.size(), src().size() - lost_count);
  ASSERT_EQ(got.gaps.size(), 1u);
  const Gap& gap = got.gaps[0];
  EXPECT_EQ(gap.index, first_lost);
  std::cout << "gap: cause " << gap.cause << ", " << gap.missing << " missing (" << lost_count
            << " lost), " << gap.start_s << " .. " << gap.end_s << " s\n";
  // No device clock: the count comes from host time, so allow a sample either way.
  EXPECT_NEAR(static_cast<double>(gap.missing), static_cast<double>(lost_count), 1.0);
  EXPECT_NEAR(gap.end_s - gap.start_s, (lost_count + 1) / kRateHz, 0.15);
  const double acc_lsb = protocol::acc_scale_for_range(16.0);
  const double gyr_lsb = protocol::gyr_scale_for_range(2000.0);
  for (std::size_t k = 0; k < got.size(); ++k) {
    const std::size_t i = k < first_lost ? k : k + lost_count;
    ASSERT_LE((got.acc[k] - src().acc[i]).cwiseAbs().maxCoeff(), 0.5 * acc_lsb * 1.001)
        << "sample " << k << " is not source sample " << i;
    ASSERT_LE((got.gyr[k] - src().gyr[i]).cwiseAbs().maxCoeff(), 0.5 * gyr_lsb * 1.001)
        << "sample " << k << " is not source sample " << i;
  }
  std::ifstream in(dir / "stats.json");
  const auto stats = nlohmann::json::parse(in);
  EXPECT_EQ(stats[0]["reconnects"], 1);
  EXPECT_EQ(stats[0]["disconnects"], 2);  // the drop, and the stop at the end
  EXPECT_GE(stats[0]["connect_failures"], 1);
}

// A device that never answers Connect: clear message, non-zero exit, bounded time.
TEST_F(Ble, DeviceThatNeverAnswersEndsWithAClearErrorNotAHang) {
  MockBluez bluez(dir, mock_args({"--mute"}));
  ASSERT_TRUE(bluez.up());
  const auto t0 = Clock::now();
  const ProcessResult r =
      run_stridelab({"record", "--ble", "D4:36:39:7A:11:2C", "--ble-timeout", "1", "--duration",
                     "3", "--out", (dir / "rec.h5").string()},
                    {}, 30);
  const double took = std::chrono::duration<double>(Clock::now() - t0).count();
  std::cout << r.err << "took " << took << " s\n";
  EXPECT_EQ(r.status, 1) << r.output();
  EXPECT_NE(r.err.find("WT901BLE68 D4:36:39:7A:11:2C did not answer within 1 s"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("no data received from any sensor"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "rec.h5"));
  EXPECT_LT(took, 6.0);
}

// An address nobody advertises: the recorder keeps scanning and says so, then gives up.
TEST_F(Ble, UnknownDeviceIsReportedAsNotSeen) {
  MockBluez bluez(dir, mock_args());
  ASSERT_TRUE(bluez.up());
  const ProcessResult r = run_stridelab({"record", "--ble", "AA:BB:CC:DD:EE:FF", "--duration",
                                         "1.5", "--out", (dir / "rec.h5").string()},
                                        {}, 30);
  EXPECT_EQ(r.status, 1) << r.output();
  EXPECT_NE(r.err.find("BLE device 'AA:BB:CC:DD:EE:FF' not seen yet (scanning)"), std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace stridelab::testing
