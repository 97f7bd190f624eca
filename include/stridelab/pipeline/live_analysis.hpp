#pragma once
// The live analysis of one sensor, shared by `stridelab live` and the studio's Live tab: the
// Analyzer (the same parameters as the batch path, plus provisional rows) starts once the rate
// is known (the device's nominal rate, else estimated from the first samples), and every
// provisional row goes through the cue logic. One thread feeds it and takes its output.
#include <memory>
#include <span>
#include <vector>

#include "stridelab/core/cues.hpp"
#include "stridelab/core/types.hpp"
#include "stridelab/dsp/analyzer.hpp"
#include "stridelab/dsp/cue_tracker.hpp"

namespace stridelab::pipeline {

class LiveAnalysis {
 public:
  explicit LiveAnalysis(const CueSettings& cues = {}, std::size_t rate_probe_samples = 64);
  ~LiveAnalysis();
  // What the device said about itself (its nominal rate is used when the analysis starts).
  void set_info(const SensorInfo& info) { info_ = info; }
  // Feeds samples in time order. Throws Error on data it cannot analyse; restart() then
  // begins anew with the next samples.
  void update(std::span<const ImuSample> samples);
  void restart();
  // New cue settings: counting starts over (the baseline too).
  void set_cues(const CueSettings& cues) { tracker_ = dsp::CueTracker(cues); }
  // Provisional rows, final rows and cues since the last call (appended).
  void take(std::vector<dsp::ProvisionalStep>& rows, std::vector<Step>& steps,
            std::vector<Cue>& cues);
  bool started() const { return analyzer_ != nullptr; }
  const dsp::CueTracker& cues() const { return tracker_; }
  const dsp::Analyzer* analyzer() const { return analyzer_.get(); }

 private:
  SensorInfo info_;
  std::size_t rate_probe_samples_;
  std::unique_ptr<dsp::Analyzer> analyzer_;
  std::vector<ImuSample> probe_;  // first samples, to find the rate when the device is silent
  std::vector<dsp::ProvisionalStep> rows_;
  std::vector<Cue> cues_;
  dsp::CueTracker tracker_;
};

}  // namespace stridelab::pipeline
