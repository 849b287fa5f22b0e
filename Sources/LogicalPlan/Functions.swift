import Columnar

/// A date part that `EXTRACT` and `date_part` read.
public enum DateField: String, Hashable, Sendable, CaseIterable {
    case year, quarter, month, week, day, dayOfWeek = "dow", dayOfYear = "doy", epoch, hour, minute, second
}

/// Every scalar function and operator the engine evaluates. The binder picks the case and the result type;
/// operands arrive already coerced (for example both sides of `add` have the same integer type, or are decimals
/// whose result precision and scale is the function's result type).
public enum ScalarFunction: Hashable, Sendable {
    // Arithmetic. Integer overflow and division by zero are SQL errors, never traps.
    case add, subtract, multiply, divide, modulo, negate
    // Comparison, giving NULL when either side is NULL.
    case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
    /// `IS DISTINCT FROM` (never NULL).
    case isDistinctFrom
    /// `IS NOT DISTINCT FROM` (never NULL).
    case isNotDistinctFrom
    case isNull, isNotNull
    /// `x IS TRUE` etc. (never NULL).
    case isTrue, isFalse, isNotTrue, isNotFalse
    // Strings.
    case concatenate
    /// `x LIKE pattern [ESCAPE e]` with `%` and `_`; arguments: value, pattern, optional escape.
    case like(caseInsensitive: Bool)
    /// `substring(s, start[, length])`, 1-based, counting characters.
    case substring
    case upper, lower
    /// Characters, not bytes.
    case length
    /// `trim(s[, characters])`, both ends; `ltrim`/`rtrim` one end.
    case trim, leftTrim, rightTrim
    /// `position(needle, haystack)`: 1-based character position or 0.
    case position
    case replace
    case startsWith
    // Numbers.
    case abs
    /// `round(x[, digits])`, half away from zero.
    case round
    case floor, ceil
    case sqrt, power
    // Conditionals. Arguments are all evaluated; CASE is the lazy one.
    case coalesce, nullIf, greatest, least
    // Dates.
    /// `extract(field FROM date)`: an integer (`epoch`: seconds), BIGINT.
    case extract(DateField)
}

/// Every aggregate function.
public enum AggregateFunction: Hashable, Sendable {
    /// `count(x)`: non-null values.
    case count
    /// `count(*)`: rows.
    case countStar
    case sum
    case average
    case minimum
    case maximum
    case standardDeviationSample, standardDeviationPopulation
    case varianceSample, variancePopulation
    case boolAnd, boolOr
    /// `string_agg(value, separator [ORDER BY ...])`.
    case stringAgg
    /// The value of the group's only row: NULL for no row, an error ("more than one row returned by a subquery
    /// used as an expression") for a second row, NULL or not. Not callable from SQL: the optimizer wraps scalar
    /// subqueries that may yield several rows in it.
    case singleValue
}

/// One aggregate computed by an `Aggregate` node.
public struct AggregateCall: Hashable, Sendable {
    public var function: AggregateFunction
    public var arguments: [Expression]
    public var isDistinct: Bool
    /// `FILTER (WHERE ...)`: only rows where it is true are aggregated.
    public var filter: Expression?
    /// `string_agg(x, ',' ORDER BY y)`.
    public var orderBy: [SortKey]
    /// The column the aggregate produces; its type is the aggregate's result type.
    public var output: PlanColumn

    public init(function: AggregateFunction, arguments: [Expression], isDistinct: Bool = false, filter: Expression? = nil,
                orderBy: [SortKey] = [], output: PlanColumn) {
        self.function = function
        self.arguments = arguments
        self.isDistinct = isDistinct
        self.filter = filter
        self.orderBy = orderBy
        self.output = output
    }
}

/// One ORDER BY key.
public struct SortKey: Hashable, Sendable {
    public var expression: Expression
    public var isAscending: Bool
    /// Where NULLs go. PostgreSQL's default: last when ascending, first when descending.
    public var nullsFirst: Bool

    public init(expression: Expression, isAscending: Bool = true, nullsFirst: Bool? = nil) {
        self.expression = expression
        self.isAscending = isAscending
        self.nullsFirst = nullsFirst ?? !isAscending
    }
}
