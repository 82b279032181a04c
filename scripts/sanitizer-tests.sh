#!/usr/bin/env bash
# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer (GCC,
# Debug: assertions on, including those in LLVM's headers; LLVM, Clang,
# yaml-cpp and libpg_query are Debian's uninstrumented libraries). Run by
# .ci/run; docs/security.md ("Sanitizers") says what it covers, what a
# sanitizer build leaves out and why, and how long it takes.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSTRESSLINT_SANITIZE=ON
cmake --build build-asan
# Leaks: see .ci/lsan.supp. UBSAN_OPTIONS sets no exitcode/abort_on_error:
# RobustTest.CrashingTranslationUnitIsIsolated expects UBSan's default exit
# code from the worker it crashes. -j2: the tests are independent (each has
# its own temporary directory); both cores of the CI machine.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 LSAN_OPTIONS="suppressions=$PWD/.ci/lsan.supp" \
  UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir build-asan -j2 --output-on-failure
