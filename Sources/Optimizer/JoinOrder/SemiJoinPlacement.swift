/// Where the semi and anti joins of a query graph go in a join tree, and what the tree costs with them there.
///
/// A semi join can go above any node of the tree that holds the relations its condition reads. Low in the
/// tree it shrinks every join above it; higher up, after selective joins, it probes fewer rows. Its output
/// counts as an intermediate result like a join's (its right input costs the same wherever it goes, so that
/// is left out), and each semi join goes where the tree costs least (the lowest such node on ties).
public struct SemiJoinPlacement: Hashable, Sendable {
    /// For each semi join of the graph, by index: the relations of the tree node it applies above.
    public var nodes: [RelationSet]

    public init(nodes: [RelationSet]) { self.nodes = nodes }

    /// The semi joins where the original plan had them (above the subtree joining their `originalPlacement`).
    public static func original(in graph: QueryGraph) -> SemiJoinPlacement {
        SemiJoinPlacement(nodes: graph.semiJoins.map(\.originalPlacement))
    }

    /// The cheapest placement in `tree`, choosing for one semi join after another with the others fixed,
    /// starting from the lowest possible nodes.
    public static func best(in tree: JoinTree, estimator: CardinalityEstimator, costModel: any JoinCostModel) -> SemiJoinPlacement {
        let graph = estimator.graph
        let nodeSets = (tree.leafSets + tree.joinSets).sorted { ($0.count, $0) < ($1.count, $1) }
        let candidates = graph.semiJoins.map { semiJoin -> [RelationSet] in
            let required = semiJoin.isPinnedToRoot ? graph.allRelations : semiJoin.relations
            return nodeSets.filter { required.isSubset(of: $0) }
        }
        var placement = SemiJoinPlacement(nodes: candidates.map { $0.first ?? tree.relations })
        for (index, options) in candidates.enumerated() where options.count > 1 {
            var bestCost = Double.infinity
            var bestNode = placement.nodes[index]
            for option in options {
                var trial = placement
                trial.nodes[index] = option
                let cost = trial.cost(of: tree, estimator: estimator, predicatePlacement: .earliest, costModel: costModel)
                if cost < bestCost {
                    bestCost = cost
                    bestNode = option
                }
            }
            placement.nodes[index] = bestNode
        }
        return placement
    }

    /// The cost of `tree` with the semi joins here and the conjuncts at `predicatePlacement`.
    public func cost(of tree: JoinTree, estimator: CardinalityEstimator, predicatePlacement: CardinalityEstimator.Placement,
                     costModel: any JoinCostModel) -> Double {
        estimate(of: tree, estimator: estimator, predicatePlacement: predicatePlacement, costModel: costModel).cost
    }

    private func estimate(of tree: JoinTree, estimator: CardinalityEstimator, predicatePlacement: CardinalityEstimator.Placement,
                          costModel: any JoinCostModel) -> SubplanEstimate {
        let set = tree.relations
        let here = nodes.indices.filter { nodes[$0] == set }
        func rows(applyingHere count: Int) -> Double {
            let applied = Set(here.prefix(count))
            return estimator.rows(of: set, placement: predicatePlacement) { index in
                nodes[index] == set ? applied.contains(index) : nodes[index].isSubset(of: set)
            }
        }
        var result: SubplanEstimate
        switch tree {
        case .relation:
            let count = rows(applyingHere: 0)
            result = SubplanEstimate(relations: set, rows: count, cost: costModel.cost(ofRelationWithRows: count))
        case .join(let left, let right):
            let leftEstimate = estimate(of: left, estimator: estimator, predicatePlacement: predicatePlacement, costModel: costModel)
            let rightEstimate = estimate(of: right, estimator: estimator, predicatePlacement: predicatePlacement, costModel: costModel)
            let count = rows(applyingHere: 0)
            result = SubplanEstimate(relations: set, rows: count, cost: costModel.cost(joining: leftEstimate, rightEstimate, resultRows: count))
        }
        for applied in here.indices {
            let count = rows(applyingHere: applied + 1)
            let semiJoinInput = SubplanEstimate(relations: .empty, rows: 0, cost: 0)
            result = SubplanEstimate(relations: set, rows: count,
                                     cost: costModel.cost(joining: result, semiJoinInput, resultRows: count))
        }
        return result
    }
}
