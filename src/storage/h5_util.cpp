#include "storage/h5_util.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "stridelab/core/error.hpp"

namespace stridelab::storage::h5 {

Handle& Handle::operator=(Handle&& o) noexcept {
  if (this != &o) {
    reset();
    id_ = o.id_;
    o.id_ = H5I_INVALID_HID;
  }
  return *this;
}

void Handle::reset() {
  if (id_ >= 0 && H5Iis_valid(id_) > 0) H5Idec_ref(id_);
  id_ = H5I_INVALID_HID;
}

void quiet() {
  thread_local bool silenced = false;
  if (!silenced) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    silenced = true;
  }
}

namespace {

herr_t innermost_reason(unsigned n, const H5E_error2_t* err, void* data) {
  auto* out = static_cast<std::string*>(data);
  if (n == 0 && err->desc) *out = err->desc;
  return 0;
}

std::string number_text(double v) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

// Scalar or single-element dataspace: attributes are read as one value.
void require_single(hid_t attr, const std::string& where, const std::string& name) {
  Handle space(H5Aget_space(attr));
  if (!space || H5Sget_simple_extent_npoints(space.get()) != 1)
    fail(where, "attribute '" + name + "' is not a single value");
}

}  // namespace

std::string take_reason() {
  std::string reason;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost_reason, &reason);
  H5Eclear2(H5E_DEFAULT);
  return reason;
}

void fail(const std::string& where, const std::string& what) {
  const std::string reason = take_reason();
  fail_at(where, reason.empty() ? what : what + " (HDF5: " + reason + ")");
}

hid_t check(hid_t id, const std::string& where, const std::string& what) {
  if (id < 0) fail(where, what);
  return id;
}

void check_status(herr_t status, const std::string& where, const std::string& what) {
  if (status < 0) fail(where, what);
}

std::string location(const std::string& file, const std::string& object) {
  return object.empty() ? file : file + ":" + object;
}

// ---- attributes ----------------------------------------------------------------------------

bool has_attr(hid_t obj, const std::string& name) {
  const htri_t r = H5Aexists(obj, name.c_str());
  if (r < 0) H5Eclear2(H5E_DEFAULT);
  return r > 0;
}

std::vector<std::string> attr_names(hid_t obj, const std::string& where) {
  std::vector<std::string> names;
  auto collect = [](hid_t, const char* name, const H5A_info_t*, void* data) -> herr_t {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
  };
  check_status(H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect, &names), where,
               "cannot list attributes");
  return names;
}

void delete_attr_if_present(hid_t obj, const std::string& name) {
  if (has_attr(obj, name)) H5Adelete(obj, name.c_str());
}

namespace {

void write_scalar_attr(hid_t obj, const std::string& name, hid_t file_type, hid_t mem_type,
                       const void* value, const std::string& where) {
  delete_attr_if_present(obj, name);
  Handle space(check(H5Screate(H5S_SCALAR), where, "cannot create dataspace"));
  Handle attr(check(H5Acreate2(obj, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                    where, "cannot create attribute '" + name + "'"));
  check_status(H5Awrite(attr.get(), mem_type, value), where,
               "cannot write attribute '" + name + "'");
}

Handle open_attr(hid_t obj, const std::string& name, const std::string& where) {
  if (!has_attr(obj, name)) fail_at(where, "missing attribute '" + name + "'");
  return Handle(check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), where,
                      "cannot open attribute '" + name + "'"));
}

}  // namespace

void write_attr(hid_t obj, const std::string& name, const std::string& value,
                const std::string& where) {
  // Fixed length, stored inside the (checksummed) object header. Variable-length strings
  // would live in the global heap, which has no checksum: a damaged heap crashes HDF5 1.10.
  Handle type(H5Tcopy(H5T_C_S1));
  H5Tset_size(type.get(), std::max<std::size_t>(value.size(), 1));
  H5Tset_strpad(type.get(), H5T_STR_NULLPAD);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  std::string padded = value;
  padded.resize(std::max<std::size_t>(value.size(), 1), '\0');
  write_scalar_attr(obj, name, type.get(), type.get(), padded.data(), where);
}

void write_attr(hid_t obj, const std::string& name, double value, const std::string& where) {
  write_scalar_attr(obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value, where);
}

void write_attr(hid_t obj, const std::string& name, std::int64_t value, const std::string& where) {
  write_scalar_attr(obj, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value, where);
}

void write_attr(hid_t obj, const std::string& name, std::uint8_t value, const std::string& where) {
  write_scalar_attr(obj, name, H5T_STD_U8LE, H5T_NATIVE_UINT8, &value, where);
}

std::string read_string_attr(hid_t obj, const std::string& name, const std::string& where) {
  Handle attr = open_attr(obj, name, where);
  require_single(attr.get(), where, name);
  Handle type(check(H5Aget_type(attr.get()), where, "cannot read type of '" + name + "'"));
  if (H5Tget_class(type.get()) != H5T_STRING)
    fail_at(where, "attribute '" + name + "' is not a string");
  // Memory type = copy of the file type: HDF5 does not convert between ASCII and UTF-8.
  if (H5Tis_variable_str(type.get()) > 0) {
    Handle mem(H5Tcopy(type.get()));
    char* ptr = nullptr;
    check_status(H5Aread(attr.get(), mem.get(), &ptr), where, "cannot read '" + name + "'");
    std::string value = ptr ? ptr : "";
    H5free_memory(ptr);
    return value;
  }
  const std::size_t size = H5Tget_size(type.get());
  std::string buf(size, '\0');
  Handle mem(H5Tcopy(type.get()));
  check_status(H5Aread(attr.get(), mem.get(), buf.data()), where, "cannot read '" + name + "'");
  // Fixed-length strings are padded with NULs or spaces.
  const auto end = buf.find_last_not_of(std::string("\0 ", 2));
  buf.resize(end == std::string::npos ? 0 : end + 1);
  const auto nul = buf.find('\0');
  if (nul != std::string::npos) buf.resize(nul);
  return buf;
}

double read_double_attr(hid_t obj, const std::string& name, const std::string& where) {
  Handle attr = open_attr(obj, name, where);
  require_single(attr.get(), where, name);
  Handle type(check(H5Aget_type(attr.get()), where, "cannot read type of '" + name + "'"));
  const H5T_class_t cls = H5Tget_class(type.get());
  if (cls != H5T_FLOAT && cls != H5T_INTEGER)
    fail_at(where, "attribute '" + name + "' is not a number");
  double value = 0.0;
  check_status(H5Aread(attr.get(), H5T_NATIVE_DOUBLE, &value), where, "cannot read '" + name + "'");
  return value;
}

std::int64_t read_int_attr(hid_t obj, const std::string& name, const std::string& where) {
  Handle attr = open_attr(obj, name, where);
  require_single(attr.get(), where, name);
  Handle type(check(H5Aget_type(attr.get()), where, "cannot read type of '" + name + "'"));
  if (H5Tget_class(type.get()) != H5T_INTEGER)
    fail_at(where, "attribute '" + name + "' is not an integer");
  std::int64_t value = 0;
  check_status(H5Aread(attr.get(), H5T_NATIVE_INT64, &value), where, "cannot read '" + name + "'");
  return value;
}

std::optional<std::string> read_attr_as_text(hid_t obj, const std::string& name) {
  Handle attr(H5Aopen(obj, name.c_str(), H5P_DEFAULT));
  if (!attr) return std::nullopt;
  Handle type(H5Aget_type(attr.get()));
  Handle space(H5Aget_space(attr.get()));
  if (!type || !space || H5Sget_simple_extent_npoints(space.get()) != 1) return std::nullopt;
  switch (H5Tget_class(type.get())) {
    case H5T_STRING:
      return read_string_attr(obj, name, name);
    case H5T_INTEGER:
      return std::to_string(read_int_attr(obj, name, name));
    case H5T_FLOAT:
      return number_text(read_double_attr(obj, name, name));
    default:
      return std::nullopt;
  }
}

void set_checksummed_format(hid_t fapl) {
  H5Pset_libver_bounds(fapl, H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
}

// ---- groups and datasets -------------------------------------------------------------------

bool has_link(hid_t loc, const std::string& name) {
  const htri_t r = H5Lexists(loc, name.c_str(), H5P_DEFAULT);
  if (r < 0) H5Eclear2(H5E_DEFAULT);
  return r > 0;
}

Handle open_group(hid_t loc, const std::string& name, const std::string& where) {
  if (!has_link(loc, name)) fail_at(where, "missing group '" + name + "'");
  return Handle(check(H5Gopen2(loc, name.c_str(), H5P_DEFAULT), where,
                      "'" + name + "' is not a readable group"));
}

Handle create_group(hid_t loc, const std::string& name, const std::string& where,
                    bool track_order) {
  Handle gcpl(H5Pcreate(H5P_GROUP_CREATE));
  if (track_order)
    H5Pset_link_creation_order(gcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
  return Handle(check(H5Gcreate2(loc, name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), where,
                      "cannot create group '" + name + "'"));
}

std::vector<std::string> child_names(hid_t group, const std::string& where) {
  H5G_info_t info;
  check_status(H5Gget_info(group, &info), where, "cannot list group");
  Handle gcpl(H5Gget_create_plist(group));
  unsigned order_flags = 0;
  if (gcpl) H5Pget_link_creation_order(gcpl.get(), &order_flags);
  const H5_index_t index =
      (order_flags & H5P_CRT_ORDER_INDEXED) ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME;
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t len =
        H5Lget_name_by_idx(group, ".", index, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (len < 0) fail(where, "cannot read link name");
    std::string name(static_cast<std::size_t>(len) + 1, '\0');
    H5Lget_name_by_idx(group, ".", index, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT);
    name.resize(static_cast<std::size_t>(len));
    names.push_back(std::move(name));
  }
  return names;
}

Handle open_dataset(hid_t loc, const std::string& name, const std::string& where) {
  if (!has_link(loc, name)) fail_at(where, "missing dataset '" + name + "'");
  return Handle(check(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), where,
                      "'" + name + "' is not a readable dataset"));
}

Handle create_appendable(hid_t loc, const std::string& name, const AppendableSpec& spec,
                         const std::string& where) {
  const int rank = spec.cols == 0 ? 1 : 2;
  const hsize_t cols = std::max<hsize_t>(spec.cols, 1);
  const hsize_t initial[2] = {0, cols};
  const hsize_t maximum[2] = {H5S_UNLIMITED, cols};
  const hsize_t chunk[2] = {std::max<hsize_t>(spec.chunk_rows, 1), cols};
  Handle space(check(H5Screate_simple(rank, initial, maximum), where, "cannot create space"));
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE));
  check_status(H5Pset_chunk(dcpl.get(), rank, chunk), where, "cannot set chunking");
  if (spec.checksum) H5Pset_fletcher32(dcpl.get());
  if (spec.deflate_level > 0) {
    H5Pset_shuffle(dcpl.get());
    H5Pset_deflate(dcpl.get(), static_cast<unsigned>(spec.deflate_level));
  }
  if (spec.nan_fill) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    H5Pset_fill_value(dcpl.get(), H5T_NATIVE_DOUBLE, &nan);
  }
  return Handle(check(
      H5Dcreate2(loc, name.c_str(), spec.type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
      where, "cannot create dataset '" + name + "'"));
}

void append_rows(hid_t dataset, hid_t mem_type, const void* data, std::size_t rows,
                 std::size_t current_rows, const std::string& where) {
  if (rows == 0) return;
  Handle old_space(check(H5Dget_space(dataset), where, "cannot read dataspace"));
  const int rank = H5Sget_simple_extent_ndims(old_space.get());
  hsize_t extent[2] = {0, 1};
  H5Sget_simple_extent_dims(old_space.get(), extent, nullptr);
  extent[0] = current_rows + rows;
  check_status(H5Dset_extent(dataset, extent), where, "cannot extend dataset");
  Handle file_space(check(H5Dget_space(dataset), where, "cannot read dataspace"));
  const hsize_t start[2] = {current_rows, 0};
  const hsize_t count[2] = {rows, extent[1]};
  check_status(
      H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, count, nullptr), where,
      "cannot select rows");
  Handle mem_space(H5Screate_simple(rank, count, nullptr));
  check_status(H5Dwrite(dataset, mem_type, mem_space.get(), file_space.get(), H5P_DEFAULT, data),
               where, "cannot write rows");
}

std::vector<hsize_t> dims(hid_t dataset, const std::string& where) {
  Handle space(check(H5Dget_space(dataset), where, "cannot read dataspace"));
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0) fail(where, "cannot read rank");
  std::vector<hsize_t> d(static_cast<std::size_t>(rank));
  if (rank > 0) H5Sget_simple_extent_dims(space.get(), d.data(), nullptr);
  return d;
}

namespace {

void require_class(hid_t dataset, H5T_class_t expected, const char* what,
                   const std::string& where) {
  Handle type(check(H5Dget_type(dataset), where, "cannot read datatype"));
  if (H5Tget_class(type.get()) != expected) fail_at(where, std::string("expected ") + what);
}

template <typename T>
std::vector<T> read_all(hid_t dataset, hid_t mem_type, std::size_t elements,
                        const std::string& where) {
  std::vector<T> out(elements);
  if (elements > 0)
    check_status(H5Dread(dataset, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), where,
                 "cannot read data");
  return out;
}

}  // namespace

std::vector<double> read_doubles_1d(hid_t dataset, const std::string& where) {
  require_class(dataset, H5T_FLOAT, "floating-point values", where);
  const auto d = dims(dataset, where);
  if (d.size() != 1) fail_at(where, "expected a 1-D dataset, got rank " + std::to_string(d.size()));
  return read_all<double>(dataset, H5T_NATIVE_DOUBLE, d[0], where);
}

std::size_t float_rows_2d(hid_t dataset, std::size_t cols, const std::string& where) {
  require_class(dataset, H5T_FLOAT, "floating-point values", where);
  const auto d = dims(dataset, where);
  if (d.size() != 2 || d[1] != cols) {
    std::string shape;
    for (auto x : d) {
      if (!shape.empty()) shape += 'x';
      shape += std::to_string(x);
    }
    fail_at(where, "expected shape Nx" + std::to_string(cols) + ", got " +
                       (shape.empty() ? "a scalar" : shape));
  }
  return static_cast<std::size_t>(d[0]);
}

void read_doubles_into(hid_t dataset, double* out, std::size_t elements, const std::string& where) {
  if (elements > 0)
    check_status(H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out), where,
                 "cannot read data");
}

std::vector<double> read_doubles_2d(hid_t dataset, std::size_t cols, const std::string& where) {
  const std::size_t rows = float_rows_2d(dataset, cols, where);
  return read_all<double>(dataset, H5T_NATIVE_DOUBLE, rows * cols, where);
}

std::vector<std::int64_t> read_ints_1d(hid_t dataset, const std::string& where) {
  require_class(dataset, H5T_INTEGER, "integer values", where);
  const auto d = dims(dataset, where);
  if (d.size() != 1) fail_at(where, "expected a 1-D dataset, got rank " + std::to_string(d.size()));
  return read_all<std::int64_t>(dataset, H5T_NATIVE_INT64, d[0], where);
}

void write_doubles_1d(hid_t loc, const std::string& name, const std::vector<double>& values,
                      const std::string& where, int deflate_level) {
  AppendableSpec spec;
  spec.deflate_level = deflate_level;
  spec.chunk_rows = std::clamp<std::size_t>(values.size(), 1, 4096);
  Handle ds = create_appendable(loc, name, spec, where);
  append_rows(ds.get(), H5T_NATIVE_DOUBLE, values.data(), values.size(), 0, where + "/" + name);
}

}  // namespace stridelab::storage::h5
