// Function calls: arguments, aggregates (DISTINCT, ORDER BY, FILTER), windows (OVER),
// and the special syntax of SUBSTRING, POSITION and TRIM.

extension SQLParser {
    /// Parses `( arguments ) [IGNORE NULLS | RESPECT NULLS] [FILTER (WHERE ...)] [OVER (...)]` after a function
    /// name.
    mutating func parseFunctionCall(name: QualifiedName) throws(SyntaxError) -> Expression {
        try expectSymbol("(")
        var call: FunctionCall
        if name.parts.count == 1, let only = name.parts.first, !only.isQuoted,
            let special = try parseSpecialFunctionSyntax(named: only)
        {
            call = special
        } else {
            call = try parseFunctionArguments(name: name, firstArgument: nil)
        }
        if check("within") {
            throw unsupported("WITHIN GROUP", at: current.location)
        }
        if let treatment = try parseNullTreatment() {
            if call.nullTreatment != nil {
                throw SyntaxError(message: "IGNORE NULLS or RESPECT NULLS given twice", location: name.location)
            }
            call.nullTreatment = treatment
        }
        if check("filter"), token(ahead: 1).isSymbol("(") {
            advance()
            advance()
            try expect("where")
            call.filter = try parseExpression()
            try expectSymbol(")")
        }
        if check("over") {
            advance()
            call.window = try parseWindowSpecification()
        }
        return Expression(kind: .function(call), location: name.location)
    }

    /// Parses `IGNORE NULLS` or `RESPECT NULLS` if that is what follows.
    private mutating func parseNullTreatment() throws(SyntaxError) -> NullTreatment? {
        guard check("ignore") || check("respect"), token(ahead: 1).isWord("nulls") else { return nil }
        let treatment: NullTreatment = check("ignore") ? .ignoreNulls : .respectNulls
        advance()
        advance()
        return treatment
    }

    /// Parses the rest of an argument list up to and including ')':
    /// `)` | `*)` | `[DISTINCT | ALL] expression, ... [IGNORE NULLS | RESPECT NULLS] [ORDER BY ...])`.
    /// `firstArgument` is an already parsed first argument, if any.
    private mutating func parseFunctionArguments(
        name: QualifiedName, firstArgument: Expression?
    ) throws(SyntaxError) -> FunctionCall {
        var call = FunctionCall(name: name, arguments: [])
        if let firstArgument {
            call.arguments = [firstArgument]
            if consumeSymbol(",") {
                call.arguments += try parseExpressionList()
            }
        } else if consumeSymbol(")") {
            return call
        } else if checkSymbol("*"), token(ahead: 1).isSymbol(")") {
            advance()
            advance()
            call.isStar = true
            return call
        } else {
            call.isDistinct = consume("distinct")
            if !call.isDistinct {
                _ = consume("all")
            }
            call.arguments = try parseExpressionList()
        }
        call.nullTreatment = try parseNullTreatment()
        if consume("order") {
            try expect("by")
            call.orderBy = try parseOrderByItems()
        }
        try expectSymbol(")")
        return call
    }

    /// SUBSTRING(x FROM a [FOR b]), POSITION(a IN b) and TRIM([BOTH|LEADING|TRAILING]
    /// [chars] FROM x), mapped to ordinary calls. Returns nil when `name` has no special
    /// syntax. When the call turns out to use ordinary syntax, it is parsed as such.
    private mutating func parseSpecialFunctionSyntax(named name: Identifier) throws(SyntaxError) -> FunctionCall? {
        let location = name.location
        func callName(_ value: String) -> QualifiedName {
            QualifiedName(parts: [Identifier(value: value, location: location)], location: location)
        }
        let plainName = callName(name.value)
        switch name.value {
        case "substring", "substr":
            if checkSymbol(")") || checkSymbol("*") { return nil }
            let string = try parseExpression()
            var arguments = [string]
            if consume("from") {
                arguments.append(try parseExpression())
                if consume("for") {
                    arguments.append(try parseExpression())
                }
            } else if consume("for") {
                arguments.append(Expression(kind: .literal(.integer("1")), location: current.location))
                arguments.append(try parseExpression())
            } else {
                return try parseFunctionArguments(name: plainName, firstArgument: string)
            }
            try expectSymbol(")")
            return FunctionCall(name: callName("substring"), arguments: arguments)
        case "position":
            if checkSymbol(")") || checkSymbol("*") { return nil }
            let needle = try parseExpression(minimum: .other)
            if consume("in") {
                let haystack = try parseExpression()
                try expectSymbol(")")
                return FunctionCall(name: plainName, arguments: [needle, haystack])
            }
            let first = try parseInfixOperators(after: needle, minimum: .or)
            return try parseFunctionArguments(name: plainName, firstArgument: first)
        case "trim":
            if checkSymbol(")") || checkSymbol("*") { return nil }
            var trimName = "trim"
            var hasMode = true
            if consume("leading") {
                trimName = "ltrim"
            } else if consume("trailing") {
                trimName = "rtrim"
            } else if !consume("both") {
                hasMode = false
            }
            let string: Expression
            var characters: Expression?
            if hasMode {
                if !consume("from") {
                    characters = try parseExpression()
                    try expect("from")
                }
                string = try parseExpression()
            } else {
                let first = try parseExpression()
                guard consume("from") else {
                    return try parseFunctionArguments(name: plainName, firstArgument: first)
                }
                characters = first
                string = try parseExpression()
            }
            try expectSymbol(")")
            let arguments = characters.map { [string, $0] } ?? [string]
            return FunctionCall(name: callName(trimName), arguments: arguments)
        default:
            return nil
        }
    }

    /// `OVER name` or `OVER ( [name] [PARTITION BY ...] [ORDER BY ...] [frame] )`.
    private mutating func parseWindowSpecification() throws(SyntaxError) -> WindowSpecification {
        guard checkSymbol("(") else {
            if isAtIdentifier {
                let name = takeIdentifier()
                return WindowSpecification(reference: .named(name), location: name.location)
            }
            throw unexpectedToken()
        }
        return try parseParenthesizedWindowSpecification()
    }

    /// `( [name] [PARTITION BY ...] [ORDER BY ...] [frame] )`, in an OVER or a WINDOW clause.
    mutating func parseParenthesizedWindowSpecification() throws(SyntaxError) -> WindowSpecification {
        var window = WindowSpecification(location: current.location)
        try expectSymbol("(")
        let clauseWords: Set<String> = ["partition", "rows", "range", "groups"]
        if isAtIdentifier, !(current.kind == .word && clauseWords.contains(current.value)) {
            window.reference = .copied(takeIdentifier())
        }
        if consume("partition") {
            try expect("by")
            window.partitionBy = try parseExpressionList()
        }
        if consume("order") {
            try expect("by")
            window.orderBy = try parseOrderByItems()
        }
        if let units = frameUnitsAhead() {
            advance()
            window.frame = try parseWindowFrame(units: units)
        }
        try expectSymbol(")")
        return window
    }

    private mutating func frameUnitsAhead() -> FrameUnits? {
        if check("rows") { return .rows }
        if check("range") { return .range }
        if check("groups") { return .groups }
        return nil
    }

    /// frame = (BETWEEN bound AND bound | bound) [EXCLUDE CURRENT ROW | GROUP | TIES | NO OTHERS]
    private mutating func parseWindowFrame(units: FrameUnits) throws(SyntaxError) -> WindowFrame {
        let startLocation = current.location
        let start: FrameBound
        var end = FrameBound.currentRow
        if consume("between") {
            start = try parseFrameBound()
            try expect("and")
            let endLocation = current.location
            end = try parseFrameBound()
            if end == .unboundedPreceding {
                throw SyntaxError(message: "frame end cannot be UNBOUNDED PRECEDING", location: endLocation)
            }
        } else {
            start = try parseFrameBound()
        }
        if start == .unboundedFollowing {
            throw SyntaxError(message: "frame start cannot be UNBOUNDED FOLLOWING", location: startLocation)
        }
        return WindowFrame(units: units, start: start, end: end, exclusion: try parseFrameExclusion())
    }

    /// `EXCLUDE CURRENT ROW | GROUP | TIES | NO OTHERS`, or nothing (no exclusion).
    private mutating func parseFrameExclusion() throws(SyntaxError) -> FrameExclusion {
        guard consume("exclude") else { return .noOthers }
        if consume("current") {
            try expect("row")
            return .currentRow
        }
        if consume("group") { return .group }
        if consume("ties") { return .ties }
        if consume("no") {
            try expect("others")
            return .noOthers
        }
        noteExpected("current")
        noteExpected("group")
        noteExpected("ties")
        noteExpected("no")
        throw unexpectedToken()
    }

    /// UNBOUNDED {PRECEDING | FOLLOWING} | CURRENT ROW | expression {PRECEDING | FOLLOWING}
    private mutating func parseFrameBound() throws(SyntaxError) -> FrameBound {
        if consume("unbounded") {
            if consume("preceding") { return .unboundedPreceding }
            try expect("following")
            return .unboundedFollowing
        }
        if consume("current") {
            try expect("row")
            return .currentRow
        }
        let offset = try parseExpression()
        if consume("preceding") { return .preceding(offset) }
        try expect("following")
        return .following(offset)
    }
}
