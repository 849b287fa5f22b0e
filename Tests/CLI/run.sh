#!/usr/bin/env bash
# End-to-end checks of the `quiver` command line: exit codes, output formats, error rendering, persistence
# across processes. Prints "N passed, M failed" and exits 1 on any failure.
set -uo pipefail
cd "$(dirname "$0")/../.."
quiver="${QUIVER:-$PWD/.build/release/quiver}"; [[ "$quiver" = /* ]] || quiver="$PWD/$quiver"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0; failed=0

check() { # name, expected, actual
  if [ "$2" == "$3" ]; then passed=$((passed + 1)); else failed=$((failed + 1)); printf 'FAIL %s\n  expected: %q\n  got:      %q\n' "$1" "$2" "$3"; fi
}
contains() { # name, needle, haystack
  if [[ "$3" == *"$2"* ]]; then passed=$((passed + 1)); else failed=$((failed + 1)); printf 'FAIL %s\n  expected to contain: %q\n  got: %q\n' "$1" "$2" "$3"; fi
}

cd "$work"
check "select 1+1" $'?column?\n2' "$("$quiver" --data db -c 'SELECT 1 + 1')"
check "exit 0" 0 "$("$quiver" --data db -c 'SELECT 1' >/dev/null; echo $?)"

err=$("$quiver" --data db -c 'SELEC 1' 2>&1 >/dev/null); code=$?
check "syntax error exits 1" 1 "$code"
contains "syntax error position" "line 1, column 1" "$err"
contains "syntax error caret" $'SELEC 1\n' "$err"
contains "syntax error caret line" "^" "$err"
contains "did you mean" "did you mean SELECT?" "$err"

printf 'SELECT 1;\nSELECT x FROM nowhere;\n' > bad.sql
err=$("$quiver" --data db -f bad.sql 2>&1 >/dev/null); code=$?
check "file error exits 1" 1 "$code"
contains "file error position" "bad.sql:2:15" "$err"

# Persistence: one process creates and loads, another reads.
printf 'id,name,price\n1,apple,1.50\n2,"pear, green",2.25\n3,,0.10\n' > fruit.csv
"$quiver" --data db -c "CREATE TABLE fruit (id INTEGER NOT NULL, name VARCHAR, price DECIMAL(10,2)); COPY fruit FROM 'fruit.csv' (HEADER, DELIMITER ',');" >/dev/null
check "persisted count" $'count\n3' "$("$quiver" --data db -c 'SELECT count(*) AS count FROM fruit')"
check "csv quoting" $'id,name,price\n1,apple,1.50\n2,"pear, green",2.25\n3,,0.10' "$("$quiver" --data db --format csv -c 'SELECT * FROM fruit ORDER BY id')"
check "json" $'[\n{"id":1,"name":"apple","price":1.50}\n]' "$("$quiver" --data db --format json -c 'SELECT * FROM fruit WHERE id = 1')"
check "tsv" $'id\tname\n3\tNULL' "$("$quiver" --data db --format tsv -c 'SELECT id, name FROM fruit WHERE id = 3')"
check "markdown" $'| id | name |\n|---:|---|\n| 1 | apple |' "$("$quiver" --data db --format markdown -c 'SELECT id, name FROM fruit WHERE id = 1')"
table=$("$quiver" --data db --format table -c 'SELECT id, name FROM fruit ORDER BY id')
contains "table box" "┌" "$table"
contains "table value" "pear, green" "$table"
check "stdin script" $'n\n3' "$(printf 'SELECT count(*) AS n\nFROM fruit;\n' | "$quiver" --data db)"

# A malformed COPY leaves the table as it was.
printf 'id,name,price\n4,kiwi,1.00\n5,plum,abc\n' > broken.csv
err=$("$quiver" --data db -c "COPY fruit FROM 'broken.csv' (HEADER)" 2>&1 >/dev/null); code=$?
check "bad copy exits 1" 1 "$code"
contains "bad copy names file:line:column" "broken.csv:3:8" "$err"
check "table unchanged" $'count\n3' "$("$quiver" --data db -c 'SELECT count(*) AS count FROM fruit')"

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
