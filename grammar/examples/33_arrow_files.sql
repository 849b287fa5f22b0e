-- Arrow IPC files: read_arrow in FROM, COPY in and out with FORMAT ARROW.
SELECT * FROM read_arrow('data/lineitem.arrow');
SELECT l_returnflag, sum(l_quantity) FROM read_arrow('data/lineitem.arrow') AS l GROUP BY l_returnflag;
CREATE TABLE lineitem_copy AS SELECT * FROM read_arrow('data/lineitem.arrow');
COPY lineitem TO 'lineitem.arrow' (FORMAT ARROW);
COPY (SELECT l_orderkey, l_quantity FROM lineitem WHERE l_quantity > 40) TO 'big.arrow' (FORMAT ARROW);
COPY (SELECT * FROM lineitem LIMIT 10) TO 'sample.csv' (FORMAT CSV, HEADER);
COPY lineitem FROM 'lineitem.arrow' (FORMAT ARROW);
COPY lineitem FROM 'lineitem.arrow'
