// `stridelab record`: records one or more live sensors into the HDF5 recording format while
// they stream. The file is written crash-safe as it goes (storage::RecordingWriter), link
// statistics are shown live, and SIGINT/SIGTERM or --duration end it cleanly.
//
// Per-sensor options (--protocol, --name, --placement, --witmotion-rate, --set-rate,
// --ble-timeout) given after a source apply to that source; given before the first source they
// are defaults for all.
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/command.hpp"
#include "cli/recorder.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/core/version.hpp"
#include "stridelab/ingest/ingest_session.hpp"
#include "stridelab/protocol/movesense.hpp"
#include "stridelab/protocol/witmotion.hpp"
#include "stridelab/storage/recording_writer.hpp"

namespace stridelab::cli {
namespace {

std::atomic<bool> g_stop{false};
extern "C" void on_record_signal(int) {
  g_stop = true;
}

struct RecordOptions {
  std::vector<std::string> serial, tcp, udp, ble, protocol, name, placement;
  std::vector<double> witmotion_rate, ble_timeout, set_rate;
  std::string out, subject, notes, stats_json;
  double duration_s = 0.0;
  double status_every_s = 0.0;  // 0: 0.5 s on a terminal, 5 s otherwise
};

// Sources and their per-sensor settings, in command-line order.
std::vector<ingest::SourceConfig> sources_in_order(const CLI::App& cmd) {
  std::vector<ingest::SourceConfig> sources;
  ingest::SourceConfig defaults;
  bool protocol_given = false;
  bool defaults_rate_given = false;
  std::vector<bool> rate_given;  // per source: --set-rate seen
  std::map<const CLI::Option*, std::size_t> used;
  for (const CLI::Option* opt : cmd.parse_order()) {
    const std::string value = opt->results().at(used[opt]++);
    const std::string flag = opt->get_name();
    ingest::SourceConfig& target = sources.empty() ? defaults : sources.back();
    try {
      if (flag == "--serial" || flag == "--tcp" || flag == "--udp" || flag == "--ble") {
        ingest::SourceConfig c = flag == "--serial" ? ingest::serial_source(value)
                                 : flag == "--tcp"  ? ingest::tcp_source(value)
                                 : flag == "--udp"  ? ingest::udp_source(value)
                                                    : ingest::ble_source(value);
        // A BLE source speaks WitMotion BLE unless --protocol said otherwise.
        if (flag != "--ble" || protocol_given) c.protocol = defaults.protocol;
        c.connect_timeout_s = defaults.connect_timeout_s;
        if (flag == "--ble") c.ble_writes = defaults.ble_writes;
        rate_given.push_back(defaults_rate_given);
        c.decoder = defaults.decoder;
        c.placement = defaults.placement;
        c.placement_given = defaults.placement_given;
        sources.push_back(c);
      } else if (flag == "--protocol") {
        target.protocol = value;
        if (sources.empty()) protocol_given = true;
      } else if (flag == "--name") {
        if (sources.empty()) throw Error("--name must follow the source it names");
        target.name = value;
      } else if (flag == "--placement") {
        target.placement = placement_from_string(value);
        target.placement_given = true;
      } else if (flag == "--witmotion-rate") {
        target.decoder.nominal_rate_hz = std::stod(value);
      } else if (flag == "--set-rate") {
        const double rate = std::stod(value);
        target.ble_writes.clear();
        // A Movesense takes its rate in the subscription (below); WitMotion in registers.
        if (target.protocol != "movesense")
          for (const auto& command : protocol::witmotion_set_rate_commands(rate))
            target.ble_writes.emplace_back(command.begin(), command.end());
        target.decoder.nominal_rate_hz = rate;
        if (sources.empty())
          defaults_rate_given = true;
        else
          rate_given.back() = true;
      } else if (flag == "--ble-timeout") {
        target.connect_timeout_s = std::stod(value);
        if (!(target.connect_timeout_s > 0)) throw Error("must be > 0");
      }
    } catch (const Error& e) {
      throw Exit{kExitUsage, "record: " + flag + " " + value + ": " + e.what()};
    } catch (const std::exception&) {
      throw Exit{kExitUsage, "record: bad value for " + flag + ": '" + value + "'"};
    }
  }
  for (std::size_t i = 0; i < sources.size(); ++i) {
    ingest::SourceConfig& c = sources[i];
    if (c.protocol != "movesense") continue;
    // A Movesense streams at the rate its subscription names: --set-rate, else 104 Hz.
    c.ble_writes.clear();
    if (!rate_given[i]) c.decoder.nominal_rate_hz = protocol::movesense::kDefaultRateHz;
    try {
      protocol::check_movesense_rate(c.decoder.nominal_rate_hz);
    } catch (const Error& e) {
      throw Exit{kExitUsage, "record: --set-rate for " + c.describe() + ": " + e.what()};
    }
    if (c.kind != ingest::TransportKind::kBle)
      throw Exit{kExitUsage,
                 "record: movesense is a Bluetooth LE protocol (--ble), not " + c.describe()};
  }
  for (const auto& c : sources)
    if (!c.ble_writes.empty() &&
        (c.kind != ingest::TransportKind::kBle || c.protocol != "witmotion-ble"))
      throw Exit{kExitUsage,
                 "record: --set-rate is for WitMotion BLE and Movesense sources (--ble), not " +
                     c.describe() + " (" + c.protocol + ")"};
  return sources;
}

void write_stats_json(const std::string& path, const std::vector<ingest::LinkStats>& stats) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& s : stats)
    j.push_back({{"sensor", s.sensor},
                 {"source", s.source},
                 {"protocol", s.protocol},
                 {"device_id", s.device_id},
                 {"bytes", s.bytes},
                 {"frames", s.frames},
                 {"frames_rejected", s.frames_rejected},
                 {"crc_failures", s.crc_failures},
                 {"bytes_skipped", s.bytes_skipped},
                 {"missing_frames", s.missing_frames},
                 {"samples", s.samples},
                 {"sequence_gaps", s.sequence_gaps},
                 {"missing_samples", s.missing_samples},
                 {"connects", s.connects},
                 {"reconnects", s.reconnects},
                 {"disconnects", s.disconnects},
                 {"connect_failures", s.connect_failures},
                 {"device_restarts", s.device_restarts},
                 {"stale_samples", s.stale_samples},
                 {"queue_overflows", s.queue_overflows},
                 {"rate_hz", s.rate_hz},
                 {"latency_ms", s.latency_ms},
                 {"jitter_ms", s.jitter_ms},
                 {"clock_skew_ppm", s.clock_skew_ppm},
                 {"rssi_dbm", s.has_rssi ? nlohmann::json(s.rssi_dbm) : nlohmann::json()}});
  std::ofstream out(path);
  out << j.dump(1) << "\n";
  if (!out) throw Error(path + ": cannot write");
}

void run_record(const RecordOptions& o, const CLI::App& cmd) {
  std::vector<ingest::SourceConfig> sources = sources_in_order(cmd);
  if (sources.empty())
    throw Exit{kExitUsage, "record: give at least one --serial, --tcp, --udp or --ble"};
  if (o.duration_s < 0) throw Exit{kExitUsage, "record: --duration must be >= 0"};

  Recorder recorder;
  ingest::IngestSession session(recorder);
  std::string source_text;
  for (const auto& c : sources) {
    try {
      session.add_source(c);
    } catch (const Error& e) {
      throw Exit{kExitUsage, std::string("record: ") + e.what()};
    }
    source_text += (source_text.empty() ? "" : "; ") + c.describe() + " (" + c.protocol + ")";
  }
  Recording meta;
  meta.subject_id = o.subject;
  meta.notes = o.notes;
  meta.start_time_iso = iso_utc(session.start_wall_time());
  meta.tool_version = std::string(version());
  meta.source = "stridelab record: " + source_text;
  recorder.prepare(o.out, meta, session.sensor_infos());

  std::signal(SIGINT, on_record_signal);
  std::signal(SIGTERM, on_record_signal);
  const bool tty = ::isatty(STDERR_FILENO);
  const double status_every = o.status_every_s > 0 ? o.status_every_s : (tty ? 0.5 : 5.0);
  session.start();
  double next_status = status_every;
  bool line_open = false;
  std::exception_ptr sink_error;
  while (!g_stop) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const double now = session.now_s();
    if (o.duration_s > 0 && now >= o.duration_s) break;
    if ((sink_error = session.sink_error())) break;
    for (const std::string& n : recorder.take_notes()) {
      std::cerr << (line_open ? "\r\033[K" : "") << "record: " << n << "\n";
      line_open = false;
    }
    if (now >= next_status) {
      next_status = now + status_every;
      std::string line = fmt::format("{:7.1f} s", now);
      for (const auto& s : session.stats()) line += "  |  " + ingest::format_link_stats(s);
      if (tty) {
        std::cerr << "\r\033[K" << line << std::flush;
        line_open = true;
      } else {
        std::cerr << line << "\n";
      }
    }
  }
  if (line_open) std::cerr << "\n";
  session.stop();
  for (const std::string& n : recorder.take_notes()) std::cerr << "record: " << n << "\n";
  if (!sink_error) sink_error = session.sink_error();
  if (sink_error) std::rethrow_exception(sink_error);
  const auto stats = session.stats();
  if (!o.stats_json.empty()) write_stats_json(o.stats_json, stats);
  if (!recorder.finish()) throw Exit{kExitError, "record: no data received from any sensor"};
  std::cout << fmt::format("wrote {}: {} samples, {} gaps\n", o.out, recorder.samples_received(),
                           recorder.gaps());
  for (std::size_t i = 0; i < stats.size(); ++i) {
    std::cout << "  " << ingest::format_link_stats(stats[i]) << "\n";
    if (!recorder.sensor_has_data(i))
      std::cerr << "record: warning: no data from " << stats[i].sensor << " (" << stats[i].source
                << ")\n";
  }
}

void register_record(CLI::App& app) {
  auto* cmd = app.add_subcommand("record", "Record live sensors into an HDF5 recording");
  auto o = std::make_shared<RecordOptions>();
  cmd->add_option("--serial", o->serial, "Serial device DEV[:BAUD] (raw 8N1; repeatable)");
  cmd->add_option("--tcp", o->tcp, "TCP bridge HOST:PORT (repeatable)");
  cmd->add_option("--udp", o->udp, "UDP listener [ADDR:]PORT, default address 127.0.0.1");
  cmd->add_option("--ble", o->ble,
                  "Bluetooth LE sensor ADDRESS or NAME via BlueZ (`stridelab scan`; repeatable)");
  cmd->add_option("--protocol", o->protocol,
                  "stridelab, witmotion, witmotion-ble (default for --ble) or movesense");
  cmd->add_option("--name", o->name, "Sensor name in the recording (after its source)");
  cmd->add_option("--placement", o->placement, "pelvis, upper_trunk or other");
  cmd->add_option("--witmotion-rate", o->witmotion_rate,
                  "Output rate the WitMotion module was set to, Hz (default 100)");
  cmd->add_option("--set-rate", o->set_rate,
                  "WitMotion BLE: write this output rate to the module on connecting, Hz "
                  "(unlock, RRATE, save) and decode at it; Movesense: subscribe at this "
                  "rate (13..1666, default 104)");
  cmd->add_option("--ble-timeout", o->ble_timeout,
                  "BLE: seconds a device may take to connect before a retry (default 10)");
  cmd->add_option("--out", o->out, "Recording to write (.h5)")->required();
  cmd->add_option("--duration", o->duration_s, "Stop after this many seconds (0 = until Ctrl-C)");
  cmd->add_option("--subject", o->subject, "Subject id stored in the file");
  cmd->add_option("--notes", o->notes, "Notes stored in the file");
  cmd->add_option("--stats-json", o->stats_json, "Write the final link statistics (JSON)");
  cmd->add_option("--status-every", o->status_every_s,
                  "Status line period, s (default 0.5 on a terminal, 5 otherwise)");
  cmd->callback([o, cmd] { run_record(*o, *cmd); });
}

}  // namespace
STRIDELAB_COMMAND("record", register_record);
}  // namespace stridelab::cli
