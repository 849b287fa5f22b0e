/// Writes record batches as CSV (RFC 4180). A string is quoted when it holds the delimiter, the quote or
/// escape character, a line break, a leading or trailing space, or equals the null text (so it reads back
/// as that string, not NULL); quotes inside are doubled (or preceded by the escape character). NULL is
/// written as the unquoted null text. Lines end in LF.
public struct CSVWriter {
    /// Writes `batches` to `path` (created or truncated), with a header line when `options.hasHeader`.
    public static func write(_ batches: [RecordBatch], schema: Schema, to path: String, options: CSVOptions) throws {
        let output: OutputFile
        do {
            output = try OutputFile(path: path)
        } catch let failure as FileError {
            throw CSVError(path: path, line: 0, column: 0, message: "could not create the file: \(failure.reason)")
        }
        var encoder = CSVTextEncoder(options: options)
        defer { encoder.deallocate() }
        do {
            if options.hasHeader {
                for (index, field) in schema.fields.enumerated() {
                    if index > 0 { encoder.append(byte: options.delimiter) }
                    var name = field.name
                    name.withUTF8 { encoder.appendString($0) }
                }
                encoder.append(byte: 10)
            }
            for batch in batches {
                guard batch.columns.count == schema.fields.count else {
                    throw CSVError(path: path, line: 0, column: 0,
                                   message: "a batch has \(batch.columns.count) columns, the schema \(schema.fields.count)")
                }
                let formatters = batch.columns.map(CSVColumnFormatter.init)
                try formatters.withUnsafeBufferPointer { formatters in
                    for row in 0..<batch.rowCount {
                        for index in 0..<formatters.count {
                            if index > 0 { encoder.append(byte: options.delimiter) }
                            encoder.append(formatters[index], row)
                        }
                        encoder.append(byte: 10)
                        if encoder.count >= 1 << 20 {
                            try output.write(encoder.bytes)
                            encoder.count = 0
                        }
                    }
                }
                withExtendedLifetime(batch) {}
            }
            try output.write(encoder.bytes)
            try output.complete(synchronize: false)
        } catch let failure as FileError {
            throw CSVError(path: path, line: 0, column: 0, message: "\(failure.operation) failed: \(failure.reason)")
        }
    }
}

/// One column prepared for formatting: its kind and raw buffer pointers, so that formatting a value
/// touches no reference counts. The column must outlive it.
struct CSVColumnFormatter {
    enum Kind { case null, boolean, int8, int16, int32, int64, float32, float64, decimal, date, interval, utf8 }
    let kind: Kind
    let scale: Int
    let validity: UnsafeRawPointer?
    let values: UnsafeRawPointer?
    let data: UnsafeRawPointer?

    init(_ column: Column) {
        var scale = 0
        switch column.dataType {
        case .null: kind = .null
        case .boolean: kind = .boolean
        case .int8: kind = .int8
        case .int16: kind = .int16
        case .int32: kind = .int32
        case .int64: kind = .int64
        case .float32: kind = .float32
        case .float64: kind = .float64
        case .decimal128(_, let columnScale):
            kind = .decimal
            scale = columnScale
        case .date32: kind = .date
        case .interval: kind = .interval
        case .utf8: kind = .utf8
        }
        self.scale = scale
        validity = column.nullCount > 0 ? column.validity.map { UnsafeRawPointer($0.pointer) } : nil
        values = column.values.map { UnsafeRawPointer($0.pointer) }
        data = column.data.map { UnsafeRawPointer($0.pointer) }
    }
}

/// Formats values as CSV text into a growing byte buffer.
struct CSVTextEncoder {
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    var count = 0
    let delimiter: UInt8
    let quote: UInt8
    let escape: UInt8
    let nullText: [UInt8]

    init(options: CSVOptions) {
        delimiter = options.delimiter
        quote = options.quote
        escape = options.escape
        nullText = Array(options.nullString.utf8)
        capacity = 1 << 21
        storage = .allocate(capacity: capacity)
    }

    func deallocate() { storage.deallocate() }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage, count: count) }

    @inline(__always)
    private mutating func reserve(_ additional: Int) {
        if count + additional > capacity {
            let newCapacity = Swift.max(capacity * 2, count + additional)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            grown.update(from: storage, count: count)
            storage.deallocate()
            storage = grown
            capacity = newCapacity
        }
    }

    @inline(__always)
    mutating func append(byte: UInt8) {
        reserve(1)
        storage[count] = byte
        count += 1
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        reserve(bytes.count)
        if let base = bytes.baseAddress, bytes.count > 0 { (storage + count).update(from: base, count: bytes.count) }
        count += bytes.count
    }

    private mutating func append(text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    mutating func append(_ column: CSVColumnFormatter, _ row: Int) {
        if let validity = column.validity, !Bitmap.isSet(validity, row) {
            nullText.withUnsafeBufferPointer { append($0) }
            return
        }
        switch column.kind {
        case .null:
            nullText.withUnsafeBufferPointer { append($0) }
        case .boolean:
            if Bitmap.isSet(column.values!, row) {
                reserve(4)
                storage[count] = 116; storage[count + 1] = 114; storage[count + 2] = 117; storage[count + 3] = 101
                count += 4
            } else {
                reserve(5)
                storage[count] = 102; storage[count + 1] = 97; storage[count + 2] = 108; storage[count + 3] = 115
                storage[count + 4] = 101
                count += 5
            }
        case .int8: appendInteger(Int64(column.values!.load(fromByteOffset: row, as: Int8.self)))
        case .int16: appendInteger(Int64(column.values!.load(fromByteOffset: row * 2, as: Int16.self)))
        case .int32: appendInteger(Int64(column.values!.load(fromByteOffset: row * 4, as: Int32.self)))
        case .int64: appendInteger(column.values!.load(fromByteOffset: row * 8, as: Int64.self))
        case .float32: append(text: FloatingPointFormat.format(Double(column.values!.load(fromByteOffset: row * 4, as: Float.self))))
        case .float64: append(text: FloatingPointFormat.format(column.values!.load(fromByteOffset: row * 8, as: Double.self)))
        case .decimal: appendDecimal(column.values!.load(fromByteOffset: row * 16, as: Int128.self), scale: column.scale)
        case .date: appendDate(column.values!.load(fromByteOffset: row * 4, as: Int32.self))
        case .interval:
            var text = IntervalFormat.format(column.values!.load(fromByteOffset: row * 16, as: IntervalValue.self))
            text.withUTF8 { appendString($0) }
        case .utf8:
            let offsets = column.values!.assumingMemoryBound(to: Int32.self)
            let start = Int(offsets[row])
            let end = Int(offsets[row + 1])
            let text = UnsafeBufferPointer(start: column.data!.assumingMemoryBound(to: UInt8.self) + start, count: end - start)
            appendString(text)
        }
    }

    @inline(__always)
    mutating func appendInteger(_ value: Int64) {
        if value < 0 { append(byte: 45) }
        appendDigits(value.magnitude, minimumDigits: 1)
    }

    /// Appends the decimal digits of `value`, zero-padded to at least `minimumDigits`.
    @inline(__always)
    private mutating func appendDigits(_ value: UInt64, minimumDigits: Int) {
        var digits = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        let width = Swift.max(digits, minimumDigits)
        reserve(width)
        var remaining = value
        var position = count + width - 1
        for _ in 0..<width {
            storage[position] = UInt8(truncatingIfNeeded: remaining % 10) &+ 48
            remaining /= 10
            position -= 1
        }
        count += width
    }

    private mutating func appendDecimal(_ value: Int128, scale: Int) {
        if value < 0 { append(byte: 45) }
        let magnitude = value.magnitude
        let divisor = UInt128(DecimalFormat.powersOfTen[scale])
        let integerPart = magnitude / divisor
        let fraction = magnitude % divisor
        if integerPart <= UInt128(UInt64.max) {
            appendDigits(UInt64(integerPart), minimumDigits: 1)
        } else {
            append(text: String(integerPart))
        }
        guard scale > 0 else { return }
        append(byte: 46)
        if fraction <= UInt128(UInt64.max) {
            appendDigits(UInt64(fraction), minimumDigits: scale)
        } else {
            let text = String(fraction)
            for _ in text.utf8.count..<scale { append(byte: 48) }
            append(text: text)
        }
    }

    private mutating func appendDate(_ days: Int32) {
        let (year, month, day) = DateFormat.civil(days: Int(days))
        guard year >= 0 && year <= 9999 else {
            append(text: DateFormat.format(days: days))
            return
        }
        appendDigits(UInt64(year), minimumDigits: 4)
        append(byte: 45)
        appendDigits(UInt64(month), minimumDigits: 2)
        append(byte: 45)
        appendDigits(UInt64(day), minimumDigits: 2)
    }

    /// Appends a string, quoting it when needed.
    mutating func appendString(_ text: UnsafeBufferPointer<UInt8>) {
        var needsQuotes = text.count == nullText.count && text.elementsEqual(nullText)
        if let first = text.first, let last = text.last, first == 32 || last == 32 { needsQuotes = true }
        if !needsQuotes {
            for byte in text where byte == delimiter || byte == quote || byte == escape || byte == 10 || byte == 13 {
                needsQuotes = true
                break
            }
        }
        guard needsQuotes else {
            append(text)
            return
        }
        append(byte: quote)
        for byte in text {
            if byte == quote || (byte == escape && escape != quote) { append(byte: escape) }
            append(byte: byte)
        }
        append(byte: quote)
    }
}
