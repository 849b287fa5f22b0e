import Columnar
import LogicalPlan

/// Rewrites dependent joins — joins whose right input reads columns of their left input, as `SubqueryToJoin`
/// leaves them for correlated subqueries — into ordinary joins, following Neumann and Kemper, "Unnesting
/// Arbitrary Queries" (BTW 2015), so that no plan evaluates a subquery once per outer row.
///
/// Before (`SELECT ... FROM orders WHERE EXISTS (SELECT * FROM lineitem WHERE l_orderkey = o_orderkey AND
/// l_suppkey <> o_clerk_suppkey)`, the right input reading `o_orderkey` and `o_clerk_suppkey` of the left):
///
///     Join(semi)
///       Scan: orders [o_orderkey, o_clerk_suppkey]
///       Filter: l_orderkey = o_orderkey AND l_suppkey <> o_clerk_suppkey
///         Scan: lineitem [l_orderkey, l_suppkey]
///
/// After: the correlated conjuncts move into the join condition (the equality binds `o_orderkey` to
/// `l_orderkey`, so no domain is needed):
///
///     Join(semi): o_orderkey = l_orderkey AND l_suppkey <> o_clerk_suppkey
///       Scan: orders [o_orderkey, o_clerk_suppkey]
///       Scan: lineitem [l_orderkey, l_suppkey]
///
/// A correlated scalar aggregate (`p_partkey`'s `(SELECT 0.2 * avg(l_quantity) FROM lineitem WHERE
/// l_partkey = p_partkey)`) is grouped by its binding and left-joined, the projections above it evaluated after
/// the join (so a count of no rows reads 0):
///
///     Join(left)                                   Projection: ..., 0.2 * avg AS value
///       Scan: part [p_partkey]                       Join(left): p_partkey = l_partkey
///       Projection: 0.2 * avg AS value       →         Scan: part [p_partkey]
///         Aggregate: aggregates=[avg(l_quantity)]      Aggregate: group=[l_partkey] aggregates=[avg(l_quantity)]
///           Filter: l_partkey = p_partkey                Scan: lineitem [l_partkey, l_quantity]
///             Scan: lineitem [...]
///
/// In general `DecorrelationUnnester` rewrites the right input into a plan over all outer values at once whose
/// rows carry the outer values they belong to ("bindings"), joining a domain — `DISTINCT` of the outer columns of a
/// copy of the left input — where needed; the join then also matches outer columns to bindings (with
/// `IS NOT DISTINCT FROM` where NULLs can occur, always for mark joins so that only the subquery's own comparison
/// can make the marker NULL) and takes the still pending correlated conjuncts (in mark joins as `IS TRUE`, for
/// the same reason). A `LIMIT` at the top of an EXISTS subquery is dropped. Joins are rewritten bottom-up, so a
/// subquery nested in a subquery is unnested first, its references to columns further out left for the enclosing
/// join to bind.
public struct DependentJoinUnnesting: OptimizerRule {
    public var name: String { "dependent_join_unnesting" }

    public init() {}

    public func rewrite(_ plan: LogicalPlan, context: OptimizerContext) throws -> LogicalPlan {
        var allocator = ColumnIDAllocator(after: plan)
        return try plan.transformedUp { node in
            guard case .join(let join) = node else { return node }
            let outer = join.right.freeColumns.intersection(join.left.columns.map(\.id))
            guard !outer.isEmpty else { return node }
            return try unnest(join, outer: outer, allocator: &allocator)
        }
    }

    private func unnest(_ join: Join, outer: Set<ColumnID>, allocator: inout ColumnIDAllocator) throws -> LogicalPlan {
        // The references inside the right input carry the binder's nullability (NULLs of outer joins included).
        let references = join.right.referencedColumnsByID
        var outerColumns: [ColumnID: PlanColumn] = [:]
        for column in join.left.columns where outer.contains(column.id) {
            var described = column
            described.isNullable = column.isNullable || (references[column.id]?.isNullable ?? true)
            outerColumns[column.id] = described
        }
        var unnester = DecorrelationUnnester(outerInput: join.left, outerColumns: outerColumns, allocator: allocator)
        defer { allocator = unnester.allocator }

        let original = LogicalPlan.join(join).columns
        var isMark = false
        switch join.kind {
        case .left where join.condition == nil:
            let right = DecorrelationUnnester.firstValueAsAggregate(join.right) ?? join.right
            let outerValues = outerColumns.mapValues { OuterBinding(column: $0, isNeverNull: !$0.isNullable) }
            if let rewritten = try unnester.scalarAggregateJoin(join.left, outerValues: outerValues, right: right) {
                return rewritten
            }
        case .semi, .anti, .inner, .cross, .left:
            break
        case .mark:
            isMark = true
        case .right, .full:
            throw OptimizerError("correlated subqueries in this position are not supported yet")
        }
        var right = join.right
        if join.condition == nil, isMark || join.kind == .semi || join.kind == .anti {
            right = Self.withoutLimits(right)
        }
        var unnested = try unnester.unnest(right)
        if isMark {
            // A mark join's condition may only be unknown through the subquery's comparison: correlated
            // equalities become bindings, matched with IS NOT DISTINCT FROM.
            unnested = try unnester.bindingPendingEqualities(unnested)
        }
        var condition = join.condition?.conjuncts ?? []
        for (outerID, binding) in unnested.sortedBindings {
            guard let column = outerColumns[outerID] else { continue }
            condition.append(bindingEquality(.column(column), leftNeverNull: !column.isNullable, .column(binding.column),
                                             rightNeverNull: binding.isNeverNull, forMarkJoin: isMark))
        }
        for conjunct in unnested.pending {
            condition.append(isMark ? .function(.isTrue, [conjunct], .boolean) : conjunct)
        }
        var rewritten = join
        rewritten.right = unnested.plan
        rewritten.condition = Expression.conjunction(condition)
        if rewritten.kind == .cross && rewritten.condition != nil { rewritten.kind = .inner }
        let plan = LogicalPlan.join(rewritten)
        return plan.columns.map(\.id) == original.map(\.id) ? plan : plan.projected(to: original)
    }

    /// The plan without `LIMIT n` (n ≥ 1, no offset) at its top, looking through projections and sorts: an EXISTS
    /// subquery only asks whether there is a row.
    static func withoutLimits(_ plan: LogicalPlan) -> LogicalPlan {
        switch plan {
        case .limit(let node) where node.offset == 0 && (node.limit ?? 1) >= 1:
            return withoutLimits(node.input)
        case .projection(var node):
            node.input = withoutLimits(node.input)
            return .projection(node)
        case .sort(let node):
            return withoutLimits(node.input)
        default:
            return plan
        }
    }
}
