import Columnar

/// The combined validity of several arguments, with a fast row test.
struct RowValidity {
    let validity: Buffer?
    let nullCount: Int
    private let bits: UnsafeRawPointer?

    init(_ arguments: [Vector], count: Int) {
        (validity, nullCount) = BitmapKernels.intersect(arguments.map(\.validity), count: count)
        bits = validity.map { UnsafeRawPointer($0.pointer) }
    }

    @inline(__always)
    func isValid(_ index: Int) -> Bool {
        guard let bits else { return true }
        return Bitmap.isSet(bits, index)
    }
}

/// Whether every byte of the string data of a vector is ASCII (so characters are bytes).
func isASCII(_ vector: Vector) -> Bool {
    let column = vector.column
    guard let offsets = column.values, let data = column.data else { return true }
    let rows = column.count
    let length = Int(offsets.typed(Int32.self)[rows])
    let bytes = data.pointer
    var index = 0
    while index + 8 <= length {
        if bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
        index += 8
    }
    while index < length {
        if bytes.load(fromByteOffset: index, as: UInt8.self) >= 0x80 { return false }
        index += 1
    }
    return true
}

/// Whether a byte starts a UTF-8 character (is not a continuation byte).
@inline(__always)
func startsCharacter(_ byte: UInt8) -> Bool { byte & 0xC0 != 0x80 }

/// The number of characters in UTF-8 bytes.
@inline(__always)
func characterCount(_ bytes: UnsafeRawBufferPointer) -> Int {
    var count = 0
    for byte in bytes where startsCharacter(byte) { count += 1 }
    return count
}

/// The byte offset of character `characterIndex` (0-based), or the byte count when past the end.
@inline(__always)
func byteOffset(ofCharacter characterIndex: Int, in bytes: UnsafeRawBufferPointer) -> Int {
    if characterIndex <= 0 { return 0 }
    var seen = 0
    for index in 0..<bytes.count where startsCharacter(bytes[index]) {
        if seen == characterIndex { return index }
        seen += 1
    }
    return bytes.count
}

/// The text values of a vector as a reader, and a writer sized for a result like it.
private func stringWriter(_ arguments: [Vector], count: Int) -> StringColumnWriter {
    var estimate = 0
    for argument in arguments where argument.dataType == .utf8 {
        if let offsets = argument.column.values {
            let bytes = Int(offsets.typed(Int32.self)[argument.column.count])
            estimate += argument.isConstant ? bytes * count : bytes
        }
    }
    return StringColumnWriter(rows: count, estimatedBytes: Swift.min(estimate, 1 << 30))
}

/// `a || b || ...`: NULL when any argument is NULL.
func concatenateKernel() -> VectorKernel {
    return { arguments, count in
        let rows = RowValidity(arguments, count: count)
        let operands = arguments.map { StringOperand($0) }
        var writer = stringWriter(arguments, count: count)
        for index in 0..<count {
            if rows.isValid(index) {
                for operand in operands { writer.appendPart(operand[index]) }
            }
            writer.finishRow()
        }
        return Vector(writer.finish(validity: rows.validity, nullCount: rows.nullCount))
    }
}

/// A string → string kernel applied row by row; `transform` appends the result bytes of one row.
func stringTransformKernel(_ transform: @escaping @Sendable (_ arguments: [Vector], _ index: Int, _ ascii: Bool,
                                                              _ writer: inout StringColumnWriter) throws -> Void) -> VectorKernel {
    return { arguments, count in
        let rows = RowValidity(arguments, count: count)
        let ascii = arguments.allSatisfy { $0.dataType != .utf8 || isASCII($0) }
        var writer = stringWriter(arguments, count: count)
        for index in 0..<count {
            if rows.isValid(index) { try transform(arguments, index, ascii, &writer) }
            writer.finishRow()
        }
        return Vector(writer.finish(validity: rows.validity, nullCount: rows.nullCount))
    }
}

/// Maps ASCII letters of 8 ASCII bytes at once: to upper case (`upper`) or lower case.
@inline(__always)
func mapASCIICase(_ word: UInt64, upper: Bool) -> UInt64 {
    let ones: UInt64 = 0x0101_0101_0101_0101
    // For bytes below 0x80, `word + (0x80 - low)` has its top bit set iff byte >= low (no carries between bytes).
    let low: UInt64 = upper ? 0x61 : 0x41, high: UInt64 = upper ? 0x7A : 0x5A
    let atLeastLow = word &+ ones &* (0x80 - low)
    let aboveHigh = word &+ ones &* (0x80 - high - 1)
    let inRange = atLeastLow & ~aboveHigh & (ones &* 0x80)
    return word ^ (inRange >> 2)
}

/// `upper(s)` or `lower(s)`: an all-ASCII column is mapped in one pass over its bytes (offsets unchanged);
/// other text goes row by row, through Unicode case mapping for non-ASCII rows.
func caseMappingKernel(upper: Bool) -> VectorKernel {
    return { arguments, count in
        let rows = RowValidity(arguments, count: count)
        let column = arguments[0].column
        if isASCII(arguments[0]), let offsets = column.values {
            let byteCount = Int(offsets.typed(Int32.self)[column.count])
            let newOffsets = uninitializedBuffer(byteCount: (column.count + 1) * 4)
            newOffsets.pointer.copyMemory(from: offsets.pointer, byteCount: (column.count + 1) * 4)
            let data = uninitializedBuffer(byteCount: byteCount)
            if let source = column.data, byteCount > 0 {
                let input = UnsafeRawPointer(source.pointer), output = data.pointer
                var index = 0
                while index + 8 <= byteCount {
                    let word = input.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    output.storeBytes(of: mapASCIICase(word, upper: upper), toByteOffset: index, as: UInt64.self)
                    index += 8
                }
                while index < byteCount {
                    let byte = UInt64(input.load(fromByteOffset: index, as: UInt8.self))
                    output.storeBytes(of: UInt8(truncatingIfNeeded: mapASCIICase(byte, upper: upper)), toByteOffset: index, as: UInt8.self)
                    index += 1
                }
            }
            let result = Column(dataType: .utf8, count: column.count, nullCount: column.nullCount, validity: column.validity,
                                values: newOffsets, data: data)
            return Vector(result, isConstant: arguments[0].isConstant)
        }
        let input = StringOperand(arguments[0])
        var writer = stringWriter(arguments, count: count)
        for index in 0..<count {
            if rows.isValid(index) {
                let bytes = input[index]
                var ascii = true
                for byte in bytes where byte >= 0x80 { ascii = false; break }
                if ascii {
                    writer.reserve(bytes.count)
                    let target = writer.data.pointer.assumingMemoryBound(to: UInt8.self) + writer.length
                    for offset in 0..<bytes.count {
                        target[offset] = UInt8(truncatingIfNeeded: mapASCIICase(UInt64(bytes[offset]), upper: upper))
                    }
                    writer.length += bytes.count
                } else {
                    let text = String(decoding: bytes, as: UTF8.self)
                    var mapped = upper ? text.uppercased() : text.lowercased()
                    mapped.withUTF8 { writer.appendPart(UnsafeRawBufferPointer($0)) }
                }
            }
            writer.finishRow()
        }
        return Vector(writer.finish(validity: rows.validity, nullCount: rows.nullCount))
    }
}

/// `length(s)` in characters, as `T`.
func lengthKernel<T: FixedWidthInteger & Sendable>(_ type: T.Type, _ dataType: DataType) -> VectorKernel {
    return { arguments, count in
        let input = StringOperand(arguments[0])
        let values = allocateFilledValues(T.self, count: count)
        let out = values.typed(T.self)
        if isASCII(arguments[0]) {
            for index in 0..<count { out[index] = T(truncatingIfNeeded: input[index].count) }
        } else {
            for index in 0..<count { out[index] = T(truncatingIfNeeded: characterCount(input[index])) }
        }
        return Vector(Column(dataType: dataType, count: count, nullCount: arguments[0].column.nullCount,
                             validity: arguments[0].validity, values: values))
    }
}

/// `substring(s, start[, length])`, 1-based, counting characters, with PostgreSQL's rules for a start before
/// the first character; a negative length is an error. Start and length arrive as Int64.
func substringKernel() -> VectorKernel {
    return { arguments, count in
        let rows = RowValidity(arguments, count: count)
        let ascii = isASCII(arguments[0])
        let texts = StringOperand(arguments[0]), starts = arguments[1].operand(Int64.self)
        let lengths = arguments.count > 2 ? arguments[2].operand(Int64.self) : nil
        var estimate = count * 16
        if arguments.count > 2, arguments[2].isConstant {
            estimate = count * Int(Swift.max(0, Swift.min(arguments[2].operand(Int64.self)[0], 64))) * (ascii ? 1 : 2)
        }
        var writer = StringColumnWriter(rows: count, estimatedBytes: estimate)
        for index in 0..<count {
            defer { writer.finishRow() }
            guard rows.isValid(index) else { continue }
            let bytes = texts[index]
            let start = starts[index]
            var end = Int64.max
            if let lengths {
                let length = lengths[index]
                if length < 0 { throw ExecutionError("negative substring length not allowed") }
                let (sum, overflow) = start.addingReportingOverflow(length)
                end = overflow ? Int64.max : sum
            }
            let first = Swift.max(start, 1)
            guard end > first else { continue }
            // Characters [first, end) in 1-based positions.
            let from = Int(Swift.min(first - 1, Int64(bytes.count)))
            let to = Int(Swift.min(end - 1, Int64(bytes.count)))
            if ascii {
                writer.appendPart(UnsafeRawBufferPointer(rebasing: bytes[from..<to]))
            } else {
                let startByte = byteOffset(ofCharacter: from, in: bytes)
                let endByte = byteOffset(ofCharacter: to, in: bytes)
                if endByte > startByte { writer.appendPart(UnsafeRawBufferPointer(rebasing: bytes[startByte..<endByte])) }
            }
        }
        return Vector(writer.finish(validity: rows.validity, nullCount: rows.nullCount))
    }
}

/// Decodes the Unicode scalar starting at byte `index`; returns it and its byte length.
@inline(__always)
func decodeScalar(_ bytes: UnsafeRawBufferPointer, at index: Int) -> (scalar: UInt32, length: Int) {
    let lead = bytes[index]
    if lead < 0x80 { return (UInt32(lead), 1) }
    let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
    guard index + length <= bytes.count else { return (UInt32(lead), 1) }
    var scalar = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
    for offset in 1..<length { scalar = (scalar << 6) | UInt32(bytes[index + offset] & 0x3F) }
    return (scalar, length)
}

/// The set of characters `trim` removes.
struct TrimSet {
    private var ascii = [Bool](repeating: false, count: 128)
    private var others: Set<UInt32> = []

    init(_ bytes: UnsafeRawBufferPointer) {
        var index = 0
        while index < bytes.count {
            let (scalar, length) = decodeScalar(bytes, at: index)
            if scalar < 128 { ascii[Int(scalar)] = true } else { others.insert(scalar) }
            index += length
        }
    }

    @inline(__always)
    func contains(_ scalar: UInt32) -> Bool { scalar < 128 ? ascii[Int(scalar)] : others.contains(scalar) }
}

/// The bytes of `bytes` with characters of `set` removed from the chosen ends.
func trimmed(_ bytes: UnsafeRawBufferPointer, _ set: TrimSet, leading: Bool, trailing: Bool) -> UnsafeRawBufferPointer {
    var start = 0, end = bytes.count
    if leading {
        while start < end {
            let (scalar, length) = decodeScalar(bytes, at: start)
            guard set.contains(scalar) else { break }
            start += length
        }
    }
    if trailing {
        while end > start {
            var lead = end - 1
            while lead > start && !startsCharacter(bytes[lead]) { lead -= 1 }
            let (scalar, _) = decodeScalar(bytes, at: lead)
            guard set.contains(scalar) else { break }
            end = lead
        }
    }
    return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
}

/// `trim`, `ltrim`, `rtrim` with an optional set of characters (spaces by default).
func trimKernel(leading: Bool, trailing: Bool) -> VectorKernel {
    return { arguments, count in
        let rows = RowValidity(arguments, count: count)
        let input = StringOperand(arguments[0])
        let spaces = [UInt8(ascii: " ")].withUnsafeBytes { TrimSet($0) }
        var constantSet: TrimSet? = arguments.count > 1 ? nil : spaces
        if arguments.count > 1, arguments[1].isConstant { constantSet = TrimSet(arguments[1].column.stringBytes(at: 0)) }
        let characters = arguments.count > 1 ? StringOperand(arguments[1]) : nil
        var writer = stringWriter(arguments, count: count)
        for index in 0..<count {
            if rows.isValid(index) {
                let set = constantSet ?? TrimSet(characters![index])
                writer.appendPart(trimmed(input[index], set, leading: leading, trailing: trailing))
            }
            writer.finishRow()
        }
        return Vector(writer.finish(validity: rows.validity, nullCount: rows.nullCount))
    }
}

/// `position(needle, haystack)`: the 1-based character position of the first occurrence, or 0.
func positionKernel<T: FixedWidthInteger & Sendable>(_ type: T.Type, _ dataType: DataType) -> VectorKernel {
    return { arguments, count in
        let rows = RowValidity(arguments, count: count)
        let needles = StringOperand(arguments[0]), haystacks = StringOperand(arguments[1])
        let ascii = isASCII(arguments[1])
        let values = allocateValues(T.self, count: count)
        let out = values.typed(T.self)
        for index in 0..<count where rows.isValid(index) {
            let haystack = haystacks[index]
            guard let offset = findBytes(needles[index], in: haystack) else { continue }
            let characters = ascii ? offset : characterCount(UnsafeRawBufferPointer(rebasing: haystack[0..<offset]))
            out[index] = T(truncatingIfNeeded: characters + 1)
        }
        return Vector(Column(dataType: dataType, count: count, nullCount: rows.nullCount, validity: rows.validity, values: values))
    }
}

/// `replace(s, from, to)`: every occurrence of `from` replaced; an empty `from` leaves `s` unchanged.
func replaceKernel() -> VectorKernel {
    stringTransformKernel { arguments, index, _, writer in
        let text = StringOperand(arguments[0])[index]
        let from = StringOperand(arguments[1])[index], to = StringOperand(arguments[2])[index]
        guard from.count > 0 else {
            writer.appendPart(text)
            return
        }
        var position = 0
        while let found = findBytes(from, in: text, from: position) {
            writer.appendPart(UnsafeRawBufferPointer(rebasing: text[position..<found]))
            writer.appendPart(to)
            position = found + from.count
        }
        writer.appendPart(UnsafeRawBufferPointer(rebasing: text[position...]))
    }
}

/// `starts_with(s, prefix)`.
func startsWithKernel() -> VectorKernel {
    return { arguments, count in
        let rows = RowValidity(arguments, count: count)
        let texts = StringOperand(arguments[0]), prefixes = StringOperand(arguments[1])
        let values = BitmapKernels.allocate(bits: count)
        predicateStrings(texts, prefixes, into: values.typed(UInt64.self), count: count) { text, prefix in
            prefix.count <= text.count && equalBytes(UnsafeRawBufferPointer(rebasing: text[0..<prefix.count]), prefix)
        }
        return Vector(booleanColumn(values: values, validity: rows.validity, nullCount: rows.nullCount, count: count))
    }
}
