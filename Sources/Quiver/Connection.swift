import Binder
import Catalog
import Columnar
import Execution
import Foundation
import LogicalPlan
import Optimizer
import SQLSyntax

/// A session: runs statements one at a time against a database and keeps session settings (`SET`).
public final class Connection {
    public let database: Database
    /// Session settings; see `Settings` for the names and defaults.
    public private(set) var settings: Settings

    init(database: Database) {
        self.database = database
        settings = Settings(threadCount: database.threadCount)
    }

    /// Parses a script into statements without running them.
    public func parse(_ sql: String) throws -> [Statement] {
        do { return try Parser.parse(sql) } catch { throw QuiverError(error) }
    }

    /// Runs every statement of a script and returns the result of each. Stops at the first error.
    @discardableResult
    public func executeScript(_ sql: String) throws -> [QueryResult] {
        try parse(sql).map { try execute($0) }
    }

    /// Runs a script and returns the last statement's result (an empty status when there was none).
    @discardableResult
    public func execute(_ sql: String) throws -> QueryResult {
        try executeScript(sql).last ?? .status("")
    }

    /// Runs one parsed statement.
    public func execute(_ statement: Statement) throws -> QueryResult {
        do {
            var binder = Binder(catalog: database.catalog)
            binder.defaultNullOrder = settings.defaultNullOrder
            let bound = try binder.bind(statement)
            return try run(bound)
        } catch {
            throw QuiverError(error)
        }
    }

    // MARK: - Running bound statements

    private func run(_ statement: BoundStatement) throws -> QueryResult {
        let catalog = database.catalog
        switch statement {
        case .query(let plan):
            let optimized = try optimize(plan)
            let batches = try executePlan(optimized, context: makeContext())
            return QueryResult(fields: fields(of: optimized), batches: batches)

        case .createTable(let definition, let ifNotExists):
            if ifNotExists, try catalogHasObject(definition.identifier) { return .status("CREATE TABLE") }
            try catalog.createTable(definition)
            return .status("CREATE TABLE")

        case .createTableAs(let identifier, let plan, let ifNotExists):
            if ifNotExists, try catalogHasObject(identifier) { return .status("CREATE TABLE AS") }
            if try catalogHasObject(identifier) { throw CatalogError.alreadyExists(identifier) }
            let optimized = try optimize(plan)
            let batches = try executePlan(optimized, context: makeContext())
            let columns = optimized.columns.map { ColumnDefinition(name: $0.name, dataType: $0.dataType == .null ? .int32 : $0.dataType) }
            let definition = TableDefinition(identifier: identifier, columns: columns)
            try catalog.createTable(definition, batches: try conform(batches, to: definition))
            return .status("SELECT \(batches.reduce(0) { $0 + $1.rowCount })")

        case .dropTable(let identifier, let ifExists):
            if ifExists, try catalog.table(identifier) == nil { return .status("DROP TABLE") }
            try catalog.dropTable(identifier)
            return .status("DROP TABLE")

        case .createView(let definition, let replacing):
            try catalog.createView(definition, replacing: replacing)
            return .status("CREATE VIEW")

        case .dropView(let identifier, let ifExists):
            if ifExists, try catalog.view(identifier) == nil { return .status("DROP VIEW") }
            try catalog.dropView(identifier)
            return .status("DROP VIEW")

        case .insert(let identifier, let plan):
            guard let definition = try catalog.table(identifier) else { throw CatalogError.tableNotFound(identifier) }
            let optimized = try optimize(plan)
            let batches = try conform(try executePlan(optimized, context: makeContext()), to: definition)
            try appendCheckingKeys(definition, batches)
            return .status("INSERT 0 \(batches.reduce(0) { $0 + $1.rowCount })")

        case .copyFrom(let identifier, let path, let options):
            guard let definition = try catalog.table(identifier) else { throw CatalogError.tableNotFound(identifier) }
            let reader = try CSVReader(path: path, options: options, schema: definition.schema)
            let batches = try conform(try reader.readAll(), to: definition)
            try appendCheckingKeys(definition, batches)
            return .status("COPY \(batches.reduce(0) { $0 + $1.rowCount })")

        case .copyTo(let plan, let path, let options):
            let optimized = try optimize(plan)
            let batches = try executePlan(optimized, context: makeContext())
            let fields = fields(of: optimized)
            try CSVWriter.write(batches, schema: Schema(fields), to: path, options: options)
            return .status("COPY \(batches.reduce(0) { $0 + $1.rowCount })")

        case .copyFromArrow(let identifier, let path):
            return try copyFromArrow(identifier, path: path)

        case .copyToArrow(let plan, let path):
            return try copyToArrow(plan, path: path)

        case .update(let modification), .delete(let modification):
            return try modify(modification)

        case .explain(let inner, let isAnalyze):
            return try explain(inner, isAnalyze: isAnalyze)

        case .analyze(let identifier):
            let targets = try identifier.map { [$0] } ?? catalog.listTables().filter { try catalog.table($0) != nil }
            for target in targets { try StatisticsCollector.analyze(target, catalog: catalog) }
            return .status("ANALYZE")

        case .set(let name, let value):
            try settings.set(name, to: value)
            return .status("SET")

        case .createIndex:
            // Quiver has no indexes; the binder checked the table and columns, and results do not depend on indexes.
            return .status("CREATE INDEX")

        case .showTables:
            let names = try catalog.listTables().map(\.description)
            return Self.textResult(columnNames: ["name"], rows: names.map { [$0] })

        case .describe(let identifier):
            if let table = try catalog.table(identifier) {
                return Self.describeTable(table)
            }
            guard let view = try catalog.view(identifier) else { throw CatalogError.tableNotFound(identifier) }
            var binder = Binder(catalog: catalog)
            binder.defaultNullOrder = settings.defaultNullOrder
            guard let viewStatement = try Parser.parse(view.sql).first,
                  case .query(let viewPlan) = try binder.bind(viewStatement) else {
                throw QuiverError(message: "view \"\(identifier)\" does not hold a query")
            }
            let columns = viewPlan.columns
            return Self.textResult(
                columnNames: Self.describeColumnNames,
                rows: columns.enumerated().map { index, column in
                    [index < view.columnNames.count ? view.columnNames[index] : column.name, column.dataType.description, "YES",
                     nil, nil]
                })
        }
    }

    private func catalogHasObject(_ identifier: TableIdentifier) throws -> Bool {
        try database.catalog.table(identifier) != nil || database.catalog.view(identifier) != nil
    }

    func optimize(_ plan: LogicalPlan) throws -> LogicalPlan {
        let context = OptimizerContext(catalog: database.catalog, disabledRules: settings.disabledRules)
        return try Optimizer().optimize(plan, context: context)
    }

    func makeContext() -> ExecutionContext {
        ExecutionContext(catalog: database.catalog, threadCount: settings.threadCount)
    }

    func fields(of plan: LogicalPlan) -> [Field] {
        plan.columns.map { Field($0.name, $0.dataType, isNullable: $0.isNullable) }
    }

    /// Casts batches to a table's column types and names, and enforces NOT NULL.
    func conform(_ batches: [RecordBatch], to definition: TableDefinition) throws -> [RecordBatch] {
        let schema = definition.schema
        return try batches.map { batch in
            guard batch.columns.count == schema.fields.count else {
                throw ExecutionError("expected \(schema.fields.count) columns, got \(batch.columns.count)")
            }
            var columns: [Column] = []
            for (index, column) in batch.columns.enumerated() {
                let field = schema.fields[index]
                let converted = column.dataType == field.dataType ? column : try castColumn(column, to: field.dataType)
                if !field.isNullable, converted.nullCount > 0 {
                    throw ExecutionError("null value in column \"\(field.name)\" of relation \"\(definition.identifier)\" violates not-null constraint")
                }
                columns.append(converted)
            }
            return RecordBatch(schema: schema, columns: columns, rowCount: batch.rowCount)
        }
    }

    /// The columns of `DESCRIBE`, as DuckDB names them.
    static let describeColumnNames = ["column_name", "column_type", "null", "key", "default"]

    /// `DESCRIBE table`: per column its name, type, nullability (`YES`/`NO`), key (`PRI` for a primary key column,
    /// `UNI` for a column of a unique constraint, else NULL) and DEFAULT expression (NULL when none).
    static func describeTable(_ table: TableDefinition) -> QueryResult {
        textResult(columnNames: describeColumnNames, rows: table.columns.enumerated().map { index, column in
            let keys = table.keyConstraints.filter { $0.columnIndices.contains(index) }
            let key: String? = keys.contains { $0.kind == .primaryKey } ? "PRI" : keys.isEmpty ? nil : "UNI"
            return [column.name, column.dataType.description, column.isNullable ? "YES" : "NO", key, column.defaultExpression]
        })
    }

    /// A result of text columns; nil cells are NULL.
    static func textResult(columnNames: [String], rows: [[String?]]) -> QueryResult {
        var builders = columnNames.map { _ in ColumnBuilder(.utf8, capacity: rows.count) }
        for row in rows {
            for (index, text) in row.enumerated() {
                if let text { builders[index].append(string: text) } else { builders[index].appendNull() }
            }
        }
        let fields = columnNames.indices.map { index in
            Field(columnNames[index], .utf8, isNullable: rows.contains { $0[index] == nil })
        }
        let batch = RecordBatch(schema: Schema(fields), columns: builders.map { $0.finish() }, rowCount: rows.count)
        return QueryResult(fields: fields, batches: [batch])
    }

    // MARK: - EXPLAIN

    private func explain(_ statement: BoundStatement, isAnalyze: Bool) throws -> QueryResult {
        let plan: LogicalPlan
        switch statement {
        case .query(let query): plan = query
        case .insert(_, let source), .createTableAs(_, let source, _), .copyTo(let source, _, _),
             .copyToArrow(let source, _): plan = source
        default: throw QuiverError(message: "EXPLAIN supports queries, INSERT, CREATE TABLE AS and COPY TO")
        }
        let optimized = try optimize(plan)
        var text = optimized.render()
        if isAnalyze {
            let context = makeContext()
            let root = try PhysicalPlanner.makeOperator(for: optimized, context: context)
            let start = ContinuousClock.now
            while try root.next() != nil {}
            let elapsed = ContinuousClock.now - start
            text += "\n\nExecuted:\n" + Self.renderOperators(root, depth: 0)
            text += "Segments: \(context.scannedSegmentCount) scanned, \(context.skippedSegmentCount) skipped\n"
            text += "Total time: \(elapsed.formatted(.units(allowed: [.milliseconds], fractionalPart: .show(length: 3))))\n"
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return Self.textResult(columnNames: ["plan"], rows: lines.filter { !$0.isEmpty }.map { [$0] })
    }

    private static func renderOperators(_ node: any PhysicalOperator, depth: Int) -> String {
        var text = String(repeating: "  ", count: depth) + "\(node.name) (rows=\(node.producedRows))\n"
        for child in node.children { text += renderOperators(child, depth: depth + 1) }
        return text
    }
}
