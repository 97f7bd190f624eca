// HDF5 recordings: write -> read gives back exactly what was written (real HDF5 files on disk).
#include <hdf5.h>

#include "storage_test_util.hpp"
#include "stridelab/core/version.hpp"
#include "stridelab/storage/recording_io.hpp"
#include "stridelab/storage/recording_writer.hpp"

namespace stridelab::storage::test {
namespace {

TEST(H5Roundtrip, SyntheticTwoSensorsWithGapsAndMetadata) {
  ScratchDir dir;
  const Recording rec = make_recording();
  const fs::path file = dir / "rec.h5";
  write_recording(file, rec);
  ASSERT_TRUE(fs::exists(file));
  EXPECT_FALSE(fs::exists(dir / "rec.h5.partial"));
  const Recording back = read_recording(file);
  expect_same_recording(rec, back);
  EXPECT_EQ(back.tool_version, std::string(version()));
  // Sensor order is kept (creation order), not alphabetical.
  ASSERT_EQ(back.sensors.size(), 2u);
  EXPECT_EQ(back.sensors[0].info.name, "pelvis");
  EXPECT_EQ(back.primary().info.name, "pelvis");
}

TEST(H5Roundtrip, SensorOrderIsCreationOrder) {
  ScratchDir dir;
  Recording rec;
  rec.sensors.push_back(make_sensor("zeta", 10, 100, true, false, 3));
  rec.sensors.push_back(make_sensor("alpha", 10, 100, true, false, 4));
  write_recording(dir / "o.h5", rec);
  const Recording back = read_recording(dir / "o.h5");
  ASSERT_EQ(back.sensors.size(), 2u);
  EXPECT_EQ(back.sensors[0].info.name, "zeta");
  EXPECT_EQ(back.sensors[1].info.name, "alpha");
}

TEST(H5Roundtrip, EmptySensorAndChunkBoundaries) {
  ScratchDir dir;
  for (std::size_t n : {0u, 1u, 4095u, 4096u, 4097u, 9000u}) {
    Recording rec;
    rec.sensors.push_back(make_sensor("pelvis", n, 100.0, true, false, 5));
    const fs::path file = dir / ("n" + std::to_string(n) + ".h5");
    write_recording(file, rec);
    const Recording back = read_recording(file);
    ASSERT_EQ(back.sensors.size(), 1u);
    EXPECT_EQ(back.sensors[0].size(), n);
    expect_same_sensor(rec.sensors[0], back.sensors[0]);
  }
}

// Files written before IMU samples were stored raw (acc/gyr/mag deflated too) read the same.
TEST(H5Roundtrip, DeflatedImuLayoutReadsTheSame) {
  ScratchDir dir;
  const Recording rec = make_recording();
  std::vector<SensorInfo> infos;
  for (const auto& s : rec.sensors) infos.push_back(s.info);
  WriterOptions opts;
  opts.crash_safe = false;
  opts.compress_imu = true;
  opts.chunk_rows = 512;
  RecordingWriter writer(dir / "old.h5", rec, infos, opts);
  for (std::size_t k = 0; k < rec.sensors.size(); ++k) {
    const SensorData& s = rec.sensors[k];
    std::vector<ImuSample> samples;
    for (std::size_t i = 0; i < s.size(); ++i) samples.push_back(s.sample(i));
    writer.append(k, samples, s.device_time_s);
    for (const Gap& g : s.gaps) writer.add_gap(k, g);
  }
  writer.close();

  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const hid_t file = H5Fopen((dir / "old.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  const hid_t ds = H5Dopen2(file, "/sensors/pelvis/acc", H5P_DEFAULT);
  ASSERT_GE(ds, 0);
  const hid_t dcpl = H5Dget_create_plist(ds);
  EXPECT_GT(H5Pget_filter_by_id2(dcpl, H5Z_FILTER_DEFLATE, nullptr, nullptr, nullptr, 0, nullptr,
                                 nullptr),
            -1);
  H5Pclose(dcpl);
  H5Dclose(ds);
  H5Fclose(file);

  expect_same_recording(rec, read_recording(dir / "old.h5"));
}

TEST(H5Roundtrip, StreamedAppendsEqualOneShotWrite) {
  ScratchDir dir;
  const Recording rec = make_recording();
  std::vector<SensorInfo> infos;
  for (const auto& s : rec.sensors) infos.push_back(s.info);
  WriterOptions opts;
  opts.chunk_rows = 256;  // many chunks, partial chunks rewritten by each flush
  RecordingWriter writer(dir / "live.h5", rec, infos, opts);
  EXPECT_TRUE(fs::exists(dir / "live.h5"));  // crash-safe file is in place from the start
  // Interleave the two sensors in uneven batches, gaps as they occur, flush now and then.
  std::size_t next[2] = {0, 0};
  std::size_t next_gap = 0;
  std::size_t batch = 1;
  while (next[0] < rec.sensors[0].size() || next[1] < rec.sensors[1].size()) {
    for (std::size_t k = 0; k < 2; ++k) {
      const SensorData& s = rec.sensors[k];
      const std::size_t end = std::min(s.size(), next[k] + batch);
      if (k == 0)
        while (next_gap < s.gaps.size() && s.gaps[next_gap].index <= end)
          writer.add_gap(0, s.gaps[next_gap++]);
      for (std::size_t i = next[k]; i < end; ++i) writer.append(k, s.sample(i), s.device_time_s[i]);
      next[k] = end;
    }
    batch = batch % 97 + 13;
    if (next[0] % 5 == 0) writer.flush();
  }
  EXPECT_EQ(writer.samples_appended(0), rec.sensors[0].size());
  writer.close();
  const Recording back = read_recording(dir / "live.h5");
  expect_same_recording(rec, back);
  EXPECT_EQ(back.attributes.count("recovered"), 0u);  // closed cleanly
}

TEST(H5Roundtrip, RealRecordingsSurviveCsvToHdf5) {
  ScratchDir dir;
  for (const fs::path& csv : {mobilise_walk(), mobilise_daily(), skdh_lumbar()}) {
    SCOPED_TRACE(csv.filename().string());
    const Recording rec = read_recording(csv);
    const fs::path file = dir / (csv.stem().string() + ".h5");
    write_recording(file, rec);
    const Recording back = read_recording(file);
    expect_same_recording(rec, back);
    EXPECT_GT(back.sensors[0].size(), 1000u);
  }
}

TEST(H5Roundtrip, ClassicFileAppearsOnlyWhenClosed) {
  ScratchDir dir;
  const Recording rec = make_recording();
  WriterOptions opts;
  opts.crash_safe = false;
  {
    RecordingWriter writer(dir / "c.h5", rec, {rec.sensors[0].info}, opts);
    writer.append(0, rec.sensors[0].sample(0), 0.0);
    writer.flush();
    EXPECT_FALSE(fs::exists(dir / "c.h5"));
    EXPECT_TRUE(fs::exists(dir / "c.h5.partial"));
    writer.discard();
  }
  EXPECT_FALSE(fs::exists(dir / "c.h5"));
  EXPECT_FALSE(fs::exists(dir / "c.h5.partial"));
}

TEST(H5Roundtrip, FilesAreChunkedCompressedAndAppendable) {
  ScratchDir dir;
  write_recording(dir / "r.h5", make_recording());
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const hid_t file = H5Fopen((dir / "r.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  for (const char* name : {"/sensors/pelvis/time", "/sensors/pelvis/acc", "/sensors/pelvis/gyr",
                           "/sensors/pelvis/mag", "/sensors/pelvis/gaps"}) {
    SCOPED_TRACE(name);
    const hid_t ds = H5Dopen2(file, name, H5P_DEFAULT);
    ASSERT_GE(ds, 0);
    const hid_t dcpl = H5Dget_create_plist(ds);
    EXPECT_EQ(H5Pget_layout(dcpl), H5D_CHUNKED);
    bool deflate = false, checksum = false;
    for (int f = 0; f < H5Pget_nfilters(dcpl); ++f) {
      unsigned flags = 0;
      size_t nelm = 0;
      const H5Z_filter_t id = H5Pget_filter2(dcpl, static_cast<unsigned>(f), &flags, &nelm, nullptr,
                                             0, nullptr, nullptr);
      deflate |= id == H5Z_FILTER_DEFLATE;
      checksum |= id == H5Z_FILTER_FLETCHER32;
    }
    // Times are deflated; IMU samples stay raw for read speed; everything is checksummed.
    EXPECT_EQ(deflate, std::string(name) == "/sensors/pelvis/time");
    EXPECT_TRUE(checksum);
    const hid_t space = H5Dget_space(ds);
    hsize_t maxdims[2] = {0, 0};
    H5Sget_simple_extent_dims(space, nullptr, maxdims);
    EXPECT_EQ(maxdims[0], H5S_UNLIMITED);
    H5Sclose(space);
    H5Pclose(dcpl);
    H5Dclose(ds);
  }
  H5Fclose(file);
}

TEST(H5Roundtrip, WriterRejectsBadInput) {
  ScratchDir dir;
  Recording meta = make_recording();
  std::vector<SensorInfo> infos{meta.sensors[0].info};
  RecordingWriter writer(dir / "w.h5", meta, infos);
  ImuSample s;
  s.time_s = 1.0;
  writer.append(0, s, 1.0);
  EXPECT_NE(error_of([&] { writer.append(0, s, 1.0); }).find("increase strictly"),
            std::string::npos);
  s.time_s = std::nan("");
  EXPECT_NE(error_of([&] { writer.append(0, s, 1.0); }).find("w.h5"), std::string::npos);
  EXPECT_NE(error_of([&] { writer.sensor_index("nope"); }).find("no sensor called 'nope'"),
            std::string::npos);
  writer.close();
  EXPECT_EQ(read_recording(dir / "w.h5").sensors[0].size(), 1u);

  meta.attributes["format"] = "mine";
  EXPECT_NE(error_of([&] { RecordingWriter w(dir / "x.h5", meta, infos); }).find("clashes"),
            std::string::npos);
  meta.attributes.clear();
  infos.push_back(infos[0]);
  EXPECT_NE(error_of([&] { RecordingWriter w(dir / "y.h5", meta, infos); }).find("repeats"),
            std::string::npos);
}

TEST(H5Roundtrip, CsvOutputNeedsOneSensorUnlessLossyAllowed) {
  ScratchDir dir;
  const Recording rec = make_recording();
  EXPECT_NE(error_of([&] { write_recording(dir / "r.csv", rec); }).find("2"), std::string::npos);
  write_recording(dir / "r.csv", rec, /*allow_lossy_csv=*/true);
  const Recording back = read_recording(dir / "r.csv");
  ASSERT_EQ(back.sensors.size(), 1u);
  EXPECT_EQ(back.sensors[0].time_s, rec.sensors[0].time_s);
  expect_same_vec3(back.sensors[0].acc, rec.sensors[0].acc, "acc");
  expect_same_vec3(back.sensors[0].gyr, rec.sensors[0].gyr, "gyr");
  expect_same_vec3(back.sensors[0].mag, rec.sensors[0].mag, "mag");
}

}  // namespace
}  // namespace stridelab::storage::test

namespace stridelab::storage::test {
namespace {

TEST(H5Roundtrip, NoHdf5ObjectsLeftOpenAfterSuccessOrFailure) {
  ScratchDir dir;
  const Recording rec = make_recording();
  write_recording(dir / "r.h5", rec);
  read_recording(dir / "r.h5");
  const std::string bytes = read_text(dir / "r.h5");
  write_text(dir / "cut.h5", bytes.substr(0, bytes.size() / 2));
  EXPECT_THROW(read_recording(dir / "cut.h5"), Error);
  EXPECT_THROW(read_recording(dir / "missing.h5"), Error);
  {
    RecordingWriter w(dir / "w.h5", rec, {rec.sensors[0].info});
    w.append(0, rec.sensors[0].sample(0), 0.0);
    w.flush();
    // Reading a file that is being written (SWMR read, same process) sees the flushed sample.
    EXPECT_EQ(read_recording(dir / "w.h5").sensors.at(0).size(), 1u);
  }
  Recording bad = rec;
  bad.sensors[1].info.name = "pelvis";
  EXPECT_THROW(write_recording(dir / "dup.h5", bad), Error);
  EXPECT_THROW(write_recording(dir / "no" / "such" / "dir.h5", rec), Error);
  EXPECT_EQ(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL), 0);
  EXPECT_FALSE(fs::exists(dir / "dup.h5.partial"));
  EXPECT_FALSE(fs::exists(dir / "dup.h5"));
}

}  // namespace
}  // namespace stridelab::storage::test
