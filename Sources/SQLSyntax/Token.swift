/// The kinds of lexical token.
public enum TokenKind: Sendable, Hashable {
    /// An unquoted word: a keyword or an identifier. The token's value is lowercased.
    case word
    /// A "double-quoted" identifier. The value has `""` escapes resolved and keeps its case.
    case quotedIdentifier
    /// A 'string' literal (or E'escape string'). The value has escapes resolved.
    case string
    /// An integer literal (digits only).
    case integer
    /// A numeric literal with a '.' or an exponent.
    case number
    /// An operator or punctuation: `+ - * / % || = <> < <= > >= :: ( ) , . ;`.
    /// `!=` is given the value `<>` and `==` the value `=`.
    case symbol
    /// The end of the input (always the last token).
    case endOfInput
}

/// A lexical token.
public struct Token: Sendable, Hashable {
    /// The kind of token.
    public var kind: TokenKind
    /// The processed value: lowercased words, unescaped strings, normalized symbols.
    public var value: String
    /// The token exactly as written in the source.
    public var text: String
    /// Where the token starts.
    public var location: SourceLocation
    /// The UTF-8 byte offset just past the token's end.
    public var endOffset: Int

    /// Creates a token.
    public init(kind: TokenKind, value: String, text: String, location: SourceLocation, endOffset: Int) {
        self.kind = kind
        self.value = value
        self.text = text
        self.location = location
        self.endOffset = endOffset
    }

    /// Whether this token is the unquoted word `keyword` (given in lowercase).
    func isWord(_ keyword: String) -> Bool {
        kind == .word && value == keyword
    }

    /// Whether this token is the symbol `symbol`.
    func isSymbol(_ symbol: String) -> Bool {
        kind == .symbol && value == symbol
    }
}
