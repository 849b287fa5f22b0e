-- Date arithmetic as in TPC-H.
SELECT * FROM lineitem WHERE l_shipdate <= DATE '1998-12-01' - INTERVAL '90' DAY;
SELECT * FROM orders WHERE o_orderdate >= DATE '1993-07-01' AND o_orderdate < DATE '1993-07-01' + INTERVAL '3' MONTH;
SELECT * FROM orders WHERE o_orderdate < DATE '1994-01-01' + INTERVAL '1' YEAR;
SELECT DATE '2020-01-01' + INTERVAL '3 months', d - INTERVAL 1 DAY FROM t;
SELECT date, interval, timestamp FROM odd_names;
SELECT date(ts), CAST(ts AS DATE) FROM t
