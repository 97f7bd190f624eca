// Other devices' files: the real Axivity and Xsens samples of ../shared/data/formats (read
// there, never copied: see that folder's README for licences and provenance) against their
// expected values, and fixtures written here from the documented layouts (APDM HDF5, Sensor
// Logger, phyphox), plus damaged and partial files of each format.
#include <hdf5.h>
#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <nlohmann/json.hpp>
#include <numbers>
#include <sstream>

#include "storage_test_util.hpp"
#include "stridelab/core/crc.hpp"
#include "stridelab/storage/recording_io.hpp"
#include "support/process.hpp"

namespace stridelab::storage::test {
namespace {

constexpr double kDeg = std::numbers::pi / 180.0;

// ../shared/data/formats (STRIDELAB_SHARED_DIR, else beside the source tree, else /work/shared).
fs::path formats_dir() {
  std::vector<std::string> candidates;
  if (const char* e = std::getenv("STRIDELAB_SHARED_DIR")) candidates.push_back(e);
  candidates.push_back(std::string(STRIDELAB_SOURCE_DIR) + "/../shared");
  candidates.push_back("/work/shared");
  for (const std::string& c : candidates)
    if (fs::is_directory(c + "/data/formats")) return fs::path(c) / "data" / "formats";
  return {};
}

#define REQUIRE_FORMATS_DIR()                              \
  const fs::path formats = formats_dir();                  \
  if (formats.empty())                                     \
  GTEST_SKIP() << "../shared/data/formats not found (set " \
                  "STRIDELAB_SHARED_DIR)"

// Rows of an expected-values CSV: index, then numbers (kept as text to compare digits).
struct RefRow {
  std::size_t index = 0;
  std::vector<std::string> cells;  // after the index: unix_time_s, acc_*_g[, gyr_*_dps]
};
std::vector<RefRow> read_reference(const fs::path& csv) {
  std::istringstream in(read_text(csv));
  std::string line;
  std::getline(in, line);  // header
  std::vector<RefRow> rows;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    RefRow r;
    std::stringstream cells(line);
    std::string cell;
    std::getline(cells, cell, ',');
    r.index = std::stoul(cell);
    while (std::getline(cells, cell, ',')) r.cells.push_back(cell);
    rows.push_back(std::move(r));
  }
  return rows;
}

std::string fixed6(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  return buf;
}

// ---- Axivity CWA ------------------------------------------------------------------------------

TEST(ForeignCwa, Ax6MatchesTheExpectedSamplesToTheLastDigit) {
  REQUIRE_FORMATS_DIR();
  const fs::path file = formats / "axivity_ax6" / "ax6_sample.cwa";
  EXPECT_EQ(detect_format(file), SourceFormat::kAxivityCwa);
  const Recording rec = read_recording(file);
  ASSERT_EQ(rec.sensors.size(), 1u);
  const SensorData& s = rec.sensors[0];
  EXPECT_EQ(s.size(), 10360u);  // 259 blocks x 40
  EXPECT_EQ(s.info.device_model, "Axivity AX6");
  EXPECT_EQ(s.info.nominal_rate_hz, 100.0);
  EXPECT_DOUBLE_EQ(s.info.acc_range_ms2, 16 * kGravity);
  EXPECT_DOUBLE_EQ(s.info.gyr_range_rads, 2000 * kDeg);
  EXPECT_TRUE(s.info.has_gyr);
  EXPECT_TRUE(s.gaps.empty());
  // Reference row 0: ...786.300000; local device time, no zone (the file records none).
  EXPECT_EQ(rec.start_time_iso, "2019-10-29T09:03:06.300");
  EXPECT_NE(rec.attributes.at("cwa_clock").find("no time zone"), std::string::npos);
  EXPECT_EQ(rec.attributes.count("import_warnings"), 0u);

  const auto ref = read_reference(formats / "axivity_ax6" / "ax6_reference_samples.csv");
  ASSERT_EQ(ref.size(), 1200u);
  const double t0 = std::stod(ref[0].cells[0]);
  double max_dt = 0.0, max_gyr = 0.0;
  int acc_digits = 0, gyr_digits = 0, gyr_close = 0;
  for (const RefRow& r : ref) {
    ASSERT_LT(r.index, s.size());
    // Times: the reference's are rounded to 0.1 ms (every one is a multiple of 1e-4 s).
    max_dt = std::max(max_dt, std::abs(s.time_s[r.index] - (std::stod(r.cells[0]) - t0)));
    for (int a = 0; a < 3; ++a) {
      // Accelerometer: whole counts of 1/2048 g, printed as the reference prints them.
      const double acc_counts = s.acc[r.index][a] / (kGravity / 2048.0);
      ASSERT_NEAR(acc_counts, std::round(acc_counts), 1e-9) << "sample " << r.index;
      acc_digits += fixed6(std::round(acc_counts) / 2048.0) == r.cells[1 + a];
      // Gyroscope: ours is counts x 2000/32768 deg/s exactly. The reference was stored as
      // float32 after dividing by float32(32768/2000): the counts must be whole, and doing
      // the same rounding must give every printed digit.
      const double dps = s.gyr[r.index][a] / kDeg;
      const double counts = dps / (2000.0 / 32768.0);
      ASSERT_NEAR(counts, std::round(counts), 1e-6) << "sample " << r.index;
      const float as_stored = static_cast<float>(std::round(counts) / static_cast<double>(16.384f));
      gyr_digits += fixed6(as_stored) == r.cells[4 + a];
      // Without that emulation: within the print resolution plus the reference's scale error.
      const double diff = std::abs(dps - std::stod(r.cells[4 + a]));
      gyr_close += diff <= 5.01e-7 + 1.2e-7 * std::abs(dps);  // float32: 2^-23 relative
      max_gyr = std::max(max_gyr, diff);
    }
  }
  EXPECT_EQ(acc_digits, 3600);
  EXPECT_EQ(gyr_digits, 3600);
  EXPECT_EQ(gyr_close, 3600);
  EXPECT_LE(max_dt, 51e-6);  // half the reference's 0.1 ms resolution (+ double rounding)
  std::printf("AX6: 1200 rows; times within %.1f us; gyro within %.2g deg/s of the reference\n",
              max_dt * 1e6, max_gyr);
}

TEST(ForeignCwa, Ax3MatchesTheExpectedSamplesAndHasNoGyroscope) {
  REQUIRE_FORMATS_DIR();
  const Recording rec = read_recording(formats / "axivity_ax3" / "ax3_sample.cwa");
  const SensorData& s = rec.sensors.at(0);
  EXPECT_EQ(s.size(), 58800u);
  EXPECT_EQ(s.info.device_model, "Axivity AX3");
  EXPECT_EQ(s.info.nominal_rate_hz, 200.0);
  EXPECT_DOUBLE_EQ(s.info.acc_range_ms2, 8 * kGravity);
  EXPECT_FALSE(s.info.has_gyr);
  EXPECT_TRUE(s.gyr.empty());
  EXPECT_TRUE(s.gaps.empty());
  EXPECT_EQ(rec.start_time_iso, "2020-02-12T09:03:37.480");
  const auto ref = read_reference(formats / "axivity_ax3" / "ax3_reference_samples.csv");
  ASSERT_EQ(ref.size(), 1200u);
  const double t0 = std::stod(ref[0].cells[0]);
  double max_dt = 0.0;
  int acc_digits = 0;
  for (const RefRow& r : ref) {
    ASSERT_LT(r.index, s.size());
    max_dt = std::max(max_dt, std::abs(s.time_s[r.index] - (std::stod(r.cells[0]) - t0)));
    for (int a = 0; a < 3; ++a) {
      const double counts = s.acc[r.index][a] / (kGravity / 256.0);  // 1/256 g per count
      ASSERT_NEAR(counts, std::round(counts), 1e-9) << "sample " << r.index;
      acc_digits += fixed6(std::round(counts) / 256.0) == r.cells[1 + a];
    }
  }
  EXPECT_EQ(acc_digits, 3600);
  EXPECT_LE(max_dt, 51e-6);
  std::printf("AX3: 1200 rows; accelerometer digits all equal; times within %.1f us\n",
              max_dt * 1e6);
}

TEST(ForeignCwa, BadChecksumSkipsTheBlockAndMarksAGap) {
  REQUIRE_FORMATS_DIR();
  ScratchDir dir;
  const std::string bytes = read_text(formats / "axivity_ax6" / "ax6_sample.cwa");
  const Recording good = read_recording(formats / "axivity_ax6" / "ax6_sample.cwa");
  std::string bad = bytes;
  bad[1024 + 17 * 512 + 100] ^= 0x10;  // one bit in block 17's samples
  write_text(dir / "bad.cwa", bad);
  const Recording rec = read_recording(dir / "bad.cwa");
  const SensorData& s = rec.sensors.at(0);
  ASSERT_EQ(s.size(), 10360u - 40u);
  ASSERT_EQ(s.gaps.size(), 1u);
  EXPECT_EQ(s.gaps[0].cause, "checksum");
  EXPECT_EQ(s.gaps[0].index, 17u * 40u);
  EXPECT_EQ(s.gaps[0].missing, 40u);
  expect_has(rec.attributes.at("import_warnings"),
             {"Axivity CWA", "block 17 (byte 9728)", "bad checksum"});
  // Nothing else moves: the samples after the hole keep their values, and their times within
  // one period (the block after the hole starts at its own RTC stamp instead of where its
  // predecessor ended).
  const SensorData& g = good.sensors[0];
  for (std::size_t i = 0; i < s.size(); i += 37) {
    const std::size_t j = i < 17 * 40 ? i : i + 40;
    EXPECT_EQ(s.acc[i], g.acc[j]);
    EXPECT_NEAR(s.time_s[i], g.time_s[j], i < 17 * 40 ? 0.0 : 0.0105) << i;
  }
}

TEST(ForeignCwa, CutAndDamagedFilesNameTheFileThePlaceAndTheFormat) {
  REQUIRE_FORMATS_DIR();
  ScratchDir dir;
  const std::string bytes = read_text(formats / "axivity_ax6" / "ax6_sample.cwa");
  // Cut inside block 100: the 100 whole blocks before it are read, the cut is reported.
  write_text(dir / "cut.cwa", bytes.substr(0, 1024 + 100 * 512 + 200));
  const Recording cut = read_recording(dir / "cut.cwa");
  EXPECT_EQ(cut.sensors[0].size(), 4000u);
  expect_has(cut.attributes.at("import_warnings"),
             {"ends inside block 100 (byte 52224)", "200 bytes"});
  // Cut inside the header.
  write_text(dir / "head.cwa", bytes.substr(0, 600));
  expect_has(error_of([&] { read_recording(dir / "head.cwa"); }),
             {"head.cwa", "Axivity CWA", "header", "600"});
  // Every block damaged.
  std::string junk = bytes.substr(0, 1024 + 3 * 512);
  for (int k = 0; k < 3; ++k) junk[1024 + k * 512 + 300] ^= 1;
  write_text(dir / "junk.cwa", junk);
  expect_has(error_of([&] { read_recording(dir / "junk.cwa"); }),
             {"junk.cwa", "Axivity CWA", "no readable data block", "block 0 (byte 1024)"});
  // Random bytes are not mistaken for anything.
  std::string noise(5000, '\0');
  std::mt19937 rng(4);
  for (char& c : noise) c = static_cast<char>(rng());
  write_text(dir / "noise.cwa", noise);
  expect_has(error_of([&] { read_recording(dir / "noise.cwa"); }),
             {"noise.cwa", "unknown file type"});
}

// ---- Xsens --------------------------------------------------------------------------------

const char* kMtFile = "MT_0120039D_007-000_00B47787_leftfoot_short.txt";

TEST(ForeignXsens, MtManagerExportLoadsWithRateFromVelocityIncrements) {
  REQUIRE_FORMATS_DIR();
  const fs::path file = formats / "xsens_mtmanager" / kMtFile;
  EXPECT_EQ(detect_format(file), SourceFormat::kXsensMtManager);
  const Recording rec = read_recording(file);
  const SensorData& s = rec.sensors.at(0);
  EXPECT_EQ(s.size(), 265u);
  EXPECT_EQ(s.info.nominal_rate_hz, 100.0);  // VelInc/Acc: 100.00003 Hz
  EXPECT_EQ(s.info.device_id, "00B47787");
  EXPECT_EQ(s.info.device_model, "Xsens MTW2-3A7G6");
  EXPECT_EQ(s.info.firmware, "4.6.0");
  EXPECT_TRUE(s.gaps.empty());
  expect_has(rec.attributes.at("xsens_time"), {"PacketCounter", "VelInc"});
  // First row: 51656, , 5.154443 0.695420 8.486528 (m/s^2) ... 0.002792 0.014013 -0.013273 (rad/s)
  EXPECT_EQ(s.acc[0], Vec3(5.154443, 0.695420, 8.486528));
  EXPECT_EQ(s.gyr[0], Vec3(0.002792, 0.014013, -0.013273));
  EXPECT_DOUBLE_EQ(s.time_s[1], 0.01);
  EXPECT_DOUBLE_EQ(s.time_s.back(), 2.64);
}

TEST(ForeignXsens, MtManagerGapsWrongUnitsAndMissingColumns) {
  REQUIRE_FORMATS_DIR();
  ScratchDir dir;
  const std::string text = read_text(formats / "xsens_mtmanager" / kMtFile);
  // Drop data rows 101..105: PacketCounter jumps by 6, a gap of 5 samples.
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  std::string gappy;
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (i < 13 + 100 || i >= 13 + 105) gappy += lines[i] + "\n";
  write_text(dir / "gappy.txt", gappy);
  const SensorData g = read_recording(dir / "gappy.txt").sensors.at(0);
  ASSERT_EQ(g.gaps.size(), 1u);
  EXPECT_EQ(g.gaps[0].missing, 5u);
  EXPECT_EQ(g.gaps[0].index, 100u);
  // Given --rate, the counter is read at that rate.
  CsvOptions at120;
  at120.rate_hz = 120.0;
  EXPECT_DOUBLE_EQ(read_recording(dir / "gappy.txt", at120).sensors[0].time_s[1], 1.0 / 120.0);
  // Gyro in deg/s under an MT Manager header (which promises rad/s): the unit check objects.
  CsvOptions as_rads;
  as_rads.gyr_unit = GyrUnit::kRads;
  std::string dps = lines[0] + "\n";
  for (std::size_t i = 1; i < lines.size(); ++i) dps += lines[i] + "\n";
  Recording rec = read_recording(formats / "xsens_mtmanager" / kMtFile);
  {
    std::string scaled;
    for (std::size_t i = 0; i < 13; ++i) scaled += lines[i] + "\n";
    for (std::size_t k = 0; k < rec.sensors[0].size(); ++k) {
      const Vec3 a = rec.sensors[0].acc[k];
      const Vec3 w = rec.sensors[0].gyr[k] * 2000.0;  // far beyond a body's 35 rad/s
      char row[256];
      std::snprintf(row, sizeof row, "%zu\t\t%f\t%f\t%f\t%f\t%f\t%f\n", 51656 + k, a.x(), a.y(),
                    a.z(), w.x() + 30, w.y() + 30, w.z() + 30);
      scaled += row;
    }
    // Header of only the columns written.
    scaled.replace(scaled.find("PacketCounter"),
                   scaled.find('\n', scaled.find("PacketCounter")) - scaled.find("PacketCounter"),
                   "PacketCounter\tSampleTimeFine\tAcc_X\tAcc_Y\tAcc_Z\tGyr_X\tGyr_Y\tGyr_Z");
    CsvOptions with_rate;
    with_rate.rate_hz = 100.0;
    write_text(dir / "dps.txt", scaled);
    expect_has(error_of([&] { read_recording(dir / "dps.txt", with_rate); }),
               {"dps.txt", "looks like deg/s", "Xsens MT Manager column names"});
    // Without VelInc and without --rate there is no way to know the rate.
    expect_has(error_of([&] { read_recording(dir / "dps.txt"); }),
               {"dps.txt", "Xsens MT Manager", "--rate"});
  }
  // No accelerometer columns: the header line is named.
  std::string no_acc = text;
  for (const char* axis : {"Acc_X", "Acc_Y", "Acc_Z"})
    no_acc.replace(no_acc.find(axis), 5, "Bcc_X");
  write_text(dir / "noacc.txt", no_acc);
  expect_has(error_of([&] { read_recording(dir / "noacc.txt"); }),
             {"noacc.txt:13", "Xsens MT Manager", "missing Acc_X"});
  // A cut row.
  write_text(dir / "cutrow.txt", text.substr(0, text.find('\n', text.size() / 2) + 30));
  expect_has(error_of([&] { read_recording(dir / "cutrow.txt"); }), {"cutrow.txt:", "columns"});
  // Garbage in a cell.
  std::string bad = text;
  bad.replace(bad.find("5.154443"), 8, "5.15x443");
  write_text(dir / "bad.txt", bad);
  expect_has(error_of([&] { read_recording(dir / "bad.txt"); }),
             {"bad.txt:14", "Acc_X", "not a number"});
}

TEST(ForeignXsens, DotExportLoadsInDegreesPerSecondWithoutTheZeroRow) {
  REQUIRE_FORMATS_DIR();
  const fs::path file = formats / "xsens_dot" / "yxb_D4CA6EF17231_20210830_170505.csv";
  EXPECT_EQ(detect_format(file), SourceFormat::kXsensDot);
  const Recording rec = read_recording(file);
  const SensorData& s = rec.sensors.at(0);
  EXPECT_EQ(s.size(), 3884u);  // 3885 data rows, the first all zeros
  EXPECT_EQ(s.info.nominal_rate_hz, 120.0);
  EXPECT_EQ(s.info.device_model, "Xsens DOT");
  EXPECT_EQ(s.info.device_id, "D4:CA:6E:F1:72:31");
  EXPECT_EQ(s.info.firmware, "1.6.0");
  EXPECT_EQ(rec.start_time_iso, "2021-08-30T09:05:05.000Z");  // 17:05:05 GMT+8
  expect_has(rec.attributes.at("import_warnings"), {"first 1 data row", "zeros"});
  // Row 1: 1,677859539,..., -8.41951370239258,2.91324996948242,-2.54766297340393,
  //        -4.23596715927124,0.86051028966904,-0.84500074386597 (deg/s)
  EXPECT_DOUBLE_EQ(s.time_s[0], 8333e-6);  // after the first row's SampleTimeFine
  EXPECT_EQ(s.acc[0], Vec3(-8.41951370239258, 2.91324996948242, -2.54766297340393));
  EXPECT_DOUBLE_EQ(s.gyr[0].x(), -4.23596715927124 * kDeg);
  EXPECT_DOUBLE_EQ(s.gyr[0].z(), -0.84500074386597 * kDeg);
  // Last row: 3884,710216578,...
  EXPECT_DOUBLE_EQ(s.time_s.back(), (710216578.0 - 677851206.0) * 1e-6);
  // Read as rad/s (an explicit, wrong option) the unit check objects.
  CsvOptions rads;
  rads.gyr_unit = GyrUnit::kRads;
  expect_has(error_of([&] { read_recording(file, rads); }), {"looks like deg/s"});
}

TEST(ForeignXsens, DotMissingColumnsAndCutFiles) {
  REQUIRE_FORMATS_DIR();
  ScratchDir dir;
  const std::string text =
      read_text(formats / "xsens_dot" / "yxb_D4CA6EF17231_20210830_170505.csv");
  std::string no_time = text;
  no_time.replace(no_time.find("SampleTimeFine"), 14, "SampleTimeCoarse");
  write_text(dir / "a.csv", no_time);
  expect_has(error_of([&] { read_recording(dir / "a.csv"); }),
             {"a.csv:8", "Xsens DOT", "SampleTimeFine"});
  write_text(dir / "b.csv", text.substr(0, 200));  // the metadata only
  expect_has(error_of([&] { read_recording(dir / "b.csv"); }), {"b.csv", "Xsens DOT"});
}

// ---- APDM HDF5 ----------------------------------------------------------------------------

struct ApdmSensor {
  std::string id, label;
  double phase = 0.0;
};

// An APDM file written from the documented layout (no public sample exists).
void write_apdm(const fs::path& path, const std::vector<ApdmSensor>& sensors, std::size_t n,
                bool with_time = true) {
  const hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  const hid_t root = H5Gcreate2(f, "Sensors", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  for (const ApdmSensor& s : sensors) {
    const hid_t g = H5Gcreate2(root, s.id.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const hid_t cfg = H5Gcreate2(g, "Configuration", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const hid_t str = H5Tcopy(H5T_C_S1);
    H5Tset_size(str, s.label.size() + 1);
    const hid_t scalar = H5Screate(H5S_SCALAR);
    const hid_t attr = H5Acreate2(cfg, "Label 0", str, scalar, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(attr, str, s.label.c_str());
    H5Aclose(attr);
    H5Sclose(scalar);
    H5Tclose(str);
    H5Gclose(cfg);
    const hsize_t dims2[2] = {n, 3};
    const hid_t space2 = H5Screate_simple(2, dims2, nullptr);
    for (const char* name : {"Accelerometer", "Gyroscope", "Magnetometer"}) {
      std::vector<double> v(3 * n);
      for (std::size_t i = 0; i < n; ++i) {
        const double w = 2 * std::numbers::pi * 0.9 * (static_cast<double>(i) / 128.0) + s.phase;
        const std::string k = name;
        v[3 * i] = k == "Accelerometer" ? 1.5 * std::sin(w)
                   : k == "Gyroscope"   ? 0.6 * std::cos(w)
                                        : 20.0;
        v[3 * i + 1] = k == "Accelerometer" ? 0.7 * std::cos(2 * w)
                       : k == "Gyroscope"   ? 0.2 * std::sin(w)
                                            : -5.0;
        v[3 * i + 2] = k == "Accelerometer" ? kGravity + 2 * std::sin(2 * w)
                       : k == "Gyroscope"   ? 0.9 * std::sin(2 * w)
                                            : 40.0 + i * 1e-3;
      }
      const hid_t ds =
          H5Dcreate2(g, name, H5T_IEEE_F32LE, space2, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
      H5Dclose(ds);
    }
    H5Sclose(space2);
    if (with_time) {
      const hsize_t dims1[1] = {n};
      const hid_t space1 = H5Screate_simple(1, dims1, nullptr);
      std::vector<std::uint64_t> t(n);
      for (std::size_t i = 0; i < n; ++i) t[i] = 1600000000000000ull + (i * 1000000ull) / 128;
      const hid_t ds =
          H5Dcreate2(g, "Time", H5T_STD_U64LE, space1, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      H5Dwrite(ds, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, t.data());
      H5Dclose(ds);
      H5Sclose(space1);
    }
    H5Gclose(g);
  }
  H5Gclose(root);
  H5Fclose(f);
}

TEST(ForeignApdm, SeveralSensorsTheLumbarOneFirstByLabel) {
  ScratchDir dir;
  const fs::path file = dir / "opal.h5";
  write_apdm(file, {{"XI-000101", "Right Foot", 0.0}, {"XI-000102", "Lumbar", 0.3}}, 1280);
  EXPECT_EQ(detect_format(file), SourceFormat::kApdmHdf5);
  const Recording rec = read_recording(file);
  ASSERT_EQ(rec.sensors.size(), 2u);
  EXPECT_EQ(rec.primary().info.name, "lumbar");
  EXPECT_EQ(rec.primary().info.device_id, "XI-000102");
  EXPECT_EQ(rec.primary().info.placement, Placement::kPelvis);
  EXPECT_EQ(rec.sensors[1].info.name, "right_foot");
  EXPECT_EQ(rec.sensors[1].info.placement, Placement::kOther);
  EXPECT_EQ(rec.start_time_iso, "2020-09-13T12:26:40.000Z");  // 1600000000 s
  const SensorData& s = rec.primary();
  EXPECT_EQ(s.size(), 1280u);
  EXPECT_EQ(s.info.nominal_rate_hz, 128.0);
  EXPECT_TRUE(s.info.has_gyr);
  EXPECT_TRUE(s.info.has_mag);
  EXPECT_TRUE(s.gaps.empty());
  EXPECT_DOUBLE_EQ(s.time_s[128], 1.0);
  const double w = 0.3;  // sample 0 of the lumbar sensor
  EXPECT_DOUBLE_EQ(s.acc[0].x(), static_cast<double>(static_cast<float>(1.5 * std::sin(w))));
  EXPECT_DOUBLE_EQ(s.gyr[0].x(), static_cast<double>(static_cast<float>(0.6 * std::cos(w))));
  EXPECT_DOUBLE_EQ(s.mag[0].y(), -5.0);
  EXPECT_EQ(rec.attributes.count("import_warnings"), 0u);
}

TEST(ForeignApdm, NoLumbarLabelIsSaidAndMissingDatasetsNamed) {
  ScratchDir dir;
  write_apdm(dir / "feet.h5", {{"XI-1", "Left Foot"}, {"XI-2", "Right Foot"}}, 300);
  const Recording rec = read_recording(dir / "feet.h5");
  expect_has(rec.attributes.at("import_warnings"),
             {"no sensor is labelled lumbar", "left_foot", "--sensor", "right_foot (XI-2)"});
  write_apdm(dir / "notime.h5", {{"XI-7", "Lumbar"}}, 300, false);
  expect_has(error_of([&] { read_recording(dir / "notime.h5"); }),
             {"notime.h5:/Sensors/XI-7", "APDM", "Time"});
}

// ---- phone apps -----------------------------------------------------------------------------

// A zip with the given members, each deflated (raw deflate, as zip stores it).
std::string make_zip(const std::vector<std::pair<std::string, std::string>>& members) {
  std::string out, dir;
  auto put16 = [](std::string& s, unsigned v) {
    s += static_cast<char>(v & 0xFF);
    s += static_cast<char>((v >> 8) & 0xFF);
  };
  auto put32 = [&](std::string& s, unsigned v) {
    put16(s, v & 0xFFFF);
    put16(s, v >> 16);
  };
  for (const auto& [name, data] : members) {
    std::string packed(compressBound(data.size()) + 64, '\0');
    z_stream z{};
    deflateInit2(&z, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(packed.data());
    z.avail_out = static_cast<uInt>(packed.size());
    deflate(&z, Z_FINISH);
    packed.resize(z.total_out);
    deflateEnd(&z);
    const unsigned crc = crc32(Crc32Variant::kIsoHdlc, data.data(), data.size());
    const unsigned offset = static_cast<unsigned>(out.size());
    put32(out, 0x04034b50);
    put16(out, 20), put16(out, 0), put16(out, 8), put16(out, 0), put16(out, 0);
    put32(out, crc), put32(out, static_cast<unsigned>(packed.size()));
    put32(out, static_cast<unsigned>(data.size()));
    put16(out, static_cast<unsigned>(name.size())), put16(out, 0);
    out += name + packed;
    put32(dir, 0x02014b50);
    put16(dir, 20), put16(dir, 20), put16(dir, 0), put16(dir, 8), put16(dir, 0), put16(dir, 0);
    put32(dir, crc), put32(dir, static_cast<unsigned>(packed.size()));
    put32(dir, static_cast<unsigned>(data.size()));
    put16(dir, static_cast<unsigned>(name.size())), put16(dir, 0), put16(dir, 0);
    put16(dir, 0), put16(dir, 0), put32(dir, 0), put32(dir, offset);
    dir += name;
  }
  const unsigned dir_offset = static_cast<unsigned>(out.size());
  out += dir;
  put32(out, 0x06054b50);
  put16(out, 0), put16(out, 0);
  put16(out, static_cast<unsigned>(members.size())),
      put16(out, static_cast<unsigned>(members.size()));
  put32(out, static_cast<unsigned>(dir.size())), put32(out, dir_offset), put16(out, 0);
  return out;
}

// Sensor Logger files: gyroscope at 100 Hz, accelerometer and gravity at 100 Hz on other ticks
// (3 ms later), linear in time so interpolation is exact. Columns in the app's order z, y, x.
constexpr long long kT0 = 1700000000123000000LL;  // ns
std::string sl_csv(double offset_s, std::size_t n, const std::function<Vec3(double)>& f) {
  std::string text = "time,seconds_elapsed,z,y,x\n";
  for (std::size_t i = 0; i < n; ++i) {
    const double t = offset_s + static_cast<double>(i) * 0.01;
    const Vec3 v = f(t);
    char row[200];
    std::snprintf(row, sizeof row, "%lld,%.9f,%.9g,%.9g,%.9g\n",
                  kT0 + static_cast<long long>(std::llround(t * 1e9)), t + 0.5, v.z(), v.y(),
                  v.x());
    text += row;
  }
  return text;
}
Vec3 lin(double t) {
  return Vec3(0.5 * t, -0.25 * t, 0.1);
}
Vec3 grav(double t) {
  return Vec3(0.2, 0.01 * t, 9.79);
}
Vec3 gyro(double t) {
  return Vec3(0.3, std::fmod(t, 1.0), -0.2);
}

std::vector<std::pair<std::string, std::string>> sensor_logger_files(const std::string& platform) {
  return {{"Accelerometer.csv", sl_csv(0.003, 1000, lin)},
          {"Gravity.csv", sl_csv(0.003, 1000, grav)},
          {"Gyroscope.csv", sl_csv(0.0, 1000, gyro)},
          {"Metadata.csv",
           "version,device name,recording epoch time,recording time,recording timezone,platform,"
           "appVersion,device id,sensors,sampleRateMs,standardisation,platform version\n"
           "3,Pixel 7,1700000000000,2023-11-14_22-13-20,UTC," +
               platform + ",1.30,abc,Accelerometer|Gravity|Gyroscope,10|10|10,false,14\n"}};
}

TEST(ForeignPhone, SensorLoggerFolderAndZipMergeOntoTheGyroscopeTimes) {
  ScratchDir dir;
  fs::create_directories(dir / "walk");
  for (const auto& [name, text] : sensor_logger_files("android"))
    write_text(dir / "walk" / name, text);
  write_text(dir / "walk.zip", make_zip(sensor_logger_files("android")));
  for (const fs::path& p : {dir / "walk", dir / "walk.zip"}) {
    SCOPED_TRACE(p.string());
    EXPECT_EQ(detect_format(p), SourceFormat::kSensorLogger);
    const Recording rec = read_recording(p);
    const SensorData& s = rec.sensors.at(0);
    // Gyro sample 0 (t = 0) precedes the first accelerometer sample: dropped; the last
    // accelerometer sample is at 9.993 s, so gyro 9.99 is the last one kept.
    ASSERT_EQ(s.size(), 999u);
    EXPECT_EQ(s.info.nominal_rate_hz, 100.0);
    EXPECT_EQ(s.info.device_model, "Sensor Logger (Pixel 7, android)");
    EXPECT_EQ(rec.start_time_iso, "2023-11-14T22:13:20.133Z");  // kT0 + 0.01 s
    EXPECT_TRUE(s.gaps.empty());
    for (std::size_t i = 0; i < s.size(); i += 111) {
      const double t = 0.01 * static_cast<double>(i + 1);
      EXPECT_NEAR(s.time_s[i], t - 0.01, 1e-9);
      const Vec3 want = lin(t) + grav(t);  // linear in t: interpolation is exact
      EXPECT_NEAR((s.acc[i] - want).norm(), 0.0, 1e-6) << i;
      EXPECT_NEAR((s.gyr[i] - gyro(t)).norm(), 0.0, 1e-6) << i;
    }
    expect_has(rec.attributes.at("phone_merge"),
               {"Accelerometer.csv + Gravity.csv", "interpolated"});
  }
}

TEST(ForeignPhone, SensorLoggerIosFrameAndMissingFiles) {
  ScratchDir dir;
  fs::create_directories(dir / "ios");
  for (const auto& [name, text] : sensor_logger_files("ios")) write_text(dir / "ios" / name, text);
  const SensorData s = read_recording(dir / "ios").sensors.at(0);
  const double t = 0.01 * 101;
  EXPECT_NEAR((s.acc[100] + lin(t) + grav(t)).norm(), 0.0, 1e-6);  // negated
  EXPECT_NEAR((s.gyr[100] - gyro(t)).norm(), 0.0, 1e-6);           // not negated

  fs::create_directories(dir / "nograv");
  for (const auto& [name, text] : sensor_logger_files("android"))
    if (name != "Gravity.csv") write_text(dir / "nograv" / name, text);
  expect_has(error_of([&] { read_recording(dir / "nograv"); }),
             {"nograv", "Sensor Logger", "Gravity.csv"});
  fs::create_directories(dir / "nogyro");
  for (const auto& [name, text] : sensor_logger_files("android"))
    if (name != "Gyroscope.csv") write_text(dir / "nogyro" / name, text);
  expect_has(error_of([&] { read_recording(dir / "nogyro"); }),
             {"nogyro", "holds no recording", "Accelerometer.csv"});
  // A bad row names its file and line.
  fs::create_directories(dir / "badrow");
  for (auto [name, text] : sensor_logger_files("android")) {
    if (name == "Gyroscope.csv") text.replace(text.find('\n', 300) + 1, 3, "abc");
    write_text(dir / "badrow" / name, text);
  }
  expect_has(error_of([&] { read_recording(dir / "badrow"); }),
             {"badrow/Gyroscope.csv:", "Sensor Logger", "time"});
  // A damaged zip.
  std::string zip = make_zip(sensor_logger_files("android"));
  zip[200] ^= 0x55;
  write_text(dir / "bad.zip", zip);
  expect_has(error_of([&] { read_recording(dir / "bad.zip"); }),
             {"bad.zip", "zip", "Accelerometer.csv"});
  write_text(dir / "cut.zip", zip.substr(0, zip.size() / 2));
  expect_has(error_of([&] { read_recording(dir / "cut.zip"); }),
             {"cut.zip", "zip", "end-of-central-directory"});
}

// phyphox: English captions with ',' and a German export with ';' and decimal commas.
std::string phyphox_csv(const std::string& header, char sep, bool comma, double offset,
                        const std::function<Vec3(double)>& f, double period = 0.01) {
  std::string text = header + "\n";
  for (int i = 0; i < 800; ++i) {
    const double t = offset + i * period;
    const Vec3 v = f(t);
    char row[200];
    std::snprintf(row, sizeof row, "%.9E%c%.9E%c%.9E%c%.9E\n", t, sep, v.x(), sep, v.y(), sep,
                  v.z());
    std::string r = row;
    if (comma) std::replace(r.begin(), r.end(), '.', ',');
    text += r;
  }
  return text;
}
Vec3 acc_g(double t) {
  return Vec3(0.4 * t, 1.0, 9.7 - 0.1 * t);
}

TEST(ForeignPhone, PhyphoxColumnsAreMatchedByUnit) {
  ScratchDir dir;
  fs::create_directories(dir / "en" / "meta");
  write_text(dir / "en" / "Accelerometer.csv",
             phyphox_csv("\"Time (s)\",\"X (m/s^2)\",\"Y (m/s^2)\",\"Z (m/s^2)\"", ',', false,
                         0.002, acc_g));
  write_text(
      dir / "en" / "Gyroscope.csv",
      phyphox_csv("\"Time (s)\",\"X (rad/s)\",\"Y (rad/s)\",\"Z (rad/s)\"", ',', false, 0.0, gyro));
  write_text(dir / "en" / "meta" / "time.csv",
             "\"event\",\"experiment time\",\"system time\",\"system time text\"\n"
             "\"START\",0.000000000E0,1.700000000500E9,\"2023-11-14 22:13:20.500 UTC+00:00\"\n");
  write_text(
      dir / "de.csv",
      phyphox_csv(
          "\"Zeit (s)\";\"Drehrate x (rad/s)\";\"Drehrate y (rad/s)\";\"Drehrate z (rad/s)\"", ';',
          true, 0.0, gyro));
  EXPECT_EQ(detect_format(dir / "en"), SourceFormat::kPhyphox);
  const Recording rec = read_recording(dir / "en");
  const SensorData& s = rec.sensors.at(0);
  ASSERT_EQ(s.size(), 799u);  // the first gyro sample precedes the accelerometer
  EXPECT_EQ(s.info.nominal_rate_hz, 100.0);
  EXPECT_EQ(rec.start_time_iso, "2023-11-14T22:13:20.510Z");
  const double t = 0.01 * 51;
  EXPECT_NEAR((s.acc[50] - acc_g(t)).norm(), 0.0, 1e-6);
  EXPECT_NEAR((s.gyr[50] - gyro(t)).norm(), 0.0, 1e-6);

  // The German gyro-only file is recognised and says what is missing.
  EXPECT_EQ(detect_format(dir / "de.csv"), SourceFormat::kPhyphox);
  expect_has(error_of([&] { read_recording(dir / "de.csv"); }),
             {"de.csv", "phyphox", "no accelerometer columns"});
  // Linear acceleration (no g) is refused with the reason.
  fs::create_directories(dir / "lin");
  write_text(dir / "lin" / "Linear.csv",
             phyphox_csv("\"Time (s)\",\"Linear Acceleration x (m/s^2)\",\"Linear Acceleration y "
                         "(m/s^2)\",\"Linear Acceleration z (m/s^2)\"",
                         ',', false, 0.0, lin));
  write_text(
      dir / "lin" / "Gyroscope.csv",
      phyphox_csv("\"Time (s)\",\"X (rad/s)\",\"Y (rad/s)\",\"Z (rad/s)\"", ',', false, 0.0, gyro));
  expect_has(error_of([&] { read_recording(dir / "lin"); }),
             {"lin", "phyphox", "no gravity", "Acceleration with g"});
}

// ---- the command line ----------------------------------------------------------------------

struct CliRun {
  int status = -1;
  std::string output;  // stdout (and stderr when asked)
};
// Runs the built stridelab with space-separated arguments (paths here hold no spaces).
CliRun stridelab(const std::string& args, bool with_stderr = true) {
  std::vector<std::string> argv;
  std::istringstream words(args);
  for (std::string w; words >> w;) argv.push_back(w);
  const stridelab::testing::ProcessResult r = stridelab::testing::run_stridelab(argv);
  return {r.status, with_stderr ? r.output() : r.out};
}

TEST(ForeignCli, InfoNamesFormatAndDeviceAnalyzeRefusesAx3ConvertKeepsSamples) {
  REQUIRE_FORMATS_DIR();
  ScratchDir dir;
  const fs::path ax6 = formats / "axivity_ax6" / "ax6_sample.cwa";
  CliRun r = stridelab("info --json " + ax6.string(), false);
  ASSERT_EQ(r.status, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  EXPECT_EQ(j["format"], "Axivity CWA");
  EXPECT_EQ(j["sensors"][0]["device_model"], "Axivity AX6");
  EXPECT_EQ(j["sensors"][0]["samples"], 10360);
  EXPECT_EQ(j["start_time"], "2019-10-29T09:03:06.300");
  // The zone, where known, is stated; the samples' times are unchanged by it.
  r = stridelab("info --json --utc-offset +01:00 " + ax6.string(), false);
  ASSERT_EQ(r.status, 0) << r.output;
  const auto jz = nlohmann::json::parse(r.output);
  EXPECT_EQ(jz["start_time"], "2019-10-29T09:03:06.300+01:00");
  EXPECT_EQ(jz["attributes"]["cwa_clock"], "device local time, UTC offset +01:00 (as given)");
  EXPECT_EQ(jz["sensors"][0]["duration_s"], j["sensors"][0]["duration_s"]);
  r = stridelab("info " + ax6.string());
  ASSERT_EQ(r.status, 0) << r.output;
  expect_has(r.output, {"start_time:    2019-10-29T09:03:06.300\n",
                        "cwa_clock:     device local time; the file records no time zone"});
  r = stridelab("info --utc-offset +25:00 " + ax6.string());
  EXPECT_EQ(r.status, 1) << r.output;
  expect_has(r.output, {"ax6_sample.cwa: Axivity CWA", "bad UTC offset '+25:00'"});
  r = stridelab("info " + (formats / "xsens_mtmanager" / kMtFile).string());
  ASSERT_EQ(r.status, 0) << r.output;
  expect_has(r.output,
             {"format:        Xsens MT Manager text export", "Xsens MTW2-3A7G6, 00B47787"});

  r = stridelab("analyze " + (formats / "axivity_ax3" / "ax3_sample.cwa").string());
  EXPECT_NE(r.status, 0);
  expect_has(r.output, {"ax3_sample.cwa", "no gyroscope", "needs angular rate"});

  r = stridelab("convert " + ax6.string() + " " + (dir / "ax6.h5").string());
  ASSERT_EQ(r.status, 0) << r.output;
  const Recording back = read_recording(dir / "ax6.h5");
  const Recording direct = read_recording(ax6);
  EXPECT_EQ(back.start_time_iso, direct.start_time_iso);
  EXPECT_EQ(back.attributes.at("import_format"), "Axivity CWA (Axivity AX6)");
  EXPECT_EQ(back.sensors.at(0).time_s, direct.sensors[0].time_s);
  expect_same_vec3(back.sensors[0].acc, direct.sensors[0].acc, "acc");
  expect_same_vec3(back.sensors[0].gyr, direct.sensors[0].gyr, "gyr");

  write_text(dir / "garbage.cwa", std::string(3000, '\x07'));
  r = stridelab("info " + (dir / "garbage.cwa").string());
  EXPECT_NE(r.status, 0);
  expect_has(r.output, {"garbage.cwa", "unknown file type"});
}

TEST(ForeignCli, BatchTakesDeviceFilesAndSkipsNotes) {
  REQUIRE_FORMATS_DIR();
  ScratchDir dir;
  fs::create_directories(dir / "study");
  fs::copy_file(formats / "axivity_ax6" / "ax6_sample.cwa", dir / "study" / "s01.cwa");
  fs::copy_file(formats / "xsens_mtmanager" / kMtFile, dir / "study" / "s02.txt");
  write_text(dir / "study" / "notes.txt", "subject 2 limps\n");
  const CliRun r =
      stridelab("batch " + (dir / "study").string() + " --out " + (dir / "out").string() + " -j 1");
  ASSERT_EQ(r.status, 0) << r.output;
  expect_has(r.output, {"2 recordings: 2 analysed"});
  const std::string table = read_text(dir / "out" / "recordings.csv");
  expect_has(table, {"\ns01.cwa,", "\ns02.txt,"});
  EXPECT_EQ(table.find("notes"), std::string::npos);
}

TEST(ForeignDetect, UnknownContentIsNamedAndExistingKindsStay) {
  ScratchDir dir;
  write_text(dir / "x.bin", std::string("\x01\x02garbage", 9));
  expect_has(error_of([&] { detect_format(dir / "x.bin"); }), {"x.bin", "unknown file type"});
  write_text(dir / "n.csv", "time,acc_x,acc_y,acc_z\n0,0,0,9.8\n0.01,0,0,9.8\n");
  EXPECT_EQ(detect_format(dir / "n.csv"), SourceFormat::kCsv);
  write_recording(dir / "r.h5", make_recording());
  EXPECT_EQ(detect_format(dir / "r.h5"), SourceFormat::kStridelabHdf5);
  fs::create_directories(dir / "empty");
  expect_has(error_of([&] { read_recording(dir / "empty"); }), {"empty", "holds no recording"});
}

}  // namespace
}  // namespace stridelab::storage::test
