#!/usr/bin/env bash
# `stresslint schema dump` against a real PostgreSQL: the test starts a
# server of its own (initdb in a temporary directory, a Unix socket there,
# no TCP), creates tables, keys and a trigram index, dumps the schema to
# stresslint-schema.json, and checks that `schema show` and a lint run
# offline use it. Skips (exit 77) when no PostgreSQL server is installed.
#   usage: pg-snapshot.sh <stresslint binary>
set -euo pipefail
cli=$(realpath "$1")
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [[ -z $pgbin || ! -x $pgbin/initdb ]]; then
  echo "SKIP: no PostgreSQL server installed (apt-get install postgresql postgresql-contrib)"
  exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/stresslint-pg.XXXXXX")
chmod 755 "$tmp"
# initdb refuses to run as root: the server runs as the postgres user then.
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
mkdir "$tmp/data" "$tmp/sock"
[[ $(id -u) -eq 0 ]] && chown postgres "$tmp/data" "$tmp/sock"
port=54329
stop() {
  as_pg "$pgbin/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap stop EXIT
as_pg "$pgbin/initdb" -D "$tmp/data" -A trust -U stress >"$tmp/initdb.log" 2>&1 ||
  { cat "$tmp/initdb.log" >&2; exit 1; }
as_pg "$pgbin/pg_ctl" -D "$tmp/data" -l "$tmp/data/server.log" -w \
  -o "-k $tmp/sock -c listen_addresses='' -p $port" start >/dev/null
conn="host=$tmp/sock port=$port user=stress dbname=postgres"
psql "$conn" -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE EXTENSION pg_trgm;
CREATE TABLE articles (id bigint PRIMARY KEY, title text NOT NULL, body text);
CREATE INDEX articles_title_trgm ON articles USING gin (title gin_trgm_ops);
CREATE TABLE lines (order_id bigint, line_no int, sku text UNIQUE,
                    PRIMARY KEY (order_id, line_no));
INSERT INTO articles SELECT g, 't' || g, 'b' FROM generate_series(1, 5000) g;
ANALYZE articles;
SQL

project=$tmp/project
mkdir -p "$project/.git" "$project/queries"
cat > "$project/queries/search.sql" <<'SQL'
SELECT id FROM articles WHERE title LIKE '%' || $1 || '%';
SELECT id FROM articles WHERE body LIKE '%' || $1 || '%';
SELECT sku FROM lines WHERE order_id = $1 AND line_no = $2 FOR UPDATE;
SELECT sku FROM lines WHERE order_id = $1 FOR UPDATE;
SQL
fail=0
"$cli" schema dump --db "$conn" --output "$project/stresslint-schema.json" ||
  { echo "FAIL: schema dump exited with $?" >&2; exit 1; }
show=$("$cli" schema show "$project")
echo "--- schema show:"; echo "$show"
for want in "table articles ~5000 rows" \
            "  primary key (id)" \
            "  index articles_title_trgm using gin (title gin_trgm_ops)" \
            "  primary key (order_id, line_no)" \
            "  unique (sku)"; do
  grep -qF -- "$want" <<<"$show" || { echo "FAIL: schema show lacks: $want" >&2; fail=1; }
done
# Offline, from the snapshot: the trigram index silences the title search,
# the whole primary key pins one row; body and half the key still report.
rc=0
out=$(cd "$project" && "$cli" --quiet queries/search.sql) || rc=$?
echo "--- findings:"; echo "$out"
[[ $rc -eq 1 ]] || { echo "FAIL: exit $rc, want 1 (findings)" >&2; fail=1; }
got=$(grep -oE 'queries/search.sql:[0-9]+:[0-9]+: warning: .*\[(stress-[a-z-]+)\]' <<<"$out" |
      sed -E 's/^queries\/search.sql:([0-9]+):.*\[(stress-[a-z-]+)\]$/\1 \2/' | tr '\n' ';' || true)
want="2 stress-leading-wildcard-like;4 stress-unbounded-row-lock;"
[[ $got == "$want" ]] || { echo "FAIL: findings '$got', want '$want'" >&2; fail=1; }
exit $fail
