#!/usr/bin/env bash
# Integration test with a real editor: headless Neovim's built-in LSP client
# on stresslint-clangd (which runs the real clangd-16) must show both a
# clangd diagnostic and a stresslint diagnostic on the right lines, and
# stresslint's quick fix (a code action) applied by Neovim must narrow a
# SELECT * in the buffer.
#   usage: neovim.sh <source-dir> <stresslint-clangd binary>
set -euo pipefail
src=$1
wrapper=$2
command -v nvim >/dev/null || { echo "FAIL: nvim not installed" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/stresslint-nvim.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data \
  XDG_STATE_HOME=$tmp/state XDG_CACHE_HOME=$tmp/cache
mkdir -p "$HOME" "$tmp/project/src"
project=$tmp/project
cat > "$project/src/list.cpp" <<'CPP'
#include <string>
struct Db { void run(const std::string &sql); };
void list(Db &db, int page) {
  db.run("SELECT id, name FROM users ORDER BY id LIMIT 20 OFFSET 400");
  int unused = missing_function(page);
}
CPP
cat > "$project/src/names.cpp" <<'CPP'
#include <pqxx/pqxx>
#include <string>
std::string name(pqxx::work &txn) {
  pqxx::result r = txn.exec("SELECT * FROM users WHERE id = 1");
  return r[0]["name"].as<std::string>();
}
CPP
cat > "$project/compile_commands.json" <<JSON
[{"directory": "$project", "file": "src/list.cpp",
  "arguments": ["clang++", "-std=c++17", "-c", "src/list.cpp"]},
 {"directory": "$project", "file": "src/names.cpp",
  "arguments": ["clang++", "-std=c++17", "-c", "src/names.cpp"]}]
JSON

export STRESSLINT_CLANGD=$wrapper PROJECT=$project FILE=$project/src/list.cpp OUT=$tmp/diagnostics.tsv
export FIXFILE=$project/src/names.cpp FIXOUT=$tmp/fixed.cpp
rc=0
timeout 150 nvim --headless --clean -c "luafile $src/test/integration/neovim.lua" </dev/null >"$tmp/nvim.log" 2>&1 || rc=$?
echo "--- diagnostics seen by Neovim (source, line, column, code, message):"
cat "$OUT" 2>/dev/null || true
fail=0
[[ $rc -eq 0 ]] || { echo "FAIL: nvim exited with $rc" >&2; cat "$tmp/nvim.log" >&2; fail=1; }
# clangd: the undeclared function on line 5.
grep -qP '^clang\t5\t\d+\t\S+\t.*missing_function' "$OUT" || { echo "FAIL: no clangd diagnostic on line 5" >&2; fail=1; }
# stresslint: OFFSET on line 4, column of OFFSET, with the rule id as code.
grep -qP '^stresslint\t4\t59\tstress-offset-pagination\t.*OFFSET 400' "$OUT" ||
  { echo "FAIL: no stresslint diagnostic at 4:59" >&2; fail=1; }
echo "--- names.cpp in the buffer after the quick fix:"
cat "$FIXOUT" 2>/dev/null || true
grep -qF 'txn.exec("SELECT name FROM users WHERE id = 1");' "$FIXOUT" ||
  { echo "FAIL: the stresslint quick fix was not applied" >&2; fail=1; }
exit $fail
