// `stridelab live` in a real terminal: tmux runs it against `stridelab emulate` streaming a
// simulated walk over loopback TCP in real time. The pane must show one line per step with
// alternating sides, the source's cadence and per-side drop, cue marks exactly on the steps
// over the limit; Ctrl-C (sent as a key to the terminal) must leave a valid recording with
// every streamed sample and the cues.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "stridelab/storage/cues_io.hpp"
#include "stridelab/storage/recording_io.hpp"
#include "support/process.hpp"

namespace stridelab::testing {
namespace {

// tmux on a private server socket, so the test never touches the user's sessions.
struct Tmux {
  std::string socket = "stridelab-live-test-" + std::to_string(::getpid());
  ProcessResult run(std::vector<std::string> args) const {
    args.insert(args.begin(), {"/usr/bin/env", "tmux", "-L", socket, "-f", "/dev/null"});
    return run_process(args, {}, 20.0);
  }
  std::string pane() const {
    return run({"capture-pane", "-p", "-J", "-t", "live", "-S", "-"}).out;
  }
  ~Tmux() { run({"kill-server"}); }
};

struct Row {
  char side;
  double cadence, drop;
  bool cue;
};

}  // namespace

TEST(LiveTerminal, StepLinesCuesAndCtrlCRecording) {
  const auto dir = fresh_dir("live_terminal");
  const std::string src = (dir / "source.h5").string(), out = (dir / "live.h5").string();
  // Left stance drops 3°, right 8°: a 5.5° limit cues every right step and no left one.
  ASSERT_EQ(run_stridelab({"simulate", "--activity", "walk", "--duration", "20", "--drop-left", "3",
                           "--drop-right", "8", "--out", src})
                .status,
            0);
  const ProcessResult analysed =
      run_stridelab({"analyze", src, "--summary-json", (dir / "s.json").string()});
  ASSERT_EQ(analysed.status, 0) << analysed.output();
  std::ifstream sj(dir / "s.json");
  const auto summary = nlohmann::json::parse(sj);
  const double cadence = summary.at("mean_cadence_spm").get<double>();
  const double drop_l = summary.at("pelvic_drop_left_deg").at("mean").get<double>();
  const double drop_r = summary.at("pelvic_drop_right_deg").at("mean").get<double>();

  ChildProcess emulator({stridelab_binary(), "emulate", src, "--tcp", "0"},
                        (dir / "emulate.err").string());
  const auto address = emulator.read_line(10.0);
  ASSERT_TRUE(address.has_value());
  Tmux tmux;
  ASSERT_EQ(tmux.run({"-V"}).status, 0) << "tmux is needed (tools/setup.sh installs it)";
  const std::string command =
      stridelab_binary() + " live tcp:" + address->substr(address->find(' ') + 1) +
      " --cue-drop 5.5 --status-every 5 --out " + out + "; echo LIVE-EXIT=$?; sleep 60";
  ASSERT_EQ(tmux.run({"new-session", "-d", "-s", "live", "-x", "160", "-y", "60", command}).status,
            0);
  EXPECT_EQ(emulator.wait(40.0), std::optional<int>(0));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_EQ(tmux.run({"send-keys", "-t", "live", "C-c"}).status, 0);
  std::string pane;
  for (int i = 0; i < 100 && pane.find("LIVE-EXIT=") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    pane = tmux.pane();
  }
  std::cout << pane;
  ASSERT_NE(pane.find("LIVE-EXIT=0"), std::string::npos) << "live did not end cleanly on Ctrl-C";

  // "[   12.05 s] R  0.543 s  110.5 spm  drop  6.8°  !! CUE drop 6.8° > 5.5"
  const std::regex line(
      R"(^\[\s*[0-9.]+ s\] ([LR?])\s+[0-9.]+ s\s+([0-9.]+) spm\s+drop\s+(\S+)°(.*)$)");
  std::vector<Row> rows;
  std::istringstream in(pane);
  for (std::string l; std::getline(in, l);) {
    std::smatch m;
    if (!std::regex_match(l, m, line)) continue;
    const std::string drop = m[3];
    rows.push_back({m[1].str()[0], std::stod(m[2]), drop == "–" ? std::nan("") : std::stod(drop),
                    m[4].str().find("!! CUE drop") != std::string::npos});
  }
  ASSERT_GE(rows.size(), 25u) << "one line per step (the source has ≈ 36)";
  std::vector<double> cadences;
  double sum[2] = {0, 0};
  int n[2] = {0, 0}, sided = 0, alternating = 0, cues = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    cadences.push_back(rows[i].cadence);
    if (rows[i].side == '?') continue;
    ++sided;
    if (i > 0 && rows[i - 1].side != '?') alternating += rows[i].side != rows[i - 1].side;
    const int k = rows[i].side == 'L' ? 0 : 1;
    if (std::isfinite(rows[i].drop)) sum[k] += rows[i].drop, ++n[k];
    // The cue mark is there exactly when the drop is over the limit (the source's sides never
    // come near it).
    EXPECT_EQ(rows[i].cue, rows[i].drop > 5.5) << "row " << i;
    EXPECT_EQ(rows[i].cue, rows[i].side == 'R') << "row " << i;
    cues += rows[i].cue;
  }
  ASSERT_GE(sided, 18);
  EXPECT_GE(alternating, sided - 2);
  std::nth_element(cadences.begin(), cadences.begin() + cadences.size() / 2, cadences.end());
  EXPECT_NEAR(cadences[cadences.size() / 2], cadence, 3.0);
  ASSERT_GT(n[0], 5);
  ASSERT_GT(n[1], 5);
  EXPECT_NEAR(sum[0] / n[0], drop_l, 1.0);
  EXPECT_NEAR(sum[1] / n[1], drop_r, 1.0);

  // The recording: every sample streamed, and the cues as shown.
  const Recording rec = storage::read_recording(out);
  const Recording source = storage::read_recording(src);
  EXPECT_EQ(rec.primary().size(), source.primary().size());
  const storage::CueLog log = storage::read_cues(out);
  EXPECT_DOUBLE_EQ(log.settings.drop_left_deg, 5.5);
  EXPECT_DOUBLE_EQ(log.settings.drop_right_deg, 5.5);
  EXPECT_EQ(static_cast<int>(log.cues.size()), cues);
  for (const Cue& c : log.cues) {
    EXPECT_EQ(c.side, Side::kRight);
    EXPECT_GT(c.value, 5.5);
  }
}

}  // namespace stridelab::testing

namespace stridelab::testing {

TEST(LiveTerminal, BadSourceOrBandIsAUsageErrorNamingIt) {
  const ProcessResult source = run_stridelab({"live", "bogus:1"});
  EXPECT_EQ(source.status, 64);
  EXPECT_NE(source.err.find("SOURCE 'bogus:1'"), std::string::npos) << source.err;
  const ProcessResult band =
      run_stridelab({"live", "tcp:127.0.0.1:9", "--cadence-band", "120:100"});
  EXPECT_EQ(band.status, 64);
  EXPECT_NE(band.err.find("--cadence-band '120:100'"), std::string::npos) << band.err;
  const ProcessResult drop = run_stridelab({"live", "tcp:127.0.0.1:9", "--cue-drop", "-2"});
  EXPECT_EQ(drop.status, 64);
  EXPECT_NE(drop.err.find("drop limit -2"), std::string::npos) << drop.err;
}

}  // namespace stridelab::testing
