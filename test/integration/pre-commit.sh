#!/usr/bin/env bash
# Integration test of .pre-commit-hooks.yaml with the real pre-commit, offline:
# a hook repository holding this repository's manifest (pinned by commit, as
# users pin `rev:`), a project repository using it, and real `git commit`s.
#   usage: pre-commit.sh <source-dir> <dir containing the stresslint binary>
set -euo pipefail
src=$1
bindir=$2
command -v pre-commit >/dev/null || { echo "FAIL: pre-commit not installed" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/stresslint-pre-commit.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp/home PRE_COMMIT_HOME=$tmp/cache XDG_CACHE_HOME=$tmp/xdg
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=$tmp/home/.gitconfig
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.com
export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.com
export PATH=$bindir:$PATH
mkdir -p "$HOME"
git config --global init.defaultBranch main
git config --global advice.detachedHead false

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# The hook repository: this repository's manifest, committed.
hooks=$tmp/hooks
git init -q "$hooks"
cp "$src/.pre-commit-hooks.yaml" "$hooks/"
git -C "$hooks" add .pre-commit-hooks.yaml
git -C "$hooks" commit -q -m hooks
rev=$(git -C "$hooks" rev-parse HEAD)

# The user's project.
proj=$tmp/project
git init -q "$proj"
cd "$proj"
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: stresslint
      - id: stresslint-sql
YAML
git add .pre-commit-config.yaml
git commit -q -m config
pre-commit install >/dev/null

# commit <message> <expect: pass|fail>: runs the real git commit hook.
commit() {
  local msg=$1 expect=$2 rc=0
  git commit -m "$msg" >"$tmp/out" 2>&1 || rc=$?
  if [[ $expect == pass && $rc -ne 0 ]]; then
    fail "'$msg' should be committed:"; cat "$tmp/out" >&2
  elif [[ $expect == fail && $rc -eq 0 ]]; then
    fail "'$msg' should be refused:"; cat "$tmp/out" >&2
  fi
}
expect_output() {
  grep -qF -- "$1" "$tmp/out" || { fail "output lacks '$1':"; cat "$tmp/out" >&2; }
}

# 1. A C++ anti-pattern is refused, with the diagnostic shown.
mkdir -p src
cat > src/users.cpp <<'CPP'
#include <string>
struct Db { void run(const std::string &sql); };
void list(Db &db) {
  db.run("SELECT * FROM users");
}
CPP
git add src/users.cpp
commit "select star" fail
expect_output "stresslint (C/C++)"
expect_output "src/users.cpp:4:18: warning: '*'"
expect_output "[stress-select-star]"
echo "--- what the user sees when the commit is refused:"
cat "$tmp/out"

# 2. The same line suppressed with NOLINT passes.
sed -i 's|db.run("SELECT \* FROM users");|db.run("SELECT * FROM users"); // NOLINT(stress-select-star)|' src/users.cpp
git add src/users.cpp
commit "nolint" pass

# 3. A clean commit passes, even with an anti-pattern in an unstaged,
#    untracked file: only staged files are linted.
cat > src/later.cpp <<'CPP'
struct Db { void run(const char *sql); };
void page(Db &db) { db.run("SELECT id FROM t ORDER BY id LIMIT 10 OFFSET 900"); }
CPP
cat > src/orders.cpp <<'CPP'
#include <string>
struct Db { void run(const std::string &sql); };
void list(Db &db) {
  db.run("SELECT id, total FROM orders WHERE id > $1 ORDER BY id LIMIT 50");
}
CPP
git add src/orders.cpp
commit "clean" pass
expect_output "stresslint (C/C++)"
expect_output "Passed"

# 4. SQL files have their own hook.
cat > reports.sql <<'SQL'
SELECT id FROM orders ORDER BY id LIMIT 50 OFFSET 1000;
SQL
git add reports.sql
commit "offset" fail
expect_output "stresslint (SQL)"
expect_output "reports.sql:1:44: warning: 'OFFSET 1000'"
expect_output "[stress-offset-pagination]"
printf -- 'SELECT id FROM orders ORDER BY id LIMIT 50 OFFSET 1000; -- NOLINT(stress-offset-pagination)\n' > reports.sql
git add reports.sql
commit "sql nolint" pass

# 5. The manifest through `pre-commit try-repo` too (what users try first).
rc=0
pre-commit try-repo "$hooks" stresslint --files src/later.cpp >"$tmp/out" 2>&1 || rc=$?
[[ $rc -ne 0 ]] || fail "try-repo should fail on src/later.cpp"
expect_output "[stress-offset-pagination]"

# 6. A stresslint that crashes fails the commit; it never passes silently.
#    (A stand-in that dies by SIGSEGV, first on PATH.)
mkdir -p "$tmp/crashing"
printf '#!/bin/sh\nkill -SEGV $$\n' > "$tmp/crashing/stresslint"
chmod +x "$tmp/crashing/stresslint"
printf 'SELECT id FROM orders ORDER BY id LIMIT 50;\n' > clean.sql
git add clean.sql
PATH=$tmp/crashing:$PATH commit "crash" fail
expect_output "stresslint (SQL)"
expect_output "Failed"

if ((failures)); then
  echo "pre-commit integration: $failures failure(s)" >&2
  exit 1
fi
echo "pre-commit integration: all checks passed"
