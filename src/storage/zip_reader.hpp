#pragma once
// A minimal reader of .zip archives for phone-app exports: central directory, members stored or
// deflated (inflated with zlib), CRC-32 checked. No ZIP64, no encryption, no multi-disk archives
// (phone apps write none of them). Private to the storage stage.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace stridelab::storage::zip {

// Member names (with their directories, as stored) of the archive in `bytes`.
std::vector<std::string> list(std::string_view bytes, const std::string& where);

// Every member whose name passes `want` (called with the name as stored), by that name.
// Throws Error "<where>: zip: <member>: <what>" for damage (bad signature, CRC mismatch,
// truncated data, unsupported method) or a member larger than max_member_bytes.
template <class Want>
std::map<std::string, std::string> extract(std::string_view bytes, const std::string& where,
                                           Want want, std::size_t max_member_bytes = 1u << 30);

bool is_zip(std::string_view head);

// --- implementation detail ---
struct Entry {
  std::string name;
  std::uint16_t method = 0;
  std::uint16_t flags = 0;
  std::uint32_t crc = 0;
  std::uint64_t compressed = 0, size = 0, local_offset = 0;
};
std::vector<Entry> entries(std::string_view bytes, const std::string& where);
std::string member(std::string_view bytes, const Entry& e, const std::string& where,
                   std::size_t max_member_bytes);

template <class Want>
std::map<std::string, std::string> extract(std::string_view bytes, const std::string& where,
                                           Want want, std::size_t max_member_bytes) {
  std::map<std::string, std::string> out;
  for (const Entry& e : entries(bytes, where))
    if (want(e.name)) out[e.name] = member(bytes, e, where, max_member_bytes);
  return out;
}

}  // namespace stridelab::storage::zip
