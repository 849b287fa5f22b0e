import Quiver
import Testing

/// EXPLAIN ANALYZE of a parallel pipeline counts the rows of every worker.
@Suite struct ParallelProfileTests {
    @Test func workersRowsAreSummed() throws {
        let connection = Database.inMemory(threadCount: 2).connect()
        try connection.execute("CREATE TABLE t AS SELECT range AS a FROM range(100000)")
        let lines = try connection.execute("EXPLAIN ANALYZE SELECT count(*) FROM t WHERE a % 2 = 0").rows.map { $0[0].description }
        let executed = Array(lines.drop { $0 != "Executed:" })
        #expect(executed.contains { $0.contains("ParallelHashAggregate (2 threads)") })
        #expect(executed.contains { $0.trimmingCharacters(in: .whitespaces) == "Scan t (rows=50000)" },
                "\(executed.joined(separator: "\n"))")
        #expect(try connection.execute("SELECT count(*) FROM t WHERE a % 2 = 0").rows == [[.int64(50000)]])
    }

    @Test func joinKeyFilterCountsAreSummedToo() throws {
        let connection = Database.inMemory(threadCount: 2).connect()
        try connection.execute("CREATE TABLE t AS SELECT range AS a FROM range(100000)")
        try connection.execute("CREATE TABLE s AS SELECT range * 7 AS b FROM range(10)")
        let lines = try connection.execute("EXPLAIN ANALYZE SELECT count(*) FROM t JOIN s ON t.a = s.b").rows
            .map { $0[0].description.trimmingCharacters(in: .whitespaces) }
        #expect(lines.contains("JoinKeyFilter (from join #1) checked=100000 passed=10 (rows=10)"), "\(lines.joined(separator: "\n"))")
        #expect(lines.contains("Scan t (rows=100000)"))
    }
}
