import Columnar

/// Computes window functions: every input row passes through, with one extra column per call.
///
/// Output: the input's columns, then one column per entry of `functions`, in order. Each call has its own
/// partitioning, ordering and frame; the rows come out in no particular order (an ORDER BY above fixes it).
public struct Window: Hashable, Sendable {
    public var input: LogicalPlan
    public var functions: [WindowCall]
    public var estimatedRowCount: Double?

    public init(input: LogicalPlan, functions: [WindowCall], estimatedRowCount: Double? = nil) {
        self.input = input
        self.functions = functions
        self.estimatedRowCount = estimatedRowCount
    }
}

/// Every window function.
public enum WindowFunction: Hashable, Sendable {
    /// `row_number()`: 1, 2, 3, ... within the partition.
    case rowNumber
    /// `rank()`: the row number of the first peer (gaps after ties).
    case rank
    /// `dense_rank()`: the number of distinct peer groups so far (no gaps).
    case denseRank
    /// `percent_rank()`: `(rank - 1) / (partition rows - 1)`, 0 for a single row.
    case percentRank
    /// `cume_dist()`: rows up to the last peer divided by the partition's rows.
    case cumeDist
    /// `ntile(n)`: the bucket, 1 to n, of rows split as evenly as possible.
    case ntile
    /// `lag(value [, offset [, default]])`: the value `offset` rows before (ignores the frame).
    case lag
    /// `lead(value [, offset [, default]])`: the value `offset` rows after (ignores the frame).
    case lead
    /// `first_value(value)`: the value at the frame's first row.
    case firstValue
    /// `last_value(value)`: the value at the frame's last row.
    case lastValue
    /// `nth_value(value, n)`: the value at the frame's n-th row (1-based).
    case nthValue
    /// An aggregate over the frame: `count`, `countStar`, `sum`, `average`, `minimum`, `maximum`, `boolAnd`,
    /// `boolOr`, the standard deviations and variances, `stringAgg` (in the window's order).
    case aggregate(AggregateFunction)

    /// Whether the function reads the frame (the others see only the partition, ordering and peers).
    public var usesFrame: Bool {
        switch self {
        case .firstValue, .lastValue, .nthValue, .aggregate: return true
        case .rowNumber, .rank, .denseRank, .percentRank, .cumeDist, .ntile, .lag, .lead: return false
        }
    }

    /// The SQL name of the function.
    public var sqlName: String {
        switch self {
        case .rowNumber: return "row_number"
        case .rank: return "rank"
        case .denseRank: return "dense_rank"
        case .percentRank: return "percent_rank"
        case .cumeDist: return "cume_dist"
        case .ntile: return "ntile"
        case .lag: return "lag"
        case .lead: return "lead"
        case .firstValue: return "first_value"
        case .lastValue: return "last_value"
        case .nthValue: return "nth_value"
        case .aggregate(let function): return function.sqlName
        }
    }
}

/// The rows of a partition, relative to the current row, that a window function reads.
public struct WindowFrame: Hashable, Sendable {
    /// How offsets count.
    public enum Units: Hashable, Sendable {
        /// Physical rows.
        case rows
        /// Values of the single ORDER BY key (`CURRENT ROW` means the current row's peers).
        case range
        /// Peer groups.
        case groups
    }

    /// One end of a frame. Offsets are constant expressions: BIGINT for ROWS and GROUPS; for RANGE a number
    /// (for a numeric key) or an INTERVAL or integer number of days (for a DATE key).
    public enum Bound: Hashable, Sendable {
        case unboundedPreceding
        case preceding(Expression)
        case currentRow
        case following(Expression)
        case unboundedFollowing
    }

    /// Rows around the current one left out of the frame (`EXCLUDE ...`), as PostgreSQL defines them.
    public enum Exclusion: Hashable, Sendable {
        /// `EXCLUDE NO OTHERS`, the default: the frame is exactly its bounds.
        case noOthers
        /// `EXCLUDE CURRENT ROW`.
        case currentRow
        /// `EXCLUDE GROUP`: the current row and its peers (every row of the partition without an ORDER BY).
        case group
        /// `EXCLUDE TIES`: the current row's peers other than itself.
        case ties
    }

    public var units: Units
    public var start: Bound
    public var end: Bound
    public var exclusion: Exclusion

    public init(units: Units, start: Bound, end: Bound, exclusion: Exclusion = .noOthers) {
        self.units = units
        self.start = start
        self.end = end
        self.exclusion = exclusion
    }

    /// PostgreSQL's default frame: with an ORDER BY, `RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW`
    /// (the current row's peers included); without one, the whole partition.
    public static func defaultFrame(isOrdered: Bool) -> WindowFrame {
        WindowFrame(units: .range, start: .unboundedPreceding, end: isOrdered ? .currentRow : .unboundedFollowing)
    }

    /// Whether the frame is the whole partition whatever the ordering (no rows excluded).
    public var isWholePartition: Bool {
        start == .unboundedPreceding && end == .unboundedFollowing && exclusion == .noOthers
    }
}

/// One window function computed by a `Window` node.
public struct WindowCall: Hashable, Sendable {
    public var function: WindowFunction
    /// The arguments: the value (and offset, default, n) as the function takes them, already coerced.
    public var arguments: [Expression]
    /// For aggregates, `FILTER (WHERE ...)`: only rows where it is true are aggregated.
    public var filter: Expression?
    /// For `lag`, `lead`, `first_value`, `last_value` and `nth_value`: `IGNORE NULLS`, counting only the rows
    /// whose value is not NULL.
    public var ignoresNulls: Bool
    public var partitionBy: [Expression]
    public var orderBy: [SortKey]
    public var frame: WindowFrame
    /// The column the call produces.
    public var output: PlanColumn

    public init(function: WindowFunction, arguments: [Expression], filter: Expression? = nil, ignoresNulls: Bool = false,
                partitionBy: [Expression], orderBy: [SortKey], frame: WindowFrame, output: PlanColumn) {
        self.function = function
        self.arguments = arguments
        self.filter = filter
        self.ignoresNulls = ignoresNulls
        self.partitionBy = partitionBy
        self.orderBy = orderBy
        self.frame = frame
        self.output = output
    }

    /// Every expression of the call: arguments, filter, partition keys, ordering keys, frame offsets.
    public var expressions: [Expression] {
        var result = arguments
        if let filter { result.append(filter) }
        result += partitionBy
        result += orderBy.map(\.expression)
        for bound in [frame.start, frame.end] {
            switch bound {
            case .preceding(let offset), .following(let offset): result.append(offset)
            case .unboundedPreceding, .currentRow, .unboundedFollowing: break
            }
        }
        return result
    }

    /// The call with `transform` applied to each of its expressions.
    public func mappingExpressions(_ transform: (Expression) throws -> Expression) rethrows -> WindowCall {
        var call = self
        call.arguments = try arguments.map(transform)
        call.filter = try filter.map(transform)
        call.partitionBy = try partitionBy.map(transform)
        call.orderBy = try orderBy.map { key in
            var key = key
            key.expression = try transform(key.expression)
            return key
        }
        func mapBound(_ bound: WindowFrame.Bound) throws -> WindowFrame.Bound {
            switch bound {
            case .preceding(let offset): return .preceding(try transform(offset))
            case .following(let offset): return .following(try transform(offset))
            case .unboundedPreceding, .currentRow, .unboundedFollowing: return bound
            }
        }
        call.frame.start = try mapBound(frame.start)
        call.frame.end = try mapBound(frame.end)
        return call
    }
}
