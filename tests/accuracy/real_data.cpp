#include "accuracy/real_data.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "stridelab/core/error.hpp"
#include "stridelab/storage/recording_io.hpp"

namespace stridelab::accuracy {
namespace fs = std::filesystem;
namespace {

using Row = std::map<std::string, std::string>;

// Header row, comma separated, no quoting (the reference files are written that way).
std::vector<Row> read_table(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(path + ": cannot open");
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  std::stringstream hs(line);
  for (std::string h; std::getline(hs, h, ',');) header.push_back(h);
  std::vector<Row> rows;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::stringstream ls(line);
    Row row;
    std::size_t i = 0;
    for (std::string v; i < header.size() && std::getline(ls, v, ','); ++i) row[header[i]] = v;
    rows.push_back(row);
  }
  return rows;
}

void read_events(RealTrial& t, const std::string& path) {
  for (Row& r : read_table(path)) {
    if (r["t_s"].empty()) continue;
    RefEvent e{std::stod(r["t_s"]), side_from_string(r["side"]), true};
    if (r.count("wb_id")) e.in_bout = !r["wb_id"].empty();
    (r["event"] == "IC" ? t.ics : t.fcs).push_back(e);
  }
  auto by_time = [](const RefEvent& a, const RefEvent& b) { return a.time_s < b.time_s; };
  std::sort(t.ics.begin(), t.ics.end(), by_time);
  std::sort(t.fcs.begin(), t.fcs.end(), by_time);
}

void read_bouts(RealTrial& t, const std::string& path) {
  for (Row& r : read_table(path))
    if (!r["start_s"].empty() && !r["end_s"].empty())
      t.bouts.push_back(
          {std::stod(r["start_s"]), std::stod(r["end_s"]),
           r["cadence_steps_per_min"].empty() ? 0.0 : std::stod(r["cadence_steps_per_min"])});
}

std::string real_dir(const std::string& sub) {
  const std::string d = shared_dir();
  return d.empty() ? std::string() : d + "/data/real/" + sub + "/";
}

// Trials named <prefix>_imu.csv in a folder, in name order.
std::vector<std::string> trial_prefixes(const std::string& dir) {
  std::vector<std::string> out;
  if (dir.empty() || !fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string n = e.path().filename().string();
    const std::string suffix = "_imu.csv";
    if (n.size() > suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0)
      out.push_back(n.substr(0, n.size() - suffix.size()));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Every <prefix>_imu.csv of a data set folder with its _ref_events.csv and
// _ref_walkingbouts.csv; the subject is the prefix up to `subject_end`.
std::vector<RealTrial> folder_trials(const std::string& dataset, const std::string& folder,
                                     char subject_end) {
  const std::string dir = real_dir(folder);
  std::vector<RealTrial> out;
  for (const std::string& p : trial_prefixes(dir)) {
    RealTrial t;
    t.dataset = dataset;
    t.subject = p.substr(0, p.find(subject_end));
    t.name = p;
    t.imu_path = dir + p + "_imu.csv";
    read_events(t, dir + p + "_ref_events.csv");
    read_bouts(t, dir + p + "_ref_walkingbouts.csv");
    out.push_back(std::move(t));
  }
  return out;
}

// Subjects sorted by number; every second one, starting with the second, is held out.
bool held_out_by_rank(const std::vector<int>& subjects, int s) {
  const auto it = std::find(subjects.begin(), subjects.end(), s);
  return it != subjects.end() && (it - subjects.begin()) % 2 == 1;
}

}  // namespace

std::string shared_dir() {
  std::vector<std::string> candidates;
  if (const char* e = std::getenv("STRIDELAB_SHARED_DIR")) candidates.push_back(e);
  candidates.push_back(std::string(STRIDELAB_SOURCE_DIR) + "/../shared");
  candidates.push_back("/work/shared");
  for (const std::string& c : candidates)
    if (fs::is_directory(c + "/data/real")) return c;
  return {};
}

std::vector<RealTrial> ipol_trials() {
  auto out = folder_trials("ipol", "ipol_voisard", '-');
  // Numeric subject order (2 before 11).
  std::stable_sort(out.begin(), out.end(), [](const RealTrial& a, const RealTrial& b) {
    return std::stoi(a.subject) < std::stoi(b.subject);
  });
  return out;
}

std::vector<RealTrial> stroke_trials() {
  return folder_trials("stroke", "stroke_treadmill", '_');
}

std::vector<RealTrial> mobilise_trials() {
  const std::string dir = real_dir("mobilise_d_HA001");
  std::vector<RealTrial> out;
  if (dir.empty()) return out;
  for (const char* trial : {"Test5_Trial1", "Test5_Trial2", "Test11_Trial1"})
    for (const char* system : {"INDIP", "Stereophoto"}) {
      RealTrial t;
      t.dataset = "mobilise";
      t.subject = "HA001";
      t.name = std::string(trial) + "/" + system;
      t.imu_path = dir + "HA_001_" + trial + "_imu.csv";
      t.daily_living = std::string(trial).rfind("Test11", 0) == 0;
      const std::string base = dir + "HA_001_" + trial + "_ref_" + system;
      read_events(t, base + "_events.csv");
      read_bouts(t, base + "_walkingbouts.csv");
      out.push_back(std::move(t));
    }
  return out;
}

bool held_out(const std::string& dataset, const std::string& subject) {
  if (dataset == "ipol") {
    static const std::vector<int> subjects{2, 3, 4, 6, 7, 8, 9, 11, 12, 13, 14, 16, 17, 18, 19};
    return held_out_by_rank(subjects, std::stoi(subject));
  }
  if (dataset == "stroke") {
    static const std::vector<int> subjects{2, 4, 6, 7, 8, 10, 11, 12};
    return held_out_by_rank(subjects, std::stoi(subject.substr(2)));
  }
  return false;  // Mobilise-D HA001 was used for tuning
}

SensorData load_trial_imu(const RealTrial& t) {
  Recording rec = storage::read_recording(t.imu_path);
  SensorData s = rec.primary();
  if (!(s.info.nominal_rate_hz > 0) && s.size() > 1)
    s.info.nominal_rate_hz = (s.size() - 1) / s.duration_s();
  return s;
}

}  // namespace stridelab::accuracy
