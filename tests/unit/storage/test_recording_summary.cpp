// summarize_recording() (what `stridelab info` shows): the block-wise scan of an HDF5
// recording gives exactly what summarising the whole read recording gives; read_metadata()
// gives the whole read's metadata.
#include "storage_test_util.hpp"
#include "stridelab/storage/recording_io.hpp"
#include "stridelab/storage/recording_summary.hpp"

namespace stridelab::storage::test {
namespace {

void expect_same_summary(const SensorSummary& a, const SensorSummary& b) {
  SCOPED_TRACE(a.info.name);
  EXPECT_EQ(a.info.name, b.info.name);
  EXPECT_EQ(a.info.placement, b.info.placement);
  EXPECT_EQ(a.info.device_id, b.info.device_id);
  EXPECT_EQ(a.info.nominal_rate_hz, b.info.nominal_rate_hz);
  EXPECT_EQ(a.info.has_gyr, b.info.has_gyr);
  EXPECT_EQ(a.info.has_mag, b.info.has_mag);
  EXPECT_EQ(a.samples, b.samples);
  EXPECT_EQ(a.first_time_s, b.first_time_s);
  EXPECT_EQ(a.last_time_s, b.last_time_s);
  ASSERT_EQ(a.gaps.size(), b.gaps.size());
  for (std::size_t k = 0; k < a.gaps.size(); ++k) {
    EXPECT_EQ(a.gaps[k].index, b.gaps[k].index);
    EXPECT_EQ(a.gaps[k].missing, b.gaps[k].missing);
    EXPECT_EQ(a.gaps[k].cause, b.gaps[k].cause);
  }
  EXPECT_EQ(a.acc_max_abs_ms2, b.acc_max_abs_ms2);
  EXPECT_EQ(a.gyr_max_abs_rads, b.gyr_max_abs_rads);
}

TEST(RecordingSummary, Hdf5ScanEqualsSummaryOfTheWholeRecording) {
  ScratchDir dir;
  Recording rec = make_recording();
  // Over two 32768-row blocks, the largest values in the last, partial one and in the middle.
  std::vector<Gap> gaps = rec.sensors[0].gaps;
  rec.sensors[0] = make_sensor("pelvis", 70000, 200.0, true, true, 1);
  rec.sensors[0].gaps = gaps;
  rec.sensors[0].acc[69990].y() = -50.0;
  rec.sensors[0].gyr[40000].z() = 9.0;
  write_recording(dir / "rec.h5", rec);

  const RecordingSummary got = summarize_recording(dir / "rec.h5");
  EXPECT_EQ(got.metadata.subject_id, rec.subject_id);
  EXPECT_EQ(got.metadata.notes, rec.notes);
  EXPECT_EQ(got.metadata.start_time_iso, rec.start_time_iso);
  EXPECT_EQ(got.metadata.attributes, read_recording(dir / "rec.h5").attributes);
  EXPECT_TRUE(got.metadata.sensors.empty());
  ASSERT_EQ(got.sensors.size(), 2u);
  const Recording whole = read_recording(dir / "rec.h5");
  for (std::size_t k = 0; k < 2; ++k)
    expect_same_summary(got.sensors[k], summarize_sensor(whole.sensors[k]));
  EXPECT_EQ(got.sensors[0].samples, 70000u);
  EXPECT_EQ(got.sensors[0].acc_max_abs_ms2, 50.0);
  EXPECT_EQ(got.sensors[0].gyr_max_abs_rads, 9.0);
  EXPECT_EQ(got.sensors[0].gaps.size(), 2u);
  EXPECT_FALSE(got.sensors[1].info.has_gyr);
  EXPECT_EQ(got.sensors[1].gyr_max_abs_rads, 0.0);
}

TEST(RecordingSummary, OtherFilesAreSummarisedFromTheWholeRead) {
  ScratchDir dir;
  const SensorData s = make_sensor("pelvis", 900, 100.0, true, false, 4);
  write_csv(dir / "rec.csv", s);
  const RecordingSummary got = summarize_recording(dir / "rec.csv");
  ASSERT_EQ(got.sensors.size(), 1u);
  expect_same_summary(got.sensors[0], summarize_sensor(read_recording(dir / "rec.csv").primary()));
  EXPECT_EQ(got.sensors[0].samples, 900u);
}

TEST(RecordingSummary, BadFilesFailAsReadingThemDoes) {
  ScratchDir dir;
  write_text(dir / "bad.h5", std::string("\x89HDF\r\n\x1a\n garbage after a valid signature", 40));
  for (const char* name : {"bad.h5", "missing.h5"}) {
    const std::string want = error_of([&] { read_recording(dir / name); });
    EXPECT_EQ(error_of([&] { summarize_recording(dir / name); }), want);
    EXPECT_EQ(error_of([&] { read_metadata(dir / name); }), want);
    EXPECT_NE(want.find(name), std::string::npos) << want;
  }
}

// read_metadata() (the history's date and subject of a session with batch results): the
// metadata of the whole read, no sensors, for HDF5 and CSV alike.
TEST(RecordingSummary, MetadataAloneEqualsTheWholeReadsMetadata) {
  ScratchDir dir;
  Recording rec = make_recording();
  rec.start_time_iso = "2026-03-02T07:30:00Z";
  write_recording(dir / "rec.h5", rec);
  write_csv(dir / "rec.csv", rec.sensors[0]);
  for (const char* name : {"rec.h5", "rec.csv"}) {
    SCOPED_TRACE(name);
    const Recording whole = read_recording(dir / name);
    const Recording got = read_metadata(dir / name);
    EXPECT_TRUE(got.sensors.empty());
    EXPECT_EQ(got.subject_id, whole.subject_id);
    EXPECT_EQ(got.start_time_iso, whole.start_time_iso);
    EXPECT_EQ(got.notes, whole.notes);
    EXPECT_EQ(got.attributes, whole.attributes);
  }
  EXPECT_EQ(read_metadata(dir / "rec.h5").start_time_iso, "2026-03-02T07:30:00Z");
  EXPECT_EQ(read_metadata(dir / "rec.h5").subject_id, rec.subject_id);
  EXPECT_FALSE(rec.subject_id.empty());
}

}  // namespace
}  // namespace stridelab::storage::test
