#include "stridelab/dsp/summary_json.hpp"

#include <cmath>
#include <string>

#include "stridelab/core/version.hpp"

namespace stridelab::dsp {
namespace {

nlohmann::json num(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

nlohmann::json to_json(const MeanSd& m) {
  return {{"mean", num(m.mean)}, {"sd", num(m.sd)}, {"n", m.n}};
}

}  // namespace

nlohmann::json to_json(const Calibration& cal) {
  nlohmann::json r = nlohmann::json::array();
  for (int i = 0; i < 3; ++i)
    r.push_back(
        {cal.sensor_to_pelvis(i, 0), cal.sensor_to_pelvis(i, 1), cal.sensor_to_pelvis(i, 2)});
  return {{"valid", cal.valid},
          {"sensor_to_pelvis", r},
          {"up_method", cal.up_method},
          {"standing_start_s", num(cal.standing_start_s)},
          {"standing_end_s", num(cal.standing_end_s)},
          {"neutral_obliquity_deg", num(cal.neutral_obliquity_deg)},
          {"neutral_tilt_deg", num(cal.neutral_tilt_deg)},
          {"anterior_confidence", num(cal.anterior_confidence)},
          {"steps_used", cal.steps_used},
          {"calibrated_at_s", num(cal.calibrated_at_s)}};
}

nlohmann::json to_json(const AnalyzerParams& p) {
  const auto& o = p.orientation;
  const auto& e = p.events;
  const auto& a = p.alignment;
  const auto& m = p.metrics;
  return {
      {"rate_hz", p.rate_hz},
      {"internal_rate_hz", p.internal_rate_hz},
      {"acc_range_ms2", p.acc_range_ms2},
      {"gyr_range_rads", p.gyr_range_rads},
      {"clip_fraction", p.clip_fraction},
      {"gap_factor", p.gap_factor},
      {"max_bridged_gap_s", p.max_bridged_gap_s},
      {"flag_bridged_gap_s", p.flag_bridged_gap_s},
      {"buffer_s", p.buffer_s},
      {"use_magnetometer", p.use_magnetometer},
      {"orientation",
       {{"tau_acc_s", o.tau_acc_s},
        {"correction_rate_hz", o.correction_rate_hz},
        {"turn_rate_rads", o.turn_rate_rads},
        {"rest_bias_estimation", o.rest_bias_estimation},
        {"rest_gyr_threshold_rads", o.rest_gyr_threshold_rads},
        {"rest_acc_threshold_ms2", o.rest_acc_threshold_ms2},
        {"rest_max_rate_rads", o.rest_max_rate_rads},
        {"rest_min_duration_s", o.rest_min_duration_s},
        {"tau_rest_bias_s", o.tau_rest_bias_s},
        {"motion_bias_estimation", o.motion_bias_estimation},
        {"tau_motion_bias_s", o.tau_motion_bias_s},
        {"max_bias_rads", o.max_bias_rads},
        {"tau_mag_s", o.tau_mag_s},
        {"mag_norm_tolerance", o.mag_norm_tolerance},
        {"mag_dip_tolerance_deg", o.mag_dip_tolerance_deg},
        {"tau_mag_reference_s", o.tau_mag_reference_s},
        {"mag_max_rejection_s", o.mag_max_rejection_s}}},
      {"events",
       {{"smooth_sigma_s", e.smooth_sigma_s},
        {"fine_sigma_s", e.fine_sigma_s},
        {"min_step_time_s", e.min_step_time_s},
        {"max_step_time_s", e.max_step_time_s},
        {"min_prominence_ms2", e.min_prominence_ms2},
        {"relative_prominence", e.relative_prominence},
        {"prominence_floor_ms2", e.prominence_floor_ms2},
        {"walk_ic_method", static_cast<int>(e.walk_ic_method)},
        {"walk_rise_fraction", e.walk_rise_fraction},
        {"walk_rise_offset_s", e.walk_rise_offset_s},
        {"flight_threshold_g", e.flight_threshold_g},
        {"walk_ic_offset_s", e.walk_ic_offset_s},
        {"run_contact_level_g", e.run_contact_level_g},
        {"walk_hump_window_s", e.walk_hump_window_s},
        {"walk_hump_fraction", e.walk_hump_fraction},
        {"walk_split_trough", e.walk_split_trough},
        {"walk_fc_offset_s", num(e.walk_fc_offset_s)},
        {"walk_ap_weight", e.walk_ap_weight},
        {"walk_ap_window_s", e.walk_ap_window_s},
        {"walk_ap_offset_s", e.walk_ap_offset_s},
        {"walk_ap_max_turn_deg", e.walk_ap_max_turn_deg},
        {"activity",
         to_string(e.forced) == std::string("unknown") ? "auto" : to_string(e.forced)}}},
      {"alignment",
       {{"calibration_steps", a.calibration_steps},
        {"min_anterior_confidence", a.min_anterior_confidence},
        {"max_calibration_steps", a.max_calibration_steps},
        {"min_standing_s", a.min_standing_s},
        {"max_standing_deviation_deg", a.max_standing_deviation_deg},
        {"standing_acc_ms2", a.standing_acc_ms2},
        {"standing_gyr_rads", a.standing_gyr_rads},
        {"calibration_start_s", num(a.calibration_start_s)},
        {"calibration_end_s", num(a.calibration_end_s)},
        {"brake_after_begin", a.brake_after_begin},
        {"brake_after_end", a.brake_after_end},
        {"brake_before", a.brake_before}}},
      {"metrics",
       {{"side_cue", m.side_cue == SideCue::kLateral ? "lateral" : "obliquity"},
        {"lateral_from", m.lateral_from},
        {"lateral_to", m.lateral_to},
        {"side_window", m.side_window},
        {"side_yaw_weight", m.side_yaw_weight},
        {"min_side_confidence", m.min_side_confidence},
        {"side_evidence_gain", m.side_evidence_gain},
        {"side_evidence_max", m.side_evidence_max},
        {"side_slip_evidence", m.side_slip_evidence},
        {"side_slip_turn_deg", m.side_slip_turn_deg},
        {"side_cue_difference", m.side_cue_difference},
        {"turn_threshold_deg", m.turn_threshold_deg},
        {"turn_recovery_s", m.turn_recovery_s},
        {"min_bout_steps", m.min_bout_steps},
        {"max_step_ratio", m.max_step_ratio},
        {"outlier_fraction", m.outlier_fraction},
        {"edge_brake_ratio", m.edge_brake_ratio}}},
      {"trends", {{"window_s", p.trends.window_s}, {"min_good_steps", p.trends.min_good_steps}}}};
}

nlohmann::json to_json(const Trends& t, const TrendParams& params) {
  auto line = [](const LinearTrend& l) {
    return nlohmann::json{
        {"per_10min", num(l.per_10min)}, {"se_per_10min", num(l.se_per_10min)}, {"n", l.n}};
  };
  nlohmann::json windows = nlohmann::json::array();
  for (const TrendWindow& w : t.windows)
    windows.push_back({{"start_s", w.start_s},
                       {"end_s", w.end_s},
                       {"steps", w.steps},
                       {"good_steps", w.good_steps},
                       {"cadence_spm", num(w.cadence_spm)},
                       {"pelvic_drop_left_deg", to_json(w.pelvic_drop_left_deg)},
                       {"pelvic_drop_right_deg", to_json(w.pelvic_drop_right_deg)},
                       {"trunk_rotation_deg", to_json(w.trunk_rotation_deg)},
                       {"contact_time_s", to_json(w.contact_time_s)},
                       {"step_time_left_s", to_json(w.step_time_left_s)},
                       {"step_time_right_s", to_json(w.step_time_right_s)},
                       {"step_time_asymmetry_pct", num(w.step_time_asymmetry_pct)},
                       {"turn_fraction", num(w.turn_fraction)}});
  return {{"window_s", params.window_s},
          {"min_good_steps", params.min_good_steps},
          {"pelvic_drop_left_deg", line(t.pelvic_drop_left_deg)},
          {"pelvic_drop_right_deg", line(t.pelvic_drop_right_deg)},
          {"cadence_spm", line(t.cadence_spm)},
          {"windows", windows}};
}

nlohmann::json summary_to_json(const Summary& s, const AnalyzerParams& params) {
  const Quality& q = s.quality;
  return {{"tool", "stridelab"},
          {"tool_version", std::string(version())},
          {"activity", s.activity},
          {"steps", s.steps},
          {"good_steps", s.good_steps},
          {"left_steps", s.left_steps},
          {"right_steps", s.right_steps},
          {"mean_cadence_spm", num(s.mean_cadence_spm)},
          {"step_time_s", to_json(s.step_time_s)},
          {"step_time_left_s", to_json(s.step_time_left_s)},
          {"step_time_right_s", to_json(s.step_time_right_s)},
          {"step_time_asymmetry_pct", num(s.step_time_asymmetry_pct)},
          {"pelvic_drop_left_deg", to_json(s.pelvic_drop_left_deg)},
          {"pelvic_drop_right_deg", to_json(s.pelvic_drop_right_deg)},
          {"pelvic_drop_asymmetry_deg", num(s.pelvic_drop_asymmetry_deg.mean)},
          {"trunk_rotation_deg", to_json(s.trunk_rotation_deg)},
          {"contact_time_s", to_json(s.contact_time_s)},
          {"contact_time_left_s", to_json(s.contact_time_left_s)},
          {"contact_time_right_s", to_json(s.contact_time_right_s)},
          {"contact_time_asymmetry_pct", num(s.contact_time_asymmetry_pct)},
          {"calibration", to_json(s.calibration)},
          {"quality",
           {{"flagged_fraction", num(s.flagged_fraction)},
            {"turn_fraction", num(s.turn_fraction)},
            {"mean_side_confidence", num(s.mean_side_confidence)},
            {"samples", q.samples},
            {"rejected_samples", q.rejected_samples},
            {"gaps", q.gaps},
            {"bridged_gaps", q.bridged_gaps},
            {"bridged_samples", q.bridged_samples},
            {"clipped_samples", q.clipped_samples},
            {"discarded_contacts", q.discarded_contacts},
            {"unbraked_edge_contacts", q.unbraked_edge_contacts},
            {"closing_contacts", q.closing_contacts},
            {"bouts", q.bouts},
            {"run_steps", q.run_steps},
            {"start_s", num(q.start_s)},
            {"end_s", num(q.end_s)},
            {"heading", q.magnetometer ? "magnetometer (9-axis)" : "gyroscope (6-axis)"},
            {"magnetometer_accepted_s", q.mag_accepted_s},
            {"magnetometer_rejected_s", q.mag_rejected_s},
            {"magnetometer_reference_resets", q.mag_reference_resets}}},
          {"warnings", s.warnings},
          {"parameters", to_json(params)}};
}

}  // namespace stridelab::dsp
