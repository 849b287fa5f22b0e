import Columnar
import LogicalPlan
import Optimizer
import Testing

@Suite("PredicatePushdown")
struct PredicatePushdownTests {
    let key = column(1, "k"), x = column(2, "x")
    let otherKey = column(3, "k2"), y = column(4, "y")
    var left: LogicalPlan { scan("a", [key, x]) }
    var right: LogicalPlan { scan("b", [otherKey, y]) }

    @Test func turnsCrossJoinAndFilterIntoInnerJoinWithScanFilters() throws {
        let plan = filter(join(.cross, left, right),
                          .and([equal(ref(key), ref(otherKey)), greater(ref(x), integer(5)), less(ref(y), integer(3))]))
        let result = try optimize(plan, with: PredicatePushdown())
        let expected = join(.inner,
                            scan("a", [key, x], filters: [greater(ref(x), integer(5))]),
                            scan("b", [otherKey, y], filters: [less(ref(y), integer(3))]),
                            equal(ref(key), ref(otherKey)))
        #expect(result == expected)
        #expect(result.render(showEstimates: false) == """
            Join(inner): k = k2
              Scan: a [k, x] filters=[x > 5]
              Scan: b [k2, y] filters=[y < 3]
            """)
    }

    @Test func distributesConjunctsOverAChainOfCrossJoins() throws {
        let z = column(5, "z")
        let third = scan("c", [z])
        let plan = filter(join(.cross, join(.cross, left, right), third),
                          .and([equal(ref(key), ref(otherKey)), equal(ref(y), ref(z))]))
        let result = try optimize(plan, with: PredicatePushdown())
        let expected = join(.inner, join(.inner, left, right, equal(ref(key), ref(otherKey))), third, equal(ref(y), ref(z)))
        #expect(result == expected)
    }

    @Test func pushesOneSidedOnConjunctsOfInnerJoins() throws {
        let plan = join(.inner, left, right, .and([equal(ref(key), ref(otherKey)), greater(ref(y), integer(0))]))
        let result = try optimize(plan, with: PredicatePushdown())
        #expect(result == join(.inner, left, scan("b", [otherKey, y], filters: [greater(ref(y), integer(0))]),
                               equal(ref(key), ref(otherKey))))
    }

    @Test func leftJoinsOnlyTakeLeftPredicatesFromAboveAndRightOnesFromOn() throws {
        let onRight = greater(ref(y), integer(0))
        let onLeft = greater(ref(x), integer(0))
        let plan = filter(join(.left, left, right, .and([equal(ref(key), ref(otherKey)), onRight, onLeft])),
                          .and([less(ref(x), integer(9)), less(ref(y), integer(9))]))
        let result = try optimize(plan, with: PredicatePushdown())
        let expected = filter(join(.left,
                                   scan("a", [key, x], filters: [less(ref(x), integer(9))]),
                                   scan("b", [otherKey, y], filters: [onRight]),
                                   .and([equal(ref(key), ref(otherKey)), onLeft])),
                              less(ref(y), integer(9)))
        #expect(result == expected)
    }

    @Test func substitutesProjectedExpressions() throws {
        let doubled = column(10, "doubled"), renamed = column(11, "renamed")
        let twice = Expression.function(.multiply, [ref(x), integer(2)], .int64)
        let plan = filter(project(left, [(doubled, twice), (renamed, ref(key))]),
                          .and([greater(ref(doubled), integer(4)), equal(ref(renamed), integer(7))]))
        let result = try optimize(plan, with: PredicatePushdown())
        let expected = project(scan("a", [key, x], filters: [greater(twice, integer(4)), equal(ref(key), integer(7))]),
                               [(doubled, twice), (renamed, ref(key))])
        #expect(result == expected)
    }

    @Test func passesSortAndDistinctButNeverLimit() throws {
        let predicate = greater(ref(x), integer(1))
        let sorted = LogicalPlan.sort(Sort(input: .distinct(Distinct(input: left)), keys: [SortKey(expression: ref(x))]))
        let result = try optimize(filter(sorted, predicate), with: PredicatePushdown())
        #expect(result == .sort(Sort(input: .distinct(Distinct(input: scan("a", [key, x], filters: [predicate]))),
                                     keys: [SortKey(expression: ref(x))])))

        let limited = filter(.limit(Limit(input: left, limit: 10)), predicate)
        #expect(try optimize(limited, with: PredicatePushdown()) == limited)
    }

    @Test func passesAggregatesOnlyForPlainGroupKeys() throws {
        let group = column(20, "k"), computed = column(21, "x_plus_one"), total = column(22, "total")
        let aggregate = LogicalPlan.aggregate(Aggregate(
            input: left,
            groupKeys: [ProjectionItem(output: group, expression: ref(key)),
                        ProjectionItem(output: computed, expression: .function(.add, [ref(x), integer(1)], .int64))],
            aggregates: [AggregateCall(function: .sum, arguments: [ref(x)], output: total)]))
        let onKey = equal(ref(group), integer(3))
        let onComputed = greater(ref(computed), integer(1))
        let onAggregate = greater(ref(total), integer(100))
        let result = try optimize(filter(aggregate, .and([onKey, onComputed, onAggregate])), with: PredicatePushdown())
        guard case .filter(let remaining) = result, case .aggregate(let pushed) = remaining.input else {
            Issue.record("expected a filter over the aggregate, got \(result.render())")
            return
        }
        #expect(remaining.predicate == .and([onComputed, onAggregate]))
        #expect(pushed.input == scan("a", [key, x], filters: [equal(ref(key), integer(3))]))
    }

    @Test func keepsPredicatesAboveGlobalAggregates() throws {
        let total = column(22, "total")
        let aggregate = LogicalPlan.aggregate(Aggregate(input: left, groupKeys: [],
                                                        aggregates: [AggregateCall(function: .countStar, arguments: [], output: total)]))
        let plan = filter(aggregate, falseLiteral)
        #expect(try optimize(plan, with: PredicatePushdown()) == plan)
    }

    @Test func keepsSubqueryPredicatesInPlace() throws {
        let subquery = Expression.subquery(SubqueryExpression(kind: .exists, isNegated: false, operand: nil, plan: right,
                                                              correlatedColumns: [], dataType: .boolean))
        let plan = filter(left, .and([subquery, greater(ref(x), integer(1))]))
        let result = try optimize(plan, with: PredicatePushdown())
        #expect(result == filter(scan("a", [key, x], filters: [greater(ref(x), integer(1))]), subquery))
    }

    @Test func semiJoinsPassLeftPredicatesAndRightOnConjuncts() throws {
        let plan = filter(join(.semi, left, right, .and([equal(ref(key), ref(otherKey)), less(ref(y), integer(2))])),
                          greater(ref(x), integer(1)))
        let result = try optimize(plan, with: PredicatePushdown())
        #expect(result == join(.semi, scan("a", [key, x], filters: [greater(ref(x), integer(1))]),
                               scan("b", [otherKey, y], filters: [less(ref(y), integer(2))]), equal(ref(key), ref(otherKey))))
    }

    @Test func markJoinsKeepTheirConditionWhole() throws {
        let marker = column(30, "mark", .boolean)
        let condition = Expression.and([equal(ref(key), ref(otherKey)), less(ref(y), integer(2))])
        let plan = filter(join(.mark(marker), left, right, condition), .or([ref(marker), greater(ref(x), integer(1))]))
        #expect(try optimize(plan, with: PredicatePushdown()) == plan)
    }

    @Test func pushesIntoBothSidesOfSetOperations() throws {
        let output = column(40, "v")
        let union = LogicalPlan.setOperation(SetOperation(kind: .union, isAll: true, left: scan("a", [key]),
                                                          right: scan("b", [otherKey]), columns: [output]))
        let result = try optimize(filter(union, greater(ref(output), integer(0))), with: PredicatePushdown())
        #expect(result == .setOperation(SetOperation(
            kind: .union, isAll: true,
            left: scan("a", [key], filters: [greater(ref(key), integer(0))]),
            right: scan("b", [otherKey], filters: [greater(ref(otherKey), integer(0))]), columns: [output])))
    }
}
