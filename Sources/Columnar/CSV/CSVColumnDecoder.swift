/// Turns the tokenized fields of one batch into typed columns, one column at a time: the type is dispatched
/// once per column per batch, and each loop parses bytes straight into the column's buffers.
/// Read-only while decoding, so batches may be decoded column by column on several threads.
struct CSVColumnDecoder: @unchecked Sendable {
    let tokenizer: CSVTokenizer
    let nullText: [UInt8]
    /// Column-major spans: row `r` of column `c` at `spans[c * stride + r]`.
    let spans: UnsafeMutablePointer<CSVFieldSpan>
    let stride: Int
    let rowStarts: UnsafeMutablePointer<Int>
    let rowLines: UnsafeMutablePointer<Int>
    let rowCount: Int

    private var bytes: UnsafePointer<UInt8> { tokenizer.bytes }

    /// Decodes column `index` of the batch as `field` says.
    func decode(column index: Int, field: Field) throws -> Column {
        let columnSpans = spans + index * stride
        switch field.dataType {
        case .null:
            return Column(dataType: .null, count: rowCount, nullCount: rowCount, validity: nil, values: nil)
        case .boolean:
            return try decodeBoolean(columnSpans, field)
        case .int8:
            return try decodeFixed(columnSpans, field, Int8.self) { pointer, count, value in
                narrow(pointer, count, &value)
            }
        case .int16:
            return try decodeFixed(columnSpans, field, Int16.self) { pointer, count, value in
                narrow(pointer, count, &value)
            }
        case .int32:
            return try decodeFixed(columnSpans, field, Int32.self) { pointer, count, value in
                narrow(pointer, count, &value)
            }
        case .int64:
            return try decodeFixed(columnSpans, field, Int64.self) { pointer, count, value in
                CSVValueParsing.parseInteger(pointer, count, &value)
            }
        case .float32:
            return try decodeFixed(columnSpans, field, Float.self) { pointer, count, value in
                CSVValueParsing.parseFloat(pointer, count, &value)
            }
        case .float64:
            return try decodeFixed(columnSpans, field, Double.self) { pointer, count, value in
                CSVValueParsing.parseDouble(pointer, count, &value)
            }
        case .decimal128(let precision, let scale):
            return try DecimalFormat.powersOfTen.withUnsafeBufferPointer { powers in
                let powers = powers.baseAddress!
                return try decodeFixed(columnSpans, field, Int128.self) { pointer, count, value in
                    CSVValueParsing.parseDecimal(pointer, count, precision: precision, scale: scale, powers: powers, &value)
                }
            }
        case .date32:
            return try decodeFixed(columnSpans, field, Int32.self) { pointer, count, value in
                CSVValueParsing.parseDate(pointer, count, &value)
            }
        case .utf8:
            return try decodeStrings(columnSpans, field)
        case .interval:
            throw CSVError(path: tokenizer.path, line: 0, column: 0,
                           message: "column \"\(field.name)\": INTERVAL values cannot be read from CSV")
        }
    }

    @inline(__always)
    private func narrow<T: FixedWidthInteger>(_ pointer: UnsafePointer<UInt8>, _ count: Int, _ value: inout T) -> CSVParseStatus {
        var wide: Int64 = 0
        let status = CSVValueParsing.parseInteger(pointer, count, &wide)
        guard status == .success else { return status }
        guard let exact = T(exactly: wide) else { return .outOfRange }
        value = exact
        return .success
    }

    /// Whether a field is NULL: unquoted and equal to the null text.
    @inline(__always)
    private func isNull(_ span: CSVFieldSpan, _ nullPointer: UnsafePointer<UInt8>, _ nullCount: Int) -> Bool {
        if span.isQuoted || Int(span.length) != nullCount { return false }
        if nullCount == 0 { return true }
        for index in 0..<nullCount where bytes[span.start + index] != nullPointer[index] { return false }
        return true
    }

    /// Records a null at `row`, allocating the validity bitmap (all valid so far) on the first one.
    @inline(__always)
    private func markNull(_ row: Int, _ validity: inout Buffer?, _ field: Field, _ span: CSVFieldSpan) throws {
        guard field.isNullable else {
            throw error(span, row, "null value in column \"\(field.name)\" violates not-null constraint")
        }
        if validity == nil {
            let bitmap = Buffer(capacity: Bitmap.byteCount(forBits: rowCount))
            bitmap.pointer.initializeMemory(as: UInt8.self, repeating: 0xFF, count: Bitmap.byteCount(forBits: rowCount))
            validity = bitmap
        }
        Bitmap.clear(validity!.pointer, row)
    }

    private func error(_ span: CSVFieldSpan, _ row: Int, _ message: String) -> CSVError {
        tokenizer.error(at: span.fieldStart, rowStart: rowStarts[row], rowLine: rowLines[row], message)
    }

    private func valueError(_ status: CSVParseStatus, _ span: CSVFieldSpan, _ row: Int, _ type: DataType) -> CSVError {
        let text = quotedForMessage(bytes + span.start, Int(span.length))
        switch status {
        case .outOfRange:
            let name = type.isDecimal ? type.description : CSVColumnDecoder.typeName(type)
            return error(span, row, "value \(text) is out of range for type \(name)")
        default:
            return error(span, row, "invalid input syntax for type \(CSVColumnDecoder.typeName(type)): \(text)")
        }
    }

    /// The PostgreSQL-style name of a type in error messages.
    static func typeName(_ type: DataType) -> String {
        type.postgresName
    }

    @inline(__always)
    private func decodeFixed<T>(_ columnSpans: UnsafeMutablePointer<CSVFieldSpan>, _ field: Field, _ type: T.Type,
                                parse: (UnsafePointer<UInt8>, Int, inout T) -> CSVParseStatus) throws -> Column {
        let values = Buffer(capacity: rowCount * MemoryLayout<T>.stride)
        let output = values.typed(T.self)
        var validity: Buffer?
        var nullCount = 0
        try nullText.withUnsafeBufferPointer { nullBuffer in
            let nullPointer = nullBuffer.baseAddress ?? bytes
            let nullLength = nullBuffer.count
            for row in 0..<rowCount {
                let span = columnSpans[row]
                if isNull(span, nullPointer, nullLength) {
                    try markNull(row, &validity, field, span)
                    nullCount += 1
                    continue
                }
                let status = parse(bytes + span.start, Int(span.length), &output[row])
                if status != .success { throw valueError(status, span, row, field.dataType) }
            }
        }
        return Column(dataType: field.dataType, count: rowCount, nullCount: nullCount, validity: validity, values: values)
    }

    private func decodeBoolean(_ columnSpans: UnsafeMutablePointer<CSVFieldSpan>, _ field: Field) throws -> Column {
        let values = Buffer(capacity: Bitmap.byteCount(forBits: rowCount))
        var validity: Buffer?
        var nullCount = 0
        try nullText.withUnsafeBufferPointer { nullBuffer in
            let nullPointer = nullBuffer.baseAddress ?? bytes
            for row in 0..<rowCount {
                let span = columnSpans[row]
                if isNull(span, nullPointer, nullBuffer.count) {
                    try markNull(row, &validity, field, span)
                    nullCount += 1
                    continue
                }
                var value = false
                let status = CSVValueParsing.parseBoolean(bytes + span.start, Int(span.length), &value)
                if status != .success { throw valueError(status, span, row, .boolean) }
                if value { Bitmap.set(values.pointer, row) }
            }
        }
        return Column(dataType: .boolean, count: rowCount, nullCount: nullCount, validity: validity, values: values)
    }

    private func decodeStrings(_ columnSpans: UnsafeMutablePointer<CSVFieldSpan>, _ field: Field) throws -> Column {
        var total = 0
        for row in 0..<rowCount { total += Int(columnSpans[row].length) }
        guard total <= Int(Int32.max) else {
            throw CSVError(path: tokenizer.path, line: rowLines[0], column: 1,
                           message: "column \"\(field.name)\": more than 2 GB of text in \(rowCount) rows")
        }
        let offsetsBuffer = Buffer(capacity: (rowCount + 1) * 4)
        let data = Buffer(capacity: total)
        let offsets = offsetsBuffer.typed(Int32.self)
        let target = data.typed(UInt8.self)
        var validity: Buffer?
        var nullCount = 0
        var length = 0
        try nullText.withUnsafeBufferPointer { nullBuffer in
            let nullPointer = nullBuffer.baseAddress ?? bytes
            for row in 0..<rowCount {
                let span = columnSpans[row]
                if isNull(span, nullPointer, nullBuffer.count) {
                    try markNull(row, &validity, field, span)
                    nullCount += 1
                    offsets[row + 1] = Int32(truncatingIfNeeded: length)
                    continue
                }
                let source = bytes + span.start
                let count = Int(span.length)
                guard CSVValueParsing.isValidUTF8(source, count) else {
                    throw error(span, row, "invalid UTF-8 byte sequence in column \"\(field.name)\"")
                }
                if span.isEscaped {
                    length += tokenizer.unescape(span, into: target + length)
                } else if count > 0 {
                    (target + length).update(from: source, count: count)
                    length += count
                }
                offsets[row + 1] = Int32(truncatingIfNeeded: length)
            }
        }
        return Column(dataType: .utf8, count: rowCount, nullCount: nullCount, validity: validity, values: offsetsBuffer, data: data)
    }
}
