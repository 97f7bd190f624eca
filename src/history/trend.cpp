// The statistics of a history: per-metric trend lines with the minimal detectable change, and
// the weekly volume. Pure functions of the sessions.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <map>
#include <set>

#include <fmt/format.h>

#include "stridelab/core/error.hpp"
#include "stridelab/history/history.hpp"

namespace stridelab::history {
namespace {

constexpr double kDay = 86400.0;
constexpr double kWeek = 7 * kDay;

// Minimal detectable change at 95 % between two sessions: MDC95 = 1.96·√2·SEM, SEM the
// standard error of one session's mean. From the steps, SEM = √(mean over sessions of sd²/n),
// assuming steps are independent draws around the session's true mean and nothing else
// differs between sessions. Sensor placement, shoes and surface do differ, and the steps
// cannot see that: the simulated trunk rotation's step SD of 0.1° gives a step SEM of 0.012°
// while its session means scatter 0.05° about the line. So with >= 3 sessions the SEM used is
// the larger of the step SEM and that scatter (the residual SD, which holds both).
double step_sem(const std::vector<const Figure*>& figures) {
  double sum = 0.0;
  int n = 0;
  for (const Figure* f : figures)
    if (std::isfinite(f->se)) {
      sum += f->se * f->se;
      ++n;
    }
  return n ? std::sqrt(sum / n) : kNaN;
}

Trend fit(Metric m, const std::vector<Session>& sessions) {
  Trend t;
  t.metric = m;
  std::vector<double> x, y;
  std::vector<const Figure*> figures;
  for (const Session& s : sessions) {
    const Figure& f = s.figure(m);
    if (!std::isfinite(f.mean) || !std::isfinite(s.start_unix_s)) continue;
    x.push_back((s.start_unix_s - sessions.front().start_unix_s) / kDay);
    y.push_back(f.mean);
    figures.push_back(&f);
  }
  t.sessions = static_cast<int>(x.size());
  t.sem_steps = t.sem = step_sem(figures);
  if (std::isfinite(t.sem)) t.mdc95 = 1.96 * std::sqrt(2.0) * t.sem;
  if (t.sessions < 2) return t;
  const double n = t.sessions;
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) mx += x[i] / n, my += y[i] / n;
  double sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxx += (x[i] - mx) * (x[i] - mx);
    sxy += (x[i] - mx) * (y[i] - my);
  }
  if (!(sxx > 0)) return t;        // all on one day: no slope
  const double slope = sxy / sxx;  // per day
  t.intercept = my - slope * (mx - x.front());
  t.per_week = 7 * slope;
  t.total_change = slope * (x.back() - x.front());
  if (t.sessions >= 3) {
    double ss = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double r = y[i] - (my + slope * (x[i] - mx));
      ss += r * r;
    }
    t.residual_sd = std::sqrt(ss / (n - 2));
    t.per_week_se = 7 * t.residual_sd / std::sqrt(sxx);
    if (!(t.sem >= t.residual_sd)) t.sem = t.residual_sd;  // also when sem_steps is NaN
    t.mdc95 = 1.96 * std::sqrt(2.0) * t.sem;
  }
  t.exceeds_mdc = std::isfinite(t.mdc95) && std::abs(t.total_change) > t.mdc95;
  return t;
}

double monday_of(double unix_s) {
  const double day = std::floor(unix_s / kDay);
  // 1970-01-01 was a Thursday: days since the Monday before it, 3 days earlier.
  const double since_monday = std::fmod(day + 3.0, 7.0);
  return (day - since_monday) * kDay;
}

double pct(double change, double before) {
  return before > 0 ? 100.0 * change / before : kNaN;
}

std::vector<Week> sum_weeks(const std::vector<Session>& sessions) {
  std::vector<Week> weeks;
  for (const Session& s : sessions) {
    if (!std::isfinite(s.start_unix_s)) continue;
    const double monday = monday_of(s.start_unix_s);
    if (weeks.empty()) weeks.push_back({monday, format_date(monday)});
    while (weeks.back().start_unix_s + 0.5 * kDay < monday) {
      const double next = weeks.back().start_unix_s + kWeek;
      weeks.push_back({next, format_date(next)});
    }
    Week& w = weeks.back();
    ++w.sessions;
    if (std::isfinite(s.gait_minutes)) w.gait_minutes += s.gait_minutes;
    w.steps += s.steps;
  }
  for (std::size_t i = 1; i < weeks.size(); ++i) {
    Week& w = weeks[i];
    const Week& before = weeks[i - 1];
    w.minutes_change = w.gait_minutes - before.gait_minutes;
    w.minutes_change_pct = pct(w.minutes_change, before.gait_minutes);
    w.steps_change = w.steps - before.steps;
    w.steps_change_pct = pct(w.steps_change, before.steps);
  }
  return weeks;
}

}  // namespace

// Names and labels in the order of Metric.
constexpr const char* kNames[kMetricCount][2] = {
    {"pelvic_drop_left_deg", "Pelvic drop, left stance (deg)"},
    {"pelvic_drop_right_deg", "Pelvic drop, right stance (deg)"},
    {"cadence_spm", "Cadence (steps/min)"},
    {"trunk_rotation_deg", "Trunk rotation (deg)"},
    {"step_time_asymmetry_pct", "Step-time asymmetry (%)"},
};

std::string metric_name(Metric m) {
  return kNames[static_cast<int>(m)][0];
}

std::string metric_label(Metric m) {
  return kNames[static_cast<int>(m)][1];
}

History make_history(std::vector<Session> sessions, const std::string& subject) {
  History h;
  if (!subject.empty()) {
    std::erase_if(sessions, [&](const Session& s) { return s.subject != subject; });
    h.subject = subject;
  } else {
    std::set<std::string> subjects;
    for (const Session& s : sessions) subjects.insert(s.subject);
    if (subjects.size() > 1)
      throw Error(fmt::format("sessions of {} subjects ({}): choose one with --subject",
                              subjects.size(), fmt::join(subjects, ", ")));
    if (!subjects.empty()) h.subject = *subjects.begin();
  }
  std::stable_sort(sessions.begin(), sessions.end(), [](const Session& a, const Session& b) {
    return a.start_unix_s < b.start_unix_s || (a.start_unix_s == b.start_unix_s && a.id < b.id);
  });
  h.sessions = std::move(sessions);
  for (Metric m : kMetrics) h.trends[static_cast<int>(m)] = fit(m, h.sessions);
  h.weeks = sum_weeks(h.sessions);
  return h;
}

double parse_iso_time(const std::string& text) {
  int y, mo, d, hh = 0, mi = 0, used = 0;
  double sec = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3 || used != 10)
    return kNaN;
  std::size_t pos = 10;
  if (pos < text.size() && (text[pos] == 'T' || text[pos] == ' ')) {
    int n = 0;
    if (std::sscanf(text.c_str() + pos + 1, "%2d:%2d:%lf%n", &hh, &mi, &sec, &n) != 3) return kNaN;
    pos += 1 + n;
  }
  double offset_s = 0;
  if (pos < text.size()) {
    const std::string zone = text.substr(pos);
    int oh = 0, om = 0;
    if (zone != "Z") {
      const bool parsed = (zone[0] == '+' || zone[0] == '-') &&
                          (std::sscanf(zone.c_str() + 1, "%2d:%2d", &oh, &om) == 2 ||
                           std::sscanf(zone.c_str() + 1, "%2d%2d", &oh, &om) == 2);
      if (!parsed) return kNaN;
      offset_s = (zone[0] == '+' ? 1 : -1) * (oh * 3600.0 + om * 60.0);
    }
  }
  using namespace std::chrono;
  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)},
                            day{static_cast<unsigned>(d)}};
  if (!date.ok() || hh > 23 || mi > 59 || sec < 0 || sec >= 61) return kNaN;
  return duration<double>(sys_days{date}.time_since_epoch()).count() + hh * 3600.0 + mi * 60.0 +
         sec - offset_s;
}

std::string format_date(double unix_s) {
  const std::time_t t = static_cast<std::time_t>(std::floor(unix_s));
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04d}-{:02d}-{:02d}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

std::string format_date_time(double unix_s) {
  const std::time_t t = static_cast<std::time_t>(std::floor(unix_s));
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{}T{:02d}:{:02d}:{:02d}Z", format_date(unix_s), tm.tm_hour, tm.tm_min,
                     tm.tm_sec);
}

}  // namespace stridelab::history
