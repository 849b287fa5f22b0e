import Columnar
import LogicalPlan
import Optimizer
import Testing

@Suite("FactorDisjunctions")
struct FactorDisjunctionsTests {
    let a = column(1, "a"), b = column(2, "b"), c = column(3, "c"), d = column(4, "d")

    @Test func pullsTheSharedConjunctOutOfEveryBranch() throws {
        let key = equal(ref(a), ref(c))
        let predicate = Expression.or([
            .and([key, greater(ref(b), integer(1))]),
            .and([greater(ref(d), integer(2)), key]),
        ])
        let plan = filter(join(.cross, scan("l", [a, b]), scan("r", [c, d])), predicate)
        let result = try optimize(plan, with: FactorDisjunctions())
        let expected = Expression.and([key, .or([greater(ref(b), integer(1)), greater(ref(d), integer(2))])])
        #expect(result == filter(join(.cross, scan("l", [a, b]), scan("r", [c, d])), expected))
    }

    @Test func aBranchOfOnlyCommonConjunctsAbsorbsTheOr() {
        let key = equal(ref(a), ref(c))
        let predicate = Expression.or([key, .and([key, greater(ref(b), integer(1))])])
        #expect(FactorDisjunctions.factor(predicate) == key)
    }

    @Test func leavesDisjunctionsWithoutSharedConjunctsAlone() {
        let predicate = Expression.or([
            .and([equal(ref(a), ref(c)), greater(ref(b), integer(1))]),
            .and([equal(ref(a), ref(d)), greater(ref(b), integer(2))]),
        ])
        #expect(FactorDisjunctions.factor(predicate) == predicate)
    }

    @Test func factorsJoinConditionsToo() throws {
        let key = equal(ref(a), ref(c))
        let condition = Expression.or([.and([key, greater(ref(b), integer(1))]), .and([key, greater(ref(d), integer(1))])])
        let result = try optimize(join(.inner, scan("l", [a, b]), scan("r", [c, d]), condition), with: FactorDisjunctions())
        guard case .join(let node) = result else { Issue.record("expected a join"); return }
        #expect(node.condition?.conjuncts.first == key)
    }
}
