import Columnar
import LogicalPlan
@testable import Optimizer
import Testing

@Suite("DependentJoinUnnesting")
struct DependentJoinUnnestingTests {
    // Outer t(a, b); inner u(x, y); innermost v(p, q). Columns are nullable unless marked otherwise.
    let a = column(1, "a"), b = column(2, "b")
    let x = column(10, "x"), y = column(11, "y")
    let p = column(20, "p"), q = column(21, "q")
    var outer: LogicalPlan { scan("t", [a, b]) }
    var inner: LogicalPlan { scan("u", [x, y]) }

    func unnest(_ plan: LogicalPlan) throws -> LogicalPlan {
        let result = try optimize(plan, with: DependentJoinUnnesting())
        #expect(result.columns == plan.columns)
        #expect(Self.dependentJoins(in: result) == 0)
        return result
    }

    /// How many joins of the plan have a right input reading columns of their left input.
    static func dependentJoins(in plan: LogicalPlan) -> Int {
        var count = 0
        if case .join(let join) = plan, !join.right.freeColumns.isDisjoint(with: join.left.columns.map(\.id)) { count += 1 }
        return count + plan.children.reduce(0) { $0 + dependentJoins(in: $1) }
    }

    func aggregate(_ input: LogicalPlan, keys: [(PlanColumn, Expression)] = [], _ calls: [AggregateCall]) -> LogicalPlan {
        .aggregate(Aggregate(input: input, groupKeys: keys.map { ProjectionItem(output: $0.0, expression: $0.1) }, aggregates: calls))
    }

    @Test func correlatedEqualityBecomesTheSemiJoinCondition() throws {
        // EXISTS (SELECT * FROM u WHERE x = a)
        let plan = join(.semi, outer, filter(inner, equal(ref(x), ref(a))))
        #expect(try unnest(plan) == join(.semi, outer, inner, equal(ref(x), ref(a))))
    }

    @Test func otherCorrelatedConjunctsMoveIntoSemiAndAntiJoins() throws {
        // q21: EXISTS (SELECT * FROM u WHERE x = a AND y <> b AND y > 3)
        let predicate = Expression.and([equal(ref(x), ref(a)), compare(.notEqual, ref(y), ref(b)), greater(ref(y), integer(3))])
        for kind in [JoinKind.semi, .anti] {
            let result = try unnest(join(kind, outer, filter(inner, predicate)))
            #expect(result == join(kind, outer, filter(inner, greater(ref(y), integer(3))),
                                   .and([equal(ref(x), ref(a)), compare(.notEqual, ref(y), ref(b))])))
        }
    }

    @Test func existsDropsItsLimit() throws {
        let limited = LogicalPlan.limit(Limit(input: filter(inner, equal(ref(x), ref(a))), limit: 1))
        #expect(try unnest(join(.anti, outer, limited)) == join(.anti, outer, inner, equal(ref(x), ref(a))))
    }

    @Test func correlatedInBecomesMarkJoinOnNullSafeBinding() throws {
        // b IN (SELECT y FROM u WHERE x = a): the binding a := x is matched with IS NOT DISTINCT FROM (rows with a
        // NULL x never belong to any outer row), so only b = y can make the marker NULL.
        let marker = column(30, "in_mark", .boolean)
        let value = column(31, "y2")
        let subquery = project(filter(inner, equal(ref(x), ref(a))), [(value, ref(y))])
        let plan = join(.mark(marker), outer, subquery, equal(ref(b), ref(value)))
        let result = try unnest(plan)
        let expectedRight = filter(project(inner, [(value, ref(y)), (x, ref(x))]), .function(.isNotNull, [ref(x)], .boolean))
        #expect(result == join(.mark(marker), outer, expectedRight,
                               .and([equal(ref(b), ref(value)), compare(.isNotDistinctFrom, ref(a), ref(x))])))
    }

    @Test func otherCorrelatedConjunctsOfMarkJoinsMustBeTrue() throws {
        // b IN (SELECT y FROM u WHERE x = a AND y > a AND y < b): once a is bound to x, y > a is y > x.
        let marker = column(30, "in_mark", .boolean)
        let subquery = filter(inner, .and([equal(ref(x), ref(a)), greater(ref(y), ref(a)), less(ref(y), ref(b))]))
        let result = try unnest(join(.mark(marker), outer, subquery, equal(ref(b), ref(y))))
        #expect(result.render(showEstimates: false) == """
            Join(mark AS in_mark): b = y AND a IS NOT DISTINCT FROM x AND (y < b) IS TRUE
              Scan: t [a, b]
              Filter: y > x
                Filter: x IS NOT NULL
                  Scan: u [x, y]
            """)
    }

    @Test func scalarAggregateIsGroupedByItsBindingAndLeftJoined() throws {
        // (SELECT 2 * sum(y) FROM u WHERE x = a), (SELECT count(*) FROM u WHERE x = a)
        let total = column(40, "sum"), doubled = column(41, "doubled")
        let sumQuery = project(aggregate(filter(inner, equal(ref(x), ref(a))),
                                         [AggregateCall(function: .sum, arguments: [ref(y)], output: total)]),
                               [(doubled, .function(.multiply, [integer(2), ref(total)], .int64))])
        let result = try unnest(join(.left, outer, sumQuery))
        #expect(result.render(showEstimates: false) == """
            Projection: a, b, 2 * sum AS doubled
              Join(left): a = x
                Scan: t [a, b]
                Aggregate: group=[x] aggregates=[sum(y) AS sum]
                  Filter: x IS NOT NULL
                    Scan: u [x, y]
            """)

        let count = column(42, "count")
        let countQuery = aggregate(filter(inner, equal(ref(x), ref(a))), [AggregateCall(function: .countStar, arguments: [], output: count)])
        let counted = try unnest(join(.left, outer, countQuery))
        // A missing group counts 0 rows, not NULL.
        #expect(counted.render(showEstimates: false) == """
            Projection: a, b, coalesce(count, 0) AS count
              Join(left): a = x
                Scan: t [a, b]
                Aggregate: group=[x] aggregates=[count(*) AS count]
                  Filter: x IS NOT NULL
                    Scan: u [x, y]
            """)
    }

    @Test func singleValueSubqueryIsCheckedPerOuterRow() throws {
        // (SELECT y FROM u WHERE x = a): single_value grouped by the binding fails on a second row per outer row,
        // of an outer row that exists: its input is restricted to the domain.
        let single = column(40, "y")
        let query = aggregate(filter(inner, equal(ref(x), ref(a))), [AggregateCall(function: .singleValue, arguments: [ref(y)], output: single)])
        let result = try unnest(join(.left, outer, query))
        #expect(result.render(showEstimates: false) == """
            Projection: a, b, y
              Join(left): a = x
                Scan: t [a, b]
                Aggregate: group=[x] aggregates=[single_value(y) AS y]
                  Join(semi): x = a
                    Filter: x IS NOT NULL
                      Scan: u [x, y]
                    Distinct
                      Projection: a
                        Scan: t [a, b]
            """)
    }

    @Test func correlationWithoutEqualityJoinsTheDomain() throws {
        // (SELECT count(*) FROM u WHERE y > a): the domain DISTINCT a, from a copy of t, is joined to u.
        let count = column(42, "count")
        let query = aggregate(filter(inner, greater(ref(y), ref(a))), [AggregateCall(function: .countStar, arguments: [], output: count)])
        let result = try unnest(join(.left, outer, query))
        #expect(result.render(showEstimates: false) == """
            Projection: a, b, coalesce(count, 0) AS count
              Join(left): a IS NOT DISTINCT FROM a
                Scan: t [a, b]
                Aggregate: group=[a] aggregates=[count(*) AS count]
                  Filter: y > a
                    Join(cross)
                      Scan: u [x, y]
                      Distinct
                        Projection: a
                          Scan: t [a, b]
            """)
    }

    @Test func aggregateUnderAFilterIsLeftJoinedToTheDomain() throws {
        // EXISTS (SELECT count(*) FROM u WHERE x = a HAVING count(*) = 0): every outer value has a count row.
        let count = column(42, "count")
        let counted = aggregate(filter(inner, equal(ref(x), ref(a))), [AggregateCall(function: .countStar, arguments: [], output: count)])
        let result = try unnest(join(.semi, outer, filter(counted, equal(ref(count), integer(0)))))
        #expect(result.render(showEstimates: false) == """
            Join(semi): a IS NOT DISTINCT FROM a
              Scan: t [a, b]
              Filter: count = 0
                Projection: a, coalesce(count, 0) AS count
                  Join(left): a = x
                    Distinct
                      Projection: a
                        Scan: t [a, b]
                    Aggregate: group=[x] aggregates=[count(*) AS count]
                      Filter: x IS NOT NULL
                        Scan: u [x, y]
            """)
    }

    @Test func nestedCorrelationTwoLevelsDeep() throws {
        // EXISTS (SELECT * FROM u WHERE y = a AND EXISTS (SELECT * FROM v WHERE p = x AND q = b))
        let innermost = filter(scan("v", [p, q]), .and([equal(ref(p), ref(x)), equal(ref(q), ref(b))]))
        let middle = filter(join(.semi, inner, innermost), equal(ref(y), ref(a)))
        let result = try unnest(join(.semi, outer, middle))
        // The inner semi join needs b on its left: a domain of b joined to u, matched with v's q.
        #expect(result.render(showEstimates: false) == """
            Join(semi): b IS NOT DISTINCT FROM b AND y = a
              Scan: t [a, b]
              Join(semi): p = x AND b = q
                Join(cross)
                  Scan: u [x, y]
                  Distinct
                    Projection: b
                      Scan: t [a, b]
                Filter: q IS NOT NULL
                  Scan: v [p, q]
            """)
    }

    @Test func correlatedGroupedAggregateGroupsByTheBinding() throws {
        // x IN (SELECT max(y) FROM u WHERE x = a GROUP BY y)
        let key = column(40, "g"), maximum = column(41, "m")
        let marker = column(42, "in_mark", .boolean)
        let grouped = aggregate(filter(inner, equal(ref(x), ref(a))), keys: [(key, ref(y))],
                                [AggregateCall(function: .maximum, arguments: [ref(y)], output: maximum)])
        let result = try unnest(join(.mark(marker), outer, project(grouped, [(column(43, "m2"), ref(maximum))]),
                                     equal(ref(b), ref(column(43, "m2")))))
        #expect(result.render(showEstimates: false) == """
            Join(mark AS in_mark): b = m2 AND a IS NOT DISTINCT FROM x
              Scan: t [a, b]
              Projection: m AS m2, x
                Aggregate: group=[y AS g, x] aggregates=[max(y) AS m]
                  Filter: x IS NOT NULL
                    Scan: u [x, y]
            """)
    }

    @Test func correlatedValuesInProjectionsUseTheBinding() throws {
        // EXISTS (SELECT y + a FROM u WHERE x = a): the projection reads a, which is x.
        let sum = column(40, "s")
        let query = project(filter(inner, equal(ref(x), ref(a))), [(sum, .function(.add, [ref(y), ref(a)], .int64))])
        let result = try unnest(join(.semi, outer, query))
        #expect(result.render(showEstimates: false) == """
            Join(semi): a = x
              Scan: t [a, b]
              Projection: y + x AS s, x
                Filter: x IS NOT NULL
                  Scan: u [x, y]
            """)
    }

    @Test func limitPerOuterValueKeepsRowsByTheirRowNumber() throws {
        // b IN (SELECT y FROM u WHERE x = a ORDER BY y LIMIT 2 OFFSET 1)
        let marker = column(30, "in_mark", .boolean)
        let sorted = LogicalPlan.sort(Sort(input: filter(inner, equal(ref(x), ref(a))), keys: [SortKey(expression: ref(y))]))
        let limited = LogicalPlan.limit(Limit(input: sorted, limit: 2, offset: 1))
        let result = try unnest(join(.mark(marker), outer, limited, equal(ref(b), ref(y))))
        #expect(result.render(showEstimates: false) == """
            Join(mark AS in_mark): b = y AND a IS NOT DISTINCT FROM x
              Scan: t [a, b]
              Filter: row_number > 1 AND row_number <= 3
                Window: [row_number() OVER (PARTITION BY x ORDER BY y ASC NULLS LAST) AS row_number]
                  Filter: x IS NOT NULL
                    Scan: u [x, y]
            """)
    }

    @Test func firstValueInItsOwnOrderIsMinimumOrMaximum() throws {
        // (SELECT y FROM u WHERE x = a ORDER BY y DESC NULLS LAST LIMIT 1) is max(y) per outer value.
        let value = column(40, "v")
        let selected = project(filter(inner, equal(ref(x), ref(a))), [(value, ref(y))])
        let sorted = LogicalPlan.sort(Sort(input: selected, keys: [SortKey(expression: ref(value), isAscending: false, nullsFirst: false)]))
        let first = LogicalPlan.limit(Limit(input: sorted, limit: 1))
        let result = try unnest(join(.left, outer, first))
        #expect(result.render(showEstimates: false) == """
            Projection: a, b, v
              Join(left): a = x
                Scan: t [a, b]
                Aggregate: group=[x] aggregates=[max(v) AS v]
                  Filter: x IS NOT NULL
                    Projection: y AS v, x
                      Scan: u [x, y]
            """)
        // NULLs first (descending by default) would make a NULL the first value: not an aggregate.
        let nullsFirst = LogicalPlan.limit(Limit(input: .sort(Sort(input: selected, keys: [SortKey(expression: ref(value), isAscending: false)])),
                                                 limit: 1))
        #expect(DecorrelationUnnester.firstValueAsAggregate(nullsFirst) == nil)
    }

    @Test func limitOverOneRowPerOuterValueIsDropped() throws {
        let count = column(42, "count")
        let counted = aggregate(filter(inner, equal(ref(x), ref(a))), [AggregateCall(function: .countStar, arguments: [], output: count)])
        let limited = LogicalPlan.limit(Limit(input: counted, limit: 1))
        let marker = column(30, "in_mark", .boolean)
        let result = try unnest(join(.mark(marker), outer, limited, equal(ref(b), ref(count))))
        #expect(result.render(showEstimates: false).hasPrefix("Join(mark AS in_mark): b = count AND a IS NOT DISTINCT FROM a"))
    }

    @Test func leavesIndependentJoinsAlone() throws {
        let plan = join(.semi, outer, inner, equal(ref(a), ref(x)))
        #expect(try unnest(plan) == plan)
    }
}
