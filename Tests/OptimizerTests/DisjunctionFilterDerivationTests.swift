import Columnar
import LogicalPlan
@testable import Optimizer
import Testing

@Suite("DisjunctionFilterDerivation")
struct DisjunctionFilterDerivationTests {
    let key = column(1, "k"), x = column(2, "x")
    let otherKey = column(3, "k2"), y = column(4, "y")
    var left: LogicalPlan { scan("a", [key, x]) }
    var right: LogicalPlan { scan("b", [otherKey, y]) }

    /// `(x = 1 AND y = 2) OR (x = 3 AND y = 4)`.
    var spanningOr: Expression {
        .or([.and([equal(ref(x), integer(1)), equal(ref(y), integer(2))]),
             .and([equal(ref(x), integer(3)), equal(ref(y), integer(4))])])
    }

    @Test func eachInputOfAnInnerJoinGetsTheOrOfItsOwnConjuncts() throws {
        let condition = Expression.and([equal(ref(key), ref(otherKey)), spanningOr])
        let result = try optimize(join(.inner, left, right, condition), with: DisjunctionFilterDerivation())
        let expected = join(.inner,
                            filter(left, .or([equal(ref(x), integer(1)), equal(ref(x), integer(3))])),
                            filter(right, .or([equal(ref(y), integer(2)), equal(ref(y), integer(4))])),
                            condition)
        #expect(result == expected)
    }

    @Test func aBranchWithoutConjunctsOverAnInputImpliesNothingForIt() throws {
        let or = Expression.or([equal(ref(x), integer(1)), .and([equal(ref(x), integer(3)), equal(ref(y), integer(4))])])
        let condition = Expression.and([equal(ref(key), ref(otherKey)), or])
        let result = try optimize(join(.inner, left, right, condition), with: DisjunctionFilterDerivation())
        // The left input gets x = 1 OR x = 3; the first branch says nothing about the right input.
        #expect(result == join(.inner, filter(left, .or([equal(ref(x), integer(1)), equal(ref(x), integer(3))])), right, condition))
    }

    @Test func aFilterAboveACrossJoinFiltersItsInputs() throws {
        let plan = filter(join(.cross, left, right), spanningOr)
        let result = try optimize(plan, with: DisjunctionFilterDerivation())
        guard case .filter(let top) = result, case .join(let joined) = top.input,
              case .filter = joined.left, case .filter = joined.right else {
            Issue.record("expected filters on both inputs, got \(result.render(showEstimates: false))")
            return
        }
        #expect(top.predicate == spanningOr)
    }

    @Test func outerJoinsAreLeftAlone() throws {
        let plan = join(.left, left, right, .and([equal(ref(key), ref(otherKey)), spanningOr]))
        #expect(try optimize(plan, with: DisjunctionFilterDerivation()) == plan)
    }

    @Test func theWholeOptimizerReachesAFixpointWithTheFiltersInTheScans() throws {
        let plan = filter(join(.cross, left, right), .and([equal(ref(key), ref(otherKey)), spanningOr]))
        let once = try Optimizer().optimize(plan, context: OptimizerContext())
        #expect(try Optimizer().optimize(once, context: OptimizerContext()) == once)
        let text = once.render(showEstimates: false)
        #expect(text.contains("Scan: a [k, x] filters=[x = 1 OR x = 3]"))
        #expect(text.contains("Scan: b [k2, y] filters=[y = 2 OR y = 4]"))
    }
}
