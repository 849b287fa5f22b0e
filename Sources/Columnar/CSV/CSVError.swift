/// An error reading CSV: where (file, 1-based line and column) and what.
///
/// Rendered as `file.csv:LINE:COLUMN: message`, like a compiler diagnostic. The column counts characters from
/// the start of the line to the start of the offending field (its opening quote, if quoted). Errors that
/// concern the whole file (it cannot be opened) have line and column 0 and render as `file.csv: message`.
public struct CSVError: Error, Sendable, CustomStringConvertible, Equatable {
    public var path: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(path: String, line: Int, column: Int, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        line == 0 ? "\(path): \(message)" : "\(path):\(line):\(column): \(message)"
    }
}

/// Turns byte offsets into line:column positions, lazily (only when an error is reported).
struct CSVPositionFinder {
    let bytes: UnsafePointer<UInt8>
    let count: Int

    /// The line and column of `offset`, counting from a known row start at `rowStart` on `rowLine`.
    func position(of offset: Int, rowStart: Int, rowLine: Int) -> (line: Int, column: Int) {
        var line = rowLine
        var lineStart = rowStart
        var index = rowStart
        while index < offset {
            let byte = bytes[index]
            if byte == 10 {
                line += 1
                lineStart = index + 1
            } else if byte == 13 && !(index + 1 < count && bytes[index + 1] == 10) {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        // Count characters, not bytes: skip UTF-8 continuation bytes.
        var column = 1
        index = lineStart
        while index < offset {
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return (line, column)
    }
}

/// Shows field text in an error message: at most 60 characters, decoded leniently.
func quotedForMessage(_ pointer: UnsafePointer<UInt8>, _ count: Int) -> String {
    let limit = Swift.min(count, 200)
    var text = String(decoding: UnsafeBufferPointer(start: pointer, count: limit), as: UTF8.self)
    if text.count > 60 || limit < count { text = String(text.prefix(60)) + "..." }
    return "\"\(text)\""
}
