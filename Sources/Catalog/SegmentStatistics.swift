import Columnar

/// Computes per-column statistics of a segment: null count, minimum and maximum.
///
/// Minimum and maximum are bounds a scan may rely on to skip a segment: when a bound is not known exactly
/// it is left out (nil). Floating-point columns holding NaN get no maximum (NaN sorts above every number);
/// strings longer than `maximumStringBytes` keep a truncated minimum (still a lower bound) and no maximum;
/// intervals, which have no total order, get neither.
public enum SegmentStatistics {
    static let maximumStringBytes = 64

    static func compute(_ batches: [RecordBatch], columnCount: Int) -> [ColumnStatistics?] {
        (0..<columnCount).map { index in
            compute(batches.map { $0.columns[index] })
        }
    }

    /// The statistics of one column split over `columns` (all of one type); nil when there are none.
    public static func compute(_ columns: [Column]) -> ColumnStatistics? {
        guard let type = columns.first?.dataType else { return nil }
        var nulls = 0
        for column in columns { nulls += type == .null ? column.count : column.nullCount }
        switch type {
        case .null, .interval:
            return ColumnStatistics(nullCount: nulls)
        case .boolean:
            var sawFalse = false, sawTrue = false
            for column in columns {
                for row in 0..<column.count where isValid(column, row) {
                    if column.boolean(at: row) { sawTrue = true } else { sawFalse = true }
                }
            }
            guard sawFalse || sawTrue else { return ColumnStatistics(nullCount: nulls) }
            return ColumnStatistics(nullCount: nulls, minimum: .boolean(!sawFalse), maximum: .boolean(sawTrue))
        case .int8: return ordered(columns, Int8.self, nulls) { .int8($0) }
        case .int16: return ordered(columns, Int16.self, nulls) { .int16($0) }
        case .int32: return ordered(columns, Int32.self, nulls) { .int32($0) }
        case .int64: return ordered(columns, Int64.self, nulls) { .int64($0) }
        case .date32: return ordered(columns, Int32.self, nulls) { .date($0) }
        case .decimal128(let precision, let scale):
            return ordered(columns, Int128.self, nulls) { .decimal($0, precision: precision, scale: scale) }
        case .float32: return floating(columns, Float.self, nulls) { .float32($0) }
        case .float64: return floating(columns, Double.self, nulls) { .float64($0) }
        case .utf8: return strings(columns, nulls)
        }
    }

    private static func ordered<T: Comparable>(_ columns: [Column], _ type: T.Type, _ nulls: Int,
                                               _ wrap: (T) -> Value) -> ColumnStatistics {
        var minimum: T?
        var maximum: T?
        for column in columns where column.count > 0 {
            let values = column.valuePointer(T.self)
            for row in 0..<column.count where isValid(column, row) {
                let value = values[row]
                if minimum == nil || value < minimum! { minimum = value }
                if maximum == nil || value > maximum! { maximum = value }
            }
        }
        return ColumnStatistics(nullCount: nulls, minimum: minimum.map(wrap), maximum: maximum.map(wrap))
    }

    private static func floating<T: BinaryFloatingPoint>(_ columns: [Column], _ type: T.Type, _ nulls: Int,
                                                         _ wrap: (T) -> Value) -> ColumnStatistics {
        var minimum: T?
        var maximum: T?
        var sawNaN = false
        for column in columns where column.count > 0 {
            let values = column.valuePointer(T.self)
            for row in 0..<column.count where isValid(column, row) {
                let value = values[row]
                if value.isNaN {
                    sawNaN = true
                    continue
                }
                if minimum == nil || value < minimum! { minimum = value }
                if maximum == nil || value > maximum! { maximum = value }
            }
        }
        return ColumnStatistics(nullCount: nulls, minimum: minimum.map(wrap), maximum: sawNaN ? nil : maximum.map(wrap))
    }

    private static func strings(_ columns: [Column], _ nulls: Int) -> ColumnStatistics {
        var minimum: UnsafeRawBufferPointer?
        var maximum: UnsafeRawBufferPointer?
        for column in columns where column.count > 0 {
            for row in 0..<column.count where isValid(column, row) {
                let bytes = column.stringBytes(at: row)
                if minimum == nil || compare(bytes, minimum!) < 0 { minimum = bytes }
                if maximum == nil || compare(bytes, maximum!) > 0 { maximum = bytes }
            }
        }
        // Columns (and so the pointers) stay alive while `columns` does.
        let result = ColumnStatistics(
            nullCount: nulls,
            minimum: minimum.map { .string(truncated($0)) },
            maximum: maximum.flatMap { $0.count <= maximumStringBytes ? .string(String(decoding: $0, as: UTF8.self)) : nil })
        withExtendedLifetime(columns) {}
        return result
    }

    /// Whether row `row` holds a value (checked on the bitmap directly: cheaper than `Column.isNull`).
    @inline(__always)
    private static func isValid(_ column: Column, _ row: Int) -> Bool {
        guard column.nullCount > 0, let validity = column.validity else { return true }
        return Bitmap.isSet(validity.pointer, row)
    }

    /// Byte-wise comparison (which is code point order for UTF-8).
    private static func compare(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Int {
        let common = Swift.min(left.count, right.count)
        if common > 0 {
            let result = memcmpBytes(left.baseAddress!, right.baseAddress!, common)
            if result != 0 { return result }
        }
        return left.count - right.count
    }

    private static func memcmpBytes(_ left: UnsafeRawPointer, _ right: UnsafeRawPointer, _ count: Int) -> Int {
        for index in 0..<count {
            let a = left.load(fromByteOffset: index, as: UInt8.self)
            let b = right.load(fromByteOffset: index, as: UInt8.self)
            if a != b { return a < b ? -1 : 1 }
        }
        return 0
    }

    /// A prefix of at most `maximumStringBytes` bytes, cut at a character boundary: a lower bound of the text.
    private static func truncated(_ bytes: UnsafeRawBufferPointer) -> String {
        guard bytes.count > maximumStringBytes else { return String(decoding: bytes, as: UTF8.self) }
        var end = maximumStringBytes
        while end > 0 && bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
    }
}
