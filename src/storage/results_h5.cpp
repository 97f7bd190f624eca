// The /analysis group (docs/FILE_FORMAT.md, "Analysis results").
#include <cmath>

#include "storage/h5_recording.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/core/version.hpp"
#include "stridelab/storage/results_io.hpp"

namespace stridelab::storage {

namespace fs = std::filesystem;

namespace {

constexpr const char* kGroup = "analysis";
constexpr std::int64_t kAnalysisVersion = 1;

struct NumberColumn {
  const char* name;
  double Step::*field;
  const char* units;
};
const NumberColumn kStepNumbers[] = {
    {"time_s", &Step::time_s, "s"},
    {"step_time_s", &Step::step_time_s, "s"},
    {"cadence_spm", &Step::cadence_spm, "steps/min"},
    {"pelvic_drop_deg", &Step::pelvic_drop_deg, "deg"},
    {"trunk_rotation_deg", &Step::trunk_rotation_deg, "deg"},
    {"contact_time_s", &Step::contact_time_s, "s"},
    {"side_confidence", &Step::side_confidence, "1"},
};

struct AngleColumn {
  const char* name;
  std::vector<double> PelvisAngles::*field;
  const char* units;
};
const AngleColumn kAngleColumns[] = {
    {"time_s", &PelvisAngles::time_s, "s"},
    {"obliquity_deg", &PelvisAngles::obliquity_deg, "deg"},
    {"tilt_deg", &PelvisAngles::tilt_deg, "deg"},
    {"rotation_deg", &PelvisAngles::rotation_deg, "deg"},
};

h5::Handle side_type() {
  h5::Handle type(H5Tcopy(H5T_C_S1));
  H5Tset_size(type.get(), 1);
  H5Tset_strpad(type.get(), H5T_STR_NULLPAD);
  return type;
}

void write_column(hid_t group, const char* name, hid_t file_type, hid_t mem_type, const void* data,
                  std::size_t n, const std::string& where) {
  h5::AppendableSpec spec;
  spec.type = file_type;
  spec.chunk_rows = std::clamp<std::size_t>(n, 1, 4096);
  spec.nan_fill = false;
  h5::Handle ds = h5::create_appendable(group, name, spec, where);
  h5::append_rows(ds.get(), mem_type, data, n, 0, where + "/" + name);
}

std::string flag_bits_text() {
  std::string out;
  for (unsigned bit = 0; bit < 32; ++bit) {
    const std::string name = flags_to_string(1u << bit);
    if (name.empty()) continue;
    if (!out.empty()) out += ',';
    out += std::to_string(1u << bit) + "=" + name;
  }
  return out;
}

void write_steps(hid_t analysis, const std::vector<Step>& steps, const std::string& where) {
  const std::string sw = where + "/steps";
  h5::Handle g = h5::create_group(analysis, "steps", where);
  std::string columns;
  for (const auto& c : step_columns()) {
    if (!columns.empty()) columns += ',';
    columns += c;
  }
  h5::write_attr(g.get(), "columns", columns, sw);
  const std::size_t n = steps.size();
  for (const auto& col : kStepNumbers) {
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = steps[i].*col.field;
    h5::write_doubles_1d(g.get(), col.name, v, sw);
    h5::Handle ds = h5::open_dataset(g.get(), col.name, sw);
    h5::write_attr(ds.get(), "units", std::string(col.units), sw + "/" + col.name);
  }
  std::string sides(n, '\0');
  std::vector<std::uint32_t> flags(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string s = to_string(steps[i].side);
    if (!s.empty()) sides[i] = s[0];
    flags[i] = steps[i].flags;
  }
  h5::Handle st = side_type();
  write_column(g.get(), "side", st.get(), st.get(), sides.data(), n, sw);
  write_column(g.get(), "flags", H5T_STD_U32LE, H5T_NATIVE_UINT32, flags.data(), n, sw);
  h5::Handle fl = h5::open_dataset(g.get(), "flags", sw);
  h5::write_attr(fl.get(), "flag_bits", flag_bits_text(), sw + "/flags");
}

std::vector<Step> read_steps(hid_t analysis, const std::string& where) {
  const std::string sw = where + "/steps";
  h5::Handle g = h5::open_group(analysis, "steps", where);
  h5::Handle time = h5::open_dataset(g.get(), "time_s", sw);
  const std::size_t n = h5::read_doubles_1d(time.get(), sw + "/time_s").size();
  std::vector<Step> steps(n);
  auto require_rows = [&](std::size_t rows, const char* name) {
    if (rows != n)
      fail_at(sw + "/" + name,
              "has " + std::to_string(rows) + " rows, time_s has " + std::to_string(n));
  };
  for (const auto& col : kStepNumbers) {
    h5::Handle ds = h5::open_dataset(g.get(), col.name, sw);
    const auto v = h5::read_doubles_1d(ds.get(), sw + "/" + col.name);
    require_rows(v.size(), col.name);
    for (std::size_t i = 0; i < n; ++i) steps[i].*col.field = v[i];
  }
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(steps[i].time_s))
      fail_at(sw + "/time_s", "row " + std::to_string(i) + " is not finite");

  h5::Handle side = h5::open_dataset(g.get(), "side", sw);
  h5::Handle type(h5::check(H5Dget_type(side.get()), sw + "/side", "cannot read datatype"));
  if (H5Tget_class(type.get()) != H5T_STRING || H5Tis_variable_str(type.get()) > 0)
    fail_at(sw + "/side", "expected fixed-length strings");
  const std::size_t width = H5Tget_size(type.get());
  require_rows(h5::dims(side.get(), sw + "/side").at(0), "side");
  std::string text(n * width, '\0');
  if (n > 0)
    h5::check_status(H5Dread(side.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, text.data()),
                     sw + "/side", "cannot read");
  for (std::size_t i = 0; i < n; ++i) {
    const char c = text[i * width];
    if (c != 'L' && c != 'R' && c != '\0')
      fail_at(sw + "/side", "row " + std::to_string(i) + " is not L, R or empty");
    steps[i].side = c == 'L' ? Side::kLeft : c == 'R' ? Side::kRight : Side::kUnknown;
  }
  h5::Handle flags = h5::open_dataset(g.get(), "flags", sw);
  const auto f = h5::read_ints_1d(flags.get(), sw + "/flags");
  require_rows(f.size(), "flags");
  for (std::size_t i = 0; i < n; ++i) steps[i].flags = static_cast<std::uint32_t>(f[i]);
  return steps;
}

}  // namespace

void write_analysis(const fs::path& path, const AnalysisOutput& a) {
  h5::quiet();
  const std::string where = path.string();
  for (const auto& col : kAngleColumns)
    if ((a.angles.*col.field).size() != a.angles.time_s.size())
      fail_at(where, std::string("pelvis angle column '") + col.name + "' has " +
                         std::to_string((a.angles.*col.field).size()) + " values, time_s has " +
                         std::to_string(a.angles.time_s.size()));
  std::error_code ec;
  h5::Handle file;
  if (!fs::exists(path, ec)) {
    h5::Handle fapl(H5Pcreate(H5P_FILE_ACCESS));
    h5::set_checksummed_format(fapl.get());
    file = h5::Handle(h5::check(H5Fcreate(path.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, fapl.get()),
                                where, "cannot create file"));
    h5::write_attr(file.get(), "format", std::string("stridelab-analysis"), where);
    h5::write_attr(file.get(), "format_version", kAnalysisVersion, where);
    h5::write_attr(file.get(), "tool_version", std::string(version()), where);
  } else {
    if (H5Fis_hdf5(path.c_str()) <= 0) {
      H5Eclear2(H5E_DEFAULT);
      fail_at(where, "exists and is not an HDF5 file; not overwriting it with results");
    }
    file = h5::Handle(h5::check(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), where,
                                "cannot open for writing (still being recorded?)"));
  }
  if (h5::has_link(file.get(), kGroup))
    h5::check_status(H5Ldelete(file.get(), kGroup, H5P_DEFAULT), where,
                     "cannot replace the old /analysis group");
  const std::string aw = h5::location(where, "/analysis");
  h5::Handle g = h5::create_group(file.get(), kGroup, where);
  h5::write_attr(g.get(), "analysis_format_version", kAnalysisVersion, aw);
  h5::write_attr(g.get(), "tool_version",
                 a.tool_version.empty() ? std::string(version()) : a.tool_version, aw);
  h5::write_attr(g.get(), "summary", a.summary_json, aw);
  h5::write_attr(g.get(), "calibration", a.calibration_json, aw);
  h5::write_attr(g.get(), "parameters", a.parameters_json, aw);
  write_steps(g.get(), a.steps, aw);
  h5::Handle angles = h5::create_group(g.get(), "pelvis_angles", aw);
  for (const auto& col : kAngleColumns) {
    const std::string cw = aw + "/pelvis_angles";
    h5::write_doubles_1d(angles.get(), col.name, a.angles.*col.field, cw, 0);
    h5::Handle ds = h5::open_dataset(angles.get(), col.name, cw);
    h5::write_attr(ds.get(), "units", std::string(col.units), cw + "/" + col.name);
  }
  g.reset();
  angles.reset();
  h5::check_status(H5Fclose(file.release()), where, "cannot close file");
}

AnalysisOutput read_analysis(const fs::path& path) {
  OpenedFile f = open_h5_for_reading(path);
  if (!h5::has_link(f.file.get(), kGroup))
    fail_at(f.where, "no /analysis group (write one with `stridelab analyze REC --out F.h5`)");
  const std::string aw = h5::location(f.where, "/analysis");
  h5::Handle g = h5::open_group(f.file.get(), kGroup, f.where);
  const std::int64_t version = h5::read_int_attr(g.get(), "analysis_format_version", aw);
  if (version > kAnalysisVersion)
    fail_at(aw, "written by a newer stridelab (analysis format " + std::to_string(version) +
                    "); this build reads format " + std::to_string(kAnalysisVersion));
  AnalysisOutput a;
  a.tool_version = h5::read_string_attr(g.get(), "tool_version", aw);
  a.summary_json = h5::read_string_attr(g.get(), "summary", aw);
  a.calibration_json = h5::read_string_attr(g.get(), "calibration", aw);
  a.parameters_json = h5::read_string_attr(g.get(), "parameters", aw);
  a.steps = read_steps(g.get(), aw);
  const std::string cw = aw + "/pelvis_angles";
  h5::Handle angles = h5::open_group(g.get(), "pelvis_angles", aw);
  for (const auto& col : kAngleColumns) {
    h5::Handle ds = h5::open_dataset(angles.get(), col.name, cw);
    a.angles.*col.field = h5::read_doubles_1d(ds.get(), cw + "/" + col.name);
    if ((a.angles.*col.field).size() != a.angles.time_s.size())
      fail_at(cw + "/" + col.name, "length differs from time_s");
  }
  return a;
}

bool has_analysis(const fs::path& path) {
  try {
    OpenedFile f = open_h5_for_reading(path);
    return h5::has_link(f.file.get(), kGroup);
  } catch (const Error&) {
    return false;
  }
}

}  // namespace stridelab::storage
