// The history tables as CSV (docs/FILE_FORMAT.md "History tables"), written with the batch
// stage's table code so numbers and quoting are the same as in the study tables.
#include <cmath>

#include "batch/table.hpp"
#include "history_cells.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/history/history.hpp"

namespace stridelab::history {
namespace {

const char* const kFigureParts[] = {".mean", ".sd", ".n", ".se"};

std::vector<std::string> session_columns() {
  std::vector<std::string> cols{"subject",   "subject_from", "session_id", "file",  "start_time",
                                "date_from", "results_from", "activity",   "steps", "gait_minutes"};
  for (Metric m : kMetrics)
    for (const char* part : kFigureParts) cols.push_back(metric_name(m) + part);
  return cols;
}

std::string num(double v) {
  return batch::format_number(v);
}

std::string text_of(const batch::TextTable& t) {
  return batch::format_csv(t);
}

}  // namespace

std::string sessions_csv(const History& h) {
  batch::TextTable t{session_columns(), {}};
  for (const Session& s : h.sessions) {
    std::vector<std::string> row{s.subject,
                                 s.subject_from,
                                 s.id,
                                 s.file.generic_string(),
                                 format_date_time(s.start_unix_s),
                                 s.date_from,
                                 s.results_from,
                                 s.activity,
                                 std::to_string(s.steps),
                                 num(s.gait_minutes)};
    for (Metric m : kMetrics) {
      const Figure& f = s.figure(m);
      for (const std::string& cell : {num(f.mean), num(f.sd), std::to_string(f.n), num(f.se)})
        row.push_back(cell);
    }
    t.rows.push_back(std::move(row));
  }
  return text_of(t);
}

std::string trends_csv(const History& h) {
  batch::TextTable t{{"subject", "metric", "sessions", "intercept", "per_week", "per_week_se",
                      "total_change", "residual_sd", "sem_steps", "sem", "mdc95", "exceeds_mdc"},
                     {}};
  for (const Trend& tr : h.trends)
    t.rows.push_back({h.subject, metric_name(tr.metric), std::to_string(tr.sessions),
                      num(tr.intercept), num(tr.per_week), num(tr.per_week_se),
                      num(tr.total_change), num(tr.residual_sd), num(tr.sem_steps), num(tr.sem),
                      num(tr.mdc95), tr.exceeds_mdc ? "true" : "false"});
  return text_of(t);
}

std::string weeks_csv(const History& h) {
  batch::TextTable t{
      {"subject", "week_start", "sessions", "gait_minutes", "steps", "gait_minutes_change",
       "gait_minutes_change_pct", "steps_change", "steps_change_pct"},
      {}};
  for (const Week& w : h.weeks)
    t.rows.push_back({h.subject, w.start_date, std::to_string(w.sessions), num(w.gait_minutes),
                      std::to_string(w.steps), num(w.minutes_change), num(w.minutes_change_pct),
                      num(w.steps_change), num(w.steps_change_pct)});
  return text_of(t);
}

std::vector<Session> read_sessions_csv(const fs::path& path) {
  const batch::TextTable t = batch::read_csv(path);
  if (t.columns != session_columns())
    throw Error(path.string() + ": not a history sessions table (columns differ)");
  std::vector<Session> sessions;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    Cells c;
    for (std::size_t i = 0; i < t.columns.size(); ++i) c[t.columns[i]] = t.rows[r][i];
    Session s;
    s.subject = c["subject"];
    s.subject_from = c["subject_from"];
    s.id = c["session_id"];
    s.file = c["file"];
    s.start_unix_s = parse_iso_time(c["start_time"]);
    s.date_from = c["date_from"];
    s.results_from = c["results_from"];
    s.activity = c["activity"];
    try {
      s.steps = static_cast<int>(cell_number(c, "steps"));
      s.gait_minutes = cell_number(c, "gait_minutes");
      for (Metric m : kMetrics) {
        Figure& f = s.figures[static_cast<int>(m)];
        const std::string stem = metric_name(m);
        f.mean = cell_number(c, stem + ".mean");
        f.sd = cell_number(c, stem + ".sd");
        f.n = static_cast<int>(cell_number(c, stem + ".n"));
        f.se = cell_number(c, stem + ".se");
      }
    } catch (const Error& e) {
      throw Error(path.string() + ":" + std::to_string(r + 2) + ": " + e.what());
    }
    sessions.push_back(std::move(s));
  }
  return sessions;
}

}  // namespace stridelab::history
