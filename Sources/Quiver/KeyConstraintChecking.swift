import Catalog
import Columnar

// Enforcement of PRIMARY KEY and UNIQUE constraints. A statement that adds or changes rows checks, before it
// commits, that the table it would leave has no two rows with equal non-NULL keys: the new (or rewritten) rows go
// into a hash set of their keys (which finds duplicates among them), then the table's other rows are probed
// against that set. The cost is O(new rows + other rows) per statement, and segments whose min/max rule out every
// new key (single integer keys) are not even read. The catalog's conditional append / replace makes the checked
// state the committed one.

enum KeyConstraintChecking {
    /// Checks every key constraint of `definition` over a table made of `newBatches` (rows with the table's
    /// columns) and `otherSegments`.
    ///
    /// - Throws: `QuiverError` `duplicate key value violates unique constraint "name"` with the key in its detail.
    static func check(_ definition: TableDefinition, newBatches: [RecordBatch],
                      otherSegments: [any TableSegment]) throws {
        let newRowCount = newBatches.reduce(0) { $0 + $1.rowCount }
        guard newRowCount > 0 else { return }
        for key in definition.keyConstraints {
            try check(key, of: definition, newBatches: newBatches, newRowCount: newRowCount, otherSegments: otherSegments)
        }
    }

    private static func check(_ key: KeyConstraint, of definition: TableDefinition, newBatches: [RecordBatch],
                              newRowCount: Int, otherSegments: [any TableSegment]) throws {
        let types = key.columnIndices.map { definition.columns[$0].dataType }
        let keys = makeKeySet(types: types, expectedCount: newRowCount)
        for batch in newBatches where batch.rowCount > 0 {
            let columns = try keyColumns(of: batch, key)
            if let row = keys.insert(columns, rowCount: batch.rowCount) {
                throw violation(key, definition, columns, row)
            }
        }
        guard keys.count > 0 else { return }
        for segment in otherSegments where segment.rowCount > 0 {
            if let integerKeys = keys as? IntegerKeySet, isDisjoint(segment, integerKeys, column: key.columnIndices[0]) {
                continue
            }
            for batch in try segment.readBatches(columnIndices: key.columnIndices) where batch.rowCount > 0 {
                if let row = keys.firstContained(batch.columns, rowCount: batch.rowCount) {
                    throw violation(key, definition, batch.columns, row)
                }
            }
        }
    }

    private static func keyColumns(of batch: RecordBatch, _ key: KeyConstraint) throws -> [Column] {
        try key.columnIndices.map { index in
            guard index < batch.columns.count else {
                throw QuiverError(message: "internal error: key column \(index) is missing from the new rows")
            }
            return batch.columns[index]
        }
    }

    /// Whether the segment's min/max of the key column show that it holds none of the set's keys.
    private static func isDisjoint(_ segment: any TableSegment, _ keys: IntegerKeySet, column: Int) -> Bool {
        guard column < segment.columnStatistics.count, let statistics = segment.columnStatistics[column],
              let minimum = statistics.minimum.flatMap(integerValue), let maximum = statistics.maximum.flatMap(integerValue)
        else { return false }
        return maximum < keys.minimum || minimum > keys.maximum
    }

    private static func integerValue(_ value: Value) -> Int64? {
        switch value {
        case .int8(let v): return Int64(v)
        case .int16(let v): return Int64(v)
        case .int32(let v): return Int64(v)
        case .int64(let v): return v
        case .date(let v): return Int64(v)
        default: return nil
        }
    }

    /// PostgreSQL's error: `duplicate key value violates unique constraint "t_pkey"`, detail
    /// `Key (a, b)=(1, x) already exists.`
    static func violation(_ key: KeyConstraint, _ definition: TableDefinition, _ columns: [Column], _ row: Int) -> QuiverError {
        let names = key.columnIndices.map { $0 < definition.columns.count ? definition.columns[$0].name : "?" }
        let values = columns.map { $0.scalar(at: row).description }
        return QuiverError(
            message: "duplicate key value violates unique constraint \"\(key.name)\"",
            detail: "Key (\(names.joined(separator: ", ")))=(\(values.joined(separator: ", "))) already exists.")
    }
}

extension Connection {
    /// Appends rows that conform to the table, after checking its key constraints against the rows it holds:
    /// a violation leaves the table unchanged. Without keys, a plain append.
    func appendCheckingKeys(_ identifier: TableIdentifier, _ batches: [RecordBatch]) throws {
        let catalog = database.catalog
        guard let definition = try catalog.table(identifier) else { throw CatalogError.tableNotFound(identifier) }
        guard !definition.keyConstraints.isEmpty else {
            try catalog.append(to: identifier, batches: batches)
            return
        }
        guard batches.contains(where: { $0.rowCount > 0 }) else { return }
        var attempts = 0
        while true {
            attempts += 1
            // The segments of one version: read the version before and after them.
            guard let before = try catalog.table(identifier) else { throw CatalogError.tableNotFound(identifier) }
            guard before.columns == definition.columns, before.keyConstraints == definition.keyConstraints else {
                throw QuiverError(message: "table \"\(identifier)\" changed while the statement ran; run it again")
            }
            let segments = try catalog.segments(of: identifier)
            guard try catalog.table(identifier)?.version == before.version else {
                if attempts < 10 { continue }
                throw CatalogError.changedMeanwhile(identifier)
            }
            try KeyConstraintChecking.check(before, newBatches: batches, otherSegments: segments)
            do {
                try catalog.append(to: identifier, batches: batches, expectedVersion: before.version)
                return
            } catch let error as CatalogError where error == CatalogError.changedMeanwhile(identifier) && attempts < 10 {
                continue
            }
        }
    }
}
