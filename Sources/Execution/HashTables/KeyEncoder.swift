import Columnar

/// Rows of key columns encoded as byte strings, such that two rows have equal keys (NULL equal to NULL, as in
/// GROUP BY) exactly when their byte strings are equal. Row `r` occupies `bytes[starts[r]..<starts[r + 1]]`.
struct EncodedKeys {
    /// The number of rows.
    var count: Int
    /// The encoded rows, back to back (padded with a few spare bytes).
    var bytes: [UInt8]
    /// `count + 1` offsets into `bytes`.
    var starts: [Int]
    /// One hash per row (empty when hashes were not requested).
    var hashes: [UInt64]
    /// Whether any key of the row is NULL.
    var hasNull: [Bool]
    /// Whether any row has a NULL key.
    var anyNull: Bool
}

/// Encodes rows of key columns of fixed types into `EncodedKeys`.
///
/// Each key contributes a flag byte (0 for NULL, 1 otherwise) followed by its value: fixed-width values as
/// their bytes (zeros for NULL; floats normalized so that -0 equals 0 and all NaNs are equal), booleans as one
/// byte, strings as a 4-byte length and their bytes. The work is done column by column, dispatching on the
/// type once per column.
struct KeyEncoder {
    /// The key types, in order.
    let types: [DataType]

    init(types: [DataType]) { self.types = types }

    /// The length of every encoded row when no key is a string; nil otherwise.
    var fixedLength: Int? {
        var total = 0
        for type in types {
            guard let width = KeyEncoder.fixedWidth(of: type) else { return nil }
            total += 1 + width
        }
        return total
    }

    /// The bytes a non-string key takes after its flag byte; nil for strings.
    static func fixedWidth(of type: DataType) -> Int? {
        switch type {
        case .null: return 0
        case .boolean: return 1
        case .utf8: return nil
        default: return type.byteWidth
        }
    }

    /// Encodes `rowCount` rows of `columns` (one per key type, of that type or `.null`).
    func encode(_ columns: [Column], rowCount: Int, computeHashes: Bool = true) throws -> EncodedKeys {
        guard columns.count == types.count else { throw ExecutionError("internal error: key column count mismatch") }
        var fixedTotal = 0
        var stringColumns: [Column] = []
        for (position, type) in types.enumerated() {
            let column = columns[position]
            guard column.dataType == type || column.dataType == .null, column.count >= rowCount else {
                throw ExecutionError("internal error: key column of type \(column.dataType) where \(type) was expected")
            }
            if let width = KeyEncoder.fixedWidth(of: type) {
                fixedTotal += 1 + width
            } else {
                fixedTotal += 5
                if column.dataType == .utf8 { stringColumns.append(column) }
            }
        }
        var starts = [Int](repeating: 0, count: rowCount + 1)
        starts.withUnsafeMutableBufferPointer { starts in
            if stringColumns.isEmpty {
                for row in 0...rowCount { starts[row] = row * fixedTotal }
                return
            }
            // starts[row + 1] temporarily holds the length of row `row`.
            for row in 0..<rowCount { starts[row + 1] = fixedTotal }
            for column in stringColumns {
                guard let offsetBuffer = column.values else { continue }
                let offsets = offsetBuffer.typed(Int32.self)
                if let validity = column.validity {
                    for row in 0..<rowCount where Bitmap.isSet(validity.pointer, row) {
                        starts[row + 1] += Int(offsets[row + 1]) - Int(offsets[row])
                    }
                } else {
                    for row in 0..<rowCount { starts[row + 1] += Int(offsets[row + 1]) - Int(offsets[row]) }
                }
            }
            for row in 0..<rowCount { starts[row + 1] += starts[row] }
        }
        let total = starts[rowCount]
        var bytes = [UInt8](repeating: 0, count: total + 16)
        var hasNull = [Bool](repeating: false, count: rowCount)
        var cursors = Array(starts.prefix(rowCount))
        try bytes.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            try cursors.withUnsafeMutableBufferPointer { cursors in
                try hasNull.withUnsafeMutableBufferPointer { hasNull in
                    guard let cursorBase = cursors.baseAddress, let nullBase = hasNull.baseAddress else { return }
                    for (position, column) in columns.enumerated() {
                        try KeyEncoder.write(column, as: types[position], rowCount: rowCount, base: base,
                                             cursors: cursorBase, hasNull: nullBase)
                    }
                }
            }
        }
        var hashes: [UInt64] = []
        if computeHashes {
            hashes = [UInt64](repeating: 0, count: rowCount)
            bytes.withUnsafeBytes { raw in
                guard let base = raw.baseAddress else { return }
                starts.withUnsafeBufferPointer { starts in
                    hashes.withUnsafeMutableBufferPointer { hashes in
                        for row in 0..<rowCount {
                            hashes[row] = KeyHashing.hash(base + starts[row], length: starts[row + 1] - starts[row])
                        }
                    }
                }
            }
        }
        let anyNull = columns.contains { $0.nullCount > 0 || $0.dataType == .null } && hasNull.contains(true)
        return EncodedKeys(count: rowCount, bytes: bytes, starts: starts, hashes: hashes, hasNull: hasNull, anyNull: anyNull)
    }

    private static func write(_ column: Column, as type: DataType, rowCount: Int, base: UnsafeMutableRawPointer,
                              cursors: UnsafeMutablePointer<Int>, hasNull: UnsafeMutablePointer<Bool>) throws {
        if column.dataType == .null {
            let width = 1 + (fixedWidth(of: type) ?? 4)
            for row in 0..<rowCount {
                hasNull[row] = true
                cursors[row] += width
            }
            return
        }
        switch type {
        case .null:
            for row in 0..<rowCount {
                hasNull[row] = true
                cursors[row] += 1
            }
        case .boolean:
            guard let values = column.values else { throw ExecutionError("internal error: boolean column without values") }
            let validity = column.validity
            for row in 0..<rowCount {
                let target = base + cursors[row]
                if let validity, !Bitmap.isSet(validity.pointer, row) {
                    hasNull[row] = true
                } else {
                    target.storeBytes(of: 1, as: UInt8.self)
                    target.storeBytes(of: Bitmap.isSet(values.pointer, row) ? 1 : 0, toByteOffset: 1, as: UInt8.self)
                }
                cursors[row] += 2
            }
        case .int8: try writeFixed(column, Int8.self, rowCount, base, cursors, hasNull) { $0 }
        case .int16: try writeFixed(column, Int16.self, rowCount, base, cursors, hasNull) { $0 }
        case .int32, .date32: try writeFixed(column, Int32.self, rowCount, base, cursors, hasNull) { $0 }
        case .int64: try writeFixed(column, Int64.self, rowCount, base, cursors, hasNull) { $0 }
        case .float32:
            try writeFixed(column, Float.self, rowCount, base, cursors, hasNull) { $0 == 0 ? 0 : ($0.isNaN ? .nan : $0) }
        case .float64:
            try writeFixed(column, Double.self, rowCount, base, cursors, hasNull) { $0 == 0 ? 0 : ($0.isNaN ? .nan : $0) }
        case .decimal128: try writeFixed(column, Int128.self, rowCount, base, cursors, hasNull) { $0 }
        case .interval: try writeFixed(column, IntervalValue.self, rowCount, base, cursors, hasNull) { $0 }
        case .utf8:
            guard let offsetBuffer = column.values else { throw ExecutionError("internal error: string column without offsets") }
            let offsets = offsetBuffer.typed(Int32.self)
            let data = column.data?.pointer
            let validity = column.validity
            for row in 0..<rowCount {
                let target = base + cursors[row]
                if let validity, !Bitmap.isSet(validity.pointer, row) {
                    hasNull[row] = true
                    cursors[row] += 5
                    continue
                }
                let start = Int(offsets[row])
                let length = Int(offsets[row + 1]) - start
                target.storeBytes(of: 1, as: UInt8.self)
                target.storeBytes(of: UInt32(truncatingIfNeeded: length), toByteOffset: 1, as: UInt32.self)
                if length > 0, let data {
                    if length <= 16 {
                        // Short strings (the usual group keys): a byte loop beats a memmove call.
                        for offset in 0..<length {
                            target.storeBytes(of: data.load(fromByteOffset: start + offset, as: UInt8.self),
                                              toByteOffset: 5 + offset, as: UInt8.self)
                        }
                    } else {
                        (target + 5).copyMemory(from: data + start, byteCount: length)
                    }
                }
                cursors[row] += 5 + length
            }
        }
    }

    @inline(__always)
    private static func writeFixed<T>(_ column: Column, _ type: T.Type, _ rowCount: Int, _ base: UnsafeMutableRawPointer,
                                      _ cursors: UnsafeMutablePointer<Int>, _ hasNull: UnsafeMutablePointer<Bool>,
                                      normalize: (T) -> T) throws {
        guard let valueBuffer = column.values else { throw ExecutionError("internal error: column without values") }
        let values = valueBuffer.typed(T.self)
        let width = 1 + MemoryLayout<T>.size
        if let validity = column.validity {
            for row in 0..<rowCount {
                let target = base + cursors[row]
                if Bitmap.isSet(validity.pointer, row) {
                    target.storeBytes(of: 1, as: UInt8.self)
                    target.storeBytes(of: normalize(values[row]), toByteOffset: 1, as: T.self)
                } else {
                    hasNull[row] = true
                }
                cursors[row] += width
            }
        } else {
            for row in 0..<rowCount {
                let target = base + cursors[row]
                target.storeBytes(of: 1, as: UInt8.self)
                target.storeBytes(of: normalize(values[row]), toByteOffset: 1, as: T.self)
                cursors[row] += width
            }
        }
    }
}
