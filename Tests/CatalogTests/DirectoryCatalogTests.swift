import Catalog
import Columnar
import Testing
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

@Suite struct DirectoryCatalogTests {
    @Test func createsTheDirectoryLayout() throws {
        let directory = makeTemporaryDirectory() + "/nested/db"
        let catalog = try DirectoryCatalog(directory: directory)
        #expect(listDirectory(directory) == ["catalog.json", "catalog.lock", "data"])
        try catalog.createTable(ordersDefinition, batches: [ordersBatch(0..<10)])
        let tableFolder = directory + "/data/main.orders"
        let files = listDirectory(tableFolder)
        #expect(files.count == 1 && files[0].hasSuffix(".arrow"))
        let json = readText(directory + "/catalog.json")
        #expect(json.contains("\"DECIMAL(10,2)\""))
        #expect(json.contains("data/main.orders/\(files[0])"))
        // Segments are plain Arrow files.
        let reader = try ArrowFileReader(path: tableFolder + "/" + files[0])
        #expect(reader.schema == ordersDefinition.schema)
    }

    @Test func reopensWithEverythingCommitted() throws {
        let directory = makeTemporaryDirectory() + "/db"
        do {
            let catalog = try DirectoryCatalog(directory: directory)
            try catalog.createTable(ordersDefinition, batches: [ordersBatch(0..<3000)])
            try catalog.append(to: ordersIdentifier, batches: [ordersBatch(3000..<3100)])
            try catalog.createView(ViewDefinition(identifier: TableIdentifier(name: "v"), sql: "SELECT * FROM orders",
                                                  columnNames: ["a", "b", "c"]), replacing: false)
            try catalog.setStatistics(TableStatistics(rowCount: 3100, columns: ["id": ColumnStatistics(
                nullCount: 0, distinctCount: 3100, minimum: .int64(0), maximum: .int64(3099))], dataVersion: 2), of: ordersIdentifier)
        }
        let reopened = try DirectoryCatalog(directory: directory)
        #expect(try reopened.table(ordersIdentifier) == TableDefinition(identifier: ordersIdentifier, columns: ordersDefinition.columns, version: 2))
        #expect(try scanRows(reopened, ordersIdentifier) == expectedOrdersRows(0..<3100))
        #expect(try reopened.view(TableIdentifier(name: "v"))?.columnNames == ["a", "b", "c"])
        #expect(try reopened.statistics(of: ordersIdentifier)?.columns["id"]?.maximum == .int64(3099))
        let segments = try reopened.segments(of: ordersIdentifier)
        #expect(segments.map(\.rowCount) == [3000, 100])
        #expect(segments[1].columnStatistics[0] == ColumnStatistics(nullCount: 0, minimum: .int64(3000), maximum: .int64(3099)))
    }

    @Test func secondInstanceSeesCommittedChanges() throws {
        let directory = makeTemporaryDirectory() + "/db"
        let first = try DirectoryCatalog(directory: directory)
        let second = try DirectoryCatalog(directory: directory)
        try first.createTable(ordersDefinition)
        #expect(try second.table(ordersIdentifier) == ordersDefinition)
        try second.append(to: ordersIdentifier, batches: [ordersBatch(0..<5)])
        #expect(try scanRows(first, ordersIdentifier) == expectedOrdersRows(0..<5))
        try first.append(to: ordersIdentifier, batches: [ordersBatch(5..<7)])
        #expect(try second.segments(of: ordersIdentifier).map(\.rowCount) == [5, 2])
        try second.dropTable(ordersIdentifier)
        #expect(try first.table(ordersIdentifier) == nil)
        #expect(!fileExists(directory + "/data/main.orders"))
    }

    @Test func concurrentWritersFromSeveralInstancesLoseNothing() throws {
        let directory = makeTemporaryDirectory() + "/db"
        let setup = try DirectoryCatalog(directory: directory)
        try setup.createTable(ordersDefinition)
        let instances = [setup, try DirectoryCatalog(directory: directory), try DirectoryCatalog(directory: directory)]
        DispatchQueue.concurrentPerform(iterations: 12) { index in
            try? instances[index % 3].append(to: ordersIdentifier, batches: [ordersBatch((index * 10)..<(index * 10 + 10))])
        }
        let rows = try scanRows(try DirectoryCatalog(directory: directory), ordersIdentifier)
        #expect(rows.count == 120)
        #expect(Set(rows.map { $0[0] }) == Set((0..<120).map { Value.int64(Int64($0)) }))
        #expect(try setup.table(ordersIdentifier)?.version == 13)
        #expect(listDirectory(directory + "/data/main.orders").count == 12)
    }

    @Test func deletesOrphanFilesOnOpen() throws {
        let directory = makeTemporaryDirectory() + "/db"
        let catalog = try DirectoryCatalog(directory: directory)
        try catalog.createTable(ordersDefinition, batches: [ordersBatch(0..<4)])
        let folder = directory + "/data/main.orders"
        let kept = listDirectory(folder)
        writeFile(folder + "/0000-orphan.arrow", "left by a crash")
        try? makeDirectoryForTest(directory + "/data/main.gone")
        writeFile(directory + "/data/main.gone/x.arrow", "old")
        writeFile(directory + "/catalog.json.tmp-1-2", "{}")
        _ = try DirectoryCatalog(directory: directory)
        #expect(listDirectory(folder) == kept)
        #expect(!fileExists(directory + "/data/main.gone"))
        #expect(!fileExists(directory + "/catalog.json.tmp-1-2"))
        #expect(try scanRows(catalog, ordersIdentifier) == expectedOrdersRows(0..<4))
    }

    @Test func failedAppendLeavesTheTableUnchanged() throws {
        let directory = makeTemporaryDirectory() + "/db"
        let catalog = try DirectoryCatalog(directory: directory)
        let identifier = TableIdentifier(name: "blocked")
        try catalog.createTable(TableDefinition(identifier: identifier, columns: ordersDefinition.columns))
        // A file where the table's data folder should go makes writing the segment fail.
        writeFile(directory + "/data/main.blocked", "in the way")
        #expect(throws: (any Error).self) { try catalog.append(to: identifier, batches: [ordersBatch(0..<3)]) }
        #expect(try catalog.segments(of: identifier).isEmpty)
        #expect(try catalog.table(identifier)?.version == 1)
        #expect(try DirectoryCatalog(directory: directory).segments(of: identifier).isEmpty)
    }

    @Test func splitsLargeAppendsIntoSegments() throws {
        let root = makeTemporaryDirectory()
        defer { removeTree(root) }
        let catalog = try DirectoryCatalog(directory: root + "/db")
        let definition = TableDefinition(identifier: TableIdentifier(name: "big"),
                                         columns: [ColumnDefinition(name: "n", dataType: .int32, isNullable: false)])
        var builder = ColumnBuilder(.int32, capacity: 1_200_000)
        for value in 0..<1_200_000 { builder.append(Int32(value)) }
        let batch = RecordBatch(schema: definition.schema, columns: [builder.finish()], rowCount: 1_200_000)
        try catalog.createTable(definition, batches: [batch])
        let segments = try catalog.segments(of: definition.identifier)
        #expect(segments.count == 2)
        #expect(segments.map(\.rowCount).reduce(0, +) == 1_200_000)
        #expect(segments.allSatisfy { $0.rowCount <= 1 << 20 })
        #expect(segments[1].columnStatistics[0]?.maximum == .int32(1_199_999))
        let last = try segments[1].readBatches(columnIndices: [0])
        #expect(last.allSatisfy { $0.rowCount <= 2048 })
        #expect(last.last?.rows.last == [.int32(1_199_999)])
    }

    @Test func segmentReadsAreZeroCopy() throws {
        let directory = makeTemporaryDirectory() + "/db"
        let catalog = try DirectoryCatalog(directory: directory)
        try catalog.createTable(ordersDefinition, batches: [ordersBatch(0..<100)])
        let segment = try #require(try catalog.segments(of: ordersIdentifier).first as? DirectorySegment)
        let columns = try segment.readBatches(columnIndices: [0, 2])[0].columns
        let mapping = try segment.fileReader().mappedBytes
        let start = UInt(bitPattern: mapping.baseAddress!)
        for buffer in [columns[0].values, columns[1].values, columns[1].data, columns[1].validity] {
            let address = UInt(bitPattern: try #require(buffer).pointer)
            #expect(address >= start && address < start + UInt(mapping.count))
        }
    }

    @Test func parsesTypeNames() {
        let types: [DataType] = [.null, .boolean, .int8, .int16, .int32, .int64, .float32, .float64,
                                 .decimal128(precision: 38, scale: 10), .date32, .interval, .utf8]
        for type in types { #expect(CatalogCoding.dataType(from: type.description) == type) }
        #expect(CatalogCoding.dataType(from: "DECIMAL(3,4)") == nil)
        #expect(CatalogCoding.dataType(from: "TEXT") == nil)
    }

    @Test func everyValueTypeSurvivesJSON() throws {
        let directory = makeTemporaryDirectory() + "/db"
        let values: [Value] = [.null, .boolean(true), .int8(-8), .int16(16), .int32(-32), .int64(Int64.min), .float32(0.1),
                               .float64(.infinity), .float64(-0.0), .decimal(-(Int128(1) << 120), precision: 38, scale: 5),
                               .date(-719162), .interval(IntervalValue(months: 1, days: -2, nanoseconds: 3)), .string("\u{0}\n\"")]
        let catalog = try DirectoryCatalog(directory: directory)
        try catalog.createTable(ordersDefinition)
        var columns: [String: ColumnStatistics] = [:]
        for (index, value) in values.enumerated() {
            columns["c\(index)"] = ColumnStatistics(nullCount: index, minimum: value, maximum: value)
        }
        try catalog.setStatistics(TableStatistics(rowCount: 1, columns: columns, dataVersion: 1), of: ordersIdentifier)
        let read = try DirectoryCatalog(directory: directory).statistics(of: ordersIdentifier)
        #expect(read?.columns == columns)
    }
}

func makeDirectoryForTest(_ path: String) throws {
    _ = mkdir(path, 0o755)
}
