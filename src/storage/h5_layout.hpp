#pragma once
// Names, units and version of the HDF5 recording layout (docs/FILE_FORMAT.md). One place, so
// the writer, the reader and the format upgrades cannot drift apart.
#include <array>
#include <cstdint>

namespace stridelab::storage::layout {

inline constexpr const char* kFormatName = "stridelab-recording";
inline constexpr std::int64_t kFormatVersion = 1;  // what this build writes and reads natively

// Root attributes.
inline constexpr const char* kAttrFormat = "format";
inline constexpr const char* kAttrFormatVersion = "format_version";
inline constexpr const char* kAttrSubject = "subject_id";
inline constexpr const char* kAttrNotes = "notes";
inline constexpr const char* kAttrStartTime = "start_time";
inline constexpr const char* kAttrToolVersion = "tool_version";
inline constexpr const char* kAttrSource = "source";
inline constexpr std::array<const char*, 7> kReservedRootAttrs = {
    kAttrFormat,    kAttrFormatVersion, kAttrSubject, kAttrNotes,
    kAttrStartTime, kAttrToolVersion,   kAttrSource};

inline constexpr const char* kSensorsGroup = "sensors";

// Per-sensor datasets and their units attribute values (ASCII, so every reader shows them).
inline constexpr const char* kTime = "time";
inline constexpr const char* kDeviceTime = "device_time";
inline constexpr const char* kAcc = "acc";
inline constexpr const char* kGyr = "gyr";
inline constexpr const char* kMag = "mag";
inline constexpr const char* kGaps = "gaps";
inline constexpr const char* kAttrUnits = "units";
inline constexpr const char* kUnitSeconds = "s";
inline constexpr const char* kUnitAcc = "m/s^2";
inline constexpr const char* kUnitGyr = "rad/s";
inline constexpr const char* kUnitMag = "uT";

// Gaps table: compound rows. `cause` is a fixed-size string so the table stays appendable in
// SWMR mode (variable-length data would live in the global heap).
inline constexpr std::size_t kGapCauseBytes = 32;
struct GapRow {
  std::uint64_t index;
  double start_s;
  double end_s;
  std::uint64_t missing;
  char cause[kGapCauseBytes];
};

// Sensor attributes.
inline constexpr const char* kAttrPlacement = "placement";
inline constexpr const char* kAttrDeviceModel = "device_model";
inline constexpr const char* kAttrDeviceId = "device_id";
inline constexpr const char* kAttrFirmware = "firmware";
inline constexpr const char* kAttrNominalRate = "nominal_rate_hz";
inline constexpr const char* kAttrAccRange = "acc_range_ms2";
inline constexpr const char* kAttrGyrRange = "gyr_range_rads";
inline constexpr const char* kAttrHasGyr = "has_gyr";
inline constexpr const char* kAttrHasMag = "has_mag";

}  // namespace stridelab::storage::layout
