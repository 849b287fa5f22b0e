import Binder
import Catalog
import Columnar
import Execution
import LogicalPlan
import Optimizer

extension Connection {
    // MARK: - UPDATE and DELETE

    /// Runs an UPDATE or DELETE segment by segment: counts the rows the condition selects in each segment (a
    /// scan that skips segments whose min/max rule the condition out), rewrites only the segments with such
    /// rows, and swaps them in with one atomic `replaceSegments`. Readers see the table before or after.
    func modify(_ modification: BoundTableModification) throws -> QueryResult {
        let catalog = database.catalog
        let identifier = modification.table.identifier
        guard let table = try catalog.table(identifier) else { throw CatalogError.tableNotFound(identifier) }
        guard table.columns == modification.table.columns else {
            throw QuiverError(message: "table \"\(identifier)\" changed while the statement was prepared; run it again")
        }
        // Read the version before the segments: `replaceSegments` fails if anything changed after this point.
        let version = table.version
        let segments = try catalog.segments(of: identifier)
        let matchCount = try modification.matchCount.map { try targetingOneSegment($0, modification, segments: segments) }
        let rewrite = try modification.rewrite.map { try targetingOneSegment($0, modification, segments: segments) }
        var replacements: [SegmentReplacement] = []
        var affected = 0
        for (index, segment) in segments.enumerated() {
            let view = ModificationCatalog(base: catalog, segments: [segment])
            let matches = try matchCount.map { try countRows($0, catalog: view) } ?? segment.rowCount
            if matches == 0 { continue }
            let (total, overflow) = affected.addingReportingOverflow(matches)
            guard !overflow else { throw QuiverError(message: "too many rows affected") }
            affected = total
            if modification.kind == .delete && matches >= segment.rowCount {
                replacements.append(SegmentReplacement(index: index, batches: []))
                continue
            }
            guard let rewrite else { throw QuiverError(message: "internal error: \(modification.command) has no rewrite plan") }
            let context = ExecutionContext(catalog: view, threadCount: settings.threadCount)
            let batches = try conform(try executePlan(rewrite, context: context), to: table)
            let rows = batches.reduce(0) { $0 + $1.rowCount }
            let expected = modification.kind == .delete ? segment.rowCount - matches : segment.rowCount
            guard rows == expected else {
                throw QuiverError(message: "internal error: \(modification.command) produced \(rows) rows for a segment of \(segment.rowCount), expected \(expected)")
            }
            replacements.append(SegmentReplacement(index: index, batches: batches))
        }
        // The keys an UPDATE assigns to hold at the end of the statement: the rewritten rows against each other
        // and the rest of the table.
        let assignedKeys = modification.kind == .update ? table.keyConstraints.filter { key in
            key.columnIndices.contains { modification.assignedColumns.contains($0) }
        } : []
        if !replacements.isEmpty, !assignedKeys.isEmpty {
            let replaced = Set(replacements.map(\.index))
            let others = segments.enumerated().filter { !replaced.contains($0.offset) }.map(\.element)
            var changed = table
            changed.keyConstraints = assignedKeys
            try KeyConstraintChecking.check(changed, newBatches: replacements.flatMap(\.batches), otherSegments: others)
        }
        if !replacements.isEmpty {
            try catalog.replaceSegments(of: identifier, expectedVersion: version, replacements: replacements)
        }
        return .status("\(modification.command) \(affected)")
    }

    /// The plan with the scan of the modified table (the one producing exactly `targetColumns`) reading
    /// `ModificationCatalog.target`, optimized against a catalog where that table has `segments`. Run with a
    /// `ModificationCatalog` of one segment, it reads that segment, while other scans of the same table (in
    /// subqueries) read all of it.
    private func targetingOneSegment(_ plan: LogicalPlan, _ modification: BoundTableModification,
                                     segments: [any TableSegment]) throws -> LogicalPlan {
        var found = 0
        let marked = plan.transformedUp { node in
            guard case .scan(var scan) = node, case .table(var definition) = scan.source,
                  definition.identifier == modification.table.identifier,
                  Set(scan.columns.map(\.id)) == modification.targetColumns else { return node }
            found += 1
            definition.identifier = ModificationCatalog.target
            scan.source = .table(definition)
            return .scan(scan)
        }
        guard found == 1 else {
            throw QuiverError(message: "internal error: \(modification.command) plan has \(found) scans of its table")
        }
        let catalog = ModificationCatalog(base: database.catalog, segments: segments)
        let context = OptimizerContext(catalog: catalog, disabledRules: settings.disabledRules)
        return try Optimizer().optimize(marked, context: context)
    }

    /// Runs a `count(*)` plan and returns its single value.
    private func countRows(_ plan: LogicalPlan, catalog: any Catalog) throws -> Int {
        let context = ExecutionContext(catalog: catalog, threadCount: settings.threadCount)
        let batches = try executePlan(plan, context: context)
        guard let batch = batches.first, batch.rowCount == 1, batch.columns.count == 1,
              case .int64(let count) = batch.columns[0].scalar(at: 0) else {
            throw QuiverError(message: "internal error: the row count of an UPDATE or DELETE is missing")
        }
        return Int(count)
    }

    // MARK: - COPY ... (FORMAT ARROW)

    /// `COPY t FROM 'file.arrow'`: the file's columns, by position, cast to the table's types; NOT NULL checked.
    func copyFromArrow(_ identifier: TableIdentifier, path: String) throws -> QueryResult {
        let catalog = database.catalog
        guard let definition = try catalog.table(identifier) else { throw CatalogError.tableNotFound(identifier) }
        let schema = try ArrowIPCFile.schema(path: path)
        guard schema.fields.count == definition.columns.count else {
            throw QuiverError(message: "\(path) has \(schema.fields.count) columns, table \"\(identifier)\" has \(definition.columns.count)")
        }
        let batches = try conform(try ArrowIPCFile.readBatches(path: path), to: definition)
        try appendCheckingKeys(definition, batches)
        return .status("COPY \(batches.reduce(0) { $0 + $1.rowCount })")
    }

    /// `COPY t|(query) TO 'file.arrow'`: an Arrow IPC file (file format) with the result's columns.
    func copyToArrow(_ plan: LogicalPlan, path: String) throws -> QueryResult {
        let optimized = try optimize(plan)
        let batches = try executePlan(optimized, context: makeContext())
        let schema = Schema(fields(of: optimized))
        let conformed = batches.map { RecordBatch(schema: schema, columns: $0.columns, rowCount: $0.rowCount) }
        try ArrowFileWriter.write(conformed, schema: schema, to: path)
        return .status("COPY \(batches.reduce(0) { $0 + $1.rowCount })")
    }
}

/// A view of a catalog with one extra table, `target`, made of some segments of a real table: the scan of an
/// UPDATE or DELETE reads it, so that a plan covers one segment at a time. Everything else goes to the
/// underlying catalog.
final class ModificationCatalog: Catalog, @unchecked Sendable {
    /// The name the modified table's scan reads (no SQL name can spell it).
    static let target = TableIdentifier(schema: "\u{0}modification", name: "\u{0}segments")
    private let base: any Catalog
    private let targetSegments: [any TableSegment]

    init(base: any Catalog, segments: [any TableSegment]) {
        self.base = base
        targetSegments = segments
    }

    func segments(of identifier: TableIdentifier) throws -> [any TableSegment] {
        identifier == Self.target ? targetSegments : try base.segments(of: identifier)
    }

    func listTables() throws -> [TableIdentifier] { try base.listTables() }
    func table(_ identifier: TableIdentifier) throws -> TableDefinition? { try base.table(identifier) }
    func view(_ identifier: TableIdentifier) throws -> ViewDefinition? { try base.view(identifier) }
    func createTable(_ definition: TableDefinition) throws { try base.createTable(definition) }
    func createTable(_ definition: TableDefinition, batches: [RecordBatch]) throws {
        try base.createTable(definition, batches: batches)
    }
    func dropTable(_ identifier: TableIdentifier) throws { try base.dropTable(identifier) }
    func createView(_ definition: ViewDefinition, replacing: Bool) throws { try base.createView(definition, replacing: replacing) }
    func dropView(_ identifier: TableIdentifier) throws { try base.dropView(identifier) }
    func append(to identifier: TableIdentifier, batches: [RecordBatch]) throws { try base.append(to: identifier, batches: batches) }
    func append(to identifier: TableIdentifier, batches: [RecordBatch], expectedVersion: Int) throws {
        try base.append(to: identifier, batches: batches, expectedVersion: expectedVersion)
    }
    func replaceSegments(of identifier: TableIdentifier, expectedVersion: Int, replacements: [SegmentReplacement]) throws {
        try base.replaceSegments(of: identifier, expectedVersion: expectedVersion, replacements: replacements)
    }
    func statistics(of identifier: TableIdentifier) throws -> TableStatistics? { try base.statistics(of: identifier) }
    func setStatistics(_ statistics: TableStatistics, of identifier: TableIdentifier) throws {
        try base.setStatistics(statistics, of: identifier)
    }
}
