import Catalog
import Columnar
@testable import Execution
import LogicalPlan

/// A table segment held in memory, with min/max statistics computed from its rows.
final class FixtureSegment: TableSegment, @unchecked Sendable {
    let columns: [Column]
    let rowCount: Int
    let columnStatistics: [ColumnStatistics?]
    private let fields: [Field]

    init(fields: [Field], rows: [[Value]]) {
        self.fields = fields
        rowCount = rows.count
        var columns: [Column] = []
        var statistics: [ColumnStatistics?] = []
        for (position, field) in fields.enumerated() {
            var builder = ColumnBuilder(field.dataType, capacity: rows.count)
            var minimum: Value?, maximum: Value?
            var nullCount = 0
            for row in rows {
                let value = row[position]
                builder.append(value)
                if value.isNull { nullCount += 1; continue }
                if minimum == nil || (ValueOrdering.compare(value, minimum!) ?? 0) < 0 { minimum = value }
                if maximum == nil || (ValueOrdering.compare(value, maximum!) ?? 0) > 0 { maximum = value }
            }
            columns.append(builder.finish())
            statistics.append(ColumnStatistics(nullCount: nullCount, minimum: minimum, maximum: maximum))
        }
        self.columns = columns
        columnStatistics = statistics
    }

    func readBatches(columnIndices: [Int]) throws -> [RecordBatch] {
        [RecordBatch(schema: Schema(columnIndices.map { fields[$0] }), columns: columnIndices.map { columns[$0] }, rowCount: rowCount)]
    }
}

/// A catalog of in-memory tables for operator tests (used from one thread at a time).
final class FixtureCatalog: Catalog, @unchecked Sendable {
    private var tables: [TableIdentifier: (TableDefinition, [any TableSegment])] = [:]

    func add(_ definition: TableDefinition, segments: [any TableSegment]) {
        tables[definition.identifier] = (definition, segments)
    }

    func listTables() throws -> [TableIdentifier] { return tables.keys.sorted() }
    func table(_ identifier: TableIdentifier) throws -> TableDefinition? { return tables[identifier]?.0 }
    func view(_ identifier: TableIdentifier) throws -> ViewDefinition? { nil }
    func createTable(_ definition: TableDefinition) throws { add(definition, segments: []) }
    func createTable(_ definition: TableDefinition, batches: [RecordBatch]) throws { throw CatalogError("unsupported") }
    func dropTable(_ identifier: TableIdentifier) throws { tables[identifier] = nil }
    func createView(_ definition: ViewDefinition, replacing: Bool) throws { throw CatalogError("unsupported") }
    func dropView(_ identifier: TableIdentifier) throws { throw CatalogError("unsupported") }
    func segments(of identifier: TableIdentifier) throws -> [any TableSegment] {
        guard let entry = tables[identifier] else { throw CatalogError.tableNotFound(identifier) }
        return entry.1
    }
    func append(to identifier: TableIdentifier, batches: [RecordBatch]) throws { throw CatalogError("unsupported") }
    func statistics(of identifier: TableIdentifier) throws -> TableStatistics? { nil }
    func setStatistics(_ statistics: TableStatistics, of identifier: TableIdentifier) throws {}
}

/// Builds tables and plans for one test, handing out fresh column ids.
final class Fixture {
    let catalog = FixtureCatalog()
    private var nextID = 1

    /// A fresh plan column.
    func column(_ name: String, _ type: DataType) -> PlanColumn {
        defer { nextID += 1 }
        return PlanColumn(id: ColumnID(nextID), name: name, dataType: type)
    }

    /// Stores a table with `rows`, split into segments of `segmentSize` rows, and returns a scan of all its columns.
    func table(_ name: String, _ columns: [(String, DataType)], _ rows: [[Value]], segmentSize: Int = 1000,
               filters: (([PlanColumn]) -> [Expression])? = nil) -> LogicalPlan {
        let definition = TableDefinition(identifier: TableIdentifier(name: name),
                                         columns: columns.map { ColumnDefinition(name: $0.0, dataType: $0.1) })
        let fields = columns.map { Field($0.0, $0.1) }
        var segments: [any TableSegment] = []
        var start = 0
        while start < rows.count {
            let end = min(start + segmentSize, rows.count)
            segments.append(FixtureSegment(fields: fields, rows: Array(rows[start..<end])))
            start = end
        }
        catalog.add(definition, segments: segments)
        let planColumns = columns.map { column($0.0, $0.1) }
        return .scan(Scan(source: .table(definition), columns: planColumns, columnIndices: Array(columns.indices),
                          filters: filters?(planColumns) ?? []))
    }

    /// Runs a plan and returns its rows.
    func run(_ plan: LogicalPlan, threadCount: Int = 1) throws -> [[Value]] {
        let context = ExecutionContext(catalog: catalog, threadCount: threadCount)
        return try executePlan(plan, context: context).flatMap(\.rows)
    }

    /// Runs a plan and returns its batches.
    func batches(_ plan: LogicalPlan) throws -> [RecordBatch] {
        try executePlan(plan, context: ExecutionContext(catalog: catalog))
    }
}

extension LogicalPlan {
    /// The plan's column at `position`, as an expression.
    func ref(_ position: Int) -> Expression { .column(columns[position]) }
}

func int(_ value: Int32?) -> Value { value.map { .int32($0) } ?? .null }
func bigint(_ value: Int64?) -> Value { value.map { .int64($0) } ?? .null }
func text(_ value: String?) -> Value { value.map { .string($0) } ?? .null }
func double(_ value: Double?) -> Value { value.map { .float64($0) } ?? .null }
func decimal(_ unscaled: Int128, _ precision: Int, _ scale: Int) -> Value { .decimal(unscaled, precision: precision, scale: scale) }

func compare(_ function: ScalarFunction, _ left: Expression, _ right: Expression) -> Expression {
    .function(function, [left, right], .boolean)
}

func literal(_ value: Int32) -> Expression { .literal(.int32(value), .int32) }

/// Rows as `a|b|c` lines, in order.
func lines(_ rows: [[Value]]) -> [String] { rows.map { $0.map(\.description).joined(separator: "|") } }

/// Rows as `a|b|c` lines, sorted (for results whose order is unspecified).
func sortedLines(_ rows: [[Value]]) -> [String] { lines(rows).sorted() }
