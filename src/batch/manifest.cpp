#include "manifest.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <vector>

#include "stridelab/core/error.hpp"
#include "table.hpp"

namespace stridelab::batch {
namespace {

constexpr std::uint64_t kFnvOffset = 14695981039346656037ull;
constexpr std::uint64_t kFnvPrime = 1099511628211ull;

std::string hex(std::uint64_t h) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

void hash_bytes(std::uint64_t& h, const char* bytes, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    h ^= static_cast<unsigned char>(bytes[i]);
    h *= kFnvPrime;
  }
}

void hash_stream(std::uint64_t& h, const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot open for reading");
  std::vector<char> block(1 << 20);
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    hash_bytes(h, block.data(), static_cast<std::size_t>(in.gcount()));
  }
}

}  // namespace

std::string hash_file(const std::filesystem::path& path) {
  std::uint64_t h = kFnvOffset;
  hash_stream(h, path);
  return hex(h);
}

InputFingerprint fingerprint_input(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return {hash_file(path), fs::file_size(path)};
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(path, ec))
    if (e.is_regular_file(ec)) files.push_back(fs::relative(e.path(), path, ec));
  if (ec) throw Error(path.string() + ": cannot list folder: " + ec.message());
  std::sort(files.begin(), files.end());
  InputFingerprint f;
  std::uint64_t h = kFnvOffset;
  for (const fs::path& rel : files) {
    const std::string name = rel.generic_string() + '\0';
    hash_bytes(h, name.data(), name.size());
    hash_stream(h, path / rel);
    f.size += fs::file_size(path / rel);
  }
  f.hash = hex(h);
  return f;
}

std::string hash_text(const std::string& text) {
  std::uint64_t h = kFnvOffset;
  for (unsigned char c : text) {
    h ^= c;
    h *= kFnvPrime;
  }
  return hex(h);
}

nlohmann::json to_json(const Manifest& m) {
  return {{"input_file", m.input_file},     {"input_hash", m.input_hash},
          {"input_size", m.input_size},     {"parameters_hash", m.parameters_hash},
          {"tool_version", m.tool_version}, {"summary", m.summary},
          {"calibration", m.calibration}};
}

std::optional<Manifest> read_manifest(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  try {
    const auto j = nlohmann::json::parse(read_text(path));
    Manifest m;
    m.input_file = j.at("input_file").get<std::string>();
    m.input_hash = j.at("input_hash").get<std::string>();
    m.input_size = j.at("input_size").get<std::uint64_t>();
    m.parameters_hash = j.at("parameters_hash").get<std::string>();
    m.tool_version = j.at("tool_version").get<std::string>();
    m.summary = j.at("summary");
    m.calibration = j.value("calibration", nlohmann::json::object());
    return m;
  } catch (const std::exception&) {
    return std::nullopt;  // damaged manifest: redo the recording
  }
}

}  // namespace stridelab::batch
