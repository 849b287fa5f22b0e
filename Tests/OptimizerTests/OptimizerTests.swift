import Columnar
import LogicalPlan
import Optimizer
import Testing

@Suite("Optimizer driver")
struct OptimizerTests {
    let key = column(1, "a_key"), price = column(2, "price"), comment = column(3, "comment", .utf8)
    let otherKey = column(4, "b_key"), region = column(5, "region", .utf8)
    let catalog = RowCountCatalog(["a": 1_000, "b": 100_000])

    /// `SELECT price FROM a, b WHERE a_key = b_key AND price > 5 AND region = 'EU'`
    var crossJoinQuery: LogicalPlan {
        let predicate = Expression.and([trueLiteral, equal(ref(key), ref(otherKey)), greater(ref(price), integer(5)),
                                        equal(ref(region), .literal(.string("EU"), .utf8))])
        return project(filter(join(.cross, scan("a", [key, price, comment]), scan("b", [otherKey, region])), predicate),
                       [(column(10, "price"), ref(price))])
    }

    @Test func turnsACommaJoinIntoAnInnerHashJoinWithPushedFilters() throws {
        let result = try Optimizer().optimize(crossJoinQuery, context: OptimizerContext(catalog: catalog))
        #expect(result.columns == crossJoinQuery.columns)
        // b: 100000 rows, 10% of them in 'EU'; a: 1000 rows, half of them with price > 5. The smaller side
        // builds (right), and the projection restoring the column order merged into the final one. The column
        // only b's filter reads stops right above its scan.
        #expect(result.render() == """
            Projection: price (~10000 rows)
              Join(inner): a_key = b_key (~10000 rows)
                Projection: b_key (~10000 rows)
                  Scan: b [b_key, region] filters=[region = 'EU'] (~10000 rows)
                Scan: a [a_key, price] filters=[price > 5] (~500 rows)
            """)
    }

    @Test func skipsDisabledRules() throws {
        let context = OptimizerContext(catalog: catalog, disabledRules: ["predicate_pushdown", "join_side_selection"])
        let result = try Optimizer().optimize(crossJoinQuery, context: context)
        #expect(result.render(showEstimates: false) == """
            Projection: price
              Filter: a_key = b_key AND price > 5 AND region = 'EU'
                Join(cross)
                  Scan: a [a_key, price]
                  Scan: b [b_key, region]
            """)
    }

    @Test func runsEveryRuleWhenNothingIsDisabled() throws {
        #expect(Optimizer().ruleNames == ["cte_inlining", "subquery_to_join", "dependent_join_unnesting", "simplify_expressions",
                                          "factor_disjunctions", "derive_disjunction_filters", "predicate_pushdown", "join_reordering",
                                          "projection_pruning", "join_side_selection"])
        let counter = CountingRule()
        _ = try Optimizer(rules: [counter]).optimize(crossJoinQuery, context: OptimizerContext())
        // The rule changes nothing, so one pass is enough.
        #expect(counter.calls.value == 1)
    }

    @Test func rejectsRulesThatChangeTheOutputColumns() throws {
        #expect(throws: OptimizerError.self) {
            try Optimizer(rules: [DroppingRule()]).optimize(crossJoinQuery, context: OptimizerContext())
        }
    }

    @Test func stopsAfterTheMaximumNumberOfPasses() throws {
        let rule = FlippingRule()
        _ = try Optimizer(rules: [rule]).optimize(crossJoinQuery, context: OptimizerContext())
        #expect(rule.calls.value == Optimizer.maximumPasses)
    }
}

/// A thread-safe-enough counter for the single-threaded tests.
final class Counter: @unchecked Sendable { var value = 0 }

struct CountingRule: OptimizerRule {
    let calls = Counter()
    var name: String { "counting" }
    func rewrite(_ plan: LogicalPlan, context: OptimizerContext) throws -> LogicalPlan {
        calls.value += 1
        return plan
    }
}

/// Changes the plan on every call (toggling a limit on and off), so the plan never settles.
struct FlippingRule: OptimizerRule {
    let calls = Counter()
    var name: String { "flipping" }
    func rewrite(_ plan: LogicalPlan, context: OptimizerContext) throws -> LogicalPlan {
        calls.value += 1
        if case .limit(let node) = plan { return node.input }
        return .limit(Limit(input: plan, limit: nil))
    }
}

/// Breaks the plan's output by putting a projection of its first column on top.
struct DroppingRule: OptimizerRule {
    var name: String { "dropping" }
    func rewrite(_ plan: LogicalPlan, context: OptimizerContext) throws -> LogicalPlan {
        .projection(Projection(input: plan, items: Array(plan.columns.prefix(0)).map { ProjectionItem(output: $0, expression: .column($0)) }))
    }
}

@Suite("Optimizer on TPC-H shaped plans")
struct TPCHShapeTests {
    // customer(c_custkey, c_segment), orders(o_orderkey, o_custkey, o_date), lineitem(l_orderkey, l_price, l_shipdate)
    let customerKey = column(1, "c_custkey"), segment = column(2, "c_mktsegment", .utf8), customerName = column(3, "c_name", .utf8)
    let orderKey = column(4, "o_orderkey"), orderCustomer = column(5, "o_custkey"), orderDate = column(6, "o_orderdate", .date32)
    let lineOrder = column(7, "l_orderkey"), linePrice = column(8, "l_extendedprice"), shipDate = column(9, "l_shipdate", .date32)
    let nationKey = column(10, "n_nationkey")
    let catalog = RowCountCatalog(["customer": 150_000, "orders": 1_500_000, "lineitem": 6_000_000, "nation": 25])

    func date(_ year: Int, _ month: Int, _ day: Int) -> Expression {
        .literal(.date(Int32(DateFormat.days(year: year, month: month, day: day))), .date32)
    }

    /// TPC-H Q3's shape, plus `c_custkey NOT IN (SELECT n_nationkey FROM nation)`:
    /// SELECT l_orderkey, sum(l_extendedprice) AS revenue, o_orderdate FROM customer, orders, lineitem
    /// WHERE c_mktsegment = 'BUILDING' AND c_custkey = o_custkey AND l_orderkey = o_orderkey
    ///   AND o_orderdate < DATE '1995-03-15' AND l_shipdate > DATE '1995-03-15' AND c_custkey NOT IN (...)
    /// GROUP BY l_orderkey, o_orderdate ORDER BY revenue DESC LIMIT 10
    var queryThree: LogicalPlan {
        let tables = join(.cross, join(.cross, scan("customer", [customerKey, segment, customerName]),
                                       scan("orders", [orderKey, orderCustomer, orderDate])),
                          scan("lineitem", [lineOrder, linePrice, shipDate]))
        let notIn = Expression.subquery(SubqueryExpression(kind: .inSubquery, isNegated: true, operand: ref(customerKey),
                                                           plan: scan("nation", [nationKey]), correlatedColumns: [], dataType: .boolean))
        let predicate = Expression.and([
            equal(ref(segment), .literal(.string("BUILDING"), .utf8)), equal(ref(customerKey), ref(orderCustomer)),
            equal(ref(lineOrder), ref(orderKey)), less(ref(orderDate), date(1995, 3, 15)),
            greater(ref(shipDate), date(1995, 3, 15)), notIn,
        ])
        let groupOrder = column(20, "l_orderkey"), groupDate = column(21, "o_orderdate", .date32), revenue = column(22, "revenue")
        let aggregate = LogicalPlan.aggregate(Aggregate(
            input: filter(tables, predicate),
            groupKeys: [ProjectionItem(output: groupOrder, expression: ref(lineOrder)),
                        ProjectionItem(output: groupDate, expression: ref(orderDate))],
            aggregates: [AggregateCall(function: .sum, arguments: [ref(linePrice)], output: revenue)]))
        let projected = project(aggregate, [(column(30, "l_orderkey"), ref(groupOrder)), (column(31, "revenue"), ref(revenue)),
                                            (column(32, "o_orderdate", .date32), ref(groupDate))])
        let sorted = LogicalPlan.sort(Sort(input: projected, keys: [SortKey(expression: ref(column(31, "revenue")), isAscending: false)]))
        return .limit(Limit(input: sorted, limit: 10))
    }

    @Test func optimizesQueryThreeIntoHashJoinsWithPushedFilters() throws {
        let result = try Optimizer().optimize(queryThree, context: OptimizerContext(catalog: catalog))
        #expect(result.columns == queryThree.columns)
        // Optimizing again changes nothing: the rules reached their fixpoint.
        #expect(try Optimizer().optimize(result, context: OptimizerContext(catalog: catalog)) == result)
        // Build sides: customer (15000 after its filter) under orders (750000), that join under lineitem
        // (3 million), nation under the mark join. The projections drop the columns nobody above reads, those
        // only a scan's filter reads included.
        #expect(result.render(showEstimates: false) == """
            Limit: 10
              Sort: revenue DESC NULLS FIRST
                Projection: l_orderkey, revenue, o_orderdate
                  Aggregate: group=[l_orderkey, o_orderdate] aggregates=[sum(l_extendedprice) AS revenue]
                    Projection: o_orderdate, l_orderkey, l_extendedprice
                      Filter: NOT in_mark
                        Join(mark AS in_mark): c_custkey = n_nationkey
                          Projection: c_custkey, o_orderdate, l_orderkey, l_extendedprice
                            Join(inner): l_orderkey = o_orderkey
                              Projection: l_orderkey, l_extendedprice
                                Scan: lineitem [l_orderkey, l_extendedprice, l_shipdate] filters=[l_shipdate > DATE '1995-03-15']
                              Projection: c_custkey, o_orderkey, o_orderdate
                                Join(inner): c_custkey = o_custkey
                                  Scan: orders [o_orderkey, o_custkey, o_orderdate] filters=[o_orderdate < DATE '1995-03-15']
                                  Projection: c_custkey
                                    Scan: customer [c_custkey, c_mktsegment] filters=[c_mktsegment = 'BUILDING']
                          Scan: nation [n_nationkey]
            """)
    }
}
