import Catalog
import Columnar
import LogicalPlan

/// Reads a stored table segment by segment (or a CSV file), skipping segments whose statistics rule out a
/// pushed filter, and keeps the rows where every pushed filter is true.
///
/// The batches come from a `ScanBatchSource`, which several scan operators may share to read one table in
/// parallel, each processing the batches it receives.
final class ScanOperator: PhysicalOperator {
    let columns: [PlanColumn]
    let name: String
    var children: [any PhysicalOperator] { [] }
    private(set) var producedRows = 0
    /// The position, among all batches of the source, of the batch the last output came from.
    private(set) var currentSequence = -1

    private let context: ExecutionContext
    private let schema: Schema
    private let filter: CompiledExpression?
    private let source: ScanBatchSource

    /// A scan reading from `source`, or from a source of its own when nil.
    init(_ scan: Scan, context: ExecutionContext, source: ScanBatchSource? = nil) throws {
        self.context = context
        self.source = source ?? ScanBatchSource(scan, context: context)
        columns = scan.columns
        schema = BatchSupport.schema(of: scan.columns)
        if let predicate = Expression.conjunction(scan.filters.flatMap(\.conjuncts)) {
            filter = try CompiledExpression(predicate, layout: ColumnLayout(scan.columns))
        } else {
            filter = nil
        }
        switch scan.source {
        case .table(let definition): name = "Scan \(definition.identifier)"
        case .csvFile(let path, _, _): name = "Scan read_csv('\(path)')"
        case .arrowFile(let path, _): name = "Scan read_arrow('\(path)')"
        case .integerSeries(let series): name = "Scan \(series.description)"
        }
    }

    func next() throws -> RecordBatch? {
        while true {
            try context.checkCancellation()
            guard let (batch, sequence) = try source.nextBatch() else { return nil }
            currentSequence = sequence
            if let output = try filtered(batch) {
                producedRows += output.rowCount
                return output
            }
        }
    }

    /// The batch relabelled with the scan's schema, with pushed filters applied; nil when no row is left.
    private func filtered(_ batch: RecordBatch) throws -> RecordBatch? {
        guard batch.columns.count == columns.count else {
            throw ExecutionError("internal error: segment returned \(batch.columns.count) columns, expected \(columns.count)")
        }
        if batch.rowCount == 0 { return nil }
        let relabelled = RecordBatch(schema: schema, columns: batch.columns, rowCount: batch.rowCount)
        guard let filter else { return relabelled }
        let selected = try filter.selectTrue(relabelled)
        if selected.isEmpty { return nil }
        if selected.count == batch.rowCount { return relabelled }
        return RecordBatch(schema: schema, columns: ColumnCompaction.compact(relabelled.columns, selected: selected), rowCount: selected.count)
    }
}
