import Catalog
import Columnar
import Execution

// Enforcement of PRIMARY KEY and UNIQUE constraints. A statement that adds or changes rows checks, before it
// commits, that the table it would leave has no two rows with equal non-NULL keys: the new (or rewritten) rows go
// into Execution's `UniqueKeySet` (GROUP BY's key tables; it finds duplicates among them), then the table's other
// rows are probed against that set. The cost is O(new rows + other rows) per statement, and segments whose min/max rule out every
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
        let keys = UniqueKeySet(types: types, expectedCount: newRowCount)
        var newKeyColumns: [[Column]] = []
        for batch in newBatches where batch.rowCount > 0 {
            let columns = try keyColumns(of: batch, key)
            if let row = try keys.insert(columns, rowCount: batch.rowCount) {
                throw violation(key, definition, columns, row)
            }
            newKeyColumns.append(columns)
        }
        guard keys.count > 0 else { return }
        // A single integer key: segments whose min/max lie outside the new keys' range hold none of them.
        let newRange = key.columnIndices.count == 1 ? integerRange(SegmentStatistics.compute(newKeyColumns.map { $0[0] })) : nil
        for segment in otherSegments where segment.rowCount > 0 {
            let column = key.columnIndices[0]
            if let newRange, column < segment.columnStatistics.count,
               let existing = integerRange(segment.columnStatistics[column]),
               existing.maximum < newRange.minimum || existing.minimum > newRange.maximum {
                continue
            }
            for batch in try segment.readBatches(columnIndices: key.columnIndices) where batch.rowCount > 0 {
                if let row = try keys.firstContained(batch.columns, rowCount: batch.rowCount) {
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

    /// The minimum and maximum of an integer or date column's statistics, when both are known.
    private static func integerRange(_ statistics: ColumnStatistics?) -> (minimum: Int64, maximum: Int64)? {
        guard let minimum = statistics?.minimum.flatMap(integerValue),
              let maximum = statistics?.maximum.flatMap(integerValue) else { return nil }
        return (minimum, maximum)
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
    /// Appends rows that conform to `definition` (the table as the statement read it), after checking its key
    /// constraints against the rows the table holds: a violation leaves the table unchanged. Without keys, a
    /// plain append.
    func appendCheckingKeys(_ definition: TableDefinition, _ batches: [RecordBatch]) throws {
        let catalog = database.catalog
        let identifier = definition.identifier
        guard !definition.keyConstraints.isEmpty else {
            try catalog.append(to: identifier, batches: batches)
            return
        }
        guard batches.contains(where: { $0.rowCount > 0 }) else { return }
        // `current.version` was read before the segments: the conditional append fails if anything changed since.
        var current = definition
        var attempts = 0
        while true {
            attempts += 1
            let segments = try catalog.segments(of: identifier)
            try KeyConstraintChecking.check(current, newBatches: batches, otherSegments: segments)
            do {
                try catalog.append(to: identifier, batches: batches, expectedVersion: current.version)
                return
            } catch let error as CatalogError where error == CatalogError.changedMeanwhile(identifier) && attempts < 10 {
                guard let reread = try catalog.table(identifier) else { throw CatalogError.tableNotFound(identifier) }
                guard reread.columns == definition.columns, reread.keyConstraints == definition.keyConstraints else {
                    throw QuiverError(message: "table \"\(identifier)\" changed while the statement ran; run it again")
                }
                current = reread
            }
        }
    }
}
