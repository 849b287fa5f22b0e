import Columnar
import LogicalPlan
@testable import Optimizer
import Testing

@Suite("SubqueryToJoin")
struct SubqueryToJoinTests {
    let a = column(1, "a"), b = column(2, "b", .boolean)
    let x = column(10, "x")
    var outer: LogicalPlan { scan("t", [a, b]) }
    var inner: LogicalPlan { scan("u", [x]) }
    /// `inner` limited to one row, as EXISTS subqueries are.
    var firstOfInner: LogicalPlan { .limit(Limit(input: inner, limit: 1)) }

    func subquery(_ kind: SubqueryExpression.Kind, negated: Bool = false, operand: Expression? = nil,
                  plan: LogicalPlan? = nil, correlated: [PlanColumn] = [], type: DataType = .boolean) -> Expression {
        .subquery(SubqueryExpression(kind: kind, isNegated: negated, operand: operand, plan: plan ?? inner,
                                     correlatedColumns: correlated, dataType: type))
    }

    @Test func existsBecomesSemiJoinAndNotExistsAntiJoin() throws {
        let plan = filter(outer, .and([subquery(.exists), .not(subquery(.exists)), ref(b)]))
        let result = try optimize(plan, with: SubqueryToJoin())
        #expect(result == join(.anti, join(.semi, filter(outer, ref(b)), firstOfInner), firstOfInner))

        let negatedFlag = try optimize(filter(outer, subquery(.exists, negated: true)), with: SubqueryToJoin())
        #expect(negatedFlag == join(.anti, outer, firstOfInner))
    }

    @Test func existsOverASingleRowNeedsNoLimit() throws {
        let single = LogicalPlan.values(Values(columns: [x], rows: [[integer(1)]]))
        let result = try optimize(filter(outer, subquery(.exists, plan: single)), with: SubqueryToJoin())
        #expect(result == join(.semi, outer, single))
    }

    @Test func inBecomesSemiJoinOnEquality() throws {
        let plan = filter(outer, subquery(.inSubquery, operand: ref(a)))
        #expect(try optimize(plan, with: SubqueryToJoin()) == join(.semi, outer, inner, equal(ref(a), ref(x))))

        let any = filter(outer, subquery(.quantified(.less, isAll: false), operand: ref(a)))
        #expect(try optimize(any, with: SubqueryToJoin()) == join(.semi, outer, inner, less(ref(a), ref(x))))
    }

    @Test func notInBecomesMarkJoinAndNegatedMarker() throws {
        let plan = filter(outer, subquery(.inSubquery, negated: true, operand: ref(a)))
        let result = try optimize(plan, with: SubqueryToJoin())
        let marker = PlanColumn(id: ColumnID(11), name: "in_mark", dataType: .boolean)
        let expected = filter(join(.mark(marker), outer, inner, equal(ref(a), ref(x))), .not(ref(marker)))
            .projectedForTest(to: [a, b])
        #expect(result == expected)
        #expect(result.columns == plan.columns)
    }

    @Test func subqueriesUnderOrUseMarkJoins() throws {
        let plan = filter(outer, .or([ref(b), subquery(.exists)]))
        let result = try optimize(plan, with: SubqueryToJoin())
        let marker = PlanColumn(id: ColumnID(11), name: "exists_mark", dataType: .boolean, isNullable: false)
        #expect(result == filter(join(.mark(marker), outer, firstOfInner), .or([ref(b), ref(marker)])).projectedForTest(to: [a, b]))
    }

    @Test func allBecomesNegatedAnyWithTheOppositeComparison() throws {
        let plan = filter(outer, subquery(.quantified(.greater, isAll: true), operand: ref(a)))
        let result = try optimize(plan, with: SubqueryToJoin())
        let marker = PlanColumn(id: ColumnID(11), name: "all_mark", dataType: .boolean)
        let expected = filter(join(.mark(marker), outer, inner, compare(.lessOrEqual, ref(a), ref(x))), .not(ref(marker)))
        #expect(result == expected.projectedForTest(to: [a, b]))
    }

    @Test func projectionSubqueriesBecomeMarkJoins() throws {
        let output = column(20, "found", .boolean)
        let plan = project(outer, [(output, subquery(.inSubquery, operand: ref(a)))])
        let result = try optimize(plan, with: SubqueryToJoin())
        let marker = PlanColumn(id: ColumnID(21), name: "in_mark", dataType: .boolean)
        #expect(result == project(join(.mark(marker), outer, inner, equal(ref(a), ref(x))), [(output, ref(marker))]))
    }

    @Test func singleRowScalarSubqueriesBecomeLeftJoins() throws {
        let total = column(12, "total")
        let aggregated = LogicalPlan.aggregate(Aggregate(input: inner, groupKeys: [],
                                                         aggregates: [AggregateCall(function: .sum, arguments: [ref(x)], output: total)]))
        let plan = filter(outer, greater(ref(a), subquery(.scalar, plan: aggregated, type: .int64)))
        let result = try optimize(plan, with: SubqueryToJoin())
        #expect(result == filter(join(.left, outer, aggregated), greater(ref(a), ref(total))).projectedForTest(to: [a, b]))
    }

    @Test func scalarSubqueriesThatMayReturnSeveralRowsTakeTheSingleValue() throws {
        let plan = filter(outer, greater(ref(a), subquery(.scalar, type: .int64)))
        let result = try optimize(plan, with: SubqueryToJoin())
        let single = PlanColumn(id: ColumnID(11), name: "x", dataType: .int64)
        let checked = LogicalPlan.aggregate(Aggregate(input: inner, groupKeys: [], aggregates: [
            AggregateCall(function: .singleValue, arguments: [ref(x)], output: single),
        ]))
        #expect(result == filter(join(.left, outer, checked), greater(ref(a), ref(single))).projectedForTest(to: [a, b]))

        let limited = LogicalPlan.limit(Limit(input: inner, limit: 1))
        let allowed = filter(outer, greater(ref(a), subquery(.scalar, plan: limited, type: .int64)))
        #expect(try optimize(allowed, with: SubqueryToJoin()) == filter(join(.left, outer, limited), greater(ref(a), ref(x))).projectedForTest(to: [a, b]))
    }

    @Test func correlatedSubqueriesBecomeDependentJoins() throws {
        // The right input reads the outer column a; DependentJoinUnnesting takes it from there. No LIMIT 1 for EXISTS.
        let correlated = filter(inner, equal(ref(x), ref(a)))
        let plan = filter(outer, subquery(.exists, plan: correlated, correlated: [a]))
        #expect(try optimize(plan, with: SubqueryToJoin()) == join(.semi, outer, correlated))

        let value = column(12, "y")
        let scalar = project(outer, [(value, subquery(.scalar, plan: correlated, correlated: [a], type: .int64))])
        let single = PlanColumn(id: ColumnID(13), name: "x", dataType: .int64)
        let checked = LogicalPlan.aggregate(Aggregate(input: correlated, groupKeys: [], aggregates: [
            AggregateCall(function: .singleValue, arguments: [ref(x)], output: single),
        ]))
        #expect(try optimize(scalar, with: SubqueryToJoin()) == project(join(.left, outer, checked), [(value, ref(single))]))
    }

    @Test func rewritesNestedSubqueries() throws {
        let y = column(30, "y")
        let innermost = scan("v", [y])
        let nested = filter(inner, subquery(.inSubquery, operand: ref(x), plan: innermost))
        let plan = filter(outer, subquery(.exists, plan: nested))
        let result = try optimize(plan, with: SubqueryToJoin())
        #expect(result == join(.semi, outer, .limit(Limit(input: join(.semi, inner, innermost, equal(ref(x), ref(y))), limit: 1))))
    }

    @Test func movesSubqueriesOutOfInnerJoinConditions() throws {
        let y = column(30, "y")
        let plan = join(.inner, outer, scan("w", [y]), .and([equal(ref(a), ref(y)), subquery(.exists)]))
        let result = try optimize(plan, with: SubqueryToJoin())
        #expect(result == join(.semi, join(.inner, outer, scan("w", [y]), equal(ref(a), ref(y))), firstOfInner))
    }

    @Test func leavesPlansWithoutSubqueriesAlone() throws {
        let plan = filter(outer, ref(b))
        #expect(try optimize(plan, with: SubqueryToJoin()) == plan)
    }
}

extension LogicalPlan {
    /// A pass-through projection, as the rule adds when a filter's input gained marker columns.
    func projectedForTest(to columns: [PlanColumn]) -> LogicalPlan {
        .projection(Projection(input: self, items: columns.map { ProjectionItem(output: $0, expression: .column($0)) }))
    }
}
