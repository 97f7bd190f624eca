// Clock model events: dropouts, disconnects, restarts, stale stamps, wraps of counters.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>

#include "stridelab/clock/clock_model.hpp"
#include "stridelab/core/error.hpp"
#include "synthetic_link.hpp"

namespace stridelab::clock {
namespace {

using testing::ErrorFigures;
using testing::LinkParams;
using testing::make_link;
using testing::report;
using testing::run_link;
using testing::stamp;

TEST(ClockModel, SequenceGapsBecomeGapsWithMissingCounts) {
  LinkParams p;
  p.rate_hz = 100;
  auto link = make_link(p, 3000, /*seq0=*/65500);  // the u16 sequence wraps at sample 36
  // Drop samples 40..44 (5) and 2000..2099 (100).
  std::vector<testing::SyntheticSample> kept;
  for (std::size_t i = 0; i < link.size(); ++i)
    if (!(i >= 40 && i < 45) && !(i >= 2000 && i < 2100)) kept.push_back(link[i]);
  ClockModel model;
  std::vector<Gap> gaps;
  std::vector<MappedStamp> mapped;
  for (const auto& s : kept) {
    const MappedStamp m = model.update(s.stamp);
    ASSERT_TRUE(m.accepted);
    mapped.push_back(m);
    if (m.gap) gaps.push_back(*m.gap);
  }
  ASSERT_EQ(gaps.size(), 2u);
  EXPECT_EQ(gaps[0].cause, "sequence");
  EXPECT_EQ(gaps[0].missing, 5u);
  EXPECT_EQ(gaps[0].index, 40u);
  EXPECT_NEAR(gaps[0].end_s - gaps[0].start_s, 6 / 100.0, 1e-3);
  EXPECT_EQ(gaps[1].missing, 100u);
  EXPECT_EQ(gaps[1].index, 2000u - 5u);
  EXPECT_DOUBLE_EQ(gaps[1].end_s, mapped[gaps[1].index].time_s);
  EXPECT_DOUBLE_EQ(gaps[1].start_s, mapped[gaps[1].index - 1].time_s);
  EXPECT_EQ(model.stats().missing, 105u);
}

TEST(ClockModel, LostNonSampleFramesAreNotDropouts) {
  // A device-info frame between samples carries a sequence number too; losing it loses no
  // sample, so the device time (continuous) wins over the sequence jump.
  LinkParams p;
  auto link = make_link(p, 1000);
  for (std::size_t i = 500; i < link.size(); ++i)
    *link[i].stamp.sequence = (*link[i].stamp.sequence + 1) & 0xFFFF;
  ClockModel model;
  run_link(model, link, 0);
  EXPECT_EQ(model.stats().gaps, 0u);
  EXPECT_EQ(model.stats().lost_other_frames, 1u);
}

TEST(ClockModel, DisconnectIsAGapNotHidden) {
  LinkParams p;
  p.rate_hz = 100;
  const auto link = make_link(p, 2000);
  ClockModel model;
  std::optional<Gap> gap;
  for (std::size_t i = 0; i < link.size(); ++i) {
    if (i >= 1000 && i < 1300) continue;  // unplugged for 3 s
    if (i == 1300) model.mark_disconnect(link[999].stamp.host_rx_s + 0.01);
    const MappedStamp m = model.update(link[i].stamp);
    if (m.gap) gap = m.gap;
  }
  ASSERT_TRUE(gap);
  EXPECT_EQ(gap->cause, "disconnect");
  EXPECT_EQ(gap->missing, 300u);
  EXPECT_EQ(gap->index, 1000u);
  EXPECT_EQ(model.stats().disconnects, 1u);
}

TEST(ClockModel, DeviceRestartContinuesTheTimeAxis) {
  LinkParams p;
  p.rate_hz = 100;
  auto before = make_link(p, 1000);
  LinkParams q = p;
  q.device_start_s = 0.0;                        // rebooted: clock starts again at 0
  q.host_start_s = p.host_start_s + 10.0 + 2.0;  // 2 s after the last sample before
  const auto after = make_link(q, 500);
  ClockModel model;
  std::vector<MappedStamp> mapped;
  run_link(model, before, 0, &mapped);
  model.mark_disconnect(before.back().stamp.host_rx_s);
  const ErrorFigures f = run_link(model, after, 1.0, &mapped);
  report("restart", f);
  EXPECT_EQ(model.stats().restarts, 1u);
  for (std::size_t i = 1; i < mapped.size(); ++i) ASSERT_GT(mapped[i].time_s, mapped[i - 1].time_s);
  const MappedStamp& first_after = mapped[1000];
  ASSERT_TRUE(first_after.gap);
  EXPECT_EQ(first_after.gap->cause, "disconnect");
  EXPECT_NEAR(static_cast<double>(first_after.gap->missing), 200.0, 2.0);
  EXPECT_LT(f.max_abs_s, 0.5e-3);
}

TEST(ClockModel, StaleAndDuplicateStampsAreDroppedAndCounted) {
  LinkParams p;
  auto link = make_link(p, 100);
  ClockModel model;
  for (std::size_t i = 0; i < 50; ++i) ASSERT_TRUE(model.update(link[i].stamp).accepted);
  EXPECT_FALSE(model.update(link[49].stamp).accepted);  // duplicate
  EXPECT_FALSE(model.update(link[10].stamp).accepted);  // older
  EXPECT_TRUE(model.update(link[50].stamp).accepted);
  EXPECT_EQ(model.stats().stale, 2u);
  EXPECT_EQ(model.stats().gaps, 0u);
}

TEST(ClockModel, SampleCountersWithWrapAndLongDisconnect) {
  // A sensor with a u16 sample counter at 1 kHz: it wraps every 65.5 s. A 100 s unplug spans
  // more than a wrap; the host clock says how many wraps went by.
  ClockParams cp;
  cp.tick_hz = 1000;
  cp.tick_bits = 16;
  cp.ticks_count_samples = true;
  ClockModel model(cp);
  double host = 1.0;
  std::uint64_t counter = 60000;
  std::optional<Gap> gap;
  for (int i = 0; i < 5000; ++i, ++counter, host += 1e-3)
    ASSERT_TRUE(model.update(stamp(counter & 0xFFFF, host + 3e-4)).accepted);
  model.mark_disconnect(host);
  counter += 100000;
  host += 100.0;
  for (int i = 0; i < 100; ++i, ++counter, host += 1e-3) {
    const MappedStamp m = model.update(stamp(counter & 0xFFFF, host + 3e-4));
    if (m.gap) gap = m.gap;
  }
  ASSERT_TRUE(gap);
  EXPECT_EQ(gap->cause, "disconnect");
  EXPECT_EQ(gap->missing, 100000u);
  EXPECT_EQ(model.stats().restarts, 0u);
  // And a plain counter jump while connected is a "sequence" gap.
  counter += 7;
  const MappedStamp m = model.update(stamp(counter & 0xFFFF, host + 7e-3));
  ASSERT_TRUE(m.gap);
  EXPECT_EQ(m.gap->cause, "sequence");
  EXPECT_EQ(m.gap->missing, 7u);
}

TEST(ClockModel, LearnsTheSampleRate) {
  LinkParams p;
  p.rate_hz = 104;  // an odd rate, never configured
  auto link = make_link(p, 600);
  link.erase(link.begin() + 400, link.begin() + 410);
  ClockParams cp;
  cp.sequence_bits = 0;  // no sequence numbers: device time alone finds the gap
  ClockModel model(cp);
  run_link(model, link, 0);
  EXPECT_NEAR(model.stats().period_s, 1.0 / 104, 1e-6);
  EXPECT_EQ(model.stats().gaps, 1u);
  EXPECT_EQ(model.stats().missing, 10u);
}

TEST(ClockModel, SampleIndexCountsMissingSamplesExactly) {
  // A decoder's sample index is exact even when the device time of a batch is coarse.
  LinkParams p;
  p.rate_hz = 100;
  auto link = make_link(p, 1000);
  ClockModel model;
  std::vector<Gap> gaps;
  for (std::size_t i = 0; i < link.size(); ++i) {
    if (i >= 300 && i < 317) continue;
    DeviceStamp st = link[i].stamp;
    st.sequence.reset();
    st.sample_index = 5000 + i;
    const MappedStamp m = model.update(st);
    if (m.gap) gaps.push_back(*m.gap);
  }
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_EQ(gaps[0].cause, "sequence");
  EXPECT_EQ(gaps[0].missing, 17u);
  EXPECT_EQ(gaps[0].index, 300u);
}

TEST(ClockModel, ClocklessStreamRestartsAfterReconnect) {
  // WitMotion frames carry no time: the decoder counts index × period from 0 again on every
  // connection. After an unplug that is a new epoch, not 3 s of stale stamps.
  ClockParams cp;
  cp.nominal_rate_hz = 100;
  ClockModel model(cp);
  double host = 2.0;
  for (int i = 0; i < 300; ++i, host += 0.01)
    ASSERT_TRUE(model.update(stamp(static_cast<std::uint64_t>(i) * 10000, host + 1e-3)).accepted);
  model.mark_disconnect(host);
  host += 1.0;  // 1 s unplugged
  std::optional<Gap> gap;
  double last_time = -1;
  for (int i = 0; i < 100; ++i, host += 0.01) {
    const MappedStamp m = model.update(stamp(static_cast<std::uint64_t>(i) * 10000, host + 1e-3));
    ASSERT_TRUE(m.accepted) << i;
    ASSERT_GT(m.time_s, last_time);
    last_time = m.time_s;
    if (m.gap) gap = m.gap;
  }
  ASSERT_TRUE(gap);
  EXPECT_EQ(gap->cause, "disconnect");
  EXPECT_NEAR(static_cast<double>(gap->missing), 100.0, 2.0);
  EXPECT_EQ(model.stats().restarts, 1u);
  EXPECT_NEAR(last_time, host - 0.01, 3e-3);  // the axis continued at host time
}

TEST(ClockModel, MarkedRestartOpensANewEpoch) {
  LinkParams p;
  p.rate_hz = 100;
  const auto link = make_link(p, 400);
  ClockModel model;
  for (std::size_t i = 0; i < 200; ++i) model.update(link[i].stamp);
  model.mark_restart();
  const MappedStamp m = model.update(link[200].stamp);
  ASSERT_TRUE(m.accepted);
  ASSERT_TRUE(m.gap);
  EXPECT_EQ(m.gap->cause, "restart");
  EXPECT_EQ(model.stats().restarts, 1u);
}

TEST(ClockModel, RestartInsideABatchKeepsEarlierSamplesOnTheOldEpoch) {
  std::vector<DeviceStamp> chunk;
  for (int i = 0; i < 100; ++i) chunk.push_back(stamp(1'000'000 + 10000ull * i, 2.0 + 0.01 * i));
  for (int i = 0; i < 100; ++i) {
    chunk.push_back(stamp(10000ull * i, 3.0 + 0.01 * i));  // rebooted: clock from 0
    if (i == 0) chunk.back().restart = true;
  }
  ClockModel model;
  std::vector<MappedStamp> out;
  model.update_batch(chunk, out);
  ASSERT_EQ(out.size(), 200u);
  EXPECT_NEAR(out[99].time_s, 2.99, 1e-6);
  ASSERT_TRUE(out[100].gap);
  EXPECT_EQ(out[100].gap->cause, "restart");
  EXPECT_NEAR(out[100].time_s, 3.0, 1e-3);
  EXPECT_NEAR(out[199].time_s, 3.99, 1e-3);
  for (std::size_t i = 1; i < out.size(); ++i) ASSERT_GT(out[i].time_s, out[i - 1].time_s);
}

TEST(ClockModel, ForwardClockJumpIsARestart) {
  ClockModel model;
  double host = 1.0;
  std::uint64_t ticks = 1'000'000;
  for (int i = 0; i < 500; ++i, host += 0.01, ticks += 10000) model.update(stamp(ticks, host));
  const MappedStamp m = model.update(stamp(ticks + 900'000'000, host));  // +900 s at once
  ASSERT_TRUE(m.accepted);
  ASSERT_TRUE(m.gap);
  EXPECT_EQ(m.gap->cause, "restart");
  EXPECT_NEAR(m.time_s, host, 0.02);
}

TEST(ClockModel, RejectsNonsenseParameters) {
  ClockParams cp;
  cp.tick_hz = 0;
  EXPECT_THROW(ClockModel{cp}, Error);
}

}  // namespace
}  // namespace stridelab::clock
