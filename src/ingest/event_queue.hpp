#pragma once
// The bounded hand-over between the io thread (producer) and the delivery thread (consumer).
// The producer never waits: try_push fails when full, and the caller counts the loss.
// Samples may use capacity − kControlReserve slots; gaps, infos and messages may use the
// reserve too, so a burst of samples cannot crowd out the record of their own loss.
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "stridelab/ingest/sample_sink.hpp"

namespace stridelab::ingest::detail {

struct ControlEvent {
  Gap gap;
  SensorInfo info;
  std::string message;
};

struct QueueItem {
  enum class Kind : std::uint8_t { kSample, kGap, kInfo, kMessage };
  Kind kind = Kind::kSample;
  std::uint32_t sensor = 0;
  TimedSample sample;
  std::unique_ptr<ControlEvent> control;  // kGap, kInfo, kMessage
};

class EventQueue {
 public:
  static constexpr std::size_t kControlReserve = 256;
  explicit EventQueue(std::size_t capacity);

  // Appends all items or none; false when there is no room (nothing is added).
  bool try_push(QueueItem* items, std::size_t n);
  // Moves everything queued into out (cleared first). Waits up to timeout_s for the first
  // item; returns false once closed and empty.
  bool pop_all(std::vector<QueueItem>& out, double timeout_s);
  void close();  // wakes the consumer; pushes after close fail
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<QueueItem> ring_;
  std::size_t head_ = 0;  // next to pop
  std::size_t size_ = 0;
  bool closed_ = false;
  bool consumer_waiting_ = false;
};

}  // namespace stridelab::ingest::detail
