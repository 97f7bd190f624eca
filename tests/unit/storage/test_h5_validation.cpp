// The HDF5 reader refuses every kind of broken file with an Error naming file and dataset.
// Broken files are made from a good one with the HDF5 C API (what a buggy tool would do).
#include <hdf5.h>

#include <sys/wait.h>
#include <unistd.h>

#include <functional>

#include "storage_test_util.hpp"
#include "stridelab/storage/recording_io.hpp"
#include "stridelab/storage/recording_writer.hpp"
#include "stridelab/storage/results_io.hpp"

namespace stridelab::storage::test {
namespace {

class H5Validation : public ::testing::Test {
 protected:
  void SetUp() override {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    Recording rec;
    rec.sensors.push_back(make_sensor("pelvis", 300, 100.0, true, false, 9));
    rec.sensors[0].gaps.push_back({100, 1.24, 1.26, 1, "sequence"});
    write_recording(good_, rec);
  }

  // Applies `edit` to the root group of the good file, then returns the reader's message.
  std::string broken(const std::function<void(hid_t)>& edit) {
    const hid_t file = H5Fopen(good_.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    EXPECT_GE(file, 0);
    edit(file);
    H5Fclose(file);
    return error_of([&] { read_recording(good_); });
  }

  static void replace_dataset(hid_t file, const char* path, hid_t type, int rank,
                              const hsize_t* dims, const void* data, const char* units) {
    H5Ldelete(file, path, H5P_DEFAULT);
    const hid_t space = H5Screate_simple(rank, dims, nullptr);
    const hid_t ds = H5Dcreate2(file, path, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
    if (units) {
      const hid_t st = H5Tcopy(H5T_C_S1);
      H5Tset_size(st, std::strlen(units));
      const hid_t as = H5Screate(H5S_SCALAR);
      const hid_t attr = H5Acreate2(ds, "units", st, as, H5P_DEFAULT, H5P_DEFAULT);
      H5Awrite(attr, st, units);
      H5Aclose(attr);
      H5Sclose(as);
      H5Tclose(st);
    }
    H5Dclose(ds);
    H5Sclose(space);
  }

  static void set_int_attr(hid_t obj, const char* name, std::int64_t v) {
    H5Adelete(obj, name);
    const hid_t as = H5Screate(H5S_SCALAR);
    const hid_t attr = H5Acreate2(obj, name, H5T_STD_I64LE, as, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(attr, H5T_NATIVE_INT64, &v);
    H5Aclose(attr);
    H5Sclose(as);
  }

  static std::vector<double> times(double step, std::size_t n) {
    std::vector<double> t(n);
    for (std::size_t i = 0; i < n; ++i) t[i] = i * step;
    return t;
  }

  ScratchDir dir_;
  fs::path good_ = dir_ / "good.h5";
};

TEST_F(H5Validation, GoodFileReads) {
  EXPECT_EQ(read_recording(good_).sensors[0].size(), 300u);
}

TEST_F(H5Validation, MissingDataset) {
  expect_has(broken([](hid_t f) { H5Ldelete(f, "/sensors/pelvis/acc", H5P_DEFAULT); }),
             {"good.h5", "/sensors/pelvis", "missing dataset 'acc'"});
  SetUp();
  expect_has(broken([](hid_t f) { H5Ldelete(f, "/sensors/pelvis/gyr", H5P_DEFAULT); }),
             {"good.h5", "missing dataset 'gyr'"});
  SetUp();
  expect_has(broken([](hid_t f) { H5Ldelete(f, "/sensors", H5P_DEFAULT); }),
             {"good.h5", "missing group 'sensors'"});
}

TEST_F(H5Validation, WrongShape) {
  const std::vector<double> flat(600, 1.0);
  const hsize_t dims[2] = {300, 2};
  expect_has(broken([&](hid_t f) {
               replace_dataset(f, "/sensors/pelvis/acc", H5T_NATIVE_DOUBLE, 2, dims, flat.data(),
                               "m/s^2");
             }),
             {"good.h5:/sensors/pelvis/acc", "expected shape Nx3, got 300x2"});
}

TEST_F(H5Validation, WrongDtype) {
  std::vector<std::int64_t> t(300);
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = static_cast<std::int64_t>(i);
  const hsize_t dims[1] = {300};
  expect_has(broken([&](hid_t f) {
               replace_dataset(f, "/sensors/pelvis/time", H5T_NATIVE_INT64, 1, dims, t.data(), "s");
             }),
             {"good.h5:/sensors/pelvis/time", "expected floating-point values"});
}

TEST_F(H5Validation, WrongUnitsAndLength) {
  const auto t = times(0.01, 300);
  const hsize_t dims[1] = {300};
  expect_has(broken([&](hid_t f) {
               replace_dataset(f, "/sensors/pelvis/time", H5T_NATIVE_DOUBLE, 1, dims, t.data(),
                               "ms");
             }),
             {"/sensors/pelvis/time", "units are 'ms', expected 's'"});
  SetUp();
  const hsize_t short_dims[1] = {299};
  expect_has(broken([&](hid_t f) {
               replace_dataset(f, "/sensors/pelvis/time", H5T_NATIVE_DOUBLE, 1, short_dims,
                               t.data(), "s");
             }),
             {"good.h5:/sensors/pelvis/", "has 300 rows but time has 299"});
}

TEST_F(H5Validation, NonMonotonicAndNanTime) {
  auto t = times(0.01, 300);
  t[150] = t[149];
  const hsize_t dims[1] = {300};
  expect_has(broken([&](hid_t f) {
               replace_dataset(f, "/sensors/pelvis/time", H5T_NATIVE_DOUBLE, 1, dims, t.data(),
                               "s");
             }),
             {"good.h5:/sensors/pelvis/time", "not strictly increasing at row 150"});
  SetUp();
  t = times(0.01, 300);
  t[7] = std::nan("");
  expect_has(broken([&](hid_t f) {
               replace_dataset(f, "/sensors/pelvis/time", H5T_NATIVE_DOUBLE, 1, dims, t.data(),
                               "s");
             }),
             {"good.h5:/sensors/pelvis/time", "row 7 is not finite"});
}

TEST_F(H5Validation, NewerFormatVersionIsRefusedClearly) {
  const std::string msg = broken([](hid_t f) { set_int_attr(f, "format_version", 2); });
  expect_has(msg,
             {"good.h5", "written by a newer stridelab (format 2); this build reads format 1"});
}

TEST_F(H5Validation, NotAStridelabFile) {
  expect_has(broken([](hid_t f) { H5Adelete(f, "format"); }),
             {"good.h5", "not a stridelab recording"});
  // A results-only file is recognised as such.
  AnalysisOutput a;
  write_analysis(dir_ / "results.h5", a);
  expect_has(error_of([&] { read_recording(dir_ / "results.h5"); }),
             {"results.h5", "analysis results only"});
}

TEST_F(H5Validation, GarbageBytesAndMissingFile) {
  write_text(dir_ / "garbage.h5", std::string("\x89HDX this is not hdf5 at all\0\1\2", 32));
  expect_has(error_of([&] { read_recording(dir_ / "garbage.h5"); }),
             {"garbage.h5", "not an HDF5 file"});
  write_text(dir_ / "empty.h5", "");
  expect_has(error_of([&] { read_recording(dir_ / "empty.h5"); }),
             {"empty.h5", "not an HDF5 file"});
  expect_has(error_of([&] { read_recording(dir_ / "none.h5"); }), {"none.h5", "no such file"});
  write_text(dir_ / "x.txt", "hello");  // the content decides, and says nothing here
  expect_has(error_of([&] { read_recording(dir_ / "x.txt"); }), {"x.txt", "unknown file type"});
}

TEST_F(H5Validation, TruncatedFilesNeverCrashAndNameTheFile) {
  const std::string bytes = read_text(good_);
  ASSERT_GT(bytes.size(), 2000u);
  // Cut at many points: inside the superblock, the metadata, the raw data, the very end.
  for (std::size_t keep :
       {std::size_t{8}, std::size_t{40}, std::size_t{100}, std::size_t{500}, std::size_t{1000},
        bytes.size() / 3, bytes.size() / 2, bytes.size() - 100, bytes.size() - 1}) {
    SCOPED_TRACE(keep);
    write_text(dir_ / "cut.h5", bytes.substr(0, keep));
    expect_has(error_of([&] { read_recording(dir_ / "cut.h5"); }), {"cut.h5"});
  }
}

TEST_F(H5Validation, CorruptedBytesNeverCrash) {
  const std::string bytes = read_text(good_);
  const Recording original = read_recording(good_);
  std::mt19937 rng(42);
  int errors = 0;
  constexpr int kRounds = 300;
  for (int round = 0; round < kRounds; ++round) {
    std::string bad = bytes;
    const int flips = 1 + round % 8;
    for (int k = 0; k < flips; ++k) bad[rng() % bad.size()] ^= static_cast<char>(1 + rng() % 255);
    write_text(dir_ / "flip.h5", bad);
    try {
      // Survives only if the flips hit unused bytes: then the data must be untouched.
      const Recording back = read_recording(dir_ / "flip.h5");
      expect_same_sensor(original.sensors[0], back.sensors[0]);
    } catch (const Error& e) {
      ++errors;
      EXPECT_NE(std::string(e.what()).find("flip.h5"), std::string::npos) << e.what();
    }
  }
  // Metadata checksums + Fletcher-32 on chunks: nearly every flip is detected.
  std::cout << "corrupted files rejected: " << errors << " of " << kRounds << "\n";
  EXPECT_GT(errors, kRounds * 9 / 10);
}

TEST_F(H5Validation, CorruptedUnclosedFilesNeverCrash) {
  // A file left by a killed recorder (SWMR flag still set) takes the SWMR-read path.
  const fs::path unclosed = dir_ / "unclosed.h5";
  const pid_t pid = ::fork();
  if (pid == 0) {
    const Recording rec = make_recording();
    RecordingWriter w(unclosed, rec, {rec.sensors[0].info});
    for (std::size_t i = 0; i < 3000; ++i) w.append(0, rec.sensors[0].sample(i), 0.0);
    w.flush();
    ::_exit(0);  // no destructor, no close: like kill -9
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  const Recording original = read_recording(unclosed);
  ASSERT_EQ(original.sensors[0].size(), 3000u);
  const std::string bytes = read_text(unclosed);
  std::mt19937 rng(7);
  int errors = 0;
  constexpr int kRounds = 150;
  for (int round = 0; round < kRounds; ++round) {
    std::string bad = bytes;
    for (int k = 0; k < 1 + round % 4; ++k)
      bad[rng() % bad.size()] ^= static_cast<char>(1 + rng() % 255);
    write_text(dir_ / "flip.h5", bad);
    try {
      const Recording back = read_recording(dir_ / "flip.h5");  // flips in unused bytes only
      expect_same_sensor(original.sensors[0], back.sensors[0]);
    } catch (const Error& e) {
      ++errors;
      EXPECT_NE(std::string(e.what()).find("flip.h5"), std::string::npos) << e.what();
    }
  }
  std::cout << "corrupted unclosed files rejected: " << errors << " of " << kRounds << "\n";
  EXPECT_GT(errors, kRounds * 8 / 10);
}

TEST_F(H5Validation, Format0IsUpgradedOnRead) {
  const fs::path fixture = source_dir() / "tests" / "data" / "format0_recording.h5";
  const Recording rec = read_recording(fixture);
  EXPECT_EQ(rec.subject_id, "F0-subject");
  ASSERT_EQ(rec.sensors.size(), 1u);
  const SensorData& s = rec.sensors[0];
  ASSERT_EQ(s.size(), 50u);
  EXPECT_EQ(s.info.nominal_rate_hz, 100.0);
  EXPECT_TRUE(s.info.has_gyr);
  EXPECT_TRUE(s.gaps.empty());
  EXPECT_EQ(s.device_time_s, s.time_s);
  // Closed forms from tests/data/make_format0_fixture.py, converted to SI.
  for (std::size_t i : {0u, 17u, 49u}) {
    EXPECT_DOUBLE_EQ(s.time_s[i], i / 100.0);
    EXPECT_DOUBLE_EQ(s.acc[i].x(), kGravity);
    EXPECT_DOUBLE_EQ(s.acc[i].y(), 0.01 * i * kGravity);
    EXPECT_DOUBLE_EQ(s.acc[i].z(), -0.5 * kGravity);
    EXPECT_DOUBLE_EQ(s.gyr[i].x(), std::numbers::pi / 2);
    EXPECT_DOUBLE_EQ(s.gyr[i].y(), (-45.0 + i) * std::numbers::pi / 180.0);
  }
  // Upgraded data writes out as format 1 and reads back the same.
  ScratchDir dir;
  write_recording(dir / "v1.h5", rec);
  expect_same_recording(rec, read_recording(dir / "v1.h5"));
}

}  // namespace
}  // namespace stridelab::storage::test
