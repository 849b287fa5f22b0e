"""The measurements of benchmarks/storage.sh: storage.py QUIVER LINEITEM_CSV."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import pyarrow.ipc as ipc

sys.path.insert(0, os.path.dirname(__file__))
import pagecache  # noqa: E402

quiver, csv_path = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
schema_sql = open(os.path.join(root, "benchmarks/tpch/schema.sql")).read()
create = re.search(r"CREATE TABLE lineitem .*?;", schema_sql, re.S).group(0)
columns = re.findall(r"(l_\w+) ", create)
work = tempfile.mkdtemp(prefix="quiver-storage-")
database = os.path.join(work, "db")
MB = 1024 * 1024


def run(sql):
    """Runs SQL in a new quiver process; returns (seconds, stdout, minor faults, major faults, peak RSS in KiB)
    of that process alone (os.wait4)."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen([quiver, "--data", database, "--format", "csv", "-c", sql],
                                   stdout=subprocess.PIPE, stderr=errors)
        out = process.stdout.read().decode()
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            sys.exit(f"storage: quiver failed: {errors.read().decode()}")
    return elapsed, out, usage.ru_minflt, usage.ru_majflt, usage.ru_maxrss


def segment_files():
    folder = os.path.join(database, "data", "main.lineitem")
    return sorted(os.path.join(folder, name) for name in os.listdir(folder) if name.endswith(".arrow"))


try:
    csv_bytes = os.path.getsize(csv_path)
    print(f"storage: lineitem from {csv_path} ({csv_bytes / MB:.0f} MiB), quiver {quiver}, {os.cpu_count()} cores")

    load, _, _, _, _ = run(f"{create} COPY lineitem FROM '{csv_path}' (HEADER, DELIMITER ',')")
    files = segment_files()
    file_bytes = sum(os.path.getsize(f) for f in files)
    rows = int(run("SELECT count(*) FROM lineitem")[1].split()[1])
    print(f"load:  CREATE TABLE + COPY FROM csv: {load:7.2f} s  ({rows} rows, {csv_bytes / MB / load:.0f} MiB/s of CSV)")
    print(f"       -> {len(files)} segment files, {file_bytes / MB:.0f} MiB")

    every_column = "SELECT count(*), " + ", ".join(f"max({c})" for c in columns) + " FROM lineitem"
    # Reading every byte of every column and nothing else: the scan feeds an Arrow writer whose output is discarded.
    raw_scan = "COPY lineitem TO '/dev/null' (FORMAT ARROW)"

    def cold(sql):
        for path in files:
            pagecache.evict(path)
        return run(sql)[0]

    scans = {
        "read every column": (min(run(raw_scan)[0] for _ in range(3)), min(cold(raw_scan) for _ in range(2))),
        "max of every column": (min(run(every_column)[0] for _ in range(3)), min(cold(every_column) for _ in range(2))),
    }
    # The load again with the CSV file evicted too, into a second table, for a cold-against-cold comparison.
    pagecache.evict(csv_path)
    cold_load = run(f"{create.replace('CREATE TABLE lineitem', 'CREATE TABLE lineitem_cold')} "
                    f"COPY lineitem_cold FROM '{csv_path}' (HEADER, DELIMITER ',')")[0]
    print(f"       (with the CSV evicted from the page cache first: {cold_load:7.2f} s)")
    print(f"scan:  a new process opens the catalog and scans all {len(columns)} columns of the segment files:")
    for label, (warm, cold_seconds) in scans.items():
        print(f"       {label:20s} warm {warm:5.2f} s = {load / warm:5.1f}x faster than the load; "
              f"cold {cold_seconds:5.2f} s = {cold_load / cold_seconds:4.1f}x faster than the cold load")

    # Bytes of l_quantity's buffers (validity + values) in the files, from their Arrow metadata.
    index = columns.index("l_quantity")
    quantity_bytes = 0
    for path in files:
        reader = ipc.open_file(path)
        for batch_index in range(reader.num_record_batches):
            quantity_bytes += sum(b.size for b in reader.get_batch(batch_index).column(index).buffers() if b is not None)
    print(f"pages: SELECT sum(l_quantity) on a freshly opened table (files evicted from the page cache first):")
    results = {}
    for label, sql in [("sum(l_quantity)", "SELECT sum(l_quantity) FROM lineitem"), ("all columns", every_column)]:
        for path in files:
            pagecache.evict(path)
        assert sum(pagecache.resident_bytes(f) for f in files) < file_bytes * 0.01, "eviction failed"
        elapsed, out, minor, major, rss = run(sql)
        resident = sum(pagecache.resident_bytes(f) for f in files)
        results[label] = resident
        print(f"       {label:16s} read {resident / MB:8.1f} MiB of {file_bytes / MB:.0f} MiB "
              f"({100 * resident / file_bytes:5.1f}%), {elapsed:5.2f} s, {minor} minor / {major} major faults, "
              f"peak RSS {rss / 1024:.0f} MiB")
    print(f"       l_quantity's buffers are {quantity_bytes / MB:.1f} MiB ({100 * quantity_bytes / file_bytes:.1f}% of the files); "
          f"sum(l_quantity) read {results['sum(l_quantity)'] / quantity_bytes:.2f}x that "
          f"(the rest: per-batch metadata and footers, page rounding)")
    ok = load / scans["read every column"][0] >= 5
    print(f"storage: scan vs load {'>= 5x: ok' if ok else '< 5x: TOO SLOW'}")
finally:
    shutil.rmtree(work, ignore_errors=True)
sys.exit(0 if ok else 1)
