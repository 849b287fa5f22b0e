import Catalog
import Columnar
import Testing
import Dispatch

/// The behavior every `Catalog` must have, run against both implementations.
@Suite struct CatalogContractTests {
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case memory, directory
        var testDescription: String { rawValue }

        func make() throws -> any Catalog {
            switch self {
            case .memory: return MemoryCatalog()
            case .directory: return try DirectoryCatalog(directory: makeTemporaryDirectory() + "/db")
            }
        }
    }

    @Test(arguments: Kind.allCases) func createsListsAndDropsTables(_ kind: Kind) throws {
        let catalog = try kind.make()
        #expect(try catalog.listTables().isEmpty)
        try catalog.createTable(ordersDefinition)
        #expect(try catalog.table(ordersIdentifier) == ordersDefinition)
        #expect(try catalog.table(TableIdentifier(name: "missing")) == nil)
        #expect(try catalog.segments(of: ordersIdentifier).isEmpty)
        #expect(throws: CatalogError.alreadyExists(ordersIdentifier)) { try catalog.createTable(ordersDefinition) }
        let other = TableDefinition(identifier: TableIdentifier(schema: "sales", name: "a"),
                                    columns: [ColumnDefinition(name: "x", dataType: .date32)])
        try catalog.createTable(other)
        #expect(try catalog.listTables() == [ordersIdentifier, other.identifier])
        try catalog.dropTable(ordersIdentifier)
        #expect(try catalog.table(ordersIdentifier) == nil)
        #expect(throws: CatalogError.tableNotFound(ordersIdentifier)) { try catalog.dropTable(ordersIdentifier) }
        #expect(throws: CatalogError.tableNotFound(ordersIdentifier)) { try catalog.segments(of: ordersIdentifier) }
        #expect(throws: CatalogError.tableNotFound(ordersIdentifier)) { try catalog.append(to: ordersIdentifier, batches: []) }
        #expect(try catalog.listTables() == [other.identifier])
    }

    @Test(arguments: Kind.allCases) func rejectsDuplicateColumns(_ kind: Kind) throws {
        let catalog = try kind.make()
        let definition = TableDefinition(identifier: TableIdentifier(name: "t"), columns: [
            ColumnDefinition(name: "a", dataType: .int32), ColumnDefinition(name: "a", dataType: .utf8),
        ])
        #expect(throws: CatalogError.self) { try catalog.createTable(definition) }
        #expect(try catalog.listTables().isEmpty)
    }

    @Test(arguments: Kind.allCases) func appendsAndReadsBack(_ kind: Kind) throws {
        let catalog = try kind.make()
        try catalog.createTable(ordersDefinition, batches: [ordersBatch(0..<100), ordersBatch(100..<5000)])
        #expect(try catalog.table(ordersIdentifier)?.version == 1)
        try catalog.append(to: ordersIdentifier, batches: [ordersBatch(5000..<5003), RecordBatch(schema: ordersDefinition.schema,
            columns: ordersBatch(0..<0).columns, rowCount: 0)])
        #expect(try catalog.table(ordersIdentifier)?.version == 2)
        let segments = try catalog.segments(of: ordersIdentifier)
        #expect(segments.map(\.rowCount) == [5000, 3])
        #expect(try scanRows(catalog, ordersIdentifier) == expectedOrdersRows(0..<5003))
        // Batches stay small, and projection picks and orders columns.
        let batches = try segments[0].readBatches(columnIndices: [2, 0])
        #expect(batches.allSatisfy { $0.rowCount <= 2048 })
        #expect(batches[0].schema.fields.map(\.name) == ["note", "id"])
        #expect(batches.flatMap(\.rows) == expectedOrdersRows(0..<5000).map { [$0[2], $0[0]] })
        #expect(throws: (any Error).self) { try segments[0].readBatches(columnIndices: [3]) }
    }

    @Test(arguments: Kind.allCases) func concurrentAppendsAreAtomic(_ kind: Kind) throws {
        let catalog = try kind.make()
        try catalog.createTable(ordersDefinition)
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            try? catalog.append(to: ordersIdentifier, batches: [ordersBatch((index * 100)..<(index * 100 + 100))])
        }
        let rows = try scanRows(catalog, ordersIdentifier)
        #expect(Set(rows.map { $0[0] }) == Set((0..<800).map { Value.int64(Int64($0)) }))
        #expect(rows.count == 800)
        #expect(try catalog.table(ordersIdentifier)?.version == 9)
    }

    @Test(arguments: Kind.allCases) func computesSegmentMinMax(_ kind: Kind) throws {
        let catalog = try kind.make()
        try catalog.createTable(ordersDefinition, batches: [ordersBatch(10..<20), ordersBatch(1..<5)])
        let statistics = try #require(try catalog.segments(of: ordersIdentifier).first).columnStatistics
        #expect(statistics[0] == ColumnStatistics(nullCount: 0, minimum: .int64(1), maximum: .int64(19)))
        #expect(statistics[1] == ColumnStatistics(nullCount: 3, minimum: .decimal(125, precision: 10, scale: 2),
                                                  maximum: .decimal(19 * 125, precision: 10, scale: 2)))
        #expect(statistics[2] == ColumnStatistics(nullCount: 2, minimum: .string("n1"), maximum: .string("n4")))
    }

    @Test(arguments: Kind.allCases) func enforcesTypesAndNotNull(_ kind: Kind) throws {
        let catalog = try kind.make()
        try catalog.createTable(ordersDefinition, batches: [ordersBatch(0..<3)])
        var ids = ColumnBuilder(.int64)
        ids.appendNull()
        let withNull = RecordBatch(schema: ordersDefinition.schema,
                                   columns: [ids.finish()] + ordersBatch(0..<1).columns.dropFirst(), rowCount: 1)
        #expect(throws: CatalogError("null value in column \"id\" violates not-null constraint")) {
            try catalog.append(to: ordersIdentifier, batches: [ordersBatch(3..<5), withNull])
        }
        let wrongType = RecordBatch(schema: Schema([Field("id", .int32)]), columns: [ColumnBuilder(.int32).finish()], rowCount: 0)
        #expect(throws: CatalogError.self) { try catalog.append(to: ordersIdentifier, batches: [wrongType]) }
        #expect(try scanRows(catalog, ordersIdentifier) == expectedOrdersRows(0..<3))
        #expect(try catalog.table(ordersIdentifier)?.version == 1)
    }

    @Test(arguments: Kind.allCases) func managesViews(_ kind: Kind) throws {
        let catalog = try kind.make()
        let identifier = TableIdentifier(name: "v")
        let view = ViewDefinition(identifier: identifier, sql: "SELECT 1 AS one", columnNames: ["one"])
        try catalog.createView(view, replacing: false)
        #expect(try catalog.view(identifier) == view)
        #expect(throws: CatalogError.alreadyExists(identifier)) { try catalog.createView(view, replacing: false) }
        let replacement = ViewDefinition(identifier: identifier, sql: "SELECT 2")
        try catalog.createView(replacement, replacing: true)
        #expect(try catalog.view(identifier) == replacement)
        #expect(throws: CatalogError.alreadyExists(identifier)) {
            try catalog.createTable(TableDefinition(identifier: identifier, columns: [ColumnDefinition(name: "a", dataType: .int32)]))
        }
        try catalog.createTable(ordersDefinition)
        #expect(throws: CatalogError.alreadyExists(ordersIdentifier)) {
            try catalog.createView(ViewDefinition(identifier: ordersIdentifier, sql: "SELECT 1"), replacing: true)
        }
        #expect(try catalog.listTables() == [ordersIdentifier, identifier])
        try catalog.dropView(identifier)
        #expect(try catalog.view(identifier) == nil)
        #expect(throws: CatalogError.viewNotFound(identifier)) { try catalog.dropView(identifier) }
    }

    @Test(arguments: Kind.allCases) func storesStatistics(_ kind: Kind) throws {
        let catalog = try kind.make()
        try catalog.createTable(ordersDefinition)
        #expect(try catalog.statistics(of: ordersIdentifier) == nil)
        let statistics = TableStatistics(rowCount: 42, columns: [
            "id": ColumnStatistics(nullCount: 0, distinctCount: 42, minimum: .int64(-1), maximum: .int64(99)),
            "note": ColumnStatistics(nullCount: 3, distinctCount: 7.5, minimum: .string("a \"quoted\" ✓"), maximum: .string("z")),
            "amount": ColumnStatistics(nullCount: 1, minimum: .decimal(-5, precision: 10, scale: 2), maximum: nil),
        ], dataVersion: 1)
        try catalog.setStatistics(statistics, of: ordersIdentifier)
        #expect(try catalog.statistics(of: ordersIdentifier) == statistics)
        #expect(throws: CatalogError.tableNotFound(TableIdentifier(name: "nope"))) {
            try catalog.setStatistics(statistics, of: TableIdentifier(name: "nope"))
        }
        try catalog.dropTable(ordersIdentifier)
        #expect(try catalog.statistics(of: ordersIdentifier) == nil)
    }
}
