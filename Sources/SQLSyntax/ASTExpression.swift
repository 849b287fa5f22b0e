// The abstract syntax tree of scalar expressions.

/// A scalar expression.
public struct Expression: Sendable, Hashable {
    /// What the expression is.
    public var kind: Kind
    /// Where the expression starts (for binary operators: the operator).
    public var location: SourceLocation

    /// Creates an expression.
    public init(kind: Kind, location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// The kinds of expression.
    public indirect enum Kind: Sendable, Hashable {
        /// A constant.
        case literal(Literal)
        /// A column reference: `a`, `t.a`, `s.t.a`.
        case column([Identifier])
        /// `-x`, `+x`, `NOT x`.
        case unary(UnaryOperator, Expression)
        /// `left op right`.
        case binary(BinaryOperator, Expression, Expression)
        /// `x IS [NOT] NULL` (also `ISNULL`, `NOTNULL`).
        case isNull(Expression, isNegated: Bool)
        /// `x IS [NOT] TRUE|FALSE`.
        case isBoolean(Expression, value: Bool, isNegated: Bool)
        /// `x IS [NOT] DISTINCT FROM y`.
        case isDistinctFrom(Expression, Expression, isNegated: Bool)
        /// `x [NOT] BETWEEN low AND high`.
        case between(Expression, low: Expression, high: Expression, isNegated: Bool)
        /// `x [NOT] IN (a, b, ...)`.
        case inList(Expression, [Expression], isNegated: Bool)
        /// `x [NOT] IN (query)`.
        case inSubquery(Expression, Query, isNegated: Bool)
        /// `[NOT] EXISTS (query)`.
        case exists(Query, isNegated: Bool)
        /// `(query)` used as a scalar.
        case subquery(Query)
        /// `x op ANY|SOME|ALL (query)`.
        case quantified(Expression, BinaryOperator, Quantifier, Query)
        /// `x [NOT] LIKE|ILIKE pattern [ESCAPE e]`.
        case like(Expression, pattern: Expression, escape: Expression?, isCaseInsensitive: Bool, isNegated: Bool)
        /// `CASE [operand] WHEN ... THEN ... [ELSE ...] END`.
        case caseWhen(operand: Expression?, whens: [WhenClause], elseResult: Expression?)
        /// `CAST(x AS type)` and `x::type`.
        case cast(Expression, TypeName)
        /// `EXTRACT(field FROM x)`; the field is lowercased (year, month, day,
        /// quarter, dow, doy, week, epoch, hour, minute, second, ...).
        case extract(field: String, Expression)
        /// A function call, aggregate or window function.
        case function(FunctionCall)
        /// `DEFAULT` standing for a column's default value: only as a whole item of a `VALUES` row of `INSERT`.
        case defaultValue
    }
}

/// A constant value as written.
public enum Literal: Sendable, Hashable {
    /// `NULL`.
    case null
    /// `TRUE` / `FALSE`.
    case boolean(Bool)
    /// An integer literal, as written (digits only).
    case integer(String)
    /// A number with a '.' or an exponent, as written.
    case number(String)
    /// A string literal, with escapes resolved.
    case string(String)
    /// `DATE '1998-12-01'`, `TIMESTAMP '...'`.
    case typedString(TypeName, String)
    /// `INTERVAL '90' DAY` (unit "day") or `INTERVAL '3 months'` (unit nil).
    /// The unit is lowercased and singular ("year", "month", "day", ...).
    case interval(String, unit: String?)
}

/// Prefix operators.
public enum UnaryOperator: Sendable, Hashable {
    /// `-x`.
    case negate
    /// `+x`.
    case plus
    /// `NOT x`.
    case not
}

/// Infix operators.
public enum BinaryOperator: Sendable, Hashable {
    /// `+`.
    case add
    /// `-`.
    case subtract
    /// `*`.
    case multiply
    /// `/`.
    case divide
    /// `%`.
    case modulo
    /// `||`.
    case concatenate
    /// `=`.
    case equal
    /// `<>` or `!=`.
    case notEqual
    /// `<`.
    case less
    /// `<=`.
    case lessOrEqual
    /// `>`.
    case greater
    /// `>=`.
    case greaterOrEqual
    /// `AND`.
    case and
    /// `OR`.
    case or
}

/// The quantifier of `x op ANY|ALL (query)`.
public enum Quantifier: Sendable, Hashable {
    /// `ANY` or `SOME`.
    case any
    /// `ALL`.
    case all
}

/// `WHEN condition THEN result`.
public struct WhenClause: Sendable, Hashable {
    /// The condition (or the value compared with the CASE operand).
    public var condition: Expression
    /// The result when the condition holds.
    public var result: Expression

    /// Creates a WHEN clause.
    public init(condition: Expression, result: Expression) {
        self.condition = condition
        self.result = result
    }
}

/// A call of a scalar, aggregate or window function.
public struct FunctionCall: Sendable, Hashable {
    /// The function name (lowercased unless quoted).
    public var name: QualifiedName
    /// The arguments.
    public var arguments: [Expression]
    /// Whether the call was `f(*)`, as in `count(*)`.
    public var isStar: Bool
    /// Whether `DISTINCT` was given before the arguments.
    public var isDistinct: Bool
    /// An ordered-aggregate `ORDER BY` inside the parentheses.
    public var orderBy: [OrderByItem]
    /// The `FILTER (WHERE ...)` condition.
    public var filter: Expression?
    /// The `OVER (...)` window, making this a window function.
    public var window: WindowSpecification?
    /// `IGNORE NULLS` or `RESPECT NULLS`, written inside the parentheses (DuckDB) or after them (SQL standard).
    public var nullTreatment: NullTreatment?

    /// Creates a function call.
    public init(
        name: QualifiedName, arguments: [Expression], isStar: Bool = false, isDistinct: Bool = false,
        orderBy: [OrderByItem] = [], filter: Expression? = nil, window: WindowSpecification? = nil,
        nullTreatment: NullTreatment? = nil
    ) {
        self.name = name
        self.arguments = arguments
        self.isStar = isStar
        self.isDistinct = isDistinct
        self.orderBy = orderBy
        self.filter = filter
        self.window = window
        self.nullTreatment = nullTreatment
    }
}

/// Whether a navigation window function (`lag`, `lead`, `first_value`, `last_value`, `nth_value`) skips NULLs.
public enum NullTreatment: Sendable, Hashable {
    /// `IGNORE NULLS`: only rows whose value is not NULL count.
    case ignoreNulls
    /// `RESPECT NULLS`: every row counts (the default).
    case respectNulls
}

/// How a window specification builds on a named window.
public enum WindowReference: Sendable, Hashable {
    /// `OVER name`: exactly the named window, frame included.
    case named(Identifier)
    /// `OVER (name ...)` or `name AS (base ...)`: copies the base's PARTITION BY and ORDER BY; the base must not
    /// have a frame.
    case copied(Identifier)

    /// The referenced window's name.
    public var name: Identifier {
        switch self {
        case .named(let name), .copied(let name): return name
        }
    }
}

/// `OVER ([base] [PARTITION BY ...] [ORDER BY ...] [frame])` or `OVER name`.
public struct WindowSpecification: Sendable, Hashable {
    /// The named window this one refers to or refines.
    public var reference: WindowReference?
    /// The partitioning expressions.
    public var partitionBy: [Expression]
    /// The ordering within a partition.
    public var orderBy: [OrderByItem]
    /// The frame, or nil for the default frame.
    public var frame: WindowFrame?
    /// Where the specification starts: its `(`, or the name of `OVER name`.
    public var location: SourceLocation?

    /// Creates a window specification.
    public init(reference: WindowReference? = nil, partitionBy: [Expression] = [], orderBy: [OrderByItem] = [],
                frame: WindowFrame? = nil, location: SourceLocation? = nil) {
        self.reference = reference
        self.partitionBy = partitionBy
        self.orderBy = orderBy
        self.frame = frame
        self.location = location
    }
}

/// The units of a window frame.
public enum FrameUnits: Sendable, Hashable {
    /// `ROWS`.
    case rows
    /// `RANGE`.
    case range
    /// `GROUPS`.
    case groups
}

/// One end of a window frame.
public enum FrameBound: Sendable, Hashable {
    /// `UNBOUNDED PRECEDING`.
    case unboundedPreceding
    /// `n PRECEDING`.
    case preceding(Expression)
    /// `CURRENT ROW`.
    case currentRow
    /// `n FOLLOWING`.
    case following(Expression)
    /// `UNBOUNDED FOLLOWING`.
    case unboundedFollowing
}

/// `EXCLUDE ...` at the end of a window frame: rows around the current one left out of the frame.
public enum FrameExclusion: Sendable, Hashable {
    /// `EXCLUDE NO OTHERS` (the default): nothing is left out.
    case noOthers
    /// `EXCLUDE CURRENT ROW`.
    case currentRow
    /// `EXCLUDE GROUP`: the current row and its peers.
    case group
    /// `EXCLUDE TIES`: the current row's peers, but not the row itself.
    case ties
}

/// `ROWS|RANGE|GROUPS [BETWEEN start AND end | start] [EXCLUDE ...]`.
public struct WindowFrame: Sendable, Hashable {
    /// The frame units.
    public var units: FrameUnits
    /// The start bound.
    public var start: FrameBound
    /// The end bound (`currentRow` when written without BETWEEN).
    public var end: FrameBound
    /// The rows left out of the frame.
    public var exclusion: FrameExclusion

    /// Creates a window frame.
    public init(units: FrameUnits, start: FrameBound, end: FrameBound = .currentRow,
                exclusion: FrameExclusion = .noOthers) {
        self.units = units
        self.start = start
        self.end = end
        self.exclusion = exclusion
    }
}
