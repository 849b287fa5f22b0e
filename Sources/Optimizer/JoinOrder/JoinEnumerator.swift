/// Chooses a join order for a query graph.
///
/// An enumerator sees the graph (relations as bit positions, conjuncts as edges and hyperedges over
/// `RelationSet`s), estimates rows with the `CardinalityEstimator` and compares orders with a `JoinCostModel`.
/// `GreedyJoinEnumerator` is the one in use; an exhaustive one (DPhyp, over connected subgraph and complement
/// pairs) can replace it behind the same protocol.
public protocol JoinEnumerator: Sendable {
    /// A tree joining every relation of `graph` (at least one), never with a cross product where a connected
    /// order exists.
    func bestTree(for graph: QueryGraph, estimator: CardinalityEstimator, costModel: any JoinCostModel) -> JoinTree
}

/// Greedy Operator Ordering (Fegaras 1998), restricted to connected joins: start with one tree per relation,
/// and repeatedly join the two trees whose join yields the fewest estimated rows, considering only pairs
/// that some conjunct connects; only when no pair is connected (the graph is disconnected) does it join the
/// two smallest trees with a cross product. It builds bushy trees, in O(n³) row estimates for n relations.
///
/// Ties on the result's rows go to the pair with the smaller (build) input, then the lower cost, then the
/// relations' order, so the choice is deterministic.
public struct GreedyJoinEnumerator: JoinEnumerator {
    public init() {}

    public func bestTree(for graph: QueryGraph, estimator: CardinalityEstimator, costModel: any JoinCostModel) -> JoinTree {
        var trees: [(tree: JoinTree, estimate: SubplanEstimate)] = graph.relations.indices.map { index in
            let set = RelationSet(relation: index)
            let rows = estimator.rows(of: set)
            return (.relation(index), SubplanEstimate(relations: set, rows: rows, cost: costModel.cost(ofRelationWithRows: rows)))
        }
        guard !trees.isEmpty else { return .relation(0) }
        // Pairs not involving the last join come back every step: estimate each set once.
        var estimatedRows: [RelationSet: Double] = [:]
        while trees.count > 1 {
            var best: (first: Int, second: Int, key: Candidate, estimate: SubplanEstimate)?
            for first in trees.indices {
                for second in trees.indices where second > first {
                    let left = trees[first].estimate, right = trees[second].estimate
                    let set = left.relations.union(right.relations)
                    let rows = estimatedRows[set] ?? estimator.rows(of: set)
                    estimatedRows[set] = rows
                    let estimate = SubplanEstimate(relations: set, rows: rows,
                                                   cost: costModel.cost(joining: left, right, resultRows: rows))
                    let key = Candidate(isCrossProduct: !graph.isConnected(left.relations, right.relations),
                                        rows: rows, smallerInput: min(left.rows, right.rows), cost: estimate.cost)
                    if let current = best, !(key < current.key) { continue }
                    best = (first, second, key, estimate)
                }
            }
            guard let chosen = best else { break }
            let joined = JoinTree.join(trees[chosen.first].tree, trees[chosen.second].tree)
            trees[chosen.first] = (joined, chosen.estimate)
            trees.remove(at: chosen.second)
        }
        return trees[0].tree
    }

    /// What orders candidate joins: connected before cross products, then fewer rows, smaller build input,
    /// lower cost.
    private struct Candidate: Comparable {
        var isCrossProduct: Bool
        var rows: Double
        var smallerInput: Double
        var cost: Double

        static func < (left: Candidate, right: Candidate) -> Bool {
            if left.isCrossProduct != right.isCrossProduct { return !left.isCrossProduct }
            if left.rows != right.rows { return left.rows < right.rows }
            if left.smallerInput != right.smallerInput { return left.smallerInput < right.smallerInput }
            return left.cost < right.cost
        }
    }
}
