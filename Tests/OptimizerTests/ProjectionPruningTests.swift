import Catalog
import Columnar
import LogicalPlan
import Optimizer
import Testing

@Suite("ProjectionPruning")
struct ProjectionPruningTests {
    let a = column(1, "a"), b = column(2, "b"), d = column(3, "d"), e = column(4, "e", .utf8), f = column(5, "f")
    var wide: LogicalPlan { scan("t", [a, b, d, e, f]) }

    /// The scan of `t` reading only the listed columns.
    func narrowed(_ columns: [PlanColumn], filters: [Expression] = []) -> LogicalPlan {
        let all = [a, b, d, e, f]
        return .scan(Scan(source: .table(table("t", all)), columns: columns,
                          columnIndices: columns.compactMap { column in all.firstIndex(of: column) }, filters: filters))
    }

    @Test func shrinksScansToTheColumnsRead() throws {
        let out = column(10, "out")
        let plan = project(filter(wide, greater(ref(d), integer(0))), [(out, ref(a))])
        let result = try optimize(plan, with: ProjectionPruning())
        #expect(result == project(filter(narrowed([a, d]), greater(ref(d), integer(0))), [(out, ref(a))]))
        guard case .projection(let projection) = result, case .filter(let kept) = projection.input,
              case .scan(let scanned) = kept.input else {
            Issue.record("unexpected shape \(result.render())")
            return
        }
        #expect(scanned.columnIndices == [0, 2])
    }

    @Test func keepsColumnsThatScanFiltersRead() throws {
        let out = column(10, "out")
        let plan = project(narrowed([a, b, d, e, f], filters: [greater(ref(f), integer(1))]), [(out, ref(b))])
        let result = try optimize(plan, with: ProjectionPruning())
        #expect(result == project(narrowed([b, f], filters: [greater(ref(f), integer(1))]), [(out, ref(b))]))
    }

    @Test func columnsOnlyAScanFilterReadsStopAboveTheScan() throws {
        let key = column(20, "k"), payload = column(21, "p"), out = column(22, "out")
        let other = scan("u", [key, payload])
        let filtered = narrowed([a, b, e], filters: [greater(ref(b), integer(1))])
        let plan = project(join(.inner, filtered, other, equal(ref(a), ref(key))), [(out, ref(payload))])
        let result = try optimize(plan, with: ProjectionPruning())
        // The join carries only `a` from t: `b` is read by the scan's filter alone, `e` by nobody.
        let expected = project(join(.inner, project(narrowed([a, b], filters: [greater(ref(b), integer(1))]), [(a, ref(a))]),
                                    scan("u", [key, payload]), equal(ref(a), ref(key))), [(out, ref(payload))])
        #expect(result == expected)
        // Pruning again changes nothing.
        #expect(try optimize(result, with: ProjectionPruning()) == result)
    }

    @Test func dropsUnusedProjectionItemsAndAggregates() throws {
        let key = column(10, "a"), total = column(11, "s"), highest = column(12, "m")
        let aggregate = LogicalPlan.aggregate(Aggregate(
            input: wide,
            groupKeys: [ProjectionItem(output: key, expression: ref(a)), ProjectionItem(output: column(13, "b"), expression: ref(b))],
            aggregates: [AggregateCall(function: .sum, arguments: [ref(d)], output: total),
                         AggregateCall(function: .maximum, arguments: [ref(f)], output: highest)]))
        let inner = project(aggregate, [(column(20, "a"), ref(key)),
                                        (column(21, "c"), .function(.add, [ref(key), integer(1)], .int64)),
                                        (column(22, "m"), ref(highest))])
        let plan = project(inner, [(column(30, "answer"), ref(column(20, "a"))), (column(31, "m"), ref(column(22, "m")))])
        let result = try optimize(plan, with: ProjectionPruning())
        // The outer projection only renames, so the two projections merge.
        let expected = project(.aggregate(Aggregate(
            input: narrowed([a, b, f]),
            groupKeys: [ProjectionItem(output: key, expression: ref(a)), ProjectionItem(output: column(13, "b"), expression: ref(b))],
            aggregates: [AggregateCall(function: .maximum, arguments: [ref(f)], output: highest)])),
            [(column(30, "answer"), ref(key)), (column(31, "m"), ref(highest))])
        #expect(result == expected)
    }

    @Test func keepsOneColumnForCountStar() throws {
        let count = column(10, "count")
        let plan = LogicalPlan.aggregate(Aggregate(input: wide, groupKeys: [],
                                                   aggregates: [AggregateCall(function: .countStar, arguments: [], output: count)]))
        let result = try optimize(plan, with: ProjectionPruning())
        guard case .aggregate(let aggregate) = result, case .scan(let scanned) = aggregate.input else {
            Issue.record("unexpected shape \(result.render())")
            return
        }
        #expect(scanned.columns.count == 1)
        #expect(scanned.columns.first?.dataType == .int64)
        #expect(result.columns == plan.columns)
    }

    @Test func prunesBothSidesOfJoinsButKeepsConditionColumns() throws {
        let k = column(6, "k"), v = column(7, "v"), w = column(8, "w")
        let plan = project(join(.inner, wide, scan("u", [k, v, w]), equal(ref(a), ref(k))), [(column(10, "out"), ref(v))])
        let result = try optimize(plan, with: ProjectionPruning())
        let prunedRight = LogicalPlan.scan(Scan(source: .table(table("u", [k, v, w])), columns: [k, v], columnIndices: [0, 1]))
        #expect(result == project(join(.inner, narrowed([a]), prunedRight, equal(ref(a), ref(k))), [(column(10, "out"), ref(v))]))
    }

    @Test func prunesValuesColumnsAndKeepsDistinctInputs() throws {
        let p = column(1, "p"), q = column(2, "q")
        let values = LogicalPlan.values(Values(columns: [p, q], rows: [[integer(1), integer(2)], [integer(3), integer(4)]]))
        let result = try optimize(project(values, [(column(9, "out"), ref(q))]), with: ProjectionPruning())
        #expect(result == project(.values(Values(columns: [q], rows: [[integer(2)], [integer(4)]])), [(column(9, "out"), ref(q))]))

        let distinct = project(.distinct(Distinct(input: values)), [(column(9, "out"), ref(q))])
        #expect(try optimize(distinct, with: ProjectionPruning()) == distinct)
    }

    @Test func mergesProjectionsOnlyWhenNothingIsComputedTwice() throws {
        let sum = Expression.function(.add, [ref(a), ref(b)], .int64)
        let total = column(10, "total"), reused = column(11, "twice")
        let computing = project(narrowed([a, b]), [(total, sum)])
        // The outer projection reads the computed column twice: merging would compute a + b twice.
        let twice = project(computing, [(reused, .function(.multiply, [ref(total), ref(total)], .int64))])
        #expect(try optimize(twice, with: ProjectionPruning()) == twice)
        // The inner projection only renames: its columns are substituted into the outer one.
        let renaming = project(project(narrowed([a, b]), [(column(12, "x"), ref(a)), (column(13, "y"), ref(b))]),
                               [(total, .function(.add, [ref(column(12, "x")), ref(column(13, "y"))], .int64))])
        #expect(try optimize(renaming, with: ProjectionPruning()) == project(narrowed([a, b]), [(total, sum)]))
    }

    @Test func removesIdentityProjectionsButNeverChangesTheRoot() throws {
        let plan = project(narrowed([a, b]), [(a, ref(a)), (b, ref(b))])
        #expect(try optimize(plan, with: ProjectionPruning()) == narrowed([a, b]))

        let root = filter(wide, greater(ref(a), integer(1)))
        let result = try optimize(root, with: ProjectionPruning())
        #expect(result == root)
        #expect(result.columns == root.columns)
    }
}

@Suite("ProjectionPruning of reordering projections")
struct ReorderingProjectionTests {
    let a = column(1, "a"), b = column(2, "b")

    @Test func dropsReorderingProjectionsOnlyWhereOrderDoesNotMatter() throws {
        let reordered = project(scan("t", [a, b]), [(b, ref(b)), (a, ref(a))])
        // At the root the order is the output: the projection stays.
        #expect(try optimize(reordered, with: ProjectionPruning()) == reordered)
        // Under an aggregate columns are read by id: the projection goes.
        let total = column(3, "total")
        let aggregate = LogicalPlan.aggregate(Aggregate(input: filter(reordered, greater(ref(a), integer(0))), groupKeys: [],
                                                        aggregates: [AggregateCall(function: .sum, arguments: [ref(b)], output: total)]))
        let expected = LogicalPlan.aggregate(Aggregate(input: filter(scan("t", [a, b]), greater(ref(a), integer(0))), groupKeys: [],
                                                       aggregates: [AggregateCall(function: .sum, arguments: [ref(b)], output: total)]))
        #expect(try optimize(aggregate, with: ProjectionPruning()) == expected)
    }
}
