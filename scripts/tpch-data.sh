#!/usr/bin/env bash
# Generates TPC-H CSV data at scale factor SF into data/tpch-sfSF (once) and writes data/tpch-sfSF/load.sql,
# which creates the eight tables and COPYs the files into them.
#   scripts/tpch-data.sh 0.01
set -euo pipefail
cd "$(dirname "$0")/.."
sf="${1:-0.01}"
dir="data/tpch-sf$sf"
if [ ! -f "$dir/.complete" ]; then
  echo "tpch-data: generating SF $sf into $dir"
  rm -rf "$dir"
  mkdir -p "$dir"
  .venv/bin/tpchgen-cli csv -s "$sf" --output-dir "$dir" >/dev/null
  touch "$dir/.complete"
fi
{
  cat benchmarks/tpch/schema.sql
  for table in nation region part supplier partsupp customer orders lineitem; do
    echo "COPY $table FROM '$dir/$table.csv' (HEADER, DELIMITER ',');"
  done
} > "$dir/load.sql"
