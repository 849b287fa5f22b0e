"""pyarrow as the oracle for Quiver's Arrow IPC support.

pyarrow writes files with every type Quiver supports (bool, int8-64, float32/64, decimal128, date32,
month_day_nano interval, utf8, null, dictionary-encoded strings), nulls, several batches, empty batches and
zero-row tables; Quiver reads them with read_arrow and prints the values, which are compared with pyarrow's.
Then Quiver writes files with COPY ... TO (FORMAT ARROW) and pyarrow reads them, validates them fully and
compares the values. Usage: oracle.py QUIVER WORKDIR. Prints "arrow oracle: N passed, M failed".
"""
import csv
import datetime
import decimal
import math
import os
import random
import struct
import subprocess
import sys

import pyarrow as pa
import pyarrow.ipc as ipc

quiver, work = sys.argv[1], sys.argv[2]
database = os.path.join(work, "oracle-db")
passed = failed = 0


def check(name, expected, actual):
    global passed, failed
    if expected == actual:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name}\n  expected: {str(expected)[:600]}\n  got:      {str(actual)[:600]}")


def run(sql, fmt="tsv"):
    """Runs SQL in a fresh quiver process; returns (exit code, stdout, stderr)."""
    done = subprocess.run([quiver, "--data", database, "--threads", "2", "--format", fmt, "-c", sql],
                          capture_output=True, text=True)
    return done.returncode, done.stdout, done.stderr


def tsv_rows(text):
    """Quiver's TSV: a header, then rows; NULL for nulls; \\t \\n \\r \\\\ escaped."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()

    def unescape(field):
        if field == "NULL":
            return None
        out, index = [], 0
        while index < len(field):
            if field[index] == "\\" and index + 1 < len(field):
                out.append({"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}.get(field[index + 1], field[index + 1]))
                index += 2
            else:
                out.append(field[index])
                index += 1
        return "".join(out)

    return lines[0].split("\t"), [[unescape(f) for f in line.split("\t")] for line in lines[1:]]


# ---------------------------------------------------------------- how Quiver prints values

def interval_text(value):
    months, days, nanos = value.months, value.days, value.nanoseconds
    parts = []
    years, rest = int(months / 12), months - int(months / 12) * 12  # Swift division truncates
    if years:
        parts.append(f"{years} year{'' if abs(years) == 1 else 's'}")
    if rest:
        parts.append(f"{rest} mon{'' if abs(rest) == 1 else 's'}")
    if days:
        parts.append(f"{days} day{'' if abs(days) == 1 else 's'}")
    if nanos or not parts:
        negative, total = nanos < 0, abs(nanos)
        seconds, fraction = divmod(total, 1_000_000_000)
        text = f"{'-' if negative else ''}{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        if fraction:
            text += "." + f"{fraction:09d}".rstrip("0")
        parts.append(text)
    return " ".join(parts)


def expected_text(value, arrow_type):
    """The text Quiver prints for a pyarrow value (None for NULL); floats are compared separately."""
    if value is None:
        return None
    if pa.types.is_dictionary(arrow_type):
        return expected_text(value, arrow_type.value_type)
    if pa.types.is_boolean(arrow_type):
        return "true" if value else "false"
    if pa.types.is_integer(arrow_type):
        return str(value)
    if pa.types.is_decimal(arrow_type):
        return f"{value:.{arrow_type.scale}f}"
    if pa.types.is_date32(arrow_type):
        return value.isoformat()
    if arrow_type == pa.month_day_nano_interval():
        return interval_text(value)
    return value


def same_float(expected, text, single):
    if expected is None or text is None:
        return expected is None and text is None
    actual = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}.get(text)
    if actual is None:
        actual = float(text)
    if single:
        actual = struct.unpack("f", struct.pack("f", actual))[0]
    if math.isnan(expected):
        return math.isnan(actual)
    return expected == actual


def compare_read(name, table, sql):
    """Runs `sql` (a SELECT * over a file holding `table`) and compares every value."""
    code, out, err = run(sql)
    check(f"{name}: exit code", 0, code)
    if code != 0:
        print("  " + err.strip()[:400])
        return
    header, rows = tsv_rows(out)
    check(f"{name}: column names", table.column_names, header)
    check(f"{name}: row count", table.num_rows, len(rows))
    for index, field in enumerate(table.schema):
        values = table.column(index).to_pylist()
        column = [row[index] for row in rows] if len(rows) == len(values) else []
        if pa.types.is_floating(field.type):
            single = pa.types.is_float32(field.type)
            matches = len(column) == len(values) and all(same_float(e, a, single) for e, a in zip(values, column))
            check(f"{name}: column {field.name} ({field.type})", True, matches)
            if not matches:
                print(f"  first values: {values[:5]} vs {column[:5]}")
        else:
            check(f"{name}: column {field.name} ({field.type})",
                  [expected_text(v, field.type) for v in values], column)


# ---------------------------------------------------------------- files pyarrow writes

rng = random.Random(20240229)


def random_string():
    alphabet = "abcXYZ 019,;\"'|\\\t\nÄé✓😀"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))


def make_batch(rows, offset):
    def maybe(values, every=5):
        return [None if (i + offset) % every == 2 else v for i, v in enumerate(values)]

    ints = [rng.randint(-1000, 1000) for _ in range(rows)]
    labels = ["red", "green", "blue", "", "ünïcode"]
    columns = {
        "b": pa.array(maybe([rng.random() < 0.5 for _ in range(rows)]), pa.bool_()),
        "i8": pa.array(maybe([rng.randint(-128, 127) for _ in range(rows)]), pa.int8()),
        "i16": pa.array(maybe([rng.randint(-32768, 32767) for _ in range(rows)], 7), pa.int16()),
        "i32": pa.array([rng.randint(-2**31, 2**31 - 1) for _ in range(rows)], pa.int32()),
        "i64": pa.array(maybe([rng.choice([-2**63, 2**63 - 1, 0, rng.randint(-2**62, 2**62)]) for _ in range(rows)]), pa.int64()),
        "f32": pa.array(maybe([rng.choice([0.1, -2.5, 3.4e38, 1e-30, float("inf"), rng.uniform(-1e6, 1e6)]) for _ in range(rows)]), pa.float32()),
        "f64": pa.array(maybe([rng.choice([0.1, -0.0, 1e300, 5e-324, float("nan"), float("-inf"), rng.uniform(-1e9, 1e9)]) for _ in range(rows)]), pa.float64()),
        "d152": pa.array(maybe([decimal.Decimal(i) / 100 * 37 for i in ints]), pa.decimal128(15, 2)),
        "d3810": pa.array(maybe([decimal.Decimal(rng.randint(-10**27, 10**27)) / decimal.Decimal(10**10) for _ in range(rows)], 3), pa.decimal128(38, 10)),
        "day": pa.array(maybe([datetime.date(1970, 1, 1) + datetime.timedelta(days=rng.randint(-700000, 2900000)) for _ in range(rows)]), pa.date32()),
        "span": pa.array(maybe([pa.MonthDayNano([rng.randint(-30, 30), rng.randint(-40, 40), rng.choice([0, 1, -1_500_000_000, rng.randint(-10**14, 10**14)])]) for _ in range(rows)]), pa.month_day_nano_interval()),
        "s": pa.array(maybe([random_string() for _ in range(rows)], 4), pa.string()),
        "nothing": pa.nulls(rows, pa.null()),
        "label": pa.DictionaryArray.from_arrays(pa.array(maybe([rng.randrange(len(labels)) for _ in range(rows)], 6), pa.int32()),
                                                pa.array(labels)),
        "code": pa.DictionaryArray.from_arrays(pa.array([i % 3 for i in range(rows)], pa.int8()), pa.array(["x", "yy", "zzz"])),
    }
    return pa.record_batch(list(columns.values()), names=list(columns.keys()))


batches = [make_batch(n, o) for n, o in [(1000, 0), (0, 1), (2500, 2), (1, 3), (777, 4)]]
schema = batches[0].schema
types_table = pa.Table.from_batches(batches, schema)

files = {}


def write_file(name, write, stream=False):
    path = os.path.join(work, name)
    with (ipc.new_stream if stream else ipc.new_file)(path, schema if write is None else write[0]) as writer:
        if write is not None:
            for batch in write[1]:
                writer.write_batch(batch)
    files[name] = path
    return path


write_file("types.arrow", (schema, batches))
write_file("types.arrows", (schema, batches), stream=True)
zero_schema = pa.schema([("a", pa.int32()), ("s", pa.string()), ("d", pa.decimal128(10, 3))])
write_file("zero-rows.arrow", (zero_schema, []))
write_file("empty-batch.arrow", (zero_schema, [pa.record_batch([pa.array([], pa.int32()), pa.array([], pa.string()), pa.array([], pa.decimal128(10, 3))], schema=zero_schema)]))
# Dictionary deltas across batches (the file format allows only deltas).
delta_schema = pa.schema([("k", pa.dictionary(pa.int16(), pa.string())), ("n", pa.int64())])
delta_batches = []
for round_ in range(4):
    words = [f"w{i}" for i in range(round_ * 3 + 3)]
    indices = pa.array([None if i % 9 == 4 else (i * 7) % len(words) for i in range(50)], pa.int16())
    delta_batches.append(pa.record_batch([pa.DictionaryArray.from_arrays(indices, pa.array(words)), pa.array(range(round_ * 50, round_ * 50 + 50), pa.int64())], schema=delta_schema))
delta_path = os.path.join(work, "deltas.arrow")
with ipc.new_file(delta_path, delta_schema, options=ipc.IpcWriteOptions(emit_dictionary_deltas=True)) as writer:
    for batch in delta_batches:
        writer.write_batch(batch)
# A stream whose dictionary is replaced between batches.
replace_path = os.path.join(work, "replaced.arrows")
with ipc.new_stream(replace_path, delta_schema) as writer:
    for batch in delta_batches:
        writer.write_batch(batch)

# ---------------------------------------------------------------- Quiver reads pyarrow's files

compare_read("read_arrow(types.arrow)", types_table, f"SELECT * FROM read_arrow('{files['types.arrow']}')")
compare_read("read_arrow(types.arrows) stream", types_table, f"SELECT * FROM read_arrow('{files['types.arrows']}')")
compare_read("zero-row file", zero_schema.empty_table(), f"SELECT * FROM read_arrow('{files['zero-rows.arrow']}')")
compare_read("empty batch", zero_schema.empty_table(), f"SELECT * FROM read_arrow('{files['empty-batch.arrow']}')")
delta_table = pa.Table.from_batches(delta_batches)
compare_read("dictionary deltas", delta_table, f"SELECT * FROM read_arrow('{delta_path}')")
compare_read("replaced dictionaries (stream)", delta_table, f"SELECT * FROM read_arrow('{replace_path}')")

# Column pruning, filters and aggregates over a file agree with pyarrow's compute.
code, out, _ = run(f"SELECT count(*), count(s), sum(i32), min(day), max(d152) FROM read_arrow('{files['types.arrow']}') WHERE b")
mask = types_table.column("b").to_pylist()
selected = [i for i, v in enumerate(mask) if v]
expected = [str(len(selected)),
            str(sum(1 for i in selected if types_table.column("s")[i].as_py() is not None)),
            str(sum(types_table.column("i32")[i].as_py() for i in selected)),
            min(types_table.column("day")[i].as_py() for i in selected if types_table.column("day")[i].as_py() is not None).isoformat(),
            f"{max(types_table.column('d152')[i].as_py() for i in selected if types_table.column('d152')[i].as_py() is not None):.2f}"]
check("aggregates over read_arrow", expected, tsv_rows(out)[1][0] if code == 0 else out)

# ---------------------------------------------------------------- pyarrow reads Quiver's files

def plain_type(arrow_type):
    return arrow_type.value_type if pa.types.is_dictionary(arrow_type) else arrow_type


def compare_written(name, path, expected_table, types=None):
    """pyarrow opens Quiver's file, validates it fully and compares types and values."""
    try:
        written = ipc.open_file(path).read_all()
        written.validate(full=True)
        check(f"{name}: validates", True, True)
    except Exception as error:  # noqa: BLE001 - any failure is a test failure
        check(f"{name}: opens and validates", "ok", repr(error))
        return
    check(f"{name}: column names", expected_table.column_names, written.column_names)
    expected_types = types or [plain_type(f.type) for f in expected_table.schema]
    check(f"{name}: types", [str(t) for t in expected_types], [str(f.type) for f in written.schema])
    check(f"{name}: rows", expected_table.num_rows, written.num_rows)
    for index, field in enumerate(expected_table.schema):
        if index >= written.num_columns:
            break
        want = expected_table.column(index).to_pylist()
        got = written.column(index).to_pylist()
        if pa.types.is_floating(field.type):
            same = len(want) == len(got) and all(
                (a is None and b is None) or (a is not None and b is not None and (a == b or (math.isnan(a) and math.isnan(b))))
                for a, b in zip(want, got))
            check(f"{name}: column {field.name}", True, same)
        else:
            check(f"{name}: column {field.name}", want, got)


out_path = os.path.join(work, "quiver-types.arrow")
code, _, err = run(f"COPY (SELECT * FROM read_arrow('{files['types.arrow']}')) TO '{out_path}' (FORMAT ARROW)")
check("COPY (read_arrow) TO arrow: exit code", 0, code)
compare_written("COPY (query) TO", out_path, types_table)

# Through a stored table: CREATE TABLE AS (the NULL-typed column becomes INTEGER), then COPY t TO.
table_path = os.path.join(work, "quiver-table.arrow")
code, _, err = run(f"CREATE TABLE types AS SELECT * FROM read_arrow('{files['types.arrow']}'); "
                   f"COPY types TO '{table_path}' (FORMAT ARROW)")
check("CREATE TABLE AS + COPY t TO: exit code", 0, code)
table_types = [pa.int32() if pa.types.is_null(f.type) else plain_type(f.type) for f in schema]
compare_written("COPY table TO", table_path, types_table, table_types)

# Zero rows.
zero_out = os.path.join(work, "quiver-zero.arrow")
code, _, _ = run(f"COPY (SELECT * FROM read_arrow('{files['zero-rows.arrow']}')) TO '{zero_out}' (FORMAT ARROW)")
check("COPY zero rows: exit code", 0, code)
compare_written("zero rows", zero_out, zero_schema.empty_table())

# Data Quiver computes itself, from a CSV of 120,000 rows (many batches).
csv_path = os.path.join(work, "numbers.csv")
count = 120_000
with open(csv_path, "w", newline="") as handle:
    out = csv.writer(handle)
    out.writerow(["id", "amount", "name", "day"])
    for i in range(count):
        out.writerow([i, f"{(i * 37) % 100000 / 100:.2f}" if i % 11 else "", f"n{i % 1000}" if i % 13 else "",
                      (datetime.date(2000, 1, 1) + datetime.timedelta(days=i % 5000)).isoformat()])
computed_path = os.path.join(work, "quiver-computed.arrow")
code, _, err = run(
    "CREATE TABLE numbers (id BIGINT NOT NULL, amount DECIMAL(9,2), name VARCHAR, day DATE); "
    f"COPY numbers FROM '{csv_path}' (HEADER); "
    f"COPY (SELECT id, amount * 2 AS doubled, upper(name) AS name, day + 1 AS next_day, id % 7 = 0 AS lucky, "
    f"CAST(id AS DOUBLE) / 8 AS eighth FROM numbers) TO '{computed_path}' (FORMAT ARROW)")
check("COPY computed TO: exit code", 0, code)
if code != 0:
    print("  " + err.strip()[:400])
expected_computed = pa.table({
    "id": pa.array(range(count), pa.int64()),
    "doubled": pa.array([decimal.Decimal((i * 37) % 100000) / 100 * 2 if i % 11 else None for i in range(count)], pa.decimal128(19, 2)),  # DECIMAL(9,2) * INTEGER
    "name": pa.array([f"N{i % 1000}" if i % 13 else None for i in range(count)]),
    "next_day": pa.array([datetime.date(2000, 1, 1) + datetime.timedelta(days=i % 5000 + 1) for i in range(count)], pa.date32()),
    "lucky": pa.array([i % 7 == 0 for i in range(count)]),
    "eighth": pa.array([i / 8 for i in range(count)]),
})
compare_written("computed values", computed_path, expected_computed)

# pyarrow's file written by Quiver reads back in Quiver too (and COPY FROM appends it).
code, out, _ = run(f"CREATE TABLE again (id BIGINT, doubled DECIMAL(19,2), name VARCHAR, next_day DATE, lucky BOOLEAN, eighth DOUBLE); "
                   f"COPY again FROM '{computed_path}' (FORMAT ARROW); SELECT count(*), sum(doubled), count(name) FROM again")
check("COPY FROM Quiver's arrow file", ["120000", str(sum(decimal.Decimal((i * 37) % 100000) / 100 * 2 for i in range(count) if i % 11)), str(sum(1 for i in range(count) if i % 13))],
      tsv_rows(out)[1][0] if code == 0 else out)

print(f"arrow oracle: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
