-- Aggregates: DISTINCT, count(*), ordered aggregates, FILTER.
SELECT count(*), count(a), count(DISTINCT a), sum(ALL b) FROM t;
SELECT avg(x), min(x), max(x), stddev(x) FROM t GROUP BY y HAVING count(*) > 1;
SELECT string_agg(name, ', ' ORDER BY name DESC) FROM t;
SELECT array_agg(x ORDER BY y, z NULLS FIRST) FROM t;
SELECT sum(x) FILTER (WHERE x > 0), count(*) FILTER (WHERE y IS NULL) FROM t;
SELECT g, count(*) FROM t GROUP BY g ORDER BY 2 DESC;

SELECT region, sum(amount) FROM sales GROUP BY ALL ORDER BY ALL;
SELECT * FROM t ORDER BY ALL DESC NULLS LAST;
