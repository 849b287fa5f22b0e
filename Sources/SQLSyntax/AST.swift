// The abstract syntax tree produced by `Parser`: names, types and statements.
// Queries live in ASTQuery.swift, expressions in ASTExpression.swift.

/// A position in SQL source text.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The 1-based line number.
    public var line: Int
    /// The 1-based column number, counted in characters (a tab counts as one).
    public var column: Int
    /// The 0-based UTF-8 byte offset from the start of the source.
    public var offset: Int

    /// Creates a location.
    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    /// The start of a source text.
    public static let start = SourceLocation(line: 1, column: 1, offset: 0)

    /// `line:column`.
    public var description: String { "\(line):\(column)" }
}

/// A (possibly quoted) name.
public struct Identifier: Sendable, Hashable {
    /// The name, lowercased unless it was written in double quotes.
    public var value: String
    /// Whether the name was written in double quotes.
    public var isQuoted: Bool
    /// Where the name starts.
    public var location: SourceLocation

    /// Creates an identifier.
    public init(value: String, isQuoted: Bool = false, location: SourceLocation) {
        self.value = value
        self.isQuoted = isQuoted
        self.location = location
    }
}

/// A dotted name such as `main.lineitem`.
public struct QualifiedName: Sendable, Hashable {
    /// The parts of the name, outermost first.
    public var parts: [Identifier]
    /// Where the name starts.
    public var location: SourceLocation

    /// Creates a qualified name.
    public init(parts: [Identifier], location: SourceLocation) {
        self.parts = parts
        self.location = location
    }

    /// The last part of the name (the object's own name), or "" if empty.
    public var baseName: String { parts.last?.value ?? "" }

    /// The parts joined with dots.
    public var dottedName: String { parts.map(\.value).joined(separator: ".") }
}

/// A data type as written in SQL, e.g. `DECIMAL(15, 2)`.
public struct TypeName: Sendable, Hashable {
    /// The normalized lowercase canonical name, e.g. "integer", "bigint",
    /// "varchar", "decimal", "double", "date", "boolean", "interval".
    public var name: String
    /// The numeric parameters, e.g. `[15, 2]` for `DECIMAL(15, 2)`.
    public var parameters: [Int]
    /// Where the type name starts.
    public var location: SourceLocation

    /// Creates a type name.
    public init(name: String, parameters: [Int] = [], location: SourceLocation) {
        self.name = name
        self.parameters = parameters
        self.location = location
    }
}

/// One SQL statement of a script.
public struct Statement: Sendable, Hashable {
    /// What the statement does.
    public var kind: Kind
    /// Where the statement starts.
    public var location: SourceLocation
    /// The statement's source text, without the trailing ';'.
    public var text: String

    /// Creates a statement.
    public init(kind: Kind, location: SourceLocation, text: String) {
        self.kind = kind
        self.location = location
        self.text = text
    }

    /// The kinds of statement.
    public indirect enum Kind: Sendable, Hashable {
        /// A query (`SELECT`, `VALUES`, `WITH ...`).
        case query(Query)
        /// `CREATE TABLE name (columns)`.
        case createTable(CreateTable)
        /// `CREATE TABLE name AS query`.
        case createTableAs(CreateTableAs)
        /// `DROP TABLE name`.
        case dropTable(DropObject)
        /// `CREATE VIEW name AS query`.
        case createView(CreateView)
        /// `DROP VIEW name`.
        case dropView(DropObject)
        /// `INSERT INTO ...`.
        case insert(Insert)
        /// `COPY ... FROM|TO 'file'`.
        case copy(Copy)
        /// `UPDATE table SET ...`.
        case update(Update)
        /// `DELETE FROM table ...`.
        case delete(Delete)
        /// `EXPLAIN [ANALYZE] statement`.
        case explain(Explain)
        /// `ANALYZE [table]`.
        case analyze(Analyze)
        /// `SET name = value`.
        case set(SetStatement)
        /// `SHOW TABLES`.
        case showTables
        /// `DESCRIBE name`.
        case describe(Describe)
        /// `CREATE INDEX [name] ON table (columns)`.
        case createIndex(CreateIndex)
    }
}

/// `CREATE INDEX [IF NOT EXISTS] [name] ON table [USING method] (column [ASC|DESC] [NULLS FIRST|LAST], ...)`.
///
/// Quiver has no indexes: the statement is checked (the table and columns must exist) and then does nothing, which
/// leaves every query result unchanged.
public struct CreateIndex: Sendable, Hashable {
    /// The index name, if given.
    public var name: Identifier?
    /// The indexed table.
    public var table: QualifiedName
    /// The indexed columns, in order.
    public var columns: [Identifier]

    /// Creates a `CREATE INDEX` statement.
    public init(name: Identifier?, table: QualifiedName, columns: [Identifier]) {
        self.name = name
        self.table = table
        self.columns = columns
    }
}

/// A column of `CREATE TABLE`.
public struct ColumnDefinition: Sendable, Hashable {
    /// The column name.
    public var name: Identifier
    /// The declared type.
    public var type: TypeName
    /// Whether `NOT NULL` was given.
    public var isNotNull: Bool
    /// The constraints other than `NOT NULL` / `NULL` (`PRIMARY KEY`, `UNIQUE`, `DEFAULT`, `CHECK`), in order.
    public var constraints: [ColumnConstraint]

    /// Creates a column definition.
    public init(name: Identifier, type: TypeName, isNotNull: Bool = false, constraints: [ColumnConstraint] = []) {
        self.name = name
        self.type = type
        self.isNotNull = isNotNull
        self.constraints = constraints
    }
}

/// A constraint written after a column's type: `[CONSTRAINT name] PRIMARY KEY | UNIQUE | DEFAULT expr | CHECK (expr)`.
public struct ColumnConstraint: Sendable, Hashable {
    /// The kinds of column constraint.
    public enum Kind: Sendable, Hashable {
        /// `PRIMARY KEY`: the column is the table's key (unique and NOT NULL).
        case primaryKey
        /// `UNIQUE`: no two rows have the same non-NULL value.
        case unique
        /// `DEFAULT expression`, with the expression's source text.
        case defaultValue(Expression, text: String)
        /// `CHECK (condition)`, with the condition's source text.
        case check(Expression, text: String)
    }

    /// The name given with `CONSTRAINT name`, if any.
    public var name: Identifier?
    /// What the constraint requires.
    public var kind: Kind
    /// Where the constraint starts (at `CONSTRAINT` when named).
    public var location: SourceLocation

    /// Creates a column constraint.
    public init(name: Identifier? = nil, kind: Kind, location: SourceLocation) {
        self.name = name
        self.kind = kind
        self.location = location
    }
}

/// A constraint of `CREATE TABLE` listed among the columns: `[CONSTRAINT name] PRIMARY KEY (columns) |
/// UNIQUE (columns) | CHECK (condition)`.
public struct TableConstraint: Sendable, Hashable {
    /// The kinds of table constraint.
    public enum Kind: Sendable, Hashable {
        /// `PRIMARY KEY (a, b)`.
        case primaryKey([Identifier])
        /// `UNIQUE (a, b)`.
        case unique([Identifier])
        /// `CHECK (condition)`, with the condition's source text.
        case check(Expression, text: String)
    }

    /// The name given with `CONSTRAINT name`, if any.
    public var name: Identifier?
    /// What the constraint requires.
    public var kind: Kind
    /// Where the constraint starts (at `CONSTRAINT` when named).
    public var location: SourceLocation

    /// Creates a table constraint.
    public init(name: Identifier? = nil, kind: Kind, location: SourceLocation) {
        self.name = name
        self.kind = kind
        self.location = location
    }
}

/// `CREATE TABLE [IF NOT EXISTS] name (column type [constraints], ..., [table constraints])`.
public struct CreateTable: Sendable, Hashable {
    /// The table name.
    public var name: QualifiedName
    /// Whether `IF NOT EXISTS` was given.
    public var ifNotExists: Bool
    /// The column definitions, in order.
    public var columns: [ColumnDefinition]
    /// The table constraints, in order.
    public var constraints: [TableConstraint]

    /// Creates a `CREATE TABLE` statement.
    public init(name: QualifiedName, ifNotExists: Bool = false, columns: [ColumnDefinition],
                constraints: [TableConstraint] = []) {
        self.name = name
        self.ifNotExists = ifNotExists
        self.columns = columns
        self.constraints = constraints
    }
}

/// `CREATE TABLE [IF NOT EXISTS] name AS query`.
public struct CreateTableAs: Sendable, Hashable {
    /// The table name.
    public var name: QualifiedName
    /// Whether `IF NOT EXISTS` was given.
    public var ifNotExists: Bool
    /// The query whose result fills the table.
    public var query: Query

    /// Creates a `CREATE TABLE ... AS` statement.
    public init(name: QualifiedName, ifNotExists: Bool = false, query: Query) {
        self.name = name
        self.ifNotExists = ifNotExists
        self.query = query
    }
}

/// `DROP TABLE|VIEW [IF EXISTS] name`.
public struct DropObject: Sendable, Hashable {
    /// The object name.
    public var name: QualifiedName
    /// Whether `IF EXISTS` was given.
    public var ifExists: Bool

    /// Creates a `DROP` statement.
    public init(name: QualifiedName, ifExists: Bool = false) {
        self.name = name
        self.ifExists = ifExists
    }
}

/// `CREATE [OR REPLACE] VIEW name [(columns)] AS query`.
public struct CreateView: Sendable, Hashable {
    /// The view name.
    public var name: QualifiedName
    /// Whether `OR REPLACE` was given.
    public var orReplace: Bool
    /// Explicit column names, empty when not given.
    public var columns: [Identifier]
    /// The defining query.
    public var query: Query

    /// Creates a `CREATE VIEW` statement.
    public init(name: QualifiedName, orReplace: Bool = false, columns: [Identifier] = [], query: Query) {
        self.name = name
        self.orReplace = orReplace
        self.columns = columns
        self.query = query
    }
}

/// `INSERT INTO table [(columns)] query` or `INSERT INTO table DEFAULT VALUES`.
public struct Insert: Sendable, Hashable {
    /// The target table.
    public var table: QualifiedName
    /// The target columns, or nil when not given (all columns in order).
    public var columns: [Identifier]?
    /// The rows to insert (`VALUES ...` is a query too); nil for `DEFAULT VALUES` (one row of defaults).
    public var source: Query?
    /// Where `DEFAULT VALUES` or the source query starts.
    public var sourceLocation: SourceLocation

    /// Creates an `INSERT` statement.
    public init(table: QualifiedName, columns: [Identifier]? = nil, source: Query) {
        self.table = table
        self.columns = columns
        self.source = source
        sourceLocation = source.location
    }

    /// Creates `INSERT INTO table DEFAULT VALUES`.
    public init(defaultValuesInto table: QualifiedName, location: SourceLocation) {
        self.table = table
        columns = nil
        source = nil
        sourceLocation = location
    }
}

/// Whether `COPY` reads from or writes to a file.
public enum CopyDirection: Sendable, Hashable {
    /// `COPY table FROM 'file'`: load a file into a table.
    case from
    /// `COPY table|(query) TO 'file'`: write a file.
    case to
}

/// The table side of `COPY`.
public enum CopySource: Sendable, Hashable {
    /// A table with an optional column list (empty = all columns).
    case table(QualifiedName, columns: [Identifier])
    /// A parenthesized query (only with `TO`).
    case query(Query)
}

/// One option of `COPY`, e.g. `DELIMITER ','`.
public struct CopyOption: Sendable, Hashable {
    /// The lowercased option name, e.g. "header", "delimiter", "quote",
    /// "escape", "null", "format".
    public var name: String
    /// The value, or nil when the option was given without one (`HEADER`).
    /// Bare words such as `CSV` are given as `.string("csv")`.
    public var value: Literal?
    /// Where the option name starts.
    public var location: SourceLocation

    /// Creates a `COPY` option.
    public init(name: String, value: Literal?, location: SourceLocation) {
        self.name = name
        self.value = value
        self.location = location
    }
}

/// `COPY source FROM|TO 'path' [options]`.
public struct Copy: Sendable, Hashable {
    /// The table (or query) side.
    public var source: CopySource
    /// The direction of the copy.
    public var direction: CopyDirection
    /// The file path.
    public var path: String
    /// The options, in the order written.
    public var options: [CopyOption]

    /// Creates a `COPY` statement.
    public init(source: CopySource, direction: CopyDirection, path: String, options: [CopyOption] = []) {
        self.source = source
        self.direction = direction
        self.path = path
        self.options = options
    }
}

/// `EXPLAIN [ANALYZE] statement`.
public struct Explain: Sendable, Hashable {
    /// The explained statement.
    public var statement: Statement
    /// Whether `ANALYZE` was given (run and report actual numbers).
    public var isAnalyze: Bool

    /// Creates an `EXPLAIN` statement.
    public init(statement: Statement, isAnalyze: Bool = false) {
        self.statement = statement
        self.isAnalyze = isAnalyze
    }
}

/// `ANALYZE [table]`.
public struct Analyze: Sendable, Hashable {
    /// The table to analyze, or nil for all tables.
    public var table: QualifiedName?

    /// Creates an `ANALYZE` statement.
    public init(table: QualifiedName? = nil) {
        self.table = table
    }
}

/// `SET name = value[, ...]` or `SET name TO value`.
public struct SetStatement: Sendable, Hashable {
    /// The setting name.
    public var name: Identifier
    /// The values; empty means `DEFAULT`. Bare words (`SET x = on`) are
    /// given as string literals.
    public var value: [Expression]

    /// Creates a `SET` statement.
    public init(name: Identifier, value: [Expression]) {
        self.name = name
        self.value = value
    }
}

/// `DESCRIBE name`.
public struct Describe: Sendable, Hashable {
    /// The described table or view.
    public var name: QualifiedName

    /// Creates a `DESCRIBE` statement.
    public init(name: QualifiedName) {
        self.name = name
    }
}
