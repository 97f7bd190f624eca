#include "stridelab/dsp/summary.hpp"

#include <cmath>

namespace stridelab::dsp {

void SummaryAccumulator::Welford::add(double x) {
  if (!std::isfinite(x)) return;
  ++n;
  const double d = x - mean;
  mean += d / n;
  m2 += d * (x - mean);
}

MeanSd SummaryAccumulator::Welford::get() const {
  MeanSd r;
  r.n = n;
  if (n > 0) r.mean = mean;
  if (n > 1) r.sd = std::sqrt(m2 / (n - 1));
  return r;
}

double asymmetry_pct(const MeanSd& left, const MeanSd& right) {
  constexpr int kMin = SummaryAccumulator::kMinAsymmetrySteps;
  if (left.n < kMin || right.n < kMin) return kNotMeasured;
  const double mean = 0.5 * (left.mean + right.mean);
  if (!(mean > 0.0)) return kNotMeasured;
  return 100.0 * std::abs(left.mean - right.mean) / mean;
}

void SummaryAccumulator::add(const Step& s, bool flight) {
  ++steps_;
  if (flight) ++flight_;
  if (s.flags & kFlagTurn) ++turns_;
  if (s.side == Side::kLeft) ++left_;
  if (s.side == Side::kRight) ++right_;
  side_conf_sum_ += s.side_confidence;
  // Cadence holds in turns and with uncertain sides: only gaps and outliers are left out.
  if (!(s.flags & (kFlagGap | kFlagOutlier | kFlagBoutEdge))) step_time_.add(s.step_time_s);
  if (s.flags & kBadFlags) {
    ++flagged_;
    return;
  }
  ++good_;
  // Per-side step and stance times (kAsymmetryExcluded: also no bout edge); Welford::add
  // skips a time that is not finite.
  if (!(s.flags & kAsymmetryExcluded) && s.side != Side::kUnknown) {
    const bool left = s.side == Side::kLeft;
    (left ? step_time_left_ : step_time_right_).add(s.step_time_s);
    (left ? contact_left_ : contact_right_).add(s.contact_time_s);
  }
  rotation_.add(s.trunk_rotation_deg);
  contact_.add(s.contact_time_s);
  if (s.side == Side::kLeft) drop_left_.add(s.pelvic_drop_deg);
  if (s.side == Side::kRight) drop_right_.add(s.pelvic_drop_deg);
}

Summary SummaryAccumulator::summary(const Calibration& cal, const Quality& q) const {
  Summary s;
  s.steps = steps_;
  s.good_steps = good_;
  s.left_steps = left_;
  s.right_steps = right_;
  if (steps_ > 0) {
    const double run = double(flight_) / steps_;
    s.activity = run > 0.8 ? "run" : run < 0.2 ? "walk" : "mixed";
    s.flagged_fraction = double(flagged_) / steps_;
    s.turn_fraction = double(turns_) / steps_;
    s.mean_side_confidence = side_conf_sum_ / steps_;
  }
  s.step_time_s = step_time_.get();
  if (s.step_time_s.n > 0) s.mean_cadence_spm = 60.0 / s.step_time_s.mean;
  s.pelvic_drop_left_deg = drop_left_.get();
  s.pelvic_drop_right_deg = drop_right_.get();
  if (s.pelvic_drop_left_deg.n > 0 && s.pelvic_drop_right_deg.n > 0) {
    s.pelvic_drop_asymmetry_deg.mean = s.pelvic_drop_left_deg.mean - s.pelvic_drop_right_deg.mean;
    s.pelvic_drop_asymmetry_deg.n = std::min(s.pelvic_drop_left_deg.n, s.pelvic_drop_right_deg.n);
  }
  s.trunk_rotation_deg = rotation_.get();
  s.contact_time_s = contact_.get();
  s.step_time_left_s = step_time_left_.get();
  s.step_time_right_s = step_time_right_.get();
  s.step_time_asymmetry_pct = asymmetry_pct(s.step_time_left_s, s.step_time_right_s);
  s.contact_time_left_s = contact_left_.get();
  s.contact_time_right_s = contact_right_.get();
  s.contact_time_asymmetry_pct = asymmetry_pct(s.contact_time_left_s, s.contact_time_right_s);
  s.calibration = cal;
  s.quality = q;

  if (steps_ == 0) s.warnings.push_back("no gait found: no steps detected");
  if (steps_ > 0 && !cal.valid) s.warnings.push_back("mounting could not be determined");
  if (cal.valid && cal.up_method == "gait_mean")
    s.warnings.push_back("no quiet standing found: neutral is the mean gait posture");
  if (cal.valid && cal.anterior_confidence < 0.75)
    s.warnings.push_back("direction of travel uncertain (anterior confidence " +
                         std::to_string(cal.anterior_confidence).substr(0, 4) + ")");
  if (q.clipped_samples > 0)
    s.warnings.push_back(std::to_string(q.clipped_samples) +
                         " samples at the sensor range (clipping)");
  if (q.magnetometer && q.mag_rejected_s > 0.25 * (q.mag_accepted_s + q.mag_rejected_s))
    s.warnings.push_back("magnetometer disturbed " +
                         std::to_string(static_cast<int>(std::lround(q.mag_rejected_s))) +
                         " s: heading from the gyroscope there");
  if (q.gaps > 0) s.warnings.push_back(std::to_string(q.gaps) + " gaps in the data");
  if (q.rejected_samples > 0)
    s.warnings.push_back(std::to_string(q.rejected_samples) +
                         " samples rejected (NaN or time not increasing)");
  if (steps_ > 0 && s.mean_side_confidence < 0.6)
    s.warnings.push_back("left/right assignment uncertain");
  return s;
}

}  // namespace stridelab::dsp
