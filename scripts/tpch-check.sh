#!/usr/bin/env bash
# Runs TPC-H queries through `quiver --format csv` on a freshly loaded catalog and compares each result
# with the expected answer (DECIMALs exactly, doubles to a relative 1e-9, rows in ORDER BY order).
#   scripts/tpch-check.sh SF [QUERY...]      e.g. scripts/tpch-check.sh 0.01 q01 q06
set -euo pipefail
cd "$(dirname "$0")/.."
sf="${1:-0.01}"; shift || true
queries=("$@")
[ ${#queries[@]} -gt 0 ] || queries=($(cat Tests/TPCH/required.txt))
if [ "$sf" = "0.01" ]; then answers=Tests/TPCH/answers/sf0.01; else answers="benchmarks/tpch/answers/sf$sf"; fi
scripts/tpch-data.sh "$sf"
catalog="data/catalog-sf$sf"
if [ ! -f "$catalog/.tpch-loaded" ]; then
  rm -rf "$catalog"
  "${QUIVER:-.build/release/quiver}" --data "$catalog" -f "data/tpch-sf$sf/load.sql"
  touch "$catalog/.tpch-loaded"
fi
out=$(mktemp -d)
passed=0; failed=0
for query in "${queries[@]}"; do
  start=$(date +%s.%N)
  if "${QUIVER:-.build/release/quiver}" --data "$catalog" --threads "${THREADS:-1}" --format csv -f "benchmarks/tpch/queries/$query.sql" > "$out/$query.csv" 2> "$out/$query.err" \
     && python3 Tests/TPCH/compare.py "$answers/$query.csv" "$out/$query.csv"; then
    passed=$((passed + 1))
    printf '%s ok (%.3f s)\n' "$query" "$(echo "$(date +%s.%N) - $start" | bc)"
  else
    failed=$((failed + 1))
    echo "$query FAILED"; head -20 "$out/$query.err"
  fi
done
echo "tpch: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
