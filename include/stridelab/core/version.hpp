#pragma once
#include <string_view>

namespace stridelab {

// Tool version ("MAJOR.MINOR.PATCH"), stamped into every output file.
std::string_view version();

}  // namespace stridelab
