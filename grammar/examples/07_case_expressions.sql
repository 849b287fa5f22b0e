-- Searched and simple CASE.
SELECT CASE WHEN a > 0 THEN 'positive' WHEN a < 0 THEN 'negative' ELSE 'zero' END FROM t;
SELECT CASE a WHEN 1 THEN 'one' WHEN 2 THEN 'two' END FROM t;
SELECT sum(CASE WHEN p_type LIKE 'PROMO%' THEN l_extendedprice * (1 - l_discount) ELSE 0 END) FROM lineitem, part;
SELECT CASE WHEN a IS NULL THEN CASE WHEN b THEN 1 END ELSE 2 END FROM t
