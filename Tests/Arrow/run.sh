#!/usr/bin/env bash
# Arrow IPC and persistence checks, run by `make arrow-test` (part of `make test`):
#   1. the pyarrow oracle (Tests/Arrow/oracle.py): Quiver reads what pyarrow writes, pyarrow reads and fully
#      validates what Quiver writes, every type, nulls, several and empty batches, zero rows, dictionaries;
#   2. restart: create, load, UPDATE, DELETE in one process, then the same answers in a new one;
#   3. crash: kill -9 a COPY of a 2,000,000-row CSV while it writes segment files; on reopening the table is
#      as before and no orphan segment file is left.
# Prints "N passed, M failed" per part and overall; exits 1 on any failure.
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
quiver="${QUIVER:-$root/.build/release/quiver}"; [[ "$quiver" = /* ]] || quiver="$root/$quiver"
python="$root/.venv/bin/python"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0; failed=0

check() { # name, expected, actual
  if [ "$2" == "$3" ]; then passed=$((passed + 1)); else failed=$((failed + 1)); printf 'FAIL %s\n  expected: %q\n  got:      %q\n' "$1" "$2" "$3"; fi
}

# 1. The pyarrow oracle.
oracle_output=$("$python" Tests/Arrow/oracle.py "$quiver" "$work")
oracle_status=$?
echo "$oracle_output"
oracle_line=$(grep -E '^arrow oracle: [0-9]+ passed, [0-9]+ failed$' <<<"$oracle_output" | tail -1)
if [ -n "$oracle_line" ]; then
  passed=$((passed + $(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$oracle_line")))
  failed=$((failed + $(sed -E 's/.*, ([0-9]+) failed/\1/' <<<"$oracle_line")))
fi
[ "$oracle_status" -eq 0 ] || [ -n "$oracle_line" ] || { failed=$((failed + 1)); echo "FAIL the oracle did not run"; }

# 2. Restart: changes made by one process are what the next one sees.
cd "$work"
"$python" - <<'PY'
import csv
with open("restart.csv", "w", newline="") as handle:
    out = csv.writer(handle)
    out.writerow(["id", "grp", "amount"])
    for i in range(50000):
        out.writerow([i, "abc"[i % 3], f"{i % 1000}.{i % 100:02d}"])
PY
cat > restart.sql <<'SQL'
CREATE TABLE r (id INTEGER NOT NULL, grp VARCHAR, amount DECIMAL(10,2));
COPY r FROM 'restart.csv' (HEADER);
INSERT INTO r VALUES (100000, 'z', 1.00), (100001, NULL, NULL);
UPDATE r SET amount = amount * 2, grp = upper(grp) WHERE grp = 'a' AND id < 20000;
UPDATE r SET grp = 'none' WHERE grp IS NULL;
DELETE FROM r WHERE id % 10 = 3 OR grp = 'z';
SELECT grp, count(*), sum(amount), min(id), max(id) FROM r GROUP BY grp ORDER BY grp;
SQL
first=$("$quiver" --data restart-db -f restart.sql 2>&1)
second=$("$quiver" --data restart-db -c "SELECT grp, count(*), sum(amount), min(id), max(id) FROM r GROUP BY grp ORDER BY grp" 2>&1)
expected=$("$python" - <<'PY'
from decimal import Decimal
rows = {i: ["abc"[i % 3], Decimal(f"{i % 1000}.{i % 100:02d}")] for i in range(50000)}
rows[100000] = ["z", Decimal("1.00")]
rows[100001] = [None, None]
for i, row in rows.items():
    if row[0] == "a" and i < 20000:
        row[0], row[1] = "A", row[1] * 2
    if row[0] is None:
        row[0] = "none"
rows = {i: r for i, r in rows.items() if not (i % 10 == 3 or r[0] == "z")}
print("grp,count_star(),sum(amount),min(id),max(id)")
for group in sorted({r[0] for r in rows.values()}):
    ids = [i for i, r in rows.items() if r[0] == group]
    amounts = [r[1] for i, r in rows.items() if r[0] == group and r[1] is not None]
    print(f"{group},{len(ids)},{sum(amounts) if amounts else ''},{min(ids)},{max(ids)}")
PY
)
check "restart: answers in the changing process" "$expected" "$first"
check "restart: same answers after reopening" "$expected" "$second"
check "restart: segment files are the committed ones" "ok" "$("$python" - restart-db <<'PY'
import json, os, sys
db = sys.argv[1]
catalog = json.load(open(os.path.join(db, "catalog.json")))
referenced = {s["file"] for t in catalog["tables"] for s in t["segments"]}
present = {os.path.join("data", d, f) for d in os.listdir(os.path.join(db, "data")) for f in os.listdir(os.path.join(db, "data", d))}
print("ok" if referenced == present else f"referenced {sorted(referenced)} present {sorted(present)}")
PY
)"

# 3. Crash: kill -9 in the middle of a big COPY.
"$python" - <<'PY'
import random
rng = random.Random(7)
with open("big.csv", "w") as out:
    out.write("id,name,amount,day\n")
    for i in range(2_000_000):
        out.write(f"{i},name {rng.randint(0, 10**9)},{rng.randint(0, 10**7)}.{i % 100:02d},20{i % 24 + 10:02d}-0{i % 9 + 1}-1{i % 9}\n")
PY
"$quiver" --data crash-db -c "CREATE TABLE big (id BIGINT NOT NULL, name VARCHAR, amount DECIMAL(12,2), day DATE);
  INSERT INTO big VALUES (-1, 'before', 1.50, '2020-01-01'), (-2, 'the crash', 2.50, NULL)" >/dev/null
before=$("$quiver" --data crash-db -c "SELECT count(*), sum(amount), min(name) FROM big")
folder="crash-db/data/main.big"
segments_before=$(ls "$folder" | sort)
killed_mid_write=no
for attempt in 1 2 3; do
  "$quiver" --data crash-db -c "COPY big FROM 'big.csv' (HEADER)" >/dev/null 2>&1 &
  pid=$!
  # Wait until the COPY has written a new segment file (it writes two), then kill it.
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$(ls "$folder" | wc -l)" -gt "$(wc -l <<<"$segments_before")" ]; then
      kill -9 "$pid" 2>/dev/null && killed_mid_write=yes
      break
    fi
    sleep 0.005
  done
  wait "$pid" 2>/dev/null
  [ "$killed_mid_write" = yes ] && break
  # The COPY finished before it could be killed: undo it and try again.
  "$quiver" --data crash-db -c "DELETE FROM big WHERE id >= 0" >/dev/null
done
check "crash: the COPY was killed while writing segments" "yes" "$killed_mid_write"
leftover=$(ls "$folder" | wc -l)
echo "crash: killed the COPY with $leftover files in $folder ($(wc -l <<<"$segments_before") committed)"
after=$("$quiver" --data crash-db -c "SELECT count(*), sum(amount), min(name) FROM big")
check "crash: the table is as before" "$before" "$after"
check "crash: no orphan segment files after reopening" "$segments_before" "$(ls "$folder" | sort)"
check "crash: no temporary catalog files" "" "$(ls crash-db | grep -F 'catalog.json.tmp' || true)"
# And the reopened catalog works: the load goes through now.
"$quiver" --data crash-db -c "COPY big FROM 'big.csv' (HEADER)" >/dev/null
check "crash: loading after the crash" $'count_star()\n2000002' "$("$quiver" --data crash-db -c "SELECT count(*) FROM big")"
cd "$root"

echo "arrow: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
