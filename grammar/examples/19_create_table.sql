-- CREATE TABLE with column definitions.
CREATE TABLE nation (
    n_nationkey INTEGER NOT NULL,
    n_name CHAR(25) NOT NULL,
    n_regionkey INTEGER NOT NULL,
    n_comment VARCHAR(152)
);
CREATE TABLE IF NOT EXISTS main.orders (
    o_orderkey BIGINT NOT NULL,
    o_custkey BIGINT,
    o_orderstatus CHAR(1),
    o_totalprice DECIMAL(15, 2) NULL,
    o_orderdate DATE,
    o_shippriority INT,
    o_flag BOOLEAN,
    o_ratio DOUBLE PRECISION,
    o_note TEXT
);
CREATE TABLE "Quoted Table" ("Column" integer);
CREATE TABLE kinds (a SMALLINT, b TINYINT, c REAL, d FLOAT, e NUMERIC(10,3), f INTERVAL, g TIMESTAMP, h STRING)
