#pragma once
// A small text table with CSV in and out, exactly reversible: cells are kept as the text
// that is written, so joining shards reproduces a single run byte for byte.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace stridelab::batch {

struct TextTable {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  // each the size of columns
};

// RFC 4180 quoting where needed (comma, quote, CR/LF), '\n' line ends, header first.
std::string format_csv(const TextTable& table);
// Inverse of format_csv; throws Error naming `name` and the line on malformed input.
TextTable parse_csv(std::string_view text, const std::string& name);
TextTable read_csv(const std::filesystem::path& path);
// Writes via a temporary file and rename, so readers never see half a table.
void write_text_atomic(const std::filesystem::path& path, const std::string& text);
std::string read_text(const std::filesystem::path& path);

// Shortest text that reads back as the same double; "" for NaN.
std::string format_number(double v);
// Flattens a JSON object to "a.b.c" -> cell text (numbers via format_number, null -> "",
// arrays as compact JSON).
void flatten_json(const nlohmann::json& j, const std::string& prefix,
                  std::vector<std::pair<std::string, std::string>>& out);

// Rows given as (column, value) lists become one table whose columns are the union, in a
// canonical order that depends only on the set of names: `leading` first (those present),
// then the rest alphabetically. `required` columns are there even without rows.
TextTable build_table(const std::vector<std::vector<std::pair<std::string, std::string>>>& rows,
                      const std::vector<std::string>& leading,
                      const std::vector<std::string>& required = {});

}  // namespace stridelab::batch
