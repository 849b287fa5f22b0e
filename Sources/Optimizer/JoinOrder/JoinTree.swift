/// A join order over a query graph's relations: a binary tree whose leaves are relation indices. Which conjuncts
/// each join applies follows from the tree (every conjunct at the lowest join that holds all its relations),
/// so the tree alone determines the plan.
public indirect enum JoinTree: Hashable, Sendable, CustomStringConvertible {
    case relation(Int)
    case join(JoinTree, JoinTree)

    /// The relations the tree joins.
    public var relations: RelationSet {
        switch self {
        case .relation(let index): return RelationSet(relation: index)
        case .join(let left, let right): return left.relations.union(right.relations)
        }
    }

    /// The relation sets of the tree's joins, children before parents.
    public var joinSets: [RelationSet] {
        switch self {
        case .relation: return []
        case .join(let left, let right): return left.joinSets + right.joinSets + [relations]
        }
    }

    /// The single-relation sets of the tree's leaves, left to right.
    public var leafSets: [RelationSet] {
        switch self {
        case .relation(let index): return [RelationSet(relation: index)]
        case .join(let left, let right): return left.leafSets + right.leafSets
        }
    }

    /// `(0 ⋈ 2) ⋈ 1` style.
    public var description: String {
        switch self {
        case .relation(let index): return String(index)
        case .join(let left, let right): return "(\(left) ⋈ \(right))"
        }
    }
}

/// The estimate of a subplan an enumerator has built: which relations it joins, how many rows it yields, and
/// what it costs.
public struct SubplanEstimate: Hashable, Sendable {
    public var relations: RelationSet
    public var rows: Double
    public var cost: Double

    public init(relations: RelationSet, rows: Double, cost: Double) {
        self.relations = relations
        self.rows = rows
        self.cost = cost
    }
}

/// How enumerators compare join orders. Costs compose: the cost of a join is computed from the costs of its
/// inputs, which is what dynamic programming enumerators (DPhyp) need.
public protocol JoinCostModel: Sendable {
    /// The cost of a base relation yielding `rows` rows.
    func cost(ofRelationWithRows rows: Double) -> Double
    /// The cost of joining `left` and `right` into `resultRows` rows, including the inputs' own costs.
    func cost(joining left: SubplanEstimate, _ right: SubplanEstimate, resultRows: Double) -> Double
}

extension JoinCostModel {
    /// The cost of a whole tree, with `rows` giving the estimated rows of each subtree's relation set.
    public func cost(of tree: JoinTree, rows: (RelationSet) -> Double) -> Double {
        estimate(of: tree, rows: rows).cost
    }

    private func estimate(of tree: JoinTree, rows: (RelationSet) -> Double) -> SubplanEstimate {
        switch tree {
        case .relation(let index):
            let set = RelationSet(relation: index)
            let count = rows(set)
            return SubplanEstimate(relations: set, rows: count, cost: cost(ofRelationWithRows: count))
        case .join(let left, let right):
            let leftEstimate = estimate(of: left, rows: rows), rightEstimate = estimate(of: right, rows: rows)
            let set = leftEstimate.relations.union(rightEstimate.relations)
            let count = rows(set)
            return SubplanEstimate(relations: set, rows: count,
                                   cost: cost(joining: leftEstimate, rightEstimate, resultRows: count))
        }
    }
}

/// C_out: the sum of the estimated sizes of all intermediate (join) results. Base relations cost nothing,
/// since every order reads each of them once; what differs between orders is how many rows the joins produce
/// (and so build, probe and pass on).
public struct IntermediateResultCost: JoinCostModel {
    public init() {}

    public func cost(ofRelationWithRows rows: Double) -> Double { 0 }

    public func cost(joining left: SubplanEstimate, _ right: SubplanEstimate, resultRows: Double) -> Double {
        left.cost + right.cost + resultRows
    }
}
