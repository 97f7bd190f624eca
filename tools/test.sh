#!/usr/bin/env bash
# The whole test suite (the README's second command; .ci/run runs it after tools/setup.sh):
#  1. short libFuzzer runs of every protocol decoder (clang, ASan + UBSan + LeakSanitizer),
#     in their own build tree build-fuzz/ (only the fuzz targets are built there);
#  2. every CTest test of build/ (unit, integration, accuracy, fuzz invariants), last, so its
#     summary line is the closing line.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
[[ -x build/stridelab ]] || { echo "test.sh: build/ is missing: run tools/setup.sh first" >&2; exit 1; }

if command -v clang++ >/dev/null 2>&1; then
  echo "test.sh: libFuzzer runs (build-fuzz/)"
  cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DSTRIDELAB_BUILD_GUI=OFF \
    -DSTRIDELAB_BUILD_BENCH=OFF -DSTRIDELAB_BUILD_FUZZERS=ON > build-fuzz.log 2>&1 ||
    { cat build-fuzz.log; exit 1; }
  cmake --build build-fuzz --target fuzz_stridelab fuzz_witmotion fuzz_witmotion_ble fuzz_movesense fuzz_cwa >> build-fuzz.log 2>&1 ||
    { tail -50 build-fuzz.log; exit 1; }
  ctest --test-dir build-fuzz -R '^fuzz_run\.' --output-on-failure
else
  echo "test.sh: clang++ not found: libFuzzer runs skipped (tools/setup.sh installs clang)" >&2
fi

ctest --test-dir build --output-on-failure -j 2
