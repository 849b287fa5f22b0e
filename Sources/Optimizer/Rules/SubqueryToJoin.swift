import Columnar
import LogicalPlan

/// Turns subqueries in expressions into joins, so the executor only sees joins. A correlated subquery becomes a
/// dependent join — its right input reads columns of the left input — which `DependentJoinUnnesting`, the next
/// rule, rewrites into ordinary joins.
///
/// Before (`SELECT a FROM t WHERE a IN (SELECT x FROM u) AND (b > 1 OR EXISTS (SELECT * FROM v))`):
///
///     Filter: a IN (SELECT ...) AND (b > 1 OR EXISTS (SELECT ...))
///       Scan: t [a, b]
///
/// After:
///
///     Projection: a, b
///       Filter: b > 1 OR exists_mark
///         Join(mark AS exists_mark)
///           Join(semi): a = x
///             Scan: t [a, b]
///             Scan: u [x]
///           Limit: 1
///             Scan: v [...]
///
/// In a filter, a top-level conjunct `EXISTS (q)` becomes a semi join without condition (on q limited to one
/// row when q is uncorrelated), `NOT EXISTS (q)` an anti join, and `x IN (q)` / `x op ANY (q)` a semi join on
/// `x = q.col` / `x op q.col`. Everywhere else (`NOT IN`, `ALL`, under OR, in a projection, aggregate or sort)
/// the subquery becomes a mark join whose marker column replaces it: the marker is NULL when no row matched but
/// a comparison was NULL, which is exactly SQL's IN semantics (so `x NOT IN (q)` becomes `NOT marker`).
/// `x op ALL (q)` is `NOT (x negated-op ANY (q))`. A scalar subquery becomes a left join without condition on
/// the subquery's plan; unless that plan yields at most one row (a global aggregate, `LIMIT 1`, ...), it is
/// first wrapped in a global `single_value` aggregate, which fails at run time with "more than one row returned
/// by a subquery used as an expression" on a second row (per outer row, once the join is unnested). Nodes whose
/// output gained marker or subquery columns get a projection back to their original columns.
public struct SubqueryToJoin: OptimizerRule {
    public var name: String { "subquery_to_join" }

    public init() {}

    public func rewrite(_ plan: LogicalPlan, context: OptimizerContext) throws -> LogicalPlan {
        var allocator = ColumnIDAllocator(after: plan)
        return try rewritePlan(plan, allocator: &allocator)
    }

    private func rewritePlan(_ plan: LogicalPlan, allocator: inout ColumnIDAllocator) throws -> LogicalPlan {
        try plan.transformedUp { node in try rewriteNode(node, allocator: &allocator) }
    }

    private func rewriteNode(_ plan: LogicalPlan, allocator: inout ColumnIDAllocator) throws -> LogicalPlan {
        guard plan.ownExpressions.contains(where: \.containsSubquery) else { return plan }
        switch plan {
        case .filter(let node):
            return try rewriteFilter(node, allocator: &allocator)

        case .projection(var node):
            var input = node.input
            node.items = try node.items.map { item in
                ProjectionItem(output: item.output, expression: try replaceSubqueries(in: item.expression, input: &input, allocator: &allocator))
            }
            node.input = input
            return .projection(node)

        case .aggregate(var node):
            var input = node.input
            node.groupKeys = try node.groupKeys.map { key in
                ProjectionItem(output: key.output, expression: try replaceSubqueries(in: key.expression, input: &input, allocator: &allocator))
            }
            node.aggregates = try node.aggregates.map { call in
                try call.mappingExpressions { try replaceSubqueries(in: $0, input: &input, allocator: &allocator) }
            }
            node.input = input
            return .aggregate(node)

        case .sort(var node):
            let original = node.input.columns
            var input = node.input
            node.keys = try node.keys.map { key in
                var key = key
                key.expression = try replaceSubqueries(in: key.expression, input: &input, allocator: &allocator)
                return key
            }
            node.input = input
            let sorted = LogicalPlan.sort(node)
            return sorted.columns == original ? sorted : sorted.projected(to: original)

        case .join(var node) where node.kind == .inner || node.kind == .cross:
            // Conditions with subqueries move to a filter over the join, which handles them.
            let conjuncts = node.condition?.conjuncts ?? []
            let withSubquery = conjuncts.filter(\.containsSubquery)
            node.condition = Expression.conjunction(conjuncts.filter { !$0.containsSubquery })
            if node.condition == nil { node.kind = .cross }
            guard let predicate = Expression.conjunction(withSubquery) else { return .join(node) }
            return try rewriteFilter(Filter(input: .join(node), predicate: predicate), allocator: &allocator)

        default:
            throw OptimizerError("subqueries in this position are not supported yet")
        }
    }

    private func rewriteFilter(_ node: Filter, allocator: inout ColumnIDAllocator) throws -> LogicalPlan {
        // Conjuncts without subqueries filter first: below the joins, a correlated equality among them can bind the
        // outer column when the joins are unnested.
        let conjuncts = node.predicate.conjuncts
        var input = node.input.filtered(by: conjuncts.filter { !$0.containsSubquery })
        var remaining: [Expression] = []
        for conjunct in conjuncts where conjunct.containsSubquery {
            if let join = try semiJoin(for: conjunct, input: input, allocator: &allocator) {
                input = join
            } else {
                remaining.append(try replaceSubqueries(in: conjunct, input: &input, allocator: &allocator))
            }
        }
        let filtered = input.filtered(by: remaining)
        return filtered.columns == node.input.columns ? filtered : filtered.projected(to: node.input.columns)
    }

    /// A semi or anti join over `input` that does the work of the top-level conjunct, when it is a plain
    /// EXISTS, NOT EXISTS, IN or ANY subquery.
    private func semiJoin(for conjunct: Expression, input: LogicalPlan, allocator: inout ColumnIDAllocator) throws -> LogicalPlan? {
        var subquery: SubqueryExpression
        var isNegated = false
        switch conjunct {
        case .subquery(let found): subquery = found
        case .not(.subquery(let found)): subquery = found; isNegated = true
        default: return nil
        }
        if subquery.isNegated { isNegated.toggle() }
        switch subquery.kind {
        case .exists:
            let plan = try existsPlan(subquery, allocator: &allocator)
            return .join(Join(kind: isNegated ? .anti : .semi, left: input, right: plan, condition: nil))
        case .inSubquery where !isNegated:
            let (plan, condition) = try comparison(subquery, function: .equal, allocator: &allocator)
            return .join(Join(kind: .semi, left: input, right: plan, condition: condition))
        case .quantified(let function, isAll: false) where !isNegated:
            let (plan, condition) = try comparison(subquery, function: function, allocator: &allocator)
            return .join(Join(kind: .semi, left: input, right: plan, condition: condition))
        default:
            return nil
        }
    }

    /// The expression with every subquery replaced by a column of a join stacked on `input`.
    private func replaceSubqueries(in expression: Expression, input: inout LogicalPlan,
                                   allocator: inout ColumnIDAllocator) throws -> Expression {
        var failure: (any Error)?
        let result = expression.transformed { node in
            guard failure == nil, case .subquery(let subquery) = node else { return node }
            do {
                return try replace(subquery, input: &input, allocator: &allocator)
            } catch {
                failure = error
                return node
            }
        }
        if let failure { throw failure }
        return result
    }

    private func replace(_ original: SubqueryExpression, input: inout LogicalPlan,
                         allocator: inout ColumnIDAllocator) throws -> Expression {
        var subquery = original
        if let operand = subquery.operand {
            subquery.operand = try replaceSubqueries(in: operand, input: &input, allocator: &allocator)
        }
        let replacement: Expression
        switch subquery.kind {
        case .scalar:
            var plan = try subqueryPlan(subquery, allocator: &allocator)
            guard var value = plan.columns.first else { throw OptimizerError("a scalar subquery must return one column") }
            if !Self.yieldsAtMostOneRow(plan) {
                let single = PlanColumn(id: allocator.allocate(), name: value.name, dataType: value.dataType)
                plan = .aggregate(Aggregate(input: plan, groupKeys: [], aggregates: [
                    AggregateCall(function: .singleValue, arguments: [.column(value)], output: single),
                ]))
                value = single
            }
            input = .join(Join(kind: .left, left: input, right: plan, condition: nil))
            replacement = value.dataType == subquery.dataType ? .column(value) : .cast(.column(value), subquery.dataType)
        case .exists:
            let plan = try existsPlan(subquery, allocator: &allocator)
            let marker = PlanColumn(id: allocator.allocate(), name: "exists_mark", dataType: .boolean, isNullable: false)
            input = .join(Join(kind: .mark(marker), left: input, right: plan, condition: nil))
            replacement = .column(marker)
        case .inSubquery:
            let (plan, condition) = try comparison(subquery, function: .equal, allocator: &allocator)
            let marker = PlanColumn(id: allocator.allocate(), name: "in_mark", dataType: .boolean)
            input = .join(Join(kind: .mark(marker), left: input, right: plan, condition: condition))
            replacement = .column(marker)
        case .quantified(let function, let isAll):
            // x op ALL (q) is NOT (x negated-op ANY (q)), also under three-valued logic.
            let compared = isAll ? try Self.negatedComparison(function) : function
            let (plan, condition) = try comparison(subquery, function: compared, allocator: &allocator)
            let marker = PlanColumn(id: allocator.allocate(), name: isAll ? "all_mark" : "any_mark", dataType: .boolean)
            input = .join(Join(kind: .mark(marker), left: input, right: plan, condition: condition))
            replacement = isAll ? .not(.column(marker)) : .column(marker)
        }
        return subquery.isNegated ? .not(replacement) : replacement
    }

    /// The subquery's plan (with its own subqueries rewritten) and the condition `operand op column`.
    private func comparison(_ subquery: SubqueryExpression, function: ScalarFunction,
                            allocator: inout ColumnIDAllocator) throws -> (LogicalPlan, Expression) {
        let plan = try subqueryPlan(subquery, allocator: &allocator)
        guard let operand = subquery.operand, let first = plan.columns.first else {
            throw OptimizerError("an IN / ANY / ALL subquery needs an operand and one column")
        }
        var column = Expression.column(first)
        if first.dataType != operand.dataType { column = .cast(column, operand.dataType) }
        return (plan, .function(function, [operand, column], .boolean))
    }

    /// The plan of an EXISTS subquery, limited to one row when uncorrelated: one is enough to know that there are
    /// some. (A correlated one becomes a dependent semi, anti or mark join, which needs no limit.)
    private func existsPlan(_ subquery: SubqueryExpression, allocator: inout ColumnIDAllocator) throws -> LogicalPlan {
        let plan = try subqueryPlan(subquery, allocator: &allocator)
        if !subquery.correlatedColumns.isEmpty || Self.yieldsAtMostOneRow(plan) { return plan }
        return .limit(Limit(input: plan, limit: 1))
    }

    /// The subquery's plan with its own subqueries turned into joins; outer references stay as they are.
    private func subqueryPlan(_ subquery: SubqueryExpression, allocator: inout ColumnIDAllocator) throws -> LogicalPlan {
        try rewritePlan(subquery.plan, allocator: &allocator)
    }

    /// The comparison that is true exactly when `function` is false (NULL stays NULL).
    static func negatedComparison(_ function: ScalarFunction) throws -> ScalarFunction {
        switch function {
        case .equal: return .notEqual
        case .notEqual: return .equal
        case .less: return .greaterOrEqual
        case .lessOrEqual: return .greater
        case .greater: return .lessOrEqual
        case .greaterOrEqual: return .less
        default: throw OptimizerError("ALL is only supported with comparison operators")
        }
    }

    /// Whether the plan yields at most one row whatever the data.
    static func yieldsAtMostOneRow(_ plan: LogicalPlan) -> Bool {
        switch plan {
        case .aggregate(let node): return node.groupKeys.isEmpty
        case .values(let node): return node.rows.count <= 1
        case .limit(let node): return (node.limit.map { $0 <= 1 } ?? false) || yieldsAtMostOneRow(node.input)
        case .projection(let node): return yieldsAtMostOneRow(node.input)
        case .filter(let node): return yieldsAtMostOneRow(node.input)
        case .sort(let node): return yieldsAtMostOneRow(node.input)
        case .distinct(let node): return yieldsAtMostOneRow(node.input)
        case .window(let node): return yieldsAtMostOneRow(node.input)
        case .materializedCTE(let node): return yieldsAtMostOneRow(node.body)
        case .scan, .join, .setOperation, .recursiveCTE, .workingTableScan: return false
        }
    }
}
