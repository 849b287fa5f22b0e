/// A named, typed column slot in a schema.
public struct Field: Sendable, Hashable {
    public var name: String
    public var dataType: DataType
    public var isNullable: Bool

    public init(_ name: String, _ dataType: DataType, isNullable: Bool = true) {
        self.name = name
        self.dataType = dataType
        self.isNullable = isNullable
    }
}

/// The ordered fields of a record batch or table.
public struct Schema: Sendable, Hashable {
    public var fields: [Field]

    public init(_ fields: [Field]) { self.fields = fields }

    /// The index of the first field named `name`, compared exactly.
    public func index(of name: String) -> Int? { fields.firstIndex { $0.name == name } }
}

/// A batch of rows held column by column, all columns of equal length.
public struct RecordBatch: Sendable {
    public var schema: Schema
    public var columns: [Column]
    public var rowCount: Int

    public init(schema: Schema, columns: [Column], rowCount: Int) {
        precondition(columns.count == schema.fields.count, "a batch needs one column per field")
        self.schema = schema
        self.columns = columns
        self.rowCount = rowCount
    }

    /// The rows of the batch as scalars. For printing and tests.
    public var rows: [[Value]] {
        (0..<rowCount).map { row in columns.map { $0.scalar(at: row) } }
    }
}
