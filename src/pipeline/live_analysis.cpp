#include "stridelab/pipeline/live_analysis.hpp"

#include "stridelab/pipeline/analyze_recording.hpp"

namespace stridelab::pipeline {

LiveAnalysis::LiveAnalysis(const CueSettings& cues, std::size_t rate_probe_samples)
    : rate_probe_samples_(rate_probe_samples), tracker_(cues) {}

LiveAnalysis::~LiveAnalysis() = default;

void LiveAnalysis::restart() {
  analyzer_.reset();
  probe_.clear();
}

void LiveAnalysis::update(std::span<const ImuSample> samples) {
  if (analyzer_) {
    analyzer_->update(samples.data(), samples.size());
  } else {
    probe_.insert(probe_.end(), samples.begin(), samples.end());
    if (!(info_.nominal_rate_hz > 0) && probe_.size() < rate_probe_samples_) return;
    SensorData probe;
    probe.info = info_;
    for (const ImuSample& s : probe_) probe.time_s.push_back(s.time_s);
    if (probe.time_s.size() < 2) return;
    AnalysisRequest request;
    request.keep_angles = false;
    dsp::AnalyzerParams params = make_params(probe, request);
    params.provisional = true;
    analyzer_ = std::make_unique<dsp::Analyzer>(params);
    analyzer_->update(probe_.data(), probe_.size());
    probe_.clear();
    probe_.shrink_to_fit();
  }
  const std::size_t before = rows_.size();
  analyzer_->take_provisional(rows_);
  for (std::size_t i = before; i < rows_.size(); ++i) tracker_.update(rows_[i], cues_);
}

void LiveAnalysis::take(std::vector<dsp::ProvisionalStep>& rows, std::vector<Step>& steps,
                        std::vector<Cue>& cues) {
  rows.insert(rows.end(), rows_.begin(), rows_.end());
  rows_.clear();
  cues.insert(cues.end(), cues_.begin(), cues_.end());
  cues_.clear();
  if (analyzer_) analyzer_->take_steps(steps);
}

}  // namespace stridelab::pipeline
