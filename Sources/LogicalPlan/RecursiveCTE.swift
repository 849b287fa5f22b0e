/// `WITH RECURSIVE name AS (anchor UNION [ALL] recursive)`: the anchor's rows, then the recursive term run again
/// and again over the rows the previous run produced (its working table, read by `WorkingTableScan`s with the same
/// `workingTable`) until a run produces no rows. With UNION (not ALL) a row already produced is dropped, from the
/// output and from the next working table. Both terms have the output's column types (the binder inserts casts);
/// the output columns have fresh ids.
public struct RecursiveCTE: Hashable, Sendable {
    /// The common table expression's name, for EXPLAIN.
    public var name: String
    /// Identifies the working table among those of the query.
    public var workingTable: Int
    public var anchor: LogicalPlan
    public var recursive: LogicalPlan
    public var isUnionAll: Bool
    public var columns: [PlanColumn]
    public var estimatedRowCount: Double?

    public init(name: String, workingTable: Int, anchor: LogicalPlan, recursive: LogicalPlan, isUnionAll: Bool,
                columns: [PlanColumn], estimatedRowCount: Double? = nil) {
        self.name = name
        self.workingTable = workingTable
        self.anchor = anchor
        self.recursive = recursive
        self.isUnionAll = isUnionAll
        self.columns = columns
        self.estimatedRowCount = estimatedRowCount
    }
}

/// Reads the working table of the enclosing `RecursiveCTE` with the same `workingTable`: the rows its previous
/// iteration produced, in the CTE's column types.
public struct WorkingTableScan: Hashable, Sendable {
    /// The common table expression's name, for EXPLAIN.
    public var name: String
    public var workingTable: Int
    public var columns: [PlanColumn]

    public init(name: String, workingTable: Int, columns: [PlanColumn]) {
        self.name = name
        self.workingTable = workingTable
        self.columns = columns
    }
}
