import Columnar
import Foundation
import Quiver
import Testing

@Suite struct ConnectionTests {
    private func connection() -> Connection { Database.inMemory(threadCount: 1).connect() }

    @Test func createsInsertsAndQueries() throws {
        let connection = connection()
        try connection.execute("CREATE TABLE t (a INTEGER NOT NULL, b VARCHAR)")
        let insert = try connection.execute("INSERT INTO t VALUES (1, 'x'), (2, NULL), (3, 'z')")
        #expect(insert.status == "INSERT 0 3")
        let result = try connection.execute("SELECT a, b FROM t WHERE a >= 2 ORDER BY a DESC")
        #expect(result.fields.map(\.name) == ["a", "b"])
        #expect(result.rows == [[.int32(3), .string("z")], [.int32(2), .null]])
    }

    @Test func notNullViolationLeavesTheTableUnchanged() throws {
        let connection = connection()
        try connection.execute("CREATE TABLE t (a INTEGER NOT NULL)")
        try connection.execute("INSERT INTO t VALUES (1)")
        #expect(throws: QuiverError.self) { try connection.execute("INSERT INTO t VALUES (2), (NULL)") }
        #expect(try connection.execute("SELECT count(*) FROM t").rows == [[.int64(1)]])
    }

    @Test func syntaxErrorsCarryTheirPosition() throws {
        let connection = connection()
        do {
            try connection.execute("SELECT 1;\nSELEC 2")
            Issue.record("expected an error")
        } catch let error as QuiverError {
            #expect(error.location?.line == 2)
            #expect(error.location?.column == 1)
            let rendered = error.rendered(source: "SELECT 1;\nSELEC 2", fileName: "script.sql")
            #expect(rendered.contains("script.sql:2:1"))
            #expect(rendered.contains("did you mean SELECT?"))
        }
    }

    @Test func bindErrorsCarryTheirPosition() throws {
        let connection = connection()
        try connection.execute("CREATE TABLE t (a INTEGER)")
        do {
            try connection.execute("SELECT b FROM t")
            Issue.record("expected an error")
        } catch let error as QuiverError {
            #expect(error.message.contains("column \"b\" does not exist"))
            #expect(error.location?.column == 8)
        }
    }

    @Test func setChangesSettingsAndRejectsUnknownNames() throws {
        let connection = connection()
        try connection.execute("SET threads = 2")
        #expect(connection.settings.threadCount == 2)
        try connection.execute("SET disabled_rules = 'predicate_pushdown, projection_pruning'")
        #expect(connection.settings.disabledRules == ["predicate_pushdown", "projection_pruning"])
        #expect(throws: QuiverError.self) { try connection.execute("SET threads = 0") }
        #expect(throws: QuiverError.self) { try connection.execute("SET no_such_setting = 1") }
    }

    @Test func showTablesAndDescribe() throws {
        let connection = connection()
        try connection.execute("CREATE TABLE b (x DECIMAL(15,2) NOT NULL, y DATE)")
        try connection.execute("CREATE TABLE a (z BIGINT)")
        #expect(try connection.execute("SHOW TABLES").rows == [[.string("a")], [.string("b")]])
        #expect(try connection.execute("DESCRIBE b").rows == [
            [.string("x"), .string("DECIMAL(15,2)"), .string("NO"), .null, .null],
            [.string("y"), .string("DATE"), .string("YES"), .null, .null],
        ])
    }

    @Test func analyzeStoresStatistics() throws {
        let connection = connection()
        try connection.execute("CREATE TABLE t (a INTEGER, s VARCHAR)")
        try connection.execute("INSERT INTO t VALUES (5, 'b'), (NULL, 'a'), (-2, NULL)")
        try connection.execute("ANALYZE t")
        let statistics = try #require(try connection.database.catalog.statistics(of: .init(name: "t")))
        #expect(statistics.rowCount == 3)
        #expect(statistics.columns["a"]?.minimum == .int32(-2))
        #expect(statistics.columns["a"]?.maximum == .int32(5))
        #expect(statistics.columns["a"]?.nullCount == 1)
        #expect(statistics.columns["s"]?.minimum == .string("a"))
    }

    @Test func explainShowsThePlanAndAnalyzeCountsRows() throws {
        let connection = connection()
        try connection.execute("CREATE TABLE t (a INTEGER)")
        try connection.execute("INSERT INTO t VALUES (1), (2), (3)")
        let plan = try connection.execute("EXPLAIN SELECT a FROM t WHERE a > 1")
        #expect(plan.fields.map(\.name) == ["plan"])
        let text = plan.rows.map { $0[0].description }.joined(separator: "\n")
        #expect(text.contains("Scan"))
        let analyzed = try connection.execute("EXPLAIN ANALYZE SELECT a FROM t WHERE a > 1")
        let analyzedText = analyzed.rows.map { $0[0].description }.joined(separator: "\n")
        #expect(analyzedText.contains("rows=2"))
    }

    @Test func directoryCatalogPersistsAcrossDatabases() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("quiver-test-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let connection = try Database.open(directory: directory, threadCount: 1).connect()
            try connection.execute("CREATE TABLE t (a INTEGER, b VARCHAR); INSERT INTO t VALUES (1, 'one'), (2, 'two')")
            try connection.execute("CREATE VIEW v AS SELECT b FROM t WHERE a = 2")
        }
        let reopened = try Database.open(directory: directory, threadCount: 1).connect()
        #expect(try reopened.execute("SELECT * FROM v").rows == [[.string("two")]])
        #expect(try reopened.execute("SELECT sum(a) FROM t").rows == [[.int64(3)]])
    }
}

@Suite struct ResultFormatterTests {
    private func result() throws -> QueryResult {
        try Database.inMemory(threadCount: 1).connect().execute(
            "SELECT * FROM (VALUES (1, 'a,b', 1.50), (NULL, '', NULL)) AS t(n, s, d)")
    }

    @Test func csvQuotesAndKeepsEmptyStringsApartFromNulls() throws {
        #expect(ResultFormatter.format(try result(), as: .csv) == "n,s,d\n1,\"a,b\",1.50\n,\"\",\n")
    }

    @Test func jsonHasOneObjectPerRow() throws {
        #expect(ResultFormatter.format(try result(), as: .json) == "[\n{\"n\":1,\"s\":\"a,b\",\"d\":1.50},\n{\"n\":null,\"s\":\"\",\"d\":null}\n]\n")
    }

    @Test func tableFitsTheWidth() throws {
        let text = ResultFormatter.format(try result(), as: .table, width: 30)
        #expect(text.contains("┌"))
        for line in text.split(separator: "\n") { #expect(line.count <= 30) }
    }
}

@Suite struct StatementScannerTests {
    @Test func aSemicolonOutsideQuotesAndCommentsEndsTheStatement() {
        #expect(StatementScanner.endsWithCompleteStatement("SELECT 1;"))
        #expect(StatementScanner.endsWithCompleteStatement("SELECT 1;  \n"))
        #expect(!StatementScanner.endsWithCompleteStatement("SELECT 1"))
        #expect(!StatementScanner.endsWithCompleteStatement("SELECT ';"))
        #expect(!StatementScanner.endsWithCompleteStatement("SELECT 1 -- ;"))
        #expect(!StatementScanner.endsWithCompleteStatement("SELECT 1 /* ; */"))
        #expect(StatementScanner.endsWithCompleteStatement("SELECT 'a;b' /* x */;"))
        #expect(!StatementScanner.endsWithCompleteStatement("SELECT \"a;"))
    }
}
