import SQLSyntax

// Names of unaliased select-list expressions: a column keeps its name; a function call is named by its text as
// DuckDB does (`sum(l_quantity)`, `count_star()`), which the TPC-H answers' headers use; other expressions get
// PostgreSQL's `?column?` (or `case`, `exists`, the inner name of a cast).

/// The column name of an unaliased select-list expression.
func derivedName(_ expression: SyntaxExpression) -> String {
    switch expression.kind {
    case .column(let parts): return parts.last?.value ?? "?column?"
    case .function(let call): return renderFunctionCall(call)
    case .cast(let operand, let typeName):
        let inner = derivedName(operand)
        return inner == "?column?" ? typeName.name : inner
    case .caseWhen: return "case"
    case .exists: return "exists"
    case .extract: return "extract"
    case .subquery(let query): return derivedName(of: query)
    default: return "?column?"
    }
}

/// The name of a scalar subquery's column, as its select list gives it.
private func derivedName(of query: Query) -> String {
    switch query.body {
    case .select(let core):
        guard core.items.count == 1, case .expression(let expression, let alias) = core.items[0] else {
            return "?column?"
        }
        return alias?.value ?? derivedName(expression)
    case .parenthesized(let inner):
        return derivedName(of: inner)
    default:
        return "?column?"
    }
}

/// A function call as DuckDB names its result column: `name(arguments)`, `count_star()` for `count(*)`.
private func renderFunctionCall(_ call: FunctionCall) -> String {
    let name = call.name.parts.map(\.value).joined(separator: ".")
    if call.isStar {
        return name == "count" ? "count_star()" : "\(name)(*)"
    }
    var text = name + "(" + (call.isDistinct ? "DISTINCT " : "")
    text += call.arguments.map(render).joined(separator: ", ")
    if !call.orderBy.isEmpty {
        text += " ORDER BY " + call.orderBy.map { item in
            render(item.expression) + (item.isAscending ? "" : " DESC")
        }.joined(separator: ", ")
    }
    text += ")"
    if let filter = call.filter {
        text += " FILTER (WHERE \(render(filter)))"
    }
    return text
}

/// SQL text for an expression, in DuckDB's style (binary operations parenthesized).
private func render(_ expression: SyntaxExpression) -> String {
    switch expression.kind {
    case .literal(let literal):
        switch literal {
        case .null: return "NULL"
        case .boolean(let flag): return flag ? "true" : "false"
        case .integer(let text), .number(let text): return text
        case .string(let text): return quoted(text)
        case .typedString(let typeName, let text): return "CAST(\(quoted(text)) AS \(typeName.name.uppercased()))"
        case .interval(let text, let unit): return "INTERVAL \(quoted(text))" + (unit.map { " \($0.uppercased())" } ?? "")
        }
    case .column(let parts):
        return parts.map(\.value).joined(separator: ".")
    case .unary(let unaryOperator, let operand):
        switch unaryOperator {
        case .negate: return "-(\(render(operand)))"
        case .plus: return render(operand)
        case .not: return "(NOT \(render(operand)))"
        }
    case .binary(let binaryOperator, let left, let right):
        return "(\(render(left)) \(operatorSymbol(binaryOperator)) \(render(right)))"
    case .isNull(let operand, let isNegated):
        return "(\(render(operand)) IS \(isNegated ? "NOT " : "")NULL)"
    case .cast(let operand, let typeName):
        return "CAST(\(render(operand)) AS \(typeName.name.uppercased()))"
    case .function(let call):
        return renderFunctionCall(call)
    case .caseWhen(let operand, let whens, let elseResult):
        var text = "CASE"
        if let operand { text += " " + render(operand) }
        for when in whens {
            text += " WHEN \(render(when.condition)) THEN \(render(when.result))"
        }
        if let elseResult { text += " ELSE " + render(elseResult) }
        return text + " END"
    case .extract(let field, let operand):
        return "extract(\(quoted(field)) FROM \(render(operand)))"
    default:
        return "?column?"
    }
}

private func quoted(_ text: String) -> String {
    var result = "'"
    for character in text {
        result.append(character)
        if character == "'" { result.append("'") }
    }
    return result + "'"
}
