// UPDATE and DELETE.

extension SQLParser {
    /// update = "UPDATE" qualified name [ [ "AS" ] identifier ] "SET" assignment { ',' assignment }
    ///          [ "WHERE" expression ]
    mutating func parseUpdate() throws(SyntaxError) -> Update {
        try expect("update")
        if check("only") {
            throw unsupported("UPDATE ONLY", at: current.location)
        }
        let table = try parseQualifiedName()
        let alias = try parseModificationAlias(before: "set")
        try expect("set")
        var assignments: [Assignment] = []
        repeat {
            assignments.append(try parseAssignment())
        } while consumeSymbol(",")
        if check("from") {
            throw unsupported("UPDATE ... FROM", at: current.location)
        }
        let whereClause = try parseModificationWhere()
        return Update(table: table, alias: alias, assignments: assignments, whereClause: whereClause)
    }

    /// delete = "DELETE" "FROM" qualified name [ [ "AS" ] identifier ] [ "WHERE" expression ]
    mutating func parseDelete() throws(SyntaxError) -> Delete {
        try expect("delete")
        try expect("from")
        if check("only") {
            throw unsupported("DELETE FROM ONLY", at: current.location)
        }
        let table = try parseQualifiedName()
        let alias = try parseModificationAlias(before: "using")
        if check("using") {
            throw unsupported("DELETE ... USING", at: current.location)
        }
        let whereClause = try parseModificationWhere()
        return Delete(table: table, alias: alias, whereClause: whereClause)
    }

    /// `[AS] alias`; without AS, the word `keyword` (SET, USING) is not taken as an alias.
    private mutating func parseModificationAlias(before keyword: String) throws(SyntaxError) -> Identifier? {
        if consume("as") {
            return try parseIdentifier()
        }
        if isAtIdentifier, !(current.kind == .word && current.value == keyword) {
            return takeIdentifier()
        }
        return nil
    }

    /// assignment = identifier '=' expression
    private mutating func parseAssignment() throws(SyntaxError) -> Assignment {
        if checkSymbol("(") {
            throw unsupported("assigning several columns at once", at: current.location)
        }
        let column = try parseIdentifier()
        if checkSymbol(".") {
            throw unsupported("a qualified column name in SET", at: current.location)
        }
        try expectSymbol("=")
        if check("default") {
            throw unsupported("SET column = DEFAULT", at: current.location)
        }
        return Assignment(column: column, value: try parseExpression())
    }

    /// `[WHERE condition]`, rejecting `WHERE CURRENT OF` and `RETURNING`.
    private mutating func parseModificationWhere() throws(SyntaxError) -> Expression? {
        var condition: Expression?
        if consume("where") {
            if check("current"), token(ahead: 1).isWord("of") {
                throw unsupported("WHERE CURRENT OF", at: current.location)
            }
            condition = try parseExpression()
        }
        if check("returning") {
            throw unsupported("RETURNING", at: current.location)
        }
        return condition
    }
}
