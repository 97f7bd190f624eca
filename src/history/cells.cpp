// Session figures from summary cells. Cadence and the asymmetry index are functions of the
// step times, so their standard errors come from the step times' by the delta method.
#include <cmath>
#include <cstdlib>

#include "history_cells.hpp"
#include "stridelab/core/error.hpp"

namespace stridelab::history {

double cell_number(const Cells& cells, const std::string& key) {
  const auto it = cells.find(key);
  if (it == cells.end() || it->second.empty()) return kNaN;
  char* end = nullptr;
  const double v = std::strtod(it->second.c_str(), &end);
  if (end == it->second.c_str() || *end != '\0')
    throw Error("column '" + key + "': '" + it->second + "' is not a number");
  return v;
}

namespace {

Figure mean_sd(const Cells& c, const std::string& stem) {
  Figure f;
  f.mean = cell_number(c, stem + ".mean");
  f.sd = cell_number(c, stem + ".sd");
  const double n = cell_number(c, stem + ".n");
  f.n = std::isfinite(n) ? static_cast<int>(n) : 0;
  if (f.n >= 2 && std::isfinite(f.sd)) f.se = f.sd / std::sqrt(f.n);
  return f;
}

// Cadence = 60 / T: SD ≈ 60·sd(T) / T² (first order), over the same steps.
Figure cadence(const Cells& c) {
  const Figure t = mean_sd(c, "step_time_s");
  Figure f;
  f.mean = cell_number(c, "mean_cadence_spm");
  f.n = t.n;
  if (t.mean > 0) f.sd = 60.0 * t.sd / (t.mean * t.mean);
  if (f.n >= 2 && std::isfinite(f.sd)) f.se = f.sd / std::sqrt(f.n);
  return f;
}

// A = 200·|L − R| / (L + R) of the per-side mean step times. Its standard error by the delta
// method: var(A) = (∂A/∂L)²·se(L)² + (∂A/∂R)²·se(R)², ∂A/∂L = 200·(±(L+R) − |L−R|)/(L+R)² (+
// when L > R), ∂A/∂R likewise with the sign flipped. Near A = 0 the |·| makes A biased upwards
// and this SE too small; a session-to-session change there is read with care.
Figure asymmetry(const Cells& c) {
  const Figure l = mean_sd(c, "step_time_left_s"), r = mean_sd(c, "step_time_right_s");
  Figure f;
  f.mean = cell_number(c, "step_time_asymmetry_pct");
  f.n = l.n + r.n;
  const double sum = l.mean + r.mean, diff = l.mean - r.mean;
  if (std::isfinite(f.mean) && sum > 0 && std::isfinite(l.se) && std::isfinite(r.se)) {
    const double sign = diff >= 0 ? 1.0 : -1.0;
    const double dl = 200.0 * (sign * sum - std::abs(diff)) / (sum * sum);
    const double dr = 200.0 * (-sign * sum - std::abs(diff)) / (sum * sum);
    f.se = std::sqrt(dl * dl * l.se * l.se + dr * dr * r.se * r.se);
  }
  return f;
}

}  // namespace

void fill_figures(Session& s, const Cells& c) {
  const auto activity = c.find("activity");
  s.activity = activity == c.end() ? std::string() : activity->second;
  const double steps = cell_number(c, "steps");
  s.steps = std::isfinite(steps) ? static_cast<int>(steps) : 0;
  s.figures[static_cast<int>(Metric::kDropLeft)] = mean_sd(c, "pelvic_drop_left_deg");
  s.figures[static_cast<int>(Metric::kDropRight)] = mean_sd(c, "pelvic_drop_right_deg");
  s.figures[static_cast<int>(Metric::kCadence)] = cadence(c);
  s.figures[static_cast<int>(Metric::kRotation)] = mean_sd(c, "trunk_rotation_deg");
  s.figures[static_cast<int>(Metric::kAsymmetry)] = asymmetry(c);
}

}  // namespace stridelab::history
