import Columnar
import LogicalPlan
@testable import Optimizer
import Testing

/// Optimizer rules treat a recursive CTE as a barrier: nothing moves into or out of its terms.
@Suite("RecursiveCTERules")
struct RecursiveCTERuleTests {
    let n = column(1, "n"), working = column(2, "n"), next = column(3, "next"), output = column(4, "n")
    let anchorValue = column(5, "one")

    var cte: LogicalPlan {
        let anchor = project(.values(Values(columns: [], rows: [[]])), [(anchorValue, integer(1))])
        let scan = LogicalPlan.workingTableScan(WorkingTableScan(name: "r", workingTable: 1, columns: [working]))
        let recursive = project(filter(scan, less(ref(working), integer(10))),
                                [(next, .function(.add, [ref(working), integer(1)], .int64))])
        return .recursiveCTE(RecursiveCTE(name: "r", workingTable: 1, anchor: anchor, recursive: recursive,
                                          isUnionAll: true, columns: [output]))
    }

    @Test func filtersStayAboveTheRecursiveCTE() throws {
        let plan = filter(cte, greater(ref(output), integer(5)))
        #expect(try optimize(plan, with: PredicatePushdown()) == plan)
    }

    @Test func pruningKeepsEveryColumnOfBothTerms() throws {
        #expect(try optimize(cte, with: ProjectionPruning()) == cte)
    }

    @Test func theWholeOptimizerKeepsTheRecursion() throws {
        let plan = filter(cte, greater(ref(output), integer(5)))
        let optimized = try Optimizer().optimize(plan, context: OptimizerContext())
        #expect(optimized.render(showEstimates: false) == """
            Filter: n > 5
              RecursiveCTE r UNION ALL [n]
                Projection: 1 AS one
                  Values: [] ()
                Projection: n + 1 AS next
                  Filter: n < 10
                    WorkingTableScan: r [n]
            """)
    }
}
