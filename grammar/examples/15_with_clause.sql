-- Common table expressions.
WITH a AS (SELECT 1 AS x) SELECT * FROM a;
WITH a (x, y) AS (SELECT 1, 2), b AS (SELECT * FROM a) SELECT * FROM a JOIN b ON a.x = b.x;
WITH a AS MATERIALIZED (SELECT 1) SELECT * FROM a;
WITH a AS NOT MATERIALIZED (SELECT 1) SELECT * FROM a;
WITH revenue AS (
    SELECT l_suppkey AS supplier_no, sum(l_extendedprice * (1 - l_discount)) AS total_revenue
    FROM lineitem
    WHERE l_shipdate >= DATE '1996-01-01' AND l_shipdate < DATE '1996-01-01' + INTERVAL '3' MONTH
    GROUP BY l_suppkey
)
SELECT s_suppkey, s_name, total_revenue
FROM supplier, revenue
WHERE s_suppkey = supplier_no AND total_revenue = (SELECT max(total_revenue) FROM revenue)
ORDER BY s_suppkey
