// The steps table as CSV (DESIGN.md "Steps table").
#include <charconv>
#include <cmath>
#include <fstream>

#include "stridelab/core/error.hpp"
#include "stridelab/storage/results_io.hpp"

namespace stridelab::storage {

namespace {

void put(std::string& out, double v) {
  if (std::isnan(v)) return;  // empty cell: not measurable here
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

std::vector<std::string_view> split(std::string_view line) {
  std::vector<std::string_view> cells;
  std::size_t begin = 0;
  while (true) {
    const std::size_t comma = line.find(',', begin);
    cells.push_back(
        line.substr(begin, comma == std::string_view::npos ? line.npos : comma - begin));
    if (comma == std::string_view::npos) return cells;
    begin = comma + 1;
  }
}

// Empty -> NaN (only where `optional`), else a finite number. `at` names file, line, column.
double number(std::string_view cell, bool optional, const std::string& at) {
  if (cell.empty()) {
    if (optional) return kNotMeasured;
    fail_at(at, "must not be empty");
  }
  double v = 0.0;
  const auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
  if (ec != std::errc() || ptr != cell.data() + cell.size() || !std::isfinite(v))
    fail_at(at, "'" + std::string(cell) + "' is not a finite number");
  return v;
}

// How each steps-table column is written and read; the order comes from step_columns().
struct ColumnCodec {
  const char* name;
  void (*write)(std::string& out, const Step& s);
  void (*read)(Step& s, std::string_view cell, const std::string& at);
};

template <double Step::*Field>
void write_number(std::string& out, const Step& s) {
  put(out, s.*Field);
}
template <double Step::*Field, bool kOptional>
void read_number(Step& s, std::string_view cell, const std::string& at) {
  s.*Field = number(cell, kOptional, at);
}
#define STRIDELAB_NUMBER_COLUMN(field, optional)                                \
  ColumnCodec {                                                                 \
#field, write_number < &Step::field>, read_number < &Step::field, optional> \
  }

const std::vector<ColumnCodec>& codecs() {
  static const std::vector<ColumnCodec> table{
      STRIDELAB_NUMBER_COLUMN(time_s, false),
      {"side", [](std::string& out, const Step& s) { out += to_string(s.side); },
       [](Step& s, std::string_view cell, const std::string& at) {
         if (cell != "L" && cell != "R" && !cell.empty())
           fail_at(at, "'" + std::string(cell) + "' is not L, R or empty");
         s.side = side_from_string(std::string(cell));
       }},
      STRIDELAB_NUMBER_COLUMN(step_time_s, true),
      STRIDELAB_NUMBER_COLUMN(cadence_spm, true),
      STRIDELAB_NUMBER_COLUMN(pelvic_drop_deg, true),
      STRIDELAB_NUMBER_COLUMN(trunk_rotation_deg, true),
      STRIDELAB_NUMBER_COLUMN(contact_time_s, true),
      {"flags", [](std::string& out, const Step& s) { out += flags_to_string(s.flags); },
       [](Step& s, std::string_view cell, const std::string& at) {
         try {
           s.flags = flags_from_string(std::string(cell));
         } catch (const Error& e) {
           fail_at(at, e.what());
         }
       }},
      STRIDELAB_NUMBER_COLUMN(side_confidence, false),
  };
  return table;
}
#undef STRIDELAB_NUMBER_COLUMN

// Codecs in step_columns() order; a column without a codec is a programming error.
std::vector<const ColumnCodec*> ordered_codecs() {
  std::vector<const ColumnCodec*> out;
  for (const auto& name : step_columns()) {
    const ColumnCodec* found = nullptr;
    for (const auto& c : codecs())
      if (name == c.name) found = &c;
    if (!found) throw Error("steps table column '" + name + "' has no CSV codec");
    out.push_back(found);
  }
  return out;
}

}  // namespace

std::string format_steps_csv(const std::vector<Step>& steps) {
  const auto order = ordered_codecs();
  std::string out;
  for (std::size_t c = 0; c < order.size(); ++c) {
    if (c) out += ',';
    out += order[c]->name;
  }
  out += '\n';
  for (const Step& s : steps) {
    for (std::size_t c = 0; c < order.size(); ++c) {
      if (c) out += ',';
      order[c]->write(out, s);
    }
    out += '\n';
  }
  return out;
}

void write_steps_csv(const std::filesystem::path& path, const std::vector<Step>& steps) {
  const std::string text = format_steps_csv(steps);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) fail_at(path.string(), "cannot open for writing");
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) fail_at(path.string(), "write failed (disk full?)");
}

std::vector<Step> parse_steps_csv(std::string_view text, const std::string& name) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const auto order = ordered_codecs();
  std::vector<Step> steps;
  std::size_t line_no = 0, pos = 0;
  bool header_seen = false;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const std::string at = name + ":" + std::to_string(line_no);
    const auto cells = split(line);
    if (!header_seen) {
      bool same = cells.size() == order.size();
      for (std::size_t c = 0; same && c < cells.size(); ++c) same = cells[c] == order[c]->name;
      if (!same) {
        std::string want;
        for (const auto* c : order) {
          if (!want.empty()) want += ',';
          want += c->name;
        }
        fail_at(at, "not a steps table: expected the header '" + want + "', got '" +
                        std::string(line) + "'");
      }
      header_seen = true;
      continue;
    }
    if (cells.size() != order.size())
      fail_at(at, "expected " + std::to_string(order.size()) + " columns, got " +
                      std::to_string(cells.size()));
    Step s;
    for (std::size_t c = 0; c < order.size(); ++c)
      order[c]->read(s, cells[c], at + ": column '" + order[c]->name + "'");
    steps.push_back(s);
  }
  if (!header_seen) fail_at(name, "empty file (no header row)");
  return steps;
}

std::vector<Step> read_steps_csv(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail_at(path.string(), "cannot open for reading");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse_steps_csv(text, path.string());
}

}  // namespace stridelab::storage
