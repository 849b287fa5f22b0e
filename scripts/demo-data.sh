#!/usr/bin/env bash
# Loads TPC-H SF 0.01 into the embedded catalog ./quiver-data, once.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/tpch-data.sh 0.01
if [ ! -f quiver-data/.tpch-loaded ]; then
  echo "demo-data: loading TPC-H SF 0.01 into ./quiver-data"
  rm -rf quiver-data
  "${QUIVER:-.build/release/quiver}" --data quiver-data -f data/tpch-sf0.01/load.sql
  touch quiver-data/.tpch-loaded
fi
