/// Splits SQL source text into tokens.
public enum Lexer {
    /// Tokenizes `sql`. The result always ends with an `.endOfInput` token, located
    /// just past the last real token.
    ///
    /// - Throws: `SyntaxError` for unterminated strings, quoted identifiers or
    ///   comments, and for characters that cannot start a token.
    public static func tokenize(_ sql: String) throws(SyntaxError) -> [Token] {
        var scanner = Scanner(bytes: Array(sql.utf8))
        var tokens: [Token] = []
        while true {
            try scanner.skipWhitespaceAndComments()
            guard let byte = scanner.peek() else { break }
            tokens.append(try scanner.scanToken(startingWith: byte))
        }
        let end = tokens.last.map { last in
            SourceLocation(
                line: last.location.line,
                column: last.location.column + last.text.unicodeScalars.count,
                offset: last.endOffset)
        } ?? SourceLocation.start
        tokens.append(Token(kind: .endOfInput, value: "", text: "", location: end, endOffset: end.offset))
        return tokens
    }
}

/// A cursor over UTF-8 bytes that tracks line and column.
private struct Scanner {
    let bytes: [UInt8]
    var offset = 0
    var line = 1
    var column = 1

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    var location: SourceLocation {
        SourceLocation(line: line, column: column, offset: offset)
    }

    func peek(_ ahead: Int = 0) -> UInt8? {
        let index = offset + ahead
        return index < bytes.count ? bytes[index] : nil
    }

    mutating func advance() {
        guard offset < bytes.count else { return }
        let byte = bytes[offset]
        offset += 1
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
    }

    func text(from start: Int) -> String {
        String(decoding: bytes[start..<offset], as: UTF8.self)
    }

    mutating func skipWhitespaceAndComments() throws(SyntaxError) {
        while let byte = peek() {
            if isWhitespace(byte) {
                advance()
            } else if byte == UInt8(ascii: "-"), peek(1) == UInt8(ascii: "-") {
                while let next = peek(), next != UInt8(ascii: "\n") {
                    advance()
                }
            } else if byte == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
                try skipBlockComment()
            } else {
                return
            }
        }
    }

    mutating func skipBlockComment() throws(SyntaxError) {
        let start = location
        var depth = 0
        repeat {
            guard let byte = peek() else {
                throw SyntaxError(message: "unterminated /* comment", location: start)
            }
            if byte == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
                depth += 1
                advance()
            } else if byte == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") {
                depth -= 1
                advance()
            }
            advance()
        } while depth > 0
    }

    mutating func scanToken(startingWith byte: UInt8) throws(SyntaxError) -> Token {
        let start = location
        if (byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")), peek(1) == UInt8(ascii: "'") {
            advance()
            return try scanString(start: start, allowsEscapes: true)
        }
        if isIdentifierStart(byte) {
            while let next = peek(), isIdentifierPart(next) {
                advance()
            }
            let text = text(from: start.offset)
            return Token(kind: .word, value: text.lowercased(), text: text, location: start, endOffset: offset)
        }
        if isDigit(byte) || (byte == UInt8(ascii: ".") && peek(1).map(isDigit) == true) {
            return try scanNumber(start: start)
        }
        switch byte {
        case UInt8(ascii: "'"):
            return try scanString(start: start, allowsEscapes: false)
        case UInt8(ascii: "\""):
            return try scanQuotedIdentifier(start: start)
        default:
            return try scanSymbol(start: start)
        }
    }

    mutating func scanNumber(start: SourceLocation) throws(SyntaxError) -> Token {
        var isInteger = true
        while let next = peek(), isDigit(next) {
            advance()
        }
        if peek() == UInt8(ascii: "."), peek(1) != UInt8(ascii: ".") {
            isInteger = false
            advance()
            while let next = peek(), isDigit(next) {
                advance()
            }
        }
        if let next = peek(), next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
            var digitIndex = 1
            if let sign = peek(1), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                digitIndex = 2
            }
            if let digit = peek(digitIndex), isDigit(digit) {
                isInteger = false
                for _ in 0..<digitIndex {
                    advance()
                }
                while let next = peek(), isDigit(next) {
                    advance()
                }
            }
        }
        if let next = peek(), isIdentifierStart(next) {
            while let part = peek(), isIdentifierPart(part) {
                advance()
            }
            throw SyntaxError(
                message: "trailing junk after numeric literal at or near \"\(text(from: start.offset))\"",
                location: start)
        }
        let text = text(from: start.offset)
        return Token(kind: isInteger ? .integer : .number, value: text, text: text, location: start, endOffset: offset)
    }

    mutating func scanString(start: SourceLocation, allowsEscapes: Bool) throws(SyntaxError) -> Token {
        advance()  // opening quote
        var value: [UInt8] = []
        while true {
            guard let byte = peek() else {
                throw SyntaxError(message: "unterminated quoted string", location: start)
            }
            advance()
            if byte == UInt8(ascii: "'") {
                if peek() == UInt8(ascii: "'") {
                    value.append(byte)
                    advance()
                    continue
                }
                break
            }
            if allowsEscapes, byte == UInt8(ascii: "\\"), let escaped = peek() {
                advance()
                switch escaped {
                case UInt8(ascii: "n"): value.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): value.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "r"): value.append(UInt8(ascii: "\r"))
                case UInt8(ascii: "b"): value.append(8)
                case UInt8(ascii: "f"): value.append(12)
                case UInt8(ascii: "0"): value.append(0)
                default: value.append(escaped)
                }
                continue
            }
            value.append(byte)
        }
        return Token(
            kind: .string, value: String(decoding: value, as: UTF8.self), text: text(from: start.offset),
            location: start, endOffset: offset)
    }

    mutating func scanQuotedIdentifier(start: SourceLocation) throws(SyntaxError) -> Token {
        advance()  // opening quote
        var value: [UInt8] = []
        while true {
            guard let byte = peek() else {
                throw SyntaxError(message: "unterminated quoted identifier", location: start)
            }
            advance()
            if byte == UInt8(ascii: "\"") {
                if peek() == UInt8(ascii: "\"") {
                    value.append(byte)
                    advance()
                    continue
                }
                break
            }
            value.append(byte)
        }
        if value.isEmpty {
            throw SyntaxError(message: "zero-length delimited identifier at or near \"\"\"\"", location: start)
        }
        return Token(
            kind: .quotedIdentifier, value: String(decoding: value, as: UTF8.self),
            text: text(from: start.offset), location: start, endOffset: offset)
    }

    mutating func scanSymbol(start: SourceLocation) throws(SyntaxError) -> Token {
        guard let first = peek() else {
            throw SyntaxError(message: "syntax error at end of input", location: start)
        }
        let second = peek(1).map { Character(UnicodeScalar($0)) }
        let pair = String(Character(UnicodeScalar(first))) + (second.map { String($0) } ?? "")
        let twoCharacterSymbols: [String: String] = [
            "||": "||", "::": "::", "<>": "<>", "!=": "<>", "<=": "<=", ">=": ">=", "==": "=",
        ]
        if let value = twoCharacterSymbols[pair] {
            advance()
            advance()
            return Token(kind: .symbol, value: value, text: pair, location: start, endOffset: offset)
        }
        let single = String(Character(UnicodeScalar(first)))
        if "+-*/%=<>(),.;".contains(single), first < 0x80 {
            advance()
            return Token(kind: .symbol, value: single, text: single, location: start, endOffset: offset)
        }
        // Consume one whole character (possibly multi-byte) for the message.
        advance()
        while let next = peek(), next & 0xC0 == 0x80 {
            advance()
        }
        throw SyntaxError(message: "syntax error at or near \"\(text(from: start.offset))\"", location: start)
    }
}

private func isWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C || byte == 0x0B
}

private func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
}

private func isIdentifierStart(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
        || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
        || byte == UInt8(ascii: "_") || byte >= 0x80
}

private func isIdentifierPart(_ byte: UInt8) -> Bool {
    isIdentifierStart(byte) || isDigit(byte) || byte == UInt8(ascii: "$")
}
