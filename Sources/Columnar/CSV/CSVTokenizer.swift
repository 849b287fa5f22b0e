/// Where one field's text lies in the CSV bytes. For a quoted field the span excludes the quotes.
struct CSVFieldSpan {
    var start: Int
    var length: Int32
    /// `quotedFlag` and `escapedFlag`.
    var flags: UInt8

    static let quotedFlag: UInt8 = 1
    /// The field holds escape sequences (`""` or escape + quote) that must be removed from the text.
    static let escapedFlag: UInt8 = 2

    @inline(__always) var isQuoted: Bool { flags & CSVFieldSpan.quotedFlag != 0 }
    @inline(__always) var isEscaped: Bool { flags & CSVFieldSpan.escapedFlag != 0 }
    /// The offset of the field's first byte, its opening quote included.
    @inline(__always) var fieldStart: Int { isQuoted ? start - 1 : start }
}

/// Splits CSV bytes into rows and fields (RFC 4180: quoted fields may hold delimiters, quotes doubled or
/// escaped, and line breaks; rows end in LF, CRLF or CR). Works on raw bytes without creating strings.
struct CSVTokenizer {
    let bytes: UnsafePointer<UInt8>
    let count: Int
    let path: String
    let delimiter: UInt8
    let quote: UInt8
    let escape: UInt8
    private let distinctEscape: Bool
    /// 1 for bytes that end an unquoted field (the delimiter, CR and LF).
    private let special: [UInt8]
    /// The offset of the next unread byte.
    private(set) var position: Int
    /// The 1-based line of `position`.
    private(set) var line = 1

    init(bytes: UnsafePointer<UInt8>, count: Int, path: String, options: CSVOptions) {
        self.bytes = bytes
        self.count = count
        self.path = path
        delimiter = options.delimiter
        quote = options.quote
        escape = options.escape
        distinctEscape = options.escape != options.quote
        var table = [UInt8](repeating: 0, count: 256)
        table[Int(options.delimiter)] = 1
        table[10] = 1
        table[13] = 1
        special = table
        // Skip a UTF-8 byte order mark.
        position = count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }

    var isAtEnd: Bool { position >= count }

    func error(at offset: Int, rowStart: Int, rowLine: Int, _ message: String) -> CSVError {
        let (line, column) = CSVPositionFinder(bytes: bytes, count: count).position(of: offset, rowStart: rowStart, rowLine: rowLine)
        return CSVError(path: path, line: line, column: column, message: message)
    }

    /// How a field ended.
    enum Terminator { case delimiter, endOfRow, endOfFile }

    /// Scans one field starting at `position`.
    @inline(__always)
    private mutating func scanField(_ span: inout CSVFieldSpan, rowStart: Int, rowLine: Int) throws -> Terminator {
        var index = position
        if index < count && bytes[index] == quote {
            let openingQuote = index
            var flags = CSVFieldSpan.quotedFlag
            index += 1
            let contentStart = index
            while true {
                guard index < count else {
                    throw error(at: openingQuote, rowStart: rowStart, rowLine: rowLine, "unterminated quoted field")
                }
                let byte = bytes[index]
                if byte == quote {
                    if !distinctEscape && index + 1 < count && bytes[index + 1] == quote {
                        flags |= CSVFieldSpan.escapedFlag
                        index += 2
                        continue
                    }
                    break
                }
                if distinctEscape && byte == escape {
                    if index + 1 < count && (bytes[index + 1] == quote || bytes[index + 1] == escape) {
                        flags |= CSVFieldSpan.escapedFlag
                        index += 2
                        continue
                    }
                } else if byte == 10 {
                    line += 1
                } else if byte == 13 && !(index + 1 < count && bytes[index + 1] == 10) {
                    line += 1
                }
                index += 1
            }
            let length = index - contentStart
            guard length <= Int(Int32.max) else {
                throw error(at: openingQuote, rowStart: rowStart, rowLine: rowLine, "field is longer than 2 GB")
            }
            span = CSVFieldSpan(start: contentStart, length: Int32(length), flags: flags)
            index += 1
            if index >= count {
                position = index
                return .endOfFile
            }
            let next = bytes[index]
            if next == delimiter {
                position = index + 1
                return .delimiter
            }
            if next == 10 || next == 13 {
                position = endOfLine(at: index)
                return .endOfRow
            }
            throw error(at: index, rowStart: rowStart, rowLine: rowLine, "unexpected character after closing quote")
        }
        let start = index
        index = endOfUnquotedField(from: index)
        let length = index - start
        guard length <= Int(Int32.max) else {
            throw error(at: start, rowStart: rowStart, rowLine: rowLine, "field is longer than 2 GB")
        }
        span = CSVFieldSpan(start: start, length: Int32(length), flags: 0)
        if index >= count {
            position = index
            return .endOfFile
        }
        if bytes[index] == delimiter {
            position = index + 1
            return .delimiter
        }
        position = endOfLine(at: index)
        return .endOfRow
    }

    /// The offset of the first delimiter, CR or LF at or after `start` (or `count`). Scans eight bytes at a
    /// time: a byte equal to the pattern byte becomes zero after XOR, and the classic "has zero byte" test
    /// finds it; the lowest flagged byte is always a true match.
    @inline(__always)
    private func endOfUnquotedField(from start: Int) -> Int {
        var index = start
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let delimiters = ones &* UInt64(delimiter)
        let lineFeeds = ones &* 10
        let carriageReturns = ones &* 13
        let raw = UnsafeRawPointer(bytes)
        while index &+ 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let a = word ^ delimiters, b = word ^ lineFeeds, c = word ^ carriageReturns
            let found = ((a &- ones) & ~a | (b &- ones) & ~b | (c &- ones) & ~c) & highs
            if found != 0 {
                return index &+ (found.trailingZeroBitCount >> 3)
            }
            index &+= 8
        }
        while index < count && special[Int(bytes[index])] == 0 { index += 1 }
        return index
    }

    /// Consumes the line break at `index` (LF, CRLF or CR) and returns the offset after it.
    @inline(__always)
    private mutating func endOfLine(at index: Int) -> Int {
        line += 1
        if bytes[index] == 13 && index + 1 < count && bytes[index + 1] == 10 { return index + 2 }
        return index + 1
    }

    /// Skips line breaks at `position` (empty lines); returns whether any were skipped.
    private mutating func skipEmptyLines() {
        while position < count, bytes[position] == 10 || bytes[position] == 13 {
            position = endOfLine(at: position)
        }
    }

    /// Reads up to `maximumRows` rows of exactly `columnCount` fields. Spans are stored column-major:
    /// the span of row `r`, column `c` goes to `spans[c * stride + r]`. Returns the number of rows read.
    /// With `skippingEmptyLines`, lines without any byte are skipped rather than read as one empty field.
    /// A single empty, unquoted field after a trailing delimiter is ignored.
    /// When a row is malformed, returns the rows before it together with the error, so that the caller can
    /// report an earlier bad value first.
    mutating func readRows(columnCount: Int, maximumRows: Int, skippingEmptyLines: Bool,
                           spans: UnsafeMutablePointer<CSVFieldSpan>, stride: Int,
                           rowStarts: UnsafeMutablePointer<Int>, rowLines: UnsafeMutablePointer<Int>) -> (rows: Int, error: CSVError?) {
        var row = 0
        do {
            try readRows(columnCount: columnCount, maximumRows: maximumRows, skippingEmptyLines: skippingEmptyLines,
                         spans: spans, stride: stride, rowStarts: rowStarts, rowLines: rowLines, row: &row)
            return (row, nil)
        } catch let error as CSVError {
            return (row, error)
        } catch {
            return (row, CSVError(path: path, line: line, column: 0, message: "\(error)"))
        }
    }

    private mutating func readRows(columnCount: Int, maximumRows: Int, skippingEmptyLines: Bool,
                                   spans: UnsafeMutablePointer<CSVFieldSpan>, stride: Int,
                                   rowStarts: UnsafeMutablePointer<Int>, rowLines: UnsafeMutablePointer<Int>,
                                   row: inout Int) throws {
        var span = CSVFieldSpan(start: 0, length: 0, flags: 0)
        while row < maximumRows {
            if skippingEmptyLines { skipEmptyLines() }
            if position >= count { break }
            let rowStart = position
            let rowLine = line
            rowStarts[row] = rowStart
            rowLines[row] = rowLine
            var column = 0
            var extraFieldStart = -1
            var lastFieldEnd = rowStart
            while true {
                let fieldStart = position
                let terminator = try scanField(&span, rowStart: rowStart, rowLine: rowLine)
                if column < columnCount {
                    spans[column &* stride &+ row] = span
                } else if column == columnCount {
                    extraFieldStart = fieldStart
                }
                lastFieldEnd = span.start + Int(span.length) + (span.isQuoted ? 1 : 0)
                column += 1
                if terminator != .delimiter { break }
            }
            // Tolerate one trailing delimiter at the end of a line (TPC-H dbgen's `.tbl` files have them).
            let trailingDelimiter = column == columnCount + 1 && span.length == 0 && !span.isQuoted
            if column != columnCount && !trailingDelimiter {
                let offset = column > columnCount ? extraFieldStart : lastFieldEnd
                throw error(at: offset, rowStart: rowStart, rowLine: rowLine,
                            "expected \(columnCount) field\(columnCount == 1 ? "" : "s"), found \(column)")
            }
            row += 1
        }
    }

    /// Reads one row of any number of fields; nil at the end of the input. Used for headers and sniffing.
    mutating func readRecord(skippingEmptyLines: Bool) throws -> (spans: [CSVFieldSpan], rowStart: Int, rowLine: Int)? {
        if skippingEmptyLines { skipEmptyLines() }
        if position >= count { return nil }
        let rowStart = position
        let rowLine = line
        var spans: [CSVFieldSpan] = []
        var span = CSVFieldSpan(start: 0, length: 0, flags: 0)
        while true {
            let terminator = try scanField(&span, rowStart: rowStart, rowLine: rowLine)
            spans.append(span)
            if terminator != .delimiter { break }
        }
        return (spans, rowStart, rowLine)
    }

    /// The text of a field with escape sequences removed, appended to `target` (which must have room for
    /// `span.length` bytes). Returns the number of bytes written.
    @inline(__always)
    func unescape(_ span: CSVFieldSpan, into target: UnsafeMutablePointer<UInt8>) -> Int {
        var source = span.start
        let end = span.start + Int(span.length)
        var written = 0
        while source < end {
            let byte = bytes[source]
            if byte == escape && source + 1 < end && (bytes[source + 1] == quote || bytes[source + 1] == escape) {
                target[written] = bytes[source + 1]
                source += 2
            } else {
                target[written] = byte
                source += 1
            }
            written += 1
        }
        return written
    }

    /// The text of a field as a String (unescaped). For headers and messages.
    func string(_ span: CSVFieldSpan) -> String {
        if !span.isEscaped {
            return String(decoding: UnsafeBufferPointer(start: bytes + span.start, count: Int(span.length)), as: UTF8.self)
        }
        return String(unsafeUninitializedCapacity: Int(span.length)) { buffer in
            unescape(span, into: buffer.baseAddress!)
        }
    }
}
