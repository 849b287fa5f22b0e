import Columnar
import Foundation
import Quiver
import Testing

@Suite struct ConstraintTests {
    private func connection() -> Connection { Database.inMemory(threadCount: 1).connect() }

    /// The error of a statement that must fail.
    private func failure(_ connection: Connection, _ sql: String) -> QuiverError? {
        do {
            try connection.execute(sql)
            Issue.record("no error: \(sql)")
            return nil
        } catch {
            return error as? QuiverError
        }
    }

    @Test func duplicatePrimaryKeyAgainstExistingRows() throws {
        let connection = connection()
        try connection.execute("CREATE TABLE t (a INTEGER PRIMARY KEY, b VARCHAR)")
        try connection.execute("INSERT INTO t VALUES (1, 'x'), (2, 'y')")
        let error = try #require(failure(connection, "INSERT INTO t VALUES (3, 'z'), (1, 'again')"))
        #expect(error.message == "duplicate key value violates unique constraint \"t_pkey\"")
        #expect(error.detail == "Key (a)=(1) already exists.")
        #expect(error.rendered(source: "").contains("DETAIL: Key (a)=(1) already exists."))
        #expect(try connection.execute("SELECT a, b FROM t ORDER BY a").rows == [[.int32(1), .string("x")], [.int32(2), .string("y")]])
    }

    @Test func duplicateWithinTheNewRows() throws {
        let connection = connection()
        try connection.execute("CREATE TABLE t (a BIGINT, b VARCHAR, PRIMARY KEY (b, a))")
        let error = try #require(failure(connection, "INSERT INTO t VALUES (1, 'x'), (2, 'x'), (1, 'x')"))
        #expect(error.message == "duplicate key value violates unique constraint \"t_pkey\"")
        #expect(error.detail == "Key (b, a)=(x, 1) already exists.")
        #expect(try connection.execute("SELECT count(*) FROM t").rows == [[.int64(0)]])
    }

    @Test func nullInPrimaryKeyFails() throws {
        let connection = connection()
        try connection.execute("CREATE TABLE t (a INTEGER, b INTEGER, PRIMARY KEY (a, b))")
        let error = try #require(failure(connection, "INSERT INTO t VALUES (1, 1), (1, NULL)"))
        #expect(error.message == "null value in column \"b\" of relation \"t\" violates not-null constraint")
        #expect(try connection.execute("SELECT count(*) FROM t").rows == [[.int64(0)]])
    }

    @Test func uniqueAllowsNullsInMultiColumnKeys() throws {
        let connection = connection()
        try connection.execute("CREATE TABLE t (a INTEGER, b VARCHAR, UNIQUE (a, b))")
        try connection.execute("INSERT INTO t VALUES (1, NULL), (1, NULL), (NULL, 'x'), (NULL, 'x'), (1, 'x')")
        let error = try #require(failure(connection, "INSERT INTO t VALUES (2, 'y'), (1, 'x')"))
        #expect(error.message == "duplicate key value violates unique constraint \"t_a_b_key\"")
        #expect(error.detail == "Key (a, b)=(1, x) already exists.")
        #expect(try connection.execute("SELECT count(*) FROM t").rows == [[.int64(5)]])
    }

    @Test func updateIsCheckedAtStatementEnd() throws {
        let connection = connection()
        try connection.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v INTEGER)")
        try connection.execute("INSERT INTO t SELECT k, k * 10 FROM (VALUES (1), (2), (3), (4), (5)) AS s(k)")
        // Each row's new key is another row's old key: valid at statement end.
        #expect(try connection.execute("UPDATE t SET k = k + 1").status == "UPDATE 5")
        #expect(try connection.execute("SELECT k FROM t ORDER BY k").rows.map(\.first) == [2, 3, 4, 5, 6].map { .int32($0) })
        // Reversing the keys swaps them all.
        try connection.execute("UPDATE t SET k = 8 - k")
        #expect(try connection.execute("SELECT k, v FROM t ORDER BY k").rows.first == [.int32(2), .int32(50)])
        let error = try #require(failure(connection, "UPDATE t SET k = 4 WHERE k = 2"))
        #expect(error.message == "duplicate key value violates unique constraint \"t_pkey\"")
        #expect(error.detail == "Key (k)=(4) already exists.")
        #expect(try connection.execute("SELECT k FROM t ORDER BY k").rows.map(\.first) == [2, 3, 4, 5, 6].map { .int32($0) })
    }

    @Test func updateAcrossSegmentsFindsDuplicatesInUntouchedSegments() throws {
        let connection = connection()
        try connection.execute("CREATE TABLE t (k INTEGER UNIQUE)")
        for key in 1...4 { try connection.execute("INSERT INTO t VALUES (\(key))") }
        let error = try #require(failure(connection, "UPDATE t SET k = 1 WHERE k = 4"))
        #expect(error.detail == "Key (k)=(1) already exists.")
        try connection.execute("UPDATE t SET k = NULL WHERE k > 2")
        #expect(try connection.execute("SELECT count(*) FROM t WHERE k IS NULL").rows == [[.int64(2)]])
    }

    @Test func copyWithADuplicateLeavesTheTableUnchanged() throws {
        let connection = connection()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("constraints-\(UUID()).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try (0..<5000).map { "\($0),n\($0)" }.joined(separator: "\n").appending("\n4999,again\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        try connection.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, note VARCHAR)")
        try connection.execute("INSERT INTO t VALUES (-1, 'first')")
        let error = try #require(failure(connection, "COPY t FROM '\(path)'"))
        #expect(error.message == "duplicate key value violates unique constraint \"t_pkey\"")
        #expect(error.detail == "Key (id)=(4999) already exists.")
        #expect(try connection.execute("SELECT count(*) FROM t").rows == [[.int64(1)]])
        // Without the duplicate line the same file loads.
        try (0..<5000).map { "\($0),n\($0)" }.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try connection.execute("COPY t FROM '\(path)'").status == "COPY 5000")
        #expect(try connection.execute("SELECT count(*) FROM t").rows == [[.int64(5001)]])
    }

    @Test func defaults() throws {
        let connection = connection()
        try connection.execute("""
            CREATE TABLE t (id INTEGER, status VARCHAR DEFAULT 'new' NOT NULL, score DOUBLE DEFAULT 0.5 * 3, note VARCHAR)
            """)
        try connection.execute("INSERT INTO t (id) VALUES (1)")
        try connection.execute("INSERT INTO t VALUES (2, DEFAULT, DEFAULT, DEFAULT)")
        try connection.execute("INSERT INTO t (note, id) SELECT 'sel', 3")
        try connection.execute("INSERT INTO t DEFAULT VALUES")
        #expect(try connection.execute("SELECT id, status, score, note FROM t ORDER BY id NULLS FIRST").rows == [
            [.null, .string("new"), .float64(1.5), .null],
            [.int32(1), .string("new"), .float64(1.5), .null],
            [.int32(2), .string("new"), .float64(1.5), .null],
            [.int32(3), .string("new"), .float64(1.5), .string("sel")],
        ])
        #expect(try connection.execute("DESCRIBE t").rows[1] == [.string("status"), .string("VARCHAR"), .string("NO"), .null, .string("'new'")])
    }

    @Test func keysSurviveReopening() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("constraints-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let connection = try Database.open(directory: directory, threadCount: 1).connect()
            try connection.execute("CREATE TABLE t (a INTEGER PRIMARY KEY, b VARCHAR DEFAULT 'd')")
            try connection.execute("INSERT INTO t (a) VALUES (1)")
        }
        let connection = try Database.open(directory: directory, threadCount: 1).connect()
        #expect(failure(connection, "INSERT INTO t VALUES (1, 'x')")?.message == "duplicate key value violates unique constraint \"t_pkey\"")
        try connection.execute("INSERT INTO t (a) VALUES (2)")
        #expect(try connection.execute("SELECT a, b FROM t ORDER BY a").rows == [[.int32(1), .string("d")], [.int32(2), .string("d")]])
    }
}
