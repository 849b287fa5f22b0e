import Columnar

/// What running one statement produced: rows for queries, a status line for everything else.
public struct QueryResult: Sendable {
    /// The result columns; empty for statements that return no rows.
    public var fields: [Field]
    public var batches: [RecordBatch]
    /// A status for statements without rows, such as `CREATE TABLE` or `INSERT 0 5`.
    public var status: String?

    public init(fields: [Field], batches: [RecordBatch], status: String? = nil) {
        self.fields = fields
        self.batches = batches
        self.status = status
    }

    /// A result with only a status line.
    public static func status(_ text: String) -> QueryResult {
        QueryResult(fields: [], batches: [], status: text)
    }

    /// Whether the statement returns rows (a query, EXPLAIN, SHOW, DESCRIBE).
    public var hasRows: Bool { !fields.isEmpty }

    /// The total number of rows.
    public var rowCount: Int { batches.reduce(0) { $0 + $1.rowCount } }

    /// Every row as scalars. For tests and small results.
    public var rows: [[Value]] { batches.flatMap(\.rows) }
}
