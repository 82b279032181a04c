#!/usr/bin/env bash
# The stresslint benchmark, one command (docs/performance.md):
#
#   bench/run.sh [--quick] [--no-peers] [--scale] [--tus N] [--reps R]
#                [--build DIR] [--work DIR] [--out FILE] [--corpus DIR]
#
# Measures, on this machine and in one run, stresslint against the parse
# floors (clang++-16 -fsyntax-only for C++, bench/pg_floor.c for .sql) and the
# peers (clang-tidy-16 with one cheap check, squawk's native binary, SQLFluff),
# and prints a table of median times and ratios against the targets.
#
#   --quick      tiny sizes (3 --light TUs, 5 .sql files), one repetition:
#                proves the script works (ctest bench_quick)
#   --no-peers   skip clang-tidy, squawk and SQLFluff (installs nothing)
#   --scale      stresslint time and peak RSS on 100, 300, 1000 generated TUs
#                (--scale-sizes to choose; --light TUs unless --scale-heavy);
#                a size estimated to exceed --scale-budget minutes (default
#                20) is extrapolated from the previous one, not run
#   --tus N      size of the generated C++ project (default 12; quick 3)
#   --real-tus N TUs over Qt 6 headers in the real-code rows (default 3;
#                quick 1); --skip-real leaves the real-code rows out
#   --light      C++ TUs with the project's own thin DB/HTTP layers instead of
#                libpqxx/cpp-httplib (bench/gen_project.py --light)
#   --reps R     repetitions, the table shows medians (default 3; quick 1)
#   --build DIR  stresslint build directory (default build)
#   --work DIR   scratch directory (default bench/.cache/work)
#   --out FILE   markdown copy of the table (default bench/results/latest.md)
#   --corpus DIR the PostgreSQL 15 regression corpus of .sql files (default
#                $STRESSLINT_SQL_CORPUS; not in the repository: without it the
#                .sql rows say "n/a (no corpus given)")
#
# Benchmark-only tools are installed here, not by scripts/install-deps.sh:
# sqlfluff (apt), squawk-cli (npm, into bench/.cache/npm, never committed),
# and the headers of the real-code rows: qt6-base-dev and libboost-dev (apt).
# Nothing asserts a speed; the exit status says whether the benchmark ran.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$repo/build"
work=""
out=""
corpus=""
quick=0
no_peers=0
scale=0
extra=()

while (($#)); do
  case "$1" in
    --quick) quick=1 ;;
    --no-peers) no_peers=1 ;;
    --scale) scale=1 ;;
    --build) build=$(cd "$2" && pwd); shift ;;
    --work) work=$2; shift ;;
    --out) out=$2; shift ;;
    --corpus) corpus=$2; shift ;;
    --tus | --reps | --scale-sizes | --scale-budget | --fluff-reps | --real-tus) extra+=("$1" "$2"); shift ;;
    --light | --scale-no-floor | --scale-heavy | --skip-cpp | --skip-sql | --skip-real) extra+=("$1") ;;
    -h | --help) sed -n '2,34p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/run.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

stresslint="$build/bin/stresslint"
if [[ ! -x $stresslint ]]; then
  echo "bench/run.sh: $stresslint not found; build first (cmake --build build)" >&2
  exit 2
fi
cache="$repo/bench/.cache"
: "${work:=$cache/work}"
: "${out:=$repo/bench/results/latest.md}"
mkdir -p "$work"
work=$(cd "$work" && pwd)

: "${corpus:=${STRESSLINT_SQL_CORPUS:-}}"
if [[ -n $corpus ]]; then
  [[ -d $corpus ]] || { echo "bench/run.sh: corpus '$corpus' is not a directory" >&2; exit 2; }
  corpus=$(cd "$corpus" && pwd)
fi

need() { command -v "$1" >/dev/null 2>&1; }
for tool in clang++-16 gcc python3; do
  need "$tool" || { echo "bench/run.sh: $tool is missing (scripts/install-deps.sh)" >&2; exit 2; }
done

# The SQL floor: split + pg_query_parse per statement, nothing else.
pg_floor="$work/pg_floor"
if [[ ! -x $pg_floor || $repo/bench/pg_floor.c -nt $pg_floor ]]; then
  gcc -O2 -Wall -o "$pg_floor.tmp" "$repo/bench/pg_floor.c" -lpg_query
  mv "$pg_floor.tmp" "$pg_floor"
fi

args=(--stresslint "$stresslint" --work "$work" --pg-floor "$pg_floor" --out "$out"
      --clangxx "$(command -v clang++-16)")
[[ -n $corpus ]] && args+=(--corpus "$corpus")
if ((quick)); then
  args+=(--quick --light --tus 3 --reps 1 --scale-sizes 2,4 --real-tus 1)
fi
((no_peers)) && args+=(--no-peers)
((scale)) && args+=(--scale)

if ((!no_peers && !scale)); then
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  if ! need sqlfluff; then
    echo "bench/run.sh: installing sqlfluff (apt)" >&2
    $sudo apt-get install -y -qq --no-install-recommends sqlfluff >&2 ||
      { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends sqlfluff >&2; } ||
      echo "bench/run.sh: sqlfluff unavailable; its row is skipped" >&2
  fi
  need sqlfluff && args+=(--sqlfluff "$(command -v sqlfluff)")
  # The real-code rows' headers (bench/gen_real.py); without them a row says
  # which package is missing.
  real_pkgs=()
  compgen -G "/usr/include/*/qt6/QtSql/QSqlQuery" >/dev/null ||
    [[ -e /usr/include/qt6/QtSql/QSqlQuery ]] || real_pkgs+=(qt6-base-dev)
  [[ -e /usr/include/boost/beast/http.hpp ]] || real_pkgs+=(libboost-dev)
  if ((${#real_pkgs[@]})); then
    echo "bench/run.sh: installing ${real_pkgs[*]} (apt) for the real-code rows" >&2
    $sudo apt-get install -y -qq --no-install-recommends "${real_pkgs[@]}" >&2 ||
      { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${real_pkgs[@]}" >&2; } ||
      echo "bench/run.sh: ${real_pkgs[*]} unavailable; the real-code rows say so" >&2
  fi
  squawk="$cache/npm/node_modules/@squawk-cli/linux-x64/bin/squawk"
  if [[ ! -x $squawk ]] && need npm; then
    echo "bench/run.sh: installing squawk-cli (npm, into bench/.cache/npm)" >&2
    npm install --silent --no-audit --no-fund --prefix "$cache/npm" squawk-cli >&2 ||
      echo "bench/run.sh: squawk-cli unavailable; its row is skipped" >&2
  fi
  # The npm package's entry point is a node wrapper; run the native binary
  # it ships directly, so node's start-up is not counted.
  if [[ ! -x $squawk ]]; then
    squawk=$(find "$cache/npm/node_modules/@squawk-cli" -path '*/bin/squawk' -type f 2>/dev/null | head -n1 || true)
  fi
  [[ -n $squawk && -x $squawk ]] && args+=(--squawk "$squawk")
  need clang-tidy-16 && args+=(--clang-tidy "$(command -v clang-tidy-16)")
fi
((no_peers)) || need clang-tidy-16 || args+=(--no-peers)

exec python3 "$repo/bench/bench.py" "${args[@]}" "${extra[@]}"
