// Cue logic on hand-made provisional rows, and the cue log's round trip through a real HDF5
// file (`/cues`, docs/FILE_FORMAT.md).
#include <gtest/gtest.h>

#include <filesystem>

#include "stridelab/dsp/cue_tracker.hpp"
#include "stridelab/storage/cues_io.hpp"
#include "stridelab/storage/recording_io.hpp"

using namespace stridelab;

namespace {

dsp::ProvisionalStep row(double t, Side side, double drop, double cadence,
                         std::uint32_t flags = 0) {
  dsp::ProvisionalStep r;
  r.step.time_s = t;
  r.step.side = side;
  r.step.pelvic_drop_deg = drop;
  r.step.cadence_spm = cadence;
  r.step.step_time_s = 60.0 / cadence;
  r.step.flags = flags;
  return r;
}

}  // namespace

TEST(Cues, DropLimitPerSideAndCountsPerMinute) {
  CueSettings s;
  s.drop_left_deg = 5.0;
  s.drop_right_deg = 7.0;
  dsp::CueTracker t(s);
  std::vector<Cue> cues;
  t.update(row(10.0, Side::kLeft, 6.0, 110), cues);   // over the left limit
  t.update(row(10.5, Side::kRight, 6.0, 110), cues);  // under the right one
  t.update(row(11.0, Side::kLeft, 4.0, 110), cues);
  t.update(row(11.5, Side::kRight, 8.5, 110), cues);            // over
  t.update(row(12.0, Side::kLeft, 9.0, 110, kFlagTurn), cues);  // turning: not judged
  t.update(row(71.0, Side::kRight, 7.5, 110), cues);            // minute 1
  ASSERT_EQ(cues.size(), 3u);
  EXPECT_EQ(cues[0].side, Side::kLeft);
  EXPECT_EQ(cues[0].step, 0);
  EXPECT_DOUBLE_EQ(cues[0].value, 6.0);
  EXPECT_DOUBLE_EQ(cues[0].limit, 5.0);
  EXPECT_EQ(cues[1].side, Side::kRight);
  EXPECT_EQ(cues[1].step, 3);
  EXPECT_EQ(cues[2].step, 5);
  ASSERT_EQ(t.minutes().size(), 2u);
  EXPECT_EQ(t.minutes()[0].steps_left, 2);
  EXPECT_EQ(t.minutes()[0].cued_left, 1);
  EXPECT_EQ(t.minutes()[0].cued_right, 1);
  EXPECT_DOUBLE_EQ(t.minutes()[0].share_within(), 0.5);
  EXPECT_DOUBLE_EQ(t.minutes()[1].share_within(), 0.0);
  EXPECT_EQ(t.cued(Side::kRight), 2);
}

TEST(Cues, CadenceBandFromTheBaselineMinute) {
  CueSettings s;
  s.cadence_change_pct = 10.0;  // target: baseline + 10 %, ± 3 %
  s.baseline_s = 60.0;
  dsp::CueTracker t(s);
  std::vector<Cue> cues;
  for (int k = 0; k < 120; ++k)  // one minute at 100 and 110 spm alternately: mean 105
    t.update(row(0.5 * k, k % 2 ? Side::kLeft : Side::kRight, 1.0, k % 2 ? 110 : 100), cues);
  EXPECT_TRUE(cues.empty()) << "no cadence cue while the baseline is measured";
  t.update(row(60.0, Side::kLeft, 1.0, 105), cues);
  EXPECT_NEAR(t.baseline_spm(), 105.0, 1e-9);
  EXPECT_NEAR(t.cadence_low(), 105 * 1.1 * 0.97, 1e-9);
  EXPECT_NEAR(t.cadence_high(), 105 * 1.1 * 1.03, 1e-9);
  ASSERT_EQ(cues.size(), 1u);  // 105 is below the new band
  EXPECT_EQ(cues[0].kind, CueKind::kCadenceLow);
  t.update(row(60.5, Side::kRight, 1.0, 115.5), cues);  // inside
  t.update(row(61.0, Side::kLeft, 1.0, 125.0), cues);   // above
  ASSERT_EQ(cues.size(), 2u);
  EXPECT_EQ(cues[1].kind, CueKind::kCadenceHigh);
  EXPECT_NEAR(cues[1].limit, 105 * 1.1 * 1.03, 1e-9);
}

TEST(Cues, LogRoundTripsThroughTheRecording) {
  const auto dir = std::filesystem::temp_directory_path() / "stridelab_test_cues";
  std::filesystem::create_directories(dir);
  const auto path = dir / "rec.h5";
  Recording rec;
  SensorData sd;
  sd.info.name = "pelvis";
  sd.info.nominal_rate_hz = 100;
  for (int i = 0; i < 10; ++i) {
    sd.time_s.push_back(0.01 * i);
    sd.device_time_s.push_back(0.01 * i);
    sd.acc.push_back(Vec3(0, 0, kGravity));
    sd.gyr.push_back(Vec3::Zero());
  }
  rec.sensors.push_back(sd);
  storage::write_recording(path, rec);
  storage::CueLog log;
  log.settings.drop_left_deg = 5.5;
  log.settings.metronome_spm = 172;
  log.cues = {{1.25, 3, Side::kLeft, CueKind::kDrop, 6.1, 5.5},
              {2.5, 7, Side::kRight, CueKind::kCadenceHigh, 181, 176}};
  storage::write_cues(path, log);
  storage::write_cues(path, log);  // replaces, does not add
  const storage::CueLog back = storage::read_cues(path);
  EXPECT_DOUBLE_EQ(back.settings.drop_left_deg, 5.5);
  EXPECT_TRUE(std::isnan(back.settings.drop_right_deg));
  EXPECT_DOUBLE_EQ(back.settings.metronome_spm, 172);
  ASSERT_EQ(back.cues.size(), 2u);
  EXPECT_EQ(back.cues[1].step, 7);
  EXPECT_EQ(back.cues[1].side, Side::kRight);
  EXPECT_EQ(back.cues[1].kind, CueKind::kCadenceHigh);
  EXPECT_DOUBLE_EQ(back.cues[0].value, 6.1);
  // The recording itself still reads.
  EXPECT_EQ(storage::read_recording(path).primary().size(), 10u);
  std::filesystem::remove_all(dir);
}
