-- Recursive common table expressions.
WITH RECURSIVE numbers (n) AS (
    SELECT 1
    UNION ALL
    SELECT n + 1 FROM numbers WHERE n < 100
)
SELECT sum(n) FROM numbers;
WITH RECURSIVE tree AS (
    SELECT id, parent, 0 AS depth FROM nodes WHERE parent IS NULL
    UNION ALL
    SELECT n.id, n.parent, tree.depth + 1 FROM nodes n JOIN tree ON n.parent = tree.id
)
SELECT * FROM tree ORDER BY depth
