import Columnar
import LogicalPlan
import Optimizer
import Testing

/// How predicate pushdown and projection pruning treat `Window` nodes.
@Suite("Window in rules")
struct WindowRuleTests {
    let key = column(1, "k"), x = column(2, "x"), y = column(3, "y")
    let rank = column(10, "rank"), total = column(11, "total")
    var input: LogicalPlan { scan("t", [key, x, y]) }

    func rankCall(partitionBy: [Expression]) -> WindowCall {
        WindowCall(function: .rank, arguments: [], partitionBy: partitionBy, orderBy: [SortKey(expression: ref(x))],
                   frame: .defaultFrame(isOrdered: true), output: rank)
    }

    var totalCall: WindowCall {
        WindowCall(function: .aggregate(.sum), arguments: [ref(x)], partitionBy: [ref(key)], orderBy: [],
                   frame: .defaultFrame(isOrdered: false), output: total)
    }

    @Test func pushesOnlyPartitionKeyConjunctsBelowTheWindow() throws {
        let window = LogicalPlan.window(Window(input: input, functions: [rankCall(partitionBy: [ref(key)]), totalCall]))
        let plan = filter(window, .and([equal(ref(key), integer(1)), equal(ref(rank), integer(1)), greater(ref(x), integer(0))]))
        let result = try optimize(plan, with: PredicatePushdown())
        let expected = filter(
            .window(Window(input: scan("t", [key, x, y], filters: [equal(ref(key), integer(1))]),
                           functions: [rankCall(partitionBy: [ref(key)]), totalCall])),
            .and([equal(ref(rank), integer(1)), greater(ref(x), integer(0))]))
        #expect(result == expected)
    }

    @Test func keepsConjunctsAboveWhenSomeCallDoesNotPartition() throws {
        let window = LogicalPlan.window(Window(input: input, functions: [rankCall(partitionBy: []), totalCall]))
        let plan = filter(window, equal(ref(key), integer(1)))
        #expect(try optimize(plan, with: PredicatePushdown()) == plan)
    }

    @Test func pruningDropsUnreadCallsAndKeepsTheirInputs() throws {
        let window = LogicalPlan.window(Window(input: input, functions: [rankCall(partitionBy: [ref(key)]), totalCall]))
        let kept = column(20, "r")
        let plan = project(window, [(kept, ref(rank))])
        let result = try optimize(plan, with: ProjectionPruning())
        guard case .projection(let projection) = result, case .window(let pruned) = projection.input,
              case .scan(let prunedScan) = pruned.input else {
            Issue.record("expected Projection over Window over Scan, got \(result)")
            return
        }
        #expect(pruned.functions == [rankCall(partitionBy: [ref(key)])])
        #expect(prunedScan.columns == [key, x])
        #expect(projection.items == [ProjectionItem(output: kept, expression: ref(rank))])
    }

    @Test func pruningRemovesAWindowNobodyReads() throws {
        let window = LogicalPlan.window(Window(input: input, functions: [totalCall]))
        let kept = column(20, "out")
        let plan = project(window, [(kept, ref(y))])
        let result = try optimize(plan, with: ProjectionPruning())
        #expect(result.render(showEstimates: false) == """
            Projection: y AS out
              Scan: t [y]
            """)
    }

    @Test func rendersWindowCalls() {
        let frame = WindowFrame(units: .rows, start: .preceding(integer(2)), end: .currentRow)
        var call = totalCall
        call.orderBy = [SortKey(expression: ref(y), isAscending: false)]
        call.frame = frame
        let plan = LogicalPlan.window(Window(input: input, functions: [rankCall(partitionBy: [ref(key)]), call]))
        #expect(plan.render(showEstimates: false) == """
            Window: [rank() OVER (PARTITION BY k ORDER BY x ASC NULLS LAST) AS rank, sum(x) OVER (PARTITION BY k ORDER BY y DESC NULLS FIRST ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS total]
              Scan: t [k, x, y]
            """)
        #expect(plan.columns.map(\.id) == [key.id, x.id, y.id, rank.id, total.id])
    }
}
