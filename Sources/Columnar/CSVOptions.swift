/// How CSV text is split into fields and rows.
public struct CSVOptions: Hashable, Sendable {
    /// Whether the first line names the columns (and is skipped when loading).
    public var hasHeader: Bool
    public var delimiter: UInt8
    public var quote: UInt8
    /// The byte that escapes a quote inside a quoted field; the quote itself by default (`""`).
    public var escape: UInt8
    /// The text that stands for NULL in an unquoted field. An empty unquoted field is NULL by default.
    public var nullString: String

    public init(hasHeader: Bool = false, delimiter: UInt8 = UInt8(ascii: ","), quote: UInt8 = UInt8(ascii: "\""),
                escape: UInt8? = nil, nullString: String = "") {
        self.hasHeader = hasHeader
        self.delimiter = delimiter
        self.quote = quote
        self.escape = escape ?? quote
        self.nullString = nullString
    }
}
