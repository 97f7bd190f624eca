#include "manifest.hpp"

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

}  // namespace

std::string hash_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot open for reading");
  std::vector<char> block(1 << 20);
  std::uint64_t h = kFnvOffset;
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    const auto n = static_cast<std::size_t>(in.gcount());
    for (std::size_t i = 0; i < n; ++i) {
      h ^= static_cast<unsigned char>(block[i]);
      h *= kFnvPrime;
    }
  }
  return hex(h);
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
