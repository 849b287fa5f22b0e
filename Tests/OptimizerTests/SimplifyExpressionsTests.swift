import Columnar
import LogicalPlan
import Optimizer
import Testing

@Suite("SimplifyExpressions")
struct SimplifyExpressionsTests {
    let a = column(1, "a"), b = column(2, "b"), flag = column(3, "flag", .boolean)
    var table: LogicalPlan { scan("t", [a, b, flag]) }

    @Test func removesTrueOperandsAndFlattensConjunctions() throws {
        let predicate = Expression.and([trueLiteral, .and([greater(ref(a), integer(1)), .or([ref(flag), falseLiteral])]),
                                        .not(.not(ref(flag)))])
        let result = try optimize(filter(table, predicate), with: SimplifyExpressions())
        #expect(result == filter(table, .and([greater(ref(a), integer(1)), ref(flag)])))
    }

    @Test func falseAbsorbsConjunctionAndTrueAbsorbsDisjunction() {
        #expect(SimplifyExpressions.simplify(.and([ref(flag), falseLiteral])) == falseLiteral)
        #expect(SimplifyExpressions.simplify(.or([ref(flag), trueLiteral])) == trueLiteral)
        #expect(SimplifyExpressions.simplify(.or([ref(flag), .or([nullBoolean, ref(flag)])])) == .or([ref(flag), nullBoolean]))
        // NULL AND x is not simplifiable: it is FALSE or NULL depending on x.
        #expect(SimplifyExpressions.simplify(.and([nullBoolean, ref(flag)])) == .and([nullBoolean, ref(flag)]))
    }

    @Test func foldsNegationsOfLiterals() {
        #expect(SimplifyExpressions.simplify(.not(trueLiteral)) == falseLiteral)
        #expect(SimplifyExpressions.simplify(.not(falseLiteral)) == trueLiteral)
        #expect(SimplifyExpressions.simplify(.not(nullBoolean)) == nullBoolean)
        #expect(SimplifyExpressions.simplify(.not(.not(.not(ref(flag))))) == .not(ref(flag)))
    }

    @Test func removesNoOpCastsOnly() {
        #expect(SimplifyExpressions.simplify(.cast(ref(a), .int64)) == ref(a))
        #expect(SimplifyExpressions.simplify(.cast(ref(a), .float64)) == .cast(ref(a), .float64))
        let nested = Expression.function(.add, [.cast(ref(a), .int64), integer(1)], .int64)
        #expect(SimplifyExpressions.simplify(nested) == .function(.add, [ref(a), integer(1)], .int64))
    }

    @Test func dropsFilterThatIsAlwaysTrue() throws {
        let plan = project(filter(table, .or([ref(flag), trueLiteral])), [(column(9, "a2"), ref(a))])
        let result = try optimize(plan, with: SimplifyExpressions())
        #expect(result == project(table, [(column(9, "a2"), ref(a))]))
    }

    @Test func turnsFilterThatIsNeverTrueIntoEmptyValues() throws {
        for predicate in [falseLiteral, nullBoolean, Expression.and([ref(flag), falseLiteral])] {
            let result = try optimize(filter(table, predicate), with: SimplifyExpressions())
            #expect(result == .values(Values(columns: [a, b, flag], rows: [])))
        }
    }

    @Test func simplifiesEveryNodesExpressions() throws {
        let withScanFilter = scan("t", [a, b, flag], filters: [trueLiteral, .not(.not(ref(flag)))])
        let plan = join(.inner, withScanFilter, scan("u", [column(4, "c")]), .and([trueLiteral, trueLiteral]))
        let result = try optimize(plan, with: SimplifyExpressions())
        #expect(result == join(.cross, scan("t", [a, b, flag], filters: [ref(flag)]), scan("u", [column(4, "c")]), nil))
    }
}
