#pragma once
// The real lower-back recordings of ../shared/data/real/ with their reference events, as
// trials of subjects: IPOL (15 healthy adults, 10 m + U-turn + 10 m, Xsens at L5, lost
// packets), stroke treadmill (8 people after stroke, 2–3 min), Mobilise-D HA001 (lab tests).
// AGPL/MIT/Apache data: read from the shared folder, never copied into the repository.
// The subject split (tuning vs held-out) is fixed in docs/ACCURACY.md.
#include <string>
#include <vector>

#include "stridelab/core/steps.hpp"
#include "stridelab/core/types.hpp"

namespace stridelab::accuracy {

// One reference event (initial or final contact of one foot).
struct RefEvent {
  double time_s = 0.0;
  Side side = Side::kUnknown;
  bool in_bout = true;  // inside a reference walking bout (IPOL: false in the U-turn)
};

struct RefBout {
  double start_s = 0.0, end_s = 0.0, cadence_spm = 0.0;
};

struct RealTrial {
  std::string dataset;             // "ipol", "stroke", "mobilise"
  std::string subject;             // "3", "pp04", "HA001"
  std::string name;                // "3-2", "pp04_1Reg", "Test11_Trial1/INDIP"
  std::string imu_path;            // the lower-back recording
  std::vector<RefEvent> ics, fcs;  // time order
  std::vector<RefBout> bouts;
  bool daily_living = false;  // Mobilise-D Test11: slow, turns, sitting (its own targets)
};

// The folder holding data/real/ (STRIDELAB_SHARED_DIR, else ../shared beside the source tree,
// else /work/shared); empty if none is found.
std::string shared_dir();

std::vector<RealTrial> ipol_trials();
std::vector<RealTrial> stroke_trials();
// HA001 Test5 (two trials) and Test11, each against INDIP and Stereophoto.
std::vector<RealTrial> mobilise_trials();

// The split of docs/ACCURACY.md: true for a held-out subject.
bool held_out(const std::string& dataset, const std::string& subject);

// Reads a lower-back recording (the project's CSV reader; nominal rate from the samples if
// the file has none).
SensorData load_trial_imu(const RealTrial& t);

}  // namespace stridelab::accuracy
