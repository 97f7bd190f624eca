// `stridelab live`: the live analysis in a terminal, for a laptop or a small board without a
// screen. One line per step as soon as its stance is over (the provisional row: side, step
// time, cadence, pelvic drop, running contact time) with a cue mark when it is over a limit,
// running means and the link state every few seconds; with --out the samples are recorded as
// `record` does (SIGINT/SIGTERM end it cleanly) and the cue settings and cues are added.
#include <fmt/format.h>
#include <unistd.h>

#include <pthread.h>

#include <csignal>
#include <iostream>
#include <mutex>

#include "cli/command.hpp"
#include "cli/recorder.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/core/version.hpp"
#include "stridelab/ingest/ingest_session.hpp"
#include "stridelab/pipeline/live_analysis.hpp"
#include "stridelab/storage/cues_io.hpp"

namespace stridelab::cli {
namespace {

struct LiveOptions {
  std::string source, protocol, out;
  double witmotion_rate = 0.0;
  double cue_drop = kNotMeasured, cue_drop_left = kNotMeasured, cue_drop_right = kNotMeasured;
  std::string cadence_band;
  double duration_s = 0.0;
  double status_every_s = 5.0;
};

// One step as a terminal line: "[  12.35 s] L  0.552 s  108.7 spm  drop  4.8°  ..."
std::string step_line(const dsp::ProvisionalStep& r, const std::vector<Cue>& cues) {
  const Step& s = r.step;
  auto num = [](double v, const char* f) {
    return std::isfinite(v) ? fmt::format(fmt::runtime(f), v) : std::string("–");
  };
  const std::string side = s.side == Side::kUnknown ? "?" : to_string(s.side);
  std::string line = fmt::format("[{:8.2f} s] {}  {} s  {} spm  drop {}°", s.time_s, side,
                                 num(s.step_time_s, "{:.3f}"), num(s.cadence_spm, "{:5.1f}"),
                                 num(s.pelvic_drop_deg, "{:4.1f}"));
  if (r.running) line += "  contact " + num(s.contact_time_s, "{:.3f}") + " s";
  if (s.flags) line += "  (" + flags_to_string(s.flags) + ")";
  for (const Cue& c : cues) {
    const bool drop = c.kind == CueKind::kDrop;
    line += fmt::format("  !! CUE {} {:.1f}{} {} {:.1f}", drop ? "drop" : "cadence", c.value,
                        drop ? "°" : " spm", c.kind == CueKind::kCadenceLow ? "<" : ">", c.limit);
  }
  return line;
}

// Records every sensor (when recording) and analyses the first one, printing as it goes.
class LiveSink final : public ingest::SampleSink {
 public:
  LiveSink(Recorder* recorder, const CueSettings& cues) : recorder_(recorder), analysis_(cues) {}

  void on_sensor_info(std::size_t sensor, const SensorInfo& info) override {
    if (recorder_) recorder_->on_sensor_info(sensor, info);
    if (sensor == 0) analysis_.set_info(info);
  }
  void on_samples(std::size_t sensor, std::span<const ingest::TimedSample> samples) override {
    if (recorder_) recorder_->on_samples(sensor, samples);
    if (sensor != 0) return;
    scratch_.clear();
    for (const auto& t : samples) scratch_.push_back(t.sample);
    try {
      analysis_.update(scratch_);
    } catch (const Error& e) {
      analysis_.restart();
      print(std::string("# analysis restarted: ") + e.what());
    }
    rows_.clear();
    cues_.clear();
    steps_.clear();
    analysis_.take(rows_, steps_, cues_);
    for (const auto& r : rows_) {
      std::vector<Cue> mine;
      for (const Cue& c : cues_)
        if (c.time_s == r.step.time_s) mine.push_back(c);
      add_to_means(r.step);
      print(step_line(r, mine));
    }
    std::lock_guard lock(mutex_);
    all_cues_.insert(all_cues_.end(), cues_.begin(), cues_.end());
  }
  void on_gap(std::size_t sensor, const Gap& gap) override {
    if (recorder_) recorder_->on_gap(sensor, gap);
  }
  void on_link_event(std::size_t sensor, const std::string& message) override {
    if (recorder_) recorder_->on_link_event(sensor, message);
    print("# link: " + message);
  }
  void on_idle() override {
    if (recorder_) recorder_->on_idle();
  }

  void print(const std::string& line) {
    std::lock_guard lock(mutex_);
    std::cout << line << "\n" << std::flush;
  }
  // "steps, mean cadence, mean drop L/R, cued L/R, share within the limits"
  std::string means() {
    std::lock_guard lock(mutex_);
    auto mean = [](double sum, int n) { return n ? fmt::format("{:.1f}", sum / n) : "–"; };
    const int judged = n_side_[0] + n_side_[1];
    const int cued = cued_[0] + cued_[1];
    return fmt::format("{} steps  cadence {} spm  drop L {}° R {}°  cued L {} R {}  within {}",
                       steps_n_, mean(cadence_sum_, cadence_n_), mean(drop_sum_[0], drop_n_[0]),
                       mean(drop_sum_[1], drop_n_[1]), cued_[0], cued_[1],
                       judged ? fmt::format("{:.0f} %", 100.0 * (judged - cued) / judged) : "–");
  }
  std::vector<Cue> cues() {
    std::lock_guard lock(mutex_);
    return all_cues_;
  }

 private:
  void add_to_means(const Step& s) {
    std::lock_guard lock(mutex_);
    ++steps_n_;
    if (s.flags & (kFlagTurn | kFlagGap)) return;
    if (std::isfinite(s.cadence_spm)) cadence_sum_ += s.cadence_spm, ++cadence_n_;
    if (s.side == Side::kUnknown) return;
    const int k = s.side == Side::kLeft ? 0 : 1;
    ++n_side_[k];
    if (std::isfinite(s.pelvic_drop_deg)) drop_sum_[k] += s.pelvic_drop_deg, ++drop_n_[k];
    for (const Cue& c : cues_)
      if (c.time_s == s.time_s) {
        ++cued_[k];
        break;
      }
  }

  Recorder* recorder_;
  pipeline::LiveAnalysis analysis_;
  std::vector<ImuSample> scratch_;
  std::vector<dsp::ProvisionalStep> rows_;
  std::vector<Step> steps_;
  std::vector<Cue> cues_;
  std::mutex mutex_;  // stdout and everything below
  std::vector<Cue> all_cues_;
  int steps_n_ = 0, cadence_n_ = 0, n_side_[2] = {0, 0}, drop_n_[2] = {0, 0}, cued_[2] = {0, 0};
  double cadence_sum_ = 0.0, drop_sum_[2] = {0.0, 0.0};
};

CueSettings cue_settings(const LiveOptions& o) {
  CueSettings c;
  c.drop_left_deg = std::isfinite(o.cue_drop_left) ? o.cue_drop_left : o.cue_drop;
  c.drop_right_deg = std::isfinite(o.cue_drop_right) ? o.cue_drop_right : o.cue_drop;
  for (double v : {c.drop_left_deg, c.drop_right_deg})
    if (std::isfinite(v) && !(v > 0 && v < 45))
      throw Exit{kExitUsage, fmt::format("live: drop limit {} deg: must be in (0, 45)", v)};
  if (!o.cadence_band.empty()) {
    const std::string& b = o.cadence_band;
    const auto colon = b.find(':');
    try {
      if (b.front() == '+' && b.back() == '%') {  // +x % of the first minute's cadence
        c.cadence_change_pct = std::stod(b.substr(1, b.size() - 2));
      } else if (colon != std::string::npos) {
        std::size_t n1 = 0, n2 = 0;
        c.cadence_low_spm = std::stod(b.substr(0, colon), &n1);
        c.cadence_high_spm = std::stod(b.substr(colon + 1), &n2);
        if (n1 != colon || n2 != b.size() - colon - 1) throw std::invalid_argument("trailing");
        if (!(c.cadence_low_spm > 0 && c.cadence_low_spm < c.cadence_high_spm))
          throw std::invalid_argument("order");
      } else {
        throw std::invalid_argument("form");
      }
    } catch (const std::exception&) {
      throw Exit{kExitUsage, "live: --cadence-band '" + b +
                                 "': give LO:HI in steps/min (LO < HI) or +X% of the baseline"};
    }
  }
  return c;
}

// SOURCE: "serial:DEV[:BAUD]" (or a bare /dev/... path), "tcp:HOST:PORT", "udp:[ADDR:]PORT" or
// "ble:ADDRESS|NAME"; each part is read as `record` reads --serial, --tcp, --udp and --ble.
ingest::SourceConfig live_source(const LiveOptions& o) {
  const std::string& s = o.source;
  const auto colon = s.find(':');
  const std::string kind = s.rfind("/dev/", 0) == 0 ? "serial" : s.substr(0, colon);
  const std::string rest = s.rfind("/dev/", 0) == 0 ? s : s.substr(colon + 1);
  ingest::SourceConfig c;
  try {
    if (kind == "serial")
      c = ingest::serial_source(rest);
    else if (kind == "tcp")
      c = ingest::tcp_source(rest);
    else if (kind == "udp")
      c = ingest::udp_source(rest);
    else if (kind == "ble")
      c = ingest::ble_source(rest);
    else
      throw Error("'" + s + "': give serial:DEV, tcp:HOST:PORT, udp:[ADDR:]PORT or ble:NAME");
  } catch (const Error& e) {
    throw Exit{kExitUsage, std::string("live: SOURCE ") + e.what()};
  }
  if (!o.protocol.empty()) c.protocol = o.protocol;
  if (o.witmotion_rate > 0) c.decoder.nominal_rate_hz = o.witmotion_rate;
  return c;
}

void run_live(const LiveOptions& o) {
  const CueSettings cues = cue_settings(o);
  const ingest::SourceConfig source = live_source(o);
  if (o.duration_s < 0) throw Exit{kExitUsage, "live: --duration must be >= 0"};
  // SIGINT/SIGTERM are blocked in every thread (threads started later inherit the mask) and taken by
  // the loop below, which also paces it: no handler, nothing async-signal-unsafe.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  Recorder recorder;
  LiveSink sink(o.out.empty() ? nullptr : &recorder, cues);
  ingest::IngestSession session(sink);
  try {
    session.add_source(source);
  } catch (const Error& e) {
    throw Exit{kExitUsage, std::string("live: ") + e.what()};
  }
  if (!o.out.empty()) {
    Recording meta;
    meta.start_time_iso = iso_utc(session.start_wall_time());
    meta.tool_version = std::string(version());
    meta.source = "stridelab live: " + source.describe() + " (" + source.protocol + ")";
    recorder.prepare(o.out, meta, session.sensor_infos());
  }
  sink.print(fmt::format("# live: {} ({}){}", source.describe(), source.protocol,
                         o.out.empty() ? "" : ", recording to " + o.out));
  session.start();
  double next_status = o.status_every_s;
  std::exception_ptr sink_error;
  const timespec tick{0, 50'000'000};
  while (sigtimedwait(&stop_signals, nullptr, &tick) < 0) {
    const double now = session.now_s();
    if (o.duration_s > 0 && now >= o.duration_s) break;
    if ((sink_error = session.sink_error())) break;
    if (now < next_status) continue;
    next_status = now + o.status_every_s;
    std::string line = fmt::format("# {:.0f} s: {}", now, sink.means());
    for (const auto& s : session.stats()) line += "  |  " + ingest::format_link_stats(s);
    sink.print(line);
  }
  session.stop();
  if (!sink_error) sink_error = session.sink_error();
  if (sink_error) std::rethrow_exception(sink_error);
  sink.print("# end: " + sink.means());
  if (o.out.empty()) return;
  if (!recorder.finish()) throw Exit{kExitError, "live: no data received; nothing recorded"};
  const std::vector<Cue> given = sink.cues();
  storage::write_cues(o.out, {cues, given});
  sink.print(fmt::format("# wrote {}: {} samples, {} gaps, {} cues", o.out,
                         recorder.samples_received(), recorder.gaps(), given.size()));
}

void register_live(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("live", "Per-step rows and cues from a live sensor, in a terminal");
  auto o = std::make_shared<LiveOptions>();
  cmd->add_option("source", o->source,
                  "serial:DEV[:BAUD] (or /dev/...), tcp:HOST:PORT, udp:[ADDR:]PORT or "
                  "ble:ADDRESS|NAME, read as `record` reads --serial, --tcp, --udp, --ble")
      ->required();
  cmd->add_option("--protocol", o->protocol, "Wire protocol, as for `record` (default stridelab)");
  cmd->add_option("--witmotion-rate", o->witmotion_rate, "WitMotion output rate, Hz (100)");
  cmd->add_option("--cue-drop", o->cue_drop,
                  "Cue steps whose pelvic drop exceeds DEG (both sides)");
  cmd->add_option("--cue-drop-left", o->cue_drop_left, "Drop limit for left stance, deg");
  cmd->add_option("--cue-drop-right", o->cue_drop_right, "Drop limit for right stance, deg");
  cmd->add_option("--cadence-band", o->cadence_band,
                  "Cue steps outside LO:HI steps/min, or outside +X% of the first minute's "
                  "cadence (± 3 %)");
  cmd->add_option("--out", o->out, "Record to this HDF5 file (with the cues)");
  cmd->add_option("--duration", o->duration_s, "Stop after this many seconds (0 = until Ctrl-C)");
  cmd->add_option("--status-every", o->status_every_s, "Running means every this many s (5)")
      ->check(CLI::PositiveNumber);
  cmd->callback([o] { run_live(*o); });
}

}  // namespace
STRIDELAB_COMMAND("live", register_live);
}  // namespace stridelab::cli
