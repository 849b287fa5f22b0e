/// The entry points of the SQL parser.
public enum Parser {
    /// The maximum nesting depth of expressions, queries and joins. Deeper input is
    /// rejected with "expression nesting too deep" instead of overflowing the stack.
    public static let maximumNestingDepth = 1000

    /// Parses a script of ';'-separated statements. Empty statements are skipped and
    /// the final ';' is optional.
    ///
    /// - Parameter sql: The script text.
    /// - Returns: The statements in order, each with its location and source text.
    /// - Throws: `SyntaxError` at the first lexical or syntax error.
    public static func parse(_ sql: String) throws(SyntaxError) -> [Statement] {
        var parser = try SQLParser(source: sql)
        return try parser.parseScript()
    }

    /// Parses exactly one statement (an optional trailing ';' is allowed).
    ///
    /// - Throws: `SyntaxError` when the text is not exactly one valid statement.
    public static func parseStatement(_ sql: String) throws(SyntaxError) -> Statement {
        var parser = try SQLParser(source: sql)
        let statements = try parser.parseScript()
        guard statements.count == 1, let statement = statements.first else {
            let location = statements.count > 1 ? statements[1].location : parser.current.location
            throw SyntaxError(message: "expected exactly one statement, found \(statements.count)", location: location)
        }
        return statement
    }

    /// Parses a single scalar expression, e.g. `1 + 2 * 3`.
    ///
    /// - Throws: `SyntaxError` when the text is not exactly one valid expression.
    public static func parseExpression(_ sql: String) throws(SyntaxError) -> Expression {
        var parser = try SQLParser(source: sql)
        let expression = try parser.parseExpression()
        guard parser.isAtEnd else { throw parser.unexpectedToken() }
        return expression
    }
}

/// The recursive-descent parser state. The grammar is spread over extensions:
/// ParserStatements.swift, ParserQueries.swift, ParserTableReferences.swift,
/// ParserExpressions.swift, ParserPrimaries.swift, ParserFunctions.swift, ParserTypes.swift.
struct SQLParser {
    let sourceBytes: [UInt8]
    let tokens: [Token]
    var position = 0
    var depth = 0
    /// Created lazily once nesting gets deep: reading the stack bounds can be slow
    /// (on Linux's main thread it reads /proc/self/maps).
    var stackGuard: StackGuard?
    /// For each token index: whether the tokens there are '('* followed by a query keyword.
    let startsParenthesizedQuery: [Bool]
    /// Indexes of '(' tokens where `( query )` is known not to parse, so that
    /// backtracking over nested parentheses stays linear.
    var failedParenthesizedQueries: Set<Int> = []

    /// Keywords the parser looked for at `expectedPosition`, for "did you mean" hints.
    var expectedKeywords: [String] = []
    var expectedPosition = -1
    /// The token index of the most recent alias written without AS, with the keywords
    /// expected where it stood: a misspelled keyword is often taken for an alias.
    var implicitAliasIndex = -1
    var implicitAliasExpected: [String] = []

    /// Keywords that commonly follow an implicit alias.
    static let clauseKeywords = [
        "from", "where", "group", "having", "order", "limit", "offset", "union", "intersect", "except",
        "join", "inner", "left", "right", "full", "cross", "natural", "on", "using", "as", "and", "or",
    ]

    init(source: String) throws(SyntaxError) {
        sourceBytes = Array(source.utf8)
        let tokens = try Lexer.tokenize(source)
        self.tokens = tokens
        var startsQuery = [Bool](repeating: false, count: tokens.count + 1)
        for index in tokens.indices.reversed() {
            let token = tokens[index]
            if token.kind == .word {
                startsQuery[index] = Keywords.queryStarts.contains(token.value)
            } else if token.kind == .symbol, token.value == "(" {
                startsQuery[index] = startsQuery[index + 1]
            }
        }
        startsParenthesizedQuery = startsQuery
    }

    // MARK: Token access

    var current: Token { tokens[position] }

    var isAtEnd: Bool { current.kind == .endOfInput }

    /// The token `ahead` positions after the current one (clamped to the end token).
    func token(ahead: Int) -> Token {
        tokens[max(0, min(position + ahead, tokens.count - 1))]
    }

    mutating func advance() {
        if position < tokens.count - 1 {
            position += 1
        }
    }

    /// The source text from `start` up to the end of the last consumed token.
    func sourceText(from start: Int) -> String {
        let end = position > 0 ? tokens[position - 1].endOffset : start
        guard start >= 0, start <= end, end <= sourceBytes.count else { return "" }
        return String(decoding: sourceBytes[start..<end], as: UTF8.self)
    }

    // MARK: Keywords and symbols

    mutating func noteExpected(_ keyword: String) {
        if expectedPosition != position {
            expectedPosition = position
            expectedKeywords.removeAll(keepingCapacity: true)
        }
        expectedKeywords.append(keyword)
    }

    mutating func noteExpected(_ keywords: [String]) {
        for keyword in keywords {
            noteExpected(keyword)
        }
    }

    /// Whether the current token is `keyword` (lowercase); remembers the expectation.
    mutating func check(_ keyword: String) -> Bool {
        if current.isWord(keyword) { return true }
        noteExpected(keyword)
        return false
    }

    /// Consumes `keyword` if it is the current token.
    mutating func consume(_ keyword: String) -> Bool {
        guard check(keyword) else { return false }
        advance()
        return true
    }

    /// Consumes `keyword` or throws a syntax error.
    mutating func expect(_ keyword: String) throws(SyntaxError) {
        guard consume(keyword) else { throw unexpectedToken() }
    }

    func checkSymbol(_ symbol: String) -> Bool {
        current.isSymbol(symbol)
    }

    mutating func consumeSymbol(_ symbol: String) -> Bool {
        guard checkSymbol(symbol) else { return false }
        advance()
        return true
    }

    mutating func expectSymbol(_ symbol: String) throws(SyntaxError) {
        guard consumeSymbol(symbol) else { throw unexpectedToken() }
    }

    /// Whether the current token ends a statement (`;` or end of input).
    var isAtStatementEnd: Bool {
        isAtEnd || checkSymbol(";")
    }

    // MARK: Errors

    /// A PostgreSQL-style syntax error at the current token, with a "did you mean"
    /// hint when the token looks like a misspelled keyword that was valid here.
    func unexpectedToken(hint explicitHint: String? = nil) -> SyntaxError {
        let token = current
        if token.kind == .endOfInput {
            return SyntaxError(message: "syntax error at end of input", location: token.location, hint: explicitHint)
        }
        if token.kind == .word, expectedPosition == position,
            let suggestion = nearestName(to: token.value, among: expectedKeywords.filter { $0 != token.value })
        {
            return SyntaxError(
                message: "syntax error at or near \"\(token.text)\"", location: token.location,
                hint: "did you mean \(suggestion.uppercased())?")
        }
        if implicitAliasIndex >= 0, implicitAliasIndex == position - 1 {
            let alias = tokens[implicitAliasIndex]
            if alias.kind == .word,
                let suggestion = nearestName(to: alias.value, among: implicitAliasExpected + Self.clauseKeywords)
            {
                return SyntaxError(
                    message: "syntax error at or near \"\(alias.text)\"", location: alias.location,
                    hint: "did you mean \(suggestion.uppercased())?")
            }
        }
        return SyntaxError(message: "syntax error at or near \"\(token.text)\"", location: token.location, hint: explicitHint)
    }

    /// A "not supported yet" error at `location`.
    func unsupported(_ construct: String, at location: SourceLocation) -> SyntaxError {
        SyntaxError(message: "\(construct) is not supported yet", location: location)
    }

    /// Remembers that the current token is about to be taken as an alias without AS.
    mutating func noteImplicitAlias() {
        implicitAliasIndex = position
        implicitAliasExpected = expectedPosition == position ? expectedKeywords : []
    }

    // MARK: Nesting

    /// Increments the nesting depth, failing beyond `Parser.maximumNestingDepth`.
    /// Every successful call must be paired with `leaveNesting()`.
    mutating func enterNesting() throws(SyntaxError) {
        depth += 1
        if depth > Self.stackCheckDepth {
            if stackGuard == nil {
                stackGuard = StackGuard()
            }
        }
        if depth > Parser.maximumNestingDepth || stackGuard?.isExhausted() == true {
            depth -= 1
            throw SyntaxError(message: "expression nesting too deep", location: current.location)
        }
    }

    /// The nesting depth from which the stack itself is checked too.
    static let stackCheckDepth = 48

    mutating func leaveNesting() {
        depth -= 1
    }

    // MARK: Names

    /// Whether the current token can be an identifier (quoted, or a non-reserved word).
    var isAtIdentifier: Bool {
        current.kind == .quotedIdentifier || (current.kind == .word && !Keywords.reserved.contains(current.value))
    }

    /// Parses an identifier: a quoted identifier or a non-reserved word.
    mutating func parseIdentifier() throws(SyntaxError) -> Identifier {
        guard isAtIdentifier else { throw unexpectedToken() }
        return takeIdentifier()
    }

    /// Parses a label: like an identifier but any keyword is allowed (after AS or '.').
    mutating func parseLabel() throws(SyntaxError) -> Identifier {
        guard current.kind == .word || current.kind == .quotedIdentifier else { throw unexpectedToken() }
        return takeIdentifier()
    }

    /// Turns the current word or quoted identifier into an `Identifier` and advances.
    mutating func takeIdentifier() -> Identifier {
        let token = current
        advance()
        return Identifier(value: token.value, isQuoted: token.kind == .quotedIdentifier, location: token.location)
    }

    /// Parses `name [. name ...]`.
    mutating func parseQualifiedName() throws(SyntaxError) -> QualifiedName {
        let first = try parseIdentifier()
        var parts = [first]
        while checkSymbol("."), token(ahead: 1).kind == .word || token(ahead: 1).kind == .quotedIdentifier {
            advance()
            parts.append(takeIdentifier())
        }
        return QualifiedName(parts: parts, location: first.location)
    }

    /// Parses `( name, name, ... )`.
    mutating func parseIdentifierList() throws(SyntaxError) -> [Identifier] {
        try expectSymbol("(")
        var names: [Identifier] = []
        repeat {
            names.append(try parseIdentifier())
        } while consumeSymbol(",")
        try expectSymbol(")")
        return names
    }

    /// Tries to parse `( query )` at the current '('. On failure nothing is consumed
    /// and nil is returned (the caller then tries another reading, e.g. an expression).
    mutating func attemptParenthesizedQuery() -> Query? {
        let start = position
        guard checkSymbol("("), !failedParenthesizedQueries.contains(start) else { return nil }
        advance()
        if let query = try? parseQuery(), consumeSymbol(")") {
            return query
        }
        failedParenthesizedQueries.insert(start)
        position = start
        implicitAliasIndex = -1
        return nil
    }

    /// Whether the tokens from `ahead` on are '('* followed by SELECT, WITH or VALUES.
    func isParenthesizedQuery(ahead: Int) -> Bool {
        let index = position + ahead
        return index >= 0 && index < startsParenthesizedQuery.count && startsParenthesizedQuery[index]
    }
}
