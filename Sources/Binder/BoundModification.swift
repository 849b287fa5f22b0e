import Catalog
import LogicalPlan

/// A bound `UPDATE` or `DELETE`: plans that the facade runs over one segment of the table at a time (the scan
/// of the target table, identified by `targetColumns`, is pointed at one segment), so that only segments
/// holding affected rows are rewritten.
public struct BoundTableModification: Sendable {
    /// Whether rows change or go.
    public enum Kind: Sendable, Hashable {
        case update
        case delete
    }

    public var kind: Kind
    /// The table, as it was when the statement was bound.
    public var table: TableDefinition
    /// One row with one `BIGINT` column: the number of rows the `WHERE` condition selects. Nil without `WHERE`
    /// (every row is affected).
    public var matchCount: LogicalPlan?
    /// UPDATE: every row with the table's columns, in table order and types, changed where the condition holds.
    /// DELETE: the rows that stay (nil without `WHERE`: none do).
    public var rewrite: LogicalPlan?
    /// The columns of the scan of the table being changed, in both plans. Only that scan is restricted to one
    /// segment: subqueries reading the same table (they have other column ids) see all of it.
    public var targetColumns: Set<ColumnID>
    /// UPDATE: the positions of the columns that `SET` assigns (key constraints need checking only when a key
    /// column is among them). Empty for DELETE.
    public var assignedColumns: Set<Int>

    public init(kind: Kind, table: TableDefinition, matchCount: LogicalPlan?, rewrite: LogicalPlan?,
                targetColumns: Set<ColumnID>, assignedColumns: Set<Int> = []) {
        self.kind = kind
        self.table = table
        self.matchCount = matchCount
        self.rewrite = rewrite
        self.targetColumns = targetColumns
        self.assignedColumns = assignedColumns
    }

    /// The status word: `UPDATE` or `DELETE`.
    public var command: String { kind == .update ? "UPDATE" : "DELETE" }
}
