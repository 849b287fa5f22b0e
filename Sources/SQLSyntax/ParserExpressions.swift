// Operator-precedence (Pratt) parsing of scalar expressions.

/// Binding strength of operators, lowest first, following PostgreSQL.
enum Precedence: Int, Comparable {
    case or = 1
    case and
    /// Prefix NOT.
    case not
    /// IS [NOT] NULL / TRUE / FALSE / DISTINCT FROM, ISNULL, NOTNULL.
    case isTest
    /// = <> < <= > >=
    case comparison
    /// [NOT] BETWEEN / IN / LIKE / ILIKE / SIMILAR.
    case pattern
    /// Other operators: ||.
    case other
    /// Binary + -.
    case additive
    /// * / %.
    case multiplicative
    /// Prefix + -.
    case unary
    /// Postfix ::type.
    case cast

    static func < (left: Precedence, right: Precedence) -> Bool {
        left.rawValue < right.rawValue
    }

    /// The next-stronger precedence, for parsing the right operand of a
    /// left-associative operator.
    var next: Precedence {
        Precedence(rawValue: rawValue + 1) ?? .cast
    }
}

extension SQLParser {
    /// Keywords that may continue an expression, for "did you mean" hints.
    static let infixKeywords = [
        "and", "or", "is", "not", "between", "in", "like", "ilike", "isnull", "notnull",
    ]

    /// Parses an expression whose operators all bind at least as tightly as `minimum`.
    mutating func parseExpression(minimum: Precedence = .or) throws(SyntaxError) -> Expression {
        try enterNesting()
        defer { leaveNesting() }
        let left = try parsePrefixExpression()
        return try parseInfixOperators(after: left, minimum: minimum)
    }

    /// Parses `expression { , expression }`.
    mutating func parseExpressionList() throws(SyntaxError) -> [Expression] {
        var expressions: [Expression] = []
        repeat {
            expressions.append(try parseExpression())
        } while consumeSymbol(",")
        return expressions
    }

    /// Continues an expression after its first operand `left` was parsed.
    mutating func parseInfixOperators(after left: Expression, minimum: Precedence) throws(SyntaxError) -> Expression {
        var left = left
        var chainLength = 0
        defer { depth -= chainLength }
        while let precedence = infixPrecedence(), precedence >= minimum {
            left = try parseInfixOperator(left: left, precedence: precedence)
            // A long operator chain builds a deep tree: count it as nesting too.
            try enterNesting()
            chainLength += 1
        }
        return left
    }

    /// The precedence of the infix or postfix operator at the current token, if any.
    private mutating func infixPrecedence() -> Precedence? {
        let operatorToken = current
        switch operatorToken.kind {
        case .symbol:
            switch operatorToken.value {
            case "=", "<>", "<", "<=", ">", ">=": return .comparison
            case "||": return .other
            case "+", "-": return .additive
            case "*", "/", "%": return .multiplicative
            case "::": return .cast
            default: return nil
            }
        case .word:
            switch operatorToken.value {
            case "or": return .or
            case "and": return .and
            case "is", "isnull", "notnull": return .isTest
            case "between", "in", "like", "ilike", "similar": return .pattern
            case "not":
                let next = token(ahead: 1)
                if next.kind == .word, ["between", "in", "like", "ilike", "similar"].contains(next.value) {
                    return .pattern
                }
                return nil
            default:
                noteExpected(Self.infixKeywords)
                return nil
            }
        default:
            return nil
        }
    }

    private mutating func parseInfixOperator(left: Expression, precedence: Precedence) throws(SyntaxError) -> Expression {
        let token = current
        let location = token.location
        switch precedence {
        case .or, .and, .other, .additive, .multiplicative:
            advance()
            let right = try parseExpression(minimum: precedence.next)
            return Expression(kind: .binary(binaryOperator(for: token), left, right), location: location)
        case .comparison:
            advance()
            let comparison = binaryOperator(for: token)
            if let quantifier = quantifierAhead() {
                advance()
                try expectSymbol("(")
                guard isParenthesizedQuery(ahead: 0) else {
                    throw unsupported("\(quantifier == .all ? "ALL" : "ANY") with something other than a subquery",
                                      at: current.location)
                }
                let query = try parseQuery()
                try expectSymbol(")")
                return Expression(kind: .quantified(left, comparison, quantifier, query), location: location)
            }
            let right = try parseExpression(minimum: .comparison.next)
            return Expression(kind: .binary(comparison, left, right), location: location)
        case .isTest:
            return try parseIsTest(left: left)
        case .pattern:
            return try parsePatternOperator(left: left)
        case .cast:
            advance()
            return Expression(kind: .cast(left, try parseTypeName()), location: location)
        case .not, .unary:
            throw unexpectedToken()
        }
    }

    /// ANY / SOME / ALL followed by '(' after a comparison operator.
    private func quantifierAhead() -> Quantifier? {
        guard current.kind == .word, token(ahead: 1).isSymbol("(") else { return nil }
        switch current.value {
        case "any", "some": return .any
        case "all": return .all
        default: return nil
        }
    }

    private func binaryOperator(for token: Token) -> BinaryOperator {
        switch token.value {
        case "or": return .or
        case "and": return .and
        case "||": return .concatenate
        case "+": return .add
        case "-": return .subtract
        case "*": return .multiply
        case "/": return .divide
        case "%": return .modulo
        case "=": return .equal
        case "<>": return .notEqual
        case "<": return .less
        case "<=": return .lessOrEqual
        case ">": return .greater
        default: return .greaterOrEqual
        }
    }

    /// x IS [NOT] {NULL | TRUE | FALSE | UNKNOWN | DISTINCT FROM y}, x ISNULL, x NOTNULL
    private mutating func parseIsTest(left: Expression) throws(SyntaxError) -> Expression {
        let location = current.location
        if consume("isnull") {
            return Expression(kind: .isNull(left, isNegated: false), location: location)
        }
        if consume("notnull") {
            return Expression(kind: .isNull(left, isNegated: true), location: location)
        }
        try expect("is")
        let isNegated = consume("not")
        if consume("null") || consume("unknown") {
            return Expression(kind: .isNull(left, isNegated: isNegated), location: location)
        }
        if consume("true") {
            return Expression(kind: .isBoolean(left, value: true, isNegated: isNegated), location: location)
        }
        if consume("false") {
            return Expression(kind: .isBoolean(left, value: false, isNegated: isNegated), location: location)
        }
        if consume("distinct") {
            try expect("from")
            let right = try parseExpression(minimum: .comparison)
            return Expression(kind: .isDistinctFrom(left, right, isNegated: isNegated), location: location)
        }
        throw unexpectedToken()
    }

    /// x [NOT] BETWEEN [SYMMETRIC] a AND b | x [NOT] IN (...) | x [NOT] [I]LIKE p [ESCAPE e]
    private mutating func parsePatternOperator(left: Expression) throws(SyntaxError) -> Expression {
        let location = current.location
        let isNegated = consume("not")
        if consume("between") {
            let isSymmetric = consume("symmetric")
            if !isSymmetric {
                _ = consume("asymmetric")
            }
            let low = try parseExpression(minimum: .other)
            try expect("and")
            let high = try parseExpression(minimum: .other)
            if isSymmetric {
                // x BETWEEN SYMMETRIC a AND b  =  x BETWEEN a AND b OR x BETWEEN b AND a
                let forward = Expression(kind: .between(left, low: low, high: high, isNegated: false), location: location)
                let backward = Expression(kind: .between(left, low: high, high: low, isNegated: false), location: location)
                let either = Expression(kind: .binary(.or, forward, backward), location: location)
                return isNegated ? Expression(kind: .unary(.not, either), location: location) : either
            }
            return Expression(kind: .between(left, low: low, high: high, isNegated: isNegated), location: location)
        }
        if consume("in") {
            guard checkSymbol("(") else { throw unexpectedToken() }
            if isParenthesizedQuery(ahead: 1), let query = attemptParenthesizedQuery() {
                return Expression(kind: .inSubquery(left, query, isNegated: isNegated), location: location)
            }
            advance()
            let list = try parseExpressionList()
            try expectSymbol(")")
            return Expression(kind: .inList(left, list, isNegated: isNegated), location: location)
        }
        if check("like") || check("ilike") {
            let isCaseInsensitive = current.value == "ilike"
            advance()
            let pattern = try parseExpression(minimum: .other)
            let escape = consume("escape") ? try parseExpression(minimum: .other) : nil
            return Expression(
                kind: .like(left, pattern: pattern, escape: escape, isCaseInsensitive: isCaseInsensitive,
                            isNegated: isNegated),
                location: location)
        }
        if check("similar") {
            throw unsupported("SIMILAR TO", at: current.location)
        }
        throw unexpectedToken()
    }

    /// Prefix operators: NOT, unary minus and plus; otherwise a primary expression.
    private mutating func parsePrefixExpression() throws(SyntaxError) -> Expression {
        let location = current.location
        if consume("not") {
            let operand = try parseExpression(minimum: .isTest)
            if case .exists(let query, let isNegated) = operand.kind {
                return Expression(kind: .exists(query, isNegated: !isNegated), location: location)
            }
            return Expression(kind: .unary(.not, operand), location: location)
        }
        if consumeSymbol("-") {
            let operand = try parseExpression(minimum: .cast)
            return Expression(kind: .unary(.negate, operand), location: location)
        }
        if consumeSymbol("+") {
            let operand = try parseExpression(minimum: .cast)
            return Expression(kind: .unary(.plus, operand), location: location)
        }
        return try parsePrimaryExpression()
    }
}
