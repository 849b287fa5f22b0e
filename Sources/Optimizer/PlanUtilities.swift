import Columnar
import LogicalPlan

// Helpers the rules share: walking a node's own expressions, substituting columns, allocating column ids.

extension Expression {
    /// The expression with references to the columns in `replacements` replaced by the mapped expressions.
    func substituting(_ replacements: [ColumnID: Expression]) -> Expression {
        guard !replacements.isEmpty else { return self }
        return transformed { node in
            if case .column(let column) = node, let replacement = replacements[column.id] { return replacement }
            return node
        }
    }

    /// The literal boolean value of the expression: true, false, or nil for a NULL literal; `.none` when the
    /// expression is not a boolean or null literal.
    var booleanLiteral: Bool?? {
        guard case .literal(let value, _) = self else { return .none }
        switch value {
        case .boolean(let flag): return .some(flag)
        case .null: return .some(nil)
        default: return .none
        }
    }

    static let trueLiteral = Expression.literal(.boolean(true), .boolean)
    static let falseLiteral = Expression.literal(.boolean(false), .boolean)
}

extension AggregateCall {
    /// Every expression of the call: arguments, filter, ordering keys.
    var expressions: [Expression] {
        arguments + (filter.map { [$0] } ?? []) + orderBy.map(\.expression)
    }

    /// The call with `transform` applied to each of its expressions.
    func mappingExpressions(_ transform: (Expression) throws -> Expression) rethrows -> AggregateCall {
        var call = self
        call.arguments = try arguments.map(transform)
        call.filter = try filter.map(transform)
        call.orderBy = try orderBy.map { key in
            var key = key
            key.expression = try transform(key.expression)
            return key
        }
        return call
    }
}

extension LogicalPlan {
    /// The expressions the node itself evaluates (not those of its inputs).
    var ownExpressions: [Expression] {
        switch self {
        case .scan(let node): return node.filters
        case .values(let node): return node.rows.flatMap { $0 }
        case .filter(let node): return [node.predicate]
        case .projection(let node): return node.items.map(\.expression)
        case .aggregate(let node): return node.groupKeys.map(\.expression) + node.aggregates.flatMap(\.expressions)
        case .join(let node): return node.condition.map { [$0] } ?? []
        case .sort(let node): return node.keys.map(\.expression)
        case .window(let node): return node.functions.flatMap(\.expressions)
        case .limit, .distinct, .setOperation, .recursiveCTE, .workingTableScan, .materializedCTE: return []
        }
    }

    /// The node with `transform` applied to each of its own expressions (its inputs are left alone).
    func mappingOwnExpressions(_ transform: (Expression) throws -> Expression) rethrows -> LogicalPlan {
        switch self {
        case .scan(var node):
            node.filters = try node.filters.map(transform)
            return .scan(node)
        case .values(var node):
            node.rows = try node.rows.map { try $0.map(transform) }
            return .values(node)
        case .filter(var node):
            node.predicate = try transform(node.predicate)
            return .filter(node)
        case .projection(var node):
            node.items = try node.items.map { ProjectionItem(output: $0.output, expression: try transform($0.expression)) }
            return .projection(node)
        case .aggregate(var node):
            node.groupKeys = try node.groupKeys.map { ProjectionItem(output: $0.output, expression: try transform($0.expression)) }
            node.aggregates = try node.aggregates.map { try $0.mappingExpressions(transform) }
            return .aggregate(node)
        case .join(var node):
            node.condition = try node.condition.map(transform)
            return .join(node)
        case .sort(var node):
            node.keys = try node.keys.map { key in
                var key = key
                key.expression = try transform(key.expression)
                return key
            }
            return .sort(node)
        case .window(var node):
            node.functions = try node.functions.map { try $0.mappingExpressions(transform) }
            return .window(node)
        case .limit, .distinct, .setOperation, .recursiveCTE, .workingTableScan, .materializedCTE:
            return self
        }
    }

    /// The largest column id the plan uses anywhere, including inside subqueries' plans; -1 when none.
    var maximumColumnID: Int {
        var result = -1
        func visit(_ plan: LogicalPlan) {
            for column in plan.columns { result = max(result, column.id.rawValue) }
            if case .join(let node) = plan, case .mark(let marker) = node.kind { result = max(result, marker.id.rawValue) }
            for expression in plan.ownExpressions {
                _ = expression.transformed { node in
                    if case .column(let column) = node { result = max(result, column.id.rawValue) }
                    if case .subquery(let subquery) = node {
                        visit(subquery.plan)
                        for column in subquery.correlatedColumns { result = max(result, column.id.rawValue) }
                    }
                    return node
                }
            }
            for child in plan.children { visit(child) }
        }
        visit(self)
        return result
    }

    /// A filter over the plan keeping the rows where all `predicates` hold; the plan itself when there are none.
    func filtered(by predicates: [Expression]) -> LogicalPlan {
        guard let predicate = Expression.conjunction(predicates) else { return self }
        return .filter(Filter(input: self, predicate: predicate))
    }

    /// A projection that passes `columns` of the plan through unchanged (same ids, names and types).
    func projected(to columns: [PlanColumn], estimatedRowCount: Double? = nil) -> LogicalPlan {
        .projection(Projection(input: self, items: columns.map { ProjectionItem(output: $0, expression: .column($0)) },
                               estimatedRowCount: estimatedRowCount))
    }
}

/// Hands out column ids that no column of a plan uses yet.
struct ColumnIDAllocator {
    private var next: Int

    init(after plan: LogicalPlan) { next = plan.maximumColumnID + 1 }

    mutating func allocate() -> ColumnID {
        defer { next += 1 }
        return ColumnID(next)
    }
}
