import Columnar
import Foundation
@testable import SQLLogicTest
import Testing

extension Record.Kind {
    var statementExpectation: Record.StatementExpectation? {
        if case .statement(let expectation) = self { return expectation }
        return nil
    }
}

@Suite struct SQLLogicTestTests {
    @Test func md5MatchesTheReferenceVectors() {
        var empty = MD5()
        #expect(empty.finalize() == "d41d8cd98f00b204e9800998ecf8427e")
        var abc = MD5()
        abc.update(Array("abc".utf8))
        #expect(abc.finalize() == "900150983cd24fb0d6963f7d28e17f72")
        var long = MD5()
        long.update(Array(String(repeating: "1234567890", count: 8).utf8))
        #expect(long.finalize() == "57edf4a22be3c955ac49da2e2107b67a")
    }

    @Test func parsesRecordsWithConditions() throws {
        let text = """
        # a comment
        statement ok
        CREATE TABLE t(a INTEGER)

        skipif quiver
        query I rowsort label-1
        SELECT a
        FROM t
        ----
        1
        2

        statement error does not exist
        SELECT * FROM missing

        hash-threshold 8

        halt
        """
        let records = try RecordParser.parse(text, path: "x.slt")
        #expect(records.count == 5)
        guard case .query(let query) = records[1].kind else {
            Issue.record("expected a query")
            return
        }
        #expect(query.types == ["I"])
        #expect(query.sortMode == .rowSort)
        #expect(query.label == "label-1")
        #expect(query.expected == ["1", "2"])
        #expect(records[1].sql == "SELECT a\nFROM t")
        #expect(records[1].line == 6)
        #expect(!records[1].conditions[0].allows("quiver"))
        #expect(records[2].kind.statementExpectation == .error("does not exist"))
    }

    @Test func unknownRecordsAreFileErrors() {
        #expect(throws: TestFileError.self) { try RecordParser.parse("frobnicate\n", path: "x.slt") }
        #expect(throws: TestFileError.self) { try RecordParser.parse("query Q\nSELECT 1\n", path: "x.slt") }
    }

    @Test func formatsValuesByColumnType() {
        #expect(ResultComparison.format(.null, type: "I") == "NULL")
        #expect(ResultComparison.format(.string(""), type: "T") == "(empty)")
        #expect(ResultComparison.format(.float64(2.5), type: "R") == "2.500")
        #expect(ResultComparison.format(.decimal(-275, precision: 5, scale: 2), type: "I") == "-2")
        #expect(ResultComparison.format(.decimal(1250, precision: 5, scale: 2), type: "T") == "12.50")
        #expect(ResultComparison.format(.int32(7), type: "R") == "7.000")
    }

    @Test func runsAFileAndCountsFailures() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("runner-\(UUID().uuidString).slt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try """
        statement ok
        CREATE TABLE t(a INTEGER, b VARCHAR)

        statement ok
        INSERT INTO t(b, a) VALUES ('x', 2), ('y', 1)

        query IT rowsort
        SELECT a, b FROM t
        ----
        1\ty
        2\tx

        query I
        SELECT a FROM t ORDER BY a
        ----
        1
        3

        query I
        SELECT a FROM t ORDER BY a
        ----
        2 values hashing to 6ddb4095eb719e2a9f0a3f95677d24e0

        statement error
        SELECT nope FROM t
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let summary = TestRunner.run(path: path, threadCount: 1)
        #expect(summary.passed == 5)
        #expect(summary.failed == 1)
        #expect(summary.failures.map(\.line) == [13])
    }

    // MARK: - Runner features

    /// Runs an inline test file and returns its summary.
    private func run(_ text: String) throws -> TestRunner.Summary {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("runner-\(UUID().uuidString).slt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return TestRunner.run(path: path, threadCount: 1)
    }

    private let table = """
        statement ok
        CREATE TABLE t(a INTEGER, b INTEGER)

        statement ok
        INSERT INTO t(b, a) VALUES (10, 1), (20, 2), (30, 3)


        """

    @Test func loopsAndForeachExpandWithSubstitution() throws {
        let records = try RecordParser.parse("""
            loop i 0 3
            statement ok
            INSERT INTO t VALUES (${i})

            endloop
            foreach kind x y
            query I
            SELECT '${kind}'
            ----
            ${kind}

            endloop
            """, path: "x.slt")
        #expect(records.map(\.sql) == ["INSERT INTO t VALUES (0)", "INSERT INTO t VALUES (1)", "INSERT INTO t VALUES (2)",
                                        "SELECT 'x'", "SELECT 'y'"])
        #expect(records.map(\.line) == [2, 2, 2, 7, 7])
        #expect(throws: TestFileError.self) { try RecordParser.parse("loop i 0 3\nstatement ok\nSELECT 1\n", path: "x.slt") }
        // Bounds whose distance overflows are an error, not a trap.
        #expect(throws: TestFileError.self) {
            try RecordParser.parse("loop i -9223372036854775808 1\nstatement ok\nSELECT 1\nendloop\n", path: "x.slt")
        }
    }

    @Test func valuePerLineAndRowPerLineLayoutsBothMatch() throws {
        let summary = try run(table + """
            query II nosort
            SELECT a, b FROM t ORDER BY a
            ----
            1
            10
            2
            20
            3
            30

            query II rowsort
            SELECT a, b FROM t
            ----
            3\t30
            1\t10
            2\t20

            query I valuesort
            SELECT b FROM t
            ----
            30
            10
            20
            """)
        #expect(summary.failures.map(\.line) == [])
        #expect(summary.passed == 5)
    }

    @Test func hashedResultsMustMatchTheirMD5() throws {
        let summary = try run(table + """
            hash-threshold 4

            query II rowsort
            SELECT a, b FROM t
            ----
            6 values hashing to eec09b499a9f85c0bf4b07134d807d7a

            query II rowsort
            SELECT a, b FROM t
            ----
            6 values hashing to 00000000000000000000000000000000
            """)
        #expect(summary.passed == 3)
        #expect(summary.failures.map(\.line) == [14])
        #expect(summary.failures.first?.got == "6 values hashing to eec09b499a9f85c0bf4b07134d807d7a")
    }

    @Test func queriesWithTheSameLabelMustAgree() throws {
        let summary = try run(table + """
            query I nosort label-a
            SELECT a FROM t ORDER BY a
            ----
            3 values hashing to c0710d6b4f15dfa88f600b0e6b624077

            query I nosort label-a
            SELECT a FROM t WHERE a IN (1, 2, 3) ORDER BY 1
            ----
            1
            2
            3

            query I nosort label-a
            SELECT a + 1 FROM t ORDER BY 1
            """)
        #expect(summary.passed == 4)
        #expect(summary.failures.map(\.line) == [19])
    }

    @Test func skipifAndOnlyifSelectRecordsForQuiver() throws {
        let summary = try run("""
            onlyif sqlite # only there
            statement ok
            THIS IS NOT SQL

            skipif quiver
            statement ok
            NOR THIS

            skipif postgresql
            onlyif quiver
            query I
            SELECT 1
            ----
            1

            onlyif Quiver
            query I
            SELECT 2
            ----
            2
            """)
        #expect(summary.passed == 2)
        #expect(summary.skipped == 2)
        #expect(summary.failed == 0)
    }

    @Test func haltAndUnavailableRequirementsSkipTheRest() throws {
        let halted = try run("""
            statement ok
            SELECT 1

            halt

            statement ok
            NOT SQL
            """)
        #expect(halted.passed == 1)
        #expect(halted.skipped == 1)
        let required = try run("""
            require skip_reload

            statement ok
            SELECT 1

            require parquet

            statement ok
            SELECT * FROM 'x.parquet'

            query I
            SELECT 1
            ----
            1
            """)
        #expect(required.passed == 1)
        #expect(required.skipped == 2)
        #expect(required.failed == 0)
        #expect(required.notes.count == 1)
        #expect(required.notes.first?.contains("require parquet") == true)
    }

    @Test func modeSkipSkipsUntilUnskip() throws {
        let summary = try run("""
            mode skip

            statement ok
            NOT SQL

            mode unskip

            query I
            SELECT 1
            ----
            1
            """)
        #expect(summary.passed == 1)
        #expect(summary.skipped == 1)
    }

    @Test func expectedErrorsAreMatchedByMessage() throws {
        let summary = try run("""
            statement error
            SELECT * FROM missing
            ----
            Catalog Error: relation "missing" does not exist

            statement error DOES NOT EXIST
            SELECT * FROM missing

            query error division by zero
            SELECT 1 / 0

            statement error <REGEX>:relation "mis+ing"
            SELECT * FROM missing

            statement error
            SELECT * FROM missing
            ----
            a different message

            query error
            SELECT 1
            """)
        #expect(summary.passed == 4)
        #expect(summary.failures.map(\.line) == [15, 20])
    }

    @Test func statementCountChecksAffectedRows() throws {
        let summary = try run("""
            statement ok
            CREATE TABLE t(a INTEGER)

            statement count 3
            INSERT INTO t VALUES (1), (2), (3)

            statement count 5
            DELETE FROM t WHERE a > 1
            """)
        #expect(summary.passed == 2)
        #expect(summary.failures.map(\.line) == [7])
    }

    @Test func booleansAndDecimalsCompareLeniently() throws {
        let summary = try run("""
            query IT
            SELECT 1 < 2, 1 > 2
            ----
            1\tfalse

            query TT
            SELECT 1 < 2, 1 > 2
            ----
            1\t0

            query R
            SELECT 14000.0 / 3
            ----
            4666.666667

            query R
            SELECT 14000.0 / 3
            ----
            4666.667

            query R
            SELECT 14000.0 / 3
            ----
            4666.66
            """)
        #expect(summary.passed == 4)
        #expect(summary.failures.map(\.line) == [21])
    }

    @Test func formatsBooleansPerColumnType() {
        #expect(ResultComparison.format(.boolean(true), type: "I") == "1")
        #expect(ResultComparison.format(.boolean(false), type: "R") == "0")
        #expect(ResultComparison.format(.boolean(true), type: "T") == "true")
        #expect(!ResultComparison.format(.float64(1e300), type: "I").isEmpty)
        #expect(ResultComparison.format(.float64(-2.9), type: "I") == "-2")
    }

    @Test func errorMessagesMatchDuckDBStyleExpectations() {
        #expect(ResultComparison.errorMatches("more than one row returned by a subquery", expected: "More than one row returned"))
        #expect(ResultComparison.errorMatches("relation \"x\" does not exist", expected: "Catalog Error: relation \"x\" does not exist"))
        #expect(!ResultComparison.errorMatches("division by zero", expected: "Catalog Error: does not exist"))
        #expect(ResultComparison.errorMatches("anything", expected: nil))
        #expect(!ResultComparison.errorMatches("abc", expected: "<!REGEX>:a.c"))
    }
}
