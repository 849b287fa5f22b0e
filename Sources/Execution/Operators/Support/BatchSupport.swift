import Columnar
import LogicalPlan

/// Helpers shared by operators for building batches and columns.
enum BatchSupport {
    /// The schema of batches holding `columns`.
    static func schema(of columns: [PlanColumn]) -> Schema {
        Schema(columns.map { Field($0.name, $0.dataType, isNullable: $0.isNullable) })
    }

    /// A batch of `columns` with the operator's schema.
    static func batch(_ schema: Schema, _ columns: [Column], rowCount: Int) -> RecordBatch {
        RecordBatch(schema: schema, columns: columns, rowCount: rowCount)
    }

    /// The rows of `columns` at `indices` (which may repeat).
    static func take(_ columns: [Column], _ indices: [Int32]) -> [Column] {
        indices.withUnsafeBufferPointer { buffer in columns.map { gather($0, rows: buffer) } }
    }

    /// The rows of `columns` from `start` for `length` rows; the columns themselves when that is all of them.
    static func slice(_ columns: [Column], rowCount: Int, from start: Int, length: Int) -> [Column] {
        if start == 0 && length == rowCount { return columns }
        return columns.map { $0.slice(from: start, length: length) }
    }

    /// Concatenates the parts (each a list of columns with the given types) column by column.
    static func concatenate(_ parts: [[Column]], types: [DataType]) -> [Column] {
        if parts.count == 1 { return parts[0] }
        return types.indices.map { position in
            ColumnConcatenation.concatenate(parts.map { $0[position] }, type: types[position])
        }
    }

    /// An Int32 column without nulls holding `values`.
    static func int32Column(_ values: UnsafeBufferPointer<Int32>) -> Column {
        let buffer = Buffer(capacity: values.count * 4)
        if values.count > 0, let base = values.baseAddress {
            buffer.pointer.copyMemory(from: base, byteCount: values.count * 4)
        }
        return Column(dataType: .int32, count: values.count, nullCount: 0, validity: nil, values: buffer)
    }

    /// A fixed-width column from per-row values and validity (nil validity: no nulls).
    static func fixedColumn<T>(_ type: DataType, values: UnsafeBufferPointer<T>, valid: UnsafeBufferPointer<Bool>?) -> Column {
        let count = values.count
        let buffer = Buffer(capacity: count * MemoryLayout<T>.stride)
        if count > 0, let base = values.baseAddress {
            buffer.pointer.copyMemory(from: base, byteCount: count * MemoryLayout<T>.stride)
        }
        let (validity, nullCount) = validityBitmap(valid, count: count)
        return Column(dataType: type, count: count, nullCount: nullCount, validity: validity, values: buffer)
    }

    /// A boolean column from per-row values and validity (nil validity: no nulls).
    static func booleanColumn(values: UnsafeBufferPointer<Bool>, valid: UnsafeBufferPointer<Bool>?) -> Column {
        let count = values.count
        let buffer = Buffer(capacity: Bitmap.byteCount(forBits: count))
        for index in 0..<count where values[index] { Bitmap.set(buffer.pointer, index) }
        let (validity, nullCount) = validityBitmap(valid, count: count)
        return Column(dataType: .boolean, count: count, nullCount: nullCount, validity: validity, values: buffer)
    }

    /// A validity bitmap for `valid`, or nil when every row is valid.
    static func validityBitmap(_ valid: UnsafeBufferPointer<Bool>?, count: Int) -> (Buffer?, Int) {
        guard let valid else { return (nil, 0) }
        var nullCount = 0
        for index in 0..<count where !valid[index] { nullCount += 1 }
        if nullCount == 0 { return (nil, 0) }
        let bitmap = Buffer(capacity: Bitmap.byteCount(forBits: count))
        for index in 0..<count where valid[index] { Bitmap.set(bitmap.pointer, index) }
        return (bitmap, nullCount)
    }

    /// Casts `column` to `type` when it has another type (for example an untyped NULL column).
    static func conform(_ column: Column, to type: DataType) throws -> Column {
        if column.dataType == type { return column }
        if column.dataType == .null { return nullColumn(type, count: column.count) }
        return try castColumn(column, to: type)
    }
}

/// An expression ready to evaluate on batches of a fixed layout. Plain column references are resolved to a
/// batch position and read without copying; anything else goes through `CompiledExpression`.
struct ColumnEvaluator: Sendable {
    private enum Strategy: Sendable {
        case position(Int)
        case compiled(CompiledExpression)
    }

    private let strategy: Strategy
    /// The type of the values produced.
    let dataType: DataType

    /// Prepares `expression`; calls it shares with other expressions compiled with `shared` are computed once
    /// per batch.
    init(_ expression: Expression, layout: ColumnLayout, shared: SharedSubexpressions? = nil) throws {
        dataType = expression.dataType
        if case .column(let column) = expression, let position = layout.position(of: column.id) {
            strategy = .position(position)
        } else {
            strategy = .compiled(try CompiledExpression(expression, layout: layout, shared: shared))
        }
    }

    /// The expression's values on every row of `batch`.
    func evaluate(_ batch: RecordBatch) throws -> Column {
        switch strategy {
        case .position(let position):
            guard position < batch.columns.count else {
                throw ExecutionError("internal error: column position \(position) out of range")
            }
            return batch.columns[position]
        case .compiled(let compiled):
            return try compiled.evaluate(batch)
        }
    }
}
