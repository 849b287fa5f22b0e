import Columnar

/// One immutable piece of a table's data. Scans read segments; a segment's row count and per-column
/// min/max let a scan skip segments that a filter rules out.
public protocol TableSegment: Sendable {
    /// The number of rows in the segment.
    var rowCount: Int { get }
    /// Per-column statistics (min/max, nulls), indexed like the table's columns; nil where unknown.
    var columnStatistics: [ColumnStatistics?] { get }
    /// Reads the segment's rows as batches holding only the columns at `columnIndices`, in that order.
    /// Batches hold at most `RecordBatch`-sized runs of rows (a few thousand).
    func readBatches(columnIndices: [Int]) throws -> [RecordBatch]
}

/// Where table metadata, statistics and data live. Everything above the catalog is the same code whether it
/// is backed by a local directory (`DirectoryCatalog`), by memory (`MemoryCatalog`, the test twin), or by
/// ZooKeeper. Implementations are safe to call from any thread; DDL is atomic.
public protocol Catalog: AnyObject, Sendable {
    /// The tables and views, sorted.
    func listTables() throws -> [TableIdentifier]
    /// The definition of a table, or nil when there is none.
    func table(_ identifier: TableIdentifier) throws -> TableDefinition?
    /// The definition of a view, or nil when there is none.
    func view(_ identifier: TableIdentifier) throws -> ViewDefinition?

    /// Creates an empty table. Throws when a table or view of that name exists.
    func createTable(_ definition: TableDefinition) throws
    /// Creates a table holding `batches`, all at once: readers see no table or the full one.
    func createTable(_ definition: TableDefinition, batches: [RecordBatch]) throws
    /// Drops a table and its data. Throws when there is none.
    func dropTable(_ identifier: TableIdentifier) throws
    /// Creates or (with `replacing`) replaces a view.
    func createView(_ definition: ViewDefinition, replacing: Bool) throws
    /// Drops a view. Throws when there is none.
    func dropView(_ identifier: TableIdentifier) throws

    /// The table's data segments, as of now.
    func segments(of identifier: TableIdentifier) throws -> [any TableSegment]
    /// Appends rows to a table as new segments, atomically: readers see all of them or none, and a failure
    /// leaves the table as it was. The batches must have the table's schema.
    func append(to identifier: TableIdentifier, batches: [RecordBatch]) throws
    /// Appends rows like `append(to:batches:)`, but only while the table is at `expectedVersion` (the version
    /// the caller checked its constraints against): when it has changed, nothing happens and it throws. On
    /// success the table's version is `expectedVersion + 1` (unless `batches` hold no rows).
    func append(to identifier: TableIdentifier, batches: [RecordBatch], expectedVersion: Int) throws

    /// Replaces some of a table's segments in one atomic step: each replacement's segment (by its position in
    /// the list `segments(of:)` returns) gives way to new segments holding the replacement's batches, in its
    /// place; a replacement without rows deletes the segment. Readers see the table before or after, never
    /// between, and a failure leaves it as it was. `expectedVersion` is the table version the caller read
    /// before listing the segments: when the table has changed since, nothing happens and it throws. The
    /// batches must have the table's schema (NOT NULL is checked). UPDATE and DELETE rewrite tables with it.
    func replaceSegments(of identifier: TableIdentifier, expectedVersion: Int,
                         replacements: [SegmentReplacement]) throws

    /// The statistics last stored for a table, if any.
    func statistics(of identifier: TableIdentifier) throws -> TableStatistics?
    /// Stores statistics for a table (ANALYZE).
    func setStatistics(_ statistics: TableStatistics, of identifier: TableIdentifier) throws
}

/// New contents for one segment of a table (see `Catalog.replaceSegments`).
public struct SegmentReplacement: Sendable {
    /// The segment's position in the list `segments(of:)` returns.
    public var index: Int
    /// The rows that take the segment's place; none to delete it.
    public var batches: [RecordBatch]

    /// Replaces segment `index` with `batches`.
    public init(index: Int, batches: [RecordBatch]) {
        self.index = index
        self.batches = batches
    }
}

extension Catalog {
    /// Catalogs without a conditional append check the version first and then append: correct for one writer
    /// at a time. Catalogs shared by concurrent writers implement it atomically.
    public func append(to identifier: TableIdentifier, batches: [RecordBatch], expectedVersion: Int) throws {
        guard let definition = try table(identifier) else { throw CatalogError.tableNotFound(identifier) }
        guard definition.version == expectedVersion else { throw CatalogError.changedMeanwhile(identifier) }
        try append(to: identifier, batches: batches)
    }

    /// Catalogs that cannot rewrite data (read-only ones, test doubles) refuse.
    public func replaceSegments(of identifier: TableIdentifier, expectedVersion: Int,
                                replacements: [SegmentReplacement]) throws {
        throw CatalogError("this catalog cannot rewrite the data of \"\(identifier)\"")
    }
}
