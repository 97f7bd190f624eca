#pragma once
// Per-step results: the rows of the steps table (DESIGN.md, "Steps table").
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace stridelab {

enum class Side : std::int8_t { kUnknown = 0, kLeft = 1, kRight = 2 };
std::string to_string(Side s);         // "L", "R" or ""
Side side_from_string(const std::string& s);  // accepts L/R/left/right (any case), else kUnknown

// Why a cell is empty or a step should not be trusted. Bit flags, joined with '|' in text.
enum StepFlag : std::uint32_t {
  kFlagNone = 0,
  kFlagTurn = 1u << 0,            // heading changed during the stride
  kFlagGap = 1u << 1,             // samples missing inside the step or stride
  kFlagClipping = 1u << 2,        // a sensor channel hit its range
  kFlagLowSideConfidence = 1u << 3,
  kFlagNoStanding = 1u << 4,      // neutral from mean gait obliquity, not quiet standing
  kFlagBoutEdge = 1u << 5,        // first/last step of a bout (no full step/stride around it)
  kFlagNoGyro = 1u << 6,          // metric needs a gyroscope
  kFlagOutlier = 1u << 7,         // step time far from its neighbours
};
std::string flags_to_string(std::uint32_t flags);      // e.g. "turn|gap"; "" for none
std::uint32_t flags_from_string(const std::string& s);  // inverse; throws Error on unknown names

inline constexpr double kNotMeasured = std::numeric_limits<double>::quiet_NaN();

// One detected step. NaN = "not measurable here" (an empty CSV cell); flags say why.
struct Step {
  double time_s = 0.0;            // initial contact on the input's time base, s
  Side side = Side::kUnknown;     // stance leg of the step starting at this contact
  double side_confidence = 0.0;   // 0..1
  double step_time_s = kNotMeasured;       // to the next initial contact, s
  double cadence_spm = kNotMeasured;       // 60 / step_time_s, steps/min
  double pelvic_drop_deg = kNotMeasured;   // contralateral drop during this stance, deg
  double trunk_rotation_deg = kNotMeasured;  // range over the stride starting here, deg
  double contact_time_s = kNotMeasured;    // initial to final contact, s
  std::uint32_t flags = kFlagNone;
};

// Column names of the steps table, in contract order.
const std::vector<std::string>& step_columns();

}  // namespace stridelab
