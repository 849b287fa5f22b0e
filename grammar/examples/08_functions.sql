-- Scalar function calls.
SELECT abs(-1), round(2.5), length('abc'), lower(name), upper(name) FROM t;
SELECT coalesce(a, b, 0), nullif(a, 0), greatest(a, b, c), least(a, b) FROM t;
SELECT left(name, 3), right(name, 2), main.my_function(1) FROM t;
SELECT now(), current_date, current_timestamp;
SELECT "quoted function"(1)
