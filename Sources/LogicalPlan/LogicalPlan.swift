import Catalog
import Columnar

/// A logical query plan: a tree of relational operators over typed columns identified by `ColumnID`.
///
/// Every node is a value; optimizer rules rewrite plans by building new ones. Each node carries an optional
/// estimated row count that the cardinality estimator fills in and EXPLAIN shows.
public indirect enum LogicalPlan: Hashable, Sendable {
    case scan(Scan)
    case values(Values)
    case filter(Filter)
    case projection(Projection)
    case aggregate(Aggregate)
    case join(Join)
    case sort(Sort)
    case limit(Limit)
    case distinct(Distinct)
    case setOperation(SetOperation)
    case window(Window)
    case recursiveCTE(RecursiveCTE)
    case workingTableScan(WorkingTableScan)
    case materializedCTE(MaterializedCTE)

    /// The columns the node produces, in order.
    public var columns: [PlanColumn] {
        switch self {
        case .scan(let node): return node.columns
        case .values(let node): return node.columns
        case .filter(let node): return node.input.columns
        case .projection(let node): return node.items.map(\.output)
        case .aggregate(let node): return node.groupKeys.map(\.output) + node.aggregates.map(\.output)
        case .join(let node):
            switch node.kind {
            case .semi, .anti: return node.left.columns
            case .mark(let marker): return node.left.columns + [marker]
            case .inner, .left, .right, .full, .cross: return node.left.columns + node.right.columns
            }
        case .sort(let node): return node.input.columns
        case .limit(let node): return node.input.columns
        case .distinct(let node): return node.input.columns
        case .setOperation(let node): return node.columns
        case .window(let node): return node.input.columns + node.functions.map(\.output)
        case .recursiveCTE(let node): return node.columns
        case .workingTableScan(let node): return node.columns
        case .materializedCTE(let node): return node.body.columns
        }
    }

    /// The node's inputs, left to right.
    public var children: [LogicalPlan] {
        switch self {
        case .scan, .values, .workingTableScan: return []
        case .recursiveCTE(let node): return [node.anchor, node.recursive]
        case .materializedCTE(let node): return [node.definition, node.body]
        case .filter(let node): return [node.input]
        case .projection(let node): return [node.input]
        case .aggregate(let node): return [node.input]
        case .join(let node): return [node.left, node.right]
        case .sort(let node): return [node.input]
        case .limit(let node): return [node.input]
        case .distinct(let node): return [node.input]
        case .setOperation(let node): return [node.left, node.right]
        case .window(let node): return [node.input]
        }
    }

    /// The same node with its inputs replaced (in the order `children` gives them).
    public func withChildren(_ newChildren: [LogicalPlan]) -> LogicalPlan {
        switch self {
        case .scan, .values, .workingTableScan: return self
        case .recursiveCTE(var node): node.anchor = newChildren[0]; node.recursive = newChildren[1]; return .recursiveCTE(node)
        case .materializedCTE(var node):
            node.definition = newChildren[0]
            node.body = newChildren[1]
            return .materializedCTE(node)
        case .filter(var node): node.input = newChildren[0]; return .filter(node)
        case .projection(var node): node.input = newChildren[0]; return .projection(node)
        case .aggregate(var node): node.input = newChildren[0]; return .aggregate(node)
        case .join(var node): node.left = newChildren[0]; node.right = newChildren[1]; return .join(node)
        case .sort(var node): node.input = newChildren[0]; return .sort(node)
        case .limit(var node): node.input = newChildren[0]; return .limit(node)
        case .distinct(var node): node.input = newChildren[0]; return .distinct(node)
        case .setOperation(var node): node.left = newChildren[0]; node.right = newChildren[1]; return .setOperation(node)
        case .window(var node): node.input = newChildren[0]; return .window(node)
        }
    }

    /// The plan with `transform` applied bottom-up to every node (children first).
    public func transformedUp(_ transform: (LogicalPlan) throws -> LogicalPlan) rethrows -> LogicalPlan {
        let newChildren = try children.map { try $0.transformedUp(transform) }
        return try transform(newChildren.isEmpty ? self : withChildren(newChildren))
    }

    /// The estimated number of rows the node produces, when the estimator has set one.
    public var estimatedRowCount: Double? {
        switch self {
        case .scan(let node): return node.estimatedRowCount
        case .values(let node): return Double(node.rows.count)
        case .filter(let node): return node.estimatedRowCount
        case .projection(let node): return node.estimatedRowCount
        case .aggregate(let node): return node.estimatedRowCount
        case .join(let node): return node.estimatedRowCount
        case .sort(let node): return node.estimatedRowCount
        case .limit(let node): return node.estimatedRowCount
        case .distinct(let node): return node.estimatedRowCount
        case .setOperation(let node): return node.estimatedRowCount
        case .window(let node): return node.estimatedRowCount
        case .recursiveCTE(let node): return node.estimatedRowCount
        case .workingTableScan(let node): return node.estimatedRowCount
        case .materializedCTE(let node): return node.body.estimatedRowCount
        }
    }
}

/// Where a scan reads from.
public enum ScanSource: Hashable, Sendable {
    /// A stored table, as defined when the query was bound.
    case table(TableDefinition)
    /// `read_csv('path')`: a CSV file read with the given options, with the column types inferred at bind time.
    case csvFile(path: String, options: CSVOptions, schema: Schema)
    /// `read_arrow('path')`: an Arrow IPC file (or stream), with the schema read at bind time.
    case arrowFile(path: String, schema: Schema)
    /// `generate_series(...)` / `range(...)`: one BIGINT column of evenly spaced integers.
    case integerSeries(IntegerSeries)
}

/// The rows of `generate_series(start, stop [, step])` or `range(start, stop [, step])`: `count` integers,
/// `first`, `first + step`, ..., all within BIGINT (the binder computes `count` so that none overflows).
public struct IntegerSeries: Hashable, Sendable {
    /// The table function's name and arguments as written, for EXPLAIN: `generate_series(1, 10, 2)`.
    public var description: String
    public var first: Int64
    public var step: Int64
    public var count: Int64

    public init(description: String, first: Int64, step: Int64, count: Int64) {
        self.description = description
        self.first = first
        self.step = step
        self.count = count
    }
}

/// Reads columns of a table or file.
public struct Scan: Hashable, Sendable {
    public var source: ScanSource
    /// The produced columns, one per entry of `columnIndices`.
    public var columns: [PlanColumn]
    /// Positions, in the source's schema, of the columns read. Projection pruning shrinks this.
    public var columnIndices: [Int]
    /// Predicates pushed into the scan (over `columns`); segments whose min/max rule them out are skipped.
    public var filters: [Expression]
    public var estimatedRowCount: Double?

    public init(source: ScanSource, columns: [PlanColumn], columnIndices: [Int], filters: [Expression] = [], estimatedRowCount: Double? = nil) {
        self.source = source
        self.columns = columns
        self.columnIndices = columnIndices
        self.filters = filters
        self.estimatedRowCount = estimatedRowCount
    }
}

/// Constant rows: `VALUES (...), (...)` and `SELECT` without FROM (one row, no columns).
public struct Values: Hashable, Sendable {
    public var columns: [PlanColumn]
    /// Each row has one constant expression per column, already cast to the column's type.
    public var rows: [[Expression]]

    public init(columns: [PlanColumn], rows: [[Expression]]) {
        self.columns = columns
        self.rows = rows
    }
}

/// Keeps the rows where `predicate` is true (not false, not NULL).
public struct Filter: Hashable, Sendable {
    public var input: LogicalPlan
    public var predicate: Expression
    public var estimatedRowCount: Double?

    public init(input: LogicalPlan, predicate: Expression, estimatedRowCount: Double? = nil) {
        self.input = input
        self.predicate = predicate
        self.estimatedRowCount = estimatedRowCount
    }
}

/// One computed output column.
public struct ProjectionItem: Hashable, Sendable {
    public var output: PlanColumn
    public var expression: Expression

    public init(output: PlanColumn, expression: Expression) {
        self.output = output
        self.expression = expression
    }
}

/// Computes a list of expressions per row.
public struct Projection: Hashable, Sendable {
    public var input: LogicalPlan
    public var items: [ProjectionItem]
    public var estimatedRowCount: Double?

    public init(input: LogicalPlan, items: [ProjectionItem], estimatedRowCount: Double? = nil) {
        self.input = input
        self.items = items
        self.estimatedRowCount = estimatedRowCount
    }
}

/// Groups rows by `groupKeys` and computes `aggregates` per group. Output: the keys, then the aggregates.
/// With no keys it yields exactly one row, even for empty input (count 0, sum NULL).
public struct Aggregate: Hashable, Sendable {
    public var input: LogicalPlan
    public var groupKeys: [ProjectionItem]
    public var aggregates: [AggregateCall]
    public var estimatedRowCount: Double?

    public init(input: LogicalPlan, groupKeys: [ProjectionItem], aggregates: [AggregateCall], estimatedRowCount: Double? = nil) {
        self.input = input
        self.groupKeys = groupKeys
        self.aggregates = aggregates
        self.estimatedRowCount = estimatedRowCount
    }
}

/// The kinds of join.
public enum JoinKind: Hashable, Sendable {
    case inner, left, right, full, cross
    /// Left rows with at least one match; only left columns.
    case semi
    /// Left rows with no match; only left columns.
    case anti
    /// Every left row plus a boolean column: true if some right row matches, NULL if none does but a
    /// comparison was NULL, false otherwise (the semantics of IN / EXISTS in an expression).
    case mark(PlanColumn)
}

/// Joins two inputs on a condition over both sides' columns (nil: every pair).
/// The physical planner turns equalities between the sides into hash-join keys.
public struct Join: Hashable, Sendable {
    public var kind: JoinKind
    public var left: LogicalPlan
    public var right: LogicalPlan
    public var condition: Expression?
    public var estimatedRowCount: Double?

    public init(kind: JoinKind, left: LogicalPlan, right: LogicalPlan, condition: Expression?, estimatedRowCount: Double? = nil) {
        self.kind = kind
        self.left = left
        self.right = right
        self.condition = condition
        self.estimatedRowCount = estimatedRowCount
    }
}

/// Sorts rows by keys over the input's columns.
public struct Sort: Hashable, Sendable {
    public var input: LogicalPlan
    public var keys: [SortKey]
    public var estimatedRowCount: Double?

    public init(input: LogicalPlan, keys: [SortKey], estimatedRowCount: Double? = nil) {
        self.input = input
        self.keys = keys
        self.estimatedRowCount = estimatedRowCount
    }
}

/// Skips `offset` rows then passes at most `limit` (nil: all). A Limit over a Sort runs as top-N.
public struct Limit: Hashable, Sendable {
    public var input: LogicalPlan
    public var limit: Int?
    public var offset: Int
    public var estimatedRowCount: Double?

    public init(input: LogicalPlan, limit: Int?, offset: Int = 0, estimatedRowCount: Double? = nil) {
        self.input = input
        self.limit = limit
        self.offset = offset
        self.estimatedRowCount = estimatedRowCount
    }
}

/// Removes duplicate rows (NULLs equal to each other, as in GROUP BY).
public struct Distinct: Hashable, Sendable {
    public var input: LogicalPlan
    public var estimatedRowCount: Double?

    public init(input: LogicalPlan, estimatedRowCount: Double? = nil) {
        self.input = input
        self.estimatedRowCount = estimatedRowCount
    }
}

/// The kinds of set operation.
public enum SetOperationKind: Hashable, Sendable {
    case union, intersect, except
}

/// UNION / INTERSECT / EXCEPT, with or without ALL. Both inputs have the output's column types (the binder
/// inserts casts); the output columns have fresh ids.
public struct SetOperation: Hashable, Sendable {
    public var kind: SetOperationKind
    public var isAll: Bool
    public var left: LogicalPlan
    public var right: LogicalPlan
    public var columns: [PlanColumn]
    public var estimatedRowCount: Double?

    public init(kind: SetOperationKind, isAll: Bool, left: LogicalPlan, right: LogicalPlan, columns: [PlanColumn], estimatedRowCount: Double? = nil) {
        self.kind = kind
        self.isAll = isAll
        self.left = left
        self.right = right
        self.columns = columns
        self.estimatedRowCount = estimatedRowCount
    }
}
