import Binder
import Catalog
import Columnar
import LogicalPlan
import SQLSyntax
import Testing

/// The plan of an INSERT.
private func insertPlan(_ sql: String) throws -> (TableIdentifier, Projection) {
    guard case .insert(let table, let plan) = try bind(sql), case .projection(let projection) = plan else {
        Issue.record("expected an INSERT with a projection: \(sql)")
        throw BindError("not an insert")
    }
    return (table, projection)
}

@Suite struct InsertTests {
    @Test func columnsMapToTableOrder() throws {
        let (table, projection) = try insertPlan("INSERT INTO t1(b, a) VALUES ('x', 1)")
        #expect(table == TableIdentifier(name: "t1"))
        #expect(projection.items.map(\.output.name) == ["a", "b", "c"])
        #expect(projection.items.map(\.output.dataType) == [.int32, .utf8, .date32])
        guard case .values(let values) = projection.input else {
            Issue.record("expected Values, got \(projection.input)")
            return
        }
        #expect(projection.items[0].expression == .column(values.columns[1]))
        #expect(projection.items[1].expression == .column(values.columns[0]))
        #expect(projection.items[2].expression == .literal(.null, .date32))
    }

    @Test func literalsConvertToColumnTypes() throws {
        let (_, projection) = try insertPlan("INSERT INTO t1 VALUES (1, 'x', '2020-01-01'), (2.4, NULL, NULL)")
        guard case .values(let values) = projection.input else {
            Issue.record("expected Values, got \(projection.input)")
            return
        }
        #expect(values.rows[0][2] == .literal(.date(18262), .date32))
        #expect(values.rows[1][0] == .literal(.int32(2), .int32))
        #expect(values.rows[1][2] == .literal(.null, .date32))
        let error = try #require(bindError("INSERT INTO t1 VALUES (1, 'x', 'bad')"))
        #expect(error.message == "invalid input syntax for type date: \"bad\"")
        #expect(error.location?.column == 32)
    }

    @Test func queryColumnsAreCast() throws {
        let (_, projection) = try insertPlan("INSERT INTO w SELECT a, d FROM t")
        guard case .cast(_, .int64) = projection.items[0].expression,
              case .cast(_, .float64) = projection.items[1].expression else {
            Issue.record("expected casts, got \(projection.items)")
            return
        }
        let (_, literals) = try insertPlan("INSERT INTO t1 SELECT 1, 'x', '2020-01-01'")
        guard case .projection(let select) = literals.input else {
            Issue.record("expected the select's projection, got \(literals.input)")
            return
        }
        #expect(select.items[2].expression == .literal(.date(18262), .date32))
        let error = try #require(bindError("INSERT INTO w SELECT c, f FROM t"))
        #expect(error.message == "column \"a\" is of type bigint but expression is of type character varying")
    }

    @Test func countMismatches() throws {
        let more = try #require(bindError("INSERT INTO t1 VALUES (1, 'x', '2020-01-01', 4)"))
        #expect(more.message == "INSERT has more expressions than target columns")
        let fewer = try #require(bindError("INSERT INTO t1 (a, b) VALUES (1)"))
        #expect(fewer.message == "INSERT has more target columns than expressions")
    }

    @Test func targetColumnErrors() throws {
        let unknown = try #require(bindError("INSERT INTO t1 (a, zz) VALUES (1, 2)"))
        #expect(unknown.message == "column \"zz\" of relation \"t1\" does not exist")
        #expect(unknown.location?.column == 20)
        let twice = try #require(bindError("INSERT INTO t1 (a, a) VALUES (1, 2)"))
        #expect(twice.message == "column \"a\" specified more than once")
        let notNull = try #require(bindError("INSERT INTO strict (note) VALUES ('x')"))
        #expect(notNull.message == "null value in column \"id\" of relation \"strict\" violates not-null constraint")
        let table = try #require(bindError("INSERT INTO nosuch VALUES (1)"))
        #expect(table.message == "relation \"nosuch\" does not exist")
    }
}

@Suite struct DefinitionTests {
    @Test func createTable() throws {
        guard case .createTable(let definition, let ifNotExists) = try bind("""
            CREATE TABLE IF NOT EXISTS x (id INTEGER NOT NULL, price DECIMAL(10,2), name VARCHAR(20), at DATE,
                                          n BIGINT, ok BOOLEAN, r REAL, dd DOUBLE, s SMALLINT, tiny TINYINT, txt TEXT)
            """) else {
            Issue.record("expected CREATE TABLE")
            return
        }
        #expect(ifNotExists)
        #expect(definition.identifier == TableIdentifier(name: "x"))
        #expect(definition.columns.map(\.dataType) == [
            .int32, .decimal128(precision: 10, scale: 2), .utf8, .date32, .int64, .boolean, .float32, .float64, .int16,
            .int8, .utf8,
        ])
        #expect(definition.columns.map(\.isNullable) == [false] + Array(repeating: true, count: 10))
        let duplicate = try #require(bindError("CREATE TABLE x (a INT, a INT)"))
        #expect(duplicate.message == "column \"a\" specified more than once")
        #expect(duplicate.location?.column == 24)
        let timestamp = try #require(bindError("CREATE TABLE x (a TIMESTAMP)"))
        #expect(timestamp.message == "TIMESTAMP is not supported yet")
    }

    @Test func createTableAs() throws {
        guard case .createTableAs(let identifier, let plan, false) = try bind("CREATE TABLE s.x AS SELECT a, d * 2 AS dd FROM t")
        else {
            Issue.record("expected CREATE TABLE AS")
            return
        }
        #expect(identifier == TableIdentifier(schema: "s", name: "x"))
        #expect(plan.columns.map(\.name) == ["a", "dd"])
        #expect(plan.columns.map(\.dataType) == [.int32, .decimal128(precision: 25, scale: 2)])
        #expect(bindError("CREATE TABLE x AS SELECT a, a FROM t")?.message == "column \"a\" specified more than once")
    }

    @Test func createView() throws {
        guard case .createView(let view, let replacing) = try bind("CREATE OR REPLACE VIEW v (p) AS SELECT a, c FROM t WHERE a > 1")
        else {
            Issue.record("expected CREATE VIEW")
            return
        }
        #expect(replacing)
        #expect(view.identifier == TableIdentifier(name: "v"))
        #expect(view.sql == "SELECT a, c FROM t WHERE a > 1")
        #expect(view.columnNames == ["p", "c"])
        let invalid = try #require(bindError("CREATE VIEW v AS SELECT zz FROM t"))
        #expect(invalid.message == "column \"zz\" does not exist")
        // The stored text binds back to the same columns.
        let catalog = makeCatalog()
        try catalog.createView(view, replacing: false)
        #expect(try outputColumns("SELECT * FROM v", catalog: catalog).map(\.0) == ["p", "c"])
    }

    @Test func dropDescribeAnalyzeShow() throws {
        guard case .dropTable(let table, true) = try bind("DROP TABLE IF EXISTS x"),
              case .dropView(let view, false) = try bind("DROP VIEW big_a"),
              case .describe(let described) = try bind("DESCRIBE big_a"),
              case .analyze(let analyzed) = try bind("ANALYZE t"),
              case .analyze(nil) = try bind("ANALYZE"),
              case .showTables = try bind("SHOW TABLES") else {
            Issue.record("unexpected statement kinds")
            return
        }
        #expect(table == TableIdentifier(name: "x"))
        #expect(view == TableIdentifier(name: "big_a"))
        #expect(described == TableIdentifier(name: "big_a"))
        #expect(analyzed == TableIdentifier(name: "t"))
        #expect(bindError("DESCRIBE nosuch")?.message == "relation \"nosuch\" does not exist")
        #expect(bindError("ANALYZE nosuch")?.message == "relation \"nosuch\" does not exist")
    }

    @Test func explain() throws {
        guard case .explain(let inner, let isAnalyze) = try bind("EXPLAIN ANALYZE SELECT a FROM t"),
              case .query(let plan) = inner else {
            Issue.record("expected EXPLAIN of a query")
            return
        }
        #expect(isAnalyze)
        #expect(plan.columns.map(\.name) == ["a"])
    }

    @Test func set() throws {
        guard case .set(let name, let value) = try bind("SET threads = 4"),
              case .set(_, let text) = try bind("SET search_path TO 'main'"),
              case .set(_, let negative) = try bind("SET x = -1.5"),
              case .set("threads", nil) = try bind("SET threads TO DEFAULT") else {
            Issue.record("expected SET")
            return
        }
        #expect(name == "threads")
        #expect(value == .int32(4))
        #expect(text == .string("main"))
        #expect(negative == .decimal(-15, precision: 2, scale: 1))
    }
}

@Suite struct CopyTests {
    @Test func copyFromWithOptions() throws {
        guard case .copyFrom(let table, let path, let options) =
                try bind("COPY t FROM 'data.csv' (FORMAT CSV, HEADER, DELIMITER '|', QUOTE '''', NULL 'NA')") else {
            Issue.record("expected COPY FROM")
            return
        }
        #expect(table == TableIdentifier(name: "t"))
        #expect(path == "data.csv")
        #expect(options.hasHeader)
        #expect(options.delimiter == UInt8(ascii: "|"))
        #expect(options.quote == UInt8(ascii: "'"))
        #expect(options.nullString == "NA")
    }

    @Test func copyErrors() throws {
        let unknown = try #require(bindError("COPY t FROM 'data.csv' (HEADER, BOGUS 1)"))
        #expect(unknown.message == "option \"bogus\" not recognized")
        #expect(unknown.location?.column == 33)
        let parquet = try #require(bindError("COPY (SELECT 1) TO 'out.parquet' (FORMAT PARQUET)"))
        #expect(parquet.message == "COPY FORMAT PARQUET is not supported yet")
        let arrowOption = try #require(bindError("COPY t TO 'out.arrow' (FORMAT ARROW, HEADER)"))
        #expect(arrowOption.message == "COPY option \"header\" is not allowed with FORMAT ARROW")
        let delimiter = try #require(bindError("COPY t FROM 'data.csv' (DELIMITER '||')"))
        #expect(delimiter.message == "COPY delimiter must be a single one-byte character")
        #expect(bindError("COPY nosuch FROM 'x.csv'")?.message == "relation \"nosuch\" does not exist")
    }

    @Test func copyTo() throws {
        guard case .copyTo(let table, "out.csv", let options) = try bind("COPY u TO 'out.csv' (HEADER)"),
              case .copyTo(let query, _, _) = try bind("COPY (SELECT a FROM t WHERE a > 1) TO 'q.csv'"),
              case .copyTo(let columns, _, _) = try bind("COPY t (c, a) TO 'c.csv'") else {
            Issue.record("expected COPY TO")
            return
        }
        #expect(options.hasHeader)
        #expect(table.columns.map(\.name) == ["a", "x"])
        #expect(query.columns.map(\.name) == ["a"])
        #expect(columns.columns.map(\.name) == ["c", "a"])
    }
}
