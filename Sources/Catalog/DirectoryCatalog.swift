import Columnar
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A segment stored as an immutable Arrow IPC file. Reading memory-maps the file (zero copy); the mapping is
/// opened on first use and kept while the segment object lives.
public final class DirectorySegment: TableSegment, @unchecked Sendable {
    /// The absolute path of the segment's Arrow file.
    public let path: String
    public let rowCount: Int
    public let columnStatistics: [ColumnStatistics?]
    private let lock = Lock()
    private var reader: ArrowFileReader?

    init(path: String, rowCount: Int, columnStatistics: [ColumnStatistics?]) {
        self.path = path
        self.rowCount = rowCount
        self.columnStatistics = columnStatistics
    }

    /// The segment's file, mapped on first use.
    public func fileReader() throws -> ArrowFileReader {
        try lock.withLock { () throws -> ArrowFileReader in
            if let existing = reader { return existing }
            let opened = try ArrowFileReader(path: path)
            reader = opened
            return opened
        }
    }

    public func readBatches(columnIndices: [Int]) throws -> [RecordBatch] {
        let file = try fileReader()
        return try (0..<file.recordBatchCount).map { try file.recordBatch(at: $0, columnIndices: columnIndices) }
    }
}

/// A catalog stored in a directory, shared safely by threads and processes:
///
/// - `DIR/catalog.json` holds the tables (columns, types, nullability, version, segment list with each
///   segment's row count and per-column min/max), the views and the statistics. It is replaced atomically
///   (written to a temporary file, fsynced, renamed).
/// - `DIR/data/<schema>.<table>/<uuid>.arrow` are the segments: immutable Arrow IPC files of at most about a
///   million rows, written and fsynced before the `catalog.json` that mentions them is committed.
/// - `DIR/catalog.lock` serializes writers across processes (`flock`). Readers need no lock: every call
///   re-reads `catalog.json` and re-parses it only when its bytes changed.
///
/// A failure before the commit leaves the catalog unchanged (new segment files are deleted, best effort);
/// files left behind by a crash are deleted when a catalog is opened.
public final class DirectoryCatalog: Catalog, @unchecked Sendable {
    /// The catalog's directory.
    public let directory: String
    private let catalogPath: String
    private let fileLock: FileLock
    /// Serializes writers within the process (held for a whole mutation).
    private let writeLock = Lock()
    /// Guards the cached state below (held briefly).
    private let stateLock = Lock()
    private var cachedBytes: [UInt8]?
    private var cachedState = CatalogState<DirectorySegment>()

    /// Opens the catalog in `directory`, creating the directory (and an empty catalog) when missing, and
    /// deletes segment files no committed table refers to.
    public init(directory: String) throws {
        let trimmed = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        self.directory = trimmed
        catalogPath = trimmed + "/catalog.json"
        try FileSystem.makeDirectory(trimmed + "/data")
        fileLock = try FileLock(path: trimmed + "/catalog.lock")
        try writeLock.withLock {
            try fileLock.withExclusiveLock {
                let state = try current()
                if cachedBytes == nil { try commit(state) }
                removeUnreferencedFiles(state)
            }
        }
    }

    // MARK: Reading

    /// The committed state, re-read from `catalog.json` when it changed.
    private func current() throws -> CatalogState<DirectorySegment> {
        try stateLock.withLock {
            let bytes = try FileSystem.read(catalogPath)
            if bytes == cachedBytes { return cachedState }
            guard let bytes else {
                cachedBytes = nil
                cachedState = CatalogState()
                return cachedState
            }
            cachedState = try decode(bytes)
            cachedBytes = bytes
            return cachedState
        }
    }

    public func listTables() throws -> [TableIdentifier] {
        try current().listTables()
    }

    public func table(_ identifier: TableIdentifier) throws -> TableDefinition? {
        try current().tables[identifier]?.definition
    }

    public func view(_ identifier: TableIdentifier) throws -> ViewDefinition? {
        try current().views[identifier]
    }

    /// The table's segments, with their files already mapped: a later UPDATE, DELETE or DROP that deletes the
    /// files cannot take them away from the caller. A file that vanishes before it is mapped was deleted by a
    /// change committed meanwhile, so the list is read again (a file missing from an unchanged catalog is an error).
    public func segments(of identifier: TableIdentifier) throws -> [any TableSegment] {
        var attempts = 0
        while true {
            let segments = try current().entry(identifier).segments
            var missing: DirectorySegment?
            for segment in segments {
                do {
                    _ = try segment.fileReader()
                } catch {
                    guard !FileSystem.exists(segment.path) else { throw error }
                    missing = segment
                    break
                }
            }
            guard let missing else { return segments }
            attempts += 1
            let bytes = try FileSystem.read(catalogPath)
            if attempts > 100 || bytes == stateLock.withLock({ cachedBytes }) {
                throw CatalogError("segment file \"\(missing.path)\" of \"\(identifier)\" is missing")
            }
        }
    }

    public func statistics(of identifier: TableIdentifier) throws -> TableStatistics? {
        try current().statistics[identifier]
    }

    // MARK: Changing

    public func createTable(_ definition: TableDefinition) throws {
        try mutate { state, _ in
            try state.addTable(definition, segments: [])
            return []
        }
    }

    public func createTable(_ definition: TableDefinition, batches: [RecordBatch]) throws {
        try mutate { state, newFiles in
            try state.checkNewTable(definition)
            let segments = try writeSegments(batches, definition, &newFiles)
            try state.addTable(definition, segments: segments)
            return []
        }
    }

    public func dropTable(_ identifier: TableIdentifier) throws {
        try mutate { state, _ in
            try state.dropTable(identifier).map(\.path)
        }
    }

    public func createView(_ definition: ViewDefinition, replacing: Bool) throws {
        try mutate { state, _ in
            try state.createView(definition, replacing: replacing)
            return []
        }
    }

    public func dropView(_ identifier: TableIdentifier) throws {
        try mutate { state, _ in
            try state.dropView(identifier)
            return []
        }
    }

    public func append(to identifier: TableIdentifier, batches: [RecordBatch]) throws {
        try append(to: identifier, batches: batches, expectedVersion: nil)
    }

    public func append(to identifier: TableIdentifier, batches: [RecordBatch], expectedVersion: Int) throws {
        try append(to: identifier, batches: batches, expectedVersion: Optional(expectedVersion))
    }

    private func append(to identifier: TableIdentifier, batches: [RecordBatch], expectedVersion: Int?) throws {
        try mutate { state, newFiles in
            let definition = try state.entry(identifier).definition
            if let expectedVersion, definition.version != expectedVersion {
                throw CatalogError.changedMeanwhile(identifier)
            }
            let segments = try writeSegments(batches, definition, &newFiles)
            try state.append(segments, to: identifier, expectedVersion: expectedVersion)
            return []
        }
    }

    /// Writes the replacement segments as new files (fsynced), commits the new segment list with `catalog.json`
    /// (atomic rename), then deletes the replaced segments' files. A crash before the commit leaves the new files
    /// as orphans and one after it leaves the old ones: either kind is deleted when the catalog is next opened.
    public func replaceSegments(of identifier: TableIdentifier, expectedVersion: Int,
                                replacements: [SegmentReplacement]) throws {
        try mutate { state, newFiles in
            try state.checkReplacements(of: identifier, expectedVersion: expectedVersion, indices: replacements.map(\.index))
            let definition = try state.entry(identifier).definition
            var segments: [Int: [DirectorySegment]] = [:]
            for replacement in replacements {
                segments[replacement.index] = try writeSegments(replacement.batches, definition, &newFiles)
            }
            let removed = try state.replaceSegments(of: identifier, expectedVersion: expectedVersion, replacements: segments)
            return removed.map(\.path)
        }
    }

    public func setStatistics(_ statistics: TableStatistics, of identifier: TableIdentifier) throws {
        try mutate { state, _ in
            try state.setStatistics(statistics, of: identifier)
            return []
        }
    }

    /// Runs a change under both locks on the latest state and commits it. `body` records the files it creates
    /// in `newFiles` (deleted if anything fails) and returns files to delete once the change is committed.
    private func mutate(_ body: (inout CatalogState<DirectorySegment>, inout [String]) throws -> [String]) throws {
        try writeLock.withLock {
            try fileLock.withExclusiveLock {
                var state = try current()
                var newFiles: [String] = []
                let obsolete: [String]
                do {
                    obsolete = try body(&state, &newFiles)
                    try commit(state)
                } catch {
                    for file in newFiles { FileSystem.removeFile(file) }
                    throw error
                }
                for file in obsolete { FileSystem.removeFile(file) }
                // Folders left empty go too (rmdir fails harmlessly on others).
                for folder in Set(obsolete.map { String($0[..<($0.lastIndex(of: "/") ?? $0.endIndex)]) }) {
                    FileSystem.removeDirectory(folder)
                }
            }
        }
    }

    /// Writes `catalog.json` for `state` and makes it the cached state.
    private func commit(_ state: CatalogState<DirectorySegment>) throws {
        let bytes = try encode(state)
        try FileSystem.writeAtomically(bytes, to: catalogPath, directory: directory)
        stateLock.withLock {
            cachedBytes = bytes
            cachedState = state
        }
    }

    // MARK: Segment files

    /// The directory of a table's segments: `data/<schema>.<name>` with unusual characters %-escaped.
    private func tableDirectory(_ identifier: TableIdentifier) -> String {
        "\(directory)/data/\(DirectoryCatalog.escape(identifier.schema)).\(DirectoryCatalog.escape(identifier.name))"
    }

    static func escape(_ name: String) -> String {
        var result = ""
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result.isEmpty ? "%" : result
    }

    /// Writes the data as segment files (fsynced) and returns their segments.
    private func writeSegments(_ batches: [RecordBatch], _ definition: TableDefinition,
                               _ newFiles: inout [String]) throws -> [DirectorySegment] {
        let groups = try AppendPreparation.segments(of: batches, for: definition)
        guard !groups.isEmpty else { return [] }
        let folder = tableDirectory(definition.identifier)
        try FileSystem.makeDirectory(folder)
        let schema = definition.schema
        var segments: [DirectorySegment] = []
        for group in groups {
            let path = "\(folder)/\(UUID().uuidString.lowercased()).arrow"
            newFiles.append(path)
            try ArrowFileWriter.write(group, schema: schema, to: path, synchronize: true)
            segments.append(DirectorySegment(path: path, rowCount: group.reduce(0) { $0 + $1.rowCount },
                                             columnStatistics: SegmentStatistics.compute(group, columnCount: definition.columns.count)))
        }
        FileSystem.synchronizeDirectory(folder)
        return segments
    }

    /// Deletes `.arrow` (and temporary) files under `data/` that the state does not mention, and empty folders.
    private func removeUnreferencedFiles(_ state: CatalogState<DirectorySegment>) {
        var referenced = Set<String>()
        for entry in state.tables.values {
            for segment in entry.segments { referenced.insert(segment.path) }
        }
        let dataDirectory = directory + "/data"
        for folder in FileSystem.list(dataDirectory) {
            let folderPath = dataDirectory + "/" + folder
            guard FileSystem.isDirectory(folderPath) else { continue }
            for name in FileSystem.list(folderPath) where !referenced.contains(folderPath + "/" + name) {
                if name.hasSuffix(".arrow") { FileSystem.removeFile(folderPath + "/" + name) }
            }
            FileSystem.removeDirectory(folderPath) // only succeeds when empty
        }
        for name in FileSystem.list(directory) where name.hasPrefix("catalog.json.tmp-") {
            FileSystem.removeFile(directory + "/" + name)
        }
    }

    // MARK: JSON

    private func encode(_ state: CatalogState<DirectorySegment>) throws -> [UInt8] {
        let prefix = directory + "/"
        var document = CatalogDocument()
        for identifier in state.tables.keys.sorted() {
            let entry = state.tables[identifier]!
            let columns = entry.definition.columns.map {
                StoredColumn(name: $0.name, type: $0.dataType.description, nullable: $0.isNullable,
                             defaultExpression: $0.defaultExpression)
            }
            let keys = entry.definition.keyConstraints.map {
                StoredKeyConstraint(name: $0.name, kind: $0.kind.rawValue, columns: $0.columnIndices)
            }
            if entry.definition.hasConstraintsOrDefaults {
                // Programs that predate constraints would ignore them and let duplicates in: they must refuse.
                document.formatVersion = CatalogDocument.constraintsFormatVersion
            }
            let segments = entry.segments.map { segment in
                StoredSegment(file: segment.path.hasPrefix(prefix) ? String(segment.path.dropFirst(prefix.count)) : segment.path,
                              rowCount: segment.rowCount,
                              columns: segment.columnStatistics.map { $0.map(StoredColumnStatistics.init) })
            }
            document.tables.append(StoredTable(schema: identifier.schema, name: identifier.name,
                                               version: entry.definition.version, columns: columns,
                                               keyConstraints: keys.isEmpty ? nil : keys, segments: segments))
        }
        for identifier in state.views.keys.sorted() {
            let view = state.views[identifier]!
            document.views.append(StoredView(schema: identifier.schema, name: identifier.name, sql: view.sql,
                                             columnNames: view.columnNames))
        }
        for identifier in state.statistics.keys.sorted() {
            let statistics = state.statistics[identifier]!
            document.statistics.append(StoredStatistics(
                schema: identifier.schema, name: identifier.name, rowCount: statistics.rowCount,
                dataVersion: statistics.dataVersion, columns: statistics.columns.mapValues(StoredColumnStatistics.init)))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(document))
    }

    private func decode(_ bytes: [UInt8]) throws -> CatalogState<DirectorySegment> {
        let document: CatalogDocument
        do {
            document = try JSONDecoder().decode(CatalogDocument.self, from: Data(bytes))
        } catch {
            throw CatalogError("\(catalogPath) is not a valid catalog file: \(error)")
        }
        guard document.formatVersion <= CatalogDocument.currentFormatVersion else {
            throw CatalogError("\(catalogPath) has format version \(document.formatVersion), newer than this program reads")
        }
        // Reuse segment objects (and their open mappings) that are unchanged.
        var known: [String: DirectorySegment] = [:]
        for entry in cachedState.tables.values {
            for segment in entry.segments { known[segment.path] = segment }
        }
        var state = CatalogState<DirectorySegment>()
        for table in document.tables {
            let identifier = TableIdentifier(schema: table.schema, name: table.name)
            var columns: [ColumnDefinition] = []
            for column in table.columns {
                guard let type = CatalogCoding.dataType(from: column.type) else {
                    throw CatalogError("\(catalogPath): column \"\(column.name)\" of \"\(identifier)\" has unknown type \(column.type)")
                }
                columns.append(ColumnDefinition(name: column.name, dataType: type, isNullable: column.nullable,
                                                defaultExpression: column.defaultExpression))
            }
            var keys: [KeyConstraint] = []
            for key in table.keyConstraints ?? [] {
                guard let kind = KeyConstraint.Kind(rawValue: key.kind) else {
                    throw CatalogError("\(catalogPath): constraint \"\(key.name)\" of \"\(identifier)\" has unknown kind \(key.kind)")
                }
                keys.append(KeyConstraint(name: key.name, kind: kind, columnIndices: key.columns))
            }
            let segments = table.segments.map { stored -> DirectorySegment in
                let path = stored.file.hasPrefix("/") ? stored.file : directory + "/" + stored.file
                if let segment = known[path], segment.rowCount == stored.rowCount { return segment }
                return DirectorySegment(path: path, rowCount: stored.rowCount,
                                        columnStatistics: stored.columns.map { $0?.decoded })
            }
            let definition = TableDefinition(identifier: identifier, columns: columns, version: table.version,
                                             keyConstraints: keys)
            do {
                try definition.validateConstraints()
            } catch let error as CatalogError {
                throw CatalogError("\(catalogPath): \(error.message)")
            }
            state.tables[identifier] = TableEntry(definition: definition, segments: segments)
        }
        for view in document.views {
            let identifier = TableIdentifier(schema: view.schema, name: view.name)
            state.views[identifier] = ViewDefinition(identifier: identifier, sql: view.sql, columnNames: view.columnNames)
        }
        for statistics in document.statistics {
            let identifier = TableIdentifier(schema: statistics.schema, name: statistics.name)
            state.statistics[identifier] = TableStatistics(rowCount: statistics.rowCount,
                                                           columns: statistics.columns.mapValues(\.decoded),
                                                           dataVersion: statistics.dataVersion)
        }
        return state
    }
}
