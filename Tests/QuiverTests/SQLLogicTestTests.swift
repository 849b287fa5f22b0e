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
}
