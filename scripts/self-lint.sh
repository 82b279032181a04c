#!/usr/bin/env bash
# Runs clang-tidy-16 with the repository's .clang-tidy over stresslint's own
# sources (lib/, tools/), using the compile commands of build/.
# Usage: scripts/self-lint.sh [FILE.cpp...]   (default: every lib/ and tools/
# source; headers are linted through the sources that include them).
# SELF_LINT_JOBS sets the parallelism (default: the number of processors).
set -euo pipefail
files=()
for f in "$@"; do files+=("$(realpath -m "$f")"); done
cd "$(dirname "$0")/.."
[[ -f build/compile_commands.json ]] || { echo "self-lint: configure build/ first" >&2; exit 2; }
# GCC's precompiled header is not readable by clang: lint without it.
mkdir -p build/self-lint
sed -E 's# -include [^ ]*cmake_pch\.hxx##g; s# -Winvalid-pch##g' \
  build/compile_commands.json > build/self-lint/compile_commands.json
if (( ${#files[@]} == 0 )); then
  mapfile -t files < <(git ls-files 'lib/*.cpp' 'tools/*.cpp')
  files=("${files[@]/#/$PWD/}")
fi
if ! out=$(run-clang-tidy-16 -quiet -p build/self-lint -j "${SELF_LINT_JOBS:-$(nproc)}" "${files[@]}" 2>&1); then
  grep -vE '^(Running clang-tidy|[0-9]+ warnings? generated|Suppressed [0-9]+ warnings|Use -header-filter|Enabled checks:)' <<<"$out"
  echo "self-lint: clang-tidy-16 found problems" >&2
  exit 1
fi
echo "self-lint: clang-tidy-16 clean on ${#files[@]} files"
