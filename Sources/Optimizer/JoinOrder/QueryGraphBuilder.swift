import LogicalPlan

/// A maximal tree of inner and cross joins taken out of a plan, as a query graph.
struct JoinRegion {
    /// The relations, conjuncts and semi joins of the region.
    var graph: QueryGraph
    /// The order the plan joined the relations in.
    var originalTree: JoinTree
    /// The region as it came, with its relations (and semi joins' right inputs) rewritten.
    var originalPlan: LogicalPlan
    /// The region's output columns, in order.
    var columns: [PlanColumn]
}

/// Extracts join regions from plans.
///
/// A region is rooted at an inner or cross join, or at a `Filter` or a semi or anti join over a region. It
/// takes in every inner and cross join below, and the filters, semi and anti joins, and projections that only
/// pass columns through, between and directly above them; anything else — a scan, an aggregate, an outer or
/// mark join, a computing projection — is one relation of the region (reordered inside independently).
/// Join conditions and filter predicates become the graph's conjuncts; each semi or anti join becomes a
/// `SemiJoinFilter` over the relations its condition reads.
struct QueryGraphBuilder {
    private var relations: [JoinRelation] = []
    private var conjuncts: [(expression: Expression, placement: RelationSet)] = []
    private var semiJoins: [(join: Join, placement: RelationSet)] = []
    private var tooManyRelations = false
    private let rewriteInput: (LogicalPlan) -> LogicalPlan

    private init(rewriteInput: @escaping (LogicalPlan) -> LogicalPlan) {
        self.rewriteInput = rewriteInput
    }

    /// Whether `plan` is the root of a region.
    static func startsRegion(_ plan: LogicalPlan) -> Bool {
        switch plan {
        case .join(let node):
            switch node.kind {
            case .inner, .cross: return true
            case .semi, .anti: return startsRegion(node.left)
            default: return false
            }
        case .filter(let node):
            return startsRegion(node.input)
        default:
            return false
        }
    }

    /// The region rooted at `plan` (which `startsRegion`), with `rewriteInput` applied to every relation and
    /// to semi joins' right inputs; nil when the region cannot be reordered (more than `RelationSet.capacity`
    /// relations, or a column produced by two relations).
    static func extract(_ plan: LogicalPlan, rewriteInput: @escaping (LogicalPlan) -> LogicalPlan) -> JoinRegion? {
        var builder = QueryGraphBuilder(rewriteInput: rewriteInput)
        let (tree, rewritten) = builder.visit(plan)
        guard !builder.tooManyRelations, let graph = builder.graph() else { return nil }
        return JoinRegion(graph: graph, originalTree: tree, originalPlan: rewritten, columns: plan.columns)
    }

    /// The subtree's join tree and the subtree with its relations rewritten.
    private mutating func visit(_ plan: LogicalPlan) -> (JoinTree, LogicalPlan) {
        switch plan {
        case .join(var node) where node.kind == .inner || node.kind == .cross:
            let (left, newLeft) = visit(node.left)
            let (right, newRight) = visit(node.right)
            let tree = JoinTree.join(left, right)
            for conjunct in node.condition?.conjuncts ?? [] { conjuncts.append((conjunct, tree.relations)) }
            node.left = newLeft
            node.right = newRight
            return (tree, .join(node))

        case .join(var node) where node.kind == .semi || node.kind == .anti:
            let (tree, newLeft) = visit(node.left)
            node.left = newLeft
            node.right = rewriteInput(node.right)
            semiJoins.append((node, tree.relations))
            return (tree, .join(node))

        case .filter(var node):
            let (tree, newInput) = visit(node.input)
            for conjunct in node.predicate.conjuncts { conjuncts.append((conjunct, tree.relations)) }
            node.input = newInput
            return (tree, .filter(node))

        case .projection(var node) where node.items.allSatisfy({ $0.expression == .column($0.output) }):
            let (tree, newInput) = visit(node.input)
            node.input = newInput
            return (tree, .projection(node))

        default:
            let rewritten = rewriteInput(plan)
            guard relations.count < RelationSet.capacity else {
                tooManyRelations = true
                return (.relation(0), rewritten)
            }
            relations.append(JoinRelation(plan: rewritten))
            return (.relation(relations.count - 1), rewritten)
        }
    }

    /// The graph of the collected relations, conjuncts and semi joins; nil when two relations share a column.
    private func graph() -> QueryGraph? {
        var owners: [ColumnID: Int] = [:]
        for (index, relation) in relations.enumerated() {
            for column in relation.columns {
                guard owners.updateValue(index, forKey: column) == nil else { return nil }
            }
        }
        func owningRelations(_ columns: Set<ColumnID>) -> (relations: RelationSet, allOwned: Bool) {
            var set = RelationSet.empty, allOwned = true
            for column in columns {
                if let owner = owners[column] { set.insert(owner) } else { allOwned = false }
            }
            return (set, allOwned)
        }

        let predicates = conjuncts.map { conjunct -> JoinPredicate in
            let (set, allOwned) = owningRelations(conjunct.expression.referencedColumns)
            let pinned = conjunct.expression.containsSubquery || !allOwned || set.isEmpty
            return JoinPredicate(expression: conjunct.expression, relations: set, originalPlacement: conjunct.placement,
                                 equiJoin: pinned ? nil : equiJoinEdge(conjunct.expression, owners: owners),
                                 isPinnedToRoot: pinned)
        }

        let filters = semiJoins.map { entry -> SemiJoinFilter in
            let condition = entry.join.condition
            let rightColumns = Set(entry.join.right.columns.map(\.id))
            let leftColumns = (condition?.referencedColumns ?? []).subtracting(rightColumns)
            let (set, allOwned) = owningRelations(leftColumns)
            let pinned = (condition?.containsSubquery ?? false) || !allOwned || set.isEmpty
            return SemiJoinFilter(kind: entry.join.kind, right: entry.join.right, condition: condition, relations: set,
                                  originalPlacement: entry.placement, isPinnedToRoot: pinned)
        }
        return QueryGraph(relations: relations, predicates: predicates, semiJoins: filters)
    }

    /// The edge when `expression` is `x = y` (or `x IS NOT DISTINCT FROM y`) with x and y each reading
    /// columns of one relation, different ones.
    private func equiJoinEdge(_ expression: Expression, owners: [ColumnID: Int]) -> EquiJoinEdge? {
        guard case .function(let function, let arguments, _) = expression,
              function == .equal || function == .isNotDistinctFrom, arguments.count == 2 else { return nil }
        func soleOwner(_ operand: Expression) -> Int? {
            let found = Set(operand.referencedColumns.compactMap { owners[$0] })
            guard found.count == 1, let owner = found.first,
                  operand.referencedColumns.allSatisfy({ owners[$0] != nil }) else { return nil }
            return owner
        }
        guard let left = soleOwner(arguments[0]), let right = soleOwner(arguments[1]), left != right else { return nil }
        return EquiJoinEdge(left: left, right: right, leftKey: arguments[0], rightKey: arguments[1])
    }
}
