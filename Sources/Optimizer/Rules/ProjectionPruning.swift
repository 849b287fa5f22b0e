import Columnar
import LogicalPlan

/// Removes columns nobody reads: scans read fewer columns, projections, aggregates and values lists compute
/// fewer outputs. The root's output columns never change.
///
/// Before (`SELECT a FROM (SELECT a, b + 1 AS c, sum(d) ... GROUP BY a, b)`):
///
///     Projection: a
///       Projection: a, b + 1 AS c, s
///         Aggregate: group=[a, b] aggregates=[sum(d) AS s, max(e) AS m]
///           Scan: t [a, b, d, e, f]
///
/// After:
///
///     Projection: a
///       Aggregate: group=[a, b] aggregates=[]
///         Scan: t [a, b]
///
/// The columns needed are computed from the root down: a node needs what its parent reads from it plus what
/// its own expressions read. A scan reads the columns its pushed filters need, and a projection right above it
/// drops those nothing else reads, so they are not copied further up (joins and sorts copy what they carry). Group keys always stay (they define the groups); `Distinct` and set operations
/// need all their input columns; window calls nobody reads go (and a `Window` left without calls). A scan keeps
/// at least one column, so that `count(*)` still sees its rows, and so does a projection; a global aggregate
/// keeps at least one aggregate. A projection that only passes its input's columns through unchanged, in order,
/// is removed (in any order, when the nodes above read its columns by id only), and a projection over a
/// projection is merged into one when one of the two only picks and renames columns.
public struct ProjectionPruning: OptimizerRule {
    public var name: String { "projection_pruning" }

    public init() {}

    public func rewrite(_ plan: LogicalPlan, context: OptimizerContext) throws -> LogicalPlan {
        prune(plan, required: Set(plan.columns.map(\.id)), orderMatters: true)
    }

    /// The plan producing at least the `required` columns (and perhaps others), with its inputs pruned.
    /// `orderMatters` is false when the parent reads the columns by id only (a projection or aggregate above,
    /// perhaps through filters, sorts, limits and joins), so projections that only reorder may go.
    private func prune(_ plan: LogicalPlan, required: Set<ColumnID>, orderMatters: Bool) -> LogicalPlan {
        switch plan {
        case .scan(var node):
            let needed = required.union(node.filters.flatMap(\.referencedColumns))
            var pairs = zip(node.columns, node.columnIndices).filter { needed.contains($0.0.id) }
            if pairs.isEmpty, let narrowest = Self.narrowest(node.columns) {
                pairs = [(node.columns[narrowest], node.columnIndices[narrowest])]
            }
            node.columns = pairs.map(\.0)
            node.columnIndices = pairs.map(\.1)
            // Columns only the scan's own filters read stop at the scan: nothing above copies them.
            let passed = node.columns.filter { required.contains($0.id) }
            if !passed.isEmpty, passed.count < node.columns.count {
                return LogicalPlan.scan(node).projected(to: passed, estimatedRowCount: node.estimatedRowCount)
            }
            return .scan(node)

        case .values(var node):
            let kept = node.columns.indices.filter { required.contains(node.columns[$0].id) }
            guard kept.count < node.columns.count else { return plan }
            node.columns = kept.map { node.columns[$0] }
            node.rows = node.rows.map { row in kept.compactMap { $0 < row.count ? row[$0] : nil } }
            return .values(node)

        case .filter(var node):
            node.input = prune(node.input, required: required.union(node.predicate.referencedColumns), orderMatters: orderMatters)
            return .filter(node)

        case .projection(var node):
            var items = node.items.filter { required.contains($0.output.id) }
            if items.isEmpty, let first = node.items.first { items = [first] }
            node.items = items
            node.input = prune(node.input, required: Set(items.flatMap(\.expression.referencedColumns)), orderMatters: false)
            if Self.isIdentity(node) || (!orderMatters && Self.isReordering(node)) { return node.input }
            return Self.merged(node)

        case .aggregate(var node):
            var aggregates = node.aggregates.filter { required.contains($0.output.id) }
            if aggregates.isEmpty, node.groupKeys.isEmpty, let first = node.aggregates.first { aggregates = [first] }
            node.aggregates = aggregates
            var needed = Set(node.groupKeys.flatMap(\.expression.referencedColumns))
            for call in aggregates {
                for expression in call.expressions { needed.formUnion(expression.referencedColumns) }
            }
            node.input = prune(node.input, required: needed, orderMatters: false)
            return .aggregate(node)

        case .join(var node):
            let needed = required.union(node.condition?.referencedColumns ?? [])
            node.left = prune(node.left, required: needed.intersection(node.left.columns.map(\.id)), orderMatters: orderMatters)
            node.right = prune(node.right, required: needed.intersection(node.right.columns.map(\.id)), orderMatters: orderMatters)
            return .join(node)

        case .sort(var node):
            node.input = prune(node.input, required: required.union(node.keys.flatMap(\.expression.referencedColumns)), orderMatters: orderMatters)
            return .sort(node)

        case .limit(var node):
            node.input = prune(node.input, required: required, orderMatters: orderMatters)
            return .limit(node)

        case .distinct(var node):
            node.input = prune(node.input, required: Set(node.input.columns.map(\.id)), orderMatters: orderMatters)
            return .distinct(node)

        case .window(var node):
            node.functions = node.functions.filter { required.contains($0.output.id) }
            var needed = required.intersection(node.input.columns.map(\.id))
            for call in node.functions {
                for expression in call.expressions { needed.formUnion(expression.referencedColumns) }
            }
            node.input = prune(node.input, required: needed, orderMatters: orderMatters)
            return node.functions.isEmpty ? node.input : .window(node)

        case .setOperation(var node):
            node.left = prune(node.left, required: Set(node.left.columns.map(\.id)), orderMatters: true)
            node.right = prune(node.right, required: Set(node.right.columns.map(\.id)), orderMatters: true)
            return .setOperation(node)

        case .recursiveCTE(var node):
            // Both terms keep all their columns, in order: the working table is read by position.
            node.anchor = prune(node.anchor, required: Set(node.anchor.columns.map(\.id)), orderMatters: true)
            node.recursive = prune(node.recursive, required: Set(node.recursive.columns.map(\.id)), orderMatters: true)
            return .recursiveCTE(node)

        case .workingTableScan:
            return plan

        case .materializedCTE(var node):
            // References read the definition's columns by position: it keeps them all, in order.
            node.definition = prune(node.definition, required: Set(node.definition.columns.map(\.id)), orderMatters: true)
            node.body = prune(node.body, required: required, orderMatters: orderMatters)
            return .materializedCTE(node)
        }
    }

    /// A projection over a projection as one projection, when that computes nothing twice: when the outer one
    /// only picks and renames the inner one's columns, or the inner one only picks and renames its input's.
    private static func merged(_ node: Projection) -> LogicalPlan {
        guard case .projection(let inner) = node.input else { return .projection(node) }
        let outerPicks = node.items.allSatisfy { if case .column = $0.expression { true } else { false } }
        let innerPicks = inner.items.allSatisfy { if case .column = $0.expression { true } else { false } }
        guard outerPicks || innerPicks,
              !inner.items.contains(where: \.expression.containsSubquery) else { return .projection(node) }
        if !innerPicks {
            // Picking a computed column twice would compute it twice.
            let picked = node.items.compactMap { if case .column(let column) = $0.expression { column.id } else { nil } }
            guard Set(picked).count == picked.count else { return .projection(node) }
        }
        var replacements: [ColumnID: Expression] = [:]
        for item in inner.items { replacements[item.output.id] = item.expression }
        let items = node.items.map { ProjectionItem(output: $0.output, expression: $0.expression.substituting(replacements)) }
        return .projection(Projection(input: inner.input, items: items, estimatedRowCount: node.estimatedRowCount))
    }

    /// Whether the projection passes all its input's columns through unchanged, in another order.
    private static func isReordering(_ node: Projection) -> Bool {
        let inputColumns = node.input.columns
        guard node.items.count == inputColumns.count else { return false }
        for item in node.items {
            guard item.expression == .column(item.output), inputColumns.contains(item.output) else { return false }
        }
        return Set(node.items.map(\.output.id)).count == node.items.count
    }

    /// Whether the projection passes exactly its input's columns, in order, unchanged.
    private static func isIdentity(_ node: Projection) -> Bool {
        let inputColumns = node.input.columns
        guard node.items.count == inputColumns.count else { return false }
        for (item, column) in zip(node.items, inputColumns) {
            guard item.output == column, item.expression == .column(column) else { return false }
        }
        return true
    }

    /// The index of the column cheapest to read: fixed-width before variable-width, narrower first.
    private static func narrowest(_ columns: [PlanColumn]) -> Int? {
        columns.indices.min { cost(columns[$0].dataType) < cost(columns[$1].dataType) }
    }

    private static func cost(_ type: DataType) -> Int {
        if type == .boolean { return 1 }
        return type.byteWidth ?? 64
    }
}
