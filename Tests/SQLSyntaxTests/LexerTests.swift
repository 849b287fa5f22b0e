import Testing
@testable import SQLSyntax

@Suite("Lexer")
struct LexerTests {
    private func kindsAndValues(_ sql: String) throws -> [String] {
        try Lexer.tokenize(sql).map { token in
            switch token.kind {
            case .word: "w:\(token.value)"
            case .quotedIdentifier: "q:\(token.value)"
            case .string: "s:\(token.value)"
            case .integer: "i:\(token.value)"
            case .number: "n:\(token.value)"
            case .symbol: token.value
            case .endOfInput: "$"
            }
        }
    }

    @Test func keywordsAndIdentifiersAreLowercasedUnlessQuoted() throws {
        #expect(try kindsAndValues(#"SeLeCt Foo, "Bar", "a""b" FROM t"#)
            == ["w:select", "w:foo", ",", "q:Bar", ",", #"q:a"b"#, "w:from", "w:t", "$"])
        let tokens = try Lexer.tokenize("SeLeCt")
        #expect(tokens[0].text == "SeLeCt")
    }

    @Test func stringLiterals() throws {
        #expect(try kindsAndValues("'it''s' ''") == ["s:it's", "s:", "$"])
        #expect(try kindsAndValues(#"E'a\nb\\c\'d'"#) == ["s:a\nb\\c'd", "$"])
        // A plain string keeps backslashes.
        #expect(try kindsAndValues(#"'a\n'"#) == [#"s:a\n"#, "$"])
    }

    @Test func numbers() throws {
        #expect(try kindsAndValues("42 .5 1. 1.5e10 3E-2 7e+1 0")
            == ["i:42", "n:.5", "n:1.", "n:1.5e10", "n:3E-2", "n:7e+1", "i:0", "$"])
        // "1.." is 1 followed by '.' '.' (not a number with two dots).
        #expect(try kindsAndValues("t.a") == ["w:t", ".", "w:a", "$"])
    }

    @Test func operators() throws {
        #expect(try kindsAndValues("+ - * / % || = <> != < <= > >= :: ( ) , . ; ==")
            == ["+", "-", "*", "/", "%", "||", "=", "<>", "<>", "<", "<=", ">", ">=", "::", "(", ")", ",", ".", ";", "=", "$"])
        #expect(try kindsAndValues("a<>b") == ["w:a", "<>", "w:b", "$"])
        #expect(try kindsAndValues("x::int") == ["w:x", "::", "w:int", "$"])
    }

    @Test func commentsAreSkipped() throws {
        #expect(try kindsAndValues("a -- comment\n b /* block /* nested */ still */ c") == ["w:a", "w:b", "w:c", "$"])
        #expect(try kindsAndValues("1 - -2") == ["i:1", "-", "-", "i:2", "$"])
        #expect(try kindsAndValues("-- only a comment") == ["$"])
    }

    @Test func locationsTrackLinesColumnsAndOffsets() throws {
        let tokens = try Lexer.tokenize("SELECT\n  é,\tx")
        #expect(tokens[0].location == SourceLocation(line: 1, column: 1, offset: 0))
        #expect(tokens[1].location == SourceLocation(line: 2, column: 3, offset: 9))
        // "é" is one character but two UTF-8 bytes.
        #expect(tokens[2].location == SourceLocation(line: 2, column: 4, offset: 11))
        #expect(tokens[3].location == SourceLocation(line: 2, column: 6, offset: 13))
        #expect(tokens[3].endOffset == 14)
        #expect(tokens[4].kind == .endOfInput)
        #expect(tokens[4].location == SourceLocation(line: 2, column: 7, offset: 14))
    }

    @Test func unterminatedStringIsAnErrorAtItsStart() {
        #expect(throws: SyntaxError(message: "unterminated quoted string", location: SourceLocation(line: 2, column: 8, offset: 14))) {
            try Lexer.tokenize("SELECT\nSELECT 'abc")
        }
    }

    @Test func otherLexicalErrors() {
        #expect(throws: SyntaxError(message: "unterminated /* comment", location: SourceLocation(line: 1, column: 3, offset: 2))) {
            try Lexer.tokenize("1 /* /* */")
        }
        #expect(throws: SyntaxError(message: "unterminated quoted identifier", location: SourceLocation(line: 1, column: 1, offset: 0))) {
            try Lexer.tokenize("\"abc")
        }
        #expect(throws: SyntaxError(message: "syntax error at or near \"#\"", location: SourceLocation(line: 1, column: 3, offset: 2))) {
            try Lexer.tokenize("a #")
        }
        #expect(throws: SyntaxError.self) { try Lexer.tokenize("\"\"") }
        #expect(throws: SyntaxError.self) { try Lexer.tokenize("123abc") }
        #expect(throws: SyntaxError.self) { try Lexer.tokenize("E'abc\\'") }
    }
}
