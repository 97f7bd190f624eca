// CSV import/export: the real recordings load as they are, every bad row is named, units are
// checked for plausibility, time irregularities become gaps.
#include <numbers>

#include "storage_test_util.hpp"
#include "stridelab/storage/recording_io.hpp"

namespace stridelab::storage::test {
namespace {

constexpr double kDeg = std::numbers::pi / 180.0;

std::string parse_error(const std::string& text, const CsvOptions& opts = {}) {
  return error_of([&] { parse_csv(text, "in.csv", opts); });
}

// A short walking-like native CSV: |acc| ~ 9.8 m/s^2, gyro ~ 1 rad/s.
std::string walking_csv(std::size_t rows, double rate_hz, double acc_scale = 1.0,
                        double gyr_scale = 1.0,
                        const std::string& header = "time,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z") {
  std::string text = header + "\n";
  for (std::size_t i = 0; i < rows; ++i) {
    const double t = i / rate_hz;
    const double w = 2 * std::numbers::pi * 0.9 * t;
    char line[200];
    std::snprintf(line, sizeof line, "%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f\n", t,
                  acc_scale * 2.0 * std::sin(w), acc_scale * 1.0 * std::cos(2 * w),
                  acc_scale * (kGravity + 2.5 * std::sin(2 * w)), gyr_scale * 1.2 * std::cos(w),
                  gyr_scale * 0.4 * std::sin(w), gyr_scale * 0.9 * std::sin(2 * w));
    text += line;
  }
  return text;
}

TEST(Csv, MobiliseRecordingLoadsWithoutConversion) {
  const Recording rec = read_recording(mobilise_walk());
  ASSERT_EQ(rec.sensors.size(), 1u);
  const SensorData& s = rec.sensors[0];
  EXPECT_EQ(s.size(), 1246u);  // lines minus header
  EXPECT_EQ(s.info.nominal_rate_hz, 100.0);
  EXPECT_TRUE(s.info.has_gyr);
  EXPECT_FALSE(s.info.has_mag);
  EXPECT_TRUE(s.gaps.empty());
  // First row: 0.000000,0.954513,-0.152240,-0.090637,7.540125,-0.171887,-1.134456 (g, deg/s)
  EXPECT_EQ(s.time_s[0], 0.0);
  EXPECT_DOUBLE_EQ(s.acc[0].x(), 0.954513 * kGravity);
  EXPECT_DOUBLE_EQ(s.acc[0].y(), -0.152240 * kGravity);
  EXPECT_DOUBLE_EQ(s.gyr[0].x(), 7.540125 * kDeg);
  EXPECT_DOUBLE_EQ(s.gyr[0].z(), -1.134456 * kDeg);
  EXPECT_DOUBLE_EQ(s.time_s[1], 0.01);
  // unix_ts of the first row, 1607605064.733, as UTC.
  EXPECT_EQ(rec.start_time_iso, "2020-12-10T12:57:44.733Z");
  expect_has(rec.attributes.at("csv_units"), {"acc g (column suffix _g)", "gyr deg/s"});
}

TEST(Csv, SkdhRecordingLoadsWithoutConversion) {
  const Recording rec = read_recording(skdh_lumbar());
  const SensorData& s = rec.sensors[0];
  EXPECT_EQ(s.size(), 5719u);
  EXPECT_EQ(s.info.nominal_rate_hz, 128.0);
  EXPECT_DOUBLE_EQ(s.acc[0].x(), -1.005338 * kGravity);
  EXPECT_DOUBLE_EQ(s.gyr[0].x(), 0.491295);  // rad/s stays rad/s
  EXPECT_DOUBLE_EQ(s.time_s.back(), 44.671875);
  expect_has(rec.attributes.at("csv_units"), {"gyr rad/s (column suffix _rads)"});
}

TEST(Csv, DailyLivingRecordingLoads) {
  const Recording rec = read_recording(mobilise_daily());
  EXPECT_EQ(rec.sensors[0].size(), 13759u);
  EXPECT_EQ(rec.sensors[0].info.nominal_rate_hz, 100.0);
}

TEST(Csv, NativeWithMagAndWithoutGyro) {
  const Recording rec = parse_csv(
      "time,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z,mag_x,mag_y,mag_z\n"
      "0,0.1,0.2,9.8,0.01,0.02,0.03,20,-5,40\n"
      "0.01,0.1,0.2,9.81,0.01,0.02,0.03,21,-5,40\n",
      "mag.csv");
  const SensorData& s = rec.sensors[0];
  EXPECT_TRUE(s.info.has_mag);
  EXPECT_EQ(s.mag[1], Vec3(21, -5, 40));
  EXPECT_EQ(s.acc[1], Vec3(0.1, 0.2, 9.81));

  const Recording no_gyr =
      parse_csv("t,acc_x_ms2,acc_y_ms2,acc_z_ms2\n0,0,0,9.8\n0.5,0,0,9.8\n", "acc.csv");
  EXPECT_FALSE(no_gyr.sensors[0].info.has_gyr);
  EXPECT_TRUE(no_gyr.sensors[0].gyr.empty());
  EXPECT_EQ(no_gyr.sensors[0].info.nominal_rate_hz, 2.0);
}

TEST(Csv, TimeColumnNamesAndOptions) {
  for (const char* name : {"time", "t_s", "t", "timestamp", "TIME"}) {
    const std::string text =
        std::string("sample,") + name + ",acc_x,acc_y,acc_z\n0,1.0,0,0,9.8\n1,1.5,0,0,9.8\n";
    const Recording rec = parse_csv(text, "n.csv");
    EXPECT_EQ(rec.sensors[0].time_s, (std::vector<double>{1.0, 1.5})) << name;
  }
  CsvOptions opts;
  opts.time_column = "clock";
  const std::string text = "time,clock,acc_x,acc_y,acc_z\n9,0.0,0,0,9.8\n1,0.1,0,0,9.8\n";
  EXPECT_EQ(parse_csv(text, "c.csv", opts).sensors[0].time_s, (std::vector<double>{0.0, 0.1}));
  opts.time_column = "nope";
  expect_has(parse_error(text, opts), {"in.csv:1", "no column named 'nope'", "clock"});
  CsvOptions rate;
  rate.rate_hz = 50.0;
  const Recording r = parse_csv("acc_x,acc_y,acc_z\n0,0,9.8\n0,0,9.8\n0,0,9.8\n", "r.csv", rate);
  EXPECT_EQ(r.sensors[0].time_s, (std::vector<double>{0.0, 0.02, 0.04}));
  EXPECT_EQ(r.sensors[0].info.nominal_rate_hz, 50.0);
}

TEST(Csv, EpochTimeBecomesStartTime) {
  const Recording rec = parse_csv(
      "timestamp,acc_x,acc_y,acc_z\n1600000000.5,0,0,9.8\n1600000000.51,0,0,9.8\n", "e.csv");
  EXPECT_EQ(rec.start_time_iso, "2020-09-13T12:26:40.500Z");
  EXPECT_EQ(rec.sensors[0].time_s[0], 0.0);
  EXPECT_NEAR(rec.sensors[0].time_s[1], 0.01, 1e-6);
}

TEST(Csv, BinaryHeaderIsShownEscapedAndShort) {
  std::string garbage("\x01\x7f\xff\x1b[31m", 7);
  garbage += std::string(500, 'x');
  const std::string msg = parse_error(garbage + "\n1,2\n");
  for (unsigned char c : msg) EXPECT_TRUE(c >= 0x20 && c < 0x7f) << "raw byte " << int(c);
  expect_has(msg, {"found: \\x01\\x7f\\xff\\x1b[31xxx", "..."});
  EXPECT_LT(msg.size(), 600u);
}

TEST(Csv, MissingColumnsListFoundAndExpected) {
  expect_has(parse_error("time,ax,ay,az\n0,0,0,9.8\n"),
             {"in.csv:1", "missing accelerometer columns", "acc_x", "found: time, ax, ay, az"});
  expect_has(parse_error("sample,acc_x,acc_y,acc_z\n0,0,0,9.8\n"),
             {"missing time column", "found: sample, acc_x"});
  expect_has(parse_error("time,acc_x,acc_y\n0,0,0\n"), {"only 2 of the 3 acc columns"});
  expect_has(parse_error("time,acc_x_mg,acc_y_mg,acc_z_mg\n0,0,0,1000\n"),
             {"acc_x_mg", "unknown unit suffix '_mg'"});
  expect_has(parse_error("time,acc_x,acc_y,acc_z,gyr_x_dps,gyr_y_rads,gyr_z_dps\n"),
             {"gyr columns use different units"});
  expect_has(parse_error("time,acc_x,acc_x_g,acc_y,acc_z\n"), {"two columns for acc_x"});
}

TEST(Csv, BadRowsNameFileLineAndColumn) {
  const std::string head = "time,acc_x,acc_y,acc_z\n0,0,0,9.8\n";
  expect_has(parse_error(head + "0.01,0,0\n"),
             {"in.csv:3", "expected 4 columns (as in the header), got 3"});
  expect_has(parse_error(head + "0.01,0,abc,9.8\n"),
             {"in.csv:3", "'acc_y'", "'abc' is not a number"});
  expect_has(parse_error(head + "0.01,0,,9.8\n"), {"in.csv:3", "'acc_y' is empty"});
  expect_has(parse_error(head + "0.01,nan,0,9.8\n"), {"in.csv:3", "'acc_x' is NaN"});
  expect_has(parse_error(head + "0.01,0,0,inf\n"), {"in.csv:3", "'acc_z' is infinite"});
  expect_has(parse_error(head + "-0.01,0,0,9.8\n"), {"in.csv:3", "time goes backwards"});
  expect_has(parse_error(head + "0,0,0,9.8\n"), {"in.csv:3", "repeats the previous row"});
  expect_has(parse_error(head + "0.01,0,0,9.8x\n"), {"in.csv:3", "'9.8x' is not a number"});
}

TEST(Csv, EmptyHeaderOnlyBomCrlfAndTrailingLines) {
  expect_has(parse_error(""), {"in.csv", "empty file"});
  expect_has(parse_error("\n\n  \n"), {"in.csv", "no header row"});
  expect_has(parse_error("time,acc_x,acc_y,acc_z\n"), {"in.csv", "no data rows (header only)"});
  const std::string body = "time,acc_x,acc_y,acc_z\r\n0,0,0,9.8\r\n0.01, +1e-1 ,0,9.8\r\n\r\n\n";
  const Recording crlf = parse_csv("\xEF\xBB\xBF" + body, "bom.csv");
  ASSERT_EQ(crlf.sensors[0].size(), 2u);
  EXPECT_EQ(crlf.sensors[0].acc[1], Vec3(0.1, 0, 9.8));
  // A comment line before the header and a missing final newline are fine too.
  EXPECT_EQ(parse_csv("# exported by x\ntime,acc_x,acc_y,acc_z\n0,0,0,9.8\n0.01,0,0,9.8", "c.csv")
                .sensors[0]
                .size(),
            2u);
  ScratchDir dir;
  write_text(dir / "empty.csv", "");
  expect_has(error_of([&] { read_recording(dir / "empty.csv"); }), {"empty.csv", "empty file"});
  expect_has(error_of([&] { read_recording(dir / "none.csv"); }), {"none.csv", "no such file"});
}

TEST(Csv, ImplausibleUnitsSayWhichUnitLooksRight) {
  // g data in unsuffixed (m/s^2) columns.
  const std::string in_g = walking_csv(400, 100.0, 1.0 / kGravity);
  expect_has(parse_error(in_g), {"in.csv", "looks like g", "--acc-unit g", "_g"});
  CsvOptions as_g;
  as_g.acc_unit = AccUnit::kG;
  EXPECT_NEAR(parse_csv(in_g, "g.csv", as_g).sensors[0].acc[0].z(), kGravity, 1e-5);
  // m/s^2 data labelled g.
  const std::string labelled_g =
      walking_csv(400, 100.0, 1.0, 1.0, "time,acc_x_g,acc_y_g,acc_z_g,gyr_x,gyr_y,gyr_z");
  expect_has(parse_error(labelled_g), {"looks like m/s^2", "column suffix _g", "--acc-unit ms2"});
  CsvOptions as_ms2;
  as_ms2.acc_unit = AccUnit::kMs2;  // the option overrides the suffix
  EXPECT_NO_THROW(parse_csv(labelled_g, "o.csv", as_ms2));
  // deg/s data in unsuffixed (rad/s) columns: walking peaks of ~70 "rad/s".
  const std::string in_dps = walking_csv(400, 100.0, 1.0, 1.0 / kDeg);
  expect_has(parse_error(in_dps), {"looks like deg/s", "--gyr-unit dps"});
  CsvOptions as_dps;
  as_dps.gyr_unit = GyrUnit::kDps;
  EXPECT_NEAR(parse_csv(in_dps, "d.csv", as_dps).sensors[0].gyr[0].x(), 1.2, 1e-5);
  // rad/s data labelled deg/s while the accelerometer shows walking.
  const std::string labelled_dps =
      walking_csv(400, 100.0, 1.0, 1.0, "time,acc_x,acc_y,acc_z,gyr_x_dps,gyr_y_dps,gyr_z_dps");
  expect_has(parse_error(labelled_dps), {"looks like rad/s", "--gyr-unit rads"});
  CsvOptions trust;
  trust.skip_unit_check = true;
  EXPECT_NO_THROW(parse_csv(in_g, "t.csv", trust));
}

TEST(Csv, TimeJumpsBecomeGapsNotInterpolation) {
  std::string text = "time,acc_x,acc_y,acc_z\n";
  std::vector<double> times;
  for (int i = 0; i < 100; ++i) times.push_back(i * 0.01);
  for (int i = 0; i < 50; ++i) times.push_back(1.5 + i * 0.01);  // 0.51 s jump: 50 missing
  times.push_back(times.back() + 0.016);                         // 1.6 periods: 1 missing
  times.push_back(times.back() + 0.014);                         // 1.4 periods: jitter, no gap
  for (double t : times) text += std::to_string(t) + ",0,0,9.8\n";
  const Recording rec = parse_csv(text, "gaps.csv");
  const SensorData& s = rec.sensors[0];
  EXPECT_EQ(s.size(), times.size());  // nothing added
  ASSERT_EQ(s.gaps.size(), 2u);
  EXPECT_EQ(s.gaps[0].index, 100u);
  EXPECT_DOUBLE_EQ(s.gaps[0].start_s, 0.99);
  EXPECT_DOUBLE_EQ(s.gaps[0].end_s, 1.5);
  EXPECT_EQ(s.gaps[0].missing, 50u);
  EXPECT_EQ(s.gaps[0].cause, "import");
  EXPECT_EQ(s.gaps[1].index, 150u);
  EXPECT_EQ(s.gaps[1].missing, 1u);
  EXPECT_EQ(s.info.nominal_rate_hz, 100.0);
}

TEST(Csv, WriterRoundTripIsExact) {
  ScratchDir dir;
  for (bool gyr : {true, false})
    for (bool mag : {false, true}) {
      Recording rec;
      rec.sensors.push_back(make_sensor("pelvis", 777, 200.0, gyr, mag, 11));
      const fs::path file = dir / "native.csv";
      write_recording(file, rec);
      const std::string first_line = read_text(file).substr(0, read_text(file).find('\n'));
      EXPECT_EQ(first_line, std::string("time,acc_x,acc_y,acc_z") +
                                (gyr ? ",gyr_x,gyr_y,gyr_z" : "") +
                                (mag ? ",mag_x,mag_y,mag_z" : ""));
      const SensorData back = read_recording(file).sensors[0];
      EXPECT_EQ(back.time_s, rec.sensors[0].time_s);
      expect_same_vec3(back.acc, rec.sensors[0].acc, "acc");
      expect_same_vec3(back.gyr, rec.sensors[0].gyr, "gyr");
      expect_same_vec3(back.mag, rec.sensors[0].mag, "mag");
    }
}

TEST(Csv, RealRecordingCsvToNativeCsvKeepsValues) {
  ScratchDir dir;
  const Recording rec = read_recording(skdh_lumbar());
  write_recording(dir / "native.csv", rec);
  const Recording back = read_recording(dir / "native.csv");
  EXPECT_EQ(back.sensors[0].time_s, rec.sensors[0].time_s);
  expect_same_vec3(back.sensors[0].acc, rec.sensors[0].acc, "acc");
  expect_same_vec3(back.sensors[0].gyr, rec.sensors[0].gyr, "gyr");
}

}  // namespace
}  // namespace stridelab::storage::test
