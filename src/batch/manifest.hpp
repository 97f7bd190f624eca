#pragma once
// Per-recording manifest: what went in (content hash, parameters, version) and the summary
// that came out. A result is up to date when all three match and its files exist.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace stridelab::batch {

// FNV-1a 64-bit of a file's bytes, as 16 hex digits. Throws Error if unreadable.
std::string hash_file(const std::filesystem::path& path);
// What a recording's result depends on: a file's bytes, or for a recording that is a folder
// (a phone app's export) the names and bytes of its files in name order. Size in bytes.
struct InputFingerprint {
  std::string hash;
  std::uint64_t size = 0;
};
InputFingerprint fingerprint_input(const std::filesystem::path& path);
std::string hash_text(const std::string& text);

struct Manifest {
  std::string input_file;  // relative to the study folder
  std::string input_hash;
  std::uint64_t input_size = 0;
  std::string parameters_hash;
  std::string tool_version;
  nlohmann::json summary;  // the summary JSON of the analysis
  nlohmann::json calibration;
};

nlohmann::json to_json(const Manifest& m);
// Empty if the file is missing or unreadable (then the recording is simply redone).
std::optional<Manifest> read_manifest(const std::filesystem::path& path);

}  // namespace stridelab::batch
