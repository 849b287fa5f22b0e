-- Column and table aliases, with and without AS.
SELECT l_quantity AS qty, l_discount disc FROM lineitem AS l;
SELECT l.l_quantity q FROM lineitem l;
SELECT 1 AS "Mixed Case", 2 AS "select";
SELECT a AS from_alias, b AS "order" FROM t;
SELECT t.a FROM t AS t (a, b);
SELECT x.* FROM (SELECT 1 AS one) AS x;
