import Catalog
import Columnar
import LogicalPlan
@testable import Optimizer

// Hand-built plans for the rule tests: tables, scans, expressions and a catalog that knows row counts.

func column(_ id: Int, _ name: String, _ type: DataType = .int64) -> PlanColumn {
    PlanColumn(id: ColumnID(id), name: name, dataType: type)
}

func table(_ name: String, _ columns: [PlanColumn]) -> TableDefinition {
    TableDefinition(identifier: TableIdentifier(name: name),
                    columns: columns.map { ColumnDefinition(name: $0.name, dataType: $0.dataType) })
}

/// A scan of all the columns of a table named `name` made of exactly these columns.
func scan(_ name: String, _ columns: [PlanColumn], filters: [Expression] = []) -> LogicalPlan {
    .scan(Scan(source: .table(table(name, columns)), columns: columns, columnIndices: Array(columns.indices), filters: filters))
}

func ref(_ column: PlanColumn) -> Expression { .column(column) }
func integer(_ value: Int64) -> Expression { .literal(.int64(value), .int64) }
let trueLiteral = Expression.literal(.boolean(true), .boolean)
let falseLiteral = Expression.literal(.boolean(false), .boolean)
let nullBoolean = Expression.literal(.null, .boolean)

func compare(_ function: ScalarFunction, _ left: Expression, _ right: Expression) -> Expression {
    .function(function, [left, right], .boolean)
}
func equal(_ left: Expression, _ right: Expression) -> Expression { compare(.equal, left, right) }
func greater(_ left: Expression, _ right: Expression) -> Expression { compare(.greater, left, right) }
func less(_ left: Expression, _ right: Expression) -> Expression { compare(.less, left, right) }

func filter(_ input: LogicalPlan, _ predicate: Expression) -> LogicalPlan {
    .filter(Filter(input: input, predicate: predicate))
}

func project(_ input: LogicalPlan, _ items: [(PlanColumn, Expression)]) -> LogicalPlan {
    .projection(Projection(input: input, items: items.map { ProjectionItem(output: $0.0, expression: $0.1) }))
}

func join(_ kind: JoinKind, _ left: LogicalPlan, _ right: LogicalPlan, _ condition: Expression? = nil) -> LogicalPlan {
    .join(Join(kind: kind, left: left, right: right, condition: condition))
}

func optimize(_ plan: LogicalPlan, with rule: any OptimizerRule, catalog: (any Catalog)? = nil) throws -> LogicalPlan {
    try rule.rewrite(plan, context: OptimizerContext(catalog: catalog))
}

/// A catalog that only knows how many rows each table has.
final class RowCountCatalog: Catalog {
    struct Segment: TableSegment {
        var rowCount: Int
        var columnStatistics: [ColumnStatistics?] { [] }
        func readBatches(columnIndices: [Int]) throws -> [RecordBatch] { [] }
    }

    let rowCounts: [String: Int]

    init(_ rowCounts: [String: Int]) { self.rowCounts = rowCounts }

    func listTables() throws -> [TableIdentifier] { rowCounts.keys.sorted().map { TableIdentifier(name: $0) } }
    func table(_ identifier: TableIdentifier) throws -> TableDefinition? { nil }
    func view(_ identifier: TableIdentifier) throws -> ViewDefinition? { nil }
    func createTable(_ definition: TableDefinition) throws { throw CatalogError("read-only") }
    func createTable(_ definition: TableDefinition, batches: [RecordBatch]) throws { throw CatalogError("read-only") }
    func dropTable(_ identifier: TableIdentifier) throws { throw CatalogError("read-only") }
    func createView(_ definition: ViewDefinition, replacing: Bool) throws { throw CatalogError("read-only") }
    func dropView(_ identifier: TableIdentifier) throws { throw CatalogError("read-only") }
    func append(to identifier: TableIdentifier, batches: [RecordBatch]) throws { throw CatalogError("read-only") }
    func setStatistics(_ statistics: TableStatistics, of identifier: TableIdentifier) throws { throw CatalogError("read-only") }
    func statistics(of identifier: TableIdentifier) throws -> TableStatistics? { nil }

    /// Two segments splitting the table's rows, to check that the estimate sums them.
    func segments(of identifier: TableIdentifier) throws -> [any TableSegment] {
        guard let rows = rowCounts[identifier.name] else { throw CatalogError.tableNotFound(identifier) }
        return [Segment(rowCount: rows / 2), Segment(rowCount: rows - rows / 2)]
    }
}
