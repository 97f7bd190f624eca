#pragma once
// A simulated sensor link for clock-model tests: a device clock with a known offset and drift
// against the host clock, and arrival times shaped like real transports (steady jitter,
// BLE connection-interval batches, USB frames).
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <string>
#include <cstdint>
#include <random>
#include <vector>

#include "stridelab/clock/clock_model.hpp"

namespace stridelab::clock::testing {

struct LinkParams {
  double rate_hz = 200.0;
  double device_start_s = 3000.0;  // device clock reading at the first sample, s
  double host_start_s = 0.5;       // true host time of the first sample, s
  double skew = 0.0;               // device runs slow by this fraction (host = d·(1+skew)…)
  double min_delay_s = 0.4e-3;     // minimal transport latency (unobservable), s
  double jitter_mean_s = 0.3e-3;   // exponential extra delay, mean, s
  double batch_interval_s = 0.0;   // > 0: delivered in batches every this long (BLE, USB)
  double batch_jitter_s = 0.0;     // uniform jitter of each batch's delivery, s
  double batch_skip_prob = 0.0;    // probability that a connection event is missed
  std::uint32_t seed = 7;
};

struct SyntheticSample {
  DeviceStamp stamp;
  double true_host_s = 0.0;  // when the sample was taken, host base, plus min_delay_s
};

// n samples in arrival order. Sequence numbers (u16) count samples from seq0.
inline std::vector<SyntheticSample> make_link(const LinkParams& p, std::size_t n,
                                              std::uint32_t seq0 = 0) {
  std::mt19937 rng(p.seed);
  std::exponential_distribution<double> jitter(1.0 / std::max(p.jitter_mean_s, 1e-12));
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<SyntheticSample> out(n);
  double next_event = p.host_start_s;
  for (std::size_t i = 0; i < n; ++i) {
    const double d = p.device_start_s + static_cast<double>(i) / p.rate_hz;
    const double taken = p.host_start_s + (d - p.device_start_s) * (1.0 + p.skew);
    double rx = taken + p.min_delay_s + (p.jitter_mean_s > 0 ? jitter(rng) : 0.0);
    if (p.batch_interval_s > 0) {
      // The sample waits for the next connection event after it is ready.
      while (next_event < taken + p.min_delay_s) {
        next_event += p.batch_interval_s;
        while (unit(rng) < p.batch_skip_prob) next_event += p.batch_interval_s;
      }
      rx = next_event + p.batch_jitter_s * unit(rng);
    }
    out[i].stamp.ticks = static_cast<std::uint64_t>(std::llround(d * 1e6)) & 0xFFFFFFFFull;
    out[i].stamp.host_rx_s = rx;
    out[i].stamp.sequence = static_cast<std::uint32_t>((seq0 + i) & 0xFFFF);
    out[i].true_host_s = taken + p.min_delay_s;
  }
  // Batched deliveries keep order; jittered ones might not, but a byte stream keeps order:
  // a sample cannot arrive before the one sent ahead of it.
  for (std::size_t i = 1; i < n; ++i)
    out[i].stamp.host_rx_s = std::max(out[i].stamp.host_rx_s, out[i - 1].stamp.host_rx_s);
  return out;
}

struct ErrorFigures {
  double max_abs_s = 0.0;  // after warm-up
  double rms_s = 0.0;
  std::size_t mapped = 0;
  bool strictly_increasing = true;
};

// Feeds the link through a model; errors are measured from warm_up_s of device time on.
inline ErrorFigures run_link(ClockModel& model, const std::vector<SyntheticSample>& link,
                             double warm_up_s, std::vector<MappedStamp>* mapped = nullptr) {
  ErrorFigures f;
  double sum2 = 0;
  std::size_t counted = 0;
  double last = -1e300;
  double first_dev = -1;
  for (const auto& s : link) {
    const MappedStamp m = model.update(s.stamp);
    if (!m.accepted) continue;
    if (mapped) mapped->push_back(m);
    ++f.mapped;
    if (!(m.time_s > last)) f.strictly_increasing = false;
    last = m.time_s;
    if (first_dev < 0) first_dev = m.device_s;
    if (m.device_s - first_dev < warm_up_s) continue;
    const double e = m.time_s - s.true_host_s;
    f.max_abs_s = std::max(f.max_abs_s, std::abs(e));
    sum2 += e * e;
    ++counted;
  }
  f.rms_s = counted ? std::sqrt(sum2 / static_cast<double>(counted)) : 0.0;
  return f;
}

// A device stamp received at host time host_rx_s.
inline DeviceStamp stamp(std::uint64_t ticks, double host_rx_s) {
  DeviceStamp s;
  s.ticks = ticks;
  s.host_rx_s = host_rx_s;
  return s;
}

// Prints a measured mapping error and records it as a test property.
inline void report(const char* name, const ErrorFigures& f) {
  std::cout << "[clock] " << name << ": max |error| " << f.max_abs_s * 1e3 << " ms, rms "
            << f.rms_s * 1e3 << " ms over " << f.mapped << " samples\n";
  ::testing::Test::RecordProperty(std::string(name) + "_max_abs_ms",
                                  std::to_string(f.max_abs_s * 1e3));
}

}  // namespace stridelab::clock::testing
