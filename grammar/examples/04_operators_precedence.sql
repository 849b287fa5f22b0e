-- Arithmetic, concatenation and precedence.
SELECT 1 + 2 * 3, (1 + 2) * 3, 10 - 4 - 3, 7 / 2, 7 % 2;
SELECT -x, +x, - - x, -x::integer FROM t;
SELECT 'a' || 'b' || 'c', a || b = c || d FROM t;
SELECT a OR b AND c, NOT a AND b FROM t;
SELECT a + b < c * d AND e FROM t;
SELECT a = b IS NULL FROM t;
SELECT (((a))) FROM t
