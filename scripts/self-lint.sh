#!/usr/bin/env bash
# Runs clang-tidy-16 with the repository's .clang-tidy over stresslint's own
# sources (lib/, tools/), using the compile commands of build/.
# Usage: scripts/self-lint.sh [FILE.cpp...]   (default: every lib/ and tools/
# source; headers are linted through the sources that include them).
# SELF_LINT_JOBS sets the parallelism (default: the number of processors).
#
# A file clang-tidy found clean is remembered, as ctcache and ccache do, under
# a key that covers everything its result depends on: clang-tidy's version,
# .clang-tidy, the file's compile command and the file as clang-16
# preprocesses it (every header it includes, ours and the system's). The
# checkout's own path is taken out of the key, so a fresh clone of the same
# tree reuses it. Only clean results are remembered: a file with a finding is
# linted, and reported, every time. Preprocessing costs ~1 s a file; linting
# one costs 20-40 s, most of it the checks' matchers walking LLVM's headers.
# The cache lives in ${XDG_CACHE_HOME:-~/.cache}/stresslint-self-lint;
# SELF_LINT_NO_CACHE=1 lints every file.
set -euo pipefail
files=()
for f in "$@"; do files+=("$(realpath -m "$f")"); done
cd "$(dirname "$0")/.."
root=$PWD
[[ -f build/compile_commands.json ]] || { echo "self-lint: configure build/ first" >&2; exit 2; }
mkdir -p build/self-lint
cp build/compile_commands.json build/self-lint/compile_commands.json
if (( ${#files[@]} == 0 )); then
  mapfile -t files < <(git ls-files 'lib/*.cpp' 'tools/*.cpp')
  files=("${files[@]/#/$PWD/}")
fi

cache=${XDG_CACHE_HOME:-$HOME/.cache}/stresslint-self-lint
declare -A keys=()
todo=("${files[@]}")
if [[ -z ${SELF_LINT_NO_CACHE:-} ]]; then
  mkdir -p "$cache"
  config=$({ clang-tidy-16 --version; cat .clang-tidy; } | sha256sum | cut -d' ' -f1)
  # One line per file: the file, its directory and its preprocessing command
  # (NUL-separated arguments, base64), from the compile database, -c/-o dropped.
  commands=$(python3 - build/self-lint/compile_commands.json "${files[@]}" <<'EOF'
import base64, json, shlex, sys
db = {e["file"]: e for e in json.load(open(sys.argv[1]))}
for f in sys.argv[2:]:
    e = db.get(f)
    if e is None:
        print(f, "-", "-")
        continue
    args = e.get("arguments") or shlex.split(e["command"])
    out, skip = ["clang++-16"], False
    for a in args[1:]:
        if skip:
            skip = False
        elif a == "-o":
            skip = True
        elif a not in ("-c", f):
            out.append(a)
    out += ["-E", f]
    print(f, e["directory"], base64.b64encode("\0".join(out).encode()).decode())
EOF
)
  todo=()
  while read -r f dir cmd; do
    key=-
    if [[ $cmd != - ]]; then
      mapfile -d '' -t argv < <(base64 -d <<<"$cmd")
      if pre=$(cd "$dir" && "${argv[@]}" 2>/dev/null | sed "s#$root#@#g" | sha256sum); then
        key=$({ echo "$config"; printf '%s\n' "${argv[@]}" | sed "s#$root#@#g"; echo "${pre%% *}"; } \
          | sha256sum | cut -d' ' -f1)
      fi
    fi
    if [[ $key != - && -e $cache/$key ]]; then
      continue
    fi
    keys[$f]=$key
    todo+=("$f")
  done <<<"$commands"
fi

if (( ${#todo[@]} == 0 )); then
  echo "self-lint: clang-tidy-16 clean on ${#files[@]} files (all unchanged since a clean run)"
  exit 0
fi
if ! out=$(run-clang-tidy-16 -quiet -p build/self-lint -j "${SELF_LINT_JOBS:-$(nproc)}" "${todo[@]}" 2>&1); then
  grep -vE '^(Running clang-tidy|[0-9]+ warnings? generated|Suppressed [0-9]+ warnings|Use -header-filter|Enabled checks:)' <<<"$out"
  echo "self-lint: clang-tidy-16 found problems" >&2
  exit 1
fi
for f in "${todo[@]}"; do
  key=${keys[$f]:--}
  [[ $key == - ]] || : >"$cache/$key"
done
echo "self-lint: clang-tidy-16 clean on ${#files[@]} files (${#todo[@]} linted, $((${#files[@]} - ${#todo[@]})) unchanged since a clean run)"
