#include "stridelab/core/steps.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "stridelab/core/error.hpp"

namespace stridelab {
namespace {

constexpr std::array<std::pair<StepFlag, const char*>, 8> kFlagNames{{
    {kFlagTurn, "turn"},
    {kFlagGap, "gap"},
    {kFlagClipping, "clipping"},
    {kFlagLowSideConfidence, "low_side_confidence"},
    {kFlagNoStanding, "no_standing"},
    {kFlagBoutEdge, "bout_edge"},
    {kFlagNoGyro, "no_gyro"},
    {kFlagOutlier, "outlier"},
}};

}  // namespace

std::string to_string(Side s) {
  switch (s) {
    case Side::kLeft: return "L";
    case Side::kRight: return "R";
    case Side::kUnknown: return "";
  }
  return "";
}

Side side_from_string(const std::string& s) {
  std::string lower = s;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "l" || lower == "left") return Side::kLeft;
  if (lower == "r" || lower == "right") return Side::kRight;
  return Side::kUnknown;
}

std::string flags_to_string(std::uint32_t flags) {
  std::string out;
  for (const auto& [bit, name] : kFlagNames) {
    if (!(flags & bit)) continue;
    if (!out.empty()) out += '|';
    out += name;
  }
  return out;
}

std::uint32_t flags_from_string(const std::string& s) {
  std::uint32_t flags = 0;
  std::size_t begin = 0;
  while (begin < s.size()) {
    std::size_t end = s.find('|', begin);
    if (end == std::string::npos) end = s.size();
    const std::string name = s.substr(begin, end - begin);
    auto it = std::find_if(kFlagNames.begin(), kFlagNames.end(),
                           [&](const auto& f) { return name == f.second; });
    if (it == kFlagNames.end()) throw Error("unknown step flag '" + name + "'");
    flags |= it->first;
    begin = end + 1;
  }
  return flags;
}

const std::vector<std::string>& step_columns() {
  static const std::vector<std::string> columns{
      "time_s",          "side",          "step_time_s", "cadence_spm",
      "pelvic_drop_deg", "trunk_rotation_deg", "contact_time_s", "flags",
      "side_confidence"};
  return columns;
}

}  // namespace stridelab
