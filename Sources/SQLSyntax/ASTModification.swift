// The statements that change rows in place: UPDATE and DELETE.

/// One `column = expression` of `UPDATE ... SET`.
public struct Assignment: Sendable, Hashable {
    /// The column assigned to.
    public var column: Identifier
    /// The new value, computed from the row's old values.
    public var value: Expression

    /// Creates an assignment.
    public init(column: Identifier, value: Expression) {
        self.column = column
        self.value = value
    }
}

/// `UPDATE table [[AS] alias] SET column = expression [, ...] [WHERE condition]`.
public struct Update: Sendable, Hashable {
    /// The table whose rows change.
    public var table: QualifiedName
    /// The name the table goes by in the expressions, when given.
    public var alias: Identifier?
    /// The assignments, in the order written.
    public var assignments: [Assignment]
    /// The rows to change; all rows when nil.
    public var whereClause: Expression?

    /// Creates an `UPDATE` statement.
    public init(table: QualifiedName, alias: Identifier? = nil, assignments: [Assignment], whereClause: Expression? = nil) {
        self.table = table
        self.alias = alias
        self.assignments = assignments
        self.whereClause = whereClause
    }
}

/// `DELETE FROM table [[AS] alias] [WHERE condition]`.
public struct Delete: Sendable, Hashable {
    /// The table whose rows go.
    public var table: QualifiedName
    /// The name the table goes by in the condition, when given.
    public var alias: Identifier?
    /// The rows to delete; all rows when nil.
    public var whereClause: Expression?

    /// Creates a `DELETE` statement.
    public init(table: QualifiedName, alias: Identifier? = nil, whereClause: Expression? = nil) {
        self.table = table
        self.alias = alias
        self.whereClause = whereClause
    }
}
