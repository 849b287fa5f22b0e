// Scripts and statements other than queries' internals.

extension SQLParser {
    /// script = [statement] { ";" [statement] }
    mutating func parseScript() throws(SyntaxError) -> [Statement] {
        var statements: [Statement] = []
        while true {
            while consumeSymbol(";") {}
            if isAtEnd { break }
            let statement = try parseStatement()
            guard isAtStatementEnd else { throw unexpectedToken() }
            statements.append(statement)
        }
        return statements
    }

    mutating func parseStatement() throws(SyntaxError) -> Statement {
        try enterNesting()
        defer { leaveNesting() }
        let start = current
        let kind = try parseStatementKind()
        return Statement(kind: kind, location: start.location, text: sourceText(from: start.location.offset))
    }

    private mutating func parseStatementKind() throws(SyntaxError) -> Statement.Kind {
        if checkSymbol("(") {
            return .query(try parseQuery())
        }
        guard current.kind == .word else {
            noteExpected(Keywords.statementStarts)
            throw unexpectedToken()
        }
        switch current.value {
        case "select", "with", "values":
            return .query(try parseQuery())
        case "create":
            return try parseCreate()
        case "drop":
            return try parseDrop()
        case "insert":
            return .insert(try parseInsert())
        case "copy":
            return .copy(try parseCopy())
        case "update":
            return .update(try parseUpdate())
        case "delete":
            return .delete(try parseDelete())
        case "explain":
            advance()
            let isAnalyze = consume("analyze") || consume("analyse")
            if checkSymbol("(") {
                throw unsupported("EXPLAIN with options", at: current.location)
            }
            if check("verbose") {
                throw unsupported("EXPLAIN VERBOSE", at: current.location)
            }
            return .explain(Explain(statement: try parseStatement(), isAnalyze: isAnalyze))
        case "analyze", "analyse":
            advance()
            if check("verbose") {
                throw unsupported("ANALYZE VERBOSE", at: current.location)
            }
            return .analyze(Analyze(table: isAtStatementEnd ? nil : try parseQualifiedName()))
        case "set":
            return .set(try parseSet())
        case "reset":
            advance()
            if check("all") {
                throw unsupported("RESET ALL", at: current.location)
            }
            return .set(SetStatement(name: try parseSettingName(), value: []))
        case "show":
            advance()
            guard consume("tables") else {
                throw unsupported("SHOW other than SHOW TABLES", at: current.location)
            }
            return .showTables
        case "describe", "desc":
            advance()
            if Keywords.queryStarts.contains(current.value) && current.kind == .word {
                throw unsupported("DESCRIBE of a query", at: current.location)
            }
            return .describe(Describe(name: try parseQualifiedName()))
        default:
            if let name = Keywords.unsupportedStatements[current.value] {
                throw unsupported(name, at: current.location)
            }
            noteExpected(Keywords.statementStarts)
            throw unexpectedToken()
        }
    }

    // MARK: CREATE / DROP

    private mutating func parseCreate() throws(SyntaxError) -> Statement.Kind {
        try expect("create")
        let orReplace: Bool
        if consume("or") {
            try expect("replace")
            orReplace = true
        } else {
            orReplace = false
        }
        for word in ["temp", "temporary", "unlogged", "global", "local"] where check(word) {
            throw unsupported("CREATE \(word.uppercased())", at: current.location)
        }
        if check("table") {
            if orReplace {
                throw unsupported("CREATE OR REPLACE TABLE", at: current.location)
            }
            advance()
            return try parseCreateTable()
        }
        if consume("view") {
            if check("if") {
                throw unsupported("CREATE VIEW IF NOT EXISTS", at: current.location)
            }
            let name = try parseQualifiedName()
            let columns = checkSymbol("(") ? try parseIdentifierList() : []
            try expect("as")
            let query = try parseQuery()
            return .createView(CreateView(name: name, orReplace: orReplace, columns: columns, query: query))
        }
        if check("unique") {
            throw unsupported("CREATE UNIQUE INDEX", at: current.location)
        }
        if consume("index") {
            if orReplace {
                throw unsupported("CREATE OR REPLACE INDEX", at: current.location)
            }
            return .createIndex(try parseCreateIndex())
        }
        let objects = ["schema", "sequence", "function", "macro", "type", "database", "trigger"]
        for object in objects where check(object) {
            throw unsupported("CREATE \(object.uppercased())", at: current.location)
        }
        throw unexpectedToken()
    }

    /// create index = CREATE INDEX [IF NOT EXISTS] [name] ON table [USING method] "(" column [ASC|DESC] [NULLS FIRST|LAST]
    /// { "," ... } ")"
    private mutating func parseCreateIndex() throws(SyntaxError) -> CreateIndex {
        if check("concurrently") {
            throw unsupported("CREATE INDEX CONCURRENTLY", at: current.location)
        }
        if consume("if") {
            try expect("not")
            try expect("exists")
        }
        let name: Identifier? = check("on") ? nil : try parseIdentifier()
        try expect("on")
        let table = try parseQualifiedName()
        if consume("using") {
            _ = try parseIdentifier()
        }
        try expectSymbol("(")
        var columns: [Identifier] = []
        repeat {
            columns.append(try parseIdentifier())
            if check("collate") || checkSymbol("(") {
                throw unsupported("CREATE INDEX on an expression or with COLLATE", at: current.location)
            }
            _ = try parseSortDirection()
        } while consumeSymbol(",")
        try expectSymbol(")")
        if check("where") {
            throw unsupported("partial index (CREATE INDEX ... WHERE)", at: current.location)
        }
        return CreateIndex(name: name, table: table, columns: columns)
    }

    private mutating func parseCreateTable() throws(SyntaxError) -> Statement.Kind {
        var ifNotExists = false
        if consume("if") {
            try expect("not")
            try expect("exists")
            ifNotExists = true
        }
        let name = try parseQualifiedName()
        if consume("as") {
            return .createTableAs(CreateTableAs(name: name, ifNotExists: ifNotExists, query: try parseQuery()))
        }
        guard checkSymbol("(") else { throw unexpectedToken() }
        advance()
        var columns: [ColumnDefinition] = []
        var constraints: [TableConstraint] = []
        repeat {
            if let constraint = try parseTableConstraint() {
                constraints.append(constraint)
            } else {
                columns.append(try parseColumnDefinition())
            }
        } while consumeSymbol(",")
        try expectSymbol(")")
        if check("as") {
            throw unsupported("CREATE TABLE with both a column list and AS", at: current.location)
        }
        if check("without"), token(ahead: 1).isWord("rowid") {
            throw unsupported("WITHOUT ROWID", at: current.location)
        }
        return .createTable(CreateTable(name: name, ifNotExists: ifNotExists, columns: columns, constraints: constraints))
    }

    /// table constraint = [CONSTRAINT name] ( PRIMARY KEY "(" columns ")" | UNIQUE "(" columns ")" | CHECK "(" expression ")" );
    /// nil (consuming nothing) when the next item is a column definition.
    private mutating func parseTableConstraint() throws(SyntaxError) -> TableConstraint? {
        let isConstraint = current.kind == .word
            && (["constraint", "check", "foreign"].contains(current.value)
                || (current.value == "primary" && token(ahead: 1).isWord("key"))
                || (current.value == "unique" && token(ahead: 1).isSymbol("(")))
        guard isConstraint else { return nil }
        let location = current.location
        var name: Identifier?
        if consume("constraint") {
            name = try parseIdentifier()
        }
        if consume("primary") {
            try expect("key")
            return TableConstraint(name: name, kind: .primaryKey(try parseKeyColumns()), location: location)
        }
        if consume("unique") {
            return TableConstraint(name: name, kind: .unique(try parseKeyColumns()), location: location)
        }
        if consume("check") {
            let (condition, text) = try parseCheckCondition()
            return TableConstraint(name: name, kind: .check(condition, text: text), location: location)
        }
        if check("foreign") {
            throw unsupported("FOREIGN KEY", at: current.location)
        }
        for construct in ["exclude"] where check(construct) {
            throw unsupported(construct.uppercased(), at: current.location)
        }
        noteExpected(["primary", "unique", "check"])
        throw unexpectedToken()
    }

    /// "(" column [ASC | DESC] { "," column [ASC | DESC] } ")"
    private mutating func parseKeyColumns() throws(SyntaxError) -> [Identifier] {
        try expectSymbol("(")
        var columns: [Identifier] = []
        repeat {
            columns.append(try parseIdentifier())
            if check("collate") || checkSymbol("(") {
                throw unsupported("a key on an expression or with COLLATE", at: current.location)
            }
            _ = consume("asc") || consume("desc")
        } while consumeSymbol(",")
        try expectSymbol(")")
        if check("on"), token(ahead: 1).isWord("conflict") {
            throw unsupported("ON CONFLICT in a constraint", at: current.location)
        }
        return columns
    }

    /// "(" condition ")", returning the condition and its source text.
    private mutating func parseCheckCondition() throws(SyntaxError) -> (Expression, String) {
        try expectSymbol("(")
        let start = current.location.offset
        let condition = try parseExpression()
        let text = sourceText(from: start)
        try expectSymbol(")")
        return (condition, text)
    }

    /// column definition = name type { [CONSTRAINT name] ( NOT NULL | NULL | PRIMARY KEY [ASC | DESC] | UNIQUE |
    /// DEFAULT expression | CHECK "(" expression ")" ) }
    private mutating func parseColumnDefinition() throws(SyntaxError) -> ColumnDefinition {
        let name = try parseIdentifier()
        if checkSymbol(",") || checkSymbol(")") {
            throw SyntaxError(
                message: "syntax error at or near \"\(current.text)\"", location: current.location,
                hint: "column \"\(name.value)\" needs a type, e.g. \(name.value) INTEGER")
        }
        let type = try parseTypeName()
        var isNotNull = false
        var constraints: [ColumnConstraint] = []
        let unsupportedConstraints = [
            "references": "REFERENCES (foreign keys)", "collate": "COLLATE", "generated": "GENERATED",
            "as": "generated column",
        ]
        while true {
            let location = current.location
            var constraintName: Identifier?
            if consume("constraint") {
                constraintName = try parseIdentifier()
            }
            if consume("not") {
                try expect("null")
                isNotNull = true
            } else if consume("null") {
                continue
            } else if consume("primary") {
                try expect("key")
                _ = consume("asc") || consume("desc")
                if check("autoincrement") {
                    throw unsupported("AUTOINCREMENT", at: current.location)
                }
                constraints.append(ColumnConstraint(name: constraintName, kind: .primaryKey, location: location))
            } else if consume("unique") {
                constraints.append(ColumnConstraint(name: constraintName, kind: .unique, location: location))
            } else if consume("default") {
                let start = current.location.offset
                // PostgreSQL's b_expr: no AND / OR / NOT / IS / comparisons, so `DEFAULT 0 NOT NULL` reads as expected.
                let value = try parseExpression(minimum: .other)
                constraints.append(ColumnConstraint(name: constraintName, kind: .defaultValue(value, text: sourceText(from: start)),
                                                    location: location))
            } else if consume("check") {
                let (condition, text) = try parseCheckCondition()
                constraints.append(ColumnConstraint(name: constraintName, kind: .check(condition, text: text), location: location))
            } else if current.kind == .word, let construct = unsupportedConstraints[current.value] {
                throw unsupported(construct, at: current.location)
            } else {
                noteExpected(["not", "null", "primary", "unique", "default", "check"])
                if constraintName != nil { throw unexpectedToken() }
                break
            }
            if check("on"), token(ahead: 1).isWord("conflict") {
                throw unsupported("ON CONFLICT in a constraint", at: current.location)
            }
        }
        return ColumnDefinition(name: name, type: type, isNotNull: isNotNull, constraints: constraints)
    }

    private mutating func parseDrop() throws(SyntaxError) -> Statement.Kind {
        try expect("drop")
        let isTable: Bool
        if consume("table") {
            isTable = true
        } else if consume("view") {
            isTable = false
        } else {
            for object in ["index", "schema", "sequence", "function", "macro", "type", "database"] where check(object) {
                throw unsupported("DROP \(object.uppercased())", at: current.location)
            }
            throw unexpectedToken()
        }
        var ifExists = false
        if consume("if") {
            try expect("exists")
            ifExists = true
        }
        let drop = DropObject(name: try parseQualifiedName(), ifExists: ifExists)
        if checkSymbol(",") {
            throw unsupported("dropping several objects in one statement", at: current.location)
        }
        if check("cascade") {
            throw unsupported("DROP ... CASCADE", at: current.location)
        }
        _ = consume("restrict")
        return isTable ? .dropTable(drop) : .dropView(drop)
    }

    // MARK: INSERT

    private mutating func parseInsert() throws(SyntaxError) -> Insert {
        try expect("insert")
        if check("or") {
            throw unsupported("INSERT OR ...", at: current.location)
        }
        try expect("into")
        let table = try parseQualifiedName()
        var columns: [Identifier]?
        if checkSymbol("("), !isParenthesizedQuery(ahead: 1) {
            columns = try parseIdentifierList()
        }
        let insert: Insert
        if check("default") {
            let location = current.location
            advance()
            try expect("values")
            if columns != nil {
                throw SyntaxError(message: "syntax error at or near \"DEFAULT\"", location: location,
                                  hint: "DEFAULT VALUES takes no column list")
            }
            insert = Insert(defaultValuesInto: table, location: location)
        } else {
            insert = Insert(table: table, columns: columns, source: try parseQuery())
        }
        if check("on") {
            throw unsupported("INSERT ... ON CONFLICT", at: current.location)
        }
        if check("returning") {
            throw unsupported("RETURNING", at: current.location)
        }
        return insert
    }

    // MARK: COPY

    private mutating func parseCopy() throws(SyntaxError) -> Copy {
        try expect("copy")
        let source: CopySource
        if consumeSymbol("(") {
            let query = try parseQuery()
            try expectSymbol(")")
            source = .query(query)
        } else {
            let name = try parseQualifiedName()
            source = .table(name, columns: checkSymbol("(") ? try parseIdentifierList() : [])
        }
        let direction: CopyDirection
        if check("from") {
            if case .query = source {
                throw SyntaxError(message: "COPY FROM needs a table, not a query", location: current.location)
            }
            direction = .from
        } else if check("to") {
            direction = .to
        } else {
            throw unexpectedToken()
        }
        advance()
        guard current.kind == .string else {
            for stream in ["stdin", "stdout", "program"] where check(stream) {
                throw unsupported("COPY \(stream.uppercased())", at: current.location)
            }
            throw unexpectedToken(hint: "COPY needs a file name in single quotes")
        }
        let path = current.value
        advance()
        _ = consume("with")
        var options: [CopyOption] = []
        if consumeSymbol("(") {
            repeat {
                options.append(try parseCopyOption(isParenthesized: true))
            } while consumeSymbol(",")
            try expectSymbol(")")
        } else {
            while current.kind == .word {
                options.append(try parseCopyOption(isParenthesized: false))
            }
        }
        return Copy(source: source, direction: direction, path: path, options: options)
    }

    /// copy option = name [value]; in the legacy (unparenthesized) form `CSV` means
    /// `FORMAT 'csv'` and values may follow an optional AS.
    private mutating func parseCopyOption(isParenthesized: Bool) throws(SyntaxError) -> CopyOption {
        guard current.kind == .word || current.kind == .quotedIdentifier else { throw unexpectedToken() }
        let nameToken = current
        advance()
        if !isParenthesized, nameToken.value == "csv" || nameToken.value == "binary" {
            return CopyOption(name: "format", value: .string(nameToken.value), location: nameToken.location)
        }
        if !isParenthesized {
            _ = consume("as")
        }
        var value: Literal?
        switch current.kind {
        case .string:
            value = .string(current.value)
        case .integer:
            value = .integer(current.value)
        case .number:
            value = .number(current.value)
        case .word where current.value == "true" || current.value == "on":
            value = .boolean(true)
        case .word where current.value == "false" || current.value == "off":
            value = .boolean(false)
        case .word where isParenthesized || nameToken.value == "format":
            value = .string(current.value)
        case .symbol where current.value == "(" && isParenthesized:
            throw unsupported("COPY option with a list value", at: current.location)
        default:
            value = nil
        }
        if value != nil {
            advance()
        }
        return CopyOption(name: nameToken.value, value: value, location: nameToken.location)
    }

    // MARK: SET

    private mutating func parseSet() throws(SyntaxError) -> SetStatement {
        try expect("set")
        _ = consume("session")
        if check("local") {
            throw unsupported("SET LOCAL", at: current.location)
        }
        let name: Identifier
        if check("time"), token(ahead: 1).isWord("zone") {
            name = Identifier(value: "timezone", location: current.location)
            advance()
            advance()
        } else {
            name = try parseSettingName()
            if !consumeSymbol("=") {
                try expect("to")
            }
        }
        if consume("default") {
            return SetStatement(name: name, value: [])
        }
        var values: [Expression] = []
        repeat {
            values.append(try parseSettingValue())
        } while consumeSymbol(",")
        return SetStatement(name: name, value: values)
    }

    private mutating func parseSettingName() throws(SyntaxError) -> Identifier {
        let name = try parseLabel()
        if checkSymbol(".") {
            throw unsupported("qualified setting name", at: current.location)
        }
        return name
    }

    /// A setting value: a bare word (taken as a string) or an expression.
    private mutating func parseSettingValue() throws(SyntaxError) -> Expression {
        let next = token(ahead: 1)
        let isBareWord = (current.kind == .word || current.kind == .quotedIdentifier)
            && (next.kind == .endOfInput || next.isSymbol(",") || next.isSymbol(";"))
            && !["true", "false", "null"].contains(current.value)
        if isBareWord {
            let token = current
            advance()
            return Expression(kind: .literal(.string(token.value)), location: token.location)
        }
        return try parseExpression()
    }
}
