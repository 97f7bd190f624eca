#include "stridelab/dsp/analyzer.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "stridelab/core/error.hpp"

namespace stridelab::dsp {
namespace {

constexpr double kRadToDeg = 180.0 / M_PI;
constexpr double kDefaultStride_s = 1.1;  // window of the per-frame rotation detrend, s

double wrap_pi(double a) {
  while (a > M_PI) a -= 2.0 * M_PI;
  while (a <= -M_PI) a += 2.0 * M_PI;
  return a;
}

}  // namespace

Analyzer::Analyzer(const AnalyzerParams& params)
    : params_(params),
      dt_(params.rate_hz > 0 ? 1.0 / params.rate_hz : 1.0),
      decimation_(
          std::max(1, static_cast<int>(std::lround(params.rate_hz / params.internal_rate_hz)))),
      correction_frames_(std::max(
          1, static_cast<int>(std::ceil(
                 params.rate_hz / decimation_ / params.orientation.correction_rate_hz - 1e-9)))),
      orientation_(params.orientation, dt_, correction_frames_ * decimation_),
      detector_(params.events, params.rate_hz / decimation_),
      mounting_(params.alignment),
      early_(params.early),
      trends_(params.trends) {
  if (!(params.rate_hz > 0.0) || !std::isfinite(params.rate_hz))
    throw Error("analysis needs the nominal sample rate (got " + std::to_string(params.rate_hz) +
                " Hz)");
  const double fe = params.rate_hz / decimation_;
  frame_period_s_ = 1.0 / fe;
  frames_.reset(
      static_cast<std::size_t>((params.buffer_s + 4.0 * params.events.max_step_time_s) * fe) + 16);
  psi_window_.reset(static_cast<std::size_t>(std::lround(kDefaultStride_s * fe)));
  contacts_.reserve(8);
  pending_.reserve(64);
}

Activity Analyzer::activity() const {
  const Summary s = summary();
  return s.activity == "run"    ? Activity::kRun
         : s.activity == "walk" ? Activity::kWalk
                                : Activity::kUnknown;
}

Quality Analyzer::quality() const {
  Quality q = quality_;
  const MagStats& m = orientation_.mag_stats();
  q.magnetometer = m.used;
  q.mag_accepted_s = m.accepted_s;
  q.mag_rejected_s = m.rejected_s;
  q.mag_reference_resets = m.reference_resets;
  return q;
}

Summary Analyzer::summary() const {
  return summary_.summary(calibration_, quality());
}

void Analyzer::update(const ImuSample* samples, std::size_t n) {
  if (finished_) throw Error("analyzer: update() after finish()");
  for (std::size_t i = 0; i < n; ++i) add_input(samples[i]);
}

void Analyzer::add_input(const ImuSample& s) {
  // One test for all seven values: a NaN or infinity anywhere makes the sum non-finite.
  const double all =
      s.time_s + s.acc.sum() + s.gyr.sum() + (params_.use_magnetometer ? s.mag.sum() : 0.0);
  if (!std::isfinite(all) || s.time_s <= last_time_) {
    ++quality_.rejected_samples;
    if (!gap_pending_ && last_time_ > -1e300) ++quality_.gaps;
    gap_pending_ = true;
    return;
  }
  const double jump = s.time_s - last_time_;
  if (last_time_ > -1e300 && jump > params_.gap_factor * dt_) {
    ++quality_.gaps;
    const auto missing = static_cast<std::uint64_t>(std::lround(jump / dt_)) - 1;
    if (!gap_pending_ && jump <= params_.max_bridged_gap_s + 0.5 * dt_ && missing >= 1) {
      // A few lost packets (wireless links lose them often, e.g. IPOL's Xsens): orientation
      // and events run through, on samples interpolated between the two around the hole.
      // Counted (quality.bridged_*), never written to a recording.
      ++quality_.bridged_gaps;
      quality_.bridged_samples += missing;
      if (jump > params_.flag_bridged_gap_s) block_bridged_hole_ = true;
      for (std::uint64_t k = 1; k <= missing; ++k) {
        const double w = double(k) / double(missing + 1);
        ImuSample h;
        h.time_s = last_sample_.time_s + w * jump;
        h.acc = last_sample_.acc + w * (s.acc - last_sample_.acc);
        h.gyr = last_sample_.gyr + w * (s.gyr - last_sample_.gyr);
        h.mag = last_sample_.mag + w * (s.mag - last_sample_.mag);
        ingest(h, false);
      }
    } else {
      if (gap_pending_) --quality_.gaps;  // the rejected samples already counted this gap
      if (block_n_ > 0) emit_frame();
      gap_pending_ = true;
    }
  }
  if (quality_.samples == 0) quality_.start_s = s.time_s;
  quality_.end_s = s.time_s;
  last_time_ = s.time_s;
  last_sample_ = s;
  ++quality_.samples;
  ingest(s, true);
}

void Analyzer::ingest(const ImuSample& s, bool measured) {
  bool clipped = false;
  if (measured && params_.acc_range_ms2 > 0.0)
    clipped |= s.acc.cwiseAbs().maxCoeff() >= params_.clip_fraction * params_.acc_range_ms2;
  if (measured && params_.gyr_range_rads > 0.0)
    clipped |= s.gyr.cwiseAbs().maxCoeff() >= params_.clip_fraction * params_.gyr_range_rads;
  if (clipped) ++quality_.clipped_samples;

  if (!orientation_initialised_) {  // the first sample sets the inclination
    orientation_.correct(s.acc, s.gyr);
    orientation_initialised_ = true;
  }
  orientation_.integrate(s.gyr);
  block_t_ += s.time_s;
  block_acc_ += s.acc;
  block_gyr_ += s.gyr;
  if (params_.use_magnetometer) block_mag_ += s.mag;
  block_clipped_ |= clipped;
  if (++block_n_ == decimation_) emit_frame();
}

void Analyzer::emit_frame() {
  // The accelerometer correction runs on the means of whole frames (correction_frames_ of
  // them), before the frame reads the orientation.
  corr_acc_ += block_acc_;
  corr_gyr_ += block_gyr_;
  corr_mag_ += block_mag_;
  corr_n_ += block_n_;
  if (++corr_frames_ == correction_frames_) {
    orientation_.correct(corr_acc_ / corr_n_, corr_gyr_ / corr_n_);
    if (params_.use_magnetometer) {
      orientation_.correct_heading(corr_mag_ / corr_n_);
      corr_mag_.setZero();
    }
    corr_acc_.setZero();
    corr_gyr_.setZero();
    corr_n_ = corr_frames_ = 0;
  }
  const double inv = 1.0 / block_n_;
  FrameSample& f = frames_.push_slot();  // every field is set below
  f.time_s = block_t_ * inv;
  f.acc = block_acc_ * inv;
  f.gyr = block_gyr_ * inv - orientation_.gyro_bias();
  f.q = orientation_.orientation();
  f.up = up_in(f.q);
  f.vertical_sf = f.up.dot(f.acc);
  f.acc_h = f.acc - f.vertical_sf * f.up;
  f.rest = orientation_.at_rest();
  f.clipped = block_clipped_;
  f.gap_before = gap_pending_;
  f.bridged_hole = block_bridged_hole_;
  f.obliquity_deg = f.tilt_deg = f.rotation_deg = kNotMeasured;
  gap_pending_ = false;
  block_n_ = 0;
  block_t_ = 0.0;
  block_acc_.setZero();
  block_gyr_.setZero();
  block_mag_.setZero();
  block_clipped_ = false;
  block_bridged_hole_ = false;
  process_frame(f);
}

void Analyzer::process_frame(FrameSample& f) {
  if (!calibration_.valid) mounting_.add_frame(f.time_s, frame_period_s_, f.acc, f.gyr);
  if (calibration_.valid) compute_angles(f);
  contacts_.clear();
  detector_.update(f, contacts_);
  for (const Contact& c : contacts_) on_contact(c);
  if (!calibration_.valid) try_calibrate(false);
  if (params_.provisional) update_provisional();
  // Nothing can become ready between contacts until a side-cue window is complete.
  if (!contacts_.empty() || f.time_s >= cue_wake_s_) emit_ready(false);
}

void Analyzer::compute_angles(FrameSample& f) {
  // Obliquity φ = asin(u_y), u = world up in the pelvis frame: u_y = (pelvis y) · up, both
  // in the sensor frame; asin written with the cheap atan2.
  const double uy = std::clamp(pelvis_y_in_sensor_.dot(f.up), -1.0, 1.0);
  f.obliquity_deg = fast_atan2(uy, std::sqrt(1.0 - uy * uy)) * kRadToDeg;
  if (params_.keep_angles) {  // tilt is output only
    const Vec3 u = r_ps_ * f.up;
    f.tilt_deg = fast_atan2(-u.x(), u.z()) * kRadToDeg;
  }
  // Transverse rotation: heading of the pelvis y axis in the earth frame (Baker Z-X-Y).
  const Eigen::Vector2d y_e = rotate_xy(f.q, pelvis_y_in_sensor_);
  const double psi = fast_atan2(-y_e.x(), y_e.y());
  psi_unwrapped_ = have_psi_ ? psi_unwrapped_ + wrap_pi(psi - last_psi_raw_) : psi;
  have_psi_ = true;
  last_psi_raw_ = psi;
  f.rotation_deg = psi_unwrapped_ * kRadToDeg;
  if (!params_.keep_angles) return;
  if (psi_window_.full()) psi_window_sum_ -= psi_window_[psi_window_.begin()];
  psi_window_.push(f.rotation_deg);
  psi_window_sum_ += f.rotation_deg;
  const double mean =
      psi_window_sum_ / static_cast<double>(psi_window_.end() - psi_window_.begin());
  ready_angles_.push_back({f.time_s, f.obliquity_deg, f.tilt_deg, f.rotation_deg - mean});
}

void Analyzer::try_calibrate(bool force) {
  const bool buffer_full = frames_.size() + 1 >= frames_.capacity();
  if (!(mounting_.ready() || ((force || buffer_full) && mounting_.steps() >= 4))) return;
  calibration_ = mounting_.solve(frames_.empty() ? 0.0 : frames_.back().time_s);
  if (!calibration_.valid) return;
  r_ps_ = calibration_.sensor_to_pelvis;
  pelvis_y_in_sensor_ = r_ps_.row(1).transpose();
  for (std::uint64_t i = frames_.begin(); i < frames_.end(); ++i) compute_angles(frames_[i]);
  refine_pending_ics();
  cue_wake_s_ = -1e300;  // everything pending can now get its side cue
}

void Analyzer::finish() {
  if (finished_) return;
  if (block_n_ > 0) emit_frame();
  contacts_.clear();
  detector_.finish(contacts_);
  for (const Contact& c : contacts_) on_contact(c);
  finished_ = true;
  add_closing_contact();
  close_bout();
  if (!calibration_.valid) try_calibrate(true);
  emit_ready(true);
}

void Analyzer::take_steps(std::vector<Step>& out) {
  out.insert(out.end(), ready_steps_.begin(), ready_steps_.end());
  ready_steps_.clear();
}

void Analyzer::take_provisional(std::vector<ProvisionalStep>& out) {
  out.insert(out.end(), ready_provisional_.begin(), ready_provisional_.end());
  ready_provisional_.clear();
}

void Analyzer::take_angles(std::vector<AngleSample>& out) {
  out.insert(out.end(), ready_angles_.begin(), ready_angles_.end());
  ready_angles_.clear();
}

}  // namespace stridelab::dsp
