// `stridelab simulate`: a synthetic pelvis-IMU recording with exact ground truth (see
// docs/SIMULATOR.md). The recording goes through the storage library (.h5 or .csv by
// extension); the truth is a JSON file.
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli/command.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/sim/simulator.hpp"
#include "stridelab/storage/recording_io.hpp"

namespace stridelab::cli {
namespace {

struct SimulateOptions {
  std::string activity = "walk";
  std::string out, truth;
  bool truth_samples = false;
  std::string mount = "identity", mount_euler, lever_arm, noise = "realistic", bias, turns;
  std::string first_side = "L";
  std::string gait_preset, pauses, bouts;
  std::string subject, start_time;  // recording metadata (empty: none stored)
  double acc_range_g = 16.0, gyr_range_dps = 2000.0;
  int bits = -1;
  sim::SimParams p;
};

[[noreturn]] void usage_error(const std::string& what) {
  throw Exit{kExitUsage, what};
}

std::vector<double> numbers(const std::string& text, const std::string& option, std::size_t count,
                            char sep = ',') {
  std::vector<double> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, sep)) {
    try {
      std::size_t used = 0;
      out.push_back(std::stod(item, &used));
      if (item.find_first_not_of(" \t", used) != std::string::npos) throw std::exception();
      if (!std::isfinite(out.back())) throw std::exception();
    } catch (const std::exception&) {
      usage_error(fmt::format("{}: '{}' is not a number", option, item));
    }
  }
  if (count != 0 && out.size() != count)
    usage_error(
        fmt::format("{}: expected {} comma-separated numbers, got '{}'", option, count, text));
  return out;
}

// "20:180,40:-90" → turns at 20 s (+180°) and 40 s (−90°); an optional third field is the
// duration in s ("20:180:3").
std::vector<sim::Turn> parse_turns(const std::string& text) {
  std::vector<sim::Turn> turns;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    const std::vector<double> f = numbers(item, "--turns", 0, ':');
    if (f.size() < 2 || f.size() > 3)
      usage_error("--turns: expected START_S:ANGLE_DEG[:DURATION_S], got '" + item + "'");
    sim::Turn t;
    t.start_s = f[0];
    t.angle_deg = f[1];
    if (f.size() == 3) t.duration_s = f[2];
    turns.push_back(t);
  }
  return turns;
}

// "20:2,40:3:180" → pauses at 20 s (2 s) and 40 s (3 s, turning 180° on the spot).
std::vector<sim::Pause> parse_pauses(const std::string& text) {
  std::vector<sim::Pause> pauses;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    const std::vector<double> f = numbers(item, "--pauses", 0, ':');
    if (f.size() < 2 || f.size() > 3)
      usage_error("--pauses: expected START_S:DURATION_S[:TURN_DEG], got '" + item + "'");
    pauses.push_back({f[0], f[1], f.size() == 3 ? f[2] : 0.0});
  }
  return pauses;
}

// "3:2:180,2:1.5,3" → 3 steps, 2 s pause turning 180°; 2 steps, 1.5 s pause; 3 steps.
std::vector<sim::Bout> parse_bouts(const std::string& text) {
  std::vector<sim::Bout> bouts;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    const std::vector<double> f = numbers(item, "--bouts", 0, ':');
    if (f.empty() || f.size() > 3 || f[0] != std::floor(f[0]) || f[0] < 2 || f[0] > 100000)
      usage_error("--bouts: expected STEPS[:PAUSE_S[:TURN_DEG]] with STEPS >= 2, got '" + item +
                  "'");
    sim::Bout b;
    b.steps = static_cast<int>(f[0]);
    if (f.size() >= 2) b.pause_after_s = f[1];
    if (f.size() == 3) b.turn_after_deg = f[2];
    bouts.push_back(b);
  }
  return bouts;
}

// A gait preset sets its fields; options given on the command line win over it.
void use_gait_preset(SimulateOptions& o, const CLI::App& cmd) {
  sim::SimParams& p = o.p;
  const sim::SimParams given = p;
  try {
    sim::apply_gait_preset(p, o.gait_preset);
  } catch (const Error& e) {
    usage_error(std::string("--gait-preset: ") + e.what());
  }
  using Field = double sim::SimParams::*;
  const std::pair<const char*, Field> options[] = {
      {"--cadence", &sim::SimParams::cadence_spm},
      {"--rotation", &sim::SimParams::rotation_amplitude_deg},
      {"--tilt", &sim::SimParams::tilt_amplitude_deg},
      {"--step-time-ratio", &sim::SimParams::step_time_ratio},
      {"--loading-left", &sim::SimParams::loading_left},
      {"--loading-right", &sim::SimParams::loading_right},
      {"--vertical-scale", &sim::SimParams::vertical_scale},
      {"--impact-scale", &sim::SimParams::impact_scale},
      {"--impact-width", &sim::SimParams::impact_width_s},
      {"--start-step", &sim::SimParams::start_step_factor},
      {"--stop-step", &sim::SimParams::stop_step_factor},
      {"--transition-cv", &sim::SimParams::transition_cv},
      {"--start-stop", &sim::SimParams::start_stop_s}};
  for (const auto& [name, field] : options)
    if (cmd.get_option(name)->count() > 0) p.*field = given.*field;
}

void run_simulate(SimulateOptions& o, const CLI::App& cmd) {
  sim::SimParams& p = o.p;
  try {
    p.activity = sim::activity_from_string(o.activity);
  } catch (const Error& e) {
    usage_error(std::string("--activity: ") + e.what());
  }
  const Side side = side_from_string(o.first_side);
  if (side == Side::kUnknown) usage_error("--first-side: expected L or R");
  p.first_side = side;
  try {
    sim::apply_noise_preset(p, o.noise);
    p.mounting = sim::mounting_preset(o.mount, p.seed);
  } catch (const Error& e) {
    usage_error(e.what());
  }
  if (!o.mount_euler.empty()) {
    const auto a = numbers(o.mount_euler, "--mount-euler", 3);
    p.mounting = sim::mounting_from_euler_zyx_deg(a[0], a[1], a[2]);
  }
  if (!o.lever_arm.empty()) {
    const auto a = numbers(o.lever_arm, "--lever-arm", 3);
    p.lever_arm_m = Vec3(a[0], a[1], a[2]);
  }
  if (!o.bias.empty()) {
    const auto b = numbers(o.bias, "--bias", 6);
    p.acc_bias_ms2 = Vec3(b[0], b[1], b[2]);
    p.gyr_bias_rads = Vec3(b[3], b[4], b[5]);
  }
  if (!o.turns.empty()) p.turns = parse_turns(o.turns);
  if (!o.gait_preset.empty()) use_gait_preset(o, cmd);
  if (!o.pauses.empty()) p.pauses = parse_pauses(o.pauses);
  if (!o.bouts.empty()) p.bouts = parse_bouts(o.bouts);
  p.acc_range_ms2 = o.acc_range_g * kGravity;
  p.gyr_range_rads = o.gyr_range_dps * M_PI / 180.0;
  if (o.bits >= 0) {
    p.acc_bits = p.gyr_bits = o.bits;
  } else {  // no range, nothing to quantise over
    if (p.acc_range_ms2 == 0.0) p.acc_bits = 0;
    if (p.gyr_range_rads == 0.0) p.gyr_bits = 0;
  }

  storage::file_kind(o.out);  // a bad extension fails before the work, not after
  int y = 0, mo = 0, d = 0, used = 0;
  if (!o.start_time.empty() &&
      (std::sscanf(o.start_time.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3 || used != 10))
    usage_error("--start-time: expected an ISO 8601 time such as 2026-03-02T08:00:00Z, got '" +
                o.start_time + "'");
  const sim::SimResult result = sim::simulate(p);  // throws Error naming a bad parameter
  Recording rec = result.recording;
  rec.subject_id = o.subject;
  rec.start_time_iso = o.start_time;
  if (!o.truth.empty())
    rec.attributes["simulator.truth_file"] = std::filesystem::path(o.truth).filename().string();
  storage::write_recording(o.out, rec);
  if (!o.truth.empty()) sim::write_truth_json(o.truth, result.truth, o.truth_samples);

  const SensorData& s = rec.primary();
  std::cout << fmt::format("wrote {}: {} samples, {:.1f} s at {:g} Hz, {} gaps\n", o.out, s.size(),
                           s.duration_s(), p.rate_hz, s.gaps.size());
  if (!o.truth.empty())
    std::cout << fmt::format("wrote {}: {} steps, {} strides, mean cadence {:.1f} steps/min\n",
                             o.truth, result.truth.steps.size(), result.truth.strides.size(),
                             result.truth.mean_cadence_spm);
}

void register_simulate(CLI::App& app) {
  auto* cmd = app.add_subcommand("simulate",
                                 "Make a synthetic pelvis-IMU recording with exact ground truth");
  auto o = std::make_shared<SimulateOptions>();
  sim::SimParams& p = o->p;
  cmd->add_option("--activity", o->activity, "walk or run")->required();
  cmd->add_option("--out", o->out, "Recording to write (.h5, .hdf5 or .csv)")->required();
  cmd->add_option("--truth", o->truth, "Ground truth JSON to write");
  cmd->add_flag("--truth-samples", o->truth_samples,
                "Also write per-sample angles (obliquity, tilt, rotation, heading) to the truth");
  cmd->add_option("--duration", p.gait_duration_s, "Gait duration, s")->capture_default_str();
  cmd->add_option("--rate", p.rate_hz, "Output sample rate, Hz")->capture_default_str();
  cmd->add_option("--cadence", p.cadence_spm, "Cadence, steps/min (default walk 110, run 170)");
  cmd->add_option("--cadence-cv", p.cadence_cv, "Step-time coefficient of variation")
      ->capture_default_str();
  cmd->add_option("--contact-time", p.contact_time_s,
                  "Running ground contact time, s (default 0.25 s at 170 steps/min)");
  cmd->add_option("--speed", p.speed_ms, "Progression speed, m/s (default walk 1.3, run 3.3)");
  cmd->add_option("--drop-left", p.drop_left_deg, "Mean contralateral drop in left stance, deg")
      ->capture_default_str();
  cmd->add_option("--drop-right", p.drop_right_deg, "Mean contralateral drop in right stance, deg")
      ->capture_default_str();
  cmd->add_option("--drop-trend", p.drop_trend_deg_per_10min,
                  "Fatigue: drop grows by this on both sides, deg per 10 min");
  cmd->add_option("--drop-offset", p.drop_offset_deg,
                  "Per-session offset added to both sides' drop, deg (a series of sessions)");
  cmd->add_option("--drop-sd", p.drop_sd_deg, "Step-to-step SD of the drop, deg")
      ->capture_default_str();
  cmd->add_option("--rotation", p.rotation_amplitude_deg,
                  "Peak-to-peak transverse rotation per stride, deg")
      ->capture_default_str();
  cmd->add_option("--tilt", p.tilt_amplitude_deg, "Peak-to-peak tilt oscillation, deg")
      ->capture_default_str();
  cmd->add_option("--neutral-obliquity", p.neutral_obliquity_deg, "Standing obliquity, deg")
      ->capture_default_str();
  cmd->add_option("--neutral-tilt", p.neutral_tilt_deg, "Standing anterior tilt, deg")
      ->capture_default_str();
  cmd->add_option("--heading", p.initial_heading_deg, "Initial direction of travel, deg");
  cmd->add_option("--first-side", o->first_side, "Stance leg of the first step: L or R")
      ->capture_default_str();
  cmd->add_option("--turns", o->turns,
                  "Turns as START_S:ANGLE_DEG[:DURATION_S],... (after gait start; + = left)");
  cmd->add_option("--gait-preset", o->gait_preset,
                  "Gait preset: textbook, limp, slow-shuffle, hesitant or daily-living "
                  "(the options below win over it)");
  cmd->add_option("--step-time-ratio", p.step_time_ratio,
                  "Limp: left-stance / right-stance step time, 1/3..3 (mean kept at the cadence)")
      ->capture_default_str();
  cmd->add_option("--loading-left", p.loading_left,
                  "Left stance loading (heel-strike peak, CoM dip) relative to normal")
      ->capture_default_str();
  cmd->add_option("--loading-right", p.loading_right,
                  "Right stance loading (heel-strike peak, CoM dip) relative to normal")
      ->capture_default_str();
  cmd->add_option("--vertical-scale", p.vertical_scale,
                  "Walking CoM vertical excursion relative to normal (shuffling: 0.3)")
      ->capture_default_str();
  cmd->add_option("--impact-scale", p.impact_scale,
                  "Heel-strike/impact transients relative to normal (shuffling: 0.3)")
      ->capture_default_str();
  cmd->add_option("--impact-width", p.impact_width_s,
                  "Width of the heel-strike/impact transients, s (default walk 0.04, run 0.03)");
  cmd->add_option("--start-step", p.start_step_factor,
                  "Hesitant start: first step of each bout × the nominal step, 1..3")
      ->capture_default_str();
  cmd->add_option("--stop-step", p.stop_step_factor,
                  "Hesitant stop: last step of each bout × the nominal step, 1..3")
      ->capture_default_str();
  cmd->add_option("--transition-cv", p.transition_cv,
                  "Extra step-time variability of the two steps at each end of a bout")
      ->capture_default_str();
  cmd->add_option("--start-stop", p.start_stop_s,
                  "Walking: gait initiation before each bout's first contact and settling after "
                  "its closing contact, s (0..1.5; 0 = start and stop at rest at those contacts)")
      ->capture_default_str();
  cmd->add_option("--pauses", o->pauses,
                  "Standing still as START_S:DURATION_S[:TURN_DEG],... (after gait start; a "
                  "turn on the spot during the pause)");
  cmd->add_option("--bouts", o->bouts,
                  "Short bouts as STEPS[:PAUSE_S[:TURN_DEG]],... (replaces --duration and "
                  "--pauses)");
  cmd->add_option("--mount", o->mount,
                  "Mounting: identity, upside-down, rot90, rot180, tilted or random")
      ->capture_default_str();
  cmd->add_option("--mount-euler", o->mount_euler,
                  "Mounting as \"z,y,x\" intrinsic angles, deg (overrides --mount)");
  cmd->add_option("--lever-arm", o->lever_arm,
                  "Sensor position in the pelvis frame \"x,y,z\", m (default -0.08,0,0)");
  cmd->add_option("--noise", o->noise, "Sensor errors: none, low, realistic or high")
      ->capture_default_str();
  cmd->add_option("--bias", o->bias,
                  "Biases \"ax,ay,az,gx,gy,gz\" in m/s² and rad/s (overrides the preset's)");
  cmd->add_option("--acc-range", o->acc_range_g, "Accelerometer range, ±g (0 = none)")
      ->capture_default_str();
  cmd->add_option("--gyr-range", o->gyr_range_dps, "Gyroscope range, ±deg/s (0 = none)")
      ->capture_default_str();
  cmd->add_option("--bits", o->bits, "Quantisation bits over ±range (0 = none; default: preset)");
  cmd->add_flag("--mag", p.magnetometer,
                "Add a magnetometer (earth field 20 µT north, 44 µT down; 0.3 µT noise)");
  cmd->add_option("--dropouts", p.dropout_rate_per_min, "Dropouts (lost sample runs) per minute")
      ->capture_default_str();
  cmd->add_option("--standing-before", p.standing_before_s, "Quiet standing before gait, s")
      ->capture_default_str();
  cmd->add_option("--standing-after", p.standing_after_s, "Quiet standing after gait, s")
      ->capture_default_str();
  cmd->add_option("--subject", o->subject, "Subject id stored in the recording");
  cmd->add_option("--start-time", o->start_time,
                  "Wall-clock start stored in the recording, ISO 8601 UTC "
                  "(e.g. 2026-03-02T08:00:00Z)");
  cmd->add_option("--seed", p.seed, "Random seed (same seed, same output)")->capture_default_str();
  cmd->callback([o, cmd] { run_simulate(*o, *cmd); });
}

}  // namespace
STRIDELAB_COMMAND("simulate", register_simulate);
}  // namespace stridelab::cli
