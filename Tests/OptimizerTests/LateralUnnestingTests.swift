import Columnar
import LogicalPlan
@testable import Optimizer
import Testing

/// The dependent joins a `LATERAL` subquery in FROM binds to: cross, inner and left joins whose right input reads
/// the left input's columns, unnested like those of correlated subqueries.
@Suite("LateralUnnesting")
struct LateralUnnestingTests {
    let a = column(1, "a"), b = column(2, "b")
    let x = column(10, "x"), y = column(11, "y")
    var outer: LogicalPlan { scan("t", [a, b]) }
    var inner: LogicalPlan { scan("u", [x, y]) }

    func unnest(_ plan: LogicalPlan) throws -> LogicalPlan {
        let result = try optimize(plan, with: DependentJoinUnnesting())
        #expect(result.columns == plan.columns)
        #expect(DependentJoinUnnestingTests.dependentJoins(in: result) == 0)
        return result
    }

    @Test func commaLateralWithEqualityBecomesAnInnerJoin() throws {
        // FROM t, LATERAL (SELECT * FROM u WHERE x = a)
        let result = try unnest(join(.cross, outer, filter(inner, equal(ref(x), ref(a)))))
        #expect(result == join(.inner, outer, inner, equal(ref(x), ref(a))))
    }

    @Test func leftJoinLateralKeepsItsOnCondition() throws {
        // FROM t LEFT JOIN LATERAL (SELECT * FROM u WHERE x = a) ON y > 3
        let result = try unnest(join(.left, outer, filter(inner, equal(ref(x), ref(a))), greater(ref(y), integer(3))))
        #expect(result == join(.left, outer, inner, .and([greater(ref(y), integer(3)), equal(ref(x), ref(a))])))
    }

    @Test func lateralComputedFromOuterValuesUsesTheDomain() throws {
        // FROM t, LATERAL (SELECT b * 2 AS doubled): no input of its own, so it is computed over the domain.
        let doubled = column(30, "doubled")
        let values = LogicalPlan.values(Values(columns: [], rows: [[]]))
        let result = try unnest(join(.cross, outer, project(values, [(doubled, Expression.function(.multiply, [ref(b), integer(2)], .int64))])))
        #expect(result.render(showEstimates: false).contains("Distinct"))
    }
}
