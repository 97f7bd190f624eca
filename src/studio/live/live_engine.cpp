#include "studio/live/live_engine.hpp"

#include <algorithm>

#include "stridelab/core/error.hpp"
#include "stridelab/pipeline/analyze_recording.hpp"
#include "stridelab/storage/cues_io.hpp"

namespace stridelab::studio {

LiveEngine::LiveEngine(const LiveParams& params)
    : params_(params), analysis_({}, params.rate_probe_samples) {}

LiveEngine::~LiveEngine() {
  std::lock_guard lock(writer_mutex_);
  try {
    if (writer_.is_open()) writer_.close();
  } catch (const std::exception&) {
    // Destructor: nothing left to tell; stop_recording() reports errors.
  }
}

void LiveEngine::reset(const std::vector<SensorInfo>& sensors) {
  std::lock_guard lock(mutex_);
  infos_ = sensors;
  traces_.assign(sensors.size(), {});
  for (auto& channels : traces_)
    channels.assign(kChannelCount, MinMaxRing({params_.window_s, params_.columns}));
  received_.assign(sensors.size(), 0);
  new_steps_.clear();
  events_.clear();
  latest_time_s_ = 0.0;
  analysis_sensor_ = 0;
  bool found = false;
  for (std::size_t i = 0; i < sensors.size() && !found; ++i)
    if (!params_.analysis_sensor.empty() ? sensors[i].name == params_.analysis_sensor
                                         : sensors[i].placement == Placement::kPelvis)
      analysis_sensor_ = i, found = true;
  new_rows_.clear();
  new_cues_.clear();
  cues_changed_ = true;  // counting starts over with the new sensors
  analysis_.restart();
}

void LiveEngine::clear_display() {
  std::lock_guard lock(mutex_);
  for (auto& channels : traces_)
    for (MinMaxRing& ring : channels) ring.clear();
  new_steps_.clear();
}

void LiveEngine::set_window(double window_s) {
  std::lock_guard lock(mutex_);
  params_.window_s = window_s;
  for (auto& channels : traces_)
    channels.assign(kChannelCount, MinMaxRing({params_.window_s, params_.columns}));
}

double LiveEngine::window_s() const {
  std::lock_guard lock(mutex_);
  return params_.window_s;
}

void LiveEngine::set_paused(bool paused) {
  std::lock_guard lock(mutex_);
  paused_ = paused;
}

bool LiveEngine::paused() const {
  std::lock_guard lock(mutex_);
  return paused_;
}

std::size_t LiveEngine::sensor_count() const {
  std::lock_guard lock(mutex_);
  return infos_.size();
}

std::vector<SensorInfo> LiveEngine::sensors() const {
  std::lock_guard lock(mutex_);
  return infos_;
}

std::uint64_t LiveEngine::samples_received(std::size_t sensor) const {
  std::lock_guard lock(mutex_);
  return sensor < received_.size() ? received_[sensor] : 0;
}

double LiveEngine::latest_time_s() const {
  std::lock_guard lock(mutex_);
  return latest_time_s_;
}

std::size_t LiveEngine::analysis_sensor() const {
  std::lock_guard lock(mutex_);
  return analysis_sensor_;
}

std::size_t LiveEngine::take_new_steps(std::vector<Step>& out) {
  std::lock_guard lock(mutex_);
  const std::size_t n = new_steps_.size();
  out.insert(out.end(), new_steps_.begin(), new_steps_.end());
  new_steps_.clear();
  return n;
}

std::vector<std::string> LiveEngine::take_events() {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out(events_.begin(), events_.end());
  events_.clear();
  return out;
}

void LiveEngine::push_event(std::size_t sensor, const std::string& message) {
  std::lock_guard lock(mutex_);
  const std::string name = sensor < infos_.size() ? infos_[sensor].name : "sensor";
  events_.push_back(name + ": " + message);
  while (events_.size() > 200) events_.pop_front();  // bounded, like everything else here
}

void LiveEngine::on_sensor_info(std::size_t sensor, const SensorInfo& info) {
  std::lock_guard lock(mutex_);
  if (sensor >= infos_.size()) {
    infos_.resize(sensor + 1);
    traces_.resize(sensor + 1, std::vector<MinMaxRing>(
                                   kChannelCount, MinMaxRing({params_.window_s, params_.columns})));
    received_.resize(sensor + 1, 0);
  }
  infos_[sensor] = info;
}

void LiveEngine::on_samples(std::size_t sensor, std::span<const ingest::TimedSample> samples) {
  if (samples.empty()) return;
  bool analyse_these = false;
  {
    std::lock_guard lock(mutex_);
    if (sensor >= traces_.size()) {
      traces_.resize(
          sensor + 1,
          std::vector<MinMaxRing>(kChannelCount, MinMaxRing({params_.window_s, params_.columns})));
      received_.resize(sensor + 1, 0);
      infos_.resize(sensor + 1);
    }
    received_[sensor] += samples.size();
    latest_time_s_ = std::max(latest_time_s_, samples.back().sample.time_s);
    if (!paused_) {
      auto& rings = traces_[sensor];
      for (const ingest::TimedSample& ts : samples) {
        const ImuSample& s = ts.sample;
        for (int axis = 0; axis < 3; ++axis) {
          rings[kAccX + axis].push(s.time_s, s.acc[axis]);
          rings[kGyrX + axis].push(s.time_s, s.gyr[axis]);
        }
      }
    }
    analyse_these = sensor == analysis_sensor_;
  }
  if (analyse_these) analyse(samples);

  std::lock_guard lock(writer_mutex_);
  if (!writer_.is_open()) return;
  try {
    scratch_.clear();
    device_time_scratch_.clear();
    for (const ingest::TimedSample& ts : samples) {
      scratch_.push_back(ts.sample);
      device_time_scratch_.push_back(ts.device_time_s);
    }
    writer_.append(sensor, scratch_, device_time_scratch_);
    status_.samples += samples.size();
    if (status_.samples == samples.size()) status_.first_time_s = samples.front().sample.time_s;
    status_.last_time_s = samples.back().sample.time_s;
    writer_.flush_if_due();
  } catch (const std::exception& e) {
    // Disk full, file removed, ...: stop recording, keep what is written, say so.
    status_.error = e.what();
    status_.active = false;
    try {
      writer_.close();
    } catch (const std::exception&) {
    }
    push_event(sensor, std::string("recording stopped: ") + e.what());
  }
}

void LiveEngine::analyse(std::span<const ingest::TimedSample> samples) {
  AudioSink* audio = nullptr;
  {
    std::lock_guard lock(mutex_);
    if (analysis_sensor_ < infos_.size()) analysis_.set_info(infos_[analysis_sensor_]);
    if (cues_changed_) analysis_.set_cues(cue_settings_);
    cues_changed_ = false;
    audio = audio_;
  }
  try {
    scratch_.clear();
    for (const auto& ts : samples) scratch_.push_back(ts.sample);
    analysis_.update(scratch_);
  } catch (const std::exception& e) {
    analysis_.restart();
    push_event(analysis_sensor_, std::string("analysis restarted: ") + e.what());
    return;
  }
  row_scratch_.clear();
  step_scratch_.clear();
  cue_scratch_.clear();
  analysis_.take(row_scratch_, step_scratch_, cue_scratch_);
  // The tone first: nothing but the analysis stands between the stance's end and it.
  if (audio)
    for (const Cue& c : cue_scratch_)
      audio->queue(c.side == Side::kLeft ? CueTone::kLeft : CueTone::kRight,
                   samples.back().sample.time_s);
  if (row_scratch_.empty() && step_scratch_.empty()) return;
  std::lock_guard lock(mutex_);
  auto keep_newest = [this](auto& v) {  // the UI is not taking them: keep the newest
    if (v.size() > params_.max_steps)
      v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() - params_.max_steps));
  };
  new_steps_.insert(new_steps_.end(), step_scratch_.begin(), step_scratch_.end());
  new_rows_.insert(new_rows_.end(), row_scratch_.begin(), row_scratch_.end());
  new_cues_.insert(new_cues_.end(), cue_scratch_.begin(), cue_scratch_.end());
  keep_newest(new_steps_);
  keep_newest(new_rows_);
  keep_newest(new_cues_);
  cue_minutes_ = analysis_.cues().minutes();
  baseline_spm_ = analysis_.cues().baseline_spm();
  std::lock_guard wlock(writer_mutex_);
  if (writer_.is_open())
    recording_cues_.insert(recording_cues_.end(), cue_scratch_.begin(), cue_scratch_.end());
}

void LiveEngine::take_new_rows(std::vector<dsp::ProvisionalStep>& rows, std::vector<Cue>& cues) {
  std::lock_guard lock(mutex_);
  rows.insert(rows.end(), new_rows_.begin(), new_rows_.end());
  cues.insert(cues.end(), new_cues_.begin(), new_cues_.end());
  new_rows_.clear();
  new_cues_.clear();
}

void LiveEngine::set_cue_settings(const CueSettings& settings) {
  std::lock_guard lock(mutex_);
  cue_settings_ = settings;
  cues_changed_ = true;
  cue_minutes_.clear();
  baseline_spm_ = std::nan("");
}

CueSettings LiveEngine::cue_settings() const {
  std::lock_guard lock(mutex_);
  return cue_settings_;
}

std::vector<dsp::CueMinute> LiveEngine::cue_minutes() const {
  std::lock_guard lock(mutex_);
  return cue_minutes_;
}

double LiveEngine::baseline_cadence_spm() const {
  std::lock_guard lock(mutex_);
  return baseline_spm_;
}

void LiveEngine::set_audio(AudioSink* audio) {
  std::lock_guard lock(mutex_);
  audio_ = audio;
}

void LiveEngine::on_gap(std::size_t sensor, const Gap& gap) {
  std::lock_guard lock(writer_mutex_);
  if (!writer_.is_open() || sensor >= received_at_start_.size()) return;
  if (gap.index < received_at_start_[sensor]) return;  // before the recording started
  Gap local = gap;
  local.index = gap.index - received_at_start_[sensor];
  try {
    writer_.add_gap(sensor, local);
  } catch (const std::exception& e) {
    push_event(sensor, std::string("gap not recorded: ") + e.what());
  }
}

void LiveEngine::on_link_event(std::size_t sensor, const std::string& message) {
  push_event(sensor, message);
}

void LiveEngine::on_idle() {
  std::lock_guard lock(writer_mutex_);
  if (!writer_.is_open()) return;
  try {
    writer_.flush_if_due();
  } catch (const std::exception& e) {
    status_.error = e.what();
    push_event(0, std::string("recording flush failed: ") + e.what());
  }
}

void LiveEngine::start_recording(const std::filesystem::path& path, const Recording& metadata) {
  const std::vector<SensorInfo> infos = sensors();
  if (infos.empty()) throw Error(path.string() + ": no sensor is connected");
  std::vector<std::uint64_t> received;
  {
    std::lock_guard lock(mutex_);
    received = received_;
  }
  std::lock_guard lock(writer_mutex_);
  if (writer_.is_open())
    throw Error(path.string() + ": already recording to " + writer_.path().string());
  writer_.open(path, metadata, infos);
  received_at_start_ = received;
  recording_cues_.clear();
  status_ = RecordingStatus{};
  status_.active = true;
  status_.path = path;
}

RecordingStatus LiveEngine::stop_recording() {
  const CueSettings settings = cue_settings();
  std::lock_guard lock(writer_mutex_);
  if (writer_.is_open()) {
    try {
      writer_.close();
      // The cue settings and every cue given while recording (the SWMR layout was fixed).
      storage::write_cues(status_.path, {settings, recording_cues_});
    } catch (const std::exception& e) {
      status_.error = e.what();
    }
  }
  status_.active = false;
  return status_;
}

RecordingStatus LiveEngine::recording_status() const {
  std::lock_guard lock(writer_mutex_);
  RecordingStatus s = status_;
  s.active = writer_.is_open();
  return s;
}

}  // namespace stridelab::studio
