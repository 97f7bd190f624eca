// eval_real: gait-event accuracy on the real recordings of ../shared/data/real, per trial and
// pooled per data set and split (tuning / held-out subjects, docs/ACCURACY.md). The tool
// behind the tables of docs/ACCURACY.md and for trying methods on the tuning subjects:
//
//   build/tests/eval_real [--set tune|held-out|all] [--data ipol,stroke,mobilise]
//                         [--trials] [--subjects] [--misses] [--dump TRIAL]
//                         [--param events.NAME=VALUE|metrics.NAME=VALUE ...]
//                         [--loso NAME=V1,V2,... ...]
//
// --loso: leave-one-subject-out over every subject (both split halves): for each subject the
// grid point (all combinations of the --loso values) with the best mean over the data sets
// of the F1 of recall and precision on all OTHER subjects (ties: lower mean |IC error|) is
// chosen, and that subject's trials are scored with it; the pooled held-out figures follow.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "accuracy/accuracy_common.hpp"
#include "accuracy/real_data.hpp"
#include "accuracy/real_eval.hpp"
#include "stridelab/core/error.hpp"

using namespace stridelab;
using namespace stridelab::accuracy;

namespace {

void set_param(dsp::AnalyzerParams& p, const std::string& kv) {
  const auto eq = kv.find('=');
  if (eq == std::string::npos) throw Error("--param needs NAME=VALUE: " + kv);
  const std::string k = kv.substr(0, eq);
  const double v = std::stod(kv.substr(eq + 1));
  std::map<std::string, double*> d{
      {"max_bridged_gap_s", &p.max_bridged_gap_s},
      {"events.smooth_sigma_s", &p.events.smooth_sigma_s},
      {"events.min_step_time_s", &p.events.min_step_time_s},
      {"events.max_step_time_s", &p.events.max_step_time_s},
      {"events.min_prominence_ms2", &p.events.min_prominence_ms2},
      {"events.relative_prominence", &p.events.relative_prominence},
      {"events.prominence_floor_ms2", &p.events.prominence_floor_ms2},
      {"events.walk_ic_offset_s", &p.events.walk_ic_offset_s},
      {"events.walk_hump_window_s", &p.events.walk_hump_window_s},
      {"events.walk_hump_fraction", &p.events.walk_hump_fraction},
      {"events.walk_rise_fraction", &p.events.walk_rise_fraction},
      {"events.walk_rise_offset_s", &p.events.walk_rise_offset_s},
      {"events.fine_sigma_s", &p.events.fine_sigma_s},
      {"events.walk_fc_offset_s", &p.events.walk_fc_offset_s},
      {"events.walk_split_trough", &p.events.walk_split_trough},
      {"events.walk_ap_weight", &p.events.walk_ap_weight},
      {"events.walk_ap_window_s", &p.events.walk_ap_window_s},
      {"events.walk_ap_offset_s", &p.events.walk_ap_offset_s},
      {"events.walk_ap_max_turn_deg", &p.events.walk_ap_max_turn_deg},
      {"events.walk_ap_turn_window_s", &p.events.walk_ap_turn_window_s},
      {"metrics.side_window", &p.metrics.side_window},
      {"metrics.lateral_from", &p.metrics.lateral_from},
      {"metrics.lateral_to", &p.metrics.lateral_to},
      {"metrics.max_step_ratio", &p.metrics.max_step_ratio},
      {"metrics.outlier_fraction", &p.metrics.outlier_fraction},
      {"metrics.min_side_confidence", &p.metrics.min_side_confidence},
      {"metrics.side_evidence_gain", &p.metrics.side_evidence_gain},
      {"metrics.side_evidence_max", &p.metrics.side_evidence_max},
      {"metrics.side_slip_evidence", &p.metrics.side_slip_evidence},
      {"metrics.side_slip_turn_deg", &p.metrics.side_slip_turn_deg},
      {"metrics.side_yaw_weight", &p.metrics.side_yaw_weight},
      {"metrics.edge_brake_ratio", &p.metrics.edge_brake_ratio},
      {"metrics.edge_brake_max_turn_deg", &p.metrics.edge_brake_max_turn_deg},
      {"metrics.closing_window_from", &p.metrics.closing_window_from},
      {"metrics.closing_window_to", &p.metrics.closing_window_to},
      {"metrics.closing_brake_ratio", &p.metrics.closing_brake_ratio},
      {"events.closing_prominence", &p.events.closing_prominence},
  };
  std::map<std::string, int*> di{{"metrics.min_bout_steps", &p.metrics.min_bout_steps}};
  if (k == "events.walk_ic_method") {
    p.events.walk_ic_method = static_cast<dsp::WalkIcMethod>(static_cast<int>(v));
    return;
  }
  if (k == "metrics.side_cue") {
    p.metrics.side_cue = v == 0 ? dsp::SideCue::kLateral : dsp::SideCue::kObliquity;
    return;
  }
  if (k == "metrics.side_cue_difference") {
    p.metrics.side_cue_difference = v != 0;
    return;
  }
  if (d.count(k))
    *d[k] = v;
  else if (di.count(k))
    *di[k] = static_cast<int>(v);
  else
    throw Error("unknown parameter " + k);
}

void dump_trial(const RealTrial& t, const std::vector<Step>& steps) {
  auto name = [](Side s) { return s == Side::kLeft ? "L" : s == Side::kRight ? "R" : "?"; };
  std::size_t i = 0, j = 0;
  while (i < t.ics.size() || j < steps.size()) {
    if (j >= steps.size() || (i < t.ics.size() && t.ics[i].time_s <= steps[j].time_s)) {
      // The same foot's next final contact, for the contact time.
      double fc = kNotMeasured;
      for (const RefEvent& e : t.fcs)
        if (e.side == t.ics[i].side && e.time_s > t.ics[i].time_s) {
          fc = e.time_s;
          break;
        }
      std::printf("ref %8.3f %s%s fc %+.3f\n", t.ics[i].time_s, name(t.ics[i].side),
                  t.ics[i].in_bout ? "" : " (turn)", fc - t.ics[i].time_s);
      ++i;
    } else {
      const Step& s = steps[j++];
      std::printf("    %8.3f %s conf %.2f step %.3f contact %.3f flags 0x%x\n", s.time_s,
                  name(s.side), s.side_confidence, s.step_time_s, s.contact_time_s, s.flags);
    }
  }
}

double f1(const EventCounts& c) {
  const double r = c.recall(), p = c.precision();
  return r + p > 0.0 ? 2.0 * r * p / (r + p) : 0.0;
}

// Every combination of the --loso NAME=V1,V2,... specs, as lists of NAME=VALUE.
std::vector<std::vector<std::string>> expand_grid(const std::vector<std::string>& specs) {
  std::vector<std::vector<std::string>> grid{{}};
  for (const std::string& spec : specs) {
    const auto eq = spec.find('=');
    if (eq == std::string::npos) throw Error("--loso needs NAME=V1,V2,...: " + spec);
    std::vector<std::vector<std::string>> next;
    std::size_t from = eq + 1;
    while (from <= spec.size()) {
      const std::size_t comma = std::min(spec.find(',', from), spec.size());
      for (const auto& g : grid) {
        next.push_back(g);
        next.back().push_back(spec.substr(0, eq) + "=" + spec.substr(from, comma - from));
      }
      from = comma + 1;
    }
    grid = next;
  }
  return grid;
}

void run_loso(const std::vector<RealTrial>& trials, const std::vector<std::string>& fixed,
              const std::vector<std::string>& specs) {
  const auto grid = expand_grid(specs);
  // figures[g][t]: trial t analysed with grid point g.
  std::vector<std::vector<TrialFigures>> figures(grid.size());
  std::vector<SensorData> data;
  for (const RealTrial& t : trials) data.push_back(load_trial_imu(t));
  for (std::size_t g = 0; g < grid.size(); ++g)
    for (std::size_t t = 0; t < trials.size(); ++t) {
      dsp::AnalyzerParams p = params_for(data[t]);
      for (const std::string& kv : fixed) set_param(p, kv);
      for (const std::string& kv : grid[g]) set_param(p, kv);
      figures[g].push_back(evaluate_trial(trials[t], analyze(data[t], p).steps));
    }
  std::map<std::string, PooledFigures> held;
  std::vector<std::string> order;
  for (std::size_t t = 0; t < trials.size(); ++t) {
    const RealTrial& subject = trials[t];
    if (t > 0 && trials[t - 1].subject == subject.subject &&
        trials[t - 1].dataset == subject.dataset)
      continue;  // one choice per subject (trials of a subject are consecutive)
    std::size_t best = 0;
    double best_f1 = -1.0, best_ic = 1e300;
    for (std::size_t g = 0; g < grid.size(); ++g) {
      // One parameter set for everybody: every data set's other subjects, each data set
      // weighted alike (mean of their F1; ties: mean of their mean |IC error|).
      std::map<std::string, EventCounts> others;
      for (std::size_t u = 0; u < trials.size(); ++u)
        if (trials[u].subject != subject.subject || trials[u].dataset != subject.dataset)
          others[trials[u].dataset].add_counts(figures[g][u]);
      double f = 0.0, ic = 0.0;
      int n = 0;
      for (const auto& [name, c] : others)
        if (c.reference > 0) f += f1(c), ic += c.mean_abs_error_s(), ++n;
      if (n == 0) continue;
      f /= n;
      ic /= n;
      if (f > best_f1 + 1e-12 || (std::abs(f - best_f1) <= 1e-12 && ic < best_ic))
        best = g, best_f1 = f, best_ic = ic;
    }
    if (best_f1 < 0.0) continue;  // nobody else to choose on
    std::string chosen;
    for (const std::string& kv : grid[best]) chosen += " " + kv;
    std::printf("loso %s %-6s chose%s\n", subject.dataset.c_str(), subject.subject.c_str(),
                chosen.c_str());
    const std::string label = subject.dataset + ", leave-one-subject-out";
    if (!held.count(label)) order.push_back(label);
    for (std::size_t u = t; u < trials.size() && trials[u].subject == subject.subject; ++u)
      held[label].add(figures[best][u]);
  }
  std::printf("%s\n", pooled_header().c_str());
  for (const std::string& l : order) std::printf("%s\n", pooled_line(l, held[l]).c_str());
}

}  // namespace

int main(int argc, char** argv) try {
  std::string set = "all", data = "ipol,stroke,mobilise";
  bool per_trial = false, per_subject = false, misses = false;
  std::string dump;  // --dump TRIAL: reference ICs and detected steps, merged by time
  std::vector<std::string> params, loso;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw Error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--set")
      set = next();
    else if (a == "--data")
      data = next();
    else if (a == "--trials")
      per_trial = true;
    else if (a == "--subjects")
      per_subject = true;
    else if (a == "--misses")
      misses = true;
    else if (a == "--dump")
      dump = next();
    else if (a == "--param")
      params.push_back(next());
    else if (a == "--loso")
      loso.push_back(next());
    else
      throw Error("unknown option " + a);
  }
  if (shared_dir().empty()) throw Error("no shared data folder (set STRIDELAB_SHARED_DIR)");
  std::vector<RealTrial> trials;
  auto want = [&](const char* d) { return data.find(d) != std::string::npos; };
  if (want("ipol"))
    for (auto& t : ipol_trials()) trials.push_back(t);
  if (want("stroke"))
    for (auto& t : stroke_trials()) trials.push_back(t);
  if (want("mobilise"))
    for (auto& t : mobilise_trials()) trials.push_back(t);

  if (!loso.empty()) {
    run_loso(trials, params, loso);
    return 0;
  }
  std::map<std::string, PooledFigures> pools, subjects;
  // --misses: unmatched reference ICs and false detections per place in the bout, per pool.
  std::map<std::string, std::map<std::string, std::pair<int, int>>> places;
  std::vector<std::string> subject_order;
  std::vector<std::string> order;
  std::map<std::string, std::pair<std::string, std::vector<Step>>> cache;  // imu path → steps
  for (const RealTrial& t : trials) {
    const bool h = held_out(t.dataset, t.subject);
    if ((set == "tune" && h) || (set == "held-out" && !h)) continue;
    auto it = cache.find(t.imu_path);
    if (it == cache.end()) {
      const SensorData s = load_trial_imu(t);
      dsp::AnalyzerParams p = params_for(s);
      for (const std::string& kv : params) set_param(p, kv);
      it = cache.emplace(t.imu_path, std::make_pair(t.name, analyze(s, p).steps)).first;
    }
    const TrialFigures f = evaluate_trial(t, it->second.second);
    if (t.name == dump) dump_trial(t, it->second.second);
    if (per_trial) std::printf("%s\n", trial_line(f).c_str());
    if (misses) {
      for (const UnmatchedEvent& e : f.missed)
        std::printf("  missed %-22s %8.3f %s\n", t.name.c_str(), e.time_s,
                    bout_place_name(e.place));
      for (const UnmatchedEvent& e : f.false_detections)
        std::printf("  false  %-22s %8.3f %s %+.3f flags 0x%x\n", t.name.c_str(), e.time_s,
                    bout_place_name(e.place), e.nearest_ref_s, e.flags);
    }
    std::string label = t.dataset;
    if (t.dataset == "mobilise") label += t.daily_living ? " Test11" : " Test5";
    label += h ? ", held-out" : t.dataset == "mobilise" ? "" : ", tuning";
    const std::string sl = t.dataset + " " + t.subject + (h ? " H" : " T");
    if (!subjects.count(sl)) subject_order.push_back(sl);
    subjects[sl].add(f);
    if (!pools.count(label)) order.push_back(label);
    pools[label].add(f);
    for (const UnmatchedEvent& e : f.missed) ++places[label][bout_place_name(e.place)].first;
    for (const UnmatchedEvent& e : f.false_detections)
      ++places[label][bout_place_name(e.place)].second;
  }
  if (per_subject)
    for (const std::string& l : subject_order) {
      const PooledFigures& p = subjects[l];
      std::printf(
          "%-16s recall %.3f precision %.3f bias %+6.1f ms SD %5.1f ms |IC| %5.1f side %.3f (sure "
          "%.3f of %.2f)\n",
          l.c_str(), p.recall(), p.precision(), 1e3 * p.bias_s(), 1e3 * p.error_sd_s(),
          1e3 * p.mean_abs_error_s(), p.side_agreement(), p.sure_side_agreement(),
          p.sure_fraction());
    }
  if (misses)
    for (const std::string& l : order) {
      std::printf("%s: missed/false by place in the bout:", l.c_str());
      for (const auto& [place, n] : places[l])
        std::printf(" %s %d/%d", place.c_str(), n.first, n.second);
      std::printf("\n");
    }
  std::printf("%s\n", pooled_header().c_str());
  for (const std::string& l : order) std::printf("%s\n", pooled_line(l, pools[l]).c_str());
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "eval_real: %s\n", e.what());
  return 1;
}
