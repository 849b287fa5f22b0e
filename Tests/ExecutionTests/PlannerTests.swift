import Catalog
import Columnar
@testable import Execution
import LogicalPlan
import Testing

@Suite struct PlannerTests {
    @Test func joinConditionsSplitIntoKeysAndResidual() {
        let a = PlanColumn(id: ColumnID(1), name: "a", dataType: .int32)
        let b = PlanColumn(id: ColumnID(2), name: "b", dataType: .int32)
        let c = PlanColumn(id: ColumnID(3), name: "c", dataType: .int64)
        let condition = Expression.and([
            compare(.equal, .column(b), .column(a)),
            compare(.less, .column(a), .column(b)),
            compare(.equal, .column(a), literal(3)),
            compare(.equal, .cast(.column(a), .int64), .column(c)),
        ])
        let analysis = JoinConditionAnalysis(condition: condition, leftColumns: [a], rightColumns: [b, c])
        #expect(analysis.leftKeys == [.column(a), .cast(.column(a), .int64)])
        #expect(analysis.rightKeys == [.column(b), .column(c)])
        #expect(analysis.residual == .and([compare(.less, .column(a), .column(b)), compare(.equal, .column(a), literal(3))]))
        let none = JoinConditionAnalysis(condition: nil, leftColumns: [a], rightColumns: [b])
        #expect(none.leftKeys.isEmpty && none.residual == nil)
    }

    @Test func limitOverSortBecomesTopN() throws {
        let fixture = Fixture()
        let t = fixture.table("t", [("a", .int32)], (0..<10).map { [int(Int32($0))] })
        let sort = LogicalPlan.sort(Sort(input: t, keys: [SortKey(expression: t.ref(0))]))
        let context = ExecutionContext(catalog: fixture.catalog)
        let topN = try PhysicalPlanner.makeOperator(for: .limit(Limit(input: sort, limit: 3)), context: context)
        #expect(topN.name == "TopN 3")
        let paged = try PhysicalPlanner.makeOperator(for: .limit(Limit(input: sort, limit: 3, offset: 2)), context: context)
        #expect(paged.name == "Limit 3 offset 2")
        #expect(paged.children.first?.name == "TopN 5")
    }

    @Test func joinsPickHashOrNestedLoop() throws {
        let fixture = Fixture()
        let l = fixture.table("l", [("a", .int32)], [[int(1)]])
        let r = fixture.table("r", [("b", .int32)], [[int(1)]])
        let context = ExecutionContext(catalog: fixture.catalog)
        let hash = try PhysicalPlanner.makeOperator(
            for: .join(Join(kind: .left, left: l, right: r, condition: compare(.equal, l.ref(0), r.ref(0)))), context: context)
        #expect(hash.name == "HashJoin (left)")
        let loop = try PhysicalPlanner.makeOperator(for: .join(Join(kind: .cross, left: l, right: r, condition: nil)), context: context)
        #expect(loop.name == "NestedLoopJoin (cross)")
    }

    @Test func profileListsOperatorsWithRowCounts() throws {
        let fixture = Fixture()
        let t = fixture.table("t", [("g", .int32)], (0..<10).map { [int(Int32($0 % 3))] })
        let aggregate = LogicalPlan.aggregate(Aggregate(
            input: t, groupKeys: [ProjectionItem(output: fixture.column("g", .int32), expression: t.ref(0))],
            aggregates: [AggregateCall(function: .countStar, arguments: [], output: fixture.column("n", .int64))]))
        let root = try PhysicalPlanner.makeOperator(for: aggregate, context: ExecutionContext(catalog: fixture.catalog))
        while try root.next() != nil {}
        #expect(renderOperatorProfile(root) == "HashAggregate (rows=3)\n  Scan t (rows=10)")
    }
}
