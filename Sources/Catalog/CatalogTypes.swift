import Columnar

/// The name of a table or view: a schema (default `main`) and a name, both case-folded by the binder.
public struct TableIdentifier: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    public var schema: String
    public var name: String

    public init(schema: String = "main", name: String) {
        self.schema = schema
        self.name = name
    }

    public var description: String { schema == "main" ? name : "\(schema).\(name)" }

    public static func < (left: TableIdentifier, right: TableIdentifier) -> Bool {
        (left.schema, left.name) < (right.schema, right.name)
    }
}

/// A column of a stored table.
public struct ColumnDefinition: Hashable, Sendable {
    public var name: String
    public var dataType: DataType
    public var isNullable: Bool

    public init(name: String, dataType: DataType, isNullable: Bool = true) {
        self.name = name
        self.dataType = dataType
        self.isNullable = isNullable
    }
}

/// A stored table's definition. `version` grows with every change to its definition or data, so caches
/// (and later statistics) can tell whether they are current.
public struct TableDefinition: Hashable, Sendable {
    public var identifier: TableIdentifier
    public var columns: [ColumnDefinition]
    public var version: Int

    public init(identifier: TableIdentifier, columns: [ColumnDefinition], version: Int = 1) {
        self.identifier = identifier
        self.columns = columns
        self.version = version
    }

    /// The table's Arrow schema.
    public var schema: Schema {
        Schema(columns.map { Field($0.name, $0.dataType, isNullable: $0.isNullable) })
    }
}

/// A view: its SQL text, re-bound on every use, and optional column names.
public struct ViewDefinition: Hashable, Sendable {
    public var identifier: TableIdentifier
    public var sql: String
    public var columnNames: [String]

    public init(identifier: TableIdentifier, sql: String, columnNames: [String] = []) {
        self.identifier = identifier
        self.sql = sql
        self.columnNames = columnNames
    }
}

/// Statistics of one column, as ANALYZE computes them (and as segments keep min/max).
public struct ColumnStatistics: Hashable, Sendable {
    public var nullCount: Int
    /// Estimated number of distinct non-null values, nil when unknown.
    public var distinctCount: Double?
    public var minimum: Value?
    public var maximum: Value?

    public init(nullCount: Int = 0, distinctCount: Double? = nil, minimum: Value? = nil, maximum: Value? = nil) {
        self.nullCount = nullCount
        self.distinctCount = distinctCount
        self.minimum = minimum
        self.maximum = maximum
    }
}

/// Statistics of a table, for the optimizer's estimates. `dataVersion` is the table version they describe.
public struct TableStatistics: Hashable, Sendable {
    public var rowCount: Int
    /// One entry per column, by column name.
    public var columns: [String: ColumnStatistics]
    public var dataVersion: Int

    public init(rowCount: Int, columns: [String: ColumnStatistics] = [:], dataVersion: Int) {
        self.rowCount = rowCount
        self.columns = columns
        self.dataVersion = dataVersion
    }
}

/// An error from a catalog: a missing or duplicate object, or a storage failure.
public struct CatalogError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    public static func tableNotFound(_ identifier: TableIdentifier) -> CatalogError {
        CatalogError("table \"\(identifier)\" does not exist")
    }
    public static func alreadyExists(_ identifier: TableIdentifier) -> CatalogError {
        CatalogError("table or view \"\(identifier)\" already exists")
    }
}
