import LogicalPlan

/// Moves filter predicates as far down the plan as they stay correct, into join conditions and into scans.
///
/// Before (`SELECT ... FROM a, b WHERE a.k = b.k AND a.x > 5 AND b.y < 3`):
///
///     Filter: k = k2 AND x > 5 AND y < 3
///       Join(cross)
///         Scan: a [k, x]
///         Scan: b [k2, y]
///
/// After:
///
///     Join(inner): k = k2
///       Scan: a [k, x] filters=[x > 5]
///       Scan: b [k2, y] filters=[y < 3]
///
/// Filters are split into conjuncts, and each conjunct goes:
/// - through `Projection` (with the projected expressions substituted for its columns), `Sort`, `Distinct`,
///   and set operations (mapped to each input's columns);
/// - through `Aggregate` when it reads only group keys that are plain column references;
/// - through `Window` when it reads only columns that every window call partitions by;
/// - into joins: for inner and cross joins a conjunct over both sides joins the condition (a cross join with a
///   condition becomes an inner join) and a one-side conjunct, from above or from the ON clause, goes to that
///   side; for left (right) joins, conjuncts from above over the left (right) side go down that side and ON
///   conjuncts over the right (left) side go down the other; semi and anti joins pass conjuncts from above
///   to their left input, and take right-only ON conjuncts down to the right; full and mark joins keep theirs;
/// - into `Scan.filters`, which the scan applies (so the conjunct leaves the filter).
/// Conjuncts never pass a `Limit`. Conjuncts holding a subquery stay where they are.
public struct PredicatePushdown: OptimizerRule {
    public var name: String { "predicate_pushdown" }

    public init() {}

    public func rewrite(_ plan: LogicalPlan, context: OptimizerContext) throws -> LogicalPlan {
        push(plan, [])
    }

    /// `plan` filtered by all `predicates` (columns of `plan`), with the predicates placed as low as possible
    /// and the plan's own filters pushed down too.
    private func push(_ plan: LogicalPlan, _ predicates: [Expression]) -> LogicalPlan {
        switch plan {
        case .filter(let node):
            return push(node.input, predicates + node.predicate.conjuncts)

        case .projection(var node):
            var replacements: [ColumnID: Expression] = [:]
            for item in node.items where !item.expression.containsSubquery {
                replacements[item.output.id] = item.expression
            }
            let (below, above) = split(predicates) { $0.referencedColumns.isSubset(of: replacements.keys) }
            node.input = push(node.input, below.map { $0.substituting(replacements) })
            return LogicalPlan.projection(node).filtered(by: above)

        case .sort(var node):
            node.input = push(node.input, predicates)
            return .sort(node)

        case .distinct(var node):
            node.input = push(node.input, predicates)
            return .distinct(node)

        case .limit(var node):
            node.input = push(node.input, [])
            return LogicalPlan.limit(node).filtered(by: predicates)

        case .aggregate(var node):
            var replacements: [ColumnID: Expression] = [:]
            for key in node.groupKeys {
                if case .column = key.expression { replacements[key.output.id] = key.expression }
            }
            // A global aggregate yields a row even for empty input, so nothing may go below it.
            let (below, above) = node.groupKeys.isEmpty
                ? ([], predicates)
                : split(predicates) { $0.referencedColumns.isSubset(of: replacements.keys) }
            node.input = push(node.input, below.map { $0.substituting(replacements) })
            return LogicalPlan.aggregate(node).filtered(by: above)

        case .join(let node):
            return pushIntoJoin(node, predicates)

        case .setOperation(var node):
            let leftMap = Dictionary(uniqueKeysWithValues: zip(node.columns.map(\.id), node.left.columns.map { Expression.column($0) }))
            let rightMap = Dictionary(uniqueKeysWithValues: zip(node.columns.map(\.id), node.right.columns.map { Expression.column($0) }))
            let (below, above) = split(predicates) { $0.referencedColumns.isSubset(of: leftMap.keys) }
            node.left = push(node.left, below.map { $0.substituting(leftMap) })
            node.right = push(node.right, below.map { $0.substituting(rightMap) })
            return LogicalPlan.setOperation(node).filtered(by: above)

        case .scan(var node):
            let available = Set(node.columns.map(\.id))
            let (below, above) = split(predicates) { $0.referencedColumns.isSubset(of: available) }
            for predicate in below where !node.filters.contains(predicate) { node.filters.append(predicate) }
            return LogicalPlan.scan(node).filtered(by: above)

        case .values, .workingTableScan:
            return plan.filtered(by: predicates)

        case .materializedCTE(var node):
            // The definition is shared by every reference: a filter on one reference stays with that reference.
            node.definition = push(node.definition, [])
            node.body = push(node.body, predicates)
            return .materializedCTE(node)

        case .recursiveCTE(var node):
            // A barrier: a filter on the result is not a filter on each iteration. Each term is pushed into alone.
            node.anchor = push(node.anchor, [])
            node.recursive = push(node.recursive, [])
            return LogicalPlan.recursiveCTE(node).filtered(by: predicates)

        case .window(var node):
            // Only conjuncts over columns every call partitions by keep or drop whole partitions.
            var partitionColumns = Set(node.input.columns.map(\.id))
            for call in node.functions {
                partitionColumns.formIntersection(call.partitionBy.compactMap { key -> ColumnID? in
                    if case .column(let column) = key { return column.id }
                    return nil
                })
            }
            let (below, above) = split(predicates) { $0.referencedColumns.isSubset(of: partitionColumns) }
            node.input = push(node.input, below)
            return LogicalPlan.window(node).filtered(by: above)
        }
    }

    private func pushIntoJoin(_ original: Join, _ predicates: [Expression]) -> LogicalPlan {
        var node = original
        let leftColumns = Set(node.left.columns.map(\.id))
        let rightColumns = Set(node.right.columns.map(\.id))
        let onConjuncts = node.condition?.conjuncts ?? []
        var toLeft: [Expression] = [], toRight: [Expression] = [], condition: [Expression] = [], above: [Expression] = []

        func side(_ predicate: Expression) -> Set<ColumnID>? {
            let columns = predicate.referencedColumns
            if columns.isSubset(of: leftColumns) { return leftColumns }
            if columns.isSubset(of: rightColumns) { return rightColumns }
            return nil
        }

        switch node.kind {
        case .inner, .cross:
            for predicate in onConjuncts {
                if predicate.containsSubquery { condition.append(predicate); continue }
                switch side(predicate) {
                case leftColumns?: toLeft.append(predicate)
                case rightColumns?: toRight.append(predicate)
                default: condition.append(predicate)
                }
            }
            for predicate in predicates {
                if predicate.containsSubquery { above.append(predicate); continue }
                switch side(predicate) {
                case leftColumns?: toLeft.append(predicate)
                case rightColumns?: toRight.append(predicate)
                default:
                    if predicate.referencedColumns.isSubset(of: leftColumns.union(rightColumns)) {
                        if !condition.contains(predicate) { condition.append(predicate) }
                    } else {
                        above.append(predicate)
                    }
                }
            }
            node.kind = condition.isEmpty ? .cross : .inner

        case .left, .right:
            let preserved = node.kind == .left ? leftColumns : rightColumns
            let other = node.kind == .left ? rightColumns : leftColumns
            var toPreserved: [Expression] = [], toOther: [Expression] = []
            for predicate in onConjuncts {
                if !predicate.containsSubquery, predicate.referencedColumns.isSubset(of: other) {
                    toOther.append(predicate)
                } else {
                    condition.append(predicate)
                }
            }
            for predicate in predicates {
                if !predicate.containsSubquery, predicate.referencedColumns.isSubset(of: preserved) {
                    toPreserved.append(predicate)
                } else {
                    above.append(predicate)
                }
            }
            if node.kind == .left { toLeft = toPreserved; toRight = toOther } else { toLeft = toOther; toRight = toPreserved }

        case .semi, .anti:
            for predicate in onConjuncts {
                if !predicate.containsSubquery, predicate.referencedColumns.isSubset(of: rightColumns),
                   !predicate.referencedColumns.isEmpty {
                    toRight.append(predicate)
                } else if node.kind == .semi, !predicate.containsSubquery, predicate.referencedColumns.isSubset(of: leftColumns) {
                    toLeft.append(predicate)
                } else {
                    condition.append(predicate)
                }
            }
            for predicate in predicates {
                if !predicate.containsSubquery, predicate.referencedColumns.isSubset(of: leftColumns) {
                    toLeft.append(predicate)
                } else {
                    above.append(predicate)
                }
            }

        case .mark, .full:
            // A mark join's NULL marker depends on the condition's NULLs, so its condition stays whole; a full
            // join preserves both sides.
            condition = onConjuncts
            for predicate in predicates {
                if case .mark = node.kind, !predicate.containsSubquery, predicate.referencedColumns.isSubset(of: leftColumns) {
                    toLeft.append(predicate)
                } else {
                    above.append(predicate)
                }
            }
        }

        node.left = push(node.left, toLeft)
        node.right = push(node.right, toRight)
        node.condition = Expression.conjunction(condition)
        return LogicalPlan.join(node).filtered(by: above)
    }

    /// The predicates that may move (no subquery, `movable`) and those that stay, each in their order.
    private func split(_ predicates: [Expression], movable: (Expression) -> Bool) -> (below: [Expression], above: [Expression]) {
        var below: [Expression] = [], above: [Expression] = []
        for predicate in predicates {
            if !predicate.containsSubquery && movable(predicate) { below.append(predicate) } else { above.append(predicate) }
        }
        return (below, above)
    }
}
