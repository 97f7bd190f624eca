#pragma once
// Pelvic drop per minute (the runner's fatigue view): each side's mean over the minute's good
// steps as a line with points, left and right by colour, marker and word, and the slope per
// 10 minutes with its standard error in the title. Data: dsp::Trends of the analysis.
#include <QString>

#include <memory>

#include "stridelab/dsp/trends.hpp"
#include "studio/charts/chart.hpp"

class QWidget;

namespace stridelab::studio {

class TrendChart {
 public:
  enum Series { kLeftLine, kRightLine, kLeftPoints, kRightPoints };

  TrendChart();
  ~TrendChart();

  QWidget* widget();
  charts::Chart& chart() { return *chart_; }
  void setTrends(const dsp::Trends& trends);
  QString title() const { return title_; }

 private:
  std::unique_ptr<charts::Chart> chart_;
  QString title_;
};

// "+1.2 ± 0.1°/10 min" or "n/a".
QString slope_text(const dsp::LinearTrend& trend);

}  // namespace stridelab::studio
