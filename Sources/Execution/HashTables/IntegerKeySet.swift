import Columnar

/// An exact set of integer (or date) keys stored as a bitmap over their range: membership is one subtraction,
/// one comparison and one bit test, with no hashing. Used by runtime join-key filters, whose key sets are
/// usually small and dense enough (a few thousand part keys out of 200,000 take 25 KB).
///
/// Immutable once made, so it may be shared between threads.
final class IntegerKeySet: @unchecked Sendable {
    /// The largest key range a set covers (bits; 8 MB).
    static let maximumRange: UInt64 = 1 << 26

    private let base: Int64
    private let bitCount: UInt64
    private let words: UnsafeMutablePointer<UInt64>

    private init(base: Int64, bitCount: UInt64) {
        self.base = base
        self.bitCount = bitCount
        let wordCount = Int((bitCount + 63) / 64)
        words = UnsafeMutablePointer<UInt64>.allocate(capacity: Swift.max(wordCount, 1))
        words.initialize(repeating: 0, count: Swift.max(wordCount, 1))
    }

    deinit { words.deallocate() }

    /// Whether `type` is a key type the set can hold.
    static func supports(_ type: DataType) -> Bool {
        switch type {
        case .int8, .int16, .int32, .int64, .date32: return true
        default: return false
        }
    }

    /// The set of the non-NULL values in `columns` (each of `rowCount` rows, of a supported type or untyped
    /// NULL), or nil when they span more than `maximumRange`.
    static func make(_ columns: [(column: Column, rowCount: Int)]) -> IntegerKeySet? {
        var low = Int64.max, high = Int64.min
        for (column, rowCount) in columns {
            visit(column, rowCount) { value in
                low = Swift.min(low, value)
                high = Swift.max(high, value)
            }
        }
        if low > high { return IntegerKeySet(base: 0, bitCount: 0) }
        let span = UInt64(bitPattern: high &- low)
        guard span < maximumRange else { return nil }
        let set = IntegerKeySet(base: low, bitCount: span + 1)
        for (column, rowCount) in columns {
            visit(column, rowCount) { value in
                let offset = UInt64(bitPattern: value &- low)
                set.words[Int(offset >> 6)] |= 1 << (offset & 63)
            }
        }
        return set
    }

    /// Calls `body` with every non-NULL value of `column` as an Int64.
    private static func visit(_ column: Column, _ rowCount: Int, _ body: (Int64) -> Void) {
        switch column.dataType {
        case .int8: visit(column, Int8.self, rowCount, body)
        case .int16: visit(column, Int16.self, rowCount, body)
        case .int32, .date32: visit(column, Int32.self, rowCount, body)
        case .int64: visit(column, Int64.self, rowCount, body)
        default: return
        }
    }

    @inline(__always)
    private static func visit<T: FixedWidthInteger>(_ column: Column, _ type: T.Type, _ rowCount: Int, _ body: (Int64) -> Void) {
        guard let buffer = column.values else { return }
        let values = buffer.typed(T.self)
        let count = Swift.min(rowCount, column.count)
        if let validity = column.validity {
            for row in 0..<count where Bitmap.isSet(validity.pointer, row) { body(Int64(truncatingIfNeeded: values[row])) }
        } else {
            for row in 0..<count { body(Int64(truncatingIfNeeded: values[row])) }
        }
    }

    /// Appends to `selection` the rows among `rowCount` of `column` whose value is in the set (never NULLs).
    func selectMembers(_ column: Column, rowCount: Int, selection: inout [Int32]) {
        switch column.dataType {
        case .int8: select(column, Int8.self, rowCount, &selection)
        case .int16: select(column, Int16.self, rowCount, &selection)
        case .int32, .date32: select(column, Int32.self, rowCount, &selection)
        case .int64: select(column, Int64.self, rowCount, &selection)
        default: return
        }
    }

    @inline(__always)
    private func select<T: FixedWidthInteger>(_ column: Column, _ type: T.Type, _ rowCount: Int, _ selection: inout [Int32]) {
        guard let buffer = column.values else { return }
        let values = buffer.typed(T.self)
        let count = Swift.min(rowCount, column.count)
        let base = self.base, bitCount = self.bitCount, words = self.words
        if let validity = column.validity {
            for row in 0..<count where Bitmap.isSet(validity.pointer, row) {
                let offset = UInt64(bitPattern: Int64(truncatingIfNeeded: values[row]) &- base)
                if offset < bitCount && words[Int(offset >> 6)] & (1 << (offset & 63)) != 0 {
                    selection.append(Int32(truncatingIfNeeded: row))
                }
            }
        } else {
            for row in 0..<count {
                let offset = UInt64(bitPattern: Int64(truncatingIfNeeded: values[row]) &- base)
                if offset < bitCount && words[Int(offset >> 6)] & (1 << (offset & 63)) != 0 {
                    selection.append(Int32(truncatingIfNeeded: row))
                }
            }
        }
    }
}
