#include "event_queue.hpp"

#include <chrono>

namespace stridelab::ingest::detail {

EventQueue::EventQueue(std::size_t capacity) : ring_(std::max(capacity, 2 * kControlReserve)) {}

bool EventQueue::try_push(QueueItem* items, std::size_t n) {
  bool only_samples = true;
  for (std::size_t i = 0; i < n; ++i) only_samples &= items[i].kind == QueueItem::Kind::kSample;
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    const std::size_t limit = only_samples ? ring_.size() - kControlReserve : ring_.size();
    if (closed_ || size_ + n > limit) return false;
    for (std::size_t i = 0; i < n; ++i) {
      ring_[(head_ + size_) % ring_.size()] = std::move(items[i]);
      ++size_;
    }
    wake = consumer_waiting_;
  }
  if (wake) ready_.notify_one();
  return true;
}

bool EventQueue::pop_all(std::vector<QueueItem>& out, double timeout_s) {
  out.clear();
  std::unique_lock lock(mutex_);
  if (size_ == 0 && !closed_) {
    consumer_waiting_ = true;
    ready_.wait_for(lock, std::chrono::duration<double>(timeout_s),
                    [this] { return size_ > 0 || closed_; });
    consumer_waiting_ = false;
  }
  out.reserve(size_);
  for (; size_ > 0; --size_) {
    out.push_back(std::move(ring_[head_]));
    head_ = (head_ + 1) % ring_.size();
  }
  return !(closed_ && out.empty());
}

void EventQueue::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  ready_.notify_all();
}

std::size_t EventQueue::size() const {
  std::lock_guard lock(mutex_);
  return size_;
}

}  // namespace stridelab::ingest::detail
