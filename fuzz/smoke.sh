#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-16 and runs each for a short time
# (default 25 s) on a corpus seeded from the fixtures and the rule YAML.
# Usage: fuzz/smoke.sh [seconds]. Crash inputs land in build-fuzz/crashes/.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-25}
cmake -S fuzz -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++-16 -DCMAKE_C_COMPILER=clang-16 >/dev/null
cmake --build build-fuzz
mkdir -p build-fuzz/corpus/sql build-fuzz/corpus/rules build-fuzz/corpus/lsp build-fuzz/corpus/cpp build-fuzz/crashes
find test/fixtures -name '*.sql' -exec cp {} build-fuzz/corpus/sql/ \;
cp fuzz/regressions/sql/* build-fuzz/corpus/sql/ 2>/dev/null || true
cp rules/*.yaml rules/apis/*.yaml build-fuzz/corpus/rules/
cp fuzz/regressions/rules/* build-fuzz/corpus/rules/ 2>/dev/null || true
# LSP seeds: framed didOpen/didChange/hover messages as an editor sends them.
lsp_frame() { printf 'Content-Length: %d\r\n\r\n%s' "${#1}" "$1"; }
lsp_frame '{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///w/a%20b.cpp","languageId":"cpp","version":1,"text":"int x;\n"}}}' \
  >build-fuzz/corpus/lsp/open
{ lsp_frame '{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///w/a.cpp","version":2},"contentChanges":[{"range":{"start":{"line":1,"character":2},"end":{"line":1,"character":8}},"text":"r\u00e9turn"}]}}'
  lsp_frame '{"jsonrpc":"2.0","id":3,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///w/a.cpp"},"position":{"line":0,"character":4}}}'
} >build-fuzz/corpus/lsp/change-hover
cp fuzz/regressions/lsp/* build-fuzz/corpus/lsp/ 2>/dev/null || true
# C++ seeds: "1" + SQL pieces the fixed function assembles (FuzzCpp.cpp), and
# "0" + a function body as written, with calls on unknown names.
printf '1SELECT * FROM posts WHERE title LIKE '"'"'%%\n ORDER BY id LIMIT \n OFFSET \n FOR UPDATE\n%%\nSELECT id FROM t WHERE a = %%d LIMIT %%d, %%s\n WHERE x = 1\nSELECT count(*) FROM t' \
  >build-fuzz/corpus/cpp/assembled
printf '0std::string q = "SELECT * FROM t";\nfor (int i = 0; i < n; ++i) { q += " OFFSET " + std::to_string(i); repo.load(i); d.query(q); }\nunknown.exec(QString("SELECT a FROM b WHERE c LIKE %%1").arg(n));' \
  >build-fuzz/corpus/cpp/body
# "0" + loops a run without headers drops and re-spells (range-for, foreach).
printf '0for (auto &r : rows.all()) { d.query("SELECT * FROM t WHERE id = " + r.id); }\nforeach (const QString &s, names) { d.query(s); }\nfor (auto x : c ? a : b) {}' \
  >build-fuzz/corpus/cpp/loops
printf '0QSqlQuery q(QString("%%1 ORDER BY id LIMIT %%2 OFFSET %%3").arg(kBase).arg(n, m));\nq.exec(QString::asprintf("SELECT id FROM t LIMIT %%d OFFSET %%d", 20, 0));\nstatic const QString c = QStringLiteral("name LIKE '"'"'%%1%%'"'"'"); c.arg(w);\nd.query("BEGIN; SELECT id FROM t FOR UPDATE; COMMIT;");\nr.route("/x").methods("GET")([&] { sleep(1); });' \
  >build-fuzz/corpus/cpp/templates
cp fuzz/regressions/cpp/* build-fuzz/corpus/cpp/ 2>/dev/null || true
for target in sql rules lsp cpp; do
  echo "fuzz: fuzz_$target for ${secs}s"
  status=0
  build-fuzz/fuzz_$target -max_total_time="$secs" -max_len=4096 -rss_limit_mb=2048 \
    -timeout=25 -artifact_prefix=build-fuzz/crashes/$target- -print_final_stats=1 \
    build-fuzz/corpus/$target >build-fuzz/$target.log 2>&1 || status=$?
  grep -E '^(#[0-9]+ *DONE|stat::number_of_executed_units)' build-fuzz/$target.log || true
  if ((status != 0)); then
    tail -40 build-fuzz/$target.log >&2
    echo "fuzz: fuzz_$target failed (exit $status); input in build-fuzz/crashes/" >&2
    exit 1
  fi
done
echo "fuzz: no crash"
