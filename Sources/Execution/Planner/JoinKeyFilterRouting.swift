import Columnar
import LogicalPlan

/// A runtime join-key filter on its way down the plan, looking for the deepest place to check its keys.
struct PendingKeyFilter {
    /// The join that publishes the key set.
    let hub: JoinKeyFilterHub
    /// The positions (ascending) among the join's keys of the keys this filter checks.
    var keyIndices: [Int]
    /// The keys, in the order of `keyIndices`, as expressions over the columns of the plan node reached.
    var keys: [Expression]
    /// Whether the filter has gone below a node whose work it saves (a filter, join or aggregate). Right
    /// below the join it only repeats the join's own lookup, which pays off only when it is much cheaper.
    var isWorthPlacing = false
    /// Whether it has gone below an aggregate (whose groups it removes).
    var passedAggregate = false

    /// Whether the filter is placed where it stopped: when it is worth it, or right below its join when it
    /// has one integer key (then it only gets a key set if that is a small bitmap, see `JoinKeyFilterHub`).
    var isPlaced: Bool {
        isWorthPlacing || keyIndices.count == 1 && IntegerKeySet.supports(hub.keyTypes[keyIndices[0]])
    }

    /// The shared source the placed filter reads.
    func source() -> JoinKeyFilterSource { hub.source(for: keyIndices, isDeep: isWorthPlacing) }
}

/// Where join-key filters may go: the rules that move a filter from a plan node to its inputs.
///
/// A filter may move below a node when every output row of the node that has the filtered key comes from
/// input rows with that same key, and dropping an input row drops only output rows carrying its key (so rows
/// the join would discard anyway). That holds for filters, sorts, projections that pass the key columns
/// through unchanged, aggregates that group by the key columns (dropping a group's rows drops exactly the
/// group) and the left input of inner, left, semi, anti, mark and cross joins (each output row of those
/// carries the columns of one left row, and the left row alone decides which rows it yields). It does not
/// hold for the right inputs of joins (a missing build row changes what left rows yield: NULL padding, anti
/// and mark results), the null-supplying left input of right and full joins, limits, distinct, set
/// operations, windows and recursive queries; filters stop above those. They pass into the body of a
/// materialized common table expression, never into its shared definition.
///
/// When only some of a filter's keys can go further, a filter on that subset goes on (it needs its own key
/// set, which the hub builds) and the full filter stays.
enum KeyFilterRouting {
    /// Splits the filters arriving at `plan` into those to place right above its operator and those for
    /// each of its children (in `plan.children` order), with keys rewritten over the child's columns.
    static func route(_ filters: [PendingKeyFilter], at plan: LogicalPlan) -> (here: [PendingKeyFilter], children: [[PendingKeyFilter]]) {
        let childCount = plan.children.count
        var here: [PendingKeyFilter] = []
        var down: [PendingKeyFilter] = []
        if filters.isEmpty { return ([], Array(repeating: [], count: childCount)) }
        switch plan {
        case .filter, .sort:
            down = filters.map { filter in
                var filter = filter
                if case .filter = plan { filter.isWorthPlacing = true }
                return filter
            }
            return ([], [down])
        case .projection(let projection):
            var renames: [ColumnID: PlanColumn] = [:]
            for item in projection.items {
                if case .column(let source) = item.expression, source.dataType == item.output.dataType {
                    renames[item.output.id] = source
                }
            }
            split(filters, renames: renames, here: &here, down: &down) { _ in }
            return (here, [down])
        case .aggregate(let aggregate):
            var renames: [ColumnID: PlanColumn] = [:]
            for item in aggregate.groupKeys {
                if case .column(let source) = item.expression, source.dataType == item.output.dataType {
                    renames[item.output.id] = source
                }
            }
            split(filters, renames: renames, here: &here, down: &down) { filter in
                filter.isWorthPlacing = true
                filter.passedAggregate = true
            }
            return (here, [down])
        case .join(let join):
            switch join.kind {
            case .inner, .left, .semi, .anti, .mark, .cross:
                var renames: [ColumnID: PlanColumn] = [:]
                for column in join.left.columns { renames[column.id] = column }
                split(filters, renames: renames, here: &here, down: &down) { $0.isWorthPlacing = true }
                return (here, [down, []])
            case .right, .full:
                return (filters, [[], []])
            }
        case .materializedCTE:
            // The body produces the node's rows, under the same ids; the shared definition is no one's alone.
            return ([], [[], filters])
        case .scan, .values, .limit, .distinct, .setOperation, .window, .recursiveCTE, .workingTableScan:
            return (filters, Array(repeating: [], count: childCount))
        }
    }

    /// For each filter: the keys whose columns all appear in `renames` (rewritten through it) go down; when
    /// only some do, the full filter also stays here.
    private static func split(_ filters: [PendingKeyFilter], renames: [ColumnID: PlanColumn],
                              here: inout [PendingKeyFilter], down: inout [PendingKeyFilter],
                              passing update: (inout PendingKeyFilter) -> Void) {
        for filter in filters {
            var indices: [Int] = []
            var keys: [Expression] = []
            for (index, key) in zip(filter.keyIndices, filter.keys) {
                guard key.referencedColumns.allSatisfy({ renames[$0] != nil }) else { continue }
                indices.append(index)
                keys.append(key.transformed { node in
                    if case .column(let column) = node, let source = renames[column.id] { return .column(source) }
                    return node
                })
            }
            if indices.count < filter.keyIndices.count { here.append(filter) }
            if !indices.isEmpty {
                var moved = filter
                moved.keyIndices = indices
                moved.keys = keys
                update(&moved)
                down.append(moved)
            }
        }
    }

    /// Whether `key` can be evaluated on rows that filters between the placement and the join would have
    /// removed: column references, IS NULL and COALESCE with a constant (NULL-safe keys) and widening
    /// integer casts, none of which can fail.
    static func isSafeKey(_ key: Expression) -> Bool {
        switch key {
        case .column:
            return true
        case .function(.isNull, let arguments, _):
            return arguments.count == 1 && isSafeKey(arguments[0])
        case .function(.coalesce, let arguments, _):
            guard arguments.count == 2, case .literal = arguments[1] else { return false }
            return isSafeKey(arguments[0])
        case .cast(let input, let type):
            return isSafeKey(input) && isWideningIntegerCast(from: input.dataType, to: type)
        default:
            return false
        }
    }

    private static func isWideningIntegerCast(from source: DataType, to target: DataType) -> Bool {
        func rank(_ type: DataType) -> Int? {
            switch type {
            case .int8: return 1
            case .int16: return 2
            case .int32: return 3
            case .int64: return 4
            default: return nil
            }
        }
        guard let from = rank(source), let to = rank(target) else { return false }
        return from <= to
    }

    /// A filter over the safe keys among `keys` (the join's keys on the filtered side), or nil when none is safe.
    static func initialFilter(hub: JoinKeyFilterHub, keys: [Expression]) -> PendingKeyFilter? {
        let indices = keys.indices.filter { isSafeKey(keys[$0]) }
        if indices.isEmpty { return nil }
        return PendingKeyFilter(hub: hub, keyIndices: indices, keys: indices.map { keys[$0] })
    }

    /// Whether `filter`, arriving at `plan`, would get below an aggregate.
    static func reachesBelowAggregate(_ filter: PendingKeyFilter, in plan: LogicalPlan) -> Bool {
        func visit(_ filters: [PendingKeyFilter], _ plan: LogicalPlan) -> Bool {
            let (_, children) = route(filters, at: plan)
            for (child, list) in zip(plan.children, children) where !list.isEmpty {
                if list.contains(where: \.passedAggregate) || visit(list, child) { return true }
            }
            return false
        }
        return visit([filter], plan)
    }

    /// `input` with a `JoinKeyFilterOperator` on top for each filter worth placing (in order, innermost first).
    static func place(_ filters: [PendingKeyFilter], above input: any PhysicalOperator,
                      context: ExecutionContext) throws -> any PhysicalOperator {
        var result = input
        for filter in filters where filter.isPlaced {
            result = try JoinKeyFilterOperator(input: result, source: filter.source(), keys: filter.keys,
                                               isBelowAggregate: filter.passedAggregate, context: context)
        }
        return result
    }
}
