import Testing
@testable import SQLSyntax

@Suite("Statements")
struct StatementTests {
    @Test func createTable() throws {
        let parsed = try statement("""
            CREATE TABLE IF NOT EXISTS main.lineitem (
                l_orderkey BIGINT NOT NULL,
                l_quantity DECIMAL(15,2) NULL,
                l_comment VARCHAR(44),
                l_shipdate DATE,
                "Flag" boolean
            )
            """)
        guard case .createTable(let create) = parsed.kind else {
            Issue.record("not CREATE TABLE")
            return
        }
        #expect(create.ifNotExists)
        #expect(create.name.parts.map(\.value) == ["main", "lineitem"])
        #expect(create.columns.map(\.name.value) == ["l_orderkey", "l_quantity", "l_comment", "l_shipdate", "Flag"])
        #expect(create.columns.map { typeText($0.type) } == ["bigint", "decimal(15,2)", "varchar(44)", "date", "boolean"])
        #expect(create.columns.map(\.isNotNull) == [true, false, false, false, false])
        #expect(create.columns[4].name.isQuoted)
    }

    @Test func sqliteStyleCreateAndInsert() throws {
        let create = try statement("CREATE TABLE t1(a INTEGER, b INTEGER)")
        guard case .createTable(let table) = create.kind else {
            Issue.record("not CREATE TABLE")
            return
        }
        #expect(table.ifNotExists == false)
        #expect(table.columns.map { typeText($0.type) } == ["integer", "integer"])
        let insert = try statement("INSERT INTO t1(b,a) VALUES(1,2)")
        guard case .insert(let parsedInsert) = insert.kind, case .values(let values)? = parsedInsert.source?.body else {
            Issue.record("not INSERT ... VALUES")
            return
        }
        #expect(parsedInsert.columns?.map(\.value) == ["b", "a"])
        #expect(values.rows.map { $0.map(sExpression) } == [["1", "2"]])
    }

    @Test func createTableAs() throws {
        let parsed = try statement("CREATE TABLE t2 AS SELECT a FROM t1 WHERE a > 0")
        guard case .createTableAs(let create) = parsed.kind, case .select(let core) = create.query.body else {
            Issue.record("not CREATE TABLE AS")
            return
        }
        #expect(create.name.parts.map(\.value) == ["t2"])
        #expect(create.ifNotExists == false)
        #expect(selectList(core) == ["a"])
    }

    @Test func dropStatements() throws {
        #expect(try statement("DROP TABLE t").kind == .dropTable(DropObject(
            name: QualifiedName(parts: [Identifier(value: "t", location: SourceLocation(line: 1, column: 12, offset: 11))],
                                location: SourceLocation(line: 1, column: 12, offset: 11)),
            ifExists: false)))
        guard case .dropTable(let dropTable) = try statement("DROP TABLE IF EXISTS s.t").kind else {
            Issue.record("not DROP TABLE")
            return
        }
        #expect(dropTable.ifExists)
        #expect(dropTable.name.parts.map(\.value) == ["s", "t"])
        guard case .dropView(let dropView) = try statement("drop view if exists v").kind else {
            Issue.record("not DROP VIEW")
            return
        }
        #expect(dropView.ifExists)
        #expect(dropView.name.baseName == "v")
    }

    @Test func createView() throws {
        guard case .createView(let view) = try statement("CREATE OR REPLACE VIEW v (x, y) AS SELECT 1, 2").kind else {
            Issue.record("not CREATE VIEW")
            return
        }
        #expect(view.orReplace)
        #expect(view.columns.map(\.value) == ["x", "y"])
        guard case .createView(let plain) = try statement("CREATE VIEW v AS WITH a AS (SELECT 1) SELECT * FROM a").kind else {
            Issue.record("not CREATE VIEW")
            return
        }
        #expect(plain.orReplace == false)
        #expect(plain.columns.isEmpty)
        #expect(plain.query.with != nil)
    }

    @Test func insertForms() throws {
        guard case .insert(let select) = try statement("INSERT INTO t SELECT * FROM u").kind else {
            Issue.record("not INSERT")
            return
        }
        #expect(select.columns == nil)
        #expect(select.table.baseName == "t")
        guard case .insert(let parenthesized) = try statement("INSERT INTO t (SELECT 1)").kind else {
            Issue.record("not INSERT")
            return
        }
        #expect(parenthesized.columns == nil)
        guard case .insert(let with) = try statement("INSERT INTO t (a) WITH x AS (SELECT 1) SELECT * FROM x").kind else {
            Issue.record("not INSERT")
            return
        }
        #expect(with.columns?.map(\.value) == ["a"])
        #expect(with.source?.with != nil)
    }

    @Test func copyStatements() throws {
        guard case .copy(let copy) = try statement(
            "COPY lineitem FROM 'data/lineitem.tbl' (DELIMITER '|', HEADER false, QUOTE '\"', ESCAPE '\\', NULL '', FORMAT CSV)"
        ).kind else {
            Issue.record("not COPY")
            return
        }
        #expect(copy.direction == .from)
        #expect(copy.path == "data/lineitem.tbl")
        #expect(copy.source == .table(QualifiedName(parts: [Identifier(value: "lineitem", location: SourceLocation(line: 1, column: 6, offset: 5))],
                                                    location: SourceLocation(line: 1, column: 6, offset: 5)), columns: []))
        #expect(copy.options.map(\.name) == ["delimiter", "header", "quote", "escape", "null", "format"])
        #expect(copy.options.map(\.value) == [.string("|"), .boolean(false), .string("\""), .string("\\"), .string(""), .string("csv")])

        guard case .copy(let legacy) = try statement("COPY t (a, b) FROM 'x.csv' WITH DELIMITER AS ';' CSV HEADER").kind else {
            Issue.record("not COPY")
            return
        }
        guard case .table(_, let columns) = legacy.source else {
            Issue.record("not a table source")
            return
        }
        #expect(columns.map(\.value) == ["a", "b"])
        #expect(legacy.options.map(\.name) == ["delimiter", "format", "header"])
        #expect(legacy.options.map(\.value) == [.string(";"), .string("csv"), nil])

        guard case .copy(let nulls) = try statement("COPY t FROM 'x.tbl' NULL AS 'NA' DELIMITER '|' HEADER").kind else {
            Issue.record("not COPY")
            return
        }
        #expect(nulls.options.map(\.name) == ["null", "delimiter", "header"])
        #expect(nulls.options.map(\.value) == [.string("NA"), .string("|"), nil])

        guard case .copy(let export) = try statement("COPY (SELECT * FROM t) TO 'out.csv' WITH (HEADER)").kind else {
            Issue.record("not COPY")
            return
        }
        #expect(export.direction == .to)
        guard case .query = export.source else {
            Issue.record("not a query source")
            return
        }
        #expect(export.options == [CopyOption(name: "header", value: nil, location: SourceLocation(line: 1, column: 43, offset: 42))])
        guard case .copy(let plain) = try statement("COPY t TO 'out.csv'").kind else { return }
        #expect(plain.options.isEmpty)
        #expect(parseError("COPY (SELECT 1) FROM 'x'")?.message == "COPY FROM needs a table, not a query")
        #expect(parseError("COPY t FROM STDIN")?.message == "COPY STDIN is not supported yet")
    }

    @Test func explainAndAnalyze() throws {
        let parsed = try statement("EXPLAIN ANALYZE SELECT 1")
        guard case .explain(let explain) = parsed.kind, case .query = explain.statement.kind else {
            Issue.record("not EXPLAIN ANALYZE")
            return
        }
        #expect(explain.isAnalyze)
        #expect(explain.statement.text == "SELECT 1")
        #expect(explain.statement.location == SourceLocation(line: 1, column: 17, offset: 16))
        guard case .explain(let plain) = try statement("EXPLAIN INSERT INTO t VALUES (1)").kind,
            case .insert = plain.statement.kind
        else {
            Issue.record("not EXPLAIN INSERT")
            return
        }
        #expect(plain.isAnalyze == false)
        #expect(try statement("ANALYZE").kind == .analyze(Analyze(table: nil)))
        guard case .analyze(let analyze) = try statement("ANALYZE lineitem").kind else { return }
        #expect(analyze.table?.baseName == "lineitem")
    }

    @Test func setShowDescribe() throws {
        guard case .set(let threads) = try statement("SET threads = 4").kind else { return }
        #expect(threads.name.value == "threads")
        #expect(threads.value.map(sExpression) == ["4"])
        guard case .set(let path) = try statement("SET search_path TO main, 'other'").kind else { return }
        #expect(path.value.map(sExpression) == ["'main'", "'other'"])
        guard case .set(let reset) = try statement("SET memory_limit = DEFAULT").kind else { return }
        #expect(reset.value.isEmpty)
        guard case .set(let on) = try statement("SET enable_progress_bar = on").kind else { return }
        #expect(on.value.map(sExpression) == ["'on'"])
        guard case .set(let flag) = try statement("SET x TO true").kind else { return }
        #expect(flag.value.map(sExpression) == ["TRUE"])
        guard case .set(let resetStatement) = try statement("RESET threads").kind else { return }
        #expect(resetStatement.value.isEmpty)
        #expect(try statement("SHOW TABLES").kind == .showTables)
        guard case .describe(let describe) = try statement("DESCRIBE main.t").kind else { return }
        #expect(describe.name.parts.map(\.value) == ["main", "t"])
    }

    @Test func scriptsSplitIntoStatementsWithLocationsAndText() throws {
        let script = """
            -- leading comment
            SELECT 1;;
            CREATE TABLE t (a INT);  /* between */
              INSERT INTO t
                VALUES (1) ;
            SELECT a FROM t
            """
        let statements = try Parser.parse(script)
        #expect(statements.count == 4)
        #expect(statements.map(\.text) == [
            "SELECT 1", "CREATE TABLE t (a INT)", "INSERT INTO t\n    VALUES (1)", "SELECT a FROM t",
        ])
        #expect(statements.map(\.location.line) == [2, 3, 4, 6])
        #expect(statements[2].location == SourceLocation(line: 4, column: 3, offset: 71))
        #expect(try Parser.parse("").isEmpty)
        #expect(try Parser.parse(" ; ; -- nothing").isEmpty)
        #expect(try Parser.parse("SELECT 1;").count == 1)
    }

    @Test func unsupportedStatements() {
        let cases: [(String, String, Int)] = [
            ("UPDATE t SET a = 1 FROM u", "UPDATE ... FROM is not supported yet", 20),
            ("DELETE FROM t USING u", "DELETE ... USING is not supported yet", 15),
            ("CREATE TABLE t (a INT REFERENCES u (a))", "REFERENCES (foreign keys) is not supported yet", 23),
            ("CREATE TABLE t (a INT, FOREIGN KEY (a) REFERENCES u)", "FOREIGN KEY is not supported yet", 24),
            ("CREATE TABLE t (a INT, CONSTRAINT f FOREIGN KEY (a) REFERENCES u)", "FOREIGN KEY is not supported yet", 37),
            ("CREATE TABLE t (a INTEGER PRIMARY KEY AUTOINCREMENT)", "AUTOINCREMENT is not supported yet", 39),
            ("INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING", "INSERT ... ON CONFLICT is not supported yet", 26),
            ("CREATE UNIQUE INDEX i ON t (a)", "CREATE UNIQUE INDEX is not supported yet", 8),
            ("CREATE INDEX i ON t (lower(a))", "CREATE INDEX on an expression or with COLLATE is not supported yet", 27),
            ("CREATE INDEX i ON t (a) WHERE a > 0", "partial index (CREATE INDEX ... WHERE) is not supported yet", 25),
            ("CREATE TEMP TABLE t (a INT)", "CREATE TEMP is not supported yet", 8),
            ("CREATE OR REPLACE TABLE t (a INT)", "CREATE OR REPLACE TABLE is not supported yet", 19),
            ("DROP TABLE a, b", "dropping several objects in one statement is not supported yet", 13),
            ("BEGIN", "BEGIN is not supported yet", 1),
            ("SHOW x", "SHOW other than SHOW TABLES is not supported yet", 6),
        ]
        for (sql, message, column) in cases {
            let error = parseError(sql)
            #expect(error?.message == message, "\(sql)")
            #expect(error?.location.column == column, "\(sql)")
        }
        #expect(parseError("CREATE TABLE t (a)")?.hint == "column \"a\" needs a type, e.g. a INTEGER")
    }

    @Test func createIndexParsesNameTableAndColumns() throws {
        guard case .createIndex(let index) = try statement("CREATE INDEX IF NOT EXISTS i ON s.t USING btree (a DESC NULLS LAST, b)").kind else {
            Issue.record("expected CREATE INDEX")
            return
        }
        #expect(index.name?.value == "i")
        #expect(index.table.parts.map(\.value) == ["s", "t"])
        #expect(index.columns.map(\.value) == ["a", "b"])
        guard case .createIndex(let unnamed) = try statement("CREATE INDEX ON t (a)").kind else {
            Issue.record("expected CREATE INDEX")
            return
        }
        #expect(unnamed.name == nil)
    }
}
