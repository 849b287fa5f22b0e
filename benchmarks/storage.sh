#!/usr/bin/env bash
# Storage benchmark on TPC-H lineitem (SF 1 unless SF=... is given):
#   1. CREATE TABLE + COPY FROM the CSV file, against
#   2. opening the directory catalog in a new process and scanning every column of Quiver's Arrow IPC
#      segment files, two ways: reading every byte of every column (`COPY lineitem TO '/dev/null'
#      (FORMAT ARROW)`), and computing max() of every column; each with a warm page cache and a cold one (the
#      segment files evicted first; compared with a load whose CSV was evicted too). Reading every column
#      must be at least 5 times faster than the load (exit status 1 otherwise);
#   3. which bytes `SELECT sum(l_quantity)` on a freshly opened table reads: the segment files are evicted
#      from the page cache (posix_fadvise DONTNEED), the query runs in a new process, then mincore counts the
#      files' resident bytes. Quiver maps segments with MADV_RANDOM (no read-around) and prefetches exactly the
#      buffers it decodes (MADV_WILLNEED), so the resident bytes are the pages the query touched. They are
#      compared with the size of l_quantity's buffers (from the files' Arrow metadata, read by pyarrow) and
#      with the whole files. Page faults (ru_minflt) and peak RSS of the query process are printed too.
# Usage: benchmarks/storage.sh   (after `make build-release`; generates the data with scripts/tpch-data.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
sf="${SF:-1}"
quiver="${QUIVER:-.build/release/quiver}"
[ -x "$quiver" ] || { echo "storage: build first (make build-release)" >&2; exit 1; }
scripts/setup.sh
scripts/tpch-data.sh "$sf" >/dev/null
exec .venv/bin/python benchmarks/storage.py "$quiver" "data/tpch-sf$sf/lineitem.csv"
