#include "stridelab/clock/clock_model.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include "stridelab/core/error.hpp"

namespace stridelab::clock {

namespace {

// Consecutive mapped times advance by at least this fraction of the device-time step. Only a
// backlog arriving much faster than real time meets this floor; it then runs ahead of its
// arrival by at most this fraction of its duration until live data lets the slew catch up.
constexpr double kMinStepFraction = 1e-3;

bool wraps(int bits) {
  return bits > 0 && bits < 64;
}

// Signed step from `from` to `to` on a counter that wraps at 2^bits: the shorter way round.
std::int64_t wrapped_step(std::uint64_t from, std::uint64_t to, int bits) {
  if (!wraps(bits)) return static_cast<std::int64_t>(to - from);
  const std::uint64_t modulus = std::uint64_t{1} << bits;
  const std::uint64_t forward = (to - from) & (modulus - 1);
  return forward >= modulus / 2
             ? static_cast<std::int64_t>(forward) - static_cast<std::int64_t>(modulus)
             : static_cast<std::int64_t>(forward);
}

}  // namespace

ClockModel::ClockModel(const ClockParams& params) : params_(params), estimator_(params.estimator) {
  if (!(params_.tick_hz > 0)) throw Error("clock model: tick_hz must be > 0");
  if (params_.tick_bits < 0 || params_.tick_bits > 64 || params_.sequence_bits < 0 ||
      params_.sequence_bits > 32)
    throw Error("clock model: tick_bits must be 0..64 and sequence_bits 0..32");
  if (!(params_.startup_slew > 0 && params_.startup_slew < 1 && params_.max_slew > 0 &&
        params_.max_slew < 1))
    throw Error("clock model: slew limits must be in (0, 1)");
}

double ClockModel::period_s() const {
  if (params_.nominal_rate_hz > 0) return 1.0 / params_.nominal_rate_hz;
  if (params_.ticks_count_samples) return 1.0 / params_.tick_hz;
  return learned_period_s_;
}

void ClockModel::learn_period(double step_s) {
  constexpr int kSteps = static_cast<int>(sizeof(period_steps_) / sizeof(period_steps_[0]));
  if (learned_period_s_ > 0 || period_step_count_ >= kSteps) return;
  period_steps_[period_step_count_++] = step_s;
  if (period_step_count_ == kSteps) {
    std::nth_element(period_steps_, period_steps_ + kSteps / 2, period_steps_ + kSteps);
    learned_period_s_ = period_steps_[kSteps / 2];
  }
}

void ClockModel::mark_disconnect(double /*host_s*/) {
  if (!started_ || disconnect_pending_) return;
  disconnect_pending_ = true;
  ++stats_.disconnects;
}

void ClockModel::mark_restart() {
  if (started_) restart_pending_ = true;
}

std::optional<Gap> ClockModel::detect_gap(double step_s, std::uint32_t seq_step, bool have_seq,
                                          std::uint64_t index_step, bool have_index) const {
  const double period = period_s();
  const bool seq_jump = have_seq && seq_step > 1;
  const std::uint64_t missing_by_time =
      period > 0 ? static_cast<std::uint64_t>(std::max(0.0, std::round(step_s / period) - 1.0)) : 0;
  const bool time_jump = period > 0 && step_s > params_.gap_factor * period;
  Gap gap;
  if (disconnect_pending_) {
    gap.cause = "disconnect";
    gap.missing = period > 0 ? missing_by_time : (seq_jump ? seq_step - 1 : 0);
    return gap;
  }
  if (have_index && index_step > 1) {
    gap.cause = "sequence";
    gap.missing = index_step - 1;
    return gap;
  }
  if (time_jump) {
    gap.cause = (seq_jump || (params_.ticks_count_samples && !have_index)) ? "sequence" : "time";
    gap.missing = std::max<std::uint64_t>(missing_by_time, 1);
    return gap;
  }
  if (seq_jump && period <= 0) {
    gap.cause = "sequence";
    gap.missing = seq_step - 1;
    return gap;
  }
  return std::nullopt;
}

MappedStamp ClockModel::update(const DeviceStamp& stamp) {
  Prepared p = prepare(stamp, [] {});
  return finish(p);
}

// A chunk of samples that arrived together: the estimator hears all of them before any is
// mapped, so a burst of buffered samples is placed by its newest (least delayed) sample
// instead of being stamped forward from its oldest.
void ClockModel::update_batch(std::span<const DeviceStamp> stamps, std::vector<MappedStamp>& out) {
  out.clear();
  out.reserve(stamps.size());
  pending_.clear();
  auto flush = [&] {
    for (Prepared& p : pending_) out.push_back(finish(p));
    pending_.clear();
  };
  for (const DeviceStamp& stamp : stamps) {
    Prepared p = prepare(stamp, flush);  // a restart maps what came before it first
    pending_.push_back(std::move(p));
  }
  flush();
}

ClockModel::Prepared ClockModel::prepare(const DeviceStamp& stamp,
                                         const std::function<void()>& before_reset) {
  Prepared out;
  const double host = stamp.host_rx_s;
  out.host_s = host;
  if (!started_) {
    started_ = true;
    disconnect_pending_ = restart_pending_ = false;
    last_ticks_ = stamp.ticks;
    unwrapped_ticks_ = 0;
    epoch_base_s_ = static_cast<double>(stamp.ticks) / params_.tick_hz;
    estimator_.add(epoch_base_s_, host);
    out.accepted = true;
    out.device_s = epoch_base_s_;
    last_device_s_ = out.device_s;
    last_host_s_ = host;
    last_seq_ = stamp.sequence;
    last_index_ = stamp.sample_index;
    return out;
  }

  std::int64_t step = wrapped_step(last_ticks_, stamp.ticks, params_.tick_bits);
  // After a silence longer than half the wrap period the short way round may be wrong: let
  // the host clock say how many whole wraps went by.
  if (wraps(params_.tick_bits)) {
    const double modulus = std::ldexp(1.0, params_.tick_bits);
    const double elapsed_ticks = (host - last_host_s_) * params_.tick_hz;
    if (elapsed_ticks > modulus / 2) {
      const double wraps_missed = std::round((elapsed_ticks - static_cast<double>(step)) / modulus);
      if (wraps_missed > 0) step += static_cast<std::int64_t>(wraps_missed * modulus);
    }
  }
  const double step_s = static_cast<double>(step) / params_.tick_hz;
  double device_s = epoch_base_s_ + static_cast<double>(unwrapped_ticks_ + step) / params_.tick_hz;

  bool restarted = restart_pending_ || stamp.restart;
  if (!restarted && step <= 0) {
    if (!disconnect_pending_ && -step_s <= params_.reset_tolerance_s) {
      ++stats_.stale;  // a repeated or older stamp: drop, never re-order the output
      return out;
    }
    restarted = true;  // the clock went far back, or back across an unplug: a reboot
  } else if (!restarted && step_s > params_.reset_tolerance_s &&
             estimator_.map(device_s) > host + params_.reset_tolerance_s) {
    // One step far ahead, and ahead of the host too: the clock jumped, not time. (Steady
    // steps that outrun the host are a backlog arriving fast: they only lower the offset.)
    restarted = true;
  }

  if (restarted) {
    ++stats_.restarts;
    // Continue the device axis at the instant the host believes it is now.
    const double period = period_s();
    device_s = std::max(last_device_s_ + (period > 0 ? period : 1e-6), estimator_.unmap(host));
    epoch_base_s_ = device_s;
    unwrapped_ticks_ = 0;
    before_reset();
    estimator_.reset();
    out.gap = Gap{};
    out.gap->cause = disconnect_pending_ ? "disconnect" : "restart";
    out.gap->missing = period > 0
                           ? static_cast<std::uint64_t>(std::max(
                                 0.0, std::round((device_s - last_device_s_) / period) - 1.0))
                           : 0;
  } else {
    const bool have_seq = params_.sequence_bits > 0 && stamp.sequence && last_seq_;
    std::uint32_t seq_step = 0;
    if (have_seq) {
      const std::int64_t s = wrapped_step(*last_seq_, *stamp.sequence, params_.sequence_bits);
      seq_step = s > 0 ? static_cast<std::uint32_t>(s) : 0;  // device time is authoritative
    }
    if (!disconnect_pending_ && seq_step <= 1) learn_period(step_s);
    // Indices restart with a new connection's decoder: only compared within one link.
    const bool have_index = !disconnect_pending_ && stamp.sample_index && last_index_ &&
                            *stamp.sample_index > *last_index_;
    const std::uint64_t index_step = have_index ? *stamp.sample_index - *last_index_ : 0;
    out.gap = detect_gap(step_s, seq_step, have_seq, index_step, have_index);
    if (!out.gap && have_seq && seq_step > 1) ++stats_.lost_other_frames;
    unwrapped_ticks_ += step;
  }
  last_ticks_ = stamp.ticks;
  last_seq_ = stamp.sequence;
  last_index_ = stamp.sample_index;
  disconnect_pending_ = false;
  restart_pending_ = false;
  estimator_.add(device_s, host);
  out.accepted = true;
  out.device_s = device_s;
  last_device_s_ = device_s;
  last_host_s_ = host;
  return out;
}

// Maps a prepared sample: the estimate, approached by a slew-limited correction of the
// previous mapped time, and never later than the sample's own arrival.
MappedStamp ClockModel::finish(Prepared& p) {
  MappedStamp out;
  if (!p.accepted) return out;
  double time_s = estimator_.map(p.device_s);
  if (have_mapped_) {
    const double step_done = p.device_s - mapped_device_s_;
    const double predicted = last_time_s_ + step_done * (1.0 + estimator_.skew());
    const double slew =
        (estimator_.has_drift() ? params_.max_slew : params_.startup_slew) * step_done;
    time_s = predicted + std::clamp(time_s - predicted, -slew, slew);
    // A sample cannot be taken after it arrived; strictly increasing wins over that only
    // when the previous mapping was already too late.
    time_s = std::min(time_s, p.host_s);
    time_s = std::max(time_s, last_time_s_ + kMinStepFraction * step_done);
  }
  if (p.gap) {
    p.gap->index = stats_.accepted;
    p.gap->start_s = last_time_s_;
    p.gap->end_s = time_s;
    ++stats_.gaps;
    stats_.missing += p.gap->missing;
  }
  out.accepted = true;
  out.device_s = p.device_s;
  out.time_s = time_s;
  out.gap = std::move(p.gap);
  have_mapped_ = true;
  mapped_device_s_ = p.device_s;
  last_time_s_ = time_s;
  ++stats_.accepted;
  stats_.skew_ppm = estimator_.skew() * 1e6;
  stats_.offset_s = estimator_.offset_s();
  stats_.period_s = period_s();
  return out;
}

}  // namespace stridelab::clock
