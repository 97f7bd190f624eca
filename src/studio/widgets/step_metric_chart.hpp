#pragma once
// One per-step metric over time (pelvic drop, trunk rotation or cadence): a point per step,
// left and right told apart by colour, marker shape and legend word, plus each side's running
// mean over the good steps so far (the same "good" rule as the analysis summary).
#include <QString>

#include <memory>
#include <vector>

#include "stridelab/core/steps.hpp"
#include "studio/charts/chart.hpp"

class QWidget;

namespace stridelab::studio {

class StepMetricChart {
 public:
  enum class Metric { kPelvicDrop, kTrunkRotation, kCadence };
  enum Series { kLeftPoints, kRightPoints, kLeftMean, kRightMean };

  explicit StepMetricChart(Metric metric, const QString& title = {});
  ~StepMetricChart();

  QWidget* widget();
  charts::Chart& chart() { return *chart_; }
  // Redraws from all steps; with follow_s > 0 only the last follow_s seconds are in view.
  void setSteps(const std::vector<Step>& steps, double follow_s = 0.0);
  double lastMean(Side side) const;  // running mean at the last step (NaN if none)

 private:
  double value(const Step& s) const;
  Metric metric_;
  std::unique_ptr<charts::Chart> chart_;
  double last_mean_left_, last_mean_right_;
};

}  // namespace stridelab::studio
