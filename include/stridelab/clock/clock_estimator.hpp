#pragma once
// Offset and drift between one device clock and the host clock, from arrival times only.
//
// Every sample arrives at host time h = device time d mapped to the host base + delay, with
// delay >= a minimal transport latency and often much more (USB and BLE deliver in batches).
// The lowest-delay samples carry the information, so the estimator works on the lower
// envelope of lag = h - d:
//   drift   the lower-envelope line under per-block lag minima over skew_window_s (minutes),
//   offset  that line, or the running minimum of the drift-corrected lag over the last
//           offset_window_s where that is lower (start-up, and drift that changes).
// The mapping is  host(d) = d + offset + skew * (d - d_ref).  The minimal latency itself is
// unobservable, so mapped times sit that much after the true sampling instant.
// Pure arithmetic, no I/O; O(1) amortised per sample.
#include <cstddef>
#include <deque>

namespace stridelab::clock {

struct EstimatorParams {
  double offset_window_s = 10.0;  // running minimum of the lag over this much device time, s
  double offset_block_s = 0.1;    // lag minima are kept per block of this length, s
  double skew_block_s = 1.0;      // one lower-envelope point per block for the drift fit, s
  double skew_window_s = 300.0;   // drift is fitted over the last this-many seconds, s
  double min_skew_span_s = 30.0;  // no drift estimate before the envelope spans this long, s
  double max_skew = 1e-3;         // |drift| is clamped to this (1000 ppm; crystals: ~±100 ppm)
};

class ClockEstimator {
 public:
  explicit ClockEstimator(const EstimatorParams& params = {});

  // One sample: its device time (s, non-decreasing) and its host arrival time (s).
  void add(double device_s, double host_rx_s);
  // Host time of the device instant device_s under the current estimate.
  double map(double device_s) const;
  // Inverse of map(): device time that maps to host_s.
  double unmap(double host_s) const;
  bool has_estimate() const { return started_; }
  bool has_drift() const { return have_line_; }  // the drift window gave a line
  double skew() const { return skew_; }          // relative rate error, e.g. 1e-4
  double offset_s() const;                       // host − device at d_ref, s
  double reference_device_s() const { return ref_device_s_; }
  // Forget everything (the device clock restarted); the drift estimate is kept because it
  // belongs to the crystal, not to the epoch.
  void reset();

 private:
  struct Block {
    long index = 0;         // block number, floor((d - d_ref) / block length)
    double device_s = 0.0;  // device time of the block's minimum
    double lag_s = 0.0;     // minimum of host − device in the block
  };
  void close_offset_block();
  void close_skew_block();
  void fit_skew();
  double corrected(const Block& b) const { return b.lag_s - skew_ * (b.device_s - ref_device_s_); }

  EstimatorParams params_;
  bool started_ = false;
  double ref_device_s_ = 0.0;
  double skew_ = 0.0;
  Block open_offset_;
  Block open_skew_;
  std::deque<Block> offset_blocks_;  // closed, within offset_window_s
  std::deque<Block> skew_blocks_;    // closed, within skew_window_s
  double closed_offset_min_ = 0.0;   // min of corrected lag over offset_blocks_
  bool have_line_ = false;           // the drift window gave an envelope line
  double line_offset_s_ = 0.0;       // that line's lag at d_ref, s
};

}  // namespace stridelab::clock
