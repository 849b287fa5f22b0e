import Foundation
import Quiver
import Testing

private let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The optimized plans of the TPC-H queries: every subquery is unnested into joins, so no plan runs a subquery
/// once per outer row, and every plan compiles into operators (EXPLAIN ANALYZE runs it, here over empty tables).
@Suite struct TPCHPlanTests {
    private func connection() throws -> Connection {
        let connection = Database.inMemory(threadCount: 1).connect()
        let schema = try String(contentsOf: repositoryRoot.appendingPathComponent("benchmarks/tpch/schema.sql"), encoding: .utf8)
        try connection.execute(schema)
        return connection
    }

    private func query(_ number: Int) throws -> String {
        let name = String(format: "q%02d.sql", number)
        return try String(contentsOf: repositoryRoot.appendingPathComponent("benchmarks/tpch/queries/\(name)"), encoding: .utf8)
    }

    @Test(arguments: 1...22) func noSubqueryIsLeftInTheOptimizedPlan(number: Int) throws {
        let connection = try connection()
        let sql = try query(number).trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: ";")))
        let lines = try connection.execute("EXPLAIN ANALYZE " + sql).rows.map { $0[0].description }
        #expect(!lines.isEmpty)
        #expect(!lines.contains { $0.contains("Subquery") }, "q\(number): \(lines.joined(separator: "\n"))")
        #expect(lines.contains("Executed:"))
    }

    /// The six queries the issue names have correlated subqueries before optimization.
    @Test(arguments: [2, 4, 17, 20, 21, 22]) func correlatedQueriesBecomeJoins(number: Int) throws {
        let connection = try connection()
        let sql = try query(number).trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: ";")))
        try connection.execute("SET disabled_rules = 'subquery_to_join'")
        let unoptimized = try connection.execute("EXPLAIN " + sql).rows.map { $0[0].description }
        #expect(unoptimized.contains { $0.contains("Subquery") && $0.contains("correlated=") })
        try connection.execute("SET disabled_rules = ''")
        let optimized = try connection.execute("EXPLAIN " + sql).rows.map { $0[0].description }
        #expect(!optimized.contains { $0.contains("Subquery") })
        #expect(optimized.contains { $0.contains("Join(") })
    }
}
