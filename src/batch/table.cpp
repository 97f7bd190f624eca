#include "table.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "stridelab/core/error.hpp"

namespace stridelab::batch {
namespace {

void append_cell(std::string& out, const std::string& cell) {
  if (cell.find_first_of(",\"\r\n") == std::string::npos) {
    out += cell;
    return;
  }
  out += '"';
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

std::string format_csv(const TextTable& table) {
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i) out += ',';
      append_cell(out, cells[i]);
    }
    out += '\n';
  };
  line(table.columns);
  for (const auto& row : table.rows) line(row);
  return out;
}

TextTable parse_csv(std::string_view text, const std::string& name) {
  TextTable table;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false, any = false;
  int line = 1, row_line = 1;
  auto end_row = [&] {
    row.push_back(std::move(cell));
    cell.clear();
    if (table.columns.empty()) {
      table.columns = std::move(row);
    } else if (row.size() != table.columns.size()) {
      throw Error(name + ":" + std::to_string(row_line) + ": expected " +
                  std::to_string(table.columns.size()) + " cells, got " +
                  std::to_string(row.size()));
    } else {
      table.rows.push_back(std::move(row));
    }
    row.clear();
    any = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        cell += c;
      }
      continue;
    }
    if (c == '"' && cell.empty()) {
      quoted = any = true;
    } else if (c == ',') {
      row.push_back(std::move(cell));
      cell.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (any || !cell.empty() || !row.empty()) end_row();
      row_line = ++line;
    } else {
      cell += c;
      any = true;
    }
  }
  if (quoted) throw Error(name + ":" + std::to_string(row_line) + ": unterminated quoted cell");
  if (any || !cell.empty() || !row.empty()) end_row();
  if (table.columns.empty()) throw Error(name + ": empty table (no header)");
  return table;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot open for reading");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TextTable read_csv(const std::filesystem::path& path) {
  return parse_csv(read_text(path), path.string());
}

void write_text_atomic(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(tmp.string() + ": cannot open for writing");
    out << text;
    out.flush();
    if (!out) throw Error(tmp.string() + ": write failed");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw Error(path.string() + ": cannot replace: " + ec.message());
}

std::string format_number(double v) {
  if (std::isnan(v)) return "";
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, ptr) : std::string();
}

void flatten_json(const nlohmann::json& j, const std::string& prefix,
                  std::vector<std::pair<std::string, std::string>>& out) {
  if (j.is_object()) {
    for (const auto& [key, value] : j.items())
      flatten_json(value, prefix.empty() ? key : prefix + "." + key, out);
    return;
  }
  std::string cell;
  if (j.is_null())
    cell = "";
  else if (j.is_number_float())
    cell = format_number(j.get<double>());
  else if (j.is_number())
    cell = j.dump();
  else if (j.is_string())
    cell = j.get<std::string>();
  else if (j.is_boolean())
    cell = j.get<bool>() ? "true" : "false";
  else
    cell = j.dump();
  out.emplace_back(prefix, std::move(cell));
}

TextTable build_table(const std::vector<std::vector<std::pair<std::string, std::string>>>& rows,
                      const std::vector<std::string>& leading,
                      const std::vector<std::string>& required) {
  std::set<std::string> names(required.begin(), required.end());
  for (const auto& row : rows)
    for (const auto& [k, v] : row) names.insert(k);
  TextTable table;
  for (const auto& l : leading)
    if (names.erase(l)) table.columns.push_back(l);
  table.columns.insert(table.columns.end(), names.begin(), names.end());
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < table.columns.size(); ++i) index[table.columns[i]] = i;
  for (const auto& row : rows) {
    std::vector<std::string> cells(table.columns.size());
    for (const auto& [k, v] : row) cells[index[k]] = v;
    table.rows.push_back(std::move(cells));
  }
  return table;
}

}  // namespace stridelab::batch
