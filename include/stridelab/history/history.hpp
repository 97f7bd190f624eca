#pragma once
// A person's history across sessions: one point per recording (date, pelvic drop L/R, cadence,
// trunk rotation, step-time asymmetry, volume), a least-squares trend per metric with its
// change per week against the minimal detectable change, and the weekly volume. Batch results
// are used where a batch analysed the same bytes; the rest is analysed through AnalyzeFn, so
// this stage knows files, tables and statistics, not gait (docs/README "History").
#include <array>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "stridelab/batch/batch.hpp"
#include "stridelab/storage/recording_io.hpp"

namespace stridelab::history {

namespace fs = std::filesystem;
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

enum class Metric { kDropLeft, kDropRight, kCadence, kRotation, kAsymmetry };
inline constexpr int kMetricCount = 5;
inline constexpr std::array<Metric, kMetricCount> kMetrics{
    Metric::kDropLeft, Metric::kDropRight, Metric::kCadence, Metric::kRotation, Metric::kAsymmetry};
// Column stem as in recordings.csv: pelvic_drop_left_deg, pelvic_drop_right_deg, cadence_spm,
// trunk_rotation_deg, step_time_asymmetry_pct.
std::string metric_name(Metric m);
std::string metric_label(Metric m);  // "Pelvic drop, left stance (deg)", ...

// One metric of one session: mean and SD over its good steps, n steps, and the standard error
// of the session mean (sd / sqrt(n); cadence and asymmetry by the delta method, see trend.cpp).
struct Figure {
  double mean = kNaN;
  double sd = kNaN;  // step-to-step SD; NaN for the asymmetry index (one number per session)
  int n = 0;
  double se = kNaN;
};

struct Session {
  std::string id;  // path below the folder given ('/'-separated), or the file as given
  fs::path file;
  std::string subject;
  std::string
      subject_from;  // "recording" (its subject attribute) or "name" (see subject_from_name)
  double start_unix_s = kNaN;  // session start, s since 1970-01-01 UTC
  std::string date_from;       // "recording" (stored start time) or "file time" (modification)
  std::string results_from;    // "batch" (results table of a batch) or "analysis" (analysed now)
  std::string activity;
  int steps = 0;
  double gait_minutes = kNaN;  // sum of the steps' step times / 60: time spent stepping
  std::array<Figure, kMetricCount> figures;
  const Figure& figure(Metric m) const { return figures[static_cast<int>(m)]; }
};

struct Skipped {
  std::string file;
  std::string reason;
};

// Least squares of the session means against days since the first session (unweighted).
struct Trend {
  Metric metric = Metric::kDropLeft;
  int sessions = 0;            // sessions with a value
  double intercept = kNaN;     // fitted value at the first session's day, metric units
  double per_week = kNaN;      // slope, metric units per 7 days
  double per_week_se = kNaN;   // its standard error from the residuals (>= 3 sessions)
  double total_change = kNaN;  // fitted last session − fitted first session
  double residual_sd = kNaN;   // scatter of the session means about the line (>= 3 sessions)
  double sem_steps = kNaN;     // standard error of a session mean from its steps (pooled)
  double sem = kNaN;           // the larger of sem_steps and residual_sd (trend.cpp)
  double mdc95 = kNaN;         // minimal detectable change, 1.96·√2·sem
  bool exceeds_mdc = false;    // |total_change| > mdc95
};

// Calendar week, Monday 00:00 UTC to the next Monday.
struct Week {
  double start_unix_s = 0.0;
  std::string start_date;  // YYYY-MM-DD of the Monday
  int sessions = 0;
  double gait_minutes = 0.0;
  int steps = 0;
  // Against the week before (empty for the first week; the percentages also when it was 0).
  double minutes_change = kNaN, minutes_change_pct = kNaN;
  double steps_change = kNaN, steps_change_pct = kNaN;
};

struct History {
  std::string subject;
  std::vector<Session> sessions;  // by start time
  std::array<Trend, kMetricCount> trends;
  std::vector<Week> weeks;  // first to last, weeks without a session included
  std::vector<Skipped> skipped;
  const Trend& trend(Metric m) const { return trends[static_cast<int>(m)]; }
};

struct CollectOptions {
  std::vector<fs::path> inputs;  // folders (searched recursively, as batch does) and files
  // Batch results folder (recordings.csv, <id>.steps.csv). Empty: a folder directly inside a
  // folder input that holds recordings.csv and parameters.json is used.
  fs::path results_dir;
  std::string subject;  // only this subject's sessions (others are not analysed)
  storage::CsvOptions csv;
};

// Every session of the inputs; unreadable or unanalysable ones go to `skipped` (file and
// reason), never stop the rest. Throws Error for unusable inputs (missing path, a batch table
// without a needed column).
std::vector<Session> collect_sessions(const CollectOptions& options,
                                      const batch::AnalyzeFn& analyze,
                                      std::vector<Skipped>& skipped);

// Keeps `subject`'s sessions (all when empty; then they must be one subject's, else Error
// listing the subjects found), sorts them by date, fits the trends and sums the weeks.
History make_history(std::vector<Session> sessions, const std::string& subject = {});

// Subject from a name when the recording stores none: the file name up to its first '_'
// ("P017_2026-03-01.h5" → "P017"); without '_' the name of the folder holding it.
std::string subject_from_name(const fs::path& file);
// "2026-03-01T08:30:00Z", "...T08:30:00.250+01:00", "2026-03-01 08:30:00" (UTC) → seconds
// since 1970 UTC; NaN if the text is not such a time.
double parse_iso_time(const std::string& text);
std::string format_date(double unix_s);       // YYYY-MM-DD (UTC)
std::string format_date_time(double unix_s);  // YYYY-MM-DDTHH:MM:SSZ

// Tables as CSV text (docs/FILE_FORMAT.md "History tables"): one row per session, per metric,
// per week. read_sessions_csv is the inverse of sessions_csv (for the history figure program).
std::string sessions_csv(const History& h);
std::string trends_csv(const History& h);
std::string weeks_csv(const History& h);
std::vector<Session> read_sessions_csv(const fs::path& path);

}  // namespace stridelab::history
