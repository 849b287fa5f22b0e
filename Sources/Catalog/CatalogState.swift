import Columnar

extension CatalogError {
    /// A view that does not exist.
    public static func viewNotFound(_ identifier: TableIdentifier) -> CatalogError {
        CatalogError("view \"\(identifier)\" does not exist")
    }

    /// A table changed by another statement between reading it and changing it.
    public static func changedMeanwhile(_ identifier: TableIdentifier) -> CatalogError {
        CatalogError("table \"\(identifier)\" was changed by another statement meanwhile; run the statement again")
    }
}

/// One table in a catalog's state: its definition and its segments.
struct TableEntry<Segment> {
    var definition: TableDefinition
    var segments: [Segment]
}

/// The contents of a catalog and the DDL rules both catalogs share. A value type: catalogs copy it,
/// change the copy, and publish it only when the change is complete.
struct CatalogState<Segment> {
    var tables: [TableIdentifier: TableEntry<Segment>] = [:]
    var views: [TableIdentifier: ViewDefinition] = [:]
    var statistics: [TableIdentifier: TableStatistics] = [:]

    func listTables() -> [TableIdentifier] {
        (Array(tables.keys) + Array(views.keys)).sorted()
    }

    func entry(_ identifier: TableIdentifier) throws -> TableEntry<Segment> {
        guard let entry = tables[identifier] else { throw CatalogError.tableNotFound(identifier) }
        return entry
    }

    /// Checks that a new table may be created.
    func checkNewTable(_ definition: TableDefinition) throws {
        let identifier = definition.identifier
        if tables[identifier] != nil || views[identifier] != nil { throw CatalogError.alreadyExists(identifier) }
        var names = Set<String>()
        for column in definition.columns where !names.insert(column.name).inserted {
            throw CatalogError("column \"\(column.name)\" specified more than once in table \"\(identifier)\"")
        }
        try definition.validateConstraints()
    }

    mutating func addTable(_ definition: TableDefinition, segments: [Segment]) throws {
        try checkNewTable(definition)
        tables[definition.identifier] = TableEntry(definition: definition, segments: segments)
    }

    /// Removes a table; returns its segments (for deleting their storage).
    mutating func dropTable(_ identifier: TableIdentifier) throws -> [Segment] {
        guard let entry = tables.removeValue(forKey: identifier) else { throw CatalogError.tableNotFound(identifier) }
        statistics[identifier] = nil
        return entry.segments
    }

    mutating func createView(_ definition: ViewDefinition, replacing: Bool) throws {
        let identifier = definition.identifier
        if tables[identifier] != nil { throw CatalogError.alreadyExists(identifier) }
        if views[identifier] != nil && !replacing { throw CatalogError.alreadyExists(identifier) }
        views[identifier] = definition
    }

    mutating func dropView(_ identifier: TableIdentifier) throws {
        guard views.removeValue(forKey: identifier) != nil else { throw CatalogError.viewNotFound(identifier) }
    }

    /// Adds segments to a table and bumps its version. With an `expectedVersion`, throws (changing nothing) when
    /// the table is at another version.
    mutating func append(_ segments: [Segment], to identifier: TableIdentifier, expectedVersion: Int? = nil) throws {
        guard var entry = tables[identifier] else { throw CatalogError.tableNotFound(identifier) }
        if let expectedVersion, entry.definition.version != expectedVersion {
            throw CatalogError.changedMeanwhile(identifier)
        }
        guard !segments.isEmpty else { return }
        entry.segments += segments
        entry.definition.version += 1
        tables[identifier] = entry
    }

    /// Checks that the table exists, is at `expectedVersion`, and that every replacement index names one of its
    /// segments, once.
    func checkReplacements(of identifier: TableIdentifier, expectedVersion: Int, indices: [Int]) throws {
        let entry = try entry(identifier)
        guard entry.definition.version == expectedVersion else {
            throw CatalogError.changedMeanwhile(identifier)
        }
        var seen = Set<Int>()
        for index in indices {
            guard index >= 0, index < entry.segments.count, seen.insert(index).inserted else {
                throw CatalogError("cannot replace segment \(index) of \"\(identifier)\": it has \(entry.segments.count) segments")
            }
        }
    }

    /// Puts `replacements[i]` in the place of segment `i` for each key, bumps the version when anything changed,
    /// and returns the segments taken out (for deleting their storage).
    mutating func replaceSegments(of identifier: TableIdentifier, expectedVersion: Int,
                                  replacements: [Int: [Segment]]) throws -> [Segment] {
        try checkReplacements(of: identifier, expectedVersion: expectedVersion, indices: Array(replacements.keys))
        guard var entry = tables[identifier], !replacements.isEmpty else { return [] }
        var kept: [Segment] = []
        var removed: [Segment] = []
        for (index, segment) in entry.segments.enumerated() {
            if let replacement = replacements[index] {
                removed.append(segment)
                kept += replacement
            } else {
                kept.append(segment)
            }
        }
        entry.segments = kept
        entry.definition.version += 1
        tables[identifier] = entry
        return removed
    }

    mutating func setStatistics(_ value: TableStatistics, of identifier: TableIdentifier) throws {
        guard tables[identifier] != nil else { throw CatalogError.tableNotFound(identifier) }
        statistics[identifier] = value
    }
}

/// Checks appended data against a table and cuts it into segments of whole batches.
enum AppendPreparation {
    /// The most rows a segment holds; larger appends become several segments so scans can skip some.
    static let segmentRowLimit = 1 << 20
    /// The most rows a stored batch holds.
    static let batchRowLimit = CSVReader.batchRowCount

    /// Validates `batches` against `definition` and groups them into segments: each segment a list of batches
    /// (re-labelled with the table's schema) of at most `batchRowLimit` rows, at most `segmentRowLimit` rows
    /// in all. Empty batches are dropped.
    static func segments(of batches: [RecordBatch], for definition: TableDefinition) throws -> [[RecordBatch]] {
        let schema = definition.schema
        var chunks: [RecordBatch] = []
        for batch in batches {
            try validate(batch, definition)
            if batch.rowCount == 0 { continue }
            var start = 0
            while start < batch.rowCount {
                let length = Swift.min(batchRowLimit, batch.rowCount - start)
                let columns = start == 0 && length == batch.rowCount
                    ? batch.columns
                    : batch.columns.map { $0.slice(from: start, length: length) }
                chunks.append(RecordBatch(schema: schema, columns: columns, rowCount: length))
                start += length
            }
        }
        var segments: [[RecordBatch]] = []
        var current: [RecordBatch] = []
        var currentRows = 0
        for chunk in chunks {
            if currentRows + chunk.rowCount > segmentRowLimit && !current.isEmpty {
                segments.append(current)
                current = []
                currentRows = 0
            }
            current.append(chunk)
            currentRows += chunk.rowCount
        }
        if !current.isEmpty { segments.append(current) }
        return segments
    }

    private static func validate(_ batch: RecordBatch, _ definition: TableDefinition) throws {
        let identifier = definition.identifier
        guard batch.columns.count == definition.columns.count else {
            throw CatalogError("cannot append to \"\(identifier)\": it has \(definition.columns.count) columns, the data \(batch.columns.count)")
        }
        for (index, column) in batch.columns.enumerated() {
            let target = definition.columns[index]
            guard column.dataType == target.dataType else {
                throw CatalogError("cannot append to \"\(identifier)\": column \"\(target.name)\" is \(target.dataType), the data is \(column.dataType)")
            }
            guard column.count == batch.rowCount else {
                throw CatalogError("cannot append to \"\(identifier)\": column \"\(target.name)\" has \(column.count) rows, the batch \(batch.rowCount)")
            }
            let nulls = column.dataType == .null ? column.count : column.nullCount
            if !target.isNullable && nulls > 0 {
                throw CatalogError("null value in column \"\(target.name)\" violates not-null constraint")
            }
        }
    }

    /// Picks `columnIndices` out of a batch.
    static func project(_ batch: RecordBatch, _ columnIndices: [Int]) throws -> RecordBatch {
        var fields: [Field] = []
        var columns: [Column] = []
        for index in columnIndices {
            guard index >= 0, index < batch.columns.count else {
                throw CatalogError("column index \(index) is out of range (the table has \(batch.columns.count) columns)")
            }
            fields.append(batch.schema.fields[index])
            columns.append(batch.columns[index])
        }
        return RecordBatch(schema: Schema(fields), columns: columns, rowCount: batch.rowCount)
    }
}
