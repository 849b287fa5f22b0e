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

/// Reads the working table of the enclosing `RecursiveCTE` or `MaterializedCTE` with the same `workingTable`: the
/// rows a recursive query's previous iteration produced, or a materialized query's rows, in the CTE's column types.
public struct WorkingTableScan: Hashable, Sendable {
    /// The common table expression's name, for EXPLAIN.
    public var name: String
    public var workingTable: Int
    public var columns: [PlanColumn]
    /// The estimated number of rows: the materialized definition's, once the estimator has seen it.
    public var estimatedRowCount: Double?

    public init(name: String, workingTable: Int, columns: [PlanColumn], estimatedRowCount: Double? = nil) {
        self.name = name
        self.workingTable = workingTable
        self.columns = columns
        self.estimatedRowCount = estimatedRowCount
    }
}

/// A common table expression (`WITH name AS (definition) body`) whose rows are computed once, before the body
/// runs, and read by every `WorkingTableScan` in the body with the same `workingTable`, each under column ids of
/// its own. The definition's columns are read by position, so no rewrite may drop or reorder them. The binder
/// emits one for every referenced CTE; the `cte_inlining` rule expands those where computing the rows once
/// does not pay, so the ones left in an optimized plan are materialized.
public struct MaterializedCTE: Hashable, Sendable {
    /// What `[NOT] MATERIALIZED` asked for.
    public enum Materialization: Hashable, Sendable {
        /// The optimizer decides.
        case automatic
        /// `AS MATERIALIZED`: always computed once.
        case always
        /// `AS NOT MATERIALIZED`: always expanded at each reference.
        case never
    }

    /// The common table expression's name, for EXPLAIN.
    public var name: String
    /// Identifies the rows among the working tables of the query.
    public var workingTable: Int
    /// The query whose rows are shared.
    public var definition: LogicalPlan
    /// The query that reads them; its columns are the node's.
    public var body: LogicalPlan
    public var materialization: Materialization

    public init(name: String, workingTable: Int, definition: LogicalPlan, body: LogicalPlan,
                materialization: Materialization = .automatic) {
        self.name = name
        self.workingTable = workingTable
        self.definition = definition
        self.body = body
        self.materialization = materialization
    }
}
