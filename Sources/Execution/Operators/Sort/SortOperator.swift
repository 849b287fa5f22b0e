import Columnar
import LogicalPlan

/// Sorts its input on any number of keys (stable: equal keys keep their input order).
///
/// With a `limit` it runs as top-N: it keeps only the best `limit` rows seen so far, compacting whenever the
/// buffered rows exceed about twice that, and once it holds `limit` rows it drops incoming rows that do not
/// sort before the current last one without buffering them.
final class SortOperator: PhysicalOperator {
    let columns: [PlanColumn]
    var name: String { limit.map { "TopN \($0)" } ?? "Sort" }
    var children: [any PhysicalOperator] { [input] }
    private(set) var producedRows = 0

    private let input: any PhysicalOperator
    private let limit: Int?
    private let context: ExecutionContext
    private let sortKeys: [SortKey]
    private let evaluators: [ColumnEvaluator]
    private let dataTypes: [DataType]
    private let keyTypes: [DataType]
    private let schema: Schema

    private var result: (columns: [Column], order: [Int32])?
    private var outputPosition = 0

    init(input: any PhysicalOperator, keys: [SortKey], limit: Int?, context: ExecutionContext) throws {
        self.input = input
        self.limit = limit.map { max(0, $0) }
        self.context = context
        sortKeys = keys
        columns = input.columns
        schema = BatchSupport.schema(of: columns)
        dataTypes = columns.map(\.dataType)
        let layout = ColumnLayout(input.columns)
        evaluators = try keys.map { try ColumnEvaluator($0.expression, layout: layout) }
        keyTypes = keys.map(\.expression.dataType)
    }

    func next() throws -> RecordBatch? {
        try context.checkCancellation()
        if limit == 0 { return nil }
        if result == nil { result = try materialize() }
        guard let result, outputPosition < result.order.count else { return nil }
        let length = min(context.batchSize, result.order.count - outputPosition)
        let indices = Array(result.order[outputPosition..<(outputPosition + length)])
        outputPosition += length
        producedRows += length
        return RecordBatch(schema: schema, columns: BatchSupport.take(result.columns, indices), rowCount: length)
    }

    private func encoder(for keyColumns: [Column]) -> SortKeyEncoder {
        SortKeyEncoder(keys: sortKeys.enumerated().map { position, key in
            SortKeyEncoder.Key(type: keyTypes[position], isAscending: key.isAscending, nullsFirst: key.nullsFirst,
                               includesNullFlag: limit != nil || keyColumns[position].nullCount > 0
                                   || keyColumns[position].dataType == .null)
        })
    }

    private func materialize() throws -> (columns: [Column], order: [Int32]) {
        var retainedData: [Column]?
        var retainedKeys: [Column]?
        var retainedCount = 0
        var pendingData: [[Column]] = []
        var pendingKeys: [[Column]] = []
        var pendingCount = 0
        var boundary: [UInt8]?
        // In top-N mode every key has a flag byte, so encodings from different batches compare consistently.
        let topEncoder = limit.map { _ in encoder(for: []) }

        func compact(final: Bool) throws -> (columns: [Column], order: [Int32]) {
            var dataParts = pendingData, keyParts = pendingKeys
            if let retainedData, let retainedKeys {
                dataParts.insert(retainedData, at: 0)
                keyParts.insert(retainedKeys, at: 0)
            }
            if dataParts.isEmpty {
                return (dataTypes.map { nullColumn($0, count: 0) }, [])
            }
            let allData = BatchSupport.concatenate(dataParts, types: dataTypes)
            let allKeys = BatchSupport.concatenate(keyParts, types: keyTypes)
            let total = retainedCount + pendingCount
            let keys = try (topEncoder ?? encoder(for: allKeys)).encode(allKeys, rowCount: total)
            var order = SortKeyOrdering.sortedRows(keys)
            if let limit, order.count > limit { order.removeLast(order.count - limit) }
            if final { return (allData, order) }
            retainedData = BatchSupport.take(allData, order)
            retainedKeys = BatchSupport.take(allKeys, order)
            retainedCount = order.count
            pendingData = []
            pendingKeys = []
            pendingCount = 0
            if let limit, order.count == limit, let last = order.last {
                boundary = SortKeyOrdering.bytes(of: keys, row: Int(last))
            }
            return ([], [])
        }

        while let batch = try input.next() {
            try context.checkCancellation()
            if batch.rowCount == 0 { continue }
            var data = batch.columns
            var keyColumns = try evaluators.enumerated().map { position, evaluator in
                try BatchSupport.conform(evaluator.evaluate(batch), to: keyTypes[position])
            }
            var rowCount = batch.rowCount
            if let boundary, let topEncoder {
                // Only rows sorting strictly before the current last kept row can enter the top N.
                let keys = try topEncoder.encode(keyColumns, rowCount: rowCount)
                var selected: [Int32] = []
                for row in 0..<rowCount where SortKeyOrdering.compare(keys, row: row, with: boundary) < 0 {
                    selected.append(Int32(row))
                }
                if selected.isEmpty { continue }
                if selected.count < rowCount {
                    data = BatchSupport.take(data, selected)
                    keyColumns = BatchSupport.take(keyColumns, selected)
                    rowCount = selected.count
                }
            } else if rowCount < (data.first?.count ?? rowCount) {
                data = BatchSupport.slice(data, rowCount: data[0].count, from: 0, length: rowCount)
            }
            pendingData.append(data)
            pendingKeys.append(keyColumns)
            pendingCount += rowCount
            if let limit, retainedCount + pendingCount >= max(2 * limit, 4 * context.batchSize) {
                _ = try compact(final: false)
            }
        }
        return try compact(final: true)
    }
}
