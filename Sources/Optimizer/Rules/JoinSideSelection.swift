import Catalog
import LogicalPlan

/// Estimates row counts bottom-up and puts the smaller input of every inner and cross join on the right,
/// where the hash join builds its table.
///
/// Before (nation has 25 rows, supplier 10000):
///
///     Join(inner): n_nationkey = s_nationkey
///       Scan: nation [n_nationkey, n_name]
///       Scan: supplier [s_nationkey, s_name]
///
/// After:
///
///     Projection: n_nationkey, n_name, s_nationkey, s_name (~10000 rows)
///       Join(inner): n_nationkey = s_nationkey (~10000 rows)
///         Scan: supplier [s_nationkey, s_name] (~10000 rows)
///         Scan: nation [n_nationkey, n_name] (~25 rows)
///
/// The projection keeps the join's column order, so the plan's output does not change.
///
/// The estimates are deliberately crude:
/// - a table scan reads the sum of its segments' row counts from the catalog (or the stored statistics'
///   row count when segments are unavailable); a file scan, or a table without a catalog, is unknown;
/// - every filter conjunct (in a `Filter` or in `Scan.filters`) keeps 10% of the rows when it is an equality
///   with a constant and 50% otherwise;
/// - an inner join with an equality between its sides yields as many rows as its larger input (the
///   foreign-key case), otherwise the product of its inputs, both times the selectivity of its other
///   conjuncts; left/right/full joins at least their preserved inputs; semi and anti joins half their left
///   input, mark joins all of it;
/// - an aggregate without keys yields one row, with keys (and `Distinct`) 10% of its input, at least one;
/// - `Limit` caps its input, set operations add (UNION), take the smaller (INTERSECT) or the left (EXCEPT).
/// Joins whose inputs have unknown estimates keep their sides; ties keep them too.
public struct JoinSideSelection: OptimizerRule {
    public var name: String { "join_side_selection" }

    public init() {}

    public func rewrite(_ plan: LogicalPlan, context: OptimizerContext) throws -> LogicalPlan {
        if case .materializedCTE(var node) = plan {
            // The definition first, so that the references in the body carry its estimate.
            node.definition = try rewrite(node.definition, context: context)
            let estimate = node.definition.estimatedRowCount
            let workingTable = node.workingTable
            node.body = node.body.transformedUp { child in
                guard case .workingTableScan(var scan) = child, scan.workingTable == workingTable else { return child }
                scan.estimatedRowCount = estimate
                return .workingTableScan(scan)
            }
            node.body = try rewrite(node.body, context: context)
            return .materializedCTE(node)
        }
        let children = try plan.children.map { try rewrite($0, context: context) }
        let node = children.isEmpty ? plan : plan.withChildren(children)
        let estimated = Self.withEstimate(node, catalog: context.catalog)
        guard case .join(let join) = estimated, join.kind == .inner || join.kind == .cross,
              let left = join.left.estimatedRowCount, let right = join.right.estimatedRowCount, left < right
        else { return estimated }
        var swapped = join
        swapped.left = join.right
        swapped.right = join.left
        return LogicalPlan.join(swapped).projected(to: estimated.columns, estimatedRowCount: join.estimatedRowCount)
    }

    /// The node with its estimated row count set from its inputs' (already set) estimates.
    static func withEstimate(_ plan: LogicalPlan, catalog: (any Catalog)?) -> LogicalPlan {
        switch plan {
        case .scan(var node):
            node.estimatedRowCount = tableRowCount(node.source, catalog: catalog).map { $0 * selectivity(node.filters) }
            return .scan(node)
        case .values, .workingTableScan, .materializedCTE:
            return plan
        case .recursiveCTE(var node):
            // Unknown iterations: guess ten times the anchor.
            node.estimatedRowCount = node.anchor.estimatedRowCount.map { $0 * 10 }
            return .recursiveCTE(node)
        case .filter(var node):
            node.estimatedRowCount = node.input.estimatedRowCount.map { $0 * selectivity(node.predicate.conjuncts) }
            return .filter(node)
        case .projection(var node):
            node.estimatedRowCount = node.input.estimatedRowCount
            return .projection(node)
        case .aggregate(var node):
            if node.groupKeys.isEmpty {
                node.estimatedRowCount = 1
            } else {
                node.estimatedRowCount = node.input.estimatedRowCount.map(grouped)
            }
            return .aggregate(node)
        case .join(var node):
            node.estimatedRowCount = joinEstimate(node)
            return .join(node)
        case .sort(var node):
            node.estimatedRowCount = node.input.estimatedRowCount
            return .sort(node)
        case .limit(var node):
            node.estimatedRowCount = node.input.estimatedRowCount.map { rows in
                let remaining = max(0, rows - Double(node.offset))
                return node.limit.map { min(remaining, Double($0)) } ?? remaining
            }
            if node.estimatedRowCount == nil, let limit = node.limit { node.estimatedRowCount = Double(limit) }
            return .limit(node)
        case .distinct(var node):
            node.estimatedRowCount = node.input.estimatedRowCount.map(grouped)
            return .distinct(node)
        case .window(var node):
            node.estimatedRowCount = node.input.estimatedRowCount
            return .window(node)
        case .setOperation(var node):
            if let left = node.left.estimatedRowCount, let right = node.right.estimatedRowCount {
                switch node.kind {
                case .union: node.estimatedRowCount = left + right
                case .intersect: node.estimatedRowCount = min(left, right)
                case .except: node.estimatedRowCount = left
                }
            } else {
                node.estimatedRowCount = nil
            }
            return .setOperation(node)
        }
    }

    private static func grouped(_ rows: Double) -> Double { max(1, (rows * 0.1).rounded()) }

    /// The number of rows stored in the table the scan reads, when the catalog knows it.
    private static func tableRowCount(_ source: ScanSource, catalog: (any Catalog)?) -> Double? {
        if case .integerSeries(let series) = source { return Double(series.count) }
        guard case .table(let definition) = source, let catalog else { return nil }
        if let segments = try? catalog.segments(of: definition.identifier) {
            return Double(segments.reduce(0) { $0 + $1.rowCount })
        }
        if let statistics = try? catalog.statistics(of: definition.identifier) {
            return Double(statistics.rowCount)
        }
        return nil
    }

    /// The fraction of rows that pass all the conjuncts.
    static func selectivity(_ conjuncts: [Expression]) -> Double {
        conjuncts.reduce(1.0) { product, conjunct in
            if case .function(.equal, let arguments, _) = conjunct, arguments.count == 2,
               arguments[0].isConstant != arguments[1].isConstant {
                return product * 0.1
            }
            return product * 0.5
        }
    }

    private static func joinEstimate(_ node: Join) -> Double? {
        guard let left = node.left.estimatedRowCount, let right = node.right.estimatedRowCount else { return nil }
        let leftColumns = Set(node.left.columns.map(\.id))
        let rightColumns = Set(node.right.columns.map(\.id))
        var hasEquality = false
        var others: [Expression] = []
        for conjunct in node.condition?.conjuncts ?? [] {
            if !hasEquality, case .function(let function, let arguments, _) = conjunct,
               function == .equal || function == .isNotDistinctFrom, arguments.count == 2 {
                let first = arguments[0].referencedColumns, second = arguments[1].referencedColumns
                if !first.isEmpty, !second.isEmpty,
                   (first.isSubset(of: leftColumns) && second.isSubset(of: rightColumns))
                    || (first.isSubset(of: rightColumns) && second.isSubset(of: leftColumns)) {
                    hasEquality = true
                    continue
                }
            }
            others.append(conjunct)
        }
        let matched = (hasEquality ? max(left, right) : left * right) * selectivity(others)
        switch node.kind {
        case .inner, .cross: return matched
        case .left: return max(matched, left)
        case .right: return max(matched, right)
        case .full: return max(matched, left + right)
        case .semi, .anti: return (left * 0.5).rounded(.up)
        case .mark: return left
        }
    }
}
