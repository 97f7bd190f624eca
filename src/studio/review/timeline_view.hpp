#pragma once
// The zoomable timeline of a session: pelvis angles, accelerometer and gyroscope, one chart
// each, sharing the time axis, with every detected step marked (L/R colour and tag). Traces
// are min/max-decimated to the chart width on every zoom, so hour-long files stay fluid.
#include <QWidget>

#include <memory>
#include <vector>

#include "studio/charts/chart.hpp"

namespace stridelab::report {
struct Session;
}

namespace stridelab::studio {

class TimelineView : public QWidget {
  Q_OBJECT
 public:
  explicit TimelineView(QWidget* parent = nullptr);
  ~TimelineView() override;

  void setSession(const report::Session* session);  // nullptr clears; the session must outlive
  void setXRange(double lo, double hi);             // zooms every chart
  void resetZoom();                                 // whole recording
  void centerOn(double t, double half_width_s);
  void setSelection(double lo, double hi);  // the analysed range, shaded; lo >= hi hides it
  QPair<double, double> xRange() const;

  // For tests: the charts (angles, acc, gyr) and how many points each series holds.
  charts::Chart* chart(int index) const { return charts_.at(index).get(); }
  int chartCount() const { return static_cast<int>(charts_.size()); }

 signals:
  void rangeSelected(double lo, double hi);  // Shift+drag on any chart

 protected:
  void resizeEvent(QResizeEvent* event) override;

 private:
  struct Trace {
    int chart = 0;
    int series = 0;
    const std::vector<double>* time = nullptr;
    std::vector<double> values;
  };
  void redraw();

  std::vector<std::unique_ptr<charts::Chart>> charts_;
  std::vector<Trace> traces_;
  std::vector<double> sensor_time_, angle_time_;
  double lo_ = 0.0, hi_ = 1.0, full_lo_ = 0.0, full_hi_ = 1.0;
};

}  // namespace stridelab::studio
