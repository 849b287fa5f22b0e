-- The simplest queries.
SELECT 1;
SELECT 1, 2, 3;
SELECT * FROM lineitem;
SELECT l_orderkey, l_quantity FROM lineitem;
SELECT DISTINCT l_returnflag FROM lineitem;
SELECT ALL l_returnflag FROM lineitem;
SELECT lineitem.* FROM lineitem;
SELECT main.lineitem.l_orderkey FROM main.lineitem
