// The Live tab driven two ways: by feeding its engine from a thread exactly as the ingest
// session's delivery thread would, and end to end by `stridelab emulate` over TCP on
// 127.0.0.1. The charts must receive the samples, per-step points must appear, the live steps
// must be the batch analysis's steps, and Record/Stop must write the samples to HDF5.
#include <QApplication>
#include <QProcess>
#include <QRegularExpression>
#include <QTableWidget>

#include <gtest/gtest.h>

#include <QElapsedTimer>

#include <atomic>
#include <cmath>
#include <iostream>
#include <thread>
#include <vector>

#include "stridelab/dsp/summary.hpp"
#include "stridelab/ingest/source_config.hpp"
#include "stridelab/pipeline/analyze_recording.hpp"
#include "stridelab/report/report_renderer.hpp"
#include "stridelab/storage/recording_io.hpp"
#include "studio/charts/chart.hpp"
#include "studio/live/live_tab.hpp"
#include "studio/widgets/step_metric_chart.hpp"
#include "studio_test_util.hpp"

namespace stridelab::studio {
namespace {

const char* kWalk = "recordings/sim/walk_200hz.h5";

std::vector<ingest::TimedSample> timed_samples(const SensorData& s, std::size_t begin,
                                               std::size_t end) {
  std::vector<ingest::TimedSample> out;
  for (std::size_t i = begin; i < end; ++i) out.push_back({s.sample(i), s.time_s[i]});
  return out;
}

// Feeds [begin, end) of the sensor in chunks from another thread (as the ingest delivery
// thread does) while the UI thread keeps refreshing.
void feed(LiveTab& tab, const SensorData& s, std::size_t begin, std::size_t end) {
  std::atomic<bool> done{false};
  std::thread delivery([&] {
    for (std::size_t i = begin; i < end; i += 25) {
      const auto chunk = timed_samples(s, i, std::min(end, i + 25));
      tab.engine().on_samples(0, chunk);
      if ((i / 25) % 40 == 0) tab.engine().on_idle();
    }
    done = true;
  });
  while (!done) {
    tab.refresh();
    QApplication::processEvents();
  }
  delivery.join();
  tab.refresh();
}

TEST(Live, FedSamplesReachTheChartsAndStepsMatchTheBatchAnalysis) {
  const Recording rec = storage::read_recording(test::source_path(kWalk));
  const SensorData& sensor = rec.primary();
  const pipeline::AnalysisRun batch = pipeline::analyze_recording(rec, {});

  LiveTab tab;
  tab.resize(1400, 900);
  tab.show();
  tab.engine().reset({sensor.info});
  feed(tab, sensor, 0, sensor.size());

  // Traces: decimated on ingest, bounded, ending at the newest sample.
  EXPECT_EQ(tab.engine().samples_received(0), sensor.size());
  for (int axis = 0; axis < 3; ++axis) {
    EXPECT_GT(tab.accChart().pointCount(axis), 200);
    EXPECT_LE(tab.accChart().pointCount(axis), 2 * 1201);
    EXPECT_GT(tab.gyrChart().pointCount(axis), 200);
  }
  EXPECT_NEAR(tab.accChart().xRange().second, sensor.time_s.back(), 1e-9);

  // Steps: the streaming analysis in the live path gives the batch steps (the last few stay
  // pending until the stream ends).
  const std::vector<Step>& live = tab.steps();
  RecordProperty("live_steps", static_cast<int>(live.size()));
  RecordProperty("batch_steps", static_cast<int>(batch.steps.size()));
  ASSERT_GT(live.size(), batch.steps.size() - 4);
  ASSERT_LE(live.size(), batch.steps.size());
  for (std::size_t i = 0; i < live.size(); ++i) {
    EXPECT_DOUBLE_EQ(live[i].time_s, batch.steps[i].time_s) << i;
    EXPECT_EQ(live[i].side, batch.steps[i].side) << i;
    if (std::isfinite(batch.steps[i].pelvic_drop_deg)) {
      EXPECT_DOUBLE_EQ(live[i].pelvic_drop_deg, batch.steps[i].pelvic_drop_deg) << i;
    }
  }

  // Per-step charts and the running means on the tiles.
  int left = 0, right = 0, good_left = 0;
  double sum_left = 0;
  for (const Step& s : live) {
    if (!std::isfinite(s.pelvic_drop_deg)) continue;
    (s.side == Side::kLeft ? left : right)++;
    if (s.side == Side::kLeft && !(s.flags & dsp::SummaryAccumulator::kBadFlags)) {
      sum_left += s.pelvic_drop_deg;
      ++good_left;
    }
  }
  EXPECT_EQ(tab.dropChart().chart().pointCount(StepMetricChart::kLeftPoints), left);
  EXPECT_EQ(tab.dropChart().chart().pointCount(StepMetricChart::kRightPoints), right);
  EXPECT_GT(tab.rotationChart().chart().pointCount(StepMetricChart::kLeftPoints), 10);
  EXPECT_GT(tab.cadenceChart().chart().pointCount(StepMetricChart::kRightPoints), 10);
  ASSERT_GT(good_left, 0);
  EXPECT_EQ(tab.figureText("drop_left"), QString::asprintf("%.1f°", sum_left / good_left));
  EXPECT_EQ(tab.figureText("steps"), QString::number(live.size()));

  // Clear empties the display; pause freezes the traces while data still counts.
  tab.engine().clear_display();
  tab.engine().set_paused(true);
  tab.engine().on_samples(0, timed_samples(sensor, 0, 10));  // "new session" times
  EXPECT_EQ(tab.engine().samples_received(0), sensor.size() + 10);
  int points = 0;
  tab.engine().copy_trace(0, kAccX, [&](double, double) { ++points; });
  EXPECT_EQ(points, 0);
}

TEST(Live, RecordWritesTheSamplesThatArriveWhileRecording) {
  const Recording rec = storage::read_recording(test::source_path(kWalk));
  const SensorData& sensor = rec.primary();
  LiveTab tab;
  tab.engine().reset({sensor.info});
  const std::size_t half = sensor.size() / 2;
  feed(tab, sensor, 0, half);

  const auto path = test::out_dir() / "live_record.h5";
  std::filesystem::remove(path);
  Recording meta;
  meta.subject_id = "T-1";
  meta.notes = "live test";
  tab.engine().start_recording(path, meta);
  EXPECT_TRUE(tab.engine().recording_status().active);
  feed(tab, sensor, half, sensor.size());
  const RecordingStatus status = tab.engine().stop_recording();
  EXPECT_TRUE(status.error.empty()) << status.error;
  EXPECT_EQ(status.samples, sensor.size() - half);

  const Recording back = storage::read_recording(path);
  EXPECT_EQ(back.subject_id, "T-1");
  EXPECT_EQ(back.notes, "live test");
  ASSERT_EQ(back.primary().size(), sensor.size() - half);
  EXPECT_DOUBLE_EQ(back.primary().time_s.front(), sensor.time_s[half]);
  EXPECT_DOUBLE_EQ(back.primary().acc.back().x(), sensor.acc.back().x());
}

TEST(Live, EightSensorsAtOneKilohertzStayBounded) {
  std::vector<SensorInfo> infos(8);
  for (std::size_t i = 0; i < infos.size(); ++i) {
    infos[i].name = std::string(1, static_cast<char>('a' + i));  // a..h
    infos[i].placement = i == 3 ? Placement::kPelvis : Placement::kOther;
    infos[i].nominal_rate_hz = 1000;
  }
  LiveTab tab;
  tab.engine().reset(infos);
  EXPECT_EQ(tab.engine().analysis_sensor(), 3u);  // the pelvis sensor is the one analysed
  // 30 s at 1 kHz from each of the 8 sensors, interleaved in 10 ms packets.
  std::vector<ingest::TimedSample> packet(10);
  for (int block = 0; block < 3000; ++block) {
    for (std::size_t sensor = 0; sensor < infos.size(); ++sensor) {
      for (int k = 0; k < 10; ++k) {
        const double t = (block * 10 + k) * 1e-3;
        packet[k].sample.time_s = packet[k].device_time_s = t;
        packet[k].sample.acc = Vec3(std::sin(t * 7 + sensor), 0.0, 9.81);
        packet[k].sample.gyr = Vec3(0.1 * std::cos(t * 5), 0.0, 0.0);
      }
      tab.engine().on_samples(sensor, packet);
    }
    if (block % 33 == 0) tab.refresh();  // the UI's 30 Hz timer
  }
  for (std::size_t sensor = 0; sensor < infos.size(); ++sensor) {
    EXPECT_EQ(tab.engine().samples_received(sensor), 30000u);
    int points = 0;
    double first = 1e9;
    tab.engine().copy_trace(sensor, kAccX, [&](double t, double) {
      ++points;
      first = std::min(first, t);
    });
    EXPECT_LE(points, 2 * 1201);  // bounded by the bucket count, not by the rate
    EXPECT_GT(points, 1000);
    EXPECT_GT(first, 30.0 - 20.0 - 0.1);  // only the 20 s window is kept
  }
  EXPECT_LE(tab.accChart().pointCount(0), 2 * 1201);
}

TEST(Live, RecordingToAnUnwritablePlaceIsAnErrorNotACrash) {
  LiveTab tab;
  SensorInfo info;
  info.nominal_rate_hz = 100;
  tab.engine().reset({info});
  QString error;
  EXPECT_FALSE(tab.startRecording("/nonexistent-dir/x.h5", &error));  // not connected
  EXPECT_FALSE(error.isEmpty());
  EXPECT_THROW(tab.engine().start_recording("/nonexistent-dir/x.h5", Recording{}), std::exception);
  EXPECT_FALSE(tab.engine().recording_status().active);
}

TEST(Live, EmulatedSensorOverTcpDrivesTheLiveView) {
  // A short run (2.5 s standing, then 170 steps/min) so steps come out within seconds: the
  // mounting is found from the first 12 steps.
  const auto rec = test::out_dir() / "live_tcp_run.h5";
  QProcess simulate;
  simulate.start(QStringLiteral(STRIDELAB_BINARY_DIR "/stridelab"),
                 {"simulate", "--activity", "run", "--duration", "20", "--standing-before", "2.5",
                  "--standing-after", "0", "--drop-left", "7", "--drop-right", "4", "--out",
                  QString::fromStdString(rec.string())});
  ASSERT_TRUE(simulate.waitForFinished(60000));
  ASSERT_EQ(simulate.exitCode(), 0) << simulate.readAllStandardError().toStdString();

  QProcess emulator;
  emulator.setProgram(QStringLiteral(STRIDELAB_BINARY_DIR "/stridelab"));
  emulator.setArguments(
      {"emulate", QString::fromStdString(rec.string()), "--tcp", "0", "--bind", "127.0.0.1"});
  emulator.start();
  ASSERT_TRUE(emulator.waitForStarted(10000));
  ASSERT_TRUE(test::wait_until([&] { return emulator.canReadLine(); }, 10000))
      << emulator.readAllStandardError().toStdString();
  const QString line = QString::fromUtf8(emulator.readLine()).trimmed();  // "tcp: ADDR:PORT"
  ASSERT_TRUE(line.startsWith("tcp: ")) << line.toStdString();

  LiveTab tab;
  tab.resize(1400, 900);
  tab.show();
  QString error;
  ASSERT_TRUE(tab.connectSources({ingest::tcp_source(line.mid(5).toStdString())}, &error))
      << error.toStdString();
  EXPECT_TRUE(tab.isConnected());
  QElapsedTimer clock;
  clock.start();
  const bool got_steps = test::wait_until([&] { return tab.steps().size() >= 12; }, 30000);
  std::cout << "live over TCP: " << tab.steps().size() << " steps after " << clock.elapsed()
            << " ms\n";
  RecordProperty("steps_seen", static_cast<int>(tab.steps().size()));
  EXPECT_TRUE(got_steps);
  EXPECT_GT(tab.engine().samples_received(0), 1000u);  // 200 Hz for several seconds
  EXPECT_GT(tab.accChart().pointCount(0), 100);
  EXPECT_GT(tab.dropChart().chart().pointCount(StepMetricChart::kLeftPoints), 5);
  EXPECT_GT(tab.dropChart().chart().pointCount(StepMetricChart::kRightPoints), 5);
  ASSERT_GE(tab.linkTable()->rowCount(), 1);
  ASSERT_NE(tab.linkTable()->item(0, 1), nullptr);
  EXPECT_TRUE(tab.linkTable()->item(0, 1)->text().contains("streaming"))
      << tab.linkTable()->item(0, 1)->text().toStdString();
  EXPECT_NE(tab.linkTable()->item(0, 2)->text(), "0 Hz");

  // Record/Stop through the tab: subject and notes from the form, the file opens afterwards.
  const auto out = test::out_dir() / "live_tcp_record.h5";
  std::filesystem::remove(out);
  tab.setSubject("P-042", "treadmill, 2 min");
  QString saved;
  QObject::connect(&tab, &LiveTab::recordingSaved, [&](const QString& p) { saved = p; });
  ASSERT_TRUE(tab.startRecording(QString::fromStdString(out.string()), &error))
      << error.toStdString();
  EXPECT_TRUE(tab.isRecording());
  test::wait_until([&] { return tab.engine().recording_status().samples >= 200; }, 10000);
  tab.stopRecording();
  EXPECT_FALSE(tab.isRecording());
  EXPECT_EQ(saved.toStdString(), out.string());
  const Recording recorded = storage::read_recording(out);
  EXPECT_EQ(recorded.subject_id, "P-042");
  EXPECT_EQ(recorded.notes, "treadmill, 2 min");
  EXPECT_FALSE(recorded.start_time_iso.empty());
  EXPECT_GE(recorded.primary().size(), 200u);

  tab.disconnectAll();
  EXPECT_FALSE(tab.isConnected());
  emulator.terminate();
  emulator.waitForFinished(5000);
}

TEST(Live, ReconnectsByItselfWhenTheSensorDropsOut) {
  // The emulated sensor "unplugs" every 1 s for 0.3 s; the tab must come back on its own,
  // show the reconnects and keep receiving samples.
  QProcess emulator;
  emulator.setProgram(QStringLiteral(STRIDELAB_BINARY_DIR "/stridelab"));
  emulator.setArguments({"emulate", test::qsource(kWalk), "--tcp", "0", "--bind", "127.0.0.1",
                         "--faults", "disconnect=1s,down=0.3s"});
  emulator.start();
  ASSERT_TRUE(emulator.waitForStarted(10000));
  ASSERT_TRUE(test::wait_until([&] { return emulator.canReadLine(); }, 10000));
  const QString line = QString::fromUtf8(emulator.readLine()).trimmed();
  ASSERT_TRUE(line.startsWith("tcp: ")) << line.toStdString();

  LiveTab tab;
  QString error;
  ASSERT_TRUE(tab.connectSources({ingest::tcp_source(line.mid(5).toStdString())}, &error));
  auto tooltip = [&] {
    const QTableWidgetItem* item = tab.linkTable()->item(0, 1);
    return item ? item->toolTip() : QString();
  };
  const QRegularExpression reconnects("reconnects: ([0-9]+)");
  const bool reconnected = test::wait_until(
      [&] {
        const auto match = reconnects.match(tooltip());
        return match.hasMatch() && match.captured(1).toInt() >= 2;
      },
      15000);
  EXPECT_TRUE(reconnected) << tooltip().toStdString();
  const std::uint64_t before = tab.engine().samples_received(0);
  EXPECT_TRUE(
      test::wait_until([&] { return tab.engine().samples_received(0) > before + 100; }, 5000));
  EXPECT_TRUE(tab.isConnected());
  tab.disconnectAll();
  emulator.terminate();
  emulator.waitForFinished(5000);
}

}  // namespace
}  // namespace stridelab::studio
