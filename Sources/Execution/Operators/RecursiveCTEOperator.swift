import Columnar
import LogicalPlan

/// The rows one iteration of a recursive common table expression produced, which the next iteration's
/// `WorkingTableScanOperator`s read; or the rows of a materialized common table expression, filled before its
/// body runs.
final class WorkingTable: @unchecked Sendable {
    var batches: [RecordBatch] = []
}

/// `WITH RECURSIVE`: produces the anchor's rows, then runs the recursive term over the rows the previous run
/// produced (the working table) again and again, until a run produces no rows. Without ALL, rows already
/// produced are dropped (NULLs equal), so a cycle ends. The recursive term's operators are built afresh for every
/// iteration, by `makeRecursiveTerm`; cancellation is checked between batches.
final class RecursiveCTEOperator: PhysicalOperator {
    let columns: [PlanColumn]
    let name: String
    var children: [any PhysicalOperator] { [anchor] + (recursiveTerm.map { [$0] } ?? []) }
    private(set) var producedRows = 0

    private let anchor: any PhysicalOperator
    private var recursiveTerm: (any PhysicalOperator)?
    private let makeRecursiveTerm: (WorkingTable) throws -> any PhysicalOperator
    private let context: ExecutionContext
    private let schema: Schema
    private let types: [DataType]
    /// Every row produced so far, for UNION without ALL.
    private let seen: (any GroupKeyTable)?
    /// The rows the current iteration produced: the next working table.
    private var produced: [RecordBatch] = []
    private var isFinished = false

    init(_ node: RecursiveCTE, anchor: any PhysicalOperator, context: ExecutionContext,
         makeRecursiveTerm: @escaping (WorkingTable) throws -> any PhysicalOperator) throws {
        guard anchor.columns.count == node.columns.count else {
            throw ExecutionError("the anchor of \(node.name) has \(anchor.columns.count) columns, not \(node.columns.count)")
        }
        self.anchor = anchor
        self.makeRecursiveTerm = makeRecursiveTerm
        self.context = context
        columns = node.columns
        name = "RecursiveCTE " + node.name + (node.isUnionAll ? " (UNION ALL)" : " (UNION)")
        schema = BatchSupport.schema(of: node.columns)
        types = node.columns.map(\.dataType)
        seen = node.isUnionAll ? nil : makeGroupKeyTable(types: types)
    }

    func next() throws -> RecordBatch? {
        while !isFinished {
            try context.checkCancellation()
            let source = recursiveTerm ?? anchor
            guard let batch = try source.next() else {
                try startIteration()
                continue
            }
            if batch.rowCount == 0 { continue }
            guard batch.columns.count == types.count else {
                throw ExecutionError("each term of a recursive query must have \(types.count) columns")
            }
            var conformed = try zip(batch.columns, types).map { try BatchSupport.conform($0, to: $1) }
            var rowCount = batch.rowCount
            if let seen {
                var groups: [Int32] = []
                var newRows: [Int32] = []
                try seen.findOrInsert(conformed, rowCount: rowCount, groups: &groups, newRows: &newRows)
                if newRows.isEmpty { continue }
                if newRows.count < rowCount {
                    conformed = BatchSupport.take(conformed, newRows)
                    rowCount = newRows.count
                }
            }
            let result = RecordBatch(schema: schema, columns: conformed, rowCount: rowCount)
            produced.append(result)
            producedRows += rowCount
            return result
        }
        return nil
    }

    /// Runs the recursive term over the rows just produced, or finishes when there were none.
    private func startIteration() throws {
        guard !produced.isEmpty else {
            isFinished = true
            recursiveTerm = nil
            return
        }
        let table = WorkingTable()
        table.batches = produced
        produced = []
        recursiveTerm = try makeRecursiveTerm(table)
    }
}

/// Reads the working table of the enclosing recursive or materialized common table expression. The table is
/// read when the scan first runs: a materialized one is filled after the operator tree is built.
final class WorkingTableScanOperator: PhysicalOperator {
    let columns: [PlanColumn]
    let name: String
    var children: [any PhysicalOperator] { [] }
    private(set) var producedRows = 0

    private let table: WorkingTable
    private var batches: [RecordBatch]?
    private let schema: Schema
    private let context: ExecutionContext
    private var position = 0

    init(_ scan: WorkingTableScan, table: WorkingTable, context: ExecutionContext) {
        columns = scan.columns
        name = "WorkingTableScan " + scan.name
        self.table = table
        schema = BatchSupport.schema(of: scan.columns)
        self.context = context
    }

    func next() throws -> RecordBatch? {
        try context.checkCancellation()
        if batches == nil { batches = table.batches }
        guard let batches, position < batches.count else { return nil }
        let batch = batches[position]
        position += 1
        guard batch.columns.count == columns.count else {
            throw ExecutionError("the working table has \(batch.columns.count) columns, not \(columns.count)")
        }
        producedRows += batch.rowCount
        return RecordBatch(schema: schema, columns: batch.columns, rowCount: batch.rowCount)
    }
}
