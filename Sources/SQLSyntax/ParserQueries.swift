// Queries: WITH, set operations, SELECT, VALUES, ORDER BY, LIMIT.

extension SQLParser {
    /// query = [with clause] set expression [ORDER BY ...] [LIMIT ... | OFFSET ... | FETCH ...]
    mutating func parseQuery() throws(SyntaxError) -> Query {
        try enterNesting()
        defer { leaveNesting() }
        let start = current.location
        let with = check("with") ? try parseWithClause() : nil
        let body = try parseSetExpression(minimumPrecedence: 1)
        var orderBy: [OrderByItem] = []
        var orderByAll: OrderByAll?
        if consume("order") {
            try expect("by")
            if check("all") {
                orderByAll = try parseOrderByAll()
            } else {
                orderBy = try parseOrderByItems()
            }
        }
        var limit: Expression?
        var offset: Expression?
        var hasLimit = false
        var hasOffset = false
        while true {
            if check("limit") {
                if hasLimit { throw unexpectedToken() }
                hasLimit = true
                advance()
                if !consume("all") {
                    limit = try parseExpression()
                }
                if checkSymbol(",") {
                    throw unsupported("LIMIT with a comma", at: current.location)
                }
            } else if check("offset") {
                if hasOffset { throw unexpectedToken() }
                hasOffset = true
                advance()
                offset = try parseExpression()
                if !consume("rows") {
                    _ = consume("row")
                }
            } else if check("fetch") {
                if hasLimit { throw unexpectedToken() }
                hasLimit = true
                limit = try parseFetchClause()
            } else {
                break
            }
        }
        let query = Query(with: with, body: body, orderBy: orderBy, limit: limit, offset: offset, orderByAll: orderByAll,
                          location: start)
        // A plain "(query)" is the inner query itself.
        if with == nil, orderBy.isEmpty, orderByAll == nil, !hasLimit, !hasOffset, case .parenthesized(let inner) = body {
            return inner
        }
        return query
    }

    /// FETCH {FIRST|NEXT} [count] {ROW|ROWS} ONLY
    private mutating func parseFetchClause() throws(SyntaxError) -> Expression {
        try expect("fetch")
        if !consume("first") {
            try expect("next")
        }
        var count = Expression(kind: .literal(.integer("1")), location: current.location)
        if !check("row") && !check("rows") {
            count = try parseExpression()
        }
        if !consume("rows") {
            try expect("row")
        }
        if check("with") {
            throw unsupported("FETCH ... WITH TIES", at: current.location)
        }
        try expect("only")
        return count
    }

    /// with clause = WITH [RECURSIVE] name [(columns)] AS ( query ) { , ... }
    private mutating func parseWithClause() throws(SyntaxError) -> WithClause {
        try expect("with")
        let isRecursive = consume("recursive")
        var tables: [CommonTableExpression] = []
        repeat {
            let name = try parseIdentifier()
            let columns = checkSymbol("(") ? try parseIdentifierList() : []
            try expect("as")
            var materialization = CommonTableExpression.Materialization.automatic
            if consume("not") {
                try expect("materialized")
                materialization = .never
            } else if consume("materialized") {
                materialization = .always
            }
            try expectSymbol("(")
            let query = try parseQuery()
            try expectSymbol(")")
            tables.append(CommonTableExpression(name: name, columns: columns, query: query,
                                                materialization: materialization))
        } while consumeSymbol(",")
        return WithClause(isRecursive: isRecursive, tables: tables)
    }

    /// Set operations: INTERSECT (precedence 2) binds tighter than UNION and EXCEPT
    /// (precedence 1); all are left-associative.
    private mutating func parseSetExpression(minimumPrecedence: Int) throws(SyntaxError) -> QueryBody {
        var left = try parseSetOperand()
        var chainLength = 0
        defer { depth -= chainLength }
        while true {
            let setOperator: SetOperator
            let precedence: Int
            if check("union") {
                (setOperator, precedence) = (.union, 1)
            } else if check("except") {
                (setOperator, precedence) = (.except, 1)
            } else if check("intersect") {
                (setOperator, precedence) = (.intersect, 2)
            } else {
                break
            }
            guard precedence >= minimumPrecedence else { break }
            let location = current.location
            advance()
            let isAll = consume("all")
            if !isAll {
                _ = consume("distinct")
            }
            let right = try parseSetExpression(minimumPrecedence: precedence + 1)
            left = .setOperation(
                SetOperation(operator: setOperator, isAll: isAll, left: left, right: right, location: location))
            try enterNesting()
            chainLength += 1
        }
        return left
    }

    /// A SELECT, a VALUES list or a parenthesized query.
    private mutating func parseSetOperand() throws(SyntaxError) -> QueryBody {
        if check("select") {
            return .select(try parseSelectCore())
        }
        if check("values") {
            return .values(try parseValuesList())
        }
        if checkSymbol("(") {
            let start = position
            advance()
            do {
                let query = try parseQuery()
                try expectSymbol(")")
                return .parenthesized(query)
            } catch {
                failedParenthesizedQueries.insert(start)
                throw error
            }
        }
        noteExpected("with")
        throw unexpectedToken()
    }

    /// VALUES ( expression, ... ) { , ( ... ) }
    mutating func parseValuesList() throws(SyntaxError) -> ValuesList {
        let location = current.location
        try expect("values")
        var rows: [[Expression]] = []
        repeat {
            let rowLocation = current.location
            try expectSymbol("(")
            var row: [Expression] = []
            repeat {
                // `DEFAULT` as a whole item stands for the column's default (INSERT only; the binder checks).
                if check("default"), token(ahead: 1).isSymbol(",") || token(ahead: 1).isSymbol(")") {
                    row.append(Expression(kind: .defaultValue, location: current.location))
                    advance()
                } else {
                    row.append(try parseExpression())
                }
            } while consumeSymbol(",")
            try expectSymbol(")")
            if let first = rows.first, first.count != row.count {
                throw SyntaxError(message: "VALUES lists must all be the same length", location: rowLocation)
            }
            rows.append(row)
        } while consumeSymbol(",")
        return ValuesList(rows: rows, location: location)
    }

    /// SELECT [DISTINCT | ALL] items [FROM ...] [WHERE ...] [GROUP BY ...] [HAVING ...] [WINDOW ...]
    private mutating func parseSelectCore() throws(SyntaxError) -> SelectCore {
        let location = current.location
        try expect("select")
        var isDistinct = false
        if consume("distinct") {
            if check("on") {
                throw unsupported("DISTINCT ON", at: current.location)
            }
            isDistinct = true
        } else {
            _ = consume("all")
        }
        var items: [SelectItem] = []
        repeat {
            items.append(try parseSelectItem())
        } while consumeSymbol(",")
        var from: [TableReference] = []
        if consume("from") {
            repeat {
                from.append(try parseTableReference())
            } while consumeSymbol(",")
        }
        let whereClause = consume("where") ? try parseExpression() : nil
        var groupBy: [Expression] = []
        var groupsByAll = false
        if consume("group") {
            try expect("by")
            if consume("all") {
                groupsByAll = true
            } else {
                groupBy = try parseGroupByList()
            }
        }
        let having = consume("having") ? try parseExpression() : nil
        var windows: [WindowDefinition] = []
        if consume("window") {
            repeat {
                let name = try parseIdentifier()
                try expect("as")
                windows.append(WindowDefinition(name: name, specification: try parseParenthesizedWindowSpecification()))
            } while consumeSymbol(",")
        }
        if check("qualify") {
            throw unsupported("QUALIFY", at: current.location)
        }
        return SelectCore(
            isDistinct: isDistinct, items: items, from: from, whereClause: whereClause, groupBy: groupBy,
            having: having, windows: windows, groupsByAll: groupsByAll, location: location)
    }

    private mutating func parseGroupByList() throws(SyntaxError) -> [Expression] {
        for construct in ["rollup", "cube", "grouping"] where check(construct) {
            if token(ahead: 1).isSymbol("(") || token(ahead: 1).isWord("sets") {
                throw unsupported(construct.uppercased(), at: current.location)
            }
        }
        if checkSymbol("("), token(ahead: 1).isSymbol(")") {
            throw unsupported("GROUP BY ()", at: current.location)
        }
        return try parseExpressionList()
    }

    /// select item = * | name . * | expression [[AS] alias]
    private mutating func parseSelectItem() throws(SyntaxError) -> SelectItem {
        if checkSymbol("*") {
            let location = current.location
            advance()
            for modifier in ["exclude", "replace"] where check(modifier) {
                throw unsupported("* \(modifier.uppercased())", at: current.location)
            }
            return .wildcard(location)
        }
        if let qualifier = try parseQualifiedWildcard() {
            return .qualifiedWildcard(qualifier)
        }
        let expression = try parseExpression()
        return .expression(expression, alias: try parseColumnAlias())
    }

    /// Parses `name [. name ...] . *` if that is what follows; otherwise consumes nothing.
    private mutating func parseQualifiedWildcard() throws(SyntaxError) -> QualifiedName? {
        var index = position
        while index + 2 < tokens.count,
            tokens[index].kind == .word || tokens[index].kind == .quotedIdentifier,
            tokens[index + 1].isSymbol(".")
        {
            if tokens[index + 2].isSymbol("*") {
                let name = try parseQualifiedName()
                try expectSymbol(".")
                try expectSymbol("*")
                return name
            }
            index += 2
        }
        return nil
    }

    /// [AS label | identifier]
    private mutating func parseColumnAlias() throws(SyntaxError) -> Identifier? {
        if consume("as") {
            if current.kind == .string {
                let token = current
                advance()
                return Identifier(value: token.value, isQuoted: true, location: token.location)
            }
            return try parseLabel()
        }
        if isAtIdentifier {
            noteImplicitAlias()
            return takeIdentifier()
        }
        return nil
    }

    /// ORDER BY ALL [ASC | DESC] [NULLS {FIRST | LAST}]
    private mutating func parseOrderByAll() throws(SyntaxError) -> OrderByAll {
        let location = current.location
        try expect("all")
        let (isAscending, nullsFirst) = try parseSortDirection()
        let result = OrderByAll(isAscending: isAscending, nullsFirst: nullsFirst, location: location)
        if checkSymbol(",") {
            throw unsupported("ORDER BY ALL with further items", at: current.location)
        }
        return result
    }

    /// [ASC | DESC] [NULLS {FIRST | LAST}]: whether ascending (the default), and `true` for NULLS FIRST, `false`
    /// for NULLS LAST, nil when not given.
    mutating func parseSortDirection() throws(SyntaxError) -> (isAscending: Bool, nullsFirst: Bool?) {
        let isAscending = !consume("desc")
        if isAscending { _ = consume("asc") }
        guard consume("nulls") else { return (isAscending, nil) }
        if consume("first") { return (isAscending, true) }
        try expect("last")
        return (isAscending, false)
    }

    /// order item = expression [ASC | DESC] [NULLS {FIRST | LAST}] { , ... }
    mutating func parseOrderByItems() throws(SyntaxError) -> [OrderByItem] {
        var items: [OrderByItem] = []
        repeat {
            let expression = try parseExpression()
            if check("using") {
                throw unsupported("ORDER BY ... USING", at: current.location)
            }
            let (isAscending, nullsFirst) = try parseSortDirection()
            items.append(OrderByItem(expression: expression, isAscending: isAscending, nullsFirst: nullsFirst))
        } while consumeSymbol(",")
        return items
    }
}
