// FROM items: tables, subqueries, table functions and joins.

extension SQLParser {
    /// table reference = table primary { join }
    mutating func parseTableReference() throws(SyntaxError) -> TableReference {
        try enterNesting()
        defer { leaveNesting() }
        var left = try parseTablePrimary()
        var chainLength = 0
        defer { depth -= chainLength }
        while let (kind, isNatural, location) = try parseJoinOperator() {
            let right = try parseTablePrimary()
            let condition: JoinCondition
            if isNatural {
                condition = .natural
            } else if kind == .cross {
                condition = .none
            } else if consume("on") {
                condition = .on(try parseExpression())
            } else if check("using") {
                advance()
                condition = .using(try parseIdentifierList())
            } else {
                throw unexpectedToken(hint: "a JOIN needs an ON or USING clause (or use CROSS JOIN)")
            }
            left = .join(Join(kind: kind, left: left, right: right, condition: condition, location: location))
            try enterNesting()
            chainLength += 1
        }
        return left
    }

    /// Parses `[NATURAL] [INNER | LEFT [OUTER] | RIGHT [OUTER] | FULL [OUTER]] JOIN`
    /// or `CROSS JOIN`; nil (consuming nothing) when no join follows.
    private mutating func parseJoinOperator() throws(SyntaxError) -> (JoinKind, Bool, SourceLocation)? {
        let location = current.location
        let isNatural = consume("natural")
        let kind: JoinKind
        if consume("join") {
            kind = .inner
        } else if consume("inner") {
            kind = .inner
            try expect("join")
        } else if consume("left") {
            kind = .left
            _ = consume("outer")
            try expect("join")
        } else if consume("right") {
            kind = .right
            _ = consume("outer")
            try expect("join")
        } else if consume("full") {
            kind = .full
            _ = consume("outer")
            try expect("join")
        } else if !isNatural, consume("cross") {
            kind = .cross
            try expect("join")
        } else if isNatural {
            throw unexpectedToken()
        } else {
            for word in ["semi", "anti", "asof", "positional"] where check(word) {
                if token(ahead: 1).isWord("join") {
                    throw unsupported("\(word.uppercased()) JOIN", at: current.location)
                }
            }
            return nil
        }
        return (kind, isNatural, location)
    }

    /// table primary = [LATERAL] ( query ) [alias] | ( table reference ) | name [alias]
    ///               | name ( arguments ) [alias]
    private mutating func parseTablePrimary() throws(SyntaxError) -> TableReference {
        let location = current.location
        let isLateral = consume("lateral")
        if checkSymbol("(") {
            if isParenthesizedQuery(ahead: 1) {
                if let query = attemptParenthesizedQuery() {
                    let alias = try parseTableAlias()
                    return .subquery(query, alias: alias, isLateral: isLateral, location: location)
                }
                // Not a subquery after all, e.g. "((SELECT ...) AS s JOIN t ON ...)".
                if !token(ahead: 1).isSymbol("(") {
                    // Re-raise the subquery's own error.
                    advance()
                    _ = try parseQuery()
                    try expectSymbol(")")
                }
            }
            if isLateral {
                throw unexpectedToken()
            }
            advance()
            let reference = try parseTableReference()
            try expectSymbol(")")
            return reference
        }
        let name = try parseQualifiedName()
        if consumeSymbol("(") {
            let arguments = checkSymbol(")") ? [] : try parseExpressionList()
            try expectSymbol(")")
            return .function(name, arguments: arguments, alias: try parseTableAlias())
        }
        if isLateral {
            throw unexpectedToken()
        }
        return .table(name, alias: try parseTableAlias())
    }

    /// alias = [AS] name [( column, ... )]
    private mutating func parseTableAlias() throws(SyntaxError) -> TableAlias? {
        let name: Identifier
        if consume("as") {
            name = try parseIdentifier()
        } else if isAtIdentifier {
            noteImplicitAlias()
            name = takeIdentifier()
        } else {
            return nil
        }
        let columns = checkSymbol("(") ? try parseIdentifierList() : []
        return TableAlias(name: name, columns: columns)
    }
}
