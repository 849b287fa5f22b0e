-- UPDATE and DELETE.
UPDATE lineitem SET l_discount = l_discount + 0.01 WHERE l_shipdate < DATE '1995-01-01';
UPDATE t SET a = a * 2, b = 'changed', c = NULL;
UPDATE main.t AS x SET a = x.b WHERE x.a IN (SELECT a FROM u) AND x.b IS NOT NULL;
UPDATE t q SET a = (SELECT max(a) FROM u) WHERE q.a = 1;
DELETE FROM t;
DELETE FROM orders WHERE o_orderdate < DATE '1993-01-01' OR o_comment LIKE '%special%';
DELETE FROM main.t AS x WHERE NOT EXISTS (SELECT 1 FROM u WHERE u.a > 10)
