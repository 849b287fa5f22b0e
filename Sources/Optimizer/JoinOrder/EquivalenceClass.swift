import LogicalPlan

/// Key expressions that the region's equi-join conjuncts make equal: from `a.x = b.y AND b.y = c.z`, the class
/// {a.x, b.y, c.z}. Every two relations of a class are connected (`a.x = c.z` holds too), and the number of
/// distinct values the key takes is that of the class, whichever relations a join brings together.
public struct EquivalenceClass: Hashable, Sendable {
    /// One expression of the class, over one relation.
    public struct Member: Hashable, Sendable {
        public var expression: Expression
        public var relation: Int

        public init(expression: Expression, relation: Int) {
            self.expression = expression
            self.relation = relation
        }
    }

    /// The expressions, in the order the conjuncts mention them.
    public var members: [Member]
    /// The relations of the members.
    public var relations: RelationSet
    /// The indices, in the graph's predicates, of the conjuncts that formed the class.
    public var predicates: [Int]
    /// Whether all those conjuncts are `=`; when some are `IS NOT DISTINCT FROM`, implied conjuncts are too
    /// (which `=` implies as well).
    public var isStrict: Bool

    public init(members: [Member], predicates: [Int], isStrict: Bool) {
        self.members = members
        relations = RelationSet(members.map(\.relation))
        self.predicates = predicates
        self.isStrict = isStrict
    }

    /// The members of relation `relation`.
    public func members(of relation: Int) -> [Member] { members.filter { $0.relation == relation } }

    /// An equality between the first member over `left` and the first over `right`; nil when the class has
    /// no member on one of the sides.
    public func equality(joining left: RelationSet, _ right: RelationSet) -> Expression? {
        guard let first = members.first(where: { left.contains($0.relation) }),
              let second = members.first(where: { right.contains($0.relation) }) else { return nil }
        return .function(isStrict ? .equal : .isNotDistinctFrom, [first.expression, second.expression], .boolean)
    }

    /// The classes the equi-join edges of `predicates` form (pinned conjuncts take no part), ordered by their
    /// first conjunct, and the class of each of those conjuncts by index.
    static func classes(of predicates: [JoinPredicate]) -> (classes: [EquivalenceClass], classOfPredicate: [Int: Int]) {
        var members: [Member] = []
        var memberIndex: [Expression: Int] = [:]
        var parent: [Int] = []
        func index(of expression: Expression, relation: Int) -> Int {
            if let existing = memberIndex[expression] { return existing }
            members.append(Member(expression: expression, relation: relation))
            parent.append(parent.count)
            memberIndex[expression] = members.count - 1
            return members.count - 1
        }
        func root(_ member: Int) -> Int {
            var current = member
            while parent[current] != current {
                parent[current] = parent[parent[current]]
                current = parent[current]
            }
            return current
        }

        var edges: [(predicate: Int, member: Int)] = []
        for (position, predicate) in predicates.enumerated() where !predicate.isPinnedToRoot {
            guard let edge = predicate.equiJoin else { continue }
            let left = index(of: edge.leftKey, relation: edge.left), right = index(of: edge.rightKey, relation: edge.right)
            let (leftRoot, rightRoot) = (root(left), root(right))
            if leftRoot != rightRoot { parent[max(leftRoot, rightRoot)] = min(leftRoot, rightRoot) }
            edges.append((position, left))
        }

        var classes: [EquivalenceClass] = []
        var classOfRoot: [Int: Int] = [:]
        var classOfPredicate: [Int: Int] = [:]
        for edge in edges {
            let memberRoot = root(edge.member)
            let isStrict: Bool
            if case .function(.equal, _, _) = predicates[edge.predicate].expression { isStrict = true } else { isStrict = false }
            if let existing = classOfRoot[memberRoot] {
                classes[existing].predicates.append(edge.predicate)
                classes[existing].isStrict = classes[existing].isStrict && isStrict
                classOfPredicate[edge.predicate] = existing
            } else {
                let classMembers = members.indices.filter { root($0) == memberRoot }.map { members[$0] }
                classOfRoot[memberRoot] = classes.count
                classOfPredicate[edge.predicate] = classes.count
                classes.append(EquivalenceClass(members: classMembers, predicates: [edge.predicate], isStrict: isStrict))
            }
        }
        return (classes, classOfPredicate)
    }
}
