#!/usr/bin/env bash
# Formats stresslint's own C/C++ sources with clang-format-16 and the
# repository's .clang-format: lib/, tools/, test/ (not test/fixtures/, whose
# expectations name lines and columns), fuzz/ and bench/. examples/ is a
# user's project and is left as written.
# Usage: scripts/format.sh [--check] [FILE...]
#   --check  change nothing; list the files that would change and exit 1
#   FILE...  only these files (default: all of the above that git tracks)
set -euo pipefail
check=0
if [[ ${1:-} == --check ]]; then check=1; shift; fi
files=()
for f in "$@"; do files+=("$(realpath -m "$f")"); done
cd "$(dirname "$0")/.."
command -v clang-format-16 >/dev/null || { echo "format: clang-format-16 not found (scripts/install-deps.sh)" >&2; exit 2; }
if (( ${#files[@]} == 0 )); then
  mapfile -t files < <(git ls-files -- \
    {lib,tools,test,fuzz,bench}/'*'.{c,cc,cpp,h,hpp} ':!test/fixtures')
fi
if (( check == 0 )); then
  clang-format-16 -i --style=file "${files[@]}"
  echo "format: formatted ${#files[@]} files"
  exit 0
fi
changed=()
for f in "${files[@]}"; do
  clang-format-16 --style=file "$f" | cmp -s - "$f" || changed+=("${f#"$PWD"/}")
done
if (( ${#changed[@]} > 0 )); then
  printf '%s\n' "${changed[@]}"
  echo "format: ${#changed[@]} of ${#files[@]} files are not formatted; run scripts/format.sh" >&2
  exit 1
fi
echo "format: clang-format-16 clean on ${#files[@]} files"
