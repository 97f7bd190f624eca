#pragma once
// Where the Live tab's cue sounds go: a small interface so the cue logic never depends on an
// audio back end. queue() is called on the ingest session's delivery thread, right after the
// step's provisional row, and must return at once (a real sink hands the tone to its audio
// thread). NullAudioSink plays nothing and keeps a log of what was queued and when (CI, tests,
// the cue-latency measurement).
#include <chrono>
#include <mutex>
#include <vector>

namespace stridelab::studio {

// Left-stance cue: 660 Hz, right: 990 Hz (a fifth apart, easy to tell without looking),
// 80 ms each; the metronome beat: 1760 Hz, 20 ms.
enum class CueTone { kLeft, kRight, kBeat };

class AudioSink {
 public:
  virtual ~AudioSink() = default;
  // data_time_s: the newest sample time when the tone was queued (recording time base), s.
  virtual void queue(CueTone tone, double data_time_s) = 0;
};

class NullAudioSink final : public AudioSink {
 public:
  struct Entry {
    CueTone tone;
    double data_time_s;
    std::chrono::steady_clock::time_point queued_at;
  };
  void queue(CueTone tone, double data_time_s) override {
    std::lock_guard lock(mutex_);
    log_.push_back({tone, data_time_s, std::chrono::steady_clock::now()});
  }
  std::vector<Entry> log() const {
    std::lock_guard lock(mutex_);
    return log_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Entry> log_;
};

}  // namespace stridelab::studio
