import LogicalPlan

/// Derives, from an OR that spans both inputs of an inner join, a filter on each input that the OR implies, so
/// that the input is filtered before the join instead of after it.
///
/// When every branch of the OR has conjuncts over one input's columns alone, the OR of those conjuncts holds
/// for every row of that input that can satisfy the OR: each branch implies its own part. The OR itself stays
/// where it is (it is still needed), so the rewrite is exact; it only filters earlier.
///
/// Before (TPC-H q19 after `factor_disjunctions`):
///
///     Join(inner): p_partkey = l_partkey
///         AND ((p_brand = 'Brand#12' AND p_size <= 5 AND l_quantity <= 11)
///           OR (p_brand = 'Brand#23' AND p_size <= 10 AND l_quantity >= 10))
///       Scan: lineitem
///       Scan: part
///
/// After (predicate pushdown then moves the new filters into the scans):
///
///     Join(inner): (the same condition)
///       Filter: l_quantity <= 11 OR l_quantity >= 10
///         Scan: lineitem
///       Filter: (p_brand = 'Brand#12' AND p_size <= 5) OR (p_brand = 'Brand#23' AND p_size <= 10)
///         Scan: part
///
/// Applies to the conditions of inner joins and to filters right above inner and cross joins. A filter is added
/// only to an input that is a scan under filters, and only when its conjuncts are not there yet, so the rule
/// reaches a fixpoint; the derived OR is simplified as `simplify_expressions` would, for the same reason.
public struct DisjunctionFilterDerivation: OptimizerRule {
    public var name: String { "derive_disjunction_filters" }

    public init() {}

    public func rewrite(_ plan: LogicalPlan, context: OptimizerContext) throws -> LogicalPlan {
        plan.transformedUp { node in
            switch node {
            case .join(var join) where join.kind == .inner:
                guard let condition = join.condition else { return node }
                Self.deriveFilters(from: condition.conjuncts, into: &join)
                return .join(join)
            case .filter(var filter):
                guard case .join(var join) = filter.input, join.kind == .inner || join.kind == .cross else { return node }
                Self.deriveFilters(from: filter.predicate.conjuncts, into: &join)
                filter.input = .join(join)
                return .filter(filter)
            default:
                return node
            }
        }
    }

    /// Adds to each input of `join` the filters the ORs among `conjuncts` imply for it.
    private static func deriveFilters(from conjuncts: [Expression], into join: inout Join) {
        let leftColumns = Set(join.left.columns.map(\.id))
        let rightColumns = Set(join.right.columns.map(\.id))
        for conjunct in conjuncts {
            guard case .or(let branches) = conjunct, branches.count > 1 else { continue }
            if let implied = impliedFilter(branches, over: leftColumns) {
                join.left = filtered(join.left, by: implied)
            }
            if let implied = impliedFilter(branches, over: rightColumns) {
                join.right = filtered(join.right, by: implied)
            }
        }
    }

    /// The OR of each branch's conjuncts over `columns` alone; nil when some branch has none (nothing follows).
    static func impliedFilter(_ branches: [Expression], over columns: Set<ColumnID>) -> Expression? {
        var parts: [Expression] = []
        for branch in branches {
            let local = branch.conjuncts.filter { conjunct in
                let referenced = conjunct.referencedColumns
                return !referenced.isEmpty && referenced.isSubset(of: columns) && !conjunct.containsSubquery
            }
            guard let part = Expression.conjunction(local) else { return nil }
            parts.append(part)
        }
        return SimplifyExpressions.simplify(FactorDisjunctions.factor(.or(parts)))
    }

    /// `input` under a filter by `predicate`, unless it already has every conjunct of it, or is not a scan
    /// under filters (where the conjuncts could not be recognised on the next pass).
    private static func filtered(_ input: LogicalPlan, by predicate: Expression) -> LogicalPlan {
        var existing: [Expression] = []
        var current = input
        while true {
            if case .filter(let filter) = current {
                existing += filter.predicate.conjuncts
                current = filter.input
                continue
            }
            guard case .scan(let scan) = current else { return input }
            existing += scan.filters.flatMap(\.conjuncts)
            break
        }
        if predicate.conjuncts.allSatisfy(existing.contains) { return input }
        return .filter(Filter(input: input, predicate: predicate))
    }
}
