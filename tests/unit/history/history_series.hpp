#pragma once
// A simulated series of one person's sessions with a known change of the pelvic drop per week
// (the simulator's per-session drop offset), written as real HDF5 recordings that store their
// subject and start time. Shared by the history library, CLI and studio tests.
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "stridelab/sim/simulator.hpp"
#include "stridelab/storage/recording_io.hpp"

namespace stridelab::test {

struct SeriesSpec {
  std::string subject = "P017";
  // Days after 2026-03-02 (a Monday) 07:30 UTC, one session each: six sessions over five weeks.
  std::vector<double> days{0, 5, 12, 20, 26, 35};
  double drop_per_week_deg = -0.5;  // both sides
  double drop_left_deg = 7.0, drop_right_deg = 5.0;
  double gait_s = 60.0;
  double rate_hz = 100.0;
  std::uint64_t seed = 40;
};

inline double series_start_unix_s() {
  return 1772436600.0;  // 2026-03-02T07:30:00Z
}

inline std::string iso_of_day(double day) {
  const double t = series_start_unix_s() + day * 86400.0;
  const std::time_t s = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// The recording of session k as the simulator makes it, with subject and start time.
inline Recording series_recording(const SeriesSpec& spec, std::size_t k) {
  sim::SimParams p;
  p.gait_duration_s = spec.gait_s;
  p.rate_hz = spec.rate_hz;
  p.drop_left_deg = spec.drop_left_deg;
  p.drop_right_deg = spec.drop_right_deg;
  p.drop_offset_deg = spec.drop_per_week_deg * spec.days[k] / 7.0;
  p.seed = spec.seed + k;
  Recording rec = sim::simulate(p).recording;
  rec.subject_id = spec.subject;
  rec.start_time_iso = iso_of_day(spec.days[k]);
  return rec;
}

// Writes dir/<subject>_week<k>.h5 for every session; returns the paths.
inline std::vector<std::filesystem::path> write_series(const std::filesystem::path& dir,
                                                       const SeriesSpec& spec) {
  std::filesystem::create_directories(dir);
  std::vector<std::filesystem::path> files;
  for (std::size_t k = 0; k < spec.days.size(); ++k) {
    files.push_back(dir / (spec.subject + "_session" + std::to_string(k + 1) + ".h5"));
    storage::write_recording(files.back(), series_recording(spec, k));
  }
  return files;
}

}  // namespace stridelab::test
