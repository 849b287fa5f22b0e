-- VALUES lists as queries.
VALUES (1);
VALUES (1, 'a'), (2, 'b'), (3, NULL);
VALUES (1 + 1, upper('x')) ORDER BY 1 LIMIT 1;
SELECT * FROM (VALUES (1), (2)) v (x) WHERE x > 1
