#include "stridelab/core/error.hpp"

namespace stridelab {

void fail_at(const std::string& where, const std::string& what) {
  throw Error(where.empty() ? what : where + ": " + what);
}

}  // namespace stridelab
