import Catalog
import Columnar
import Dispatch
import Testing

/// `replaceSegments`, the primitive behind UPDATE and DELETE, on both catalogs.
@Suite struct SegmentReplacementTests {
    typealias Kind = CatalogContractTests.Kind

    /// A table with three segments: ids 0..<10, 10..<20 and 20..<30.
    func threeSegments(_ catalog: any Catalog) throws -> any Catalog {
        try catalog.createTable(ordersDefinition, batches: [ordersBatch(0..<10)])
        try catalog.append(to: ordersIdentifier, batches: [ordersBatch(10..<20)])
        try catalog.append(to: ordersIdentifier, batches: [ordersBatch(20..<30)])
        return catalog
    }

    @Test(arguments: Kind.allCases) func replacesAndDeletesSegmentsInPlace(_ kind: Kind) throws {
        let catalog = try threeSegments(try kind.make())
        #expect(try catalog.table(ordersIdentifier)?.version == 3)
        // Segment 1 becomes ids 100..<105, segment 0 goes, segment 2 stays.
        try catalog.replaceSegments(of: ordersIdentifier, expectedVersion: 3, replacements: [
            SegmentReplacement(index: 1, batches: [ordersBatch(100..<105)]),
            SegmentReplacement(index: 0, batches: []),
        ])
        #expect(try catalog.table(ordersIdentifier)?.version == 4)
        #expect(try scanRows(catalog, ordersIdentifier) == expectedOrdersRows(100..<105) + expectedOrdersRows(20..<30))
        let segments = try catalog.segments(of: ordersIdentifier)
        #expect(segments.map(\.rowCount) == [5, 10])
        // The new segment has fresh statistics for skipping.
        #expect(segments[0].columnStatistics[0] == ColumnStatistics(nullCount: 0, minimum: .int64(100), maximum: .int64(104)))
        // Nothing to replace: no new version.
        try catalog.replaceSegments(of: ordersIdentifier, expectedVersion: 4, replacements: [])
        #expect(try catalog.table(ordersIdentifier)?.version == 4)
    }

    @Test(arguments: Kind.allCases) func refusesStaleVersionsBadIndicesAndBadData(_ kind: Kind) throws {
        let catalog = try threeSegments(try kind.make())
        let before = try scanRows(catalog, ordersIdentifier)
        #expect(throws: CatalogError.self) {
            try catalog.replaceSegments(of: ordersIdentifier, expectedVersion: 2, replacements: [SegmentReplacement(index: 0, batches: [])])
        }
        for indices in [[3], [-1], [1, 1]] {
            #expect(throws: CatalogError.self) {
                try catalog.replaceSegments(of: ordersIdentifier, expectedVersion: 3,
                                            replacements: indices.map { SegmentReplacement(index: $0, batches: []) })
            }
        }
        // NOT NULL: id may not be null.
        var id = ColumnBuilder(.int64)
        id.appendNull()
        let nullID = RecordBatch(schema: ordersDefinition.schema, columns: [
            id.finish(), Column.nulls(.decimal128(precision: 10, scale: 2), count: 1), Column.nulls(.utf8, count: 1),
        ], rowCount: 1)
        #expect(throws: CatalogError.self) {
            try catalog.replaceSegments(of: ordersIdentifier, expectedVersion: 3, replacements: [
                SegmentReplacement(index: 0, batches: []), SegmentReplacement(index: 1, batches: [nullID]),
            ])
        }
        #expect(throws: CatalogError.tableNotFound(TableIdentifier(name: "missing"))) {
            try catalog.replaceSegments(of: TableIdentifier(name: "missing"), expectedVersion: 1, replacements: [])
        }
        #expect(try scanRows(catalog, ordersIdentifier) == before)
        #expect(try catalog.table(ordersIdentifier)?.version == 3)
    }

    @Test func directoryCatalogSwapsFilesAndSurvivesReopening() throws {
        let directory = makeTemporaryDirectory() + "/db"
        let catalog = try threeSegments(try DirectoryCatalog(directory: directory))
        let folder = directory + "/data/main.orders"
        let before = listDirectory(folder)
        #expect(before.count == 3)
        let segmentFiles = try catalog.segments(of: ordersIdentifier).map { ($0 as! DirectorySegment).path }
        try catalog.replaceSegments(of: ordersIdentifier, expectedVersion: 3,
                                    replacements: [SegmentReplacement(index: 2, batches: [ordersBatch(40..<42)])])
        let after = listDirectory(folder)
        #expect(after.count == 3)
        // The replaced segment's file is gone, the others are untouched, one file is new.
        #expect(!fileExists(segmentFiles[2]))
        #expect(fileExists(segmentFiles[0]) && fileExists(segmentFiles[1]))
        #expect(Set(after).subtracting(before).count == 1)
        let reopened = try DirectoryCatalog(directory: directory)
        #expect(try scanRows(reopened, ordersIdentifier) == expectedOrdersRows(0..<20) + expectedOrdersRows(40..<42))
        #expect(try reopened.table(ordersIdentifier)?.version == 4)
        // Deleting every segment leaves no files (and no folder).
        try reopened.replaceSegments(of: ordersIdentifier, expectedVersion: 4,
                                     replacements: (0..<3).map { SegmentReplacement(index: $0, batches: []) })
        #expect(try reopened.segments(of: ordersIdentifier).isEmpty)
        #expect(listDirectory(folder).isEmpty)
    }

    /// A writer keeps rewriting both segments of a table (every note becomes "v<k>") while another catalog
    /// instance on the same directory keeps scanning: every scan sees one whole version, 40 rows with one note.
    @Test func readersSeeTheTableBeforeOrAfterNeverBetween() throws {
        let directory = makeTemporaryDirectory() + "/db"
        let writer = try DirectoryCatalog(directory: directory)
        try writer.createTable(ordersDefinition, batches: [notes(0..<20, "v0")])
        try writer.append(to: ordersIdentifier, batches: [notes(20..<40, "v0")])
        let reader = try DirectoryCatalog(directory: directory)
        let rounds = 40
        final class Observations: @unchecked Sendable {
            var notes: [Set<Value>] = []
            var errors: [String] = []
        }
        let observations = Observations()
        DispatchQueue.concurrentPerform(iterations: 2) { role in
            if role == 0 {
                for round in 1...rounds {
                    let version = (try? writer.table(ordersIdentifier)?.version) ?? 0
                    try? writer.replaceSegments(of: ordersIdentifier, expectedVersion: version, replacements: [
                        SegmentReplacement(index: 0, batches: [notes(0..<20, "v\(round)")]),
                        SegmentReplacement(index: 1, batches: [notes(20..<40, "v\(round)")]),
                    ])
                }
            } else {
                for _ in 0..<(rounds * 3) {
                    do {
                        let rows = try scanRows(reader, ordersIdentifier)
                        if rows.count != 40 { observations.errors.append("\(rows.count) rows") }
                        observations.notes.append(Set(rows.map { $0[2] }))
                    } catch {
                        observations.errors.append("\(error)")
                    }
                }
            }
        }
        // Only the reader thread touched `observations`.
        #expect(observations.errors.isEmpty, "\(observations.errors.prefix(3))")
        #expect(observations.notes.count == rounds * 3 && observations.notes.allSatisfy { $0.count == 1 })
        #expect(try scanRows(writer, ordersIdentifier).allSatisfy { $0[2] == .string("v\(rounds)") })
        #expect(listDirectory(directory + "/data/main.orders").count == 2)
    }

    /// Rows `ids` of `orders` with every note set to `note`.
    func notes(_ ids: Range<Int>, _ note: String) -> RecordBatch {
        var batch = ordersBatch(ids)
        var builder = ColumnBuilder(.utf8, capacity: ids.count)
        for _ in ids { builder.append(string: note) }
        batch.columns[2] = builder.finish()
        return batch
    }
}

