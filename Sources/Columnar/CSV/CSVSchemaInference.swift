/// What `CSVReader.sniff` found out about a file.
public struct CSVSniffResult: Sendable, Hashable {
    /// The column names and inferred types.
    public var schema: Schema
    /// Whether the first line holds column names.
    public var hasHeader: Bool

    public init(schema: Schema, hasHeader: Bool) {
        self.schema = schema
        self.hasHeader = hasHeader
    }
}

extension CSVReader {
    /// Infers a schema for `read_csv('file')`: column names from the header (when `options.hasHeader`) or
    /// `column0`, `column1`, ...; types from the first `sampleRows` rows, the first of BOOLEAN, BIGINT,
    /// DOUBLE, DATE that fits every non-null value, else VARCHAR (also for columns with only nulls).
    public static func inferSchema(path: String, options: CSVOptions, sampleRows: Int = 10_000) throws -> Schema {
        try infer(path: path, options: options, sampleRows: sampleRows, detectHeader: false).schema
    }

    /// Like `inferSchema`, but also decides whether the first line is a header when `options.hasHeader` is
    /// false: it is when some column's type, inferred from the other rows, is not VARCHAR and the first
    /// line's value in that column does not fit it.
    public static func sniff(path: String, options: CSVOptions, sampleRows: Int = 10_000) throws -> CSVSniffResult {
        try infer(path: path, options: options, sampleRows: sampleRows, detectHeader: !options.hasHeader)
    }

    /// Candidate types, as bits, in the order they are preferred.
    private static let booleanBit: UInt8 = 1, bigintBit: UInt8 = 2, doubleBit: UInt8 = 4, dateBit: UInt8 = 8

    private static func infer(path: String, options: CSVOptions, sampleRows: Int, detectHeader: Bool) throws -> CSVSniffResult {
        let file = try map(path)
        let bytes = UnsafePointer(file.pointer.assumingMemoryBound(to: UInt8.self))
        var tokenizer = CSVTokenizer(bytes: bytes, count: file.size, path: path, options: options)
        guard file.size > 0, let first = try tokenizer.readRecord(skippingEmptyLines: true) else {
            throw CSVError(path: path, line: 0, column: 0, message: "the file is empty: cannot infer its columns")
        }
        let columnCount = first.spans.count
        let nullText = Array(options.nullString.utf8)
        var candidates = [UInt8](repeating: booleanBit | bigintBit | doubleBit | dateBit, count: columnCount)
        var sawValue = [Bool](repeating: false, count: columnCount)
        var rows = 0
        while rows < sampleRows, let record = try tokenizer.readRecord(skippingEmptyLines: columnCount > 1) {
            guard record.spans.count == columnCount else {
                let offset = record.spans.count > columnCount
                    ? record.spans[columnCount].fieldStart
                    : record.spans[record.spans.count - 1].start + Int(record.spans[record.spans.count - 1].length)
                throw tokenizer.error(at: offset, rowStart: record.rowStart, rowLine: record.rowLine,
                                      "expected \(columnCount) field\(columnCount == 1 ? "" : "s"), found \(record.spans.count)")
            }
            for (column, span) in record.spans.enumerated() {
                if isNull(span, bytes, nullText) { continue }
                sawValue[column] = true
                candidates[column] &= fits(span, bytes)
            }
            rows += 1
        }
        var types: [DataType] = []
        for column in 0..<columnCount {
            types.append(sawValue[column] ? preferred(candidates[column]) : .utf8)
        }
        var hasHeader = options.hasHeader
        if detectHeader && rows > 0 {
            for (column, span) in first.spans.enumerated() where types[column] != .utf8 {
                if isNull(span, bytes, nullText) { continue }
                if fits(span, bytes) & bit(of: types[column]) == 0 {
                    hasHeader = true
                    break
                }
            }
        }
        if !hasHeader {
            // The first line is data: fold it into the types.
            for (column, span) in first.spans.enumerated() where !isNull(span, bytes, nullText) {
                let mask = (sawValue[column] ? candidates[column] : booleanBit | bigintBit | doubleBit | dateBit) & fits(span, bytes)
                candidates[column] = mask
                sawValue[column] = true
                types[column] = preferred(mask)
            }
        }
        var names: [String] = []
        var used = Set<String>()
        for column in 0..<columnCount {
            var name = hasHeader ? tokenizer.string(first.spans[column]) : "column\(column)"
            if name.isEmpty { name = "column\(column)" }
            if used.contains(name) {
                var suffix = 1
                while used.contains("\(name)_\(suffix)") { suffix += 1 }
                name = "\(name)_\(suffix)"
            }
            used.insert(name)
            names.append(name)
        }
        let fields = (0..<columnCount).map { Field(names[$0], types[$0]) }
        return CSVSniffResult(schema: Schema(fields), hasHeader: hasHeader)
    }

    private static func isNull(_ span: CSVFieldSpan, _ bytes: UnsafePointer<UInt8>, _ nullText: [UInt8]) -> Bool {
        guard !span.isQuoted, Int(span.length) == nullText.count else { return false }
        for index in 0..<nullText.count where bytes[span.start + index] != nullText[index] { return false }
        return true
    }

    /// The candidate types a field's text fits.
    private static func fits(_ span: CSVFieldSpan, _ bytes: UnsafePointer<UInt8>) -> UInt8 {
        if span.isEscaped { return 0 }
        let pointer = bytes + span.start
        let count = Int(span.length)
        var result: UInt8 = 0
        var boolean = false
        let (trimmed, trimmedCount) = CSVValueParsing.trim(pointer, count)
        if (trimmedCount == 4 || trimmedCount == 5), CSVValueParsing.parseBoolean(trimmed, trimmedCount, &boolean) == .success {
            result |= booleanBit
        }
        var integer: Int64 = 0
        if CSVValueParsing.parseInteger(pointer, count, &integer) == .success { result |= bigintBit }
        var double = 0.0
        if CSVValueParsing.parseDouble(pointer, count, &double) == .success { result |= doubleBit }
        var date: Int32 = 0
        if CSVValueParsing.parseDate(pointer, count, &date) == .success { result |= dateBit }
        return result
    }

    private static func preferred(_ mask: UInt8) -> DataType {
        if mask & booleanBit != 0 { return .boolean }
        if mask & bigintBit != 0 { return .int64 }
        if mask & doubleBit != 0 { return .float64 }
        if mask & dateBit != 0 { return .date32 }
        return .utf8
    }

    private static func bit(of type: DataType) -> UInt8 {
        switch type {
        case .boolean: return booleanBit
        case .int64: return bigintBit
        case .float64: return doubleBit
        case .date32: return dateBit
        default: return 0
        }
    }
}
