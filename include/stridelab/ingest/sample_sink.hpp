#pragma once
// Where decoded samples go: the recorder, later the live analysis and the GUI. Called from
// one delivery thread that the ingest session owns, in order per sensor. I/O never waits for
// a sink: a slow sink fills a bounded queue, and what does not fit is counted
// (LinkStats::queue_overflows) and delivered as a Gap with cause "overflow".
#include <cstddef>
#include <span>
#include <string>

#include "stridelab/core/types.hpp"

namespace stridelab::ingest {

struct TimedSample {
  ImuSample sample;            // time_s on the common time base; SI units
  double device_time_s = 0.0;  // the sensor's own clock, unwrapped, s
};

class SampleSink {
 public:
  virtual ~SampleSink() = default;
  // What the session knows about a sensor: first its configuration, then again whenever the
  // device describes itself (model, id, rate, ranges). Comes before the samples it concerns.
  virtual void on_sensor_info(std::size_t /*sensor*/, const SensorInfo& /*info*/) {}
  virtual void on_samples(std::size_t sensor, std::span<const TimedSample> samples) = 0;
  // Missing samples before the next sample of this sensor. gap.index counts the samples
  // this sink has received for the sensor.
  virtual void on_gap(std::size_t sensor, const Gap& gap) = 0;
  // Human-readable link events ("connected to /dev/pts/3", "link lost: device closed").
  virtual void on_link_event(std::size_t /*sensor*/, const std::string& /*message*/) {}
  // At least every 100 ms, also when no data flows (periodic flushes, display refresh).
  virtual void on_idle() {}
};

}  // namespace stridelab::ingest
