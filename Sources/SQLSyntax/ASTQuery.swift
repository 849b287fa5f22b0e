// The abstract syntax tree of queries: SELECT, VALUES, set operations, FROM.

/// A full query: `[WITH ...] body [ORDER BY ...] [LIMIT ...] [OFFSET ...]`.
public struct Query: Sendable, Hashable {
    /// The `WITH` clause, if any.
    public var with: WithClause?
    /// The query body (a SELECT, VALUES, set operation or parenthesized query).
    public var body: QueryBody
    /// `ORDER BY` items applying to the whole body.
    public var orderBy: [OrderByItem]
    /// The `LIMIT` (or `FETCH FIRST`) count; nil for none or `LIMIT ALL`.
    public var limit: Expression?
    /// The `OFFSET` count, if any.
    public var offset: Expression?
    /// `ORDER BY ALL [ASC|DESC] [NULLS FIRST|LAST]` (DuckDB): every output column, left to right; `orderBy` is
    /// then empty.
    public var orderByAll: OrderByAll?
    /// Where the query starts.
    public var location: SourceLocation

    /// Whether the query has an ORDER BY, of items or `ALL`.
    public var hasOrderBy: Bool { !orderBy.isEmpty || orderByAll != nil }

    /// Creates a query.
    public init(
        with: WithClause? = nil, body: QueryBody, orderBy: [OrderByItem] = [],
        limit: Expression? = nil, offset: Expression? = nil, orderByAll: OrderByAll? = nil, location: SourceLocation
    ) {
        self.with = with
        self.body = body
        self.orderBy = orderBy
        self.limit = limit
        self.offset = offset
        self.orderByAll = orderByAll
        self.location = location
    }
}

/// `ORDER BY ALL` with its direction and NULL placement.
public struct OrderByAll: Sendable, Hashable {
    public var isAscending: Bool
    /// `true` for `NULLS FIRST`, `false` for `NULLS LAST`, nil for the default.
    public var nullsFirst: Bool?
    /// Where `ALL` is.
    public var location: SourceLocation

    public init(isAscending: Bool = true, nullsFirst: Bool? = nil, location: SourceLocation) {
        self.isAscending = isAscending
        self.nullsFirst = nullsFirst
        self.location = location
    }
}

/// `WITH [RECURSIVE] cte, ...`.
public struct WithClause: Sendable, Hashable {
    /// Whether `RECURSIVE` was given.
    public var isRecursive: Bool
    /// The common table expressions, in order.
    public var tables: [CommonTableExpression]

    /// Creates a `WITH` clause.
    public init(isRecursive: Bool = false, tables: [CommonTableExpression]) {
        self.isRecursive = isRecursive
        self.tables = tables
    }
}

/// `name [(columns)] AS [[NOT] MATERIALIZED] (query)` inside `WITH`.
public struct CommonTableExpression: Sendable, Hashable {
    /// Whether the query's rows are computed once and shared by every reference, or the query is expanded
    /// at each reference.
    public enum Materialization: Sendable, Hashable {
        /// Neither keyword: the optimizer decides.
        case automatic
        /// `AS MATERIALIZED`: computed once.
        case always
        /// `AS NOT MATERIALIZED`: expanded at every reference.
        case never
    }

    /// The name the query is visible under.
    public var name: Identifier
    /// Explicit column names, empty when not given.
    public var columns: [Identifier]
    /// The defining query.
    public var query: Query
    /// What `[NOT] MATERIALIZED` asked for.
    public var materialization: Materialization

    /// Creates a common table expression.
    public init(name: Identifier, columns: [Identifier] = [], query: Query, materialization: Materialization = .automatic) {
        self.name = name
        self.columns = columns
        self.query = query
        self.materialization = materialization
    }
}

/// The body of a query, without ORDER BY / LIMIT.
public indirect enum QueryBody: Sendable, Hashable {
    /// `SELECT ...`.
    case select(SelectCore)
    /// `VALUES (...), (...)`.
    case values(ValuesList)
    /// `left UNION|INTERSECT|EXCEPT right`.
    case setOperation(SetOperation)
    /// `(query)`, which may carry its own ORDER BY / LIMIT / WITH.
    case parenthesized(Query)
}

/// `VALUES (row), (row), ...`.
public struct ValuesList: Sendable, Hashable {
    /// The rows; each row is a list of expressions.
    public var rows: [[Expression]]
    /// Where `VALUES` starts.
    public var location: SourceLocation

    /// Creates a values list.
    public init(rows: [[Expression]], location: SourceLocation) {
        self.rows = rows
        self.location = location
    }
}

/// The set operators.
public enum SetOperator: Sendable, Hashable {
    /// `UNION`.
    case union
    /// `INTERSECT`.
    case intersect
    /// `EXCEPT`.
    case except
}

/// `left op [ALL|DISTINCT] right`.
public struct SetOperation: Sendable, Hashable {
    /// The operator.
    public var `operator`: SetOperator
    /// Whether `ALL` was given (keep duplicates).
    public var isAll: Bool
    /// The left operand.
    public var left: QueryBody
    /// The right operand.
    public var right: QueryBody
    /// Where the operator keyword is.
    public var location: SourceLocation

    /// Creates a set operation.
    public init(operator: SetOperator, isAll: Bool = false, left: QueryBody, right: QueryBody, location: SourceLocation) {
        self.operator = `operator`
        self.isAll = isAll
        self.left = left
        self.right = right
        self.location = location
    }
}

/// `SELECT [DISTINCT] items [FROM ...] [WHERE ...] [GROUP BY ...] [HAVING ...]`.
public struct SelectCore: Sendable, Hashable {
    /// Whether `DISTINCT` was given.
    public var isDistinct: Bool
    /// The select list.
    public var items: [SelectItem]
    /// The `FROM` items (comma-separated list; joins are nested inside).
    public var from: [TableReference]
    /// The `WHERE` condition.
    public var whereClause: Expression?
    /// The `GROUP BY` expressions.
    public var groupBy: [Expression]
    /// `GROUP BY ALL` (DuckDB): every select-list item without an aggregate or window function; `groupBy` is
    /// then empty.
    public var groupsByAll: Bool
    /// The `HAVING` condition.
    public var having: Expression?
    /// The `WINDOW name AS (...), ...` definitions, in order.
    public var windows: [WindowDefinition]
    /// Where `SELECT` starts.
    public var location: SourceLocation

    /// Creates a select core.
    public init(
        isDistinct: Bool = false, items: [SelectItem], from: [TableReference] = [],
        whereClause: Expression? = nil, groupBy: [Expression] = [], having: Expression? = nil,
        windows: [WindowDefinition] = [], groupsByAll: Bool = false, location: SourceLocation
    ) {
        self.groupsByAll = groupsByAll
        self.isDistinct = isDistinct
        self.items = items
        self.from = from
        self.whereClause = whereClause
        self.groupBy = groupBy
        self.having = having
        self.windows = windows
        self.location = location
    }
}

/// `name AS (window specification)` in a WINDOW clause.
public struct WindowDefinition: Sendable, Hashable {
    /// The window's name.
    public var name: Identifier
    /// The specification, which may itself refine an earlier window of the clause.
    public var specification: WindowSpecification

    /// Creates a window definition.
    public init(name: Identifier, specification: WindowSpecification) {
        self.name = name
        self.specification = specification
    }
}

/// One item of a select list.
public enum SelectItem: Sendable, Hashable {
    /// `expression [[AS] alias]`.
    case expression(Expression, alias: Identifier?)
    /// `*`.
    case wildcard(SourceLocation)
    /// `t.*` (the qualifier's parts are in the name).
    case qualifiedWildcard(QualifiedName)
}

/// `[AS] name [(columns)]` after a FROM item.
public struct TableAlias: Sendable, Hashable {
    /// The alias name.
    public var name: Identifier
    /// Column renames, empty when not given.
    public var columns: [Identifier]

    /// Creates a table alias.
    public init(name: Identifier, columns: [Identifier] = []) {
        self.name = name
        self.columns = columns
    }
}

/// An item of a `FROM` clause.
public indirect enum TableReference: Sendable, Hashable {
    /// A named table or view.
    case table(QualifiedName, alias: TableAlias?)
    /// `[LATERAL] (query) [alias]`, including `(VALUES ...) AS t(a, b)`.
    case subquery(Query, alias: TableAlias?, isLateral: Bool, location: SourceLocation)
    /// A table function such as `read_csv('file.csv')`.
    case function(QualifiedName, arguments: [Expression], alias: TableAlias?)
    /// A join of two items.
    case join(Join)
}

/// The kinds of join.
public enum JoinKind: Sendable, Hashable {
    /// `[INNER] JOIN`.
    case inner
    /// `LEFT [OUTER] JOIN`.
    case left
    /// `RIGHT [OUTER] JOIN`.
    case right
    /// `FULL [OUTER] JOIN`.
    case full
    /// `CROSS JOIN`.
    case cross
}

/// How a join matches rows.
public enum JoinCondition: Sendable, Hashable {
    /// No condition (`CROSS JOIN`).
    case none
    /// `ON condition`.
    case on(Expression)
    /// `USING (columns)`.
    case using([Identifier])
    /// `NATURAL ...`: match all equally named columns.
    case natural
}

/// `left [kind] JOIN right condition`.
public struct Join: Sendable, Hashable {
    /// The kind of join.
    public var kind: JoinKind
    /// The left input.
    public var left: TableReference
    /// The right input.
    public var right: TableReference
    /// The join condition.
    public var condition: JoinCondition
    /// Where the join keyword(s) start.
    public var location: SourceLocation

    /// Creates a join.
    public init(kind: JoinKind, left: TableReference, right: TableReference, condition: JoinCondition, location: SourceLocation) {
        self.kind = kind
        self.left = left
        self.right = right
        self.condition = condition
        self.location = location
    }
}

/// `expression [ASC|DESC] [NULLS FIRST|LAST]`.
public struct OrderByItem: Sendable, Hashable {
    /// The sort key.
    public var expression: Expression
    /// Whether the order is ascending (the default).
    public var isAscending: Bool
    /// `true` for `NULLS FIRST`, `false` for `NULLS LAST`, nil for the default.
    public var nullsFirst: Bool?

    /// Creates an order-by item.
    public init(expression: Expression, isAscending: Bool = true, nullsFirst: Bool? = nil) {
        self.expression = expression
        self.isAscending = isAscending
        self.nullsFirst = nullsFirst
    }
}
