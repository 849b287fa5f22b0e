// Primary expressions: literals, column references, parentheses, subqueries,
// CASE, CAST, EXTRACT, EXISTS and typed literals.

extension SQLParser {
    mutating func parsePrimaryExpression() throws(SyntaxError) -> Expression {
        let token = current
        let location = token.location
        switch token.kind {
        case .integer:
            advance()
            return Expression(kind: .literal(.integer(token.value)), location: location)
        case .number:
            advance()
            return Expression(kind: .literal(.number(token.value)), location: location)
        case .string:
            advance()
            return Expression(kind: .literal(.string(token.value)), location: location)
        case .quotedIdentifier:
            return try parseNameExpression()
        case .symbol where token.value == "(":
            return try parseParenthesizedExpression()
        case .word:
            return try parseWordExpression()
        default:
            throw unexpectedToken()
        }
    }

    /// Expressions starting with a word: keywords with special syntax, function
    /// calls and column references.
    private mutating func parseWordExpression() throws(SyntaxError) -> Expression {
        let word = current
        let location = word.location
        let next = token(ahead: 1)
        switch word.value {
        case "null":
            advance()
            return Expression(kind: .literal(.null), location: location)
        case "true", "false":
            advance()
            return Expression(kind: .literal(.boolean(word.value == "true")), location: location)
        case "case":
            return try parseCaseExpression()
        case "cast":
            return try parseCastExpression()
        case "extract":
            return try parseExtractExpression()
        case "exists":
            advance()
            try expectSymbol("(")
            let query = try parseQuery()
            try expectSymbol(")")
            return Expression(kind: .exists(query, isNegated: false), location: location)
        case "interval" where [TokenKind.string, .integer, .number].contains(next.kind):
            return try parseIntervalLiteral()
        case "date" where next.kind == .string, "timestamp" where next.kind == .string,
            "time" where next.kind == .string, "timestamptz" where next.kind == .string:
            advance()
            advance()
            let type = TypeName(name: word.value, location: location)
            return Expression(kind: .literal(.typedString(type, next.value)), location: location)
        case "current_date", "current_time", "current_timestamp", "localtimestamp", "localtime":
            advance()
            if checkSymbol("(") {
                throw unexpectedToken()
            }
            let name = QualifiedName(parts: [Identifier(value: word.value, location: location)], location: location)
            return Expression(kind: .function(FunctionCall(name: name, arguments: [])), location: location)
        case "array" where next.isSymbol("("):
            throw unsupported("ARRAY constructor", at: location)
        case "row" where next.isSymbol("("):
            throw unsupported("ROW constructor", at: location)
        default:
            break
        }
        if next.isSymbol("("), Keywords.functionNameKeywords.contains(word.value) {
            return try parseNameExpression()
        }
        guard isAtIdentifier else { throw unexpectedToken() }
        return try parseNameExpression()
    }

    /// A column reference `a.b.c` or a function call `name(...)` / `schema.name(...)`.
    private mutating func parseNameExpression() throws(SyntaxError) -> Expression {
        let first = takeIdentifier()
        var parts = [first]
        while checkSymbol("."), token(ahead: 1).kind == .word || token(ahead: 1).kind == .quotedIdentifier {
            advance()
            parts.append(takeIdentifier())
        }
        if checkSymbol(".") {
            advance()
            throw unexpectedToken()
        }
        if checkSymbol("(") {
            let name = QualifiedName(parts: parts, location: first.location)
            return try parseFunctionCall(name: name)
        }
        return Expression(kind: .column(parts), location: first.location)
    }

    /// `( expression )` or a scalar subquery `( query )`.
    private mutating func parseParenthesizedExpression() throws(SyntaxError) -> Expression {
        let location = current.location
        if isParenthesizedQuery(ahead: 1) {
            if token(ahead: 1).kind == .word {
                // "(SELECT ...)": certainly a subquery; report its own errors.
                advance()
                let query = try parseQuery()
                try expectSymbol(")")
                return Expression(kind: .subquery(query), location: location)
            }
            // "((SELECT ...) ...)": a subquery, or an expression using one.
            if let query = attemptParenthesizedQuery() {
                return Expression(kind: .subquery(query), location: location)
            }
        }
        advance()
        let expression = try parseExpression()
        if checkSymbol(",") {
            throw unsupported("row constructor", at: current.location)
        }
        try expectSymbol(")")
        return expression
    }

    /// CASE [operand] WHEN a THEN b ... [ELSE c] END
    private mutating func parseCaseExpression() throws(SyntaxError) -> Expression {
        let location = current.location
        try expect("case")
        let operand = check("when") ? nil : try parseExpression()
        var whens: [WhenClause] = []
        while consume("when") {
            let condition = try parseExpression()
            try expect("then")
            whens.append(WhenClause(condition: condition, result: try parseExpression()))
        }
        if whens.isEmpty {
            throw unexpectedToken()
        }
        let elseResult = consume("else") ? try parseExpression() : nil
        try expect("end")
        return Expression(kind: .caseWhen(operand: operand, whens: whens, elseResult: elseResult), location: location)
    }

    /// CAST ( expression AS type )
    private mutating func parseCastExpression() throws(SyntaxError) -> Expression {
        let location = current.location
        try expect("cast")
        try expectSymbol("(")
        let operand = try parseExpression()
        try expect("as")
        let type = try parseTypeName()
        try expectSymbol(")")
        return Expression(kind: .cast(operand, type), location: location)
    }

    /// EXTRACT ( field FROM expression ); the field may be a word or a string.
    private mutating func parseExtractExpression() throws(SyntaxError) -> Expression {
        let location = current.location
        try expect("extract")
        try expectSymbol("(")
        let field: String
        switch current.kind {
        case .word, .quotedIdentifier, .string:
            field = current.value.lowercased()
            advance()
        default:
            throw unexpectedToken()
        }
        try expect("from")
        let operand = try parseExpression()
        try expectSymbol(")")
        return Expression(kind: .extract(field: field, operand), location: location)
    }

    /// INTERVAL 'text' [unit] or INTERVAL number unit.
    private mutating func parseIntervalLiteral() throws(SyntaxError) -> Expression {
        let location = current.location
        try expect("interval")
        let value = current
        advance()
        var unit: String?
        if current.kind == .word, let canonical = Keywords.intervalUnits[current.value] {
            unit = canonical
            advance()
            if check("to") {
                throw unsupported("INTERVAL ... TO ...", at: current.location)
            }
        } else if value.kind != .string {
            throw unexpectedToken(hint: "a numeric INTERVAL needs a unit, e.g. INTERVAL 3 DAY")
        }
        return Expression(kind: .literal(.interval(value.value, unit: unit)), location: location)
    }
}
