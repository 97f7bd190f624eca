// Cues in the Live tab, offscreen: a simulated walk whose right stance drops 8° and left 3°
// is fed to the engine in 10 ms chunks from a delivery thread, with a 5.5° limit on both
// sides. Every right step (and no left one) must queue the right-side tone within 200 ms (data
// time) of its stance's end, flash the read-out, count, and be saved with the recording.
#include <QApplication>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <iostream>
#include <thread>

#include "image_checks.hpp"
#include "stridelab/report/palette.hpp"
#include "stridelab/sim/simulator.hpp"
#include "stridelab/storage/cues_io.hpp"
#include "stridelab/storage/recording_io.hpp"
#include "studio/live/cue_panel.hpp"
#include "studio/live/live_tab.hpp"
#include "studio/live/system_audio.hpp"
#include "studio_test_util.hpp"

namespace stridelab::studio {
namespace {

sim::SimResult walk() {
  sim::SimParams p;
  p.rate_hz = 200;
  p.gait_duration_s = 40;
  p.seed = 31;
  p.drop_left_deg = 3.0;
  p.drop_right_deg = 8.0;
  sim::apply_noise_preset(p, "realistic");
  return sim::simulate(p);
}

double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v.empty() ? std::nan("") : v[static_cast<std::size_t>(q * (v.size() - 1))];
}

}  // namespace

TEST(LiveCues, RightStepsOverTheLimitAreCuedInTimeFlashedCountedAndSaved) {
  const sim::SimResult sim = walk();
  const SensorData& s = sim.recording.primary();
  LiveTab tab;
  tab.resize(1400, 950);
  tab.show();
  NullAudioSink audio;
  tab.setAudio(&audio);
  tab.engine().reset({s.info});
  CueSettings set;
  set.drop_left_deg = set.drop_right_deg = 5.5;
  tab.cuePanel().setSettings(set);
  tab.cuePanel().apply();
  EXPECT_DOUBLE_EQ(tab.engine().cue_settings().drop_right_deg, 5.5);
  const auto path = test::out_dir() / "live_cues.h5";
  tab.engine().start_recording(path, Recording{});

  // The delivery thread: 10 ms chunks as a sensor sends them; when each chunk was handed over.
  std::atomic<bool> done{false};
  std::vector<std::chrono::steady_clock::time_point> handed(s.size());
  std::thread delivery([&] {
    for (std::size_t i = 0; i < s.size(); i += 2) {
      std::vector<ingest::TimedSample> chunk;
      for (std::size_t j = i; j < std::min(s.size(), i + 2); ++j)
        chunk.push_back({s.sample(j), s.time_s[j]});
      handed[i] = std::chrono::steady_clock::now();
      tab.engine().on_samples(0, chunk);
      std::this_thread::sleep_for(std::chrono::microseconds(100));  // let the UI show steps
    }
    done = true;
  });
  std::vector<QString> flashes;
  QImage shot;
  int seen = 0;  // flashes looked at (the tab's own timer refreshes too)
  while (!done) {
    tab.refresh();
    QApplication::processEvents();
    if (tab.cuePanel().flashCount() > seen) {
      seen = tab.cuePanel().flashCount();
      flashes.push_back(tab.cuePanel().lastFlashText());
      if (seen >= 5 && tab.cuePanel().flashing()) shot = tab.grab().toImage();
    }
  }
  delivery.join();
  tab.refresh();
  tab.engine().stop_recording();

  // Tones: right side only; each one after the latest true final contact of a right stance.
  const auto log = audio.log();
  std::vector<double> latency, processing_ms;
  for (const auto& e : log) {
    EXPECT_EQ(e.tone, CueTone::kRight);
    double fc = -1e9;
    for (const auto& ts : sim.truth.steps)
      if (ts.side == Side::kRight && ts.final_contact_s <= e.data_time_s)
        fc = std::max(fc, ts.final_contact_s);
    latency.push_back(e.data_time_s - fc);
    // The chunk that carried this sample's time was handed over at...
    const auto k = static_cast<std::size_t>(
        std::lower_bound(s.time_s.begin(), s.time_s.end(), e.data_time_s) - s.time_s.begin());
    const std::size_t chunk_start = k - k % 2;
    processing_ms.push_back(
        std::chrono::duration<double, std::milli>(e.queued_at - handed[chunk_start]).count());
  }
  int right_steps = 0;
  for (const auto& ts : sim.truth.steps) right_steps += ts.side == Side::kRight;
  std::cout << "tones " << log.size() << " of " << right_steps << " right steps; stance end → "
            << "tone queued (data time) median " << quantile(latency, 0.5) << " s, p95 "
            << quantile(latency, 0.95) << " s, max " << quantile(latency, 1.0)
            << " s; chunk handed over → tone queued (wall) median " << quantile(processing_ms, 0.5)
            << " ms, max " << quantile(processing_ms, 1.0) << " ms\n";
  // After the mounting is found (≈ 7 s) every right step is cued.
  ASSERT_GE(static_cast<int>(log.size()), right_steps * 3 / 4);
  EXPECT_LE(quantile(latency, 0.5), 0.2);
  EXPECT_LE(quantile(latency, 0.95), 0.2);

  // The read-out flashed for right steps only, and the counts say how many.
  ASSERT_GE(flashes.size(), 5u);
  EXPECT_GE(tab.cuePanel().flashCount(), static_cast<int>(flashes.size()));
  EXPECT_TRUE(test::wait_until([&] { return !tab.cuePanel().flashing(); }, 2000));
  for (const QString& f : flashes) EXPECT_TRUE(f.startsWith("R")) << f.toStdString();
  EXPECT_TRUE(
      tab.cuePanel().countsText().startsWith(QStringLiteral("Cued  L 0 · R %1").arg(log.size())))
      << tab.cuePanel().countsText().toStdString();
  const auto minutes = tab.engine().cue_minutes();
  ASSERT_FALSE(minutes.empty());
  EXPECT_EQ(minutes[0].cued_left, 0);
  EXPECT_GT(minutes[0].cued_right, 0);
  EXPECT_NEAR(minutes[0].share_within(), 0.5, 0.1);  // half the steps are right steps

  // Saved with the recording: the settings and the same cues.
  const storage::CueLog saved = storage::read_cues(path);
  EXPECT_DOUBLE_EQ(saved.settings.drop_left_deg, 5.5);
  EXPECT_EQ(saved.cues.size(), log.size());
  for (const Cue& c : saved.cues) {
    EXPECT_EQ(c.side, Side::kRight);
    EXPECT_GT(c.value, 5.5);
    EXPECT_DOUBLE_EQ(c.limit, 5.5);
  }
  EXPECT_EQ(storage::read_recording(path).primary().size(), s.size());

  // The screenshot (docs/studio_live_cues.png): the flash in the right side's colour.
  ASSERT_FALSE(shot.isNull());
  EXPECT_GT(test::pixels_near(shot, shot.rect(), report::right_color(), 30), 2000);
  shot.save(QString::fromStdString((test::out_dir() / "studio_live_cues.png").string()));
}

TEST(LiveCues, MetronomeBeatsAtTheChosenCadence) {
  LiveTab tab;
  NullAudioSink audio;
  tab.setAudio(&audio);
  CueSettings set;
  set.metronome_spm = 240;  // every 250 ms
  tab.cuePanel().setSettings(set);
  tab.cuePanel().apply();
  EXPECT_TRUE(tab.cuePanel().metronomeRunning());
  ASSERT_TRUE(test::wait_until([&] { return audio.log().size() >= 3; }, 3000));
  for (const auto& e : audio.log()) EXPECT_EQ(e.tone, CueTone::kBeat);
  set.metronome_spm = std::nan("");
  tab.cuePanel().setSettings(set);
  tab.cuePanel().apply();
  EXPECT_FALSE(tab.cuePanel().metronomeRunning());
}

}  // namespace stridelab::studio

namespace stridelab::studio {

TEST(LiveCues, TonesDifferPerSideAndDoNotClick) {
  for (CueTone tone : {CueTone::kLeft, CueTone::kRight, CueTone::kBeat}) {
    const QByteArray pcm = render_tone(tone, 44100, 1, PcmFormat::kInt16);
    const auto* x = reinterpret_cast<const std::int16_t*>(pcm.constData());
    const int n = static_cast<int>(pcm.size() / 2);
    EXPECT_EQ(n, static_cast<int>(std::lround(tone_s(tone) * 44100)));
    int crossings = 0, peak = 0;
    for (int i = 1; i < n; ++i) {
      crossings += (x[i - 1] < 0) != (x[i] < 0);
      peak = std::max(peak, std::abs(int(x[i])));
    }
    // Two sign changes per period: the frequency from the count, within a period's worth.
    EXPECT_NEAR(crossings / 2.0 / tone_s(tone), tone_hz(tone), 1.0 / tone_s(tone) + 1.0);
    EXPECT_NEAR(peak, 16384, 400);
    EXPECT_LT(std::abs(int(x[0])), 200);  // the edges fade: no click
    EXPECT_LT(std::abs(int(x[n - 1])), 200);
  }
  EXPECT_GT(tone_hz(CueTone::kRight), 1.4 * tone_hz(CueTone::kLeft));  // heard apart
  const QByteArray f = render_tone(CueTone::kLeft, 44100, 2, PcmFormat::kFloat);
  ASSERT_EQ(f.size(), static_cast<qsizetype>(std::lround(0.08 * 44100) * 2 * 4));
  const auto* fs = reinterpret_cast<const float*>(f.constData());
  EXPECT_FLOAT_EQ(fs[200], fs[201]);  // both channels carry the tone
  EXPECT_TRUE(render_tone(CueTone::kLeft, 0, 1, PcmFormat::kInt16).isEmpty());
  EXPECT_TRUE(render_tone(CueTone::kLeft, 44100, 0, PcmFormat::kInt16).isEmpty());
}

}  // namespace stridelab::studio
