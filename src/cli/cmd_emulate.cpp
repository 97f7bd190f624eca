// `stridelab emulate`: a sensor that streams a recording in the firmware protocol (or as a
// WitMotion module) over a pseudo-terminal, TCP or UDP, in real time or N× faster, with
// seeded faults. The first stdout line is where to connect ("pty: /dev/pts/7",
// "tcp: 127.0.0.1:40123"); --fault-log writes exactly which samples were lost and why.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/command.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/ingest/device_link.hpp"
#include "stridelab/ingest/fault_injection.hpp"
#include "stridelab/protocol/encoder.hpp"
#include "stridelab/storage/recording_io.hpp"

namespace stridelab::cli {
namespace {

using SteadyClock = std::chrono::steady_clock;
std::atomic<bool> g_stop{false};
extern "C" void on_stop_signal(int) {
  g_stop = true;
}

struct EmulateOptions {
  std::string recording, sensor, link, tcp, udp, faults, fault_log, device_id;
  bool pty = false, loop = false, no_wait = false;
  std::string bind = "127.0.0.1", protocol = "stridelab";
  double rate_x = 1.0, info_every_s = 1.0;
  std::size_t frame_samples = 10;
  std::uint64_t seed = 1;
};

// What the emulated device lost, frame by frame, for --fault-log.
struct LossLog {
  nlohmann::json events = nlohmann::json::array();
  std::uint64_t lost = 0;
  std::map<std::string, std::uint64_t> by_cause;
  void add(std::uint64_t first, std::uint64_t count, const std::string& cause, bool samples_lost) {
    events.push_back(
        {{"first", first}, {"count", count}, {"fault", cause}, {"lost", samples_lost}});
    if (samples_lost) {
      lost += count;
      by_cause[cause] += count;
    }
  }
};

double median_step(const std::vector<double>& t) {
  std::vector<double> d;
  for (std::size_t i = 1; i < t.size(); ++i) d.push_back(t[i] - t[i - 1]);
  std::nth_element(d.begin(), d.begin() + static_cast<long>(d.size() / 2), d.end());
  return d[d.size() / 2];
}

class Emulator {
 public:
  Emulator(const EmulateOptions& o, const ingest::FaultParams& faults, const SensorData& s,
           std::unique_ptr<ingest::DeviceLink> link)
      : o_(o), sensor_(s), link_(std::move(link)), faults_(faults), injector_(faults_) {
    device_time_ = s.device_time_s.empty() ? s.time_s : s.device_time_s;
    if (device_time_.size() < 2) throw Error("recording has fewer than 2 samples");
    const double rate =
        s.info.nominal_rate_hz > 0 ? s.info.nominal_rate_hz : 1.0 / median_step(device_time_);
    // N× faster: the device samples N× faster on a clock that runs at real speed.
    params_.rate_hz = rate * o.rate_x;
    params_.samples_per_frame = protocol::max_batch_samples(
        s.info.has_mag ? protocol::channel::kAll
                       : protocol::channel::kAcc | protocol::channel::kGyr);
    params_.with_mag = s.info.has_mag && o.protocol == "stridelab";
    if (s.info.acc_range_ms2 > 0) params_.acc_range_g = s.info.acc_range_ms2 / kGravity;
    if (s.info.gyr_range_rads > 0) params_.gyr_range_dps = s.info.gyr_range_rads * 180 / M_PI;
    params_.device_id = !o.device_id.empty()        ? o.device_id
                        : !s.info.device_id.empty() ? s.info.device_id
                                                    : "EMU-" + s.info.name;
    params_.placement = s.info.placement;
    if (o.protocol == "stridelab") {
      stridelab_ = std::make_unique<protocol::StridelabEncoder>(params_);
    } else {
      other_ = protocol::make_encoder(o.protocol, params_);
    }
    period_s_ = 1.0 / rate;
    pass_length_s_ = device_time_.back() - device_time_.front() + period_s_;
  }

  void run() {
    if (!o_.no_wait) wait_for_reader();
    start_ = SteadyClock::now();
    next_disconnect_s_ = faults_.disconnect_every_s;
    next_info_s_ = o_.info_every_s;
    std::vector<std::uint8_t> bytes;
    encoder().begin(bytes);
    send_raw(bytes);
    for (std::uint64_t pass = 0; !g_stop; ++pass) {
      for (std::size_t i = 0; i < device_time_.size() && !g_stop; ++i) {
        const double t =
            (device_time_[i] - device_time_.front() + pass_length_s_ * pass) / o_.rate_x;
        pace(t);
        ImuSample x = sensor_.sample(i);
        x.time_s = device_time_.front() / o_.rate_x + t;  // device clock
        push(x, pass * device_time_.size() + i);
      }
      if (!o_.loop) break;
    }
    close_frame();
    link_->drain(5.0);  // what is still in the link when the master closes is lost
  }

  void report(std::ostream& err) const {
    err << fmt::format("emulate: {} samples, {} frames sent, {} samples lost", generated_,
                       frames_sent_, log_.lost);
    for (const auto& [cause, n] : log_.by_cause) err << fmt::format(" ({} {})", n, cause);
    err << "\n";
  }

  void write_log(const std::string& path) const {
    nlohmann::json j;
    j["protocol"] = o_.protocol;
    j["rate_hz"] = params_.rate_hz;
    j["rate_x"] = o_.rate_x;
    j["device_id"] = params_.device_id;
    j["seed"] = faults_.seed;
    j["samples"] = generated_;
    j["source_samples"] = device_time_.size();
    j["lost"] = log_.lost;
    j["events"] = log_.events;
    std::ofstream(path) << j.dump(1) << "\n";
  }

 private:
  protocol::Encoder& encoder() { return stridelab_ ? *stridelab_ : *other_; }
  double elapsed_s() const {
    return std::chrono::duration<double>(SteadyClock::now() - start_).count();
  }

  void wait_for_reader() {
    while (!g_stop && !link_->reader_present())
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  // Sleeps until stream time t, doing the link's chores (disconnect faults, replug,
  // periodic device info) on the way.
  void pace(double t) {
    for (;;) {
      const double now = elapsed_s();
      if (faults_.disconnect_every_s > 0 && up_ && now >= next_disconnect_s_) {
        close_frame();
        link_->drain(0.2);  // the cut falls between frames: what was sent arrives
        link_->unplug();
        up_ = false;
        replug_at_s_ = now + faults_.down_s;
        std::cerr << fmt::format("emulate: unplugged at {:.3f} s\n", now);
      }
      if (!up_ && now >= replug_at_s_ && !plugged_) {
        link_->plug();
        plugged_ = true;
        std::cerr << fmt::format("emulate: plugged in again at {:.3f} s as {}\n", now,
                                 link_->address());
      }
      if (!up_ && plugged_ && (o_.no_wait || link_->reader_present())) {
        up_ = true;
        plugged_ = false;
        next_disconnect_s_ = now + faults_.disconnect_every_s;
        send_info(t);
      }
      if (up_ && stridelab_ && now >= next_info_s_) {
        next_info_s_ = now + o_.info_every_s;
        send_info(t);
      }
      if (now >= t || g_stop) return;
      std::this_thread::sleep_for(std::chrono::duration<double>(std::min(t - now, 0.02)));
    }
  }

  void send_info(double stream_t) {
    if (!stridelab_) return;
    std::vector<std::uint8_t> bytes;
    const double device_s = device_time_.front() / o_.rate_x + stream_t;
    stridelab_->send(stridelab_->device_info(false),
                     static_cast<std::uint32_t>(static_cast<std::uint64_t>(device_s * 1e6)), bytes);
    send_raw(bytes);
  }

  void send_raw(const std::vector<std::uint8_t>& bytes) {
    if (up_ && !bytes.empty()) link_->write(bytes, 0.5);
  }

  // Adds one sample; frames close every frame_samples samples and before a time jump.
  void push(const ImuSample& x, std::uint64_t index) {
    ++generated_;
    std::vector<std::uint8_t> bytes;
    if (!stridelab_) {  // WitMotion: every sample is its own frame(s)
      other_->push(x, bytes);
      emit(bytes, index, 1);
      return;
    }
    if (frame_count_ > 0 &&
        std::abs(x.time_s - last_time_ - period_s_ / o_.rate_x) > 0.5 * period_s_ / o_.rate_x)
      close_frame();
    if (frame_count_ == 0) frame_first_ = index;
    stridelab_->push(x, bytes);
    ++frame_count_;
    last_time_ = x.time_s;
    if (frame_count_ >= o_.frame_samples) close_frame();
  }

  void close_frame() {
    if (!stridelab_ || frame_count_ == 0) return;
    std::vector<std::uint8_t> bytes;
    stridelab_->flush(bytes);
    emit(bytes, frame_first_, frame_count_);
    frame_count_ = 0;
  }

  // Sends one frame through the faults and the link, and logs what the receiver loses: what
  // a byte fault costs depends on the framing (CRC and 0x00 delimiters for stridelab, a SUM
  // for WitMotion serial, nothing at all for WitMotion BLE).
  void emit(std::vector<std::uint8_t>& frame, std::uint64_t first, std::uint64_t count) {
    if (next_frame_hit_) {  // the previous frame's damage reaches into this one
      log_.add(first, count, next_frame_hit_cause_, true);
      next_frame_hit_ = false;
    }
    if (!up_) {
      log_.add(first, count, "disconnect", true);
      return;
    }
    const auto outcome = injector_.apply(frame);
    if (outcome.dropped) return log_.add(first, count, "drop", true);
    const bool ble = o_.protocol == "witmotion-ble", serial = o_.protocol == "witmotion";
    if (outcome.corrupted > 0) log_.add(first, count, ble ? "corrupt-undetected" : "corrupt", !ble);
    if (outcome.garbage_before && outcome.corrupted == 0) {
      if (o_.protocol == "stridelab" && !outcome.garbage_ends_with_zero)
        log_.add(first, count, "noise", true);
      if (ble && have_previous_)  // the frame before is accepted only if a header follows it
        log_.add(previous_first_, previous_count_, "noise-prev", true);
      if (serial) log_.add(first, count, "noise-harmless", false);
    }
    if (outcome.last_byte_hit && o_.protocol == "stridelab") {
      next_frame_hit_ = true;
      next_frame_hit_cause_ = "corrupt-next";
    }
    have_previous_ = true;
    previous_first_ = first;
    previous_count_ = count;
    if (!link_->write(frame, 0.5)) {
      if (outcome.intact()) log_.add(first, count, "write", true);
      next_frame_hit_ = true;  // a partial frame spoils the one after it
      next_frame_hit_cause_ = "write-next";
      return;
    }
    ++frames_sent_;
  }

  const EmulateOptions& o_;
  const SensorData& sensor_;
  std::unique_ptr<ingest::DeviceLink> link_;
  ingest::FaultParams faults_;
  ingest::FaultInjector injector_;
  protocol::EncoderParams params_;
  std::unique_ptr<protocol::StridelabEncoder> stridelab_;
  std::unique_ptr<protocol::Encoder> other_;
  std::vector<double> device_time_;
  double period_s_ = 0, pass_length_s_ = 0;
  SteadyClock::time_point start_;
  bool up_ = true, plugged_ = false;
  double next_disconnect_s_ = 0, replug_at_s_ = 0, next_info_s_ = 0;
  std::uint64_t frame_first_ = 0, frame_count_ = 0, generated_ = 0, frames_sent_ = 0;
  double last_time_ = 0;
  bool next_frame_hit_ = false;
  bool have_previous_ = false;
  std::uint64_t previous_first_ = 0, previous_count_ = 0;
  std::string next_frame_hit_cause_;
  LossLog log_;
};

unsigned short parse_port(const std::string& text, const char* option) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() || value > 65535)
    throw Exit{kExitUsage, std::string("emulate: bad port for ") + option + ": '" + text + "'"};
  return static_cast<unsigned short>(value);
}

void run_emulate(const EmulateOptions& o) {
  const int transports = int(o.pty) + int(!o.tcp.empty()) + int(!o.udp.empty());
  if (transports != 1) throw Exit{kExitUsage, "emulate: give exactly one of --pty, --tcp, --udp"};
  if (!(o.rate_x > 0)) throw Exit{kExitUsage, "emulate: --rate-x must be > 0"};
  if (o.frame_samples < 1 || o.frame_samples > 82)
    throw Exit{kExitUsage, "emulate: --frame-samples must be 1..82"};
  const auto protocols = protocol::encoder_protocols();
  if (std::find(protocols.begin(), protocols.end(), o.protocol) == protocols.end())
    throw Exit{kExitUsage, "emulate: unknown --protocol '" + o.protocol + "'"};

  unsigned short port = 0;
  std::string udp_host;
  if (!o.tcp.empty()) port = parse_port(o.tcp, "--tcp");
  if (!o.udp.empty()) {
    const auto colon = o.udp.rfind(':');
    if (colon == std::string::npos) throw Exit{kExitUsage, "emulate: --udp needs HOST:PORT"};
    udp_host = o.udp.substr(0, colon);
    port = parse_port(o.udp.substr(colon + 1), "--udp");
  }
  ingest::FaultParams faults;
  try {
    faults = ingest::parse_faults(o.faults, o.seed);
  } catch (const Error& e) {
    throw Exit{kExitUsage, std::string("emulate: ") + e.what()};
  }

  const Recording rec = storage::read_recording(o.recording);
  const SensorData* sensor = &rec.primary();
  if (!o.sensor.empty()) {
    auto it = std::find_if(rec.sensors.begin(), rec.sensors.end(),
                           [&](const SensorData& s) { return s.info.name == o.sensor; });
    if (it == rec.sensors.end()) throw Error(o.recording + ": no sensor called '" + o.sensor + "'");
    sensor = &*it;
  }

  std::unique_ptr<ingest::DeviceLink> link;
  if (o.pty) {
    link = ingest::make_pty_link(o.link);
  } else if (!o.tcp.empty()) {
    link = ingest::make_tcp_link(o.bind, port);
  } else {
    link = ingest::make_udp_link(udp_host, port);
  }
  std::cout << link->address() << std::endl;  // first line: where to connect

  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  std::signal(SIGPIPE, SIG_IGN);
  Emulator emulator(o, faults, *sensor, std::move(link));
  emulator.run();
  emulator.report(std::cerr);
  if (!o.fault_log.empty()) emulator.write_log(o.fault_log);
}

void register_emulate(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "emulate", "Stream a recording as a live sensor over a pty, TCP or UDP (with faults)");
  auto o = std::make_shared<EmulateOptions>();
  cmd->add_option("recording", o->recording, "Recording to stream (.h5 or .csv)")->required();
  cmd->add_flag("--pty", o->pty, "Create a pseudo-terminal pair; prints 'pty: /dev/pts/N'");
  cmd->add_option("--link", o->link, "With --pty: keep this symlink pointing at the slave");
  cmd->add_option("--tcp", o->tcp, "Listen on this TCP port (0 = any; prints 'tcp: ADDR:PORT')");
  cmd->add_option("--bind", o->bind, "Address for --tcp")->capture_default_str();
  cmd->add_option("--udp", o->udp, "Send datagrams to HOST:PORT");
  cmd->add_option("--protocol", o->protocol, "stridelab, witmotion or witmotion-ble")
      ->capture_default_str();
  cmd->add_option("--rate-x", o->rate_x, "Stream N times faster (the device samples N× faster)")
      ->capture_default_str();
  cmd->add_flag("--loop", o->loop, "Start over at the end (device time keeps running)");
  cmd->add_option("--faults", o->faults,
                  "e.g. drop=0.01,corrupt=0.001,noise=0.001,disconnect=10s,down=1s");
  cmd->add_option("--seed", o->seed, "Seed of the fault injection")->capture_default_str();
  cmd->add_option("--fault-log", o->fault_log, "Write the lost samples and their causes (JSON)");
  cmd->add_option("--sensor", o->sensor, "Sensor of the recording to stream (default: primary)");
  cmd->add_option("--device-id", o->device_id, "Device id sent in DEVICE_INFO");
  cmd->add_option("--frame-samples", o->frame_samples, "Samples per IMU_BATCH frame")
      ->capture_default_str();
  cmd->add_option("--info-every", o->info_every_s, "DEVICE_INFO period, s")->capture_default_str();
  cmd->add_flag("--no-wait", o->no_wait,
                "Start streaming at once instead of when a reader connects (pty, TCP)");
  cmd->callback([o] { run_emulate(*o); });
}

}  // namespace
STRIDELAB_COMMAND("emulate", register_emulate);
}  // namespace stridelab::cli
