import Columnar
import LogicalPlan

/// A materialized common table expression: on its first call it runs the definition to the end and keeps its
/// rows in the working table, then produces the body's rows; the body's `WorkingTableScanOperator`s read them.
final class MaterializedCTEOperator: PhysicalOperator {
    var columns: [PlanColumn] { body.columns }
    let name: String
    var children: [any PhysicalOperator] { [definition, body] }
    private(set) var producedRows = 0

    private let definition: any PhysicalOperator
    private let body: any PhysicalOperator
    private let table: WorkingTable
    private let context: ExecutionContext
    private let types: [DataType]
    private var isMaterialized = false

    init(_ node: MaterializedCTE, definition: any PhysicalOperator, table: WorkingTable, body: any PhysicalOperator,
         context: ExecutionContext) {
        name = "MaterializedCTE " + node.name
        self.definition = definition
        self.body = body
        self.table = table
        self.context = context
        types = node.definition.columns.map(\.dataType)
    }

    func next() throws -> RecordBatch? {
        if !isMaterialized {
            var batches: [RecordBatch] = []
            while let batch = try definition.next() {
                try context.checkCancellation()
                guard batch.rowCount > 0 else { continue }
                guard batch.columns.count == types.count else {
                    throw ExecutionError("the common table expression produced \(batch.columns.count) columns, not \(types.count)")
                }
                batches.append(batch)
            }
            table.batches = batches
            isMaterialized = true
        }
        guard let batch = try body.next() else { return nil }
        producedRows += batch.rowCount
        return batch
    }
}
