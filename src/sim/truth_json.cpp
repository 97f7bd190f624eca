// Truth file: what was simulated (events, per-step and per-stride metrics, parameters) as JSON.
#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "stridelab/core/error.hpp"
#include "stridelab/core/version.hpp"
#include "stridelab/sim/simulator.hpp"

namespace stridelab::sim {
namespace {

using nlohmann::json;
constexpr const char* kFormat = "stridelab-sim-truth";
constexpr int kFormatVersion = 1;

json vec3(const Vec3& v) {
  return json::array({v.x(), v.y(), v.z()});
}
json quat(const Eigen::Quaterniond& q) {
  return {{"w", q.w()}, {"x", q.x()}, {"y", q.y()}, {"z", q.z()}};
}

json params_json(const SimParams& p) {
  json turns = json::array();
  for (const Turn& t : p.turns)
    turns.push_back(
        {{"start_s", t.start_s}, {"duration_s", t.duration_s}, {"angle_deg", t.angle_deg}});
  json pauses = json::array();
  for (const Pause& q : p.pauses)
    pauses.push_back(
        {{"start_s", q.start_s}, {"duration_s", q.duration_s}, {"angle_deg", q.angle_deg}});
  json bouts = json::array();
  for (const Bout& b : p.bouts)
    bouts.push_back({{"steps", b.steps},
                     {"pause_after_s", b.pause_after_s},
                     {"turn_after_deg", b.turn_after_deg}});
  json disturbances = json::array();
  for (const MagDisturbance& d : p.mag_disturbances)
    disturbances.push_back(
        {{"start_s", d.start_s}, {"duration_s", d.duration_s}, {"field_uT", vec3(d.field_uT)}});
  return {{"activity", to_string(p.activity)},
          {"rate_hz", p.rate_hz},
          {"standing_before_s", p.standing_before_s},
          {"standing_after_s", p.standing_after_s},
          {"gait_duration_s", p.gait_duration_s},
          {"cadence_spm", p.cadence_spm},
          {"cadence_cv", p.cadence_cv},
          {"contact_time_s", p.contact_time_s},
          {"drop_left_deg", p.drop_left_deg},
          {"drop_right_deg", p.drop_right_deg},
          {"drop_sd_deg", p.drop_sd_deg},
          {"drop_trend_deg_per_10min", p.drop_trend_deg_per_10min},
          {"drop_offset_deg", p.drop_offset_deg},
          {"rotation_amplitude_deg", p.rotation_amplitude_deg},
          {"tilt_amplitude_deg", p.tilt_amplitude_deg},
          {"neutral_obliquity_deg", p.neutral_obliquity_deg},
          {"neutral_tilt_deg", p.neutral_tilt_deg},
          {"speed_ms", p.speed_ms},
          {"initial_heading_deg", p.initial_heading_deg},
          {"turns", turns},
          {"first_side", to_string(p.first_side)},
          {"step_time_ratio", p.step_time_ratio},
          {"loading_left", p.loading_left},
          {"loading_right", p.loading_right},
          {"vertical_scale", p.vertical_scale},
          {"impact_scale", p.impact_scale},
          {"impact_width_s", p.impact_width_s},
          {"start_step_factor", p.start_step_factor},
          {"stop_step_factor", p.stop_step_factor},
          {"transition_cv", p.transition_cv},
          {"start_stop_s", p.start_stop_s},
          {"pauses", pauses},
          {"bouts", bouts},
          {"mounting", quat(p.mounting)},
          {"lever_arm_m", vec3(p.lever_arm_m)},
          {"acc_noise_ms2", p.acc_noise_ms2},
          {"gyr_noise_rads", p.gyr_noise_rads},
          {"acc_bias_ms2", vec3(p.acc_bias_ms2)},
          {"gyr_bias_rads", vec3(p.gyr_bias_rads)},
          {"acc_scale_error", p.acc_scale_error},
          {"gyr_scale_error", p.gyr_scale_error},
          {"acc_range_ms2", p.acc_range_ms2},
          {"gyr_range_rads", p.gyr_range_rads},
          {"acc_bits", p.acc_bits},
          {"gyr_bits", p.gyr_bits},
          {"dropout_rate_per_min", p.dropout_rate_per_min},
          {"magnetometer", p.magnetometer},
          {"earth_field_uT", vec3(p.earth_field_uT)},
          {"mag_noise_uT", p.mag_noise_uT},
          {"mag_offset_uT", vec3(p.mag_offset_uT)},
          {"mag_disturbances", disturbances},
          {"seed", p.seed}};
}

// Typed access that names the file and the place of anything missing or wrong.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  const json& field(const json& obj, const std::string& key, const std::string& at) const {
    if (!obj.is_object()) fail_at(file_, at + ": expected a JSON object");
    const auto it = obj.find(key);
    if (it == obj.end()) fail_at(file_, at + ": missing key '" + key + "'");
    return *it;
  }
  double num(const json& obj, const std::string& key, const std::string& at) const {
    const json& v = field(obj, key, at);
    if (!v.is_number()) fail_at(file_, at + "." + key + ": expected a number");
    return v.get<double>();
  }
  bool boolean(const json& obj, const std::string& key, const std::string& at) const {
    const json& v = field(obj, key, at);
    if (!v.is_boolean()) fail_at(file_, at + "." + key + ": expected true or false");
    return v.get<bool>();
  }
  std::string str(const json& obj, const std::string& key, const std::string& at) const {
    const json& v = field(obj, key, at);
    if (!v.is_string()) fail_at(file_, at + "." + key + ": expected a string");
    return v.get<std::string>();
  }
  Side side(const json& obj, const std::string& key, const std::string& at) const {
    const std::string s = str(obj, key, at);
    const Side side = side_from_string(s);
    if (side == Side::kUnknown) fail_at(file_, at + "." + key + ": expected \"L\" or \"R\"");
    return side;
  }
  const json& array(const json& obj, const std::string& key, const std::string& at) const {
    const json& v = field(obj, key, at);
    if (!v.is_array()) fail_at(file_, at + "." + key + ": expected an array");
    return v;
  }
  Vec3 vec3(const json& obj, const std::string& key, const std::string& at) const {
    const json& v = array(obj, key, at);
    if (v.size() != 3) fail_at(file_, at + "." + key + ": expected 3 numbers");
    Vec3 out;
    for (int i = 0; i < 3; ++i) {
      if (!v[i].is_number()) fail_at(file_, at + "." + key + ": expected 3 numbers");
      out[i] = v[i].get<double>();
    }
    return out;
  }
  Eigen::Quaterniond quat(const json& obj, const std::string& key, const std::string& at) const {
    const json& q = field(obj, key, at);
    const std::string w = at + "." + key;
    Eigen::Quaterniond out(num(q, "w", w), num(q, "x", w), num(q, "y", w), num(q, "z", w));
    if (!(out.norm() > 1e-9)) fail_at(file_, w + ": quaternion has zero length");
    return out.normalized();
  }
  std::vector<double> numbers(const json& obj, const std::string& key,
                              const std::string& at) const {
    const json& v = array(obj, key, at);
    std::vector<double> out;
    out.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
      // NaN is written as null by nlohmann-json.
      if (v[i].is_null())
        out.push_back(std::numeric_limits<double>::quiet_NaN());
      else if (v[i].is_number())
        out.push_back(v[i].get<double>());
      else
        fail_at(file_, at + "." + key + "[" + std::to_string(i) + "]: expected a number");
    }
    return out;
  }

  SimParams params(const json& j) const {
    const std::string at = "params";
    SimParams p;
    p.activity = activity(str(j, "activity", at), at + ".activity");
    p.rate_hz = num(j, "rate_hz", at);
    p.standing_before_s = num(j, "standing_before_s", at);
    p.standing_after_s = num(j, "standing_after_s", at);
    p.gait_duration_s = num(j, "gait_duration_s", at);
    p.cadence_spm = num(j, "cadence_spm", at);
    p.cadence_cv = num(j, "cadence_cv", at);
    p.contact_time_s = num(j, "contact_time_s", at);
    p.drop_left_deg = num(j, "drop_left_deg", at);
    p.drop_right_deg = num(j, "drop_right_deg", at);
    p.drop_sd_deg = num(j, "drop_sd_deg", at);
    if (j.contains("drop_trend_deg_per_10min"))  // newer truth files
      p.drop_trend_deg_per_10min = num(j, "drop_trend_deg_per_10min", at);
    if (j.contains("drop_offset_deg"))  // newer truth files
      p.drop_offset_deg = num(j, "drop_offset_deg", at);
    p.rotation_amplitude_deg = num(j, "rotation_amplitude_deg", at);
    p.tilt_amplitude_deg = num(j, "tilt_amplitude_deg", at);
    p.neutral_obliquity_deg = num(j, "neutral_obliquity_deg", at);
    p.neutral_tilt_deg = num(j, "neutral_tilt_deg", at);
    p.speed_ms = num(j, "speed_ms", at);
    p.initial_heading_deg = num(j, "initial_heading_deg", at);
    const json& turns = array(j, "turns", at);
    for (std::size_t i = 0; i < turns.size(); ++i) {
      const std::string w = at + ".turns[" + std::to_string(i) + "]";
      p.turns.push_back({num(turns[i], "start_s", w), num(turns[i], "duration_s", w),
                         num(turns[i], "angle_deg", w)});
    }
    p.first_side = side(j, "first_side", at);
    // Gait variety (truth files before it have none of these: textbook gait).
    const auto optional = [&](const char* key, double& value) {
      if (j.contains(key)) value = num(j, key, at);
    };
    optional("step_time_ratio", p.step_time_ratio);
    optional("loading_left", p.loading_left);
    optional("loading_right", p.loading_right);
    optional("vertical_scale", p.vertical_scale);
    optional("impact_scale", p.impact_scale);
    optional("impact_width_s", p.impact_width_s);
    optional("start_step_factor", p.start_step_factor);
    optional("stop_step_factor", p.stop_step_factor);
    optional("transition_cv", p.transition_cv);
    optional("start_stop_s", p.start_stop_s);
    if (j.contains("pauses")) {
      const json& pauses = array(j, "pauses", at);
      for (std::size_t i = 0; i < pauses.size(); ++i) {
        const std::string w = at + ".pauses[" + std::to_string(i) + "]";
        p.pauses.push_back({num(pauses[i], "start_s", w), num(pauses[i], "duration_s", w),
                            num(pauses[i], "angle_deg", w)});
      }
    }
    if (j.contains("bouts")) {
      const json& bouts = array(j, "bouts", at);
      for (std::size_t i = 0; i < bouts.size(); ++i) {
        const std::string w = at + ".bouts[" + std::to_string(i) + "]";
        const json& steps = field(bouts[i], "steps", w);
        if (!steps.is_number_integer()) fail_at(file_, w + ".steps: expected an integer");
        p.bouts.push_back({steps.get<int>(), num(bouts[i], "pause_after_s", w),
                           num(bouts[i], "turn_after_deg", w)});
      }
    }
    p.mounting = quat(j, "mounting", at);
    p.lever_arm_m = vec3(j, "lever_arm_m", at);
    p.acc_noise_ms2 = num(j, "acc_noise_ms2", at);
    p.gyr_noise_rads = num(j, "gyr_noise_rads", at);
    p.acc_bias_ms2 = vec3(j, "acc_bias_ms2", at);
    p.gyr_bias_rads = vec3(j, "gyr_bias_rads", at);
    p.acc_scale_error = num(j, "acc_scale_error", at);
    p.gyr_scale_error = num(j, "gyr_scale_error", at);
    p.acc_range_ms2 = num(j, "acc_range_ms2", at);
    p.gyr_range_rads = num(j, "gyr_range_rads", at);
    p.acc_bits = static_cast<int>(num(j, "acc_bits", at));
    p.gyr_bits = static_cast<int>(num(j, "gyr_bits", at));
    p.dropout_rate_per_min = num(j, "dropout_rate_per_min", at);
    if (j.contains("magnetometer")) {  // truth files before the magnetometer have none
      const json& on = field(j, "magnetometer", at);
      if (!on.is_boolean()) fail_at(file_, at + ".magnetometer: expected true or false");
      p.magnetometer = on.get<bool>();
      p.earth_field_uT = vec3(j, "earth_field_uT", at);
      p.mag_noise_uT = num(j, "mag_noise_uT", at);
      p.mag_offset_uT = vec3(j, "mag_offset_uT", at);
      const json& d = array(j, "mag_disturbances", at);
      for (std::size_t i = 0; i < d.size(); ++i) {
        const std::string w = at + ".mag_disturbances[" + std::to_string(i) + "]";
        p.mag_disturbances.push_back(
            {num(d[i], "start_s", w), num(d[i], "duration_s", w), vec3(d[i], "field_uT", w)});
      }
    }
    const json& seed = field(j, "seed", at);
    if (!seed.is_number_unsigned()) fail_at(file_, at + ".seed: expected an unsigned integer");
    p.seed = seed.get<std::uint64_t>();
    return p;
  }

  Activity activity(const std::string& s, const std::string& at) const {
    try {
      return activity_from_string(s);
    } catch (const Error& e) {
      fail_at(file_, at + ": " + e.what());
    }
  }

 private:
  std::string file_;
};

}  // namespace

void write_truth_json(const std::filesystem::path& path, const Truth& truth, bool include_samples) {
  json steps = json::array(), strides = json::array();
  for (const TruthStep& s : truth.steps)
    steps.push_back({{"time_s", s.time_s},
                     {"side", to_string(s.side)},
                     {"step_time_s", s.step_time_s},
                     {"cadence_spm", 60.0 / s.step_time_s},
                     {"pelvic_drop_deg", s.pelvic_drop_deg},
                     {"contact_time_s", s.contact_time_s},
                     {"final_contact_s", s.final_contact_s},
                     {"in_turn", s.in_turn},
                     {"bout", s.bout}});
  for (const TruthStride& s : truth.strides)
    strides.push_back({{"start_s", s.start_s},
                       {"end_s", s.end_s},
                       {"side", to_string(s.side)},
                       {"trunk_rotation_deg", s.trunk_rotation_deg},
                       {"in_turn", s.in_turn}});
  json j = {{"format", kFormat},
            {"format_version", kFormatVersion},
            {"tool_version", std::string(version())},
            {"activity", to_string(truth.activity)},
            {"rate_hz", truth.rate_hz},
            {"gait_start_s", truth.gait_start_s},
            {"gait_end_s", truth.gait_end_s},
            {"mean_cadence_spm", truth.mean_cadence_spm},
            {"neutral_obliquity_deg", truth.neutral_obliquity_deg},
            {"neutral_tilt_deg", truth.neutral_tilt_deg},
            {"mounting", quat(truth.mounting)},
            {"steps", steps},
            {"strides", strides},
            {"params", params_json(truth.params)}};
  if (include_samples)
    j["samples"] = {{"time_s", truth.sample_time_s},
                    {"obliquity_deg", truth.obliquity_deg},
                    {"tilt_deg", truth.tilt_deg},
                    {"rotation_deg", truth.rotation_deg},
                    {"heading_deg", truth.heading_deg}};
  std::ofstream out(path);
  if (!out) fail_at(path.string(), "cannot open for writing");
  out << j.dump(1) << "\n";
  if (!out) fail_at(path.string(), "write failed");
}

Truth read_truth_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) fail_at(path.string(), "cannot open for reading");
  json j;
  try {
    j = json::parse(in);
  } catch (const json::exception& e) {
    fail_at(path.string(), std::string("not valid JSON: ") + e.what());
  }
  const Reader r(path.string());
  const std::string top = "truth";
  if (r.str(j, "format", top) != kFormat)
    fail_at(path.string(),
            "not a stridelab simulator truth file (format is not '" + std::string(kFormat) + "')");
  if (r.num(j, "format_version", top) > kFormatVersion)
    fail_at(path.string(), "truth format_version is newer than this tool understands");
  Truth t;
  t.activity = r.activity(r.str(j, "activity", top), "activity");
  t.rate_hz = r.num(j, "rate_hz", top);
  t.gait_start_s = r.num(j, "gait_start_s", top);
  t.gait_end_s = r.num(j, "gait_end_s", top);
  t.mean_cadence_spm = r.num(j, "mean_cadence_spm", top);
  t.neutral_obliquity_deg = r.num(j, "neutral_obliquity_deg", top);
  t.neutral_tilt_deg = r.num(j, "neutral_tilt_deg", top);
  t.mounting = r.quat(j, "mounting", top);
  const json& steps = r.array(j, "steps", top);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const std::string at = "steps[" + std::to_string(i) + "]";
    TruthStep s;
    s.time_s = r.num(steps[i], "time_s", at);
    s.side = r.side(steps[i], "side", at);
    s.step_time_s = r.num(steps[i], "step_time_s", at);
    s.pelvic_drop_deg = r.num(steps[i], "pelvic_drop_deg", at);
    s.contact_time_s = r.num(steps[i], "contact_time_s", at);
    s.final_contact_s = r.num(steps[i], "final_contact_s", at);
    s.in_turn = r.boolean(steps[i], "in_turn", at);
    if (steps[i].contains("bout")) s.bout = static_cast<int>(r.num(steps[i], "bout", at));
    t.steps.push_back(s);
  }
  const json& strides = r.array(j, "strides", top);
  for (std::size_t i = 0; i < strides.size(); ++i) {
    const std::string at = "strides[" + std::to_string(i) + "]";
    TruthStride s;
    s.start_s = r.num(strides[i], "start_s", at);
    s.end_s = r.num(strides[i], "end_s", at);
    s.side = r.side(strides[i], "side", at);
    s.trunk_rotation_deg = r.num(strides[i], "trunk_rotation_deg", at);
    s.in_turn = r.boolean(strides[i], "in_turn", at);
    t.strides.push_back(s);
  }
  t.params = r.params(r.field(j, "params", top));
  if (j.contains("samples")) {
    const json& s = j["samples"];
    t.sample_time_s = r.numbers(s, "time_s", "samples");
    t.obliquity_deg = r.numbers(s, "obliquity_deg", "samples");
    t.tilt_deg = r.numbers(s, "tilt_deg", "samples");
    t.rotation_deg = r.numbers(s, "rotation_deg", "samples");
    t.heading_deg = r.numbers(s, "heading_deg", "samples");
    const std::size_t n = t.sample_time_s.size();
    if (t.obliquity_deg.size() != n || t.tilt_deg.size() != n || t.rotation_deg.size() != n ||
        t.heading_deg.size() != n)
      fail_at(path.string(), "samples: arrays differ in length");
  }
  return t;
}

}  // namespace stridelab::sim
