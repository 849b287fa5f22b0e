#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Columnar

/// Encodes rows of sort keys into byte strings whose byte order (memcmp, then length) is the sort order:
/// ASC/DESC and NULLS FIRST/LAST per key, numbers by value, strings by their UTF-8 bytes.
///
/// Per key: an optional flag byte (NULLS FIRST: null 0, value 1; NULLS LAST: value 1, null 2), then the
/// value: integers big-endian with the sign bit flipped, floats in IEEE total order (-0 = 0, NaN largest,
/// as PostgreSQL), strings with 0x00 escaped as 0x00 0x01 and terminated by 0x00 0x00 (prefix-free, so
/// inverting every byte for DESC reverses the order).
struct SortKeyEncoder {
    struct Key {
        var type: DataType
        var isAscending: Bool
        var nullsFirst: Bool
        /// Whether to write the flag byte; may be false only when the key column has no NULLs.
        var includesNullFlag: Bool
    }

    let keys: [Key]

    /// The bytes a non-string key's value takes; nil for strings.
    static func valueWidth(of type: DataType) -> Int? {
        switch type {
        case .null: return 0
        case .boolean, .int8: return 1
        case .int16: return 2
        case .int32, .date32, .float32: return 4
        case .int64, .float64: return 8
        case .decimal128, .interval: return 16
        case .utf8: return nil
        }
    }

    /// Encodes `rowCount` rows of `columns`, one per key.
    func encode(_ columns: [Column], rowCount: Int) throws -> EncodedKeys {
        guard columns.count == keys.count else { throw ExecutionError("internal error: sort key count mismatch") }
        var fixedTotal = 0
        var variable: [(Column, Key)] = []
        for (position, key) in keys.enumerated() {
            let column = columns[position]
            guard column.dataType == key.type || column.dataType == .null, column.count >= rowCount else {
                throw ExecutionError("internal error: sort key of type \(column.dataType) where \(key.type) was expected")
            }
            fixedTotal += key.includesNullFlag ? 1 : 0
            if let width = SortKeyEncoder.valueWidth(of: key.type) {
                fixedTotal += width
            } else if column.dataType == .utf8 {
                variable.append((column, key))
            }
        }
        var starts = [Int](repeating: 0, count: rowCount + 1)
        starts.withUnsafeMutableBufferPointer { starts in
            if variable.isEmpty {
                for row in 0...rowCount { starts[row] = row * fixedTotal }
                return
            }
            for row in 0..<rowCount { starts[row + 1] = fixedTotal }
            for (column, _) in variable {
                for row in 0..<rowCount where !column.isNull(row) {
                    let bytes = column.stringBytes(at: row)
                    var zeros = 0
                    for byte in bytes where byte == 0 { zeros += 1 }
                    starts[row + 1] += bytes.count + zeros + 2
                }
            }
            for row in 0..<rowCount { starts[row + 1] += starts[row] }
        }
        var bytes = [UInt8](repeating: 0, count: starts[rowCount] + 16)
        var cursors = Array(starts.prefix(rowCount))
        try bytes.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            try cursors.withUnsafeMutableBufferPointer { cursors in
                guard let cursorBase = cursors.baseAddress else { return }
                for (position, key) in keys.enumerated() {
                    try SortKeyEncoder.write(columns[position], key: key, rowCount: rowCount, base: base, cursors: cursorBase)
                }
            }
        }
        return EncodedKeys(count: rowCount, bytes: bytes, starts: starts, hashes: [], hasNull: [], anyNull: false)
    }

    private static func write(_ column: Column, key: Key, rowCount: Int, base: UnsafeMutableRawPointer,
                              cursors: UnsafeMutablePointer<Int>) throws {
        let nullFlag: UInt8 = key.nullsFirst ? 0 : 2
        let descending = !key.isAscending
        if column.dataType == .null {
            let width = valueWidth(of: key.type) ?? 0
            for row in 0..<rowCount {
                if key.includesNullFlag {
                    base.storeBytes(of: nullFlag, toByteOffset: cursors[row], as: UInt8.self)
                    cursors[row] += 1
                }
                cursors[row] += width
            }
            return
        }
        switch key.type {
        case .null:
            for row in 0..<rowCount where key.includesNullFlag {
                base.storeBytes(of: nullFlag, toByteOffset: cursors[row], as: UInt8.self)
                cursors[row] += 1
            }
        case .boolean:
            guard let values = column.values else { throw ExecutionError("internal error: boolean column without values") }
            for row in 0..<rowCount {
                let isNull = column.isNull(row)
                writeFlag(isNull, key, nullFlag, base, cursors, row)
                if !isNull {
                    let bit: UInt8 = Bitmap.isSet(values.pointer, row) ? 1 : 0
                    base.storeBytes(of: descending ? ~bit : bit, toByteOffset: cursors[row], as: UInt8.self)
                }
                cursors[row] += 1
            }
        case .int8: try writeOrdered(column, Int8.self, key, nullFlag, rowCount, base, cursors) { UInt8(bitPattern: $0) ^ 0x80 }
        case .int16: try writeOrdered(column, Int16.self, key, nullFlag, rowCount, base, cursors) { UInt16(bitPattern: $0) ^ 0x8000 }
        case .int32, .date32:
            try writeOrdered(column, Int32.self, key, nullFlag, rowCount, base, cursors) { UInt32(bitPattern: $0) ^ 0x8000_0000 }
        case .int64:
            try writeOrdered(column, Int64.self, key, nullFlag, rowCount, base, cursors) { UInt64(bitPattern: $0) ^ (1 << 63) }
        case .decimal128:
            try writeOrdered(column, Int128.self, key, nullFlag, rowCount, base, cursors) { UInt128(bitPattern: $0) ^ (1 << 127) }
        case .interval:
            try writeOrdered(column, IntervalValue.self, key, nullFlag, rowCount, base, cursors) { interval in
                UInt128(bitPattern: intervalKey(interval)) ^ (1 << 127)
            }
        case .float32:
            try writeOrdered(column, Float.self, key, nullFlag, rowCount, base, cursors) { value in
                let normalized: Float = value == 0 ? 0 : (value.isNaN ? .nan : value)
                let bits = normalized.bitPattern
                return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
            }
        case .float64:
            try writeOrdered(column, Double.self, key, nullFlag, rowCount, base, cursors) { value in
                let normalized: Double = value == 0 ? 0 : (value.isNaN ? .nan : value)
                let bits = normalized.bitPattern
                return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
            }
        case .utf8:
            for row in 0..<rowCount {
                let isNull = column.isNull(row)
                writeFlag(isNull, key, nullFlag, base, cursors, row)
                if isNull { continue }
                let source = column.stringBytes(at: row)
                let invert: UInt8 = descending ? 0xFF : 0
                var cursor = cursors[row]
                for byte in source {
                    base.storeBytes(of: byte ^ invert, toByteOffset: cursor, as: UInt8.self)
                    cursor += 1
                    if byte == 0 {
                        base.storeBytes(of: 1 ^ invert, toByteOffset: cursor, as: UInt8.self)
                        cursor += 1
                    }
                }
                base.storeBytes(of: invert, toByteOffset: cursor, as: UInt8.self)
                base.storeBytes(of: invert, toByteOffset: cursor + 1, as: UInt8.self)
                cursors[row] = cursor + 2
            }
        }
    }

    @inline(__always)
    private static func writeFlag(_ isNull: Bool, _ key: Key, _ nullFlag: UInt8, _ base: UnsafeMutableRawPointer,
                                  _ cursors: UnsafeMutablePointer<Int>, _ row: Int) {
        guard key.includesNullFlag else { return }
        base.storeBytes(of: isNull ? nullFlag : 1, toByteOffset: cursors[row], as: UInt8.self)
        cursors[row] += 1
    }

    @inline(__always)
    private static func writeOrdered<T, U: FixedWidthInteger & UnsignedInteger>(
        _ column: Column, _ type: T.Type, _ key: Key, _ nullFlag: UInt8, _ rowCount: Int,
        _ base: UnsafeMutableRawPointer, _ cursors: UnsafeMutablePointer<Int>, _ transform: (T) -> U
    ) throws {
        guard let valueBuffer = column.values else { throw ExecutionError("internal error: column without values") }
        let values = valueBuffer.typed(T.self)
        let descending = !key.isAscending
        let width = MemoryLayout<U>.size
        if column.nullCount == 0 {
            let flagWidth = key.includesNullFlag ? 1 : 0
            for row in 0..<rowCount {
                var cursor = cursors[row]
                if flagWidth == 1 {
                    base.storeBytes(of: 1, toByteOffset: cursor, as: UInt8.self)
                    cursor += 1
                }
                let encoded = transform(values[row])
                base.storeBytes(of: (descending ? ~encoded : encoded).bigEndian, toByteOffset: cursor, as: U.self)
                cursors[row] = cursor + width
            }
            return
        }
        for row in 0..<rowCount {
            let isNull = column.isNull(row)
            writeFlag(isNull, key, nullFlag, base, cursors, row)
            if !isNull {
                let encoded = transform(values[row])
                base.storeBytes(of: (descending ? ~encoded : encoded).bigEndian, toByteOffset: cursors[row], as: U.self)
            }
            cursors[row] += width
        }
    }
}

/// Sorting of encoded sort keys.
enum SortKeyOrdering {
    /// Compares rows `a` and `b` of `keys`: negative, zero or positive.
    @inline(__always)
    static func compare(_ base: UnsafeRawPointer, _ starts: UnsafeBufferPointer<Int>, _ a: Int, _ b: Int) -> Int32 {
        let startA = starts[a], lengthA = starts[a + 1] - startA
        let startB = starts[b], lengthB = starts[b + 1] - startB
        let common = min(lengthA, lengthB)
        if common > 0 {
            let result = memcmp(base + startA, base + startB, common)
            if result != 0 { return result }
        }
        return lengthA == lengthB ? 0 : (lengthA < lengthB ? -1 : 1)
    }

    /// Compares row `row` of `keys` with an encoded key held in `other`.
    static func compare(_ keys: EncodedKeys, row: Int, with other: [UInt8]) -> Int32 {
        keys.bytes.withUnsafeBytes { raw in
            other.withUnsafeBytes { otherRaw in
                let start = keys.starts[row], length = keys.starts[row + 1] - start
                let common = min(length, other.count)
                if common > 0, let base = raw.baseAddress, let otherBase = otherRaw.baseAddress {
                    let result = memcmp(base + start, otherBase, common)
                    if result != 0 { return result }
                }
                return length == other.count ? 0 : (length < other.count ? -1 : 1)
            }
        }
    }

    /// The encoded bytes of one row.
    static func bytes(of keys: EncodedKeys, row: Int) -> [UInt8] {
        Array(keys.bytes[keys.starts[row]..<keys.starts[row + 1]])
    }

    private struct PackedEntry: Comparable {
        var high: UInt64
        var low: UInt64
        var row: Int32
        static func < (a: PackedEntry, b: PackedEntry) -> Bool {
            if a.high != b.high { return a.high < b.high }
            if a.low != b.low { return a.low < b.low }
            return a.row < b.row
        }
    }

    private struct PrefixEntry {
        var prefix: UInt64
        var row: Int32
    }

    /// The row numbers of `keys` in ascending key order; ties keep their input order (stable).
    static func sortedRows(_ keys: EncodedKeys) -> [Int32] {
        let count = keys.count
        if count == 0 { return [] }
        return keys.bytes.withUnsafeBytes { raw -> [Int32] in
            guard let base = raw.baseAddress else { return [] }
            return keys.starts.withUnsafeBufferPointer { starts -> [Int32] in
                let stride = starts[1] - starts[0]
                // Every row must have the same length (a matching total alone can hide strings of other lengths).
                var fixed = starts[count] == stride * count
                if fixed {
                    for row in 0..<count where starts[row + 1] - starts[row] != stride {
                        fixed = false
                        break
                    }
                }
                if fixed && stride <= 16 {
                    // Pack each key into two big-endian words and sort plain integers.
                    var entries = [PackedEntry]()
                    entries.reserveCapacity(count)
                    for row in 0..<count {
                        let start = base + starts[row]
                        var high: UInt64 = 0, low: UInt64 = 0
                        if stride > 0 {
                            high = UInt64(bigEndian: start.loadUnaligned(as: UInt64.self))
                            if stride < 8 { high &= ~(UInt64.max >> UInt64(8 * stride)) }
                        }
                        if stride > 8 {
                            low = UInt64(bigEndian: start.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                            if stride < 16 { low &= ~(UInt64.max >> UInt64(8 * (stride - 8))) }
                        }
                        entries.append(PackedEntry(high: high, low: low, row: Int32(truncatingIfNeeded: row)))
                    }
                    entries.sort()
                    return entries.map(\.row)
                }
                // Compare an 8-byte big-endian prefix first; only equal prefixes need the full comparison.
                var entries = [PrefixEntry]()
                entries.reserveCapacity(count)
                for row in 0..<count {
                    let start = starts[row], length = starts[row + 1] - start
                    var prefix: UInt64 = 0
                    if length >= 8 {
                        prefix = UInt64(bigEndian: (base + start).loadUnaligned(as: UInt64.self))
                    } else {
                        for offset in 0..<length {
                            prefix |= UInt64(base.load(fromByteOffset: start + offset, as: UInt8.self)) << UInt64(56 - 8 * offset)
                        }
                    }
                    entries.append(PrefixEntry(prefix: prefix, row: Int32(truncatingIfNeeded: row)))
                }
                entries.sort { a, b in
                    if a.prefix != b.prefix { return a.prefix < b.prefix }
                    let result = compare(base, starts, Int(a.row), Int(b.row))
                    return result != 0 ? result < 0 : a.row < b.row
                }
                return entries.map(\.row)
            }
        }
    }
}
