import LogicalPlan

/// Turns a join tree over a region's graph back into a plan.
///
/// Every conjunct goes to the lowest node holding all its relations: over a single relation a `Filter` on it,
/// otherwise the condition of the join that brings its relations together (a join without one is a cross
/// join). A join between relations of an equivalence class that none of the class's conjuncts joins gets
/// an implied equality (`a.x = c.z` from `a.x = b.y AND b.y = c.z` when a and c are joined first). Semi and
/// anti joins go above the nodes their `SemiJoinPlacement` names. Conjuncts pinned to the root go on top of
/// the whole tree. Each join has the input with more estimated rows on the left, so the hash join builds on
/// the smaller one. A projection on top restores the region's columns and their order.
struct JoinTreePlanBuilder {
    let graph: QueryGraph
    let estimator: CardinalityEstimator
    let semiJoinPlacement: SemiJoinPlacement

    /// The plan joining `tree` and producing exactly `columns`, in order.
    func plan(for tree: JoinTree, producing columns: [PlanColumn]) -> LogicalPlan {
        var plan = build(tree)
        // Semi joins placed at no node of the tree (none, when the placement comes from the tree) go on top.
        let nodeSets = Set(tree.leafSets + tree.joinSets)
        for (index, semiJoin) in graph.semiJoins.enumerated() where !nodeSets.contains(semiJoinPlacement.nodes[index]) {
            plan = applying(semiJoin, to: plan)
        }
        plan = plan.filtered(by: graph.predicates.filter(\.isPinnedToRoot).map(\.expression))
        if plan.columns.map(\.id) != columns.map(\.id) { plan = plan.projected(to: columns) }
        return plan
    }

    private func build(_ tree: JoinTree) -> LogicalPlan {
        let set = tree.relations
        var plan: LogicalPlan
        switch tree {
        case .relation(let index):
            let own = graph.predicates.filter { !$0.isPinnedToRoot && $0.relations.isSubset(of: set) }
            plan = graph.relations[index].plan.filtered(by: own.map(\.expression))

        case .join(let leftTree, let rightTree):
            var left = build(leftTree), right = build(rightTree)
            let leftSet = leftTree.relations, rightSet = rightTree.relations
            if estimator.rows(of: leftSet) < estimator.rows(of: rightSet) { swap(&left, &right) }
            let condition = Expression.conjunction(graph.predicates(joining: leftSet, rightSet).map(\.expression)
                + graph.impliedPredicates(joining: leftSet, rightSet))
            plan = .join(Join(kind: condition == nil ? .cross : .inner, left: left, right: right, condition: condition))
        }
        for (index, semiJoin) in graph.semiJoins.enumerated() where semiJoinPlacement.nodes[index] == set {
            plan = applying(semiJoin, to: plan)
        }
        return plan
    }

    private func applying(_ semiJoin: SemiJoinFilter, to plan: LogicalPlan) -> LogicalPlan {
        .join(Join(kind: semiJoin.kind, left: plan, right: semiJoin.right, condition: semiJoin.condition))
    }
}
