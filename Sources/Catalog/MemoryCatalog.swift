import Columnar
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A mutual-exclusion lock (a pthread mutex).
final class Lock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

/// A segment held in memory: batches of at most a few thousand rows.
public struct MemorySegment: TableSegment {
    public let rowCount: Int
    public let columnStatistics: [ColumnStatistics?]
    /// The segment's batches, with every column of the table.
    public let batches: [RecordBatch]

    init(batches: [RecordBatch], columnCount: Int) {
        self.batches = batches
        rowCount = batches.reduce(0) { $0 + $1.rowCount }
        columnStatistics = SegmentStatistics.compute(batches, columnCount: columnCount)
    }

    public func readBatches(columnIndices: [Int]) throws -> [RecordBatch] {
        try batches.map { try AppendPreparation.project($0, columnIndices) }
    }
}

/// A catalog kept in memory, for tests and for sessions without a data directory. Thread-safe; every
/// operation is atomic. Segments hold their batches in memory, with per-column min/max computed on append.
public final class MemoryCatalog: Catalog, @unchecked Sendable {
    private let lock = Lock()
    private var state = CatalogState<MemorySegment>()

    public init() {}

    public func listTables() throws -> [TableIdentifier] {
        lock.withLock { state.listTables() }
    }

    public func table(_ identifier: TableIdentifier) throws -> TableDefinition? {
        lock.withLock { state.tables[identifier]?.definition }
    }

    public func view(_ identifier: TableIdentifier) throws -> ViewDefinition? {
        lock.withLock { state.views[identifier] }
    }

    public func createTable(_ definition: TableDefinition) throws {
        try lock.withLock { try state.addTable(definition, segments: []) }
    }

    public func createTable(_ definition: TableDefinition, batches: [RecordBatch]) throws {
        try lock.withLock { try state.checkNewTable(definition) }
        let segments = try makeSegments(batches, definition)
        try lock.withLock { try state.addTable(definition, segments: segments) }
    }

    public func dropTable(_ identifier: TableIdentifier) throws {
        try lock.withLock { _ = try state.dropTable(identifier) }
    }

    public func createView(_ definition: ViewDefinition, replacing: Bool) throws {
        try lock.withLock { try state.createView(definition, replacing: replacing) }
    }

    public func dropView(_ identifier: TableIdentifier) throws {
        try lock.withLock { try state.dropView(identifier) }
    }

    public func segments(of identifier: TableIdentifier) throws -> [any TableSegment] {
        try lock.withLock { try state.entry(identifier).segments }
    }

    public func append(to identifier: TableIdentifier, batches: [RecordBatch]) throws {
        try append(to: identifier, batches: batches, expectedVersion: nil)
    }

    public func append(to identifier: TableIdentifier, batches: [RecordBatch], expectedVersion: Int) throws {
        try append(to: identifier, batches: batches, expectedVersion: Optional(expectedVersion))
    }

    private func append(to identifier: TableIdentifier, batches: [RecordBatch], expectedVersion: Int?) throws {
        let definition = try lock.withLock { try state.entry(identifier).definition }
        let segments = try makeSegments(batches, definition)
        try lock.withLock {
            // The table may have been dropped or replaced meanwhile: append only to the same definition.
            guard let current = state.tables[identifier], current.definition.columns == definition.columns,
                  current.definition.keyConstraints == definition.keyConstraints else {
                throw CatalogError.tableNotFound(identifier)
            }
            try state.append(segments, to: identifier, expectedVersion: expectedVersion)
        }
    }

    public func replaceSegments(of identifier: TableIdentifier, expectedVersion: Int,
                                replacements: [SegmentReplacement]) throws {
        let definition = try lock.withLock { () throws -> TableDefinition in
            try state.checkReplacements(of: identifier, expectedVersion: expectedVersion, indices: replacements.map(\.index))
            return try state.entry(identifier).definition
        }
        var segments: [Int: [MemorySegment]] = [:]
        for replacement in replacements {
            segments[replacement.index] = try makeSegments(replacement.batches, definition)
        }
        try lock.withLock { _ = try state.replaceSegments(of: identifier, expectedVersion: expectedVersion, replacements: segments) }
    }

    public func statistics(of identifier: TableIdentifier) throws -> TableStatistics? {
        lock.withLock { state.statistics[identifier] }
    }

    public func setStatistics(_ statistics: TableStatistics, of identifier: TableIdentifier) throws {
        try lock.withLock { try state.setStatistics(statistics, of: identifier) }
    }

    private func makeSegments(_ batches: [RecordBatch], _ definition: TableDefinition) throws -> [MemorySegment] {
        try AppendPreparation.segments(of: batches, for: definition).map {
            MemorySegment(batches: $0, columnCount: definition.columns.count)
        }
    }
}
