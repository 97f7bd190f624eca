// libFuzzer target: the movesense decoder (see fuzz_checks.hpp for what is checked).
#include <cstdio>
#include <cstdlib>

#include "fuzz_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string error = stridelab::protocol::fuzz::fuzz_one("movesense", std::span(data, size));
  if (!error.empty()) {
    std::fprintf(stderr, "invariant broken: %s\n", error.c_str());
    std::abort();
  }
  return 0;
}
