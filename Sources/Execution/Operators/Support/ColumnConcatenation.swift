import Columnar

/// Concatenation of columns of one type into one column, copying whole buffers: fixed-width values and string
/// bytes with one `memcpy` per part into memory that is not zeroed first (each byte is written once), string
/// offsets rebased in one pass. Builds large columns (join build sides, sort inputs) at memory speed.
enum ColumnConcatenation {
    /// The rows of `columns` (all of type `type`, or untyped NULL columns), one after the other.
    static func concatenate(_ columns: [Column], type: DataType) -> Column {
        if columns.count == 1, columns[0].dataType == type { return columns[0] }
        let total = columns.reduce(0) { $0 + $1.count }
        guard columns.allSatisfy({ $0.dataType == type && ($0.count == 0 || $0.values != nil) }) else {
            return concatenatedByBuilder(columns, type: type, total: total)
        }
        let (validity, nullCount) = concatenatedValidity(columns, total: total)
        switch type {
        case .utf8:
            var byteTotal = 0
            for column in columns where column.count > 0 {
                let offsets = column.values!.typed(Int32.self)
                byteTotal += Int(offsets[column.count]) - Int(offsets[0])
            }
            guard byteTotal <= Int(Int32.max) else { return concatenatedByBuilder(columns, type: type, total: total) }
            let offsetBuffer = uninitializedBuffer(byteCount: (total + 1) * 4)
            let data = uninitializedBuffer(byteCount: byteTotal)
            let target = offsetBuffer.typed(Int32.self)
            var row = 0, position = 0
            for column in columns where column.count > 0 {
                let offsets = column.values!.typed(Int32.self)
                let first = Int(offsets[0])
                let length = Int(offsets[column.count]) - first
                let shift = Int32(truncatingIfNeeded: position - first)
                for index in 0..<column.count { target[row + index] = offsets[index] &+ shift }
                if length > 0, let source = column.data {
                    (data.pointer + position).copyMemory(from: source.pointer + first, byteCount: length)
                }
                row += column.count
                position += length
            }
            target[total] = Int32(truncatingIfNeeded: position)
            return Column(dataType: .utf8, count: total, nullCount: nullCount, validity: validity, values: offsetBuffer, data: data)
        default:
            guard let width = type.byteWidth, width > 0 else { return concatenatedByBuilder(columns, type: type, total: total) }
            let values = uninitializedBuffer(byteCount: total * width)
            var row = 0
            for column in columns where column.count > 0 {
                (values.pointer + row * width).copyMemory(from: column.values!.pointer, byteCount: column.count * width)
                row += column.count
            }
            return Column(dataType: type, count: total, nullCount: nullCount, validity: validity, values: values)
        }
    }

    /// The validity bitmap of the concatenation (nil when no part has nulls) and its null count.
    private static func concatenatedValidity(_ columns: [Column], total: Int) -> (Buffer?, Int) {
        let nullCount = columns.reduce(0) { $0 + $1.nullCount }
        guard nullCount > 0 else { return (nil, 0) }
        let bitmap = BitmapKernels.allocate(bits: total)
        var row = 0
        for column in columns {
            if let source = column.validity {
                for index in 0..<column.count where Bitmap.isSet(source.pointer, index) { Bitmap.set(bitmap.pointer, row + index) }
            } else {
                for index in 0..<column.count { Bitmap.set(bitmap.pointer, row + index) }
            }
            row += column.count
        }
        return (bitmap, nullCount)
    }

    /// The concatenation row by row, for the types and inputs the fast paths do not handle.
    private static func concatenatedByBuilder(_ columns: [Column], type: DataType, total: Int) -> Column {
        var builder = ColumnBuilder(type, capacity: total)
        for column in columns { builder.append(from: column, range: 0..<column.count) }
        return builder.finish()
    }
}
