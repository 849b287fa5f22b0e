import Columnar
import LogicalPlan

/// Keeps the rows where the predicate is true, compacting each batch with a selection vector.
final class FilterOperator: PhysicalOperator {
    let columns: [PlanColumn]
    var name: String { "Filter" }
    var children: [any PhysicalOperator] { [input] }
    private(set) var producedRows = 0

    private let input: any PhysicalOperator
    private let predicate: CompiledExpression
    private let context: ExecutionContext

    init(input: any PhysicalOperator, predicate: Expression, context: ExecutionContext) throws {
        self.input = input
        self.context = context
        columns = input.columns
        self.predicate = try CompiledExpression(predicate, layout: ColumnLayout(input.columns))
    }

    func next() throws -> RecordBatch? {
        while true {
            try context.checkCancellation()
            guard let batch = try input.next() else { return nil }
            if batch.rowCount == 0 { continue }
            let selected = try predicate.selectTrue(batch)
            if selected.isEmpty { continue }
            if selected.count == batch.rowCount {
                producedRows += batch.rowCount
                return batch
            }
            producedRows += selected.count
            return RecordBatch(schema: batch.schema, columns: ColumnCompaction.compact(batch.columns, selected: selected), rowCount: selected.count)
        }
    }
}
