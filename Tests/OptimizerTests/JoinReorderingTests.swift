import Catalog
import Columnar
import LogicalPlan
@testable import Optimizer
import Testing

/// The joins of a plan, top-down, depth first.
private func joins(in plan: LogicalPlan) -> [Join] {
    var result: [Join] = []
    if case .join(let node) = plan { result.append(node) }
    for child in plan.children { result += joins(in: child) }
    return result
}

/// The names of the tables a plan scans, left to right.
private func tables(in plan: LogicalPlan) -> [String] {
    if case .scan(let node) = plan, case .table(let definition) = node.source { return [definition.identifier.name] }
    return plan.children.flatMap(tables)
}

/// The join that joins exactly two scans, deepest first (the first join the plan runs).
private func firstJoinedTables(_ plan: LogicalPlan) -> Set<String>? {
    for node in joins(in: plan).reversed() where node.kind == .inner || node.kind == .cross {
        let left = tables(in: node.left), right = tables(in: node.right)
        if left.count == 1, right.count == 1 { return Set(left + right) }
    }
    return nil
}

@Suite("JoinReordering")
struct JoinReorderingTests {
    // Chain a - b - c: a.x = b.x, b.y = c.y.
    let ax = column(1, "ax"), bx = column(2, "bx"), by = column(3, "by"), cy = column(4, "cy")
    var a: LogicalPlan { scan("a", [ax]) }
    var b: LogicalPlan { scan("b", [bx, by]) }
    var c: LogicalPlan { scan("c", [cy]) }
    let chainCatalog = RowCountCatalog(["a": 1_000, "b": 10_000, "c": 100])

    @Test func chainGivenOutOfOrderGetsNoCrossJoin() throws {
        // FROM a, c, b WHERE a.x = b.x AND b.y = c.y, as predicate pushdown leaves it.
        let plan = join(.inner, join(.cross, a, c), b, .and([equal(ref(ax), ref(bx)), equal(ref(by), ref(cy))]))
        let result = try optimize(plan, with: JoinReordering(), catalog: chainCatalog)
        #expect(result.columns == plan.columns)
        #expect(!joins(in: result).contains { $0.kind == .cross })
        // b ⋈ c (10000 · 100 / 100 = 10000 rows) before a (10000 · 1000 / 1000).
        #expect(result.render(showEstimates: false) == """
            Projection: ax, cy, bx, by
              Join(inner): ax = bx
                Join(inner): by = cy
                  Scan: b [bx, by]
                  Scan: c [cy]
                Scan: a [ax]
            """)
    }

    @Test func documentedExample() throws {
        // The example in JoinReordering's documentation (TPC-H q09's start).
        let partKey = column(1, "p_partkey"), partName = column(2, "p_name", .utf8), supplierKey = column(3, "s_suppkey")
        let linePart = column(4, "l_partkey"), lineSupplier = column(5, "l_suppkey")
        let catalog = RowCountCatalog(["part": 200_000, "supplier": 10_000, "lineitem": 6_000_000])
        let green = Expression.function(.like(caseInsensitive: false), [ref(partName), .literal(.string("%green%"), .utf8)], .boolean)
        let plan = join(.inner, join(.cross, scan("part", [partKey, partName], filters: [green]), scan("supplier", [supplierKey])),
                        scan("lineitem", [linePart, lineSupplier]),
                        .and([equal(ref(supplierKey), ref(lineSupplier)), equal(ref(partKey), ref(linePart))]))
        let result = try optimize(plan, with: JoinReordering(), catalog: catalog)
        #expect(result.render(showEstimates: false) == """
            Projection: p_partkey, p_name, s_suppkey, l_partkey, l_suppkey
              Join(inner): s_suppkey = l_suppkey
                Join(inner): p_partkey = l_partkey
                  Scan: lineitem [l_partkey, l_suppkey]
                  Scan: part [p_partkey, p_name] filters=[p_name LIKE '%green%']
                Scan: supplier [s_suppkey]
            """)
    }

    @Test func filterOverCrossJoinsBecomesJoinConditions() throws {
        // Without predicate pushdown: the WHERE clause is a filter over cross joins in FROM order.
        let plan = filter(join(.cross, join(.cross, a, c), b), .and([equal(ref(ax), ref(bx)), equal(ref(by), ref(cy))]))
        let result = try optimize(plan, with: JoinReordering(), catalog: chainCatalog)
        #expect(result.columns == plan.columns)
        let found = joins(in: result)
        #expect(found.count == 2)
        #expect(found.allSatisfy { $0.kind == .inner && $0.condition != nil })
    }

    @Test func starJoinStartsFromTheSmallestFilteredDimension() throws {
        let factA = column(10, "f_a"), factB = column(11, "f_b"), factC = column(12, "f_c")
        let dimA = column(20, "da_key"), dimAName = column(21, "da_name", .utf8)
        let dimB = column(30, "db_key"), dimC = column(40, "dc_key")
        let catalog = RowCountCatalog(["fact": 1_000_000, "dim_a": 1_000, "dim_b": 100, "dim_c": 50])
        // dim_a has 1000 rows but an equality filter keeps ~100; dim_b and dim_c are unfiltered.
        let filteredA = scan("dim_a", [dimA, dimAName], filters: [equal(ref(dimAName), .literal(.string("x"), .utf8))])
        let plan = join(.inner,
                        join(.inner, join(.inner, scan("fact", [factA, factB, factC]), scan("dim_c", [dimC]), equal(ref(factC), ref(dimC))),
                             scan("dim_b", [dimB]), equal(ref(factB), ref(dimB))),
                        filteredA, equal(ref(factA), ref(dimA)))
        let result = try optimize(plan, with: JoinReordering(), catalog: catalog)
        #expect(result.columns == plan.columns)
        // fact ⋈ dim_a: 1000000 · 100 / 1000 = 100000 rows; with dim_b or dim_c it stays 1000000.
        #expect(firstJoinedTables(result) == ["fact", "dim_a"])
        #expect(!joins(in: result).contains { $0.kind == .cross })
    }

    @Test func keepsAPlanThatIsAlreadyWellOrdered() throws {
        let plan = join(.inner, join(.inner, b, c, equal(ref(by), ref(cy))), a, equal(ref(ax), ref(bx)))
        let result = try optimize(plan, with: JoinReordering(), catalog: chainCatalog)
        #expect(result == plan)
        // And the rule's own output is a fixed point.
        let shuffled = join(.inner, join(.cross, a, c), b, .and([equal(ref(ax), ref(bx)), equal(ref(by), ref(cy))]))
        let once = try optimize(shuffled, with: JoinReordering(), catalog: chainCatalog)
        #expect(try optimize(once, with: JoinReordering(), catalog: chainCatalog) == once)
    }

    @Test func avoidsCrossProductsEvenWithoutEstimates() throws {
        let plan = join(.inner, join(.cross, a, c), b, .and([equal(ref(ax), ref(bx)), equal(ref(by), ref(cy))]))
        let result = try optimize(plan, with: JoinReordering())
        #expect(result.columns == plan.columns)
        #expect(!joins(in: result).contains { $0.kind == .cross })
    }

    @Test func disconnectedRelationsAreCrossJoinedLast() throws {
        let dx = column(5, "dx")
        let d = scan("d", [dx])
        let catalog = RowCountCatalog(["a": 1_000, "b": 10_000, "c": 100, "d": 10])
        // d shares no predicate with the others: the only cross join joins it to the connected rest.
        let plan = join(.inner, join(.cross, join(.cross, a, d), c), b, .and([equal(ref(ax), ref(bx)), equal(ref(by), ref(cy))]))
        let result = try optimize(plan, with: JoinReordering(), catalog: catalog)
        #expect(result.columns == plan.columns)
        let found = joins(in: result)
        #expect(found.filter { $0.kind == .cross }.count == 1)
        #expect(found.first?.kind == .cross)
        #expect(found.first.map { tables(in: $0.right) } == ["d"])
    }

    @Test func multiRelationPredicateAppliesOnceItsRelationsAreJoined() throws {
        // a.x + c.y > b.x reads three relations: it belongs to the join that brings the last of them in.
        let sum = Expression.function(.add, [ref(ax), ref(cy)], .int64)
        let plan = filter(join(.cross, join(.cross, a, c), b),
                          .and([equal(ref(ax), ref(bx)), equal(ref(by), ref(cy)), greater(sum, ref(bx))]))
        let result = try optimize(plan, with: JoinReordering(), catalog: chainCatalog)
        let top = try #require(joins(in: result).first)
        #expect(top.condition?.conjuncts.contains(greater(sum, ref(bx))) == true)
        #expect(joins(in: result).dropFirst().allSatisfy { $0.condition?.conjuncts.contains(greater(sum, ref(bx))) != true })
    }

    @Test func joinsThroughImpliedEqualities() throws {
        // a.x = b.x AND b.x = c.y with b large: a and c join first, on the implied a.x = c.y.
        let catalog = RowCountCatalog(["a": 1_000, "b": 1_000_000, "c": 100])
        let plan = join(.inner, join(.inner, a, b, equal(ref(ax), ref(bx))), c, equal(ref(bx), ref(cy)))
        let result = try optimize(plan, with: JoinReordering(), catalog: catalog)
        #expect(result.columns == plan.columns)
        #expect(firstJoinedTables(result) == ["a", "c"])
        let first = try #require(joins(in: result).last)
        #expect(first.condition == equal(ref(ax), ref(cy)))
        let top = try #require(joins(in: result).first)
        #expect(top.condition?.conjuncts.count == 2)
    }

    @Test func outerJoinsAreBarriersReorderedBeneath() throws {
        let ex = column(6, "ex")
        let e = scan("e", [ex])
        let catalog = RowCountCatalog(["a": 1_000, "b": 10_000, "c": 100, "e": 5])
        let inner = join(.inner, join(.cross, a, c), b, .and([equal(ref(ax), ref(bx)), equal(ref(by), ref(cy))]))
        let plan = join(.left, inner, e, equal(ref(ax), ref(ex)))
        let result = try optimize(plan, with: JoinReordering(), catalog: catalog)
        #expect(result.columns == plan.columns)
        guard case .join(let outer) = result else {
            Issue.record("the left join must stay on top: \(result.render())")
            return
        }
        #expect(outer.kind == .left)
        #expect(outer.right == e)
        #expect(outer.left.columns == inner.columns)
        #expect(!joins(in: outer.left).contains { $0.kind == .cross })
    }

    @Test func semiJoinMovesDownToTheRelationItReads() throws {
        // customer ⋈ orders ⋈ lineitem, semi join on o_orderkey IN (big orders) on top (TPC-H q18's shape).
        let customerKey = column(1, "c_custkey"), orderKey = column(2, "o_orderkey"), orderCustomer = column(3, "o_custkey")
        let lineOrder = column(4, "l_orderkey"), bigOrder = column(5, "big_orderkey")
        let catalog = RowCountCatalog(["customer": 150_000, "orders": 1_500_000, "lineitem": 6_000_000, "big": 60_000])
        let region = join(.inner, join(.inner, scan("customer", [customerKey]), scan("orders", [orderKey, orderCustomer]),
                                       equal(ref(customerKey), ref(orderCustomer))),
                          scan("lineitem", [lineOrder]), equal(ref(orderKey), ref(lineOrder)))
        let plan = join(.semi, region, scan("big", [bigOrder]), equal(ref(orderKey), ref(bigOrder)))
        let result = try optimize(plan, with: JoinReordering(), catalog: catalog)
        #expect(result.columns == plan.columns)
        let semi = try #require(joins(in: result).first { $0.kind == .semi })
        #expect(tables(in: semi.left) == ["orders"])
        #expect(tables(in: semi.right) == ["big"])
    }

    @Test func semiJoinMovesUpAboveASelectiveJoin() throws {
        // lineitem ⋉ other ⋈ (supplier filtered to ~100 of 10000 rows): probing 60000 joined rows beats
        // probing 6000000 lineitems, so the semi join goes above the join (TPC-H q21's shape).
        let lineSupplier = column(1, "l_suppkey"), lineOrder = column(2, "l_orderkey"), supplierKey = column(3, "s_suppkey")
        let supplierNation = column(4, "s_nationkey"), otherOrder = column(5, "other_orderkey")
        let catalog = RowCountCatalog(["lineitem": 6_000_000, "supplier": 10_000, "other": 6_000_000])
        let supplier = scan("supplier", [supplierKey, supplierNation],
                            filters: [equal(ref(supplierNation), integer(3)), equal(ref(supplierKey), ref(supplierNation))])
        let semi = join(.semi, scan("lineitem", [lineSupplier, lineOrder]), scan("other", [otherOrder]), equal(ref(lineOrder), ref(otherOrder)))
        let plan = join(.inner, semi, supplier, equal(ref(lineSupplier), ref(supplierKey)))
        let result = try optimize(plan, with: JoinReordering(), catalog: catalog)
        #expect(result.columns == plan.columns)
        let top = try #require(joins(in: result).first)
        #expect(top.kind == .semi)
        #expect(Set(tables(in: top.left)) == ["lineitem", "supplier"])
    }

    @Test func pinnedPredicatesStayAboveTheRegion() throws {
        // A conjunct over a column no relation of the region produces (an outer reference) stays on top.
        let outer = column(99, "outer")
        let plan = filter(join(.cross, join(.cross, a, c), b),
                          .and([equal(ref(ax), ref(bx)), equal(ref(by), ref(cy)), greater(ref(ax), ref(outer))]))
        let result = try optimize(plan, with: JoinReordering(), catalog: chainCatalog)
        guard case .projection(let projection) = result, case .filter(let kept) = projection.input else {
            Issue.record("expected the outer-reference conjunct in a filter on top: \(result.render())")
            return
        }
        #expect(kept.predicate == greater(ref(ax), ref(outer)))
    }

    @Test func longChainInReverseOrderGetsNoCrossJoin() throws {
        // t0 - t1 - ... - t39, each ti.right = t(i+1).left, listed in FROM from t39 down to t0 (all cross
        // joins, with the conjuncts in a filter on top).
        let count = 40
        let lefts = (0..<count).map { column(100 + 2 * $0, "l\($0)") }, rights = (0..<count).map { column(101 + 2 * $0, "r\($0)") }
        let relations = (0..<count).map { scan("t\($0)", [lefts[$0], rights[$0]]) }
        var rowCounts: [String: Int] = [:]
        for index in 0..<count { rowCounts["t\(index)"] = 1_000 * (1 + (index * 7) % 13) }
        let crossed = relations.reversed().dropFirst().reduce(relations[count - 1]) { join(.cross, $0, $1) }
        let conjuncts = (0..<(count - 1)).map { equal(ref(rights[$0]), ref(lefts[$0 + 1])) }
        let plan = filter(crossed, .and(conjuncts))
        let result = try optimize(plan, with: JoinReordering(), catalog: RowCountCatalog(rowCounts))
        #expect(result.columns == plan.columns)
        let found = joins(in: result)
        #expect(found.count == count - 1)
        #expect(found.allSatisfy { $0.kind == .inner })
    }

    @Test func isInTheDefaultRulesBetweenPushdownAndPruning() throws {
        let names = Optimizer().ruleNames
        let position = try #require(names.firstIndex(of: "join_reordering"))
        let pushdown = try #require(names.firstIndex(of: "predicate_pushdown"))
        let pruning = try #require(names.firstIndex(of: "projection_pruning"))
        let sides = try #require(names.firstIndex(of: "join_side_selection"))
        #expect(pushdown < position && position < pruning && position < sides)

        // The whole pipeline on FROM a, c, b WHERE ...: no cross join left, same output.
        let plan = project(filter(join(.cross, join(.cross, a, c), b), .and([equal(ref(ax), ref(bx)), equal(ref(by), ref(cy))])),
                           [(ax, ref(ax)), (cy, ref(cy))])
        let result = try Optimizer().optimize(plan, context: OptimizerContext(catalog: chainCatalog))
        #expect(result.columns == plan.columns)
        #expect(!joins(in: result).contains { $0.kind == .cross })
        #expect(joins(in: result).count == 2)
    }
}
