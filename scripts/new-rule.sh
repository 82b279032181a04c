#!/usr/bin/env bash
# Scaffolds a rule built from an existing SQL predicate: rules/<id>.yaml,
# docs/rules/<id>.md with the fixed sections, and a fixture with one positive
# and one trap to fill in. Like clang-tidy's add_new_check.py.
#
#   scripts/new-rule.sh stress-<name> <predicate> "<one-line summary>"
#
# The predicates are the binary's (`stresslint --list-primitives`: the SQL
# predicates that work without a context); $STRESSLINT names the binary,
# by default build/bin/stresslint.
set -euo pipefail
cd "$(dirname "$0")/.."
stresslint=${STRESSLINT:-build/bin/stresslint}
[[ -x $stresslint ]] || { echo "new-rule: $stresslint not found: build it, or set STRESSLINT" >&2; exit 2; }
primitives=$("$stresslint" --list-primitives)
# The SQL predicates, less those marked "(with a context only)".
mapfile -t predicates < <(awk '
  function flush() { if (name != "" && !ctx) print name; name = "" }
  /^[^ ]/ { flush(); sql = /^SQL predicates/; next }
  sql && /^    [^ ]/ { flush(); name = $1; ctx = 0; next }
  sql && /\(with a context only\)$/ { ctx = 1 }
  END { flush() }' <<<"$primitives")
if [[ $# -ne 3 ]]; then
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
  echo "Predicates: ${predicates[*]}" >&2
  exit 2
fi
id=$1 predicate=$2 summary=$3
[[ $id =~ ^stress-[a-z0-9-]+$ ]] || { echo "new-rule: id must match stress-[a-z0-9-]+" >&2; exit 2; }
[[ " ${predicates[*]} " == *" $predicate "* ]] || {
  echo "new-rule: unknown predicate '$predicate' (known: ${predicates[*]})" >&2
  exit 2
}
# The options the predicate requires (no default): the rule must declare them.
mapfile -t required < <(awk -v p="$predicate" '
  /^[^ ]/ { sql = /^SQL predicates/; next }
  sql && /^    [^ ]/ { mine = $1 == p; next }
  sql && mine && /^        option .*, required/ { print $2 }' <<<"$primitives")
for f in "rules/$id.yaml" "docs/rules/$id.md" "test/fixtures/sql/${id#stress-}"; do
  [[ ! -e $f ]] || { echo "new-rule: $f exists" >&2; exit 2; }
done

cat > "rules/$id.yaml" <<YAML
id: $id
summary: $summary
severity: warning
status: experimental
message: "'{snippet}' TODO: what it costs the server; what to do instead"
docs: docs/rules/$id.md
match:
  sql: $predicate
YAML
if ((${#required[@]})); then
  echo "options:" >> "rules/$id.yaml"
  for o in "${required[@]}"; do
    printf '  - name: %s\n    default: "1"\n    description: TODO (required by %s)\n' "$o" "$predicate" >> "rules/$id.yaml"
  done
fi

cat > "docs/rules/$id.md" <<MD
# $id

$summary

## Why is this bad?

TODO

## Example

\`\`\`sql
TODO: a statement that triggers the rule
\`\`\`

## Use instead

\`\`\`sql
TODO: the better statement
\`\`\`

## Options

None.

## Known limitations

TODO

## References

TODO
MD

mkdir -p "test/fixtures/sql/${id#stress-}"
cat > "test/fixtures/sql/${id#stress-}/basic.sql" <<SQL
-- TODO: positives and the known traps of $id
-- expect: $id
TODO;

-- ok: $id
TODO;
SQL
echo "new-rule: wrote rules/$id.yaml, docs/rules/$id.md, test/fixtures/sql/${id#stress-}/basic.sql"
echo "new-rule: rebuild (the YAML and docs are embedded) and fill in the TODOs; the docs and fixture tests check them"
