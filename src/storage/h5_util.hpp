#pragma once
// Thin RAII layer over the HDF5 C API: handles that close themselves, failures turned into
// stridelab::Error (with HDF5's innermost reason appended), typed attribute and dataset helpers
// that check class and shape before reading. Private to the storage stage.
#include <hdf5.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stridelab::storage::h5 {

// Owns one HDF5 identifier (file, group, dataset, type, space, property list, attribute).
class Handle {
 public:
  Handle() = default;
  explicit Handle(hid_t id) : id_(id) {}
  ~Handle() { reset(); }
  Handle(Handle&& o) noexcept : id_(o.id_) { o.id_ = H5I_INVALID_HID; }
  Handle& operator=(Handle&& o) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  hid_t get() const { return id_; }
  explicit operator bool() const { return id_ >= 0; }
  void reset();
  hid_t release() {  // gives up ownership without closing
    const hid_t id = id_;
    id_ = H5I_INVALID_HID;
    return id;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
};

// Turns off HDF5's printing of its error stack for the calling thread (the library is built
// thread-safe, so the setting is per thread). Called at every storage entry point.
void quiet();

// HDF5's innermost reason for the last failure on this thread ("" if none); clears the stack.
std::string take_reason();

// Throws Error("<where>: <what> (HDF5: <innermost reason>)") and clears HDF5's error stack.
[[noreturn]] void fail(const std::string& where, const std::string& what);

// Return the id / status if the call succeeded, else fail(where, what).
hid_t check(hid_t id, const std::string& where, const std::string& what);
void check_status(herr_t status, const std::string& where, const std::string& what);

// "<file>:/sensors/pelvis/acc" style locations for messages.
std::string location(const std::string& file, const std::string& object);

// ---- attributes ----------------------------------------------------------------------------
bool has_attr(hid_t obj, const std::string& name);
std::vector<std::string> attr_names(hid_t obj, const std::string& where);
void delete_attr_if_present(hid_t obj, const std::string& name);
// Scalar attributes. Strings are fixed-length UTF-8, NUL-padded (h5py: bytes, .decode()).
void write_attr(hid_t obj, const std::string& name, const std::string& value,
                const std::string& where);
void write_attr(hid_t obj, const std::string& name, double value, const std::string& where);
void write_attr(hid_t obj, const std::string& name, std::int64_t value, const std::string& where);
void write_attr(hid_t obj, const std::string& name, std::uint8_t value, const std::string& where);
// Readers accept any string kind (fixed or variable length) and any integer / float width,
// and throw if the attribute is missing (required) or of another class.
std::string read_string_attr(hid_t obj, const std::string& name, const std::string& where);
double read_double_attr(hid_t obj, const std::string& name, const std::string& where);
std::int64_t read_int_attr(hid_t obj, const std::string& name, const std::string& where);
// Any scalar string or number as text (for free-form metadata); nullopt for anything else.
std::optional<std::string> read_attr_as_text(hid_t obj, const std::string& name);

// File access list settings for every file stridelab creates: HDF5 1.10 format (checksummed
// metadata; readable by HDF5 >= 1.10, h5py, MATLAB R2021b+, R hdf5r).
void set_checksummed_format(hid_t fapl);

// ---- groups and datasets -------------------------------------------------------------------
bool has_link(hid_t loc, const std::string& name);
Handle open_group(hid_t loc, const std::string& name, const std::string& where);
Handle create_group(hid_t loc, const std::string& name, const std::string& where,
                    bool track_order = false);
// Child group names, in creation order when the group tracks it, else by name.
std::vector<std::string> child_names(hid_t group, const std::string& where);
Handle open_dataset(hid_t loc, const std::string& name, const std::string& where);

// Chunked, optionally deflated, unlimited along rows: `cols` == 0 makes it 1-D.
struct AppendableSpec {
  hid_t type = H5T_NATIVE_DOUBLE;
  std::size_t cols = 0;
  std::size_t chunk_rows = 4096;
  int deflate_level = 1;  // 0 = no filter
  bool nan_fill = true;   // unwritten float elements read as NaN, not 0
  bool checksum = true;   // Fletcher-32 per chunk: damaged raw data is an error
};
Handle create_appendable(hid_t loc, const std::string& name, const AppendableSpec& spec,
                         const std::string& where);
// Extends the dataset by `rows` and writes them (row-major, `rows * max(cols,1)` elements of
// `mem_type`) after the current last row.
void append_rows(hid_t dataset, hid_t mem_type, const void* data, std::size_t rows,
                 std::size_t current_rows, const std::string& where);

// Dimensions of a dataset's dataspace.
std::vector<hsize_t> dims(hid_t dataset, const std::string& where);
// Whole-dataset reads with class and shape checks: float class, rank 1 / rank 2 with `cols`.
std::vector<double> read_doubles_1d(hid_t dataset, const std::string& where);
std::vector<double> read_doubles_2d(hid_t dataset, std::size_t cols, const std::string& where);
// Rows of a float dataset of shape N x `cols` (shape and class checked, as above).
std::size_t float_rows_2d(hid_t dataset, std::size_t cols, const std::string& where);
// Reads the whole dataset as doubles straight into `out` (room for rows * cols values): one
// H5Dread into the caller's memory, no intermediate copy. float32 files convert on the way.
void read_doubles_into(hid_t dataset, double* out, std::size_t elements, const std::string& where);
// Integer class check, any width (read as int64).
std::vector<std::int64_t> read_ints_1d(hid_t dataset, const std::string& where);
// A whole 1-D float column at once (result tables), with the same chunking and filters.
void write_doubles_1d(hid_t loc, const std::string& name, const std::vector<double>& values,
                      const std::string& where, int deflate_level = 1);

}  // namespace stridelab::storage::h5
