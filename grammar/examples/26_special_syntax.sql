-- Functions with special syntax.
SELECT SUBSTRING(name FROM 2 FOR 3), substring(name FROM 2), substring(name, 1, 2) FROM t;
SELECT POSITION('a' IN name), position('x' || 'y' IN name) FROM t;
SELECT TRIM(name), TRIM(BOTH ' ' FROM name), TRIM(LEADING FROM name), TRIM(TRAILING 'x' FROM name) FROM t;
SELECT TRIM('x' FROM name), trim(name, 'x') FROM t;
SELECT EXTRACT(YEAR FROM d), EXTRACT(month FROM d), EXTRACT(DAY FROM d), EXTRACT(quarter FROM d) FROM t;
SELECT EXTRACT(dow FROM d), EXTRACT(doy FROM d), EXTRACT(week FROM d), EXTRACT(epoch FROM d) FROM t;
SELECT EXTRACT(hour FROM ts), EXTRACT(minute FROM ts), EXTRACT(second FROM ts) FROM t
