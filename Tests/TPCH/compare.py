#!/usr/bin/env python3
"""Compares a Quiver CSV result with a TPC-H answer file.

The answer has a header line and '|'-separated fields; the result is RFC 4180 CSV with a header. Values are
compared exactly, except that two values that both parse as numbers and are not both exact decimals with the
same text are compared as floats to a relative 1e-9 (answers print AVG results as doubles).
"""
import csv
import sys
from decimal import Decimal, InvalidOperation


def number(text):
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def looks_like_double(text):
    """DuckDB prints doubles in shortest form: an exponent, a trailing '.0', or many fractional digits.
    The TPC-H answers' DECIMALs have at most 6 fractional digits."""
    lowered = text.lower()
    if "e" in lowered or lowered.endswith(".0"):
        return True
    return "." in text and len(text.split(".")[1]) > 6


def same(expected, actual):
    if expected == actual:
        return True
    e, a = number(expected), number(actual)
    if e is None or a is None:
        return False
    actual_is_double = "e" in actual.lower() or ("." in actual and len(actual.split(".")[1]) > 6)
    if looks_like_double(expected) or actual_is_double:
        e, a = float(e), float(a)
        return abs(e - a) <= 1e-9 * max(abs(e), abs(a))
    return False


def main():
    expected_path, actual_path = sys.argv[1], sys.argv[2]
    # An empty line is a row whose only field is NULL (q17 at SF 0.01: a sum over no rows).
    with open(expected_path, newline="") as f:
        expected = [line.rstrip("\n").split("|") for line in f]
    with open(actual_path, newline="") as f:
        actual = [row if row else [""] for row in csv.reader(f)]
    problems = []
    if len(expected) != len(actual):
        problems.append(f"expected {len(expected) - 1} rows, got {len(actual) - 1}")
    for index, (e_row, a_row) in enumerate(zip(expected, actual)):
        if index == 0:
            if [c.lower() for c in e_row] != [c.lower() for c in a_row]:
                problems.append(f"header: expected {e_row}, got {a_row}")
            continue
        if len(e_row) != len(a_row):
            problems.append(f"row {index}: expected {len(e_row)} fields, got {len(a_row)}")
            continue
        for column, (e, a) in enumerate(zip(e_row, a_row)):
            if not same(e, a):
                problems.append(f"row {index} column {expected[0][column]}: expected {e!r}, got {a!r}")
    if problems:
        print(f"{actual_path} differs from {expected_path}:")
        for problem in problems[:20]:
            print("  " + problem)
        sys.exit(1)


if __name__ == "__main__":
    main()
