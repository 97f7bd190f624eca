#pragma once
// Shared helpers of the accuracy tests: run the analyzer on a recording, match detected steps
// to reference contacts, and compute the figures the targets are stated in.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "stridelab/core/steps.hpp"
#include "stridelab/core/types.hpp"
#include "stridelab/dsp/analyzer.hpp"

namespace stridelab::accuracy {

struct AnalysisRun {
  std::vector<Step> steps;
  dsp::Summary summary;
};

inline dsp::AnalyzerParams params_for(const SensorData& sensor) {
  dsp::AnalyzerParams p;
  p.rate_hz = sensor.info.nominal_rate_hz;
  p.acc_range_ms2 = sensor.info.acc_range_ms2;
  p.gyr_range_rads = sensor.info.gyr_range_rads;
  return p;
}

// Feeds the sensor's samples in chunks of `chunk` (0 = all at once).
inline AnalysisRun analyze(const SensorData& sensor, dsp::AnalyzerParams params,
                           std::size_t chunk = 0) {
  dsp::Analyzer analyzer(params);
  std::vector<ImuSample> buf;
  const std::size_t n = sensor.size();
  const std::size_t step = chunk == 0 ? std::max<std::size_t>(n, 1) : chunk;
  AnalysisRun run;
  buf.reserve(step);
  for (std::size_t i = 0; i < n; i += step) {
    buf.clear();
    for (std::size_t j = i; j < std::min(n, i + step); ++j) buf.push_back(sensor.sample(j));
    analyzer.update(buf.data(), buf.size());
    analyzer.take_steps(run.steps);
  }
  analyzer.finish();
  analyzer.take_steps(run.steps);
  run.summary = analyzer.summary();
  return run;
}

struct RefContact {
  double time_s = 0.0;
  Side side = Side::kUnknown;
};

struct Match {
  std::size_t ref = 0, det = 0;
};

// One-to-one matching in time order: each reference contact takes the nearest unmatched
// detection within ±tol.
inline std::vector<Match> match_contacts(const std::vector<RefContact>& ref,
                                         const std::vector<Step>& det, double tol) {
  std::vector<Match> out;
  std::vector<bool> used(det.size(), false);
  for (std::size_t r = 0; r < ref.size(); ++r) {
    double best = tol;
    std::size_t bi = det.size();
    for (std::size_t d = 0; d < det.size(); ++d) {
      const double e = std::abs(det[d].time_s - ref[r].time_s);
      if (!used[d] && e <= best) {
        best = e;
        bi = d;
      }
    }
    if (bi < det.size()) {
      used[bi] = true;
      out.push_back({r, bi});
    }
  }
  return out;
}

struct EventFigures {
  int reference = 0, detected = 0, matched = 0;
  double recall = 0, precision = 0, mean_abs_error_s = 0, mean_error_s = 0;
  int side_known = 0, side_correct = 0;
  double side_accuracy = 0;
};

inline EventFigures event_figures(const std::vector<RefContact>& ref, const std::vector<Step>& det,
                                  double tol) {
  EventFigures f;
  f.reference = static_cast<int>(ref.size());
  f.detected = static_cast<int>(det.size());
  const auto m = match_contacts(ref, det, tol);
  f.matched = static_cast<int>(m.size());
  for (const Match& x : m) {
    const double e = det[x.det].time_s - ref[x.ref].time_s;
    f.mean_abs_error_s += std::abs(e);
    f.mean_error_s += e;
    if (det[x.det].side != Side::kUnknown && ref[x.ref].side != Side::kUnknown) {
      ++f.side_known;
      f.side_correct += det[x.det].side == ref[x.ref].side ? 1 : 0;
    }
  }
  if (f.matched) {
    f.mean_abs_error_s /= f.matched;
    f.mean_error_s /= f.matched;
  }
  f.recall = f.reference ? double(f.matched) / f.reference : 0.0;
  f.precision = f.detected ? double(f.matched) / f.detected : 0.0;
  f.side_accuracy = f.side_known ? double(f.side_correct) / f.side_known : 0.0;
  return f;
}

}  // namespace stridelab::accuracy
