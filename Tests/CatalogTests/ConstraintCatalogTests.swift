import Catalog
import Columnar
import Testing

@Suite struct ConstraintCatalogTests {
    private let identifier = TableIdentifier(name: "keyed")

    private var keyedDefinition: TableDefinition {
        TableDefinition(
            identifier: identifier,
            columns: [
                ColumnDefinition(name: "id", dataType: .int64, isNullable: false),
                ColumnDefinition(name: "code", dataType: .utf8, defaultExpression: "'none'"),
                ColumnDefinition(name: "n", dataType: .int32, defaultExpression: "-1"),
            ],
            keyConstraints: [
                KeyConstraint(name: "keyed_pkey", kind: .primaryKey, columnIndices: [0]),
                KeyConstraint(name: "keyed_code_n_key", kind: .unique, columnIndices: [1, 2]),
            ])
    }

    @Test func directoryCatalogPersistsKeysAndDefaults() throws {
        let directory = makeTemporaryDirectory() + "/db"
        defer { removeTree(directory) }
        try DirectoryCatalog(directory: directory).createTable(keyedDefinition)
        let json = readText(directory + "/catalog.json")
        #expect(json.contains("\"keyConstraints\""))
        #expect(json.contains("\"default\" : \"'none'\""))
        // Older programs must not open a catalog whose constraints they would ignore.
        #expect(json.contains("\"formatVersion\" : 2"))
        let reopened = try DirectoryCatalog(directory: directory)
        #expect(try reopened.table(identifier) == keyedDefinition)
        #expect(try reopened.table(identifier)?.primaryKey?.columnIndices == [0])
    }

    @Test func catalogsWithoutConstraintsKeepTheOldFormat() throws {
        let directory = makeTemporaryDirectory() + "/db"
        defer { removeTree(directory) }
        try DirectoryCatalog(directory: directory).createTable(TableDefinition(
            identifier: identifier, columns: [ColumnDefinition(name: "a", dataType: .int32)]))
        let json = readText(directory + "/catalog.json")
        #expect(json.contains("\"formatVersion\" : 1"))
        #expect(!json.contains("keyConstraints"))
        #expect(!json.contains("\"default\""))
    }

    @Test func oldCatalogWithoutConstraintFieldsStillOpens() throws {
        let directory = makeTemporaryDirectory() + "/db"
        defer { removeTree(directory) }
        _ = try DirectoryCatalog(directory: directory)
        writeFile(directory + "/catalog.json", """
            {
              "formatVersion" : 1,
              "statistics" : [],
              "tables" : [
                {
                  "columns" : [
                    { "name" : "a", "nullable" : false, "type" : "INTEGER" },
                    { "name" : "b", "nullable" : true, "type" : "VARCHAR" }
                  ],
                  "name" : "old",
                  "schema" : "main",
                  "segments" : [],
                  "version" : 3
                }
              ],
              "views" : []
            }
            """)
        let catalog = try DirectoryCatalog(directory: directory)
        let table = try #require(try catalog.table(TableIdentifier(name: "old")))
        #expect(table.keyConstraints.isEmpty)
        #expect(table.columns.map(\.defaultExpression) == [nil, nil])
        #expect(table.columns.map(\.isNullable) == [false, true])
        #expect(table.version == 3)
    }

    @Test func memoryCatalogKeepsKeysAndDefaults() throws {
        let catalog = MemoryCatalog()
        try catalog.createTable(keyedDefinition)
        #expect(try catalog.table(identifier) == keyedDefinition)
    }

    @Test func invalidConstraintsAreRefused() throws {
        let catalog = MemoryCatalog()
        var twoPrimaryKeys = keyedDefinition
        twoPrimaryKeys.keyConstraints.append(KeyConstraint(name: "other", kind: .primaryKey, columnIndices: [0]))
        #expect(throws: CatalogError("multiple primary keys for table \"keyed\" are not allowed")) {
            try catalog.createTable(twoPrimaryKeys)
        }
        var outOfRange = keyedDefinition
        outOfRange.keyConstraints = [KeyConstraint(name: "k", kind: .unique, columnIndices: [5])]
        #expect(throws: CatalogError.self) { try catalog.createTable(outOfRange) }
        var nullableKey = keyedDefinition
        nullableKey.keyConstraints = [KeyConstraint(name: "k", kind: .primaryKey, columnIndices: [1])]
        #expect(throws: CatalogError("primary key column \"code\" of \"keyed\" must be NOT NULL")) {
            try catalog.createTable(nullableKey)
        }
        #expect(try catalog.table(identifier) == nil)
    }

    @Test func conditionalAppendChecksTheVersion() throws {
        for catalog in [MemoryCatalog() as any Catalog, try DirectoryCatalog(directory: makeTemporaryDirectory() + "/db")] {
            try catalog.createTable(ordersDefinition)
            try catalog.append(to: ordersIdentifier, batches: [ordersBatch(0..<5)], expectedVersion: 1)
            #expect(try catalog.table(ordersIdentifier)?.version == 2)
            #expect(throws: CatalogError.self) {
                try catalog.append(to: ordersIdentifier, batches: [ordersBatch(5..<10)], expectedVersion: 1)
            }
            #expect(try scanRows(catalog, ordersIdentifier) == expectedOrdersRows(0..<5))
        }
    }
}
