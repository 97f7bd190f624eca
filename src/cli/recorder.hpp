#pragma once
// The recording sink of `stridelab record`, also used by `stridelab live`: samples of every
// sensor into one crash-safe HDF5 recording (storage::RecordingWriter), with link notes for
// the status output.
#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "stridelab/ingest/sample_sink.hpp"
#include "stridelab/storage/recording_writer.hpp"

namespace stridelab::cli {

using SteadyClock = std::chrono::steady_clock;

// The sink: buffers until it knows enough to open the file (every sensor described, or half
// a second after the first data), then appends as samples come and flushes at least every
// 0.5 s, so a kill loses at most about a second.
class Recorder final : public ingest::SampleSink {
 public:
  // Before the session starts: where to write, the root metadata and the sensors as
  // configured (devices fill in the rest when they describe themselves).
  void prepare(std::string path, Recording metadata, std::vector<SensorInfo> infos) {
    path_ = std::move(path);
    metadata_ = std::move(metadata);
    infos_ = std::move(infos);
    pending_.assign(infos_.size(), {});
    has_data_.assign(infos_.size(), false);
    described_.assign(infos_.size(), false);
  }

  void on_sensor_info(std::size_t sensor, const SensorInfo& info) override {
    if (writer_.is_open()) {
      if (info.device_id != infos_[sensor].device_id)
        note(fmt::format("{}: now device {} (file keeps {})", info.name, info.device_id,
                         infos_[sensor].device_id));
      return;
    }
    infos_[sensor] = info;
    described_[sensor] = true;
  }
  void on_samples(std::size_t sensor, std::span<const ingest::TimedSample> samples) override {
    if (!any_data_) first_data_ = SteadyClock::now();
    any_data_ = true;
    has_data_[sensor] = true;
    total_ += samples.size();
    Pending& p = pending_[sensor];
    for (const auto& s : samples) {
      p.samples.push_back(s.sample);
      p.device_time.push_back(s.device_time_s);
    }
    if (writer_.is_open()) write_pending(sensor);
    maybe_open();
  }
  void on_gap(std::size_t sensor, const Gap& gap) override {
    ++gaps_;
    if (writer_.is_open()) {
      write_pending(sensor);
      writer_.add_gap(sensor, gap);
    } else {
      pending_[sensor].gaps.push_back(gap);
    }
  }
  void on_link_event(std::size_t sensor, const std::string& message) override {
    note(infos_[sensor].name + ": " + message);
  }
  void on_idle() override {
    maybe_open();
    if (writer_.is_open()) writer_.flush_if_due();
  }

  // After the session stopped: writes what is left and closes. False if no data came.
  bool finish() {
    if (!any_data_) return false;
    if (!writer_.is_open()) open();
    writer_.close();
    return true;
  }
  std::vector<std::string> take_notes() {
    std::lock_guard lock(notes_mutex_);
    return std::exchange(notes_, {});
  }
  std::size_t samples_received() const { return total_; }
  std::size_t gaps() const { return gaps_; }
  bool sensor_has_data(std::size_t s) const { return has_data_[s]; }

 private:
  struct Pending {
    std::vector<ImuSample> samples;
    std::vector<double> device_time;
    std::vector<Gap> gaps;
  };
  void note(const std::string& text) {
    std::lock_guard lock(notes_mutex_);
    notes_.push_back(text);
  }
  void maybe_open() {
    if (writer_.is_open() || !any_data_) return;
    bool all = true;
    for (std::size_t i = 0; i < infos_.size(); ++i) all &= has_data_[i] && described_[i];
    if (all || SteadyClock::now() - first_data_ > std::chrono::milliseconds(500)) open();
  }
  void open() {
    writer_.open(path_, metadata_, infos_);
    for (std::size_t s = 0; s < pending_.size(); ++s) {
      write_pending(s);
      for (const Gap& g : pending_[s].gaps) writer_.add_gap(s, g);
      pending_[s].gaps.clear();
    }
    writer_.flush();
  }
  void write_pending(std::size_t sensor) {
    Pending& p = pending_[sensor];
    if (p.samples.empty()) return;
    writer_.append(sensor, p.samples, p.device_time);
    p.samples.clear();
    p.device_time.clear();
    writer_.flush_if_due();
  }

  std::string path_;
  Recording metadata_;
  std::vector<SensorInfo> infos_;
  std::vector<Pending> pending_;
  std::vector<bool> has_data_, described_;
  bool any_data_ = false;
  SteadyClock::time_point first_data_;
  storage::RecordingWriter writer_;
  std::size_t total_ = 0, gaps_ = 0;
  std::mutex notes_mutex_;
  std::vector<std::string> notes_;
};

inline std::string iso_utc(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  ::gmtime_r(&secs, &tm);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

}  // namespace stridelab::cli
