#pragma once
// The live data path behind the Live tab, as an ingest::SampleSink. On the ingest session's
// delivery thread it folds samples into bounded min/max trace buffers (decimate on ingest),
// runs the streaming analysis (dsp::Analyzer, the same code and parameters as the batch path)
// on the analysis sensor, and appends to the HDF5 recording while recording. The UI thread
// copies what it draws on its own timer; nothing here waits for the UI, opens a dialog or
// touches a widget. Errors become text events the UI shows in its status line.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "stridelab/core/cues.hpp"
#include "stridelab/core/steps.hpp"
#include "stridelab/core/types.hpp"
#include "stridelab/dsp/analyzer.hpp"
#include "stridelab/dsp/cue_tracker.hpp"
#include "stridelab/ingest/sample_sink.hpp"
#include "stridelab/pipeline/live_analysis.hpp"
#include "stridelab/storage/recording_writer.hpp"
#include "studio/decimation.hpp"
#include "studio/live/cue_audio.hpp"

namespace stridelab::studio {

struct LiveParams {
  double window_s = 20.0;        // trace history kept per channel, s
  int columns = 1200;            // min/max buckets per trace (≈ chart width, px)
  std::size_t max_steps = 4000;  // steps kept for the per-step charts (≈ 35 min of walking)
  std::string analysis_sensor;   // sensor analysed; empty = the first pelvis sensor
  std::size_t rate_probe_samples = 64;  // samples used to estimate an unknown rate
};

// Trace channels of a sensor.
enum Channel { kAccX, kAccY, kAccZ, kGyrX, kGyrY, kGyrZ, kChannelCount };

struct RecordingStatus {
  bool active = false;
  std::filesystem::path path;
  std::uint64_t samples = 0;  // appended over all sensors
  double first_time_s = 0.0, last_time_s = 0.0;
  std::string error;  // why recording stopped by itself (disk full, ...), if it did
};

class LiveEngine final : public ingest::SampleSink {
 public:
  explicit LiveEngine(const LiveParams& params = {});
  ~LiveEngine() override;

  // --- ingest::SampleSink (delivery thread) ---
  void on_sensor_info(std::size_t sensor, const SensorInfo& info) override;
  void on_samples(std::size_t sensor, std::span<const ingest::TimedSample> samples) override;
  void on_gap(std::size_t sensor, const Gap& gap) override;
  void on_link_event(std::size_t sensor, const std::string& message) override;
  void on_idle() override;

  // --- UI thread ---
  // Starts over for a new set of sensors (call while no session delivers).
  void reset(const std::vector<SensorInfo>& sensors);
  // Empties the trace buffers and the step list (analysis and recording go on).
  void clear_display();
  // New trace history length (empties the trace buffers).
  void set_window(double window_s);
  double window_s() const;
  // Paused: the traces stop moving (analysis and recording go on).
  void set_paused(bool paused);
  bool paused() const;

  std::size_t sensor_count() const;
  std::vector<SensorInfo> sensors() const;
  std::uint64_t samples_received(std::size_t sensor) const;
  double latest_time_s() const;  // newest sample time over all sensors, s
  std::size_t analysis_sensor() const;

  // Calls out(t, v) over the min/max envelope of one channel, oldest first (under the lock:
  // out must be cheap).
  template <class Emit>
  void copy_trace(std::size_t sensor, Channel channel, Emit&& out) const {
    std::lock_guard lock(mutex_);
    if (sensor < traces_.size()) traces_[sensor][channel].envelope(out);
  }
  // Steps that became final since the last call (appended to out); returns how many.
  std::size_t take_new_steps(std::vector<Step>& out);
  // Provisional rows (a step as soon as its stance is over) and cues since the last call.
  void take_new_rows(std::vector<dsp::ProvisionalStep>& rows, std::vector<Cue>& cues);
  // Cue settings from now on (counting starts over; the recording keeps the latest settings).
  void set_cue_settings(const CueSettings& settings);
  CueSettings cue_settings() const;
  // Per-minute counts and the baseline cadence (NaN until measured), as of the last step.
  std::vector<dsp::CueMinute> cue_minutes() const;
  double baseline_cadence_spm() const;
  // Tones go here (null: none). The sink must outlive the engine's use of it.
  void set_audio(AudioSink* audio);
  // Link messages and errors since the last call, "sensor: message".
  std::vector<std::string> take_events();

  // Recording: opens the HDF5 file now (throws stridelab::Error naming it on failure) and
  // appends every sample that arrives from then on; stop flushes and closes it.
  void start_recording(const std::filesystem::path& path, const Recording& metadata);
  RecordingStatus stop_recording();
  RecordingStatus recording_status() const;

 private:
  void analyse(std::span<const ingest::TimedSample> samples);
  void push_event(std::size_t sensor, const std::string& message);

  LiveParams params_;
  // Guards everything below it except the analysis state, which only the delivery thread uses.
  mutable std::mutex mutex_;
  std::vector<SensorInfo> infos_;
  std::vector<std::vector<MinMaxRing>> traces_;  // [sensor][channel]
  std::vector<std::uint64_t> received_;
  std::vector<Step> new_steps_;
  std::deque<std::string> events_;
  double latest_time_s_ = 0.0;
  bool paused_ = false;
  std::size_t analysis_sensor_ = 0;

  std::vector<dsp::ProvisionalStep> new_rows_;
  std::vector<Cue> new_cues_, recording_cues_;  // since the last take; since recording started
  CueSettings cue_settings_;
  bool cues_changed_ = false;
  std::vector<dsp::CueMinute> cue_minutes_;
  double baseline_spm_ = std::nan("");
  AudioSink* audio_ = nullptr;

  // Analysis (delivery thread only).
  pipeline::LiveAnalysis analysis_;
  std::vector<ImuSample> scratch_;
  std::vector<dsp::ProvisionalStep> row_scratch_;
  std::vector<Step> step_scratch_;
  std::vector<Cue> cue_scratch_;

  // Recording: its own lock, so a flush never holds up the UI's trace copy.
  mutable std::mutex writer_mutex_;
  storage::RecordingWriter writer_;
  std::vector<std::uint64_t> received_at_start_;  // per sensor, when recording started
  RecordingStatus status_;
  std::vector<double> device_time_scratch_;
};

}  // namespace stridelab::studio
