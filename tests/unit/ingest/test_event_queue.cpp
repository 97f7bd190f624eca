#include <gtest/gtest.h>

#include <thread>

#include "ingest/event_queue.hpp"

namespace stridelab::ingest::detail {
namespace {

QueueItem sample_item(std::uint32_t sensor, double t) {
  QueueItem item;
  item.sensor = sensor;
  item.sample.sample.time_s = t;
  return item;
}

QueueItem gap_item(std::uint32_t sensor) {
  QueueItem item;
  item.kind = QueueItem::Kind::kGap;
  item.sensor = sensor;
  item.control = std::make_unique<ControlEvent>();
  return item;
}

TEST(EventQueue, SamplesLeaveRoomForControlEvents) {
  EventQueue q(1000);
  std::size_t accepted = 0;
  for (int i = 0; i < 2000; ++i) {
    QueueItem item = sample_item(0, i);
    accepted += q.try_push(&item, 1);
  }
  EXPECT_EQ(accepted, 1000 - EventQueue::kControlReserve);
  QueueItem gap = gap_item(0);
  EXPECT_TRUE(q.try_push(&gap, 1)) << "a full sample lane must not block the loss record";
  std::vector<QueueItem> out;
  ASSERT_TRUE(q.pop_all(out, 0.0));
  ASSERT_EQ(out.size(), accepted + 1);
  for (std::size_t i = 0; i < accepted; ++i) EXPECT_EQ(out[i].sample.sample.time_s, double(i));
  EXPECT_EQ(out.back().kind, QueueItem::Kind::kGap);
}

TEST(EventQueue, PairsGoInTogetherOrNotAtAll) {
  EventQueue q(600);
  for (int i = 0; i < 599; ++i) {
    QueueItem g = gap_item(0);
    ASSERT_TRUE(q.try_push(&g, 1));
  }
  QueueItem pair[2] = {gap_item(1), sample_item(1, 1.0)};
  EXPECT_FALSE(q.try_push(pair, 2));
  EXPECT_EQ(q.size(), 599u);
}

TEST(EventQueue, ConsumerWakesForDataAndEndsAfterClose) {
  EventQueue q(1000);
  std::vector<double> seen;
  std::thread consumer([&] {
    std::vector<QueueItem> out;
    while (q.pop_all(out, 1.0))
      for (auto& item : out) seen.push_back(item.sample.sample.time_s);
  });
  for (int i = 0; i < 500; ++i) {
    QueueItem item = sample_item(0, i);
    while (!q.try_push(&item, 1)) std::this_thread::yield();
  }
  q.close();
  consumer.join();
  ASSERT_EQ(seen.size(), 500u);
  for (int i = 0; i < 500; ++i) EXPECT_EQ(seen[static_cast<std::size_t>(i)], i);
  QueueItem late = sample_item(0, 0);
  EXPECT_FALSE(q.try_push(&late, 1));
}

}  // namespace
}  // namespace stridelab::ingest::detail
