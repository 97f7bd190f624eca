#pragma once
// One exception type for every bad input the tool can meet. The message names what went
// wrong and where (file, line, dataset, byte offset), so the CLI can print it as one line.
#include <stdexcept>
#include <string>

namespace stridelab {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
};

// Error whose message starts with "<where>: ", e.g. "walk.csv:17: expected 7 columns, got 6".
[[noreturn]] void fail_at(const std::string& where, const std::string& what);

}  // namespace stridelab
