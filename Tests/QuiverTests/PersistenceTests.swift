import Catalog
import Columnar
import Foundation
import Quiver
import Synchronization
import Testing

/// UPDATE, DELETE, Arrow files and segment skipping through the facade.
@Suite struct PersistenceTests {
    private func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("quiver-persistence-\(UUID().uuidString)").path
    }

    /// A table `t(id INTEGER NOT NULL, name VARCHAR)` in three segments: ids 1...3, 10...12 and 20...22.
    private func threeSegments(_ connection: Connection) throws {
        try connection.execute("CREATE TABLE t (id INTEGER NOT NULL, name VARCHAR)")
        for base in [0, 9, 19] {
            try connection.execute("INSERT INTO t VALUES (\(base + 1), 'a'), (\(base + 2), 'b'), (\(base + 3), NULL)")
        }
    }

    @Test func updateAndDeleteReportTheirRowCounts() throws {
        let connection = Database.inMemory(threadCount: 1).connect()
        try threeSegments(connection)
        #expect(try connection.execute("UPDATE t SET name = 'x' WHERE id > 10").status == "UPDATE 5")
        #expect(try connection.execute("UPDATE t SET name = 'y' WHERE id > 100").status == "UPDATE 0")
        #expect(try connection.execute("UPDATE t SET id = id + 1").status == "UPDATE 9")
        #expect(try connection.execute("DELETE FROM t WHERE name IS NULL").status == "DELETE 1")
        #expect(try connection.execute("DELETE FROM t WHERE id < 0").status == "DELETE 0")
        #expect(try connection.execute("SELECT id, name FROM t ORDER BY id").rows == [
            [.int32(2), .string("a")], [.int32(3), .string("b")], [.int32(11), .string("a")],
            [.int32(12), .string("x")], [.int32(13), .string("x")], [.int32(21), .string("x")],
            [.int32(22), .string("x")], [.int32(23), .string("x")],
        ])
        #expect(try connection.execute("DELETE FROM t").status == "DELETE 8")
        #expect(try connection.execute("SELECT count(*) FROM t").rows == [[.int64(0)]])
    }

    @Test func notNullAndTypeCoercionApplyToUpdate() throws {
        let connection = Database.inMemory(threadCount: 1).connect()
        try connection.execute("CREATE TABLE m (id INTEGER NOT NULL, amount DECIMAL(6,2), day DATE, n BIGINT)")
        try connection.execute("INSERT INTO m VALUES (1, 1.00, '2024-01-01', 5)")
        // Integers and decimals convert to the column's type; strings parse.
        try connection.execute("UPDATE m SET amount = 7, day = '2024-12-24', n = 2.6")
        #expect(try connection.execute("SELECT amount, day, n FROM m").rows == [[
            .decimal(700, precision: 6, scale: 2), .date(Int32(DateFormat.days(year: 2024, month: 12, day: 24))), .int64(3),
        ]])
        #expect(throws: QuiverError.self) { try connection.execute("UPDATE m SET id = NULL") }
        #expect(throws: QuiverError.self) { try connection.execute("UPDATE m SET amount = 123456.0") }
        #expect(try connection.execute("SELECT id, amount FROM m").rows == [[.int32(1), .decimal(700, precision: 6, scale: 2)]])
    }

    /// Only the segments with matching rows are rewritten: the files of the others stay as they were.
    @Test func modificationsRewriteOnlyTouchedSegments() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try Database.open(directory: directory, threadCount: 1)
        let connection = database.connect()
        try threeSegments(connection)
        let folder = directory + "/data/main.t"
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: folder))
        #expect(before.count == 3)
        #expect(try connection.execute("UPDATE t SET name = 'changed' WHERE id = 11").status == "UPDATE 1")
        let afterUpdate = Set(try FileManager.default.contentsOfDirectory(atPath: folder))
        #expect(afterUpdate.count == 3)
        #expect(afterUpdate.intersection(before).count == 2)
        #expect(try connection.execute("DELETE FROM t WHERE id >= 20").status == "DELETE 3")
        let afterDelete = Set(try FileManager.default.contentsOfDirectory(atPath: folder))
        #expect(afterDelete.count == 2 && afterDelete.isSubset(of: afterUpdate))
        #expect(try database.catalog.segments(of: TableIdentifier(name: "t")).map(\.rowCount) == [3, 3])
    }

    @Test func changesSurviveReopening() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let query = "SELECT id, name FROM t ORDER BY id"
        let expected: [[Value]]
        do {
            let connection = try Database.open(directory: directory, threadCount: 1).connect()
            try threeSegments(connection)
            try connection.execute("UPDATE t SET name = upper(coalesce(name, 'n')) WHERE id % 2 = 1")
            try connection.execute("DELETE FROM t WHERE id IN (2, 21)")
            expected = try connection.execute(query).rows
        }
        #expect(expected.count == 7)
        let reopened = try Database.open(directory: directory, threadCount: 1).connect()
        #expect(try reopened.execute(query).rows == expected)
    }

    /// Scans skip segments whose min/max rule out a pushed filter: only one of three segments is read.
    @Test func scansSkipSegmentsByMinMax() throws {
        let counting = CountingCatalog()
        let connection = Database(catalog: counting, threadCount: 1).connect()
        try threeSegments(connection)
        counting.reads.store(0, ordering: .relaxed)
        #expect(try connection.execute("SELECT id FROM t WHERE id >= 20 ORDER BY id").rows == [[.int32(20)], [.int32(21)], [.int32(22)]])
        #expect(counting.reads.load(ordering: .relaxed) == 1)
        counting.reads.store(0, ordering: .relaxed)
        #expect(try connection.execute("SELECT count(*) FROM t WHERE id = 11 OR id = 12").rows == [[.int64(2)]])
        #expect(counting.reads.load(ordering: .relaxed) == 1)
        counting.reads.store(0, ordering: .relaxed)
        #expect(try connection.execute("SELECT count(*) FROM t WHERE name = 'a'").rows == [[.int64(3)]])
        #expect(counting.reads.load(ordering: .relaxed) == 3)
        // An UPDATE whose condition no segment can satisfy reads no data at all.
        counting.reads.store(0, ordering: .relaxed)
        #expect(try connection.execute("UPDATE t SET name = 'z' WHERE id > 1000").status == "UPDATE 0")
        #expect(counting.reads.load(ordering: .relaxed) == 0)
        // EXPLAIN ANALYZE reports the segments read and skipped.
        let explained = try connection.execute("EXPLAIN ANALYZE SELECT id FROM t WHERE id < 5")
        #expect(explained.rows.map { $0[0].description }.contains("Segments: 1 scanned, 2 skipped"))
    }

    @Test func arrowFilesRoundTrip() throws {
        let directory = temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let connection = Database.inMemory(threadCount: 1).connect()
        try threeSegments(connection)
        let path = directory + "/t.arrow"
        #expect(try connection.execute("COPY t TO '\(path)' (FORMAT ARROW)").status == "COPY 9")
        let reader = try ArrowFileReader(path: path)
        #expect(reader.schema == Schema([Field("id", .int32, isNullable: false), Field("name", .utf8)]))
        #expect(try connection.execute("SELECT sum(id), count(name) FROM read_arrow('\(path)')").rows == [[.int64(102), .int64(6)]])
        #expect(try connection.execute("CREATE TABLE c AS SELECT * FROM read_arrow('\(path)') WHERE id > 10").status == "SELECT 5")
        #expect(try connection.execute("COPY c FROM '\(path)' (FORMAT ARROW)").status == "COPY 9")
        #expect(try connection.execute("SELECT count(*) FROM c").rows == [[.int64(14)]])
        let csv = directory + "/t.csv"
        #expect(try connection.execute("COPY (SELECT id, name FROM t WHERE id < 3 ORDER BY id) TO '\(csv)' (FORMAT CSV, HEADER)").status == "COPY 2")
        #expect(try String(contentsOfFile: csv, encoding: .utf8) == "id,name\n1,a\n2,b\n")
        let explained = try connection.execute("EXPLAIN SELECT * FROM read_arrow('\(path)')")
        #expect(explained.rows.map { $0[0].description }.joined().contains("read_arrow('\(path)')"))
    }
}

/// A memory catalog whose segments count how often their data is read.
final class CountingCatalog: Catalog, @unchecked Sendable {
    let base = MemoryCatalog()
    let reads = Atomic<Int>(0)

    struct CountingSegment: TableSegment {
        let segment: any TableSegment
        let catalog: CountingCatalog
        var rowCount: Int { segment.rowCount }
        var columnStatistics: [ColumnStatistics?] { segment.columnStatistics }
        func readBatches(columnIndices: [Int]) throws -> [RecordBatch] {
            catalog.reads.add(1, ordering: .relaxed)
            return try segment.readBatches(columnIndices: columnIndices)
        }
    }

    func segments(of identifier: TableIdentifier) throws -> [any TableSegment] {
        try base.segments(of: identifier).map { CountingSegment(segment: $0, catalog: self) }
    }

    func listTables() throws -> [TableIdentifier] { try base.listTables() }
    func table(_ identifier: TableIdentifier) throws -> TableDefinition? { try base.table(identifier) }
    func view(_ identifier: TableIdentifier) throws -> ViewDefinition? { try base.view(identifier) }
    func createTable(_ definition: TableDefinition) throws { try base.createTable(definition) }
    func createTable(_ definition: TableDefinition, batches: [RecordBatch]) throws { try base.createTable(definition, batches: batches) }
    func dropTable(_ identifier: TableIdentifier) throws { try base.dropTable(identifier) }
    func createView(_ definition: ViewDefinition, replacing: Bool) throws { try base.createView(definition, replacing: replacing) }
    func dropView(_ identifier: TableIdentifier) throws { try base.dropView(identifier) }
    func append(to identifier: TableIdentifier, batches: [RecordBatch]) throws { try base.append(to: identifier, batches: batches) }
    func replaceSegments(of identifier: TableIdentifier, expectedVersion: Int, replacements: [SegmentReplacement]) throws {
        try base.replaceSegments(of: identifier, expectedVersion: expectedVersion, replacements: replacements)
    }
    func statistics(of identifier: TableIdentifier) throws -> TableStatistics? { try base.statistics(of: identifier) }
    func setStatistics(_ statistics: TableStatistics, of identifier: TableIdentifier) throws { try base.setStatistics(statistics, of: identifier) }
}
