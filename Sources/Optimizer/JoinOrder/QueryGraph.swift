import LogicalPlan

/// The join graph of one region of inner and cross joins: the relations joined (vertices), the conjuncts over
/// them (edges and hyperedges), and the semi and anti joins applied to them.
///
/// A conjunct's `relations` are those whose columns it reads: it can be evaluated once all of them are joined.
/// A conjunct over two or more relations connects them; an equality between expressions over one relation
/// each is an equi-join edge, the kind hash joins run. Equi-join edges sharing an expression form
/// equivalence classes (`a.x = b.y AND b.y = c.z` makes `a.x = c.z` hold too), which connect every two
/// relations of a class. The order the relations are joined in does not change the result, which is what
/// lets an enumerator pick any order; `QueryGraphBuilder` extracts graphs from plans and
/// `JoinTreePlanBuilder` turns a chosen `JoinTree` back into a plan.
public struct QueryGraph: Hashable, Sendable {
    /// The relations, indexed by their bit in a `RelationSet`.
    public let relations: [JoinRelation]
    /// The conjuncts of every filter and join condition in the region.
    public let predicates: [JoinPredicate]
    /// Semi and anti joins whose left input lay in the region.
    public let semiJoins: [SemiJoinFilter]
    /// The equivalence classes the equi-join conjuncts form.
    public let equivalenceClasses: [EquivalenceClass]

    public init(relations: [JoinRelation], predicates: [JoinPredicate], semiJoins: [SemiJoinFilter] = []) {
        let (classes, classOfPredicate) = EquivalenceClass.classes(of: predicates)
        var predicates = predicates
        for (predicate, equivalenceClass) in classOfPredicate { predicates[predicate].equivalenceClass = equivalenceClass }
        self.relations = relations
        self.predicates = predicates
        self.semiJoins = semiJoins
        equivalenceClasses = classes
    }

    /// Every relation of the graph.
    public var allRelations: RelationSet { RelationSet.all(relations.count) }

    /// Whether joining `left` and `right` (disjoint sets) applies some conjunct connecting them, given or
    /// implied by an equivalence class, so the join is not a cross product.
    public func isConnected(_ left: RelationSet, _ right: RelationSet) -> Bool {
        if equivalenceClasses.contains(where: { $0.relations.intersects(left) && $0.relations.intersects(right) }) {
            return true
        }
        let union = left.union(right)
        return predicates.contains { predicate in
            !predicate.isPinnedToRoot && predicate.relations.isSubset(of: union)
                && predicate.relations.intersects(left) && predicate.relations.intersects(right)
        }
    }

    /// The relations outside `set` and `excluded` that share a conjunct with `set` whose other relations are
    /// all in `set` or the neighbor (DPhyp's simple neighborhood, with a hyperedge counted once its other ends
    /// are all in `set`), or share an equivalence class with it.
    public func neighbors(of set: RelationSet, excluding excluded: RelationSet = .empty) -> RelationSet {
        var result = RelationSet.empty
        let forbidden = set.union(excluded)
        for predicate in predicates where !predicate.isPinnedToRoot && predicate.relations.intersects(set) {
            let outside = predicate.relations.subtracting(set)
            if outside.count == 1, !outside.intersects(forbidden) { result.formUnion(outside) }
        }
        for equivalenceClass in equivalenceClasses where equivalenceClass.relations.intersects(set) {
            result.formUnion(equivalenceClass.relations.subtracting(forbidden))
        }
        return result
    }

    /// The conjuncts that joining `left` and `right` applies: those over relations of both whose relations are
    /// all in the union, in the graph's order.
    public func predicates(joining left: RelationSet, _ right: RelationSet) -> [JoinPredicate] {
        let union = left.union(right)
        return predicates.filter { predicate in
            !predicate.isPinnedToRoot && predicate.relations.isSubset(of: union)
                && !predicate.relations.isSubset(of: left) && !predicate.relations.isSubset(of: right)
        }
    }

    /// Equalities implied by equivalence classes that joining `left` and `right` needs: one per class with
    /// members on both sides when none of the class's own conjuncts joins them (`a.x = c.z` joining a and c
    /// for `a.x = b.y AND b.y = c.z`).
    public func impliedPredicates(joining left: RelationSet, _ right: RelationSet) -> [Expression] {
        let given = Set(predicates(joining: left, right).compactMap(\.equivalenceClass))
        return equivalenceClasses.indices.compactMap { index in
            guard !given.contains(index) else { return nil }
            return equivalenceClasses[index].equality(joining: left, right)
        }
    }
}

/// One input of a join region: a base table scan, or any subplan the region treats as opaque (an aggregate,
/// an outer join, ...).
public struct JoinRelation: Hashable, Sendable {
    /// The plan producing the relation (already reordered inside).
    public var plan: LogicalPlan
    /// The ids of the columns the relation produces.
    public var columns: Set<ColumnID>

    public init(plan: LogicalPlan) {
        self.plan = plan
        columns = Set(plan.columns.map(\.id))
    }
}

/// One conjunct of the region's filters and join conditions.
public struct JoinPredicate: Hashable, Sendable {
    /// The conjunct itself.
    public var expression: Expression
    /// The relations whose columns the conjunct reads; it can be evaluated once they are all joined.
    public var relations: RelationSet
    /// The relations joined where the conjunct was found in the original plan (a superset of `relations`),
    /// for costing the original order.
    public var originalPlacement: RelationSet
    /// The equi-join edge, when the conjunct is an equality between expressions over one (different)
    /// relation each.
    public var equiJoin: EquiJoinEdge?
    /// The index of the equivalence class the equi-join edge belongs to, in `QueryGraph.equivalenceClasses`
    /// (set when the graph is built).
    public internal(set) var equivalenceClass: Int?
    /// Conjuncts that must stay above the whole region: those holding a subquery, reading columns no
    /// relation of the region produces, or reading no column at all.
    public var isPinnedToRoot: Bool

    public init(expression: Expression, relations: RelationSet, originalPlacement: RelationSet,
                equiJoin: EquiJoinEdge? = nil, isPinnedToRoot: Bool = false) {
        self.expression = expression
        self.relations = relations
        self.originalPlacement = originalPlacement
        self.equiJoin = equiJoin
        self.isPinnedToRoot = isPinnedToRoot
    }
}

/// `leftKey = rightKey` where `leftKey` reads only relation `left` and `rightKey` only relation `right`.
public struct EquiJoinEdge: Hashable, Sendable {
    public var left: Int
    public var right: Int
    public var leftKey: Expression
    public var rightKey: Expression

    public init(left: Int, right: Int, leftKey: Expression, rightKey: Expression) {
        self.left = left
        self.right = right
        self.leftKey = leftKey
        self.rightKey = rightKey
    }

    /// Both relations, as a set.
    public var relations: RelationSet { RelationSet([left, right]) }
}

/// A semi or anti join over the region's relations. It only keeps or drops rows of its left input, by
/// values of the relations its condition reads, so — like a conjunct — it can be applied as soon as those
/// relations are joined: `(A ⋈ B) ⋉ S = (A ⋉ S) ⋈ B` when the condition reads only A (and S).
public struct SemiJoinFilter: Hashable, Sendable {
    /// `.semi` or `.anti`.
    public var kind: JoinKind
    /// The right input (already reordered inside).
    public var right: LogicalPlan
    public var condition: Expression?
    /// The region's relations whose columns the condition reads.
    public var relations: RelationSet
    /// The relations joined below the semi join in the original plan.
    public var originalPlacement: RelationSet
    /// Semi joins that must stay above the whole region (no left column in the condition, or columns of no
    /// relation of the region).
    public var isPinnedToRoot: Bool

    public init(kind: JoinKind, right: LogicalPlan, condition: Expression?, relations: RelationSet,
                originalPlacement: RelationSet, isPinnedToRoot: Bool = false) {
        self.kind = kind
        self.right = right
        self.condition = condition
        self.relations = relations
        self.originalPlacement = originalPlacement
        self.isPinnedToRoot = isPinnedToRoot
    }
}
