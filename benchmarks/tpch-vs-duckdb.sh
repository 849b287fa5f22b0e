#!/usr/bin/env bash
# Times the 22 TPC-H queries in Quiver and DuckDB on the same tpchgen-cli data, side by side, and prints the
# ratio Quiver/DuckDB (below 1 means Quiver is faster). Best of RUNS runs each, THREADS threads each.
#   benchmarks/tpch-vs-duckdb.sh [SF] [QUERY...]        e.g. benchmarks/tpch-vs-duckdb.sh 1 q01 q06
# Quiver's figure is the process's wall time minus that of a trivial query (start-up and catalog open);
# DuckDB's is measured in-process by its Python client on a database file loaded from the same CSVs.
set -euo pipefail
cd "$(dirname "$0")/.."
sf="${1:-1}"; shift || true
queries=("$@")
[ ${#queries[@]} -gt 0 ] || queries=($(ls benchmarks/tpch/queries | sed 's/\.sql$//'))
runs="${RUNS:-3}"; threads="${THREADS:-1}"
quiver="${QUIVER:-.build/release/quiver}"
scripts/tpch-data.sh "$sf"
catalog="data/catalog-sf$sf"
if [ ! -f "$catalog/.tpch-loaded" ]; then
  rm -rf "$catalog"
  "$quiver" --data "$catalog" -f "data/tpch-sf$sf/load.sql"
  touch "$catalog/.tpch-loaded"
fi
[ -x .venv/bin/python ] && .venv/bin/python -c "import duckdb" 2>/dev/null || .venv/bin/pip install -q duckdb==2.0.1
.venv/bin/python - "$sf" "$runs" "$threads" "$quiver" "$catalog" "${queries[@]}" <<'PY'
import os, subprocess, sys, time
import duckdb
sf, runs, threads, quiver, catalog, queries = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:]
path = f"data/duckdb-sf{sf}.db"
fresh = not os.path.exists(path)
con = duckdb.connect(path)
if fresh:
    con.execute(open("benchmarks/tpch/schema.sql").read())
    for table in ["nation", "region", "part", "supplier", "partsupp", "customer", "orders", "lineitem"]:
        con.execute(f"COPY {table} FROM 'data/tpch-sf{sf}/{table}.csv' (HEADER, DELIMITER ',')")
con.execute(f"SET threads = {threads}")

def quiver_time(args):
    best = None
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([quiver, "--data", catalog, "--threads", threads, "--format", "csv"] + args,
                       check=True, stdout=subprocess.DEVNULL)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best

baseline = quiver_time(["-c", "SELECT 1"])
print(f"TPC-H SF {sf}, {threads} thread(s), best of {runs}; Quiver start-up baseline {baseline*1000:.0f} ms subtracted")
print(f"{'query':<6} {'quiver s':>9} {'duckdb s':>9} {'ratio':>7}")
total_q = total_d = 0.0
for q in queries:
    sql = open(f"benchmarks/tpch/queries/{q}.sql").read()
    qt = max(quiver_time(["-f", f"benchmarks/tpch/queries/{q}.sql"]) - baseline, 0.001)
    best = None
    for _ in range(runs):
        start = time.perf_counter()
        con.execute(sql).fetchall()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    total_q += qt; total_d += best
    print(f"{q:<6} {qt:9.3f} {best:9.3f} {qt/best:7.2f}")
print(f"{'total':<6} {total_q:9.3f} {total_d:9.3f} {total_q/total_d:7.2f}")
PY
