-- COPY in the option-list and legacy forms.
COPY lineitem FROM 'data/lineitem.tbl' (DELIMITER '|');
COPY lineitem FROM 'data/lineitem.csv' WITH (FORMAT CSV, HEADER, DELIMITER ',', QUOTE '"', ESCAPE '"', NULL '');
COPY t (a, b) FROM 'x.csv' (HEADER true);
COPY t FROM 'x.csv' (HEADER false, FORMAT 'csv');
COPY t FROM 'x.csv' CSV HEADER;
COPY t FROM 'x.csv' WITH DELIMITER AS ';' NULL AS 'NA' CSV HEADER QUOTE AS '"';
COPY t TO 'out.csv' (HEADER, DELIMITER ',');
COPY (SELECT a, b FROM t WHERE a > 1) TO 'out.csv' WITH (FORMAT csv);
COPY t TO 'out.tbl'
