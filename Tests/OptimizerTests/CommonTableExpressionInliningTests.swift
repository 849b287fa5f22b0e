import Columnar
import LogicalPlan
@testable import Optimizer
import Testing

/// `cte_inlining` expands a CTE where computing it once does not pay, and the other rules keep the definition of a
/// materialized one intact.
@Suite("CommonTableExpressionInlining")
struct CommonTableExpressionInliningTests {
    let key = column(1, "k"), value = column(2, "v")
    let total = column(3, "total")
    /// Columns of the references: each reference has its own.
    let firstKey = column(10, "k"), firstTotal = column(11, "total")
    let secondKey = column(12, "k"), secondTotal = column(13, "total")

    /// `SELECT k, sum(v) AS total FROM r GROUP BY k`.
    var totals: LogicalPlan {
        .aggregate(Aggregate(input: scan("r", [key, value]), groupKeys: [ProjectionItem(output: key, expression: ref(key))],
                             aggregates: [AggregateCall(function: .sum, arguments: [ref(value)], output: total)]))
    }

    /// `SELECT k FROM r WHERE v > 1`.
    var filtered: LogicalPlan { project(scan("r", [key, value], filters: [greater(ref(value), integer(1))]), [(key, ref(key))]) }

    func reference(_ columns: [PlanColumn]) -> LogicalPlan {
        .workingTableScan(WorkingTableScan(name: "t", workingTable: 1, columns: columns))
    }

    func cte(_ definition: LogicalPlan, _ body: LogicalPlan,
             _ materialization: MaterializedCTE.Materialization = .automatic) -> LogicalPlan {
        .materializedCTE(MaterializedCTE(name: "t", workingTable: 1, definition: definition, body: body,
                                         materialization: materialization))
    }

    /// The two references of `t x JOIN t y ON x.k = y.k`.
    var selfJoin: LogicalPlan {
        join(.inner, reference([firstKey, firstTotal]), reference([secondKey, secondTotal]), equal(ref(firstKey), ref(secondKey)))
    }

    @Test func aSingleReferenceBecomesTheDefinitionRenamed() throws {
        let plan = cte(totals, filter(reference([firstKey, firstTotal]), greater(ref(firstTotal), integer(3))))
        let result = try optimize(plan, with: CommonTableExpressionInlining())
        #expect(result == filter(project(totals, [(firstKey, ref(key)), (firstTotal, ref(total))]),
                                 greater(ref(firstTotal), integer(3))))
    }

    @Test func anAggregateReadTwiceStaysMaterialized() throws {
        let plan = cte(totals, selfJoin)
        #expect(try optimize(plan, with: CommonTableExpressionInlining()) == plan)
    }

    @Test func aCheapDefinitionReadTwiceIsCopiedWithFreshColumns() throws {
        let plan = cte(filtered, join(.inner, reference([firstKey]), reference([secondKey]), equal(ref(firstKey), ref(secondKey))))
        let result = try optimize(plan, with: CommonTableExpressionInlining())
        guard case .join(let joined) = result, case .projection(let left) = joined.left,
              case .projection(let right) = joined.right else {
            Issue.record("expected a join of two projections, got \(result.render(showEstimates: false))")
            return
        }
        #expect(left.input == filtered)
        #expect(left.items.map(\.output) == [firstKey])
        #expect(right.items.map(\.output) == [secondKey])
        let copiedIDs = Set(right.input.columns.map(\.id))
        #expect(copiedIDs.isDisjoint(with: [key.id, value.id, firstKey.id, secondKey.id]))
        #expect(right.input.render(showEstimates: false) == filtered.render(showEstimates: false))
    }

    @Test func anUnreadDefinitionIsDropped() throws {
        let body = scan("s", [column(20, "x")])
        #expect(try optimize(cte(totals, body), with: CommonTableExpressionInlining()) == body)
    }

    @Test func materializedKeepsEvenASingleReference() throws {
        let plan = cte(totals, reference([firstKey, firstTotal]), .always)
        #expect(try optimize(plan, with: CommonTableExpressionInlining()) == plan)
    }

    @Test func notMaterializedExpandsAnAggregateReadTwice() throws {
        let plan = cte(totals, selfJoin, .never)
        let result = try optimize(plan, with: CommonTableExpressionInlining())
        #expect(CommonTableExpressionInlining.referenceCount(1, in: result) == 0)
        guard case .join(let joined) = result else {
            Issue.record("expected a join, got \(result.render(showEstimates: false))")
            return
        }
        #expect(joined.left.columns == [firstKey, firstTotal])
        #expect(joined.right.columns == [secondKey, secondTotal])
    }

    @Test func aCorrelatedDefinitionIsExpandedEvenWhenReadTwice() throws {
        let outer = column(40, "o")
        let correlated = filter(scan("r", [key, value]), equal(ref(key), ref(outer)))
        let plan = cte(correlated, selfJoin, .always)
        let result = try optimize(plan, with: CommonTableExpressionInlining())
        #expect(CommonTableExpressionInlining.referenceCount(1, in: result) == 0)
        guard case .join(let joined) = result else {
            Issue.record("expected the references expanded, got \(result.render(showEstimates: false))")
            return
        }
        // Both copies still read the outer column.
        #expect(joined.left.render(showEstimates: false).contains("k = o"))
        #expect(joined.right.render(showEstimates: false).contains("= o"))
    }

    @Test func referencesInsideSubqueriesCount() throws {
        let maximum = column(30, "max")
        let subqueryPlan = LogicalPlan.aggregate(Aggregate(
            input: reference([secondKey, secondTotal]), groupKeys: [],
            aggregates: [AggregateCall(function: .maximum, arguments: [ref(secondTotal)], output: maximum)]))
        let scalar = Expression.subquery(SubqueryExpression(kind: .scalar, isNegated: false, operand: nil, plan: subqueryPlan,
                                                            correlatedColumns: [], dataType: .int64))
        let plan = cte(totals, filter(reference([firstKey, firstTotal]), equal(ref(firstTotal), scalar)))
        #expect(CommonTableExpressionInlining.referenceCount(1, in: plan) == 2)
        #expect(try optimize(plan, with: CommonTableExpressionInlining()) == plan)
    }

    @Test func filtersOnAReferenceStayOutOfTheSharedDefinition() throws {
        let plan = cte(totals, filter(selfJoin, greater(ref(firstTotal), integer(3))))
        let result = try optimize(plan, with: PredicatePushdown())
        guard case .materializedCTE(let node) = result else {
            Issue.record("expected the CTE to stay, got \(result.render(showEstimates: false))")
            return
        }
        #expect(node.definition == totals)
        #expect(node.body.render(showEstimates: false).contains("Filter: total > 3"))
    }

    @Test func pruningKeepsEveryColumnOfTheDefinition() throws {
        let plan = cte(totals, project(selfJoin, [(firstKey, ref(firstKey))]))
        guard case .materializedCTE(let node) = try optimize(plan, with: ProjectionPruning()) else {
            Issue.record("expected the CTE to stay")
            return
        }
        #expect(node.definition.columns == [key, total])
    }

    @Test func theReferencesCarryTheDefinitionsEstimate() throws {
        let plan = cte(totals, selfJoin)
        let catalog = RowCountCatalog(["r": 1000])
        let result = try optimize(plan, with: JoinSideSelection(), catalog: catalog)
        guard case .materializedCTE(let node) = result, case .join(let joined) = node.body else {
            Issue.record("expected the CTE over a join, got \(result.render(showEstimates: false))")
            return
        }
        #expect(node.definition.estimatedRowCount == 100)
        #expect(joined.left.estimatedRowCount == 100)
        #expect(joined.right.estimatedRowCount == 100)
    }
}
