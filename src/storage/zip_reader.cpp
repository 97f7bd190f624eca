// Zip facts used (PKWARE APPNOTE): end-of-central-directory record 0x06054b50 within the last
// 64 KiB + 22 bytes (@10 entries, @12 directory size, @16 directory offset); directory entries
// 0x02014b50 (@8 flags, @10 method, @16 CRC-32, @20 compressed and @24 uncompressed size,
// @28/@30/@32 name/extra/comment lengths, @42 local header offset, @46 name); local headers
// 0x04034b50 (@26/@28 name/extra lengths, data after 30 + both). Method 0 stored, 8 deflate.
#include "storage/zip_reader.hpp"

#include <zlib.h>

#include <cstdint>

#include "stridelab/core/crc.hpp"
#include "stridelab/core/error.hpp"

namespace stridelab::storage::zip {
namespace {

std::uint32_t u16(std::string_view b, std::size_t at) {
  return static_cast<unsigned char>(b[at]) | (static_cast<unsigned char>(b[at + 1]) << 8);
}
std::uint32_t u32(std::string_view b, std::size_t at) {
  return u16(b, at) | (u16(b, at + 2) << 16);
}

}  // namespace

bool is_zip(std::string_view head) {
  return head.size() >= 4 && head.substr(0, 4) == std::string_view("PK\x03\x04", 4);
}

std::vector<Entry> entries(std::string_view bytes, const std::string& where) {
  const std::string at = where + ": zip";
  if (bytes.size() < 22)
    fail_at(at, "too short for a zip archive (" + std::to_string(bytes.size()) + " bytes)");
  std::size_t eocd = std::string_view::npos;
  const std::size_t lowest = bytes.size() > 65557 ? bytes.size() - 65557 : 0;
  for (std::size_t i = bytes.size() - 22 + 1; i-- > lowest;)
    if (u32(bytes, i) == 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd == std::string_view::npos)
    fail_at(at, "no end-of-central-directory record (the archive is cut off or damaged)");
  const std::uint32_t count = u16(bytes, eocd + 10);
  const std::uint64_t dir_size = u32(bytes, eocd + 12);
  std::uint64_t pos = u32(bytes, eocd + 16);
  if (count == 0xFFFF || pos == 0xFFFFFFFF) fail_at(at, "ZIP64 archives are not supported");
  if (pos + dir_size > eocd)
    fail_at(at, "central directory at byte " + std::to_string(pos) + " lies outside the archive");
  std::vector<Entry> out;
  for (std::uint32_t k = 0; k < count; ++k) {
    if (pos + 46 > eocd || u32(bytes, pos) != 0x02014b50)
      fail_at(at, "central directory entry " + std::to_string(k) + " (byte " + std::to_string(pos) +
                      ") is damaged");
    Entry e;
    e.flags = static_cast<std::uint16_t>(u16(bytes, pos + 8));
    e.method = static_cast<std::uint16_t>(u16(bytes, pos + 10));
    e.crc = u32(bytes, pos + 16);
    e.compressed = u32(bytes, pos + 20);
    e.size = u32(bytes, pos + 24);
    const std::size_t name_len = u16(bytes, pos + 28);
    const std::size_t extra = u16(bytes, pos + 30) + u16(bytes, pos + 32);
    e.local_offset = u32(bytes, pos + 42);
    if (pos + 46 + name_len > eocd)
      fail_at(at, "central directory entry " + std::to_string(k) + " is cut off");
    e.name = std::string(bytes.substr(pos + 46, name_len));
    pos += 46 + name_len + extra;
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<std::string> list(std::string_view bytes, const std::string& where) {
  std::vector<std::string> names;
  for (const Entry& e : entries(bytes, where)) names.push_back(e.name);
  return names;
}

std::string member(std::string_view bytes, const Entry& e, const std::string& where,
                   std::size_t max_member_bytes) {
  const std::string at = where + ": zip: " + e.name;
  if (e.flags & 1) fail_at(at, "is encrypted");
  if (e.size > max_member_bytes)
    fail_at(at, "is " + std::to_string(e.size) + " bytes uncompressed (limit " +
                    std::to_string(max_member_bytes) + ")");
  const std::uint64_t lh = e.local_offset;
  if (lh + 30 > bytes.size() || u32(bytes, lh) != 0x04034b50)
    fail_at(at, "local header at byte " + std::to_string(lh) + " is missing or damaged");
  const std::uint64_t data = lh + 30 + u16(bytes, lh + 26) + u16(bytes, lh + 28);
  if (data + e.compressed > bytes.size())
    fail_at(at, "data cut off (needs bytes " + std::to_string(data) + "-" +
                    std::to_string(data + e.compressed) + ", the archive has " +
                    std::to_string(bytes.size()) + ")");
  const std::string_view packed = bytes.substr(data, e.compressed);
  std::string out;
  if (e.method == 0) {
    if (e.compressed != e.size) fail_at(at, "stored member with two different sizes");
    out = std::string(packed);
  } else if (e.method == 8) {
    // Deflate expands at most ~1032:1: a larger declared size is damage (or a zip bomb), and
    // must not be allocated.
    if (e.size > e.compressed * 1100 + 1024)
      fail_at(at, "declares " + std::to_string(e.size) + " bytes from " +
                      std::to_string(e.compressed) + " compressed (damaged)");
    out.resize(e.size);
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK) fail_at(at, "cannot start inflating");
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
    z.avail_in = static_cast<uInt>(packed.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&z, Z_FINISH);
    const std::uint64_t produced = z.total_out;
    inflateEnd(&z);
    if (rc != Z_STREAM_END || produced != e.size)
      fail_at(at, "deflate data damaged (" +
                      std::string(rc == Z_DATA_ERROR ? "bad data" : "wrong length") + ")");
  } else {
    fail_at(at, "compression method " + std::to_string(e.method) +
                    " is not supported (stored or deflate)");
  }
  if (crc32(Crc32Variant::kIsoHdlc, out.data(), out.size()) != e.crc)
    fail_at(at, "CRC-32 mismatch (damaged archive)");
  return out;
}

}  // namespace stridelab::storage::zip
