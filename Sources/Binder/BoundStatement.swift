import Catalog
import Columnar
import LogicalPlan

/// A statement after binding: names resolved against the catalog, types checked, queries turned into plans.
public enum BoundStatement: Sendable {
    /// A query; the result column names are `plan.columns.map(\.name)`.
    case query(LogicalPlan)
    /// `CREATE TABLE`.
    case createTable(TableDefinition, ifNotExists: Bool)
    /// `CREATE TABLE ... AS query`: the table's columns are the plan's columns.
    case createTableAs(TableIdentifier, LogicalPlan, ifNotExists: Bool)
    /// `DROP TABLE`.
    case dropTable(TableIdentifier, ifExists: Bool)
    /// `CREATE [OR REPLACE] VIEW`, validated by binding its query.
    case createView(ViewDefinition, replacing: Bool)
    /// `DROP VIEW`.
    case dropView(TableIdentifier, ifExists: Bool)
    /// `INSERT`: the plan yields exactly the table's columns, in table order, with the table's types.
    case insert(TableIdentifier, LogicalPlan)
    /// `COPY table FROM 'path'`.
    case copyFrom(TableIdentifier, path: String, options: CSVOptions)
    /// `COPY table|(query) TO 'path'`.
    case copyTo(LogicalPlan, path: String, options: CSVOptions)
    /// `COPY table FROM 'path' (FORMAT ARROW)`: the Arrow IPC file's columns fill the table's, by position.
    case copyFromArrow(TableIdentifier, path: String)
    /// `COPY table|(query) TO 'path' (FORMAT ARROW)`: writes an Arrow IPC file.
    case copyToArrow(LogicalPlan, path: String)
    /// `UPDATE table SET ... [WHERE ...]`.
    case update(BoundTableModification)
    /// `DELETE FROM table [WHERE ...]`.
    case delete(BoundTableModification)
    /// `EXPLAIN [ANALYZE] statement`.
    indirect case explain(BoundStatement, isAnalyze: Bool)
    /// `ANALYZE [table]`; nil for all tables.
    case analyze(TableIdentifier?)
    /// `SET name = value`; a nil value means `DEFAULT`.
    case set(name: String, value: Value?)
    /// `SHOW TABLES`.
    case showTables
    /// `DESCRIBE table_or_view`.
    case describe(TableIdentifier)
    /// `CREATE INDEX` on a table whose indexed columns exist. Quiver has no indexes: running it changes nothing.
    case createIndex(TableIdentifier)
}
