import Columnar
@testable import Execution
import LogicalPlan
import Testing

/// Runtime join-key filters: a join's key set, once one side is read, drops rows of the other side deep in
/// its subtree (here: before an aggregate grouped by the key).
@Suite struct JoinKeyFilterTests {
    /// `big(k, v)`: keys 0..<500 three times each (v = 1, 2, 3), plus two rows with a NULL key.
    private func bigTable(_ fixture: Fixture) -> LogicalPlan {
        var rows: [[Value]] = []
        for copy in 1...3 {
            for key in 0..<500 { rows.append([int(Int32(key)), int(Int32(copy))]) }
        }
        rows.append([.null, int(7)])
        rows.append([.null, int(8)])
        return fixture.table("big", [("k", .int32), ("v", .int32)], rows, segmentSize: 256)
    }

    /// `small(id, k)`: keys 5, 7 (twice), NULL and 900 (absent from `big`).
    private func smallTable(_ fixture: Fixture, name: String = "small", rows: [[Value]]? = nil) -> LogicalPlan {
        fixture.table(name, [("id", .int32), ("k", .int32)], rows ?? [
            [int(1), int(5)], [int(2), int(7)], [int(3), int(7)], [int(4), .null], [int(5), int(900)],
        ])
    }

    /// `SELECT k AS g, sum(v) AS total FROM big GROUP BY k`, with a renaming projection on top.
    private func aggregate(_ fixture: Fixture, _ big: LogicalPlan) -> LogicalPlan {
        let grouped = LogicalPlan.aggregate(Aggregate(
            input: big, groupKeys: [ProjectionItem(output: fixture.column("k", .int32), expression: big.ref(0))],
            aggregates: [AggregateCall(function: .sum, arguments: [big.ref(1)], output: fixture.column("total", .int64))]))
        return .projection(Projection(input: grouped, items: [
            ProjectionItem(output: fixture.column("g", .int32), expression: grouped.ref(0)),
            ProjectionItem(output: fixture.column("total", .int64), expression: grouped.ref(1)),
        ]))
    }

    private func join(_ kind: JoinKind, _ left: LogicalPlan, _ right: LogicalPlan, _ condition: Expression) -> LogicalPlan {
        .join(Join(kind: kind, left: left, right: right, condition: condition))
    }

    /// Runs `plan` and returns its rows and operator tree.
    private func execute(_ fixture: Fixture, _ plan: LogicalPlan, threads: Int = 1) throws -> ([[Value]], any PhysicalOperator) {
        let context = ExecutionContext(catalog: fixture.catalog, threadCount: threads)
        let root = try PhysicalPlanner.makeOperator(for: plan, context: context)
        var rows: [[Value]] = []
        while let batch = try root.next() { rows += batch.rows }
        return (rows, root)
    }

    /// The operators of the tree whose name starts with `prefix`, in depth-first order.
    private func operators(_ root: any PhysicalOperator, named prefix: String) -> [any PhysicalOperator] {
        var found: [any PhysicalOperator] = []
        func visit(_ node: any PhysicalOperator) {
            if node.name.hasPrefix(prefix) { found.append(node) }
            node.children.forEach(visit)
        }
        visit(root)
        return found
    }

    private func aggregateRows(_ root: any PhysicalOperator) -> Int {
        (operators(root, named: "HashAggregate") + operators(root, named: "ParallelHashAggregate")).map(\.producedRows).reduce(0, +)
    }

    @Test func leftJoinReadsItsProbeSideFirstAndShrinksTheAggregateOnItsBuildSide() throws {
        for threads in [1, 2] {
            let fixture = Fixture()
            let small = smallTable(fixture)
            let grouped = aggregate(fixture, bigTable(fixture))
            let plan = join(.left, small, grouped, compare(.equal, small.ref(1), grouped.ref(0)))
            let (rows, root) = try execute(fixture, plan, threads: threads)
            #expect(sortedLines(rows) == ["1|5|5|6", "2|7|7|6", "3|7|7|6", "4|NULL|NULL|NULL", "5|900|NULL|NULL"])
            // Only the groups of keys 5 and 7 are computed, from their 6 rows.
            #expect(aggregateRows(root) == 2)
            #expect(root.name == "HashJoin (left) #1 probe first")
            if threads == 1 {
                #expect(operators(root, named: "JoinKeyFilter").map(\.producedRows) == [6])
                #expect(renderOperatorProfile(root).contains("JoinKeyFilter (from join #1) checked=1502 passed=6 (rows=6)"))
            }
        }
    }

    @Test func innerAndSemiJoinsFilterTheAggregateOnTheirProbeSide() throws {
        for kind in [JoinKind.inner, .semi] {
            for threads in [1, 2] {
                let fixture = Fixture()
                let small = smallTable(fixture)
                let grouped = aggregate(fixture, bigTable(fixture))
                let (rows, root) = try execute(fixture, join(kind, grouped, small, compare(.equal, grouped.ref(0), small.ref(1))),
                                               threads: threads)
                let expected = kind == .inner ? ["5|6|1|5", "7|6|2|7", "7|6|3|7"] : ["5|6", "7|6"]
                #expect(sortedLines(rows) == expected)
                #expect(aggregateRows(root) == 2)
                if threads == 1 { #expect(operators(root, named: "JoinKeyFilter").map(\.producedRows) == [6]) }
            }
        }
    }

    @Test func nullSafeKeysLetTheNullGroupThrough() throws {
        let fixture = Fixture()
        let small = smallTable(fixture)
        let grouped = aggregate(fixture, bigTable(fixture))
        let condition = compare(.isNotDistinctFrom, small.ref(1), grouped.ref(0))
        let (rows, root) = try execute(fixture, join(.left, small, grouped, condition))
        #expect(sortedLines(rows) == ["1|5|5|6", "2|7|7|6", "3|7|7|6", "4|NULL|NULL|15", "5|900|NULL|NULL"])
        #expect(aggregateRows(root) == 3)
        let (semiRows, semiRoot) = try execute(fixture, join(.semi, grouped, small, compare(.isNotDistinctFrom, grouped.ref(0), small.ref(1))))
        #expect(sortedLines(semiRows) == ["5|6", "7|6", "NULL|15"])
        #expect(aggregateRows(semiRoot) == 3)
    }

    @Test func joinsThatKeepUnmatchedRowsOfTheAggregateSideGetNoFilterThere() throws {
        let fixture = Fixture()
        let small = smallTable(fixture)
        let grouped = aggregate(fixture, bigTable(fixture))
        // The aggregate is the preserved side (left of a left join; right of a right join) or an anti join's
        // probe side: every group must be computed.
        let left = try execute(fixture, join(.left, grouped, small, compare(.equal, grouped.ref(0), small.ref(1))))
        #expect(left.0.count == 501 + 1)
        #expect(aggregateRows(left.1) == 501)
        #expect(operators(left.1, named: "JoinKeyFilter").isEmpty)
        let right = try execute(fixture, join(.right, small, grouped, compare(.equal, small.ref(1), grouped.ref(0))))
        #expect(right.0.count == 501 + 1)
        #expect(aggregateRows(right.1) == 501)
        #expect(operators(right.1, named: "JoinKeyFilter").isEmpty)
        let anti = try execute(fixture, join(.anti, grouped, small, compare(.equal, grouped.ref(0), small.ref(1))))
        #expect(anti.0.count == 501 - 2)
        #expect(aggregateRows(anti.1) == 501)
        // A mark join's NULL results depend on every build key: it does not read its probe side first.
        let mark = join(.mark(fixture.column("mark", .boolean)), small, grouped, compare(.equal, small.ref(1), grouped.ref(0)))
        let marked = try execute(fixture, mark)
        #expect(marked.0.map { $0[2] } == [.boolean(true), .boolean(true), .boolean(true), .null, .null])
        #expect(aggregateRows(marked.1) == 501)
        #expect(operators(marked.1, named: "JoinKeyFilter").isEmpty)
    }

    @Test func antiJoinReadingItsProbeSideFirstStillFindsEveryMatch() throws {
        let fixture = Fixture()
        let small = smallTable(fixture)
        let grouped = aggregate(fixture, bigTable(fixture))
        let (rows, root) = try execute(fixture, join(.anti, small, grouped, compare(.equal, small.ref(1), grouped.ref(0))))
        #expect(sortedLines(rows) == ["4|NULL", "5|900"])
        #expect(aggregateRows(root) == 2)
    }

    @Test func emptySidesProduceNothingAndSkipTheOtherSide() throws {
        let fixture = Fixture()
        let empty = smallTable(fixture, name: "empty", rows: [])
        let grouped = aggregate(fixture, bigTable(fixture))
        // An empty probe side read first: the aggregate below the build side never runs.
        let (rows, root) = try execute(fixture, join(.left, empty, grouped, compare(.equal, empty.ref(1), grouped.ref(0))))
        #expect(rows.isEmpty)
        #expect(operators(root, named: "Scan big").map(\.producedRows) == [0])
        // An empty build side: inner joins yield nothing.
        let inner = try execute(fixture, join(.inner, grouped, empty, compare(.equal, grouped.ref(0), empty.ref(1))))
        #expect(inner.0.isEmpty)
        // Only NULL keys on the probe side: the filter keeps no row.
        let nulls = smallTable(fixture, name: "nulls", rows: [[int(1), .null]])
        let onlyNull = try execute(fixture, join(.inner, nulls, grouped, compare(.equal, nulls.ref(1), grouped.ref(0))))
        #expect(onlyNull.0.isEmpty)
        #expect(aggregateRows(onlyNull.1) == 0)
    }

    @Test func multiColumnKeysFilterOnAllColumnsOrOnTheSubsetThatReachesTheScan() throws {
        let fixture = Fixture()
        let big = bigTable(fixture)
        let grouped = LogicalPlan.aggregate(Aggregate(
            input: big,
            groupKeys: [ProjectionItem(output: fixture.column("k", .int32), expression: big.ref(0)),
                        ProjectionItem(output: fixture.column("v", .int32), expression: big.ref(1))],
            aggregates: [AggregateCall(function: .countStar, arguments: [], output: fixture.column("n", .int64))]))
        let small = fixture.table("pairs", [("a", .int32), ("b", .int32)], [[int(5), int(1)], [int(7), int(3)], [int(7), int(9)]])
        let condition = Expression.and([compare(.equal, small.ref(0), grouped.ref(0)), compare(.equal, small.ref(1), grouped.ref(1))])
        let (rows, root) = try execute(fixture, join(.inner, small, grouped, condition))
        #expect(sortedLines(rows) == ["5|1|5|1|1", "7|3|7|3|1"])
        #expect(aggregateRows(root) == 2)
        #expect(operators(root, named: "JoinKeyFilter").map(\.producedRows) == [2])

        // Group by (k, v + 0): only k passes the aggregate, so the filter below it checks k alone.
        let shifted = LogicalPlan.aggregate(Aggregate(
            input: big,
            groupKeys: [ProjectionItem(output: fixture.column("k", .int32), expression: big.ref(0)),
                        ProjectionItem(output: fixture.column("w", .int32),
                                       expression: .function(.add, [big.ref(1), literal(0)], .int32))],
            aggregates: [AggregateCall(function: .countStar, arguments: [], output: fixture.column("n", .int64))]))
        let subset = Expression.and([compare(.equal, small.ref(0), shifted.ref(0)), compare(.equal, small.ref(1), shifted.ref(1))])
        let (subsetRows, subsetRoot) = try execute(fixture, join(.inner, small, shifted, subset))
        #expect(sortedLines(subsetRows) == ["5|1|5|1|1", "7|3|7|3|1"])
        #expect(aggregateRows(subsetRoot) == 6)
    }

    @Test func aProbeSideLargerThanTheLimitDisablesTheFilter() throws {
        let fixture = Fixture()
        let small = smallTable(fixture)
        let big = bigTable(fixture)
        let context = ExecutionContext(catalog: fixture.catalog)
        let hub = JoinKeyFilterHub(keyTypes: [.int32]) { 1 }
        let bigScan = try PhysicalPlanner.makeOperator(for: big, context: context)
        let filtered = try JoinKeyFilterOperator(input: bigScan, source: hub.source(for: [0]), keys: [big.ref(0)], context: context)
        let left = try PhysicalPlanner.makeOperator(for: small, context: context)
        let plan = Join(kind: .semi, left: small, right: big, condition: compare(.equal, small.ref(1), big.ref(0)))
        let (strategy, residual) = try PhysicalPlanner.joinStrategy(plan, left: left.columns, right: filtered.columns)
        let joinOperator = try JoinOperator(kind: .semi, left: left, right: filtered, strategy: strategy, residual: residual,
                                            columns: small.columns, context: context,
                                            keyFilterRole: .probeFirst(hub, rowLimit: 2))
        var rows: [[Value]] = []
        while let batch = try joinOperator.next() { rows += batch.rows }
        #expect(sortedLines(rows) == ["1|5", "2|7", "3|7"])
        #expect(filtered.producedRows == 1502)
        #expect(filtered.name.hasSuffix(" off"))
    }

    @Test func filtersPassingMostRowsTurnThemselvesOff() throws {
        let fixture = Fixture()
        let rows = (0..<40_000).map { [int(Int32($0 % 1000)), int(1)] }
        let big = fixture.table("many", [("k", .int32), ("v", .int32)], rows, segmentSize: 8192)
        let keys = fixture.table("keys", [("k", .int32)], (0..<1000).map { [int(Int32($0))] })
        let grouped = aggregate(fixture, big)
        let (result, root) = try execute(fixture, join(.inner, keys, grouped, compare(.equal, keys.ref(0), grouped.ref(0))))
        #expect(result.count == 1000)
        let filter = try #require(operators(root, named: "JoinKeyFilter").first as? JoinKeyFilterOperator)
        #expect(filter.producedRows == 40_000)
        #expect(filter.checkedRows < 40_000)
        #expect(filter.name.hasSuffix(" off"))
    }

    @Test func cancellationStopsTheFilterBetweenBatches() throws {
        let fixture = Fixture()
        let context = ExecutionContext(catalog: fixture.catalog)
        let hub = JoinKeyFilterHub(keyTypes: [.int32]) { 1 }
        let scan = try PhysicalPlanner.makeOperator(for: bigTable(fixture), context: context)
        let filter = try JoinKeyFilterOperator(input: scan, source: hub.source(for: [0]), keys: [.column(scan.columns[0])],
                                               context: context)
        #expect(try filter.next() != nil)
        context.cancel()
        #expect(throws: ExecutionError.self) { try filter.next() }
    }
}
