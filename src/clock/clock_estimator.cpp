#include "stridelab/clock/clock_estimator.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace stridelab::clock {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

long block_index(double device_s, double ref_s, double block_s) {
  return static_cast<long>(std::floor((device_s - ref_s) / block_s));
}

struct Point {
  double x = 0.0;  // device time since the reference, s
  double y = 0.0;  // lag, s
};

}  // namespace

ClockEstimator::ClockEstimator(const EstimatorParams& params) : params_(params) {}

void ClockEstimator::reset() {
  started_ = false;
  offset_blocks_.clear();
  skew_blocks_.clear();
  have_line_ = false;
  closed_offset_min_ = kInf;
}

void ClockEstimator::add(double device_s, double host_rx_s) {
  const double lag = host_rx_s - device_s;
  if (!started_) {
    started_ = true;
    ref_device_s_ = device_s;
    open_offset_ = {0, device_s, lag};
    open_skew_ = {0, device_s, lag};
    closed_offset_min_ = kInf;
    return;
  }
  const long oi = block_index(device_s, ref_device_s_, params_.offset_block_s);
  if (oi != open_offset_.index) {
    close_offset_block();
    open_offset_ = {oi, device_s, lag};
  } else if (lag < open_offset_.lag_s) {
    open_offset_.device_s = device_s;
    open_offset_.lag_s = lag;
  }
  const long si = block_index(device_s, ref_device_s_, params_.skew_block_s);
  if (si != open_skew_.index) {
    close_skew_block();
    open_skew_ = {si, device_s, lag};
  } else if (lag < open_skew_.lag_s) {
    open_skew_.device_s = device_s;
    open_skew_.lag_s = lag;
  }
}

void ClockEstimator::close_offset_block() {
  offset_blocks_.push_back(open_offset_);
  const double oldest = open_offset_.device_s - params_.offset_window_s;
  while (!offset_blocks_.empty() && offset_blocks_.front().device_s < oldest)
    offset_blocks_.pop_front();
  closed_offset_min_ = kInf;
  for (const Block& b : offset_blocks_)
    closed_offset_min_ = std::min(closed_offset_min_, corrected(b));
}

void ClockEstimator::close_skew_block() {
  skew_blocks_.push_back(open_skew_);
  const double oldest = open_skew_.device_s - params_.skew_window_s;
  while (!skew_blocks_.empty() && skew_blocks_.front().device_s < oldest) skew_blocks_.pop_front();
  fit_skew();
}

// Lower-envelope line over the drift window. Every lag is >= the true line (a sample cannot
// arrive before it was taken), so the line that lies below all block minima and is closest
// to them on average is the estimate: the edge of the lower convex hull that spans the
// centroid (the linear-programming solution). A least-squares fit would track the mean
// delay instead, which beats slowly when the sample rate and BLE interval are commensurate.
void ClockEstimator::fit_skew() {
  if (skew_blocks_.size() < 3) return;
  const double span = skew_blocks_.back().device_s - skew_blocks_.front().device_s;
  if (span < params_.min_skew_span_s) return;
  std::vector<Point> hull;  // lower hull, x increasing (blocks are in device-time order)
  double mean_x = 0;
  for (const Block& b : skew_blocks_) {
    const Point p{b.device_s - ref_device_s_, b.lag_s};
    mean_x += p.x;
    while (hull.size() >= 2) {
      const Point& o = hull[hull.size() - 2];
      const Point& a = hull.back();
      if ((a.x - o.x) * (p.y - o.y) - (a.y - o.y) * (p.x - o.x) > 0) break;  // left turn
      hull.pop_back();
    }
    hull.push_back(p);
  }
  mean_x /= static_cast<double>(skew_blocks_.size());
  std::size_t k = 0;
  while (k + 2 < hull.size() && hull[k + 1].x < mean_x) ++k;
  double slope = (hull[k + 1].y - hull[k].y) / (hull[k + 1].x - hull[k].x);
  if (!std::isfinite(slope)) return;
  slope = std::clamp(slope, -params_.max_skew, params_.max_skew);
  double intercept = kInf;  // the clamped line still touches the envelope from below
  for (const Point& p : hull) intercept = std::min(intercept, p.y - slope * p.x);
  skew_ = slope;
  line_offset_s_ = intercept;
  have_line_ = true;
  // The drift changed, so the drift-corrected minima of the offset window change too.
  closed_offset_min_ = kInf;
  for (const Block& b : offset_blocks_)
    closed_offset_min_ = std::min(closed_offset_min_, corrected(b));
}

double ClockEstimator::offset_s() const {
  if (!started_) return 0.0;
  const double running_min = std::min(closed_offset_min_, corrected(open_offset_));
  // The envelope line is the better estimate once there is one; a running minimum below it
  // means the line is stale (drift changed), and a lag is never below the truth.
  return have_line_ ? std::min(line_offset_s_, running_min) : running_min;
}

double ClockEstimator::map(double device_s) const {
  return device_s + offset_s() + skew_ * (device_s - ref_device_s_);
}

double ClockEstimator::unmap(double host_s) const {
  // host = d (1 + skew) + offset − skew d_ref
  return (host_s - offset_s() + skew_ * ref_device_s_) / (1.0 + skew_);
}

}  // namespace stridelab::clock
