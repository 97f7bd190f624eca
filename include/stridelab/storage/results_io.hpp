#pragma once
// Analysis results on disk: the steps table as CSV (DESIGN.md "Steps table") and the
// /analysis group of an HDF5 file (docs/FILE_FORMAT.md). Independent of the dsp stage: the
// analysis fills AnalysisOutput, storage writes it.
#include <filesystem>
#include <string>
#include <vector>

#include "stridelab/core/steps.hpp"

namespace stridelab::storage {

// Steps table as CSV: columns of step_columns() in that order; NaN -> empty cell; side as
// "L"/"R"/""; flags as flags_to_string(). Numbers in shortest round-trip form.
void write_steps_csv(const std::filesystem::path& path, const std::vector<Step>& steps);
std::string format_steps_csv(const std::vector<Step>& steps);
// Inverse, strict: the header must be exactly step_columns(); throws Error naming the line.
std::vector<Step> read_steps_csv(const std::filesystem::path& path);
std::vector<Step> parse_steps_csv(std::string_view text, const std::string& name);

// Per-sample pelvis segment angles (Baker 2001 rotation-obliquity-tilt), degrees.
struct PelvisAngles {
  std::vector<double> time_s;         // s, recording time base
  std::vector<double> obliquity_deg;  // > 0: right side lower
  std::vector<double> tilt_deg;       // > 0: anterior tilt
  std::vector<double> rotation_deg;   // transverse rotation, heading drift removed
};

// Everything one analysis run stores with a recording.
struct AnalysisOutput {
  std::vector<Step> steps;
  PelvisAngles angles;
  std::string summary_json = "{}";      // DESIGN.md "Summary"
  std::string calibration_json = "{}";  // neutral posture, mounting, how they were found
  std::string parameters_json = "{}";   // every parameter that shaped the result
  std::string tool_version;             // empty: this build's version() is written
};

// Writes group /analysis into `path`: creates the file if it does not exist, adds the group
// to an existing HDF5 file (e.g. the recording itself), replacing an earlier /analysis.
// Throws Error if the angle columns differ in length or the file is not writable HDF5.
void write_analysis(const std::filesystem::path& path, const AnalysisOutput& analysis);
// Reads /analysis; throws Error if absent or malformed.
AnalysisOutput read_analysis(const std::filesystem::path& path);
// True if `path` is an HDF5 file with an /analysis group (false for anything unreadable).
bool has_analysis(const std::filesystem::path& path);

}  // namespace stridelab::storage
