import Catalog
import Columnar
import LogicalPlan
@testable import Optimizer
import Testing

/// A catalog that knows row counts and, per table, column distinct counts.
private final class StatisticsCatalog: Catalog {
    let rowCounts: [String: Int]
    let distinctCounts: [String: [String: Double]]

    init(_ rowCounts: [String: Int], distinctCounts: [String: [String: Double]]) {
        self.rowCounts = rowCounts
        self.distinctCounts = distinctCounts
    }

    func listTables() throws -> [TableIdentifier] { [] }
    func table(_ identifier: TableIdentifier) throws -> TableDefinition? { nil }
    func view(_ identifier: TableIdentifier) throws -> ViewDefinition? { nil }
    func createTable(_ definition: TableDefinition) throws { throw CatalogError("read-only") }
    func createTable(_ definition: TableDefinition, batches: [RecordBatch]) throws { throw CatalogError("read-only") }
    func dropTable(_ identifier: TableIdentifier) throws { throw CatalogError("read-only") }
    func createView(_ definition: ViewDefinition, replacing: Bool) throws { throw CatalogError("read-only") }
    func dropView(_ identifier: TableIdentifier) throws { throw CatalogError("read-only") }
    func append(to identifier: TableIdentifier, batches: [RecordBatch]) throws { throw CatalogError("read-only") }
    func setStatistics(_ statistics: TableStatistics, of identifier: TableIdentifier) throws { throw CatalogError("read-only") }
    func segments(of identifier: TableIdentifier) throws -> [any TableSegment] { throw CatalogError("no segments") }

    func statistics(of identifier: TableIdentifier) throws -> TableStatistics? {
        guard let rows = rowCounts[identifier.name] else { return nil }
        let columns = (distinctCounts[identifier.name] ?? [:]).mapValues { ColumnStatistics(distinctCount: $0) }
        return TableStatistics(rowCount: rows, columns: columns, dataVersion: 1)
    }
}

/// The graph of the region rooted at `plan`.
private func graph(of plan: LogicalPlan) throws -> QueryGraph {
    try #require(QueryGraphBuilder.extract(plan, rewriteInput: { $0 })).graph
}

private func approximatelyEqual(_ left: Double, _ right: Double) -> Bool {
    abs(left - right) <= 1e-6 * max(1, abs(right))
}

@Suite("Join order estimation")
struct JoinOrderEstimationTests {
    let orderKey = column(1, "o_orderkey"), orderDate = column(2, "o_orderdate", .date32)
    let lineOrder = column(3, "l_orderkey"), linePart = column(4, "l_partkey"), lineSupplier = column(5, "l_suppkey")
    let partsuppPart = column(6, "ps_partkey"), partsuppSupplier = column(7, "ps_suppkey")
    let catalog = RowCountCatalog(["orders": 1_500_000, "lineitem": 6_000_000, "partsupp": 800_000])

    @Test func selectivityTable() {
        let x = ref(orderKey)
        #expect(PredicateSelectivity.of(equal(x, integer(1))) == 0.1)
        #expect(PredicateSelectivity.of(compare(.notEqual, x, integer(1))) == 0.9)
        #expect(PredicateSelectivity.of(greater(x, integer(1))) == 0.33)
        #expect(PredicateSelectivity.of([greater(x, integer(1)), less(x, integer(9))]) == 0.25)
        #expect(approximatelyEqual(PredicateSelectivity.of([greater(x, integer(1)), greater(ref(lineOrder), integer(9))]), 0.33 * 0.33))
        let like = Expression.function(.like(caseInsensitive: false), [.column(column(9, "s", .utf8)), .literal(.string("%a%"), .utf8)], .boolean)
        #expect(PredicateSelectivity.of(like) == 0.25)
        #expect(PredicateSelectivity.of(.not(like)) == 0.75)
        #expect(PredicateSelectivity.of(.inList(x, [integer(1), integer(2)], isNegated: false)) == 0.2)
        #expect(approximatelyEqual(PredicateSelectivity.of(.or([equal(x, integer(1)), equal(x, integer(2))])), 1 - 0.9 * 0.9))
        #expect(PredicateSelectivity.of(equal(x, integer(1)), distinctCount: { _ in 50 }) == 0.02)
        #expect(PredicateSelectivity.of(trueLiteral) == 1)
        #expect(PredicateSelectivity.of(falseLiteral) == 0)
    }

    @Test func foreignKeyJoinYieldsTheForeignKeySide() throws {
        // lineitem ⋈ orders on orders' key: |lineitem|; with a third of the orders, a third of that.
        let filteredOrders = scan("orders", [orderKey, orderDate],
                                  filters: [greater(ref(orderDate), .literal(.date(9000), .date32))])
        let plan = join(.inner, scan("lineitem", [lineOrder]), filteredOrders, equal(ref(lineOrder), ref(orderKey)))
        let estimator = CardinalityEstimator(graph: try graph(of: plan), catalog: catalog)
        #expect(estimator.rows(of: RelationSet(relation: 0)) == 6_000_000)
        #expect(approximatelyEqual(estimator.rows(of: RelationSet(relation: 1)), 1_500_000 * 0.33))
        #expect(approximatelyEqual(estimator.rows(of: RelationSet([0, 1])), 6_000_000 * 0.33))
    }

    @Test func compositeKeysAreNotCountedTwice() throws {
        // partsupp ⋈ lineitem on part and supplier keys: the composite key is partsupp's, so |lineitem|.
        let plan = join(.inner, scan("lineitem", [linePart, lineSupplier]), scan("partsupp", [partsuppPart, partsuppSupplier]),
                        .and([equal(ref(partsuppPart), ref(linePart)), equal(ref(partsuppSupplier), ref(lineSupplier))]))
        let estimator = CardinalityEstimator(graph: try graph(of: plan), catalog: catalog)
        #expect(approximatelyEqual(estimator.rows(of: RelationSet([0, 1])), 6_000_000))
    }

    @Test func equivalenceClassesBoundNonKeyJoins() throws {
        // customer ⋈ supplier on c_nationkey = s_nationkey = n_nationkey: nation's 25 keys, not supplier's 10000.
        let customerNation = column(1, "c_nationkey"), supplierNation = column(2, "s_nationkey"), nationKey = column(3, "n_nationkey")
        let catalog = RowCountCatalog(["customer": 150_000, "supplier": 10_000, "nation": 25])
        let plan = join(.inner, join(.inner, scan("customer", [customerNation]), scan("supplier", [supplierNation]),
                                     equal(ref(customerNation), ref(supplierNation))),
                        scan("nation", [nationKey]), equal(ref(supplierNation), ref(nationKey)))
        let queryGraph = try graph(of: plan)
        #expect(queryGraph.equivalenceClasses.count == 1)
        #expect(queryGraph.equivalenceClasses.first?.relations == RelationSet.all(3))
        // customer and nation share no conjunct, but the class connects them and implies c_nationkey = n_nationkey.
        #expect(queryGraph.isConnected(RelationSet(relation: 0), RelationSet(relation: 2)))
        #expect(queryGraph.impliedPredicates(joining: RelationSet(relation: 0), RelationSet(relation: 2))
                == [equal(ref(customerNation), ref(nationKey))])
        #expect(queryGraph.impliedPredicates(joining: RelationSet(relation: 0), RelationSet([1, 2])).isEmpty)
        let estimator = CardinalityEstimator(graph: queryGraph, catalog: catalog)
        #expect(approximatelyEqual(estimator.rows(of: RelationSet([0, 1])), 150_000.0 * 10_000 / 25))
        #expect(approximatelyEqual(estimator.rows(of: RelationSet([0, 2])), 150_000))
        // All three: the class divides by 25 twice (once per relation it brings in), not three times.
        #expect(approximatelyEqual(estimator.rows(of: RelationSet.all(3)), 150_000.0 * 10_000 / 25))
        // The original order joins customer and supplier first; only customer ⋈ supplier is costed differently.
        #expect(approximatelyEqual(estimator.rows(of: RelationSet([0, 2]), placement: .original), 150_000 * 25))
    }

    @Test func distinctCountsFromStatisticsDriveEquiJoins() throws {
        let left = column(1, "k"), right = column(2, "k")
        let statistics = StatisticsCatalog(["l": 1_000, "r": 10],
                                           distinctCounts: ["l": ["k": 1_000], "r": ["k": 10]])
        let plan = join(.inner, scan("l", [left]), scan("r", [right]), equal(ref(left), ref(right)))
        let estimator = CardinalityEstimator(graph: try graph(of: plan), catalog: statistics)
        // 1000 · 10 / max(1000, 10) under containment, where the key heuristic alone would say 1000.
        #expect(approximatelyEqual(estimator.rows(of: RelationSet([0, 1])), 10))
        // And an equality filter uses 1 / distinct.
        let filtered = scan("l", [left], filters: [equal(ref(left), integer(3))])
        #expect(RelationStatistics.of(filtered, catalog: statistics).rows == 1)
    }

    @Test func originalPlacementCostsLateFilters() throws {
        // FROM a, c, b WHERE a.x = c.x: the filter sits over both cross joins, so in the original order a × c
        // yields every pair; applied as early as possible it yields |a| · |c| / min(|a|, |c|).
        let ax = column(1, "ax"), bx = column(2, "bx"), cx = column(3, "cx")
        let plan = filter(join(.cross, join(.cross, scan("a", [ax]), scan("c", [cx])), scan("b", [bx])), equal(ref(ax), ref(cx)))
        let region = try #require(QueryGraphBuilder.extract(plan, rewriteInput: { $0 }))
        let estimator = CardinalityEstimator(graph: region.graph, statistics: [
            RelationStatistics(rows: 100), RelationStatistics(rows: 50), RelationStatistics(rows: 200),
        ])
        #expect(region.originalTree == .join(.join(.relation(0), .relation(1)), .relation(2)))
        #expect(region.graph.predicates.first?.equiJoin != nil)
        #expect(region.graph.predicates.first?.originalPlacement == RelationSet.all(3))
        #expect(estimator.rows(of: RelationSet([0, 1])) == 100)
        #expect(estimator.rows(of: RelationSet([0, 1]), placement: .original) == 5_000)
        let cost = IntermediateResultCost()
        #expect(cost.cost(of: region.originalTree) { estimator.rows(of: $0, placement: .original) } == 5_000 + 20_000)
        #expect(cost.cost(of: region.originalTree) { estimator.rows(of: $0) } == 100 + 20_000)
    }

    @Test func greedyEnumeratorJoinsTheSmallestConnectedPairFirst() throws {
        // Chain 0 - 1 - 2 - 3 with 0 ⋈ 1 largest: expect 2 ⋈ 3 first (1000 rows), then 1 (50000), then 0.
        let keys = (0..<6).map { column($0 + 1, "k\($0)") }
        let plan = join(.inner,
                        join(.inner, join(.inner, scan("t0", [keys[0]]), scan("t1", [keys[1], keys[2]]), equal(ref(keys[0]), ref(keys[1]))),
                             scan("t2", [keys[3], keys[4]]), equal(ref(keys[2]), ref(keys[3]))),
                        scan("t3", [keys[5]]), equal(ref(keys[4]), ref(keys[5])))
        let queryGraph = try graph(of: plan)
        let estimator = CardinalityEstimator(graph: queryGraph, statistics: [
            RelationStatistics(rows: 100_000), RelationStatistics(rows: 50_000),
            RelationStatistics(rows: 1_000), RelationStatistics(rows: 10),
        ])
        #expect(queryGraph.isConnected(RelationSet(relation: 0), RelationSet(relation: 1)))
        #expect(!queryGraph.isConnected(RelationSet(relation: 0), RelationSet(relation: 2)))
        #expect(queryGraph.neighbors(of: RelationSet([1, 2])) == RelationSet([0, 3]))
        let tree = GreedyJoinEnumerator().bestTree(for: queryGraph, estimator: estimator, costModel: IntermediateResultCost())
        #expect(tree == .join(.relation(0), .join(.relation(1), .join(.relation(2), .relation(3)))))
        #expect(tree.relations == RelationSet.all(4))
    }

    @Test func relationSetOperations() {
        var set = RelationSet([0, 3, 63])
        #expect(set.count == 3)
        #expect(set.relations == [0, 3, 63])
        #expect(set.contains(63) && !set.contains(1) && !set.contains(64) && !set.contains(-1))
        set.insert(1)
        #expect(set.first == 0)
        #expect(set.subtracting(RelationSet([0, 1])) == RelationSet([3, 63]))
        #expect(RelationSet([3]).isSubset(of: set) && !set.isSubset(of: RelationSet([3])))
        #expect(RelationSet.all(64).count == 64 && RelationSet.all(3) == RelationSet([0, 1, 2]))
        #expect(set.description == "{0, 1, 3, 63}")
    }
}
