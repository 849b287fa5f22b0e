-- Table constraints: PRIMARY KEY, UNIQUE, NOT NULL, DEFAULT, CHECK, named constraints.
CREATE TABLE t2 (a INTEGER PRIMARY KEY);
CREATE TABLE t4 (a TEXT UNIQUE);
CREATE TABLE t3 (a INT, b INT, c INT, UNIQUE (a, b, c));
CREATE TABLE orders (
    id BIGINT CONSTRAINT orders_id PRIMARY KEY,
    customer INTEGER NOT NULL,
    status VARCHAR DEFAULT 'open' NOT NULL,
    total DECIMAL(15, 2) DEFAULT 0.00,
    placed DATE DEFAULT DATE '2024-01-01',
    note TEXT NULL DEFAULT NULL,
    priority INT DEFAULT -1 CHECK (priority >= -1)
);
CREATE TABLE pairs (
    a INT,
    b INT,
    CONSTRAINT pairs_pk PRIMARY KEY (a DESC, b),
    UNIQUE (b),
    CHECK (a <> b)
);
INSERT INTO orders (id, customer) VALUES (1, 10);
INSERT INTO orders VALUES (2, 20, DEFAULT, 5.00, DEFAULT, DEFAULT, 3);
INSERT INTO t2 DEFAULT VALUES
