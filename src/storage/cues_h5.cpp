// `/cues`: the cue settings as attributes, every cue as one row of 1-D f64 columns.
#include <hdf5.h>

#include "storage/h5_recording.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/storage/cues_io.hpp"

namespace stridelab::storage {
namespace {

constexpr const char* kGroup = "/cues";
constexpr std::int64_t kCuesVersion = 1;

// The settings, one attribute each (NaN = off), in the order of docs/FILE_FORMAT.md.
struct SettingAttr {
  const char* name;
  double CueSettings::*field;
};
constexpr SettingAttr kSettings[] = {
    {"drop_left_deg", &CueSettings::drop_left_deg},
    {"drop_right_deg", &CueSettings::drop_right_deg},
    {"cadence_low_spm", &CueSettings::cadence_low_spm},
    {"cadence_high_spm", &CueSettings::cadence_high_spm},
    {"cadence_change_pct", &CueSettings::cadence_change_pct},
    {"cadence_tolerance_pct", &CueSettings::cadence_tolerance_pct},
    {"baseline_s", &CueSettings::baseline_s},
    {"metronome_spm", &CueSettings::metronome_spm},
};
constexpr const char* kColumns[] = {"time_s", "step", "side", "kind", "value", "limit"};

}  // namespace

void write_cues(const std::filesystem::path& path, const CueLog& log) {
  h5::quiet();
  const std::string where = path.string();
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    throw Error(where + ": not an HDF5 file; cannot add the cues");
  }
  h5::Handle file(h5::check(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), where,
                            "cannot open for writing the cues"));
  if (h5::has_link(file.get(), kGroup))
    h5::check_status(H5Ldelete(file.get(), kGroup, H5P_DEFAULT), where,
                     "cannot replace the old /cues group");
  const std::string cw = h5::location(where, kGroup);
  h5::Handle g = h5::create_group(file.get(), kGroup, where);
  h5::write_attr(g.get(), "cues_format_version", kCuesVersion, cw);
  for (const auto& a : kSettings) h5::write_attr(g.get(), a.name, log.settings.*a.field, cw);
  std::vector<double> cols[6];
  for (const Cue& c : log.cues) {
    cols[0].push_back(c.time_s);
    cols[1].push_back(static_cast<double>(c.step));
    cols[2].push_back(static_cast<double>(c.side));
    cols[3].push_back(static_cast<double>(c.kind));
    cols[4].push_back(c.value);
    cols[5].push_back(c.limit);
  }
  for (int i = 0; i < 6; ++i) h5::write_doubles_1d(g.get(), kColumns[i], cols[i], cw);
  g.reset();
  h5::check_status(H5Fclose(file.release()), where, "cannot close file");
}

CueLog read_cues(const std::filesystem::path& path) {
  OpenedFile f = open_h5_for_reading(path);
  if (!h5::has_link(f.file.get(), kGroup)) throw Error(f.where + ": no /cues group");
  const std::string cw = h5::location(f.where, kGroup);
  h5::Handle g = h5::open_group(f.file.get(), kGroup, f.where);
  if (h5::read_int_attr(g.get(), "cues_format_version", cw) > kCuesVersion)
    throw Error(cw + ": written by a newer stridelab (cues format)");
  CueLog log;
  for (const auto& a : kSettings) log.settings.*a.field = h5::read_double_attr(g.get(), a.name, cw);
  std::vector<double> cols[6];
  for (int i = 0; i < 6; ++i) {
    h5::Handle ds = h5::open_dataset(g.get(), kColumns[i], cw);
    cols[i] = h5::read_doubles_1d(ds.get(), cw + "/" + kColumns[i]);
    if (cols[i].size() != cols[0].size())
      throw Error(cw + "/" + kColumns[i] + ": " + std::to_string(cols[i].size()) +
                  " rows, time_s has " + std::to_string(cols[0].size()));
  }
  for (std::size_t r = 0; r < cols[0].size(); ++r) {
    Cue c;
    c.time_s = cols[0][r];
    c.step = static_cast<std::int64_t>(cols[1][r]);
    c.side = static_cast<Side>(static_cast<int>(cols[2][r]));
    const int kind = static_cast<int>(cols[3][r]);
    if (kind < 0 || kind > 2 || (c.side != Side::kLeft && c.side != Side::kRight))
      throw Error(cw + ": row " + std::to_string(r) + " has an unknown side or kind");
    c.kind = static_cast<CueKind>(kind);
    c.value = cols[4][r];
    c.limit = cols[5][r];
    log.cues.push_back(c);
  }
  return log;
}

}  // namespace stridelab::storage
