import Columnar
import LogicalPlan

extension IntegerSeries {
    /// Rows generated per call of `batches(from:columnCount:)`, in batches of `batchRowCount`.
    static let rowsPerLoad: Int64 = 16 * 2048
    static let batchRowCount = 2048

    /// The next batches of the series from row `position` on (advancing it), each with `columnCount` copies of
    /// the value column (a scan lists the column once; zero only if nothing reads it).
    func batches(from position: inout Int64, columnCount: Int) -> [RecordBatch] {
        let end = min(count, position + Self.rowsPerLoad)
        var result: [RecordBatch] = []
        let fields = (0..<columnCount).map { _ in Field("value", .int64, isNullable: false) }
        while position < end {
            let rowCount = Int(min(Int64(Self.batchRowCount), end - position))
            let values = Buffer(capacity: rowCount * MemoryLayout<Int64>.stride)
            let pointer = values.typed(Int64.self)
            // first + i * step stays within BIGINT for every i < count: the binder sized the series so.
            var value = first &+ position &* step
            for index in 0..<rowCount {
                pointer[index] = value
                value = value &+ step
            }
            let column = Column(dataType: .int64, count: rowCount, nullCount: 0, validity: nil, values: values)
            result.append(RecordBatch(schema: Schema(fields), columns: Array(repeating: column, count: columnCount),
                                      rowCount: rowCount))
            position += Int64(rowCount)
        }
        return result
    }
}
