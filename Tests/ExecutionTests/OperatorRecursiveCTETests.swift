import Catalog
import Columnar
@testable import Execution
import LogicalPlan
import Testing

@Suite struct OperatorRecursiveCTETests {
    /// `anchor UNION [ALL] SELECT n % modulus + 1 FROM working [WHERE n < limit]` over an int32 column.
    private func plan(_ fixture: Fixture, anchor: [Int32], modulus: Int32, limit: Int32?, all: Bool) -> LogicalPlan {
        let anchorColumn = fixture.column("a", .int32)
        let anchorPlan = LogicalPlan.values(Values(columns: [anchorColumn], rows: anchor.map { [literal($0)] }))
        let working = fixture.column("n", .int32)
        var recursive = LogicalPlan.workingTableScan(WorkingTableScan(name: "r", workingTable: 7, columns: [working]))
        if let limit {
            recursive = .filter(Filter(input: recursive, predicate: compare(.less, .column(working), literal(limit))))
        }
        let next = fixture.column("next", .int32)
        let remainder = Expression.function(.modulo, [.column(working), literal(modulus)], .int32)
        recursive = .projection(Projection(input: recursive, items: [
            ProjectionItem(output: next, expression: .function(.add, [remainder, literal(1)], .int32)),
        ]))
        return .recursiveCTE(RecursiveCTE(name: "r", workingTable: 7, anchor: anchorPlan, recursive: recursive,
                                          isUnionAll: all, columns: [fixture.column("n", .int32)]))
    }

    @Test func unionAllIteratesUntilNoRows() throws {
        let fixture = Fixture()
        let rows = try fixture.run(plan(fixture, anchor: [1], modulus: 100, limit: 5, all: true))
        #expect(lines(rows) == ["1", "2", "3", "4", "5"])
    }

    @Test func unionDropsRowsAlreadyProducedSoCyclesEnd() throws {
        let fixture = Fixture()
        let rows = try fixture.run(plan(fixture, anchor: [1, 1, 3], modulus: 4, limit: nil, all: false))
        #expect(lines(rows) == ["1", "3", "2", "4"])
    }

    @Test func cancellationStopsAnEndlessRecursion() throws {
        let fixture = Fixture()
        let context = ExecutionContext(catalog: fixture.catalog)
        let root = try PhysicalPlanner.makeOperator(for: plan(fixture, anchor: [1], modulus: 4, limit: nil, all: true),
                                                    context: context)
        for _ in 0..<10 { #expect(try root.next() != nil) }
        context.cancel()
        #expect(throws: ExecutionError("query cancelled")) { try root.next() }
    }
}
