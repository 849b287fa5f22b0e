import Catalog
import LogicalPlan

/// Reorders trees of inner and cross joins by estimated cost, so that `FROM a, b, c WHERE ...` is not joined
/// in FROM order with cross products.
///
/// Before (`SELECT ... FROM part, supplier, lineitem WHERE p_partkey = l_partkey AND s_suppkey = l_suppkey
/// AND p_name LIKE '%green%'`, after predicate pushdown; 200000 parts, 10000 suppliers, 6000000 lineitems):
///
///     Join(inner): s_suppkey = l_suppkey AND p_partkey = l_partkey
///       Join(cross)
///         Scan: part [p_partkey, p_name] filters=[p_name LIKE '%green%']
///         Scan: supplier [s_suppkey]
///       Scan: lineitem [l_partkey, l_suppkey]
///
/// After (part ⋈ lineitem is estimated at 1500000 rows, supplier ⋈ lineitem at 6000000):
///
///     Projection: p_partkey, p_name, s_suppkey, l_partkey, l_suppkey
///       Join(inner): s_suppkey = l_suppkey
///         Join(inner): p_partkey = l_partkey
///           Scan: lineitem [l_partkey, l_suppkey]
///           Scan: part [p_partkey, p_name] filters=[p_name LIKE '%green%']
///         Scan: supplier [s_suppkey]
///
/// The rule takes each maximal region of inner and cross joins (with the filters, semi and anti joins, and
/// column-passing projections between and directly above them; see `QueryGraphBuilder`) as a `QueryGraph`,
/// estimates rows with the `CardinalityEstimator`, and lets the `JoinEnumerator` (greedy operator ordering
/// by default) pick a join tree, costed by the `JoinCostModel` (the sum of intermediate result sizes by
/// default). Outer, mark, and other joins are opaque relations of the region, reordered inside on their own;
/// semi and anti joins may move down to the relations their condition reads (so `orders ⋉ big_orders` can
/// happen before lineitem is joined), or up, wherever the tree costs least (`SemiJoinPlacement`). The new tree replaces the region only when it costs less than the original
/// order (costed with conjuncts where they were found), which also makes the rule idempotent. The output
/// columns and their order never change: a projection on top restores them.
public struct JoinReordering: OptimizerRule {
    public var name: String { "join_reordering" }

    /// Chooses the join trees.
    public var enumerator: any JoinEnumerator
    /// Compares join trees, including against the original one.
    public var costModel: any JoinCostModel

    public init(enumerator: any JoinEnumerator = GreedyJoinEnumerator(),
                costModel: any JoinCostModel = IntermediateResultCost()) {
        self.enumerator = enumerator
        self.costModel = costModel
    }

    public func rewrite(_ plan: LogicalPlan, context: OptimizerContext) throws -> LogicalPlan {
        reorder(plan, catalog: context.catalog)
    }

    private func reorder(_ plan: LogicalPlan, catalog: (any Catalog)?) -> LogicalPlan {
        if QueryGraphBuilder.startsRegion(plan),
           let region = QueryGraphBuilder.extract(plan, rewriteInput: { reorder($0, catalog: catalog) }) {
            return reordered(region, catalog: catalog)
        }
        let children = plan.children
        guard !children.isEmpty else { return plan }
        return plan.withChildren(children.map { reorder($0, catalog: catalog) })
    }

    /// The region's plan joined in the enumerator's order, or as it came when that costs no less.
    private func reordered(_ region: JoinRegion, catalog: (any Catalog)?) -> LogicalPlan {
        let graph = region.graph
        guard graph.relations.count >= 2 || !graph.semiJoins.isEmpty else { return region.originalPlan }
        let estimator = CardinalityEstimator(graph: graph, catalog: catalog)
        let tree = enumerator.bestTree(for: graph, estimator: estimator, costModel: costModel)
        guard tree.relations == graph.allRelations else { return region.originalPlan }
        let semiJoins = SemiJoinPlacement.best(in: tree, estimator: estimator, costModel: costModel)
        let cost = semiJoins.cost(of: tree, estimator: estimator, predicatePlacement: .earliest, costModel: costModel)
        let originalCost = SemiJoinPlacement.original(in: graph)
            .cost(of: region.originalTree, estimator: estimator, predicatePlacement: .original, costModel: costModel)
        guard cost < originalCost * (1 - 1e-9) else { return region.originalPlan }
        return JoinTreePlanBuilder(graph: graph, estimator: estimator, semiJoinPlacement: semiJoins)
            .plan(for: tree, producing: region.columns)
    }
}
