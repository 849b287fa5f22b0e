import Columnar
import LogicalPlan
import Optimizer
import Testing

@Suite("JoinSideSelection")
struct JoinSideSelectionTests {
    let nationKey = column(1, "n_nationkey"), nationName = column(2, "n_name", .utf8)
    let supplierNation = column(3, "s_nationkey"), supplierName = column(4, "s_name", .utf8)
    let catalog = RowCountCatalog(["nation": 25, "supplier": 10_000])
    var nation: LogicalPlan { scan("nation", [nationKey, nationName]) }
    var supplier: LogicalPlan { scan("supplier", [supplierNation, supplierName]) }

    @Test func putsTheSmallerInputOnTheRightAndKeepsColumnOrder() throws {
        let plan = join(.inner, nation, supplier, equal(ref(nationKey), ref(supplierNation)))
        let result = try optimize(plan, with: JoinSideSelection(), catalog: catalog)
        #expect(result.columns == plan.columns)
        #expect(result.render() == """
            Projection: n_nationkey, n_name, s_nationkey, s_name (~10000 rows)
              Join(inner): n_nationkey = s_nationkey (~10000 rows)
                Scan: supplier [s_nationkey, s_name] (~10000 rows)
                Scan: nation [n_nationkey, n_name] (~25 rows)
            """)
    }

    @Test func leavesWellOrderedAndNonInnerJoinsAlone() throws {
        let ordered = join(.inner, supplier, nation, equal(ref(nationKey), ref(supplierNation)))
        let result = try optimize(ordered, with: JoinSideSelection(), catalog: catalog)
        guard case .join(let kept) = result else {
            Issue.record("expected the join to stay on top: \(result.render())")
            return
        }
        #expect(kept.left.estimatedRowCount == 10_000)
        #expect(kept.right.estimatedRowCount == 25)

        for kind in [JoinKind.left, .semi, .anti] {
            let plan = join(kind, nation, supplier, equal(ref(nationKey), ref(supplierNation)))
            guard case .join(let node) = try optimize(plan, with: JoinSideSelection(), catalog: catalog) else {
                Issue.record("a \(kind) join must not be swapped")
                continue
            }
            #expect(node.left.columns == [nationKey, nationName])
        }
    }

    @Test func keepsSidesWhenEstimatesAreUnknown() throws {
        let plan = join(.inner, nation, supplier, equal(ref(nationKey), ref(supplierNation)))
        let result = try optimize(plan, with: JoinSideSelection())
        guard case .join(let node) = result else {
            Issue.record("expected no swap: \(result.render())")
            return
        }
        #expect(node.left.columns == [nationKey, nationName])
        #expect(node.estimatedRowCount == nil)
    }

    @Test func estimatesFiltersAggregatesAndLimits() throws {
        let filtered = filter(supplier, .and([equal(ref(supplierName), .literal(.string("x"), .utf8)), greater(ref(supplierNation), integer(3))]))
        let estimated = try optimize(filtered, with: JoinSideSelection(), catalog: catalog)
        #expect(estimated.estimatedRowCount == 10_000 * 0.1 * 0.5)

        let scanFiltered = scan("supplier", [supplierNation, supplierName], filters: [greater(ref(supplierNation), integer(3))])
        #expect(try optimize(scanFiltered, with: JoinSideSelection(), catalog: catalog).estimatedRowCount == 5_000)

        let grouped = LogicalPlan.aggregate(Aggregate(input: supplier, groupKeys: [ProjectionItem(output: column(9, "k"), expression: ref(supplierNation))],
                                                      aggregates: []))
        #expect(try optimize(grouped, with: JoinSideSelection(), catalog: catalog).estimatedRowCount == 1_000)

        let limited = LogicalPlan.limit(Limit(input: supplier, limit: 10, offset: 5))
        #expect(try optimize(limited, with: JoinSideSelection(), catalog: catalog).estimatedRowCount == 10)
    }

    @Test func filtersCanMakeTheLargerTableTheBuildSide() throws {
        // supplier's 10000 rows under three equalities with constants: 10000 * 0.1^3 = 10 rows, fewer than
        // nation's 25, so the filtered supplier side becomes the right (build) side.
        let selective = filter(supplier, .and([equal(ref(supplierName), .literal(.string("x"), .utf8)),
                                               equal(ref(supplierNation), integer(1)), equal(ref(supplierNation), integer(2))]))
        let plan = join(.cross, selective, nation)
        let result = try optimize(plan, with: JoinSideSelection(), catalog: catalog)
        guard case .projection(let projection) = result, case .join(let swapped) = projection.input else {
            Issue.record("expected a swap: \(result.render())")
            return
        }
        #expect(swapped.left.columns == [nationKey, nationName])
        #expect(abs((swapped.estimatedRowCount ?? 0) - 250) < 1e-6)
        #expect(result.columns == plan.columns)
    }
}
