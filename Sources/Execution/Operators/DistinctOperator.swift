import Columnar
import LogicalPlan

/// Removes duplicate rows (NULLs equal to each other), streaming: each batch passes on the rows whose value
/// was not seen before, in input order.
final class DistinctOperator: PhysicalOperator {
    let columns: [PlanColumn]
    var name: String { "Distinct" }
    var children: [any PhysicalOperator] { [input] }
    private(set) var producedRows = 0

    private let input: any PhysicalOperator
    private let context: ExecutionContext
    private let deduplicator: RowDeduplicator

    init(input: any PhysicalOperator, context: ExecutionContext) {
        self.input = input
        self.context = context
        columns = input.columns
        deduplicator = RowDeduplicator(types: input.columns.map(\.dataType))
    }

    func next() throws -> RecordBatch? {
        while true {
            try context.checkCancellation()
            guard let batch = try input.next() else { return nil }
            let newRows = try deduplicator.newRows(of: batch.columns, rowCount: batch.rowCount)
            if newRows.isEmpty { continue }
            producedRows += newRows.count
            if newRows.count == batch.rowCount { return batch }
            return RecordBatch(schema: batch.schema, columns: BatchSupport.take(batch.columns, newRows), rowCount: newRows.count)
        }
    }
}

/// Remembers the rows seen so far and reports which rows of a batch are new (first occurrences).
final class RowDeduplicator {
    private let types: [DataType]
    private let table: any GroupKeyTable
    private var groups: [Int32] = []

    init(types: [DataType]) {
        self.types = types
        table = makeGroupKeyTable(types: types)
    }

    /// The positions of the rows that were not seen before (the first of equal rows within the batch).
    func newRows(of columns: [Column], rowCount: Int) throws -> [Int32] {
        let conformed = try zip(columns, types).map { try BatchSupport.conform($0, to: $1) }
        var newRows: [Int32] = []
        try table.findOrInsert(conformed, rowCount: rowCount, groups: &groups, newRows: &newRows)
        return newRows
    }
}
