import Testing
@testable import SQLSyntax

/// Renders expressions as compact S-expressions so tests can check the exact tree shape,
/// e.g. `1 + 2 * 3` → `(+ 1 (* 2 3))`.
func sExpression(_ expression: Expression) -> String {
    switch expression.kind {
    case .literal(let literal):
        return sExpression(literal)
    case .column(let parts):
        return parts.map { $0.isQuoted ? "\"\($0.value)\"" : $0.value }.joined(separator: ".")
    case .unary(let unaryOperator, let operand):
        let symbol = switch unaryOperator {
        case .negate: "-"
        case .plus: "+"
        case .not: "NOT"
        }
        return "(\(symbol) \(sExpression(operand)))"
    case .binary(let binaryOperator, let left, let right):
        return "(\(symbol(binaryOperator)) \(sExpression(left)) \(sExpression(right)))"
    case .isNull(let operand, let isNegated):
        return "(IS \(isNegated ? "NOT " : "")NULL \(sExpression(operand)))"
    case .isBoolean(let operand, let value, let isNegated):
        return "(IS \(isNegated ? "NOT " : "")\(value ? "TRUE" : "FALSE") \(sExpression(operand)))"
    case .isDistinctFrom(let left, let right, let isNegated):
        return "(IS \(isNegated ? "NOT " : "")DISTINCT FROM \(sExpression(left)) \(sExpression(right)))"
    case .between(let operand, let low, let high, let isNegated):
        return "(\(isNegated ? "NOT " : "")BETWEEN \(sExpression(operand)) \(sExpression(low)) \(sExpression(high)))"
    case .inList(let operand, let list, let isNegated):
        let items = list.map(sExpression).joined(separator: " ")
        return "(\(isNegated ? "NOT " : "")IN \(sExpression(operand)) (\(items)))"
    case .inSubquery(let operand, _, let isNegated):
        return "(\(isNegated ? "NOT " : "")IN \(sExpression(operand)) <query>)"
    case .exists(_, let isNegated):
        return "(\(isNegated ? "NOT " : "")EXISTS <query>)"
    case .subquery:
        return "<query>"
    case .quantified(let operand, let comparison, let quantifier, _):
        return "(\(symbol(comparison)) \(quantifier == .any ? "ANY" : "ALL") \(sExpression(operand)) <query>)"
    case .like(let operand, let pattern, let escape, let isCaseInsensitive, let isNegated):
        var text = "(\(isNegated ? "NOT " : "")\(isCaseInsensitive ? "ILIKE" : "LIKE") \(sExpression(operand)) \(sExpression(pattern))"
        if let escape {
            text += " ESCAPE \(sExpression(escape))"
        }
        return text + ")"
    case .caseWhen(let operand, let whens, let elseResult):
        var parts = ["CASE"]
        if let operand {
            parts.append(sExpression(operand))
        }
        for when in whens {
            parts.append("(WHEN \(sExpression(when.condition)) \(sExpression(when.result)))")
        }
        if let elseResult {
            parts.append("(ELSE \(sExpression(elseResult)))")
        }
        return "(" + parts.joined(separator: " ") + ")"
    case .cast(let operand, let type):
        return "(CAST \(sExpression(operand)) \(typeText(type)))"
    case .extract(let field, let operand):
        return "(EXTRACT \(field) \(sExpression(operand)))"
    case .defaultValue:
        return "DEFAULT"
    case .function(let call):
        var parts = [call.name.parts.map(\.value).joined(separator: ".")]
        if call.isDistinct { parts.append("DISTINCT") }
        if call.isStar { parts.append("*") }
        parts += call.arguments.map(sExpression)
        switch call.nullTreatment {
        case .ignoreNulls: parts.append("IGNORE NULLS")
        case .respectNulls: parts.append("RESPECT NULLS")
        case nil: break
        }
        if !call.orderBy.isEmpty {
            parts.append("ORDER BY " + call.orderBy.map(orderText).joined(separator: ", "))
        }
        if let filter = call.filter {
            parts.append("FILTER " + sExpression(filter))
        }
        if let window = call.window {
            parts.append("OVER " + windowText(window))
        }
        return "{" + parts.joined(separator: " ") + "}"
    }
}

func sExpression(_ literal: Literal) -> String {
    switch literal {
    case .null: return "NULL"
    case .boolean(let value): return value ? "TRUE" : "FALSE"
    case .integer(let text), .number(let text): return text
    case .string(let text): return "'\(text)'"
    case .typedString(let type, let text): return "\(typeText(type))'\(text)'"
    case .interval(let text, let unit): return "interval'\(text)'\(unit ?? "")"
    }
}

func symbol(_ binaryOperator: BinaryOperator) -> String {
    switch binaryOperator {
    case .add: "+"
    case .subtract: "-"
    case .multiply: "*"
    case .divide: "/"
    case .modulo: "%"
    case .concatenate: "||"
    case .equal: "="
    case .notEqual: "<>"
    case .less: "<"
    case .lessOrEqual: "<="
    case .greater: ">"
    case .greaterOrEqual: ">="
    case .and: "AND"
    case .or: "OR"
    }
}

func typeText(_ type: TypeName) -> String {
    type.parameters.isEmpty ? type.name : "\(type.name)(\(type.parameters.map(String.init).joined(separator: ",")))"
}

func orderText(_ item: OrderByItem) -> String {
    var text = sExpression(item.expression) + (item.isAscending ? "" : " DESC")
    if let nullsFirst = item.nullsFirst {
        text += nullsFirst ? " NULLS FIRST" : " NULLS LAST"
    }
    return text
}

func boundText(_ bound: FrameBound) -> String {
    switch bound {
    case .unboundedPreceding: "UNBOUNDED PRECEDING"
    case .preceding(let offset): "\(sExpression(offset)) PRECEDING"
    case .currentRow: "CURRENT ROW"
    case .following(let offset): "\(sExpression(offset)) FOLLOWING"
    case .unboundedFollowing: "UNBOUNDED FOLLOWING"
    }
}

func windowText(_ window: WindowSpecification) -> String {
    var parts: [String] = []
    switch window.reference {
    case .named(let name): return name.value
    case .copied(let name): parts.append(name.value)
    case nil: break
    }
    if !window.partitionBy.isEmpty {
        parts.append("PARTITION BY " + window.partitionBy.map(sExpression).joined(separator: ", "))
    }
    if !window.orderBy.isEmpty {
        parts.append("ORDER BY " + window.orderBy.map(orderText).joined(separator: ", "))
    }
    if let frame = window.frame {
        let units = switch frame.units {
        case .rows: "ROWS"
        case .range: "RANGE"
        case .groups: "GROUPS"
        }
        let exclusion = switch frame.exclusion {
        case .noOthers: ""
        case .currentRow: " EXCLUDE CURRENT ROW"
        case .group: " EXCLUDE GROUP"
        case .ties: " EXCLUDE TIES"
        }
        parts.append("\(units) \(boundText(frame.start)) AND \(boundText(frame.end))\(exclusion)")
    }
    return "(" + parts.joined(separator: " ") + ")"
}

/// Parses one expression and renders it as an S-expression ("ERROR: ..." on failure).
func parsed(_ sql: String) -> String {
    do {
        return sExpression(try Parser.parseExpression(sql))
    } catch {
        return "ERROR: \(error.message)"
    }
}

/// The error raised by parsing `sql` as a script, or nil if it parses.
func parseError(_ sql: String) -> SyntaxError? {
    do {
        _ = try Parser.parse(sql)
        return nil
    } catch {
        return error
    }
}

/// Parses `sql`, which must be exactly one statement, recording an issue otherwise.
func statement(_ sql: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Statement {
    do {
        return try Parser.parseStatement(sql)
    } catch {
        Issue.record("parse failed: \(error) for \(sql)", sourceLocation: sourceLocation)
        throw error
    }
}

/// Parses `sql` as a query statement.
func query(_ sql: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Query {
    let parsedStatement = try statement(sql, sourceLocation: sourceLocation)
    guard case .query(let query) = parsedStatement.kind else {
        Issue.record("not a query: \(sql)", sourceLocation: sourceLocation)
        throw TestFailure.unexpectedShape
    }
    return query
}

/// Parses `sql` as a single SELECT (no set operation).
func select(_ sql: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> SelectCore {
    let parsedQuery = try query(sql, sourceLocation: sourceLocation)
    guard case .select(let core) = parsedQuery.body else {
        Issue.record("not a plain SELECT: \(sql)", sourceLocation: sourceLocation)
        throw TestFailure.unexpectedShape
    }
    return core
}

/// The expressions of a select list (wildcards render as `*` / `t.*`), with `AS alias`.
func selectList(_ core: SelectCore) -> [String] {
    core.items.map { item in
        switch item {
        case .expression(let expression, let alias):
            return sExpression(expression) + (alias.map { " AS \($0.value)" } ?? "")
        case .wildcard:
            return "*"
        case .qualifiedWildcard(let name):
            return name.parts.map(\.value).joined(separator: ".") + ".*"
        }
    }
}

/// Renders a FROM item compactly: `t AS a(x, y)`, `(JOIN LEFT t u ON cond)`, `<subquery> AS s`.
func tableText(_ reference: TableReference) -> String {
    func aliasText(_ alias: TableAlias?) -> String {
        guard let alias else { return "" }
        let columns = alias.columns.isEmpty ? "" : "(" + alias.columns.map(\.value).joined(separator: ", ") + ")"
        return " AS \(alias.name.value)\(columns)"
    }
    switch reference {
    case .table(let name, let alias):
        return name.parts.map(\.value).joined(separator: ".") + aliasText(alias)
    case .subquery(_, let alias, let isLateral, _):
        return (isLateral ? "LATERAL " : "") + "<subquery>" + aliasText(alias)
    case .function(let name, let arguments, let alias):
        return name.parts.map(\.value).joined(separator: ".") + "("
            + arguments.map(sExpression).joined(separator: ", ") + ")" + aliasText(alias)
    case .join(let join):
        let kind = switch join.kind {
        case .inner: "INNER"
        case .left: "LEFT"
        case .right: "RIGHT"
        case .full: "FULL"
        case .cross: "CROSS"
        }
        let condition = switch join.condition {
        case .none: ""
        case .on(let expression): " ON " + sExpression(expression)
        case .using(let columns): " USING " + columns.map(\.value).joined(separator: ",")
        case .natural: " NATURAL"
        }
        return "(JOIN \(kind) \(tableText(join.left)) \(tableText(join.right))\(condition))"
    }
}

enum TestFailure: Error {
    case unexpectedShape
}
