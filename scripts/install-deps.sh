#!/usr/bin/env bash
# Installs everything stresslint needs to build, run its example and pass its
# tests, from Debian bookworm's packages. Safe to run again.
set -euo pipefail

packages=(
  # toolchain (g++ brings GCC's libasan and libubsan: scripts/sanitizer-tests.sh)
  build-essential cmake ninja-build pkg-config git
  # LLVM/Clang 16 + clang-tidy's headers and libclangTidy.a
  clang-16 clang-tidy-16 clangd-16 libclang-16-dev libclang-cpp16-dev llvm-16-dev
  # libFuzzer and the sanitizer runtimes for clang-16 (fuzz/)
  libclang-rt-16-dev
  # SQL parser, rules, user patterns, tests
  libpg-query-dev libprotobuf-c-dev rapidjson-dev libyaml-cpp-dev libre2-dev
  googletest libgtest-dev
  # real database/web headers used by the example and the fixtures
  libpqxx-dev libpq-dev libcpp-httplib-dev libsqlite3-dev qtbase5-dev libsoci-dev
  libmysqlcppconn-dev default-libmysqlclient-dev libpoco-dev
  # web frameworks and blocking-call libraries the context-rule fixtures use
  libpistache-dev libcpprest-dev libboost-dev libcurl4-openssl-dev
  # integration tests with the tools users run: pre-commit hooks, an editor
  # (headless Neovim's LSP client on stresslint-clangd)
  pre-commit neovim
  # SARIF reports are validated against the official schema in the tests
  python3 python3-jsonschema
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
