import Columnar
import LogicalPlan

// Plan analysis and copying that the decorrelation rules share: which outer columns a subtree reads, fresh copies
// of a plan for the domain of a dependent join, and the equality that joins an outer column to its binding.

extension LogicalPlan {
    /// The columns the plan's expressions read that no node of the plan makes available to them: for the right
    /// input of a dependent join, the outer columns it is correlated with. A join whose right input reads
    /// columns of its left input (a dependent join) binds them, so they are not free in the join.
    var freeColumns: Set<ColumnID> {
        var result = Set<ColumnID>()
        switch self {
        case .join(let node):
            result = node.left.freeColumns.union(node.right.freeColumns.subtracting(node.left.columns.map(\.id)))
        default:
            for child in children { result.formUnion(child.freeColumns) }
        }
        let available: Set<ColumnID>
        if case .scan(let node) = self {
            available = Set(node.columns.map(\.id))
        } else {
            available = Set(children.flatMap { $0.columns.map(\.id) })
        }
        for expression in ownExpressions {
            result.formUnion(expression.referencedColumns.subtracting(available))
        }
        return result
    }

    /// Every column reference in the plan's expressions, by id (the last one seen wins). The binder marks the
    /// references to the inner side of an outer join as nullable, so these are the most reliable nullability.
    var referencedColumnsByID: [ColumnID: PlanColumn] {
        var result: [ColumnID: PlanColumn] = [:]
        func visit(_ plan: LogicalPlan) {
            for expression in plan.ownExpressions {
                _ = expression.transformed { node in
                    if case .column(let column) = node {
                        if let known = result[column.id], known.isNullable { return node }
                        result[column.id] = column
                    }
                    return node
                }
            }
            for child in plan.children { visit(child) }
        }
        visit(self)
        return result
    }
}

/// Copies a plan giving every column it produces a fresh id, so a copy can sit in the same plan as the original
/// (the domain of a dependent join is computed from a copy of its left input). References to columns the plan
/// does not produce stay as they are.
struct FreshColumnCopier {
    /// The copy's column for each column of the original, by the original's id.
    private(set) var mapping: [ColumnID: PlanColumn] = [:]

    /// The copy of `plan`.
    mutating func copy(_ plan: LogicalPlan, allocator: inout ColumnIDAllocator) -> LogicalPlan {
        let copiedChildren = plan.children.map { copy($0, allocator: &allocator) }
        let node = copiedChildren.isEmpty ? plan : plan.withChildren(copiedChildren)
        func fresh(_ column: PlanColumn) -> PlanColumn {
            var renamed = column
            renamed.id = allocator.allocate()
            mapping[column.id] = renamed
            return renamed
        }
        switch node {
        case .scan(var scan):
            scan.columns = scan.columns.map(fresh)
            scan.filters = scan.filters.map(substitute)
            return .scan(scan)
        case .values(var values):
            values.columns = values.columns.map(fresh)
            return .values(values)
        case .projection(var projection):
            // Substitute every expression before renaming outputs: an output may keep its input column's id.
            let expressions = projection.items.map { substitute($0.expression) }
            projection.items = zip(projection.items, expressions).map { ProjectionItem(output: fresh($0.0.output), expression: $0.1) }
            return .projection(projection)
        case .aggregate(var aggregate):
            let keys = aggregate.groupKeys.map { substitute($0.expression) }
            let calls = aggregate.aggregates.map { $0.mappingExpressions(substitute) }
            aggregate.groupKeys = zip(aggregate.groupKeys, keys).map { ProjectionItem(output: fresh($0.0.output), expression: $0.1) }
            aggregate.aggregates = zip(aggregate.aggregates, calls).map { original, call in
                var renamed = call
                renamed.output = fresh(original.output)
                return renamed
            }
            return .aggregate(aggregate)
        case .join(var join):
            join.condition = join.condition.map(substitute)
            if case .mark(let marker) = join.kind { join.kind = .mark(fresh(marker)) }
            return .join(join)
        case .setOperation(var operation):
            operation.columns = operation.columns.map(fresh)
            return .setOperation(operation)
        case .recursiveCTE(var cte):
            cte.columns = cte.columns.map(fresh)
            return .recursiveCTE(cte)
        case .workingTableScan(var scan):
            scan.columns = scan.columns.map(fresh)
            return .workingTableScan(scan)
        case .materializedCTE:
            // Its columns are its body's, already copied.
            return node
        case .window(var window):
            let calls = window.functions.map { $0.mappingExpressions(substitute) }
            window.functions = zip(window.functions, calls).map { original, call in
                var renamed = call
                renamed.output = fresh(original.output)
                return renamed
            }
            return .window(window)
        case .filter, .sort, .limit, .distinct:
            return node.mappingOwnExpressions(substitute)
        }
    }

    private func substitute(_ expression: Expression) -> Expression {
        expression.transformed { node in
            if case .column(let column) = node, let renamed = mapping[column.id] { return .column(renamed) }
            return node
        }
    }
}

/// Where an outer column's value is found in an unnested subtree.
struct OuterBinding: Hashable {
    /// The column of the subtree holding the outer value the row belongs to.
    var column: PlanColumn
    /// Whether the column is never NULL, so that `=` may stand for `IS NOT DISTINCT FROM` outside mark joins.
    var isNeverNull: Bool
}

/// The condition that an outer value equals its binding: `IS NOT DISTINCT FROM`, since the domain holds NULL
/// outer values too, or `=` where one side is never NULL (the same outside mark joins, where an unknown
/// comparison would make the marker NULL, and easier to hash).
func bindingEquality(_ left: Expression, leftNeverNull: Bool, _ right: Expression, rightNeverNull: Bool,
                     forMarkJoin: Bool) -> Expression {
    if !forMarkJoin && (leftNeverNull || rightNeverNull) {
        return .function(.equal, [left, right], .boolean)
    }
    return .function(.isNotDistinctFrom, [left, right], .boolean)
}

/// Whether the expression may evaluate to NULL, judged from column metadata (conservative for functions).
func mayBeNull(_ expression: Expression) -> Bool {
    switch expression {
    case .column(let column): return column.isNullable
    case .literal(let value, _): return value.isNull
    case .cast(let operand, _): return mayBeNull(operand)
    case .function(let function, let arguments, _):
        switch function {
        case .isNull, .isNotNull, .isDistinctFrom, .isNotDistinctFrom, .isTrue, .isFalse, .isNotTrue, .isNotFalse:
            return false
        case .add, .subtract, .multiply, .negate, .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual,
             .concatenate, .upper, .lower, .length, .abs:
            return arguments.contains(where: mayBeNull)
        default:
            return true
        }
    default:
        return true
    }
}

extension AggregateFunction {
    /// Whether the aggregate of no rows is 0 rather than NULL.
    var isCount: Bool { self == .count || self == .countStar }
}

/// `coalesce(column, 0)` for a count that a left join may have left NULL.
func zeroForMissingCount(_ column: PlanColumn) -> Expression {
    let zero = Expression.literal(.int64(0), .int64)
    return .function(.coalesce, [.column(column), column.dataType == .int64 ? zero : .cast(zero, column.dataType)], column.dataType)
}
