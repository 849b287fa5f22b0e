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
    /// The SQL text of the column's `DEFAULT` expression, bound again by every INSERT that omits the column;
    /// nil when there is none (the column then defaults to NULL).
    public var defaultExpression: String?

    public init(name: String, dataType: DataType, isNullable: Bool = true, defaultExpression: String? = nil) {
        self.name = name
        self.dataType = dataType
        self.isNullable = isNullable
        self.defaultExpression = defaultExpression
    }
}

/// A `PRIMARY KEY` or `UNIQUE` constraint: no two rows of the table have equal values in all the key columns.
/// Rows with a NULL in a key column never conflict (NULLs are distinct, as in PostgreSQL); a primary key's
/// columns are NOT NULL.
public struct KeyConstraint: Hashable, Sendable {
    /// Which kind of key.
    public enum Kind: String, Hashable, Sendable {
        case primaryKey
        case unique
    }

    /// The constraint's name, e.g. `t_pkey` or `t_a_key` (PostgreSQL's naming) unless the user named it.
    public var name: String
    public var kind: Kind
    /// The positions of the key columns in the table's column list, in key order.
    public var columnIndices: [Int]

    public init(name: String, kind: Kind, columnIndices: [Int]) {
        self.name = name
        self.kind = kind
        self.columnIndices = columnIndices
    }
}

/// A stored table's definition. `version` grows with every change to its definition or data, so caches
/// (and later statistics) can tell whether they are current.
public struct TableDefinition: Hashable, Sendable {
    public var identifier: TableIdentifier
    public var columns: [ColumnDefinition]
    public var version: Int
    /// The primary key (at most one) and unique constraints, in the order declared.
    public var keyConstraints: [KeyConstraint]

    public init(identifier: TableIdentifier, columns: [ColumnDefinition], version: Int = 1,
                keyConstraints: [KeyConstraint] = []) {
        self.identifier = identifier
        self.columns = columns
        self.version = version
        self.keyConstraints = keyConstraints
    }

    /// The table's Arrow schema.
    public var schema: Schema {
        Schema(columns.map { Field($0.name, $0.dataType, isNullable: $0.isNullable) })
    }

    /// The primary key, if the table has one.
    public var primaryKey: KeyConstraint? {
        keyConstraints.first { $0.kind == .primaryKey }
    }

    /// Whether the table has constraints or defaults that catalogs written before they existed cannot keep.
    public var hasConstraintsOrDefaults: Bool {
        !keyConstraints.isEmpty || columns.contains { $0.defaultExpression != nil }
    }

    /// Checks that the key constraints are well formed: column positions in range and distinct within a key,
    /// distinct names, at most one primary key, and primary key columns NOT NULL.
    public func validateConstraints() throws {
        var names = Set<String>()
        var primaryKeys = 0
        for key in keyConstraints {
            guard names.insert(key.name).inserted else {
                throw CatalogError("constraint \"\(key.name)\" for relation \"\(identifier)\" already exists")
            }
            guard !key.columnIndices.isEmpty, Set(key.columnIndices).count == key.columnIndices.count,
                  key.columnIndices.allSatisfy({ $0 >= 0 && $0 < columns.count }) else {
                throw CatalogError("constraint \"\(key.name)\" of \"\(identifier)\" has invalid key columns \(key.columnIndices)")
            }
            if key.kind == .primaryKey {
                primaryKeys += 1
                if let nullable = key.columnIndices.first(where: { columns[$0].isNullable }) {
                    throw CatalogError("primary key column \"\(columns[nullable].name)\" of \"\(identifier)\" must be NOT NULL")
                }
            }
        }
        guard primaryKeys <= 1 else {
            throw CatalogError("multiple primary keys for table \"\(identifier)\" are not allowed")
        }
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
