#!/usr/bin/env bash
# Installs everything stresslint needs to build, run its example and pass its
# tests, from Debian bookworm's packages. Safe to run again.
set -euo pipefail

packages=(
  # toolchain (g++ brings GCC's libasan and libubsan: scripts/sanitizer-tests.sh)
  build-essential cmake ninja-build pkg-config git
  # LLVM/Clang 16 + clang-tidy's headers and libclangTidy.a; clang-format-16
  # for scripts/format.sh
  clang-16 clang-tidy-16 clang-format-16 clangd-16 libclang-16-dev libclang-cpp16-dev
  llvm-16-dev
  # what LLVM's static archives link against (the CLI links them statically)
  libz3-dev libzstd-dev zlib1g-dev libncurses-dev
  # libFuzzer and the sanitizer runtimes for clang-16 (fuzz/)
  libclang-rt-16-dev
  # SQL parser, rules, user patterns, tests
  libpg-query-dev libprotobuf-c-dev rapidjson-dev libyaml-cpp-dev libre2-dev
  googletest libgtest-dev
  # real database/web headers used by the example and the fixtures
  libpqxx-dev libpq-dev libcpp-httplib-dev libsqlite3-dev qtbase5-dev qt6-base-dev libsoci-dev
  libmysqlcppconn-dev default-libmysqlclient-dev libpoco-dev unixodbc-dev libsqlitecpp-dev
  libmysql++-dev
  # web frameworks and blocking-call libraries the context-rule fixtures use
  libpistache-dev libcpprest-dev libboost-dev libcurl4-openssl-dev libmicrohttpd-dev
  libcivetweb-dev
  # integration tests with the tools users run: pre-commit hooks, an editor
  # (headless Neovim's LSP client on stresslint-clangd)
  pre-commit neovim
  # `stresslint schema dump` is tested against a real PostgreSQL server the
  # test starts itself (with pg_trgm from contrib)
  postgresql postgresql-contrib
  # SARIF reports are validated against the official schema in the tests
  python3 python3-jsonschema
)
# npm fetches that schema (below); Debian's npm only where none is on PATH.
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
else
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The official SARIF 2.1.0 schema (OASIS, rtm.5) the SARIF tests validate
# against. No Debian package ships it; Microsoft's @microsoft/jest-sarif does.
# Pinned by version and by the schema's own SHA-256, kept in the user's cache
# (test/CMakeLists.txt looks for it there), apart from stresslint's result cache.
sarif_dir="${XDG_CACHE_HOME:-$HOME/.cache}/stresslint-deps"
sarif_schema="$sarif_dir/sarif-2.1.0-rtm.5.json"
sarif_sha256=2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8
if ! echo "$sarif_sha256  $sarif_schema" | sha256sum --check --status 2>/dev/null; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null &&
     tar xzf microsoft-jest-sarif-1.0.0-beta.0.tgz package/lib/schemas/sarif-2.1.0-rtm.5.json)
  echo "$sarif_sha256  $tmp/package/lib/schemas/sarif-2.1.0-rtm.5.json" | sha256sum --check --status || {
    echo "install-deps: the SARIF schema from npm does not have the pinned SHA-256" >&2
    exit 1
  }
  mkdir -p "$sarif_dir"
  mv "$tmp/package/lib/schemas/sarif-2.1.0-rtm.5.json" "$sarif_schema"
  echo "install-deps: SARIF schema in $sarif_schema"
fi
