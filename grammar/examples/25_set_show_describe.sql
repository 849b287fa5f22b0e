-- Settings and catalog inspection.
SET threads = 4;
SET threads TO 2;
SET memory_limit = '1GB';
SET search_path TO main, other;
SET enable_profiling = on;
SET SESSION threads = DEFAULT;
SET TIME ZONE 'UTC';
RESET threads;
SHOW TABLES;
DESCRIBE lineitem;
DESCRIBE main.orders
