import Columnar
import LogicalPlan

/// Skips `offset` rows, then passes at most `limit` rows and stops pulling from its input.
final class LimitOperator: PhysicalOperator {
    let columns: [PlanColumn]
    var name: String { limit.map { "Limit \($0)" + (offset > 0 ? " offset \(offset)" : "") } ?? "Offset \(offset)" }
    var children: [any PhysicalOperator] { [input] }
    private(set) var producedRows = 0

    private let input: any PhysicalOperator
    private let limit: Int?
    private let offset: Int
    private let context: ExecutionContext
    private var skipped = 0

    init(input: any PhysicalOperator, limit: Int?, offset: Int, context: ExecutionContext) {
        self.input = input
        self.limit = limit.map { max(0, $0) }
        self.offset = max(0, offset)
        self.context = context
        columns = input.columns
    }

    func next() throws -> RecordBatch? {
        while true {
            try context.checkCancellation()
            if let limit, producedRows >= limit { return nil }
            guard let batch = try input.next() else { return nil }
            var start = 0
            if skipped < offset {
                let skip = min(offset - skipped, batch.rowCount)
                skipped += skip
                start = skip
            }
            var length = batch.rowCount - start
            if let limit { length = min(length, limit - producedRows) }
            if length <= 0 { continue }
            producedRows += length
            if start == 0 && length == batch.rowCount { return batch }
            return RecordBatch(schema: batch.schema, columns: BatchSupport.slice(batch.columns, rowCount: batch.rowCount, from: start, length: length),
                               rowCount: length)
        }
    }
}
