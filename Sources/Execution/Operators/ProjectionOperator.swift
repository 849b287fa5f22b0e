import Columnar
import LogicalPlan

/// Computes one expression per output column; plain column references pass the input column through
/// without copying.
final class ProjectionOperator: PhysicalOperator {
    let columns: [PlanColumn]
    var name: String { "Projection" }
    var children: [any PhysicalOperator] { [input] }
    private(set) var producedRows = 0

    private let input: any PhysicalOperator
    private let evaluators: [ColumnEvaluator]
    private let schema: Schema
    private let context: ExecutionContext

    init(input: any PhysicalOperator, items: [ProjectionItem], context: ExecutionContext) throws {
        self.input = input
        self.context = context
        columns = items.map(\.output)
        schema = BatchSupport.schema(of: columns)
        let layout = ColumnLayout(input.columns)
        evaluators = try items.map { try ColumnEvaluator($0.expression, layout: layout) }
    }

    func next() throws -> RecordBatch? {
        try context.checkCancellation()
        guard let batch = try input.next() else { return nil }
        var output: [Column] = []
        output.reserveCapacity(evaluators.count)
        for (position, evaluator) in evaluators.enumerated() {
            let column = try evaluator.evaluate(batch)
            guard column.count >= batch.rowCount else {
                throw ExecutionError("internal error: expression produced \(column.count) rows for \(batch.rowCount)")
            }
            output.append(try BatchSupport.conform(column, to: columns[position].dataType))
        }
        producedRows += batch.rowCount
        return RecordBatch(schema: schema, columns: output, rowCount: batch.rowCount)
    }
}
