#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Columnar

/// A zeroed values buffer for `count` values of `T`.
@inline(__always)
func allocateValues<T>(_ type: T.Type, count: Int) -> Buffer {
    Buffer(capacity: Swift.max(count, 1) * MemoryLayout<T>.stride)
}

/// 64-byte-aligned memory owned by the `Buffer` that borrows it, freed with it.
final class KernelAllocation {
    let pointer: UnsafeMutableRawPointer

    init(byteCount: Int) { pointer = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: Buffer.alignment) }

    deinit { pointer.deallocate() }
}

/// A buffer of at least `byteCount` bytes whose first `byteCount` bytes are left uninitialized (the caller writes
/// all of them) and whose padding is zeroed. Skipping the zeroing of memory a kernel overwrites anyway saves a
/// pass over every result.
func uninitializedBuffer(byteCount: Int) -> Buffer {
    let capacity = Swift.max(Buffer.roundedUp(byteCount), Buffer.alignment)
    let allocation = KernelAllocation(byteCount: capacity)
    (allocation.pointer + byteCount).initializeMemory(as: UInt8.self, repeating: 0, count: capacity - byteCount)
    return Buffer(borrowing: allocation.pointer, capacity: capacity, owner: allocation)
}

/// A values buffer for `count` values of `T` that the caller fills completely (every row, null or not).
@inline(__always)
func allocateFilledValues<T>(_ type: T.Type, count: Int) -> Buffer {
    uninitializedBuffer(byteCount: count * MemoryLayout<T>.stride)
}

/// A column of `count` nulls of `type` with zeroed buffers.
func nullColumn(_ type: DataType, count: Int) -> Column {
    switch type {
    case .null:
        return Column(dataType: .null, count: count, nullCount: count, validity: nil, values: nil)
    case .boolean:
        return Column(dataType: type, count: count, nullCount: count, validity: BitmapKernels.allocate(bits: count),
                      values: BitmapKernels.allocate(bits: count))
    case .utf8:
        return Column(dataType: type, count: count, nullCount: count, validity: BitmapKernels.allocate(bits: count),
                      values: Buffer(capacity: (count + 1) * 4), data: Buffer(capacity: 8))
    default:
        return Column(dataType: type, count: count, nullCount: count, validity: BitmapKernels.allocate(bits: count),
                      values: Buffer(capacity: Swift.max(count, 1) * (type.byteWidth ?? 1)))
    }
}

/// Repeats the single row of `column` `count` times.
func broadcast(_ column: Column, count: Int) -> Column {
    if column.isNull(0) { return nullColumn(column.dataType, count: count) }
    switch column.dataType {
    case .null:
        return nullColumn(.null, count: count)
    case .boolean:
        let values = BitmapKernels.allocate(bits: count)
        if column.boolean(at: 0) {
            let words = values.typed(UInt64.self)
            for index in 0..<BitmapKernels.wordCount(count) { words[index] = ~0 }
        }
        return Column(dataType: .boolean, count: count, nullCount: 0, validity: nil, values: values)
    case .utf8:
        let bytes = column.stringBytes(at: 0)
        let length = bytes.count
        let offsets = uninitializedBuffer(byteCount: (count + 1) * 4)
        let data = uninitializedBuffer(byteCount: length * count)
        let offsetPointer = offsets.typed(Int32.self)
        for index in 0...count { offsetPointer[index] = Int32(truncatingIfNeeded: index * length) }
        if length > 0 {
            for index in 0..<count { (data.pointer + index * length).copyMemory(from: bytes.baseAddress!, byteCount: length) }
        }
        return Column(dataType: .utf8, count: count, nullCount: 0, validity: nil, values: offsets, data: data)
    default:
        let width = column.dataType.byteWidth ?? 1
        let values = uninitializedBuffer(byteCount: count * width)
        switch width {
        case 1: fill(values, count: count, with: column.value(at: 0, as: UInt8.self))
        case 2: fill(values, count: count, with: column.value(at: 0, as: UInt16.self))
        case 4: fill(values, count: count, with: column.value(at: 0, as: UInt32.self))
        case 8: fill(values, count: count, with: column.value(at: 0, as: UInt64.self))
        default: fill(values, count: count, with: column.value(at: 0, as: (UInt64, UInt64).self))
        }
        return Column(dataType: column.dataType, count: count, nullCount: 0, validity: nil, values: values)
    }
}

@inline(__always)
private func fill<T>(_ buffer: Buffer, count: Int, with value: T) {
    buffer.typed(T.self).update(repeating: value, count: count)
}

/// The rows of `column` at `rows`, in that order (rows may repeat).
func gather(_ column: Column, rows: UnsafeBufferPointer<Int32>) -> Column {
    let count = rows.count
    if column.dataType == .null { return nullColumn(.null, count: count) }
    // Validity.
    var validity: Buffer? = nil
    var nullCount = 0
    if let source = column.validity {
        let bits = BitmapKernels.allocate(bits: count)
        let out = bits.typed(UInt64.self)
        let sourcePointer = UnsafeRawPointer(source.pointer)
        var base = 0, word = 0
        while base < count {
            let end = Swift.min(64, count - base)
            var value: UInt64 = 0
            for bit in 0..<end where Bitmap.isSet(sourcePointer, Int(rows[base + bit])) { value |= 1 &<< UInt64(bit) }
            out[word] = value
            nullCount += end - value.nonzeroBitCount
            word += 1
            base += 64
        }
        validity = bits
    }
    switch column.dataType {
    case .boolean:
        let values = BitmapKernels.allocate(bits: count)
        let out = values.typed(UInt64.self)
        let source = UnsafeRawPointer(column.values!.pointer)
        var base = 0, word = 0
        while base < count {
            let end = Swift.min(64, count - base)
            var value: UInt64 = 0
            for bit in 0..<end where Bitmap.isSet(source, Int(rows[base + bit])) { value |= 1 &<< UInt64(bit) }
            out[word] = value
            word += 1
            base += 64
        }
        return Column(dataType: .boolean, count: count, nullCount: nullCount, validity: validity, values: values)
    case .utf8:
        let offsets = column.values!.typed(Int32.self)
        var total = 0
        for row in rows { total += Int(offsets[Int(row) + 1]) - Int(offsets[Int(row)]) }
        let newOffsets = uninitializedBuffer(byteCount: (count + 1) * 4)
        let data = uninitializedBuffer(byteCount: total)
        let outOffsets = newOffsets.typed(Int32.self)
        let source = column.data!.pointer
        var position = 0
        for (index, row) in rows.enumerated() {
            let start = Int(offsets[Int(row)]), length = Int(offsets[Int(row) + 1]) - start
            outOffsets[index] = Int32(truncatingIfNeeded: position)
            copyBytes(from: source + start, to: data.pointer + position, count: length)
            position += length
        }
        outOffsets[count] = Int32(truncatingIfNeeded: position)
        return Column(dataType: .utf8, count: count, nullCount: nullCount, validity: validity, values: newOffsets, data: data)
    default:
        let width = column.dataType.byteWidth ?? 1
        let values = uninitializedBuffer(byteCount: count * width)
        switch width {
        case 1: gatherTyped(column, rows, values, UInt8.self)
        case 2: gatherTyped(column, rows, values, UInt16.self)
        case 4: gatherTyped(column, rows, values, UInt32.self)
        case 8: gatherTyped(column, rows, values, UInt64.self)
        default: gatherTyped(column, rows, values, (UInt64, UInt64).self)
        }
        return Column(dataType: column.dataType, count: count, nullCount: nullCount, validity: validity, values: values)
    }
}

@inline(__always)
private func gatherTyped<T>(_ column: Column, _ rows: UnsafeBufferPointer<Int32>, _ out: Buffer, _ type: T.Type) {
    let source = column.values!.typed(T.self), target = out.typed(T.self)
    for index in 0..<rows.count { target[index] = source[Int(rows[index])] }
}

/// Builds a UTF-8 column row by row without per-row bookkeeping beyond an offset.
struct StringColumnWriter {
    var offsets: Buffer
    var data: Buffer
    var length = 0
    var count = 0

    /// Creates a writer for exactly `rows` rows, reserving `estimatedBytes` of text.
    init(rows: Int, estimatedBytes: Int) {
        offsets = uninitializedBuffer(byteCount: (rows + 1) * 4)
        offsets.typed(Int32.self)[0] = 0
        data = uninitializedBuffer(byteCount: Swift.max(estimatedBytes, 64))
    }

    /// Makes room for `additional` more bytes.
    @inline(__always)
    mutating func reserve(_ additional: Int) {
        if length + additional > data.capacity {
            data = data.grown(to: Swift.max(data.capacity * 2, length + additional), preserving: length)
        }
    }

    /// Appends a row with `bytes`.
    @inline(__always)
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if bytes.count > 0 {
            reserve(bytes.count)
            (data.pointer + length).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
            length += bytes.count
        }
        finishRow()
    }

    /// Appends bytes to the current row without ending it.
    @inline(__always)
    mutating func appendPart(_ bytes: UnsafeRawBufferPointer) {
        if bytes.count > 0 {
            reserve(bytes.count)
            (data.pointer + length).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
            length += bytes.count
        }
    }

    /// Appends one byte to the current row without ending it.
    @inline(__always)
    mutating func appendByte(_ byte: UInt8) {
        reserve(1)
        data.pointer.storeBytes(of: byte, toByteOffset: length, as: UInt8.self)
        length += 1
    }

    /// Appends a string row.
    mutating func append(_ string: String) {
        var string = string
        string.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Ends the current row (an empty row when nothing was appended to it).
    @inline(__always)
    mutating func finishRow() {
        count += 1
        offsets.typed(Int32.self)[count] = Int32(truncatingIfNeeded: length)
    }

    /// The column, with `validity` for its rows.
    func finish(validity: Buffer?, nullCount: Int) -> Column {
        Column(dataType: .utf8, count: count, nullCount: nullCount, validity: validity, values: offsets, data: data)
    }
}

/// A boolean column from value words and validity.
@inline(__always)
func booleanColumn(values: Buffer, validity: Buffer?, nullCount: Int, count: Int) -> Column {
    Column(dataType: .boolean, count: count, nullCount: nullCount, validity: validity, values: values)
}

/// Compares two byte strings: memcmp over the common length, then the shorter first.
@inline(__always)
func compareBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    let common = Swift.min(a.count, b.count)
    if common > 0 {
        let result = memcmp(a.baseAddress!, b.baseAddress!, common)
        if result != 0 { return Int(result) }
    }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
}

/// Whether two byte strings are equal. Short strings (the usual codes and flags) are compared inline with word
/// loads that stay within both strings, avoiding a `memcmp` call per row.
@inline(__always)
func equalBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
    let count = a.count
    guard count == b.count else { return false }
    guard count > 0, let x = a.baseAddress, let y = b.baseAddress else { return true }
    return KeyHashTable.equal(x, y, count)
}

/// Copies `count` bytes. Strings of 8 to 32 bytes (most values) are copied inline with word loads and stores
/// that stay within both ranges (the last word may overlap the one before), avoiding a `memmove` call per row.
@inline(__always)
func copyBytes(from source: UnsafeRawPointer, to target: UnsafeMutableRawPointer, count: Int) {
    if count >= 8 && count <= 32 {
        var offset = 0
        while offset &+ 8 < count {
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: offset, as: UInt64.self), toByteOffset: offset, as: UInt64.self)
            offset &+= 8
        }
        let tail = count &- 8
        target.storeBytes(of: source.loadUnaligned(fromByteOffset: tail, as: UInt64.self), toByteOffset: tail, as: UInt64.self)
    } else if count > 0 {
        target.copyMemory(from: source, byteCount: count)
    }
}

/// The byte offset of the first occurrence of `needle` in `haystack` at or after `start`, or nil
/// (`memchr` for the first byte, whose vectorized scan beats hand-written SWAR here, then an inline compare).
@inline(__always)
func findBytes(_ needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer, from start: Int = 0) -> Int? {
    let needleCount = needle.count
    if needleCount == 0 { return start <= haystack.count ? start : nil }
    guard haystack.count - start >= needleCount, let base = haystack.baseAddress, let needleBase = needle.baseAddress else {
        return nil
    }
    let first = Int32(needle[0])
    var position = start
    let last = haystack.count - needleCount
    while position <= last {
        guard let found = memchr(base + position, first, last - position + 1) else { return nil }
        let offset = base.distance(to: UnsafeRawPointer(found))
        // The candidate is compared inline (word loads within both strings) for needles up to 32 bytes.
        if needleCount == 1 || KeyHashTable.equal(base + offset, needleBase, needleCount) { return offset }
        position = offset + 1
    }
    return nil
}
