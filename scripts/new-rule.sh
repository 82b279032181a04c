#!/usr/bin/env bash
# Scaffolds a rule built from an existing SQL predicate: rules/<id>.yaml,
# docs/rules/<id>.md with the fixed sections, and a fixture with one positive
# and one trap to fill in. Like clang-tidy's add_new_check.py.
#
#   scripts/new-rule.sh stress-<name> <predicate> "<one-line summary>"
#
# Predicates: select-star offset leading-wildcard row-lock aggregate
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -ne 3 ]]; then
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
id=$1 predicate=$2 summary=$3
[[ $id =~ ^stress-[a-z0-9-]+$ ]] || { echo "new-rule: id must match stress-[a-z0-9-]+" >&2; exit 2; }
case $predicate in select-star|offset|leading-wildcard|row-lock|aggregate) ;;
  *) echo "new-rule: unknown predicate '$predicate'" >&2; exit 2 ;;
esac
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
