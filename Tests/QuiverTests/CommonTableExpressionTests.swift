import Quiver
import Testing

/// A common table expression read more than once is computed once where that pays, and expanded where it does not.
@Suite struct CommonTableExpressionTests {
    private func connection() throws -> Connection {
        let connection = Database.inMemory(threadCount: 1).connect()
        try connection.execute("CREATE TABLE sales (region VARCHAR, amount INTEGER)")
        try connection.execute("INSERT INTO sales VALUES ('north', 10), ('north', 30), ('south', 5), ('east', 50)")
        return connection
    }

    /// The lines of EXPLAIN ANALYZE's executed plan (after the logical plan).
    private func executedPlan(_ sql: String, on connection: Connection) throws -> [String] {
        let lines = try connection.execute("EXPLAIN ANALYZE " + sql).rows.map { $0[0].description }
        return Array(lines.drop { $0 != "Executed:" })
    }

    private func count(_ prefix: String, in lines: [String]) -> Int {
        lines.filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix(prefix) }.count
    }

    private let selfJoin = """
        WITH totals AS (SELECT region, sum(amount) AS total FROM sales GROUP BY region)
        SELECT a.region, b.region FROM totals a JOIN totals b ON a.total < b.total ORDER BY 1, 2
        """

    @Test func anAggregateReadTwiceRunsOnce() throws {
        let connection = try connection()
        let lines = try executedPlan(selfJoin, on: connection)
        #expect(count("MaterializedCTE totals", in: lines) == 1)
        #expect(count("Scan sales", in: lines) == 1)
        #expect(count("WorkingTableScan totals (rows=3)", in: lines) == 2)
        let rows = try connection.execute(selfJoin).rows.map { $0.map(\.description) }
        #expect(rows == [["north", "east"], ["south", "east"], ["south", "north"]])
    }

    @Test func notMaterializedRunsTheDefinitionPerReference() throws {
        let connection = try connection()
        let sql = selfJoin.replacingOccurrences(of: "totals AS (", with: "totals AS NOT MATERIALIZED (")
        let lines = try executedPlan(sql, on: connection)
        #expect(count("MaterializedCTE", in: lines) == 0)
        #expect(count("Scan sales", in: lines) == 2)
        #expect(try connection.execute(sql).rows == (try connection.execute(selfJoin).rows))
    }

    @Test func aSingleReferenceIsExpandedSoFiltersReachTheScan() throws {
        let connection = try connection()
        let plan = try connection.execute("EXPLAIN WITH big AS (SELECT * FROM sales) SELECT region FROM big WHERE amount > 20")
            .rows.map { $0[0].description }.joined(separator: "\n")
        #expect(!plan.contains("MaterializedCTE"))
        #expect(plan.contains("filters=[amount > 20]"))
    }

    @Test func materializedKeepsASingleReference() throws {
        let connection = try connection()
        let sql = "WITH big AS MATERIALIZED (SELECT * FROM sales) SELECT region FROM big WHERE amount > 20 ORDER BY 1"
        #expect(count("MaterializedCTE big", in: try executedPlan(sql, on: connection)) == 1)
        #expect(try connection.execute(sql).rows.map { $0.map(\.description) } == [["east"], ["north"]])
    }

    @Test func aReferenceInsideACorrelatedSubqueryReadsTheSharedRows() throws {
        let connection = try connection()
        let sql = """
            WITH totals AS (SELECT region, sum(amount) AS total FROM sales GROUP BY region)
            SELECT region FROM totals t
            WHERE total >= (SELECT avg(total) FROM totals u WHERE u.region <> t.region) ORDER BY 1
            """
        let lines = try executedPlan(sql, on: connection)
        #expect(count("MaterializedCTE totals", in: lines) == 1)
        #expect(count("Scan sales", in: lines) == 1)
        #expect(try connection.execute(sql).rows.map { $0.map(\.description) } == [["east"], ["north"]])
    }
}
