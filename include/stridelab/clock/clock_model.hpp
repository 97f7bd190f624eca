#pragma once
// Per-sensor clock model: device time stamps (a wrapping µs clock or a sample counter, plus
// an optional wrapping frame sequence number) in, times on the recording's common time base
// (host steady clock, 0 at session start) out, with dropouts turned into Gap entries.
//
// Rules it keeps (docs/INGEST.md):
//   - the device clock is the source of truth: a sample's time is a function of its device
//     time only, never of when it arrived (USB and BLE deliver in batches);
//   - mapped times are strictly increasing, never after the sample's arrival, and
//     corrections are slewed, never stepped;
//   - missing samples become a Gap (cause "sequence", "time", "disconnect" or "restart"),
//     nothing is interpolated;
//   - stale or duplicated stamps are dropped and counted, never re-ordered into the output.
// Pure arithmetic, no I/O; the same object serves live ingest and offline re-mapping.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "stridelab/clock/clock_estimator.hpp"
#include "stridelab/core/types.hpp"

namespace stridelab::clock {

struct ClockParams {
  double tick_hz = 1e6;              // device clock ticks per second (1e6: µs clock)
  int tick_bits = 32;                // the device clock wraps at 2^tick_bits (0: never wraps)
  bool ticks_count_samples = false;  // ticks are a sample counter (tick_hz = sample rate)
  int sequence_bits = 16;            // frame sequence counter width (stamps without one: ignored)
  double nominal_rate_hz = 0.0;      // samples/s; 0: learned from the first device-time steps
  double gap_factor = 1.5;           // a device-time step > gap_factor periods is a dropout
  double reset_tolerance_s = 5.0;    // a device clock further off than this restarted, s
  // Corrections are slewed: a mapped time differs from "previous mapped time + device step
  // scaled by the drift" by at most this fraction of the device step.
  double startup_slew = 0.5;  // until the drift is known (fast convergence; keeps times
                              // strictly increasing)
  double max_slew = 2e-3;     // afterwards (2 ms/s: estimate updates never show as
                              // steps in the sample spacing)
  EstimatorParams estimator;
};

// What the transport knows about one sample.
struct DeviceStamp {
  std::uint64_t ticks = 0;                // raw device clock (or sample counter) reading
  double host_rx_s = 0.0;                 // host steady clock when its bytes arrived, s
  std::optional<std::uint32_t> sequence;  // frame sequence number, if the protocol has one
  // Sample counter that jumps only where samples are missing (a decoder's sample index):
  // when given, it counts the missing samples exactly.
  std::optional<std::uint64_t> sample_index;
  bool restart = false;  // the device said it restarted before this sample (boot message)
};

struct MappedStamp {
  bool accepted = false;   // false: stale/duplicate stamp, dropped (counted in stats)
  double device_s = 0.0;   // unwrapped device time, s (continues across restarts)
  double time_s = 0.0;     // common time base, s
  std::optional<Gap> gap;  // the dropout that ends at this sample, if any
};

struct ClockStats {
  std::uint64_t accepted = 0;           // samples mapped
  std::uint64_t stale = 0;              // stamps dropped as stale or duplicate
  std::uint64_t gaps = 0;               // Gap entries emitted
  std::uint64_t missing = 0;            // samples missing in those gaps
  std::uint64_t lost_other_frames = 0;  // sequence jumps with no sample missing
  std::uint64_t disconnects = 0;
  std::uint64_t restarts = 0;  // device clock restarts detected
  double skew_ppm = 0.0;       // current drift estimate, ppm
  double offset_s = 0.0;       // current host − device offset at the reference, s
  double period_s = 0.0;       // sample period in use (0 until known), s
};

class ClockModel {
 public:
  explicit ClockModel(const ClockParams& params = {});

  // One sample's stamp, in arrival order.
  MappedStamp update(const DeviceStamp& stamp);
  // The stamps of samples that arrived together (one read), in order; out gets one result
  // per stamp. Better than update() one by one: see clock_model.cpp.
  void update_batch(std::span<const DeviceStamp> stamps, std::vector<MappedStamp>& out);
  // The link dropped at host time host_s; the next accepted sample closes a "disconnect" gap.
  // A device clock that went backwards by then restarted (it is not a stale stamp).
  void mark_disconnect(double host_s);
  // The device says it restarted (boot message), or its stream has no clock of its own and
  // starts over: the next sample opens a new epoch that continues the time axis.
  void mark_restart();
  // Common time of a device time under the current estimate (for offline re-mapping).
  double map(double device_s) const { return estimator_.map(device_s); }
  const ClockStats& stats() const { return stats_; }
  const ClockParams& params() const { return params_; }

 private:
  struct Prepared {
    bool accepted = false;
    double device_s = 0.0;
    double host_s = 0.0;
    std::optional<Gap> gap;  // cause and missing count; times are set when mapped
  };
  Prepared prepare(const DeviceStamp& stamp, const std::function<void()>& before_reset);
  MappedStamp finish(Prepared& prepared);
  double period_s() const;
  void learn_period(double step_s);
  std::optional<Gap> detect_gap(double step_s, std::uint32_t seq_step, bool have_seq,
                                std::uint64_t index_step, bool have_index) const;

  ClockParams params_;
  ClockEstimator estimator_;
  ClockStats stats_;
  bool started_ = false;
  bool disconnect_pending_ = false;
  bool restart_pending_ = false;
  std::uint64_t last_ticks_ = 0;
  std::int64_t unwrapped_ticks_ = 0;  // ticks since the first stamp of this epoch
  double epoch_base_s_ = 0.0;         // device time of the epoch's first stamp, s
  double last_device_s_ = 0.0;        // of the last prepared sample
  bool have_mapped_ = false;
  double mapped_device_s_ = 0.0;  // of the last mapped sample
  double last_time_s_ = 0.0;
  double last_host_s_ = 0.0;
  std::optional<std::uint32_t> last_seq_;
  std::optional<std::uint64_t> last_index_;
  double learned_period_s_ = 0.0;
  double period_steps_[15] = {};
  int period_step_count_ = 0;
  std::vector<Prepared> pending_;  // update_batch scratch
};

}  // namespace stridelab::clock
