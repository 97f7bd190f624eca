#pragma once
// Readers of other devices' recordings, one file each (docs/FILE_FORMAT.md "Other devices'
// files"). Each turns the file into a Recording in SI units on its own clock, or throws Error
// "<file>: <format>: <place>: <what>". recording_io.cpp picks the reader from the content.
// Private to the storage stage.
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "stridelab/storage/recording_io.hpp"

namespace stridelab::storage::foreign {

// Axivity AX3 / AX6 .cwa (cwa_reader.cpp). `bytes` is the whole file. Blocks with a bad
// checksum are skipped and become gaps (cause "checksum"), listed in the attribute
// "import_warnings"; a file with no readable block is an error.
Recording parse_cwa(std::string_view bytes, const std::string& name, const CsvOptions& options);
// True if the bytes start like a CWA header ("MD", packet length 1020).
bool looks_like_cwa(std::string_view head);

// Xsens MT Manager text export ("//" header lines, tab-separated) and Xsens DOT CSV ("sep=,"
// and metadata lines) (xsens_reader.cpp).
Recording parse_xsens_mt(std::string_view text, const std::string& name, const CsvOptions& options);
Recording parse_xsens_dot(std::string_view text, const std::string& name,
                          const CsvOptions& options);
bool looks_like_xsens_mt(std::string_view head);
bool looks_like_xsens_dot(std::string_view head);

// APDM Opal / Mobility Lab HDF5: /Sensors/<id>/{Accelerometer,Gyroscope,Magnetometer,Time}
// (apdm_reader.cpp). One SensorData per sensor, named after its label.
Recording read_apdm(const std::filesystem::path& path, const CsvOptions& options);
bool is_apdm_hdf5(const std::filesystem::path& path);

// Phone apps (phone_reader.cpp): the CSV files of one recording by file name (a folder's or a
// zip's members, names without directories).
using FileSet = std::map<std::string, std::string>;
Recording parse_sensor_logger(const FileSet& files, const std::string& name,
                              const CsvOptions& options);
Recording parse_phyphox(const FileSet& files, const std::string& name, const CsvOptions& options);
bool looks_like_sensor_logger(const FileSet& files);
bool looks_like_phyphox(const FileSet& files);
// A phyphox CSV header: captions with units in parentheses ("Time (s)", "X (m/s^2)").
bool looks_like_phyphox_header(std::string_view head);

}  // namespace stridelab::storage::foreign
