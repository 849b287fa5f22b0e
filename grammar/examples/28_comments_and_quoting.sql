/* A block comment /* with a nested one */ before the statement. */
SELECT "Weird ""Name""" -- trailing comment
FROM "MyTable"   /* inline */ ;
select lower_case, UPPER_CASE, MiXeD FROM t;
SELECT 'semicolon; inside a string', 'dash -- not a comment' ;
SELECT E'escaped\'quote', 'doubled''quote'
