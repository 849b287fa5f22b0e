import Columnar
import LogicalPlan

/// Produces constant rows (`VALUES` lists and `SELECT` without FROM).
final class ValuesOperator: PhysicalOperator {
    let columns: [PlanColumn]
    var name: String { "Values" }
    var children: [any PhysicalOperator] { [] }
    private(set) var producedRows = 0

    private let values: Values
    private let context: ExecutionContext
    private var batches: [RecordBatch]?
    private var position = 0

    init(_ values: Values, context: ExecutionContext) {
        self.values = values
        self.context = context
        columns = values.columns
    }

    func next() throws -> RecordBatch? {
        try context.checkCancellation()
        if batches == nil { batches = try build() }
        guard let batches, position < batches.count else { return nil }
        let batch = batches[position]
        position += 1
        producedRows += batch.rowCount
        return batch
    }

    private func build() throws -> [RecordBatch] {
        let rowCount = values.rows.count
        if rowCount == 0 { return [] }
        var result: [Column] = []
        for (position, column) in columns.enumerated() {
            var builder = ColumnBuilder(column.dataType, capacity: rowCount)
            for row in values.rows {
                guard position < row.count else { throw ExecutionError("VALUES row has too few expressions") }
                let value = try evaluateConstant(row[position])
                if value.isNull || value.dataType == column.dataType {
                    builder.append(value)
                } else {
                    // The constant has another type than the column: cast it through a one-row column.
                    var single = ColumnBuilder(value.dataType, capacity: 1)
                    single.append(value)
                    let cast = try castColumn(single.finish(), to: column.dataType)
                    builder.append(from: cast, index: 0)
                }
            }
            result.append(builder.finish())
        }
        let schema = BatchSupport.schema(of: columns)
        var batches: [RecordBatch] = []
        var start = 0
        while start < rowCount {
            let length = min(context.batchSize, rowCount - start)
            batches.append(RecordBatch(schema: schema, columns: BatchSupport.slice(result, rowCount: rowCount, from: start, length: length),
                                       rowCount: length))
            start += length
        }
        return batches
    }
}
