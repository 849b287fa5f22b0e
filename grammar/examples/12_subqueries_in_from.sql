-- Subqueries, VALUES, LATERAL and table functions in FROM.
SELECT * FROM (SELECT 1 AS a) s;
SELECT * FROM (SELECT 1, 2) AS s (a, b);
SELECT * FROM (VALUES (1, 'one'), (2, 'two')) AS v (n, name);
SELECT * FROM t, LATERAL (SELECT t.a + 1 AS b) AS l;
SELECT * FROM read_csv('data.csv') AS r;
SELECT * FROM read_csv('data.csv', header = true, delim = '|');
SELECT * FROM generate_series(1, 10) AS g (i);
SELECT * FROM ((SELECT 1) UNION ALL (SELECT 2)) AS u;
SELECT * FROM ((SELECT 1 AS x) AS s JOIN t ON s.x = t.x);
SELECT x FROM generate_series(1, 10, 2) AS s(x);
SELECT sum(range) FROM range(100);
