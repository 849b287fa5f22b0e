import Catalog
import Columnar
@testable import Execution
import LogicalPlan
import Testing

@Suite struct OperatorParallelTests {
    private func facts(_ fixture: Fixture) -> LogicalPlan {
        let rows = (0..<20_000).map { index -> [Value] in
            [int(Int32(index % 97)), index % 11 == 0 ? .null : bigint(Int64(index)), text("s\(index % 13)")]
        }
        return fixture.table("facts", [("k", .int32), ("v", .int64), ("s", .utf8)], rows, segmentSize: 500)
    }

    @Test func parallelAggregationMatchesSerial() throws {
        let fixture = Fixture()
        let t = facts(fixture)
        let filtered = LogicalPlan.filter(Filter(input: t, predicate: compare(.greater, t.ref(0), literal(3))))
        let plan = LogicalPlan.aggregate(Aggregate(
            input: filtered,
            groupKeys: [ProjectionItem(output: fixture.column("s", .utf8), expression: t.ref(2))],
            aggregates: [
                AggregateCall(function: .countStar, arguments: [], output: fixture.column("n", .int64)),
                AggregateCall(function: .sum, arguments: [t.ref(1)], output: fixture.column("total", .decimal128(precision: 38, scale: 0))),
                AggregateCall(function: .minimum, arguments: [t.ref(1)], output: fixture.column("low", .int64)),
                AggregateCall(function: .maximum, arguments: [t.ref(2)], output: fixture.column("high", .utf8)),
                AggregateCall(function: .average, arguments: [t.ref(1)], output: fixture.column("mean", .float64)),
            ]))
        let root = try PhysicalPlanner.makeOperator(for: plan, context: ExecutionContext(catalog: fixture.catalog, threadCount: 2))
        #expect(root.name == "ParallelHashAggregate (2 threads)")
        let serial = try fixture.run(plan, threadCount: 1)
        let parallel = try fixture.run(plan, threadCount: 2)
        #expect(serial.count == 13)
        #expect(sortedLines(parallel) == sortedLines(serial))
        let ungrouped = LogicalPlan.aggregate(Aggregate(input: t, groupKeys: [], aggregates: [
            AggregateCall(function: .countStar, arguments: [], output: fixture.column("n", .int64)),
            AggregateCall(function: .count, arguments: [t.ref(1)], output: fixture.column("c", .int64)),
        ]))
        #expect(try fixture.run(ungrouped, threadCount: 2) == [[bigint(20_000), bigint(20_000 - 1819)]])
    }

    @Test func parallelJoinPipelineFeedsAggregation() throws {
        let fixture = Fixture()
        let t = facts(fixture)
        let dimension = fixture.table("dim", [("key", .int32), ("label", .utf8)], (0..<50).map { [int(Int32($0)), text("d\($0 % 5)")] })
        let join = LogicalPlan.join(Join(kind: .inner, left: t, right: dimension, condition: compare(.equal, t.ref(0), dimension.ref(0))))
        let plan = LogicalPlan.aggregate(Aggregate(
            input: join,
            groupKeys: [ProjectionItem(output: fixture.column("label", .utf8), expression: dimension.ref(1))],
            aggregates: [AggregateCall(function: .countStar, arguments: [], output: fixture.column("n", .int64))]))
        let serial = try fixture.run(plan, threadCount: 1)
        #expect(sortedLines(try fixture.run(plan, threadCount: 2)) == sortedLines(serial))
        let total = serial.reduce(Int64(0)) { sum, row in if case .int64(let n) = row[1] { return sum + n }; return sum }
        #expect(total == Int64((0..<20_000).filter { $0 % 97 < 50 }.count))
    }

    @Test func parallelSortInputKeepsSerialOrder() throws {
        let fixture = Fixture()
        let t = facts(fixture)
        let filtered = LogicalPlan.filter(Filter(input: t, predicate: compare(.less, t.ref(0), literal(10))))
        let plan = LogicalPlan.sort(Sort(input: filtered, keys: [SortKey(expression: t.ref(2))]))
        let context = ExecutionContext(catalog: fixture.catalog, threadCount: 2)
        let root = try PhysicalPlanner.makeOperator(for: plan, context: context)
        #expect(root.children.first?.name == "ParallelGather (2 threads)")
        #expect(lines(try fixture.run(plan, threadCount: 2)) == lines(try fixture.run(plan, threadCount: 1)))
    }

    @Test func parallelErrorsPropagate() throws {
        let fixture = Fixture()
        let t = fixture.table("big", [("v", .int64)], (0..<4000).map { _ in [bigint(Int64.max / 1000)] }, segmentSize: 100)
        let plan = LogicalPlan.aggregate(Aggregate(input: t, groupKeys: [], aggregates: [
            AggregateCall(function: .sum, arguments: [t.ref(0)], output: fixture.column("s", .int64)),
        ]))
        #expect(throws: ExecutionError("bigint out of range")) { try fixture.run(plan, threadCount: 2) }
    }
}
