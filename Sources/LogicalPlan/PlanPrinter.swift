import Catalog
import Columnar

// EXPLAIN-style text for plans and expressions.
//
// A plan prints as an indented tree, one node per line, children two spaces deeper than their parent:
//
//     Projection: l_returnflag, sum(l_quantity) AS sum_qty
//       Aggregate: group=[l_returnflag] aggregates=[sum(l_quantity)]
//         Scan: lineitem [l_returnflag, l_quantity] filters=[l_shipdate <= DATE '1998-09-02'] (~6001215 rows)
//
// Subqueries still inside expressions print as extra children labelled `Subquery:`, before the node's inputs.

extension LogicalPlan {
    /// The plan as an indented tree, one node per line, without a trailing newline.
    ///
    /// - Parameters:
    ///   - showColumnIDs: Suffix every column name with its id (`l_quantity#3`), to tell apart columns of the
    ///     same name.
    ///   - showEstimates: Append `(~N rows)` to nodes with an estimated row count.
    public func render(showColumnIDs: Bool = false, showEstimates: Bool = true) -> String {
        var printer = PlanPrinter(showColumnIDs: showColumnIDs, showEstimates: showEstimates)
        printer.append(self, depth: 0)
        return printer.lines.joined(separator: "\n")
    }
}

extension Expression {
    /// The expression as SQL-like text: column names, typed literals where the type is not obvious
    /// (`DATE '1998-09-02'`), infix operators with the parentheses precedence needs, functions by name.
    /// Subqueries print as `(SELECT ...)`; `LogicalPlan.render` shows their plans.
    public var sqlText: String { sqlText(showColumnIDs: false) }

    /// The expression as SQL-like text, optionally with column ids (`l_quantity#3`).
    public func sqlText(showColumnIDs: Bool) -> String {
        ExpressionPrinter(showColumnIDs: showColumnIDs).text(self).text
    }
}

extension AggregateCall {
    /// The call as SQL-like text: `sum(l_quantity)`, `count(*)`, `count(DISTINCT x) FILTER (WHERE y > 1)`.
    public var sqlText: String { sqlText(showColumnIDs: false) }

    /// The call as SQL-like text, optionally with column ids.
    public func sqlText(showColumnIDs: Bool) -> String {
        ExpressionPrinter(showColumnIDs: showColumnIDs).text(self)
    }
}

extension AggregateFunction {
    /// The SQL name of the function (`count(*)` is `count`).
    public var sqlName: String {
        switch self {
        case .count, .countStar: return "count"
        case .sum: return "sum"
        case .average: return "avg"
        case .minimum: return "min"
        case .maximum: return "max"
        case .standardDeviationSample: return "stddev_samp"
        case .standardDeviationPopulation: return "stddev_pop"
        case .varianceSample: return "var_samp"
        case .variancePopulation: return "var_pop"
        case .boolAnd: return "bool_and"
        case .boolOr: return "bool_or"
        case .stringAgg: return "string_agg"
        case .singleValue: return "single_value"
        }
    }
}

extension JoinKind {
    /// The kind's name as EXPLAIN shows it: `inner`, `left`, `semi`, `mark`...
    public var name: String {
        switch self {
        case .inner: return "inner"
        case .left: return "left"
        case .right: return "right"
        case .full: return "full"
        case .cross: return "cross"
        case .semi: return "semi"
        case .anti: return "anti"
        case .mark: return "mark"
        }
    }
}

/// Builds the lines of `LogicalPlan.render`.
private struct PlanPrinter {
    let showColumnIDs: Bool
    let showEstimates: Bool
    var lines: [String] = []

    init(showColumnIDs: Bool, showEstimates: Bool) {
        self.showColumnIDs = showColumnIDs
        self.showEstimates = showEstimates
    }

    private var expressions: ExpressionPrinter { ExpressionPrinter(showColumnIDs: showColumnIDs) }

    mutating func append(_ plan: LogicalPlan, depth: Int) {
        var line = String(repeating: "  ", count: depth) + describe(plan)
        if showEstimates, let estimate = plan.estimatedRowCount {
            line += " " + Self.estimateText(estimate)
        }
        lines.append(line)
        for subquery in Self.subqueries(in: plan) {
            lines.append(String(repeating: "  ", count: depth + 1) + "Subquery: " + Self.kindText(subquery))
            append(subquery.plan, depth: depth + 2)
        }
        for child in plan.children {
            append(child, depth: depth + 1)
        }
    }

    static func estimateText(_ estimate: Double) -> String {
        guard estimate.isFinite, estimate >= 0, estimate < 1e18 else { return "(~? rows)" }
        let rows = Int64(estimate.rounded())
        return rows == 1 ? "(~1 row)" : "(~\(rows) rows)"
    }

    private func name(_ column: PlanColumn) -> String {
        showColumnIDs ? "\(column.name)\(column.id)" : column.name
    }

    private func list(_ texts: [String]) -> String { "[" + texts.joined(separator: ", ") + "]" }

    /// `expression AS name`, or just the expression's text when it already reads as the output.
    private func outputText(_ text: String, expression: Expression?, output: PlanColumn) -> String {
        if showColumnIDs {
            if case .column(let input)? = expression, input.id == output.id, input.name == output.name { return text }
            return "\(text) AS \(name(output))"
        }
        return text == output.name ? text : "\(text) AS \(output.name)"
    }

    private func describe(_ plan: LogicalPlan) -> String {
        let printer = expressions
        switch plan {
        case .scan(let node):
            var text = "Scan: " + Self.sourceText(node.source) + " " + list(node.columns.map(name))
            if !node.filters.isEmpty { text += " filters=" + list(node.filters.map { printer.text($0).text }) }
            return text
        case .values(let node):
            let shown = node.rows.prefix(3).map { row in "(" + row.map { printer.text($0).text }.joined(separator: ", ") + ")" }
            var text = "Values: " + list(node.columns.map(name))
            if !shown.isEmpty { text += " " + shown.joined(separator: ", ") }
            if node.rows.count > shown.count { text += ", ..." }
            return text
        case .filter(let node):
            return "Filter: " + printer.text(node.predicate).text
        case .projection(let node):
            let items = node.items.map { outputText(printer.text($0.expression).text, expression: $0.expression, output: $0.output) }
            return "Projection: " + items.joined(separator: ", ")
        case .aggregate(let node):
            let keys = node.groupKeys.map { outputText(printer.text($0.expression).text, expression: $0.expression, output: $0.output) }
            let calls = node.aggregates.map { outputText(printer.text($0), expression: nil, output: $0.output) }
            return "Aggregate: group=" + list(keys) + " aggregates=" + list(calls)
        case .join(let node):
            var text = "Join(" + node.kind.name
            if case .mark(let marker) = node.kind { text += " AS " + name(marker) }
            text += ")"
            if let condition = node.condition { text += ": " + printer.text(condition).text }
            return text
        case .sort(let node):
            return "Sort: " + node.keys.map(printer.text).joined(separator: ", ")
        case .limit(let node):
            var text = "Limit: " + (node.limit.map(String.init) ?? "ALL")
            if node.offset != 0 { text += " offset \(node.offset)" }
            return text
        case .distinct:
            return "Distinct"
        case .setOperation(let node):
            let kind: String
            switch node.kind {
            case .union: kind = "UNION"
            case .intersect: kind = "INTERSECT"
            case .except: kind = "EXCEPT"
            }
            return "SetOperation: " + kind + (node.isAll ? " ALL " : " ") + list(node.columns.map(name))
        case .window(let node):
            let calls = node.functions.map { outputText(printer.text($0), expression: nil, output: $0.output) }
            return "Window: " + list(calls)
        case .recursiveCTE(let node):
            return "RecursiveCTE " + node.name + (node.isUnionAll ? " UNION ALL " : " UNION ") + list(node.columns.map(name))
        case .workingTableScan(let node):
            return "WorkingTableScan: " + node.name + " " + list(node.columns.map(name))
        case .materializedCTE(let node):
            let hint: String
            switch node.materialization {
            case .automatic: hint = ""
            case .always: hint = " (MATERIALIZED)"
            case .never: hint = " (NOT MATERIALIZED)"
            }
            return "MaterializedCTE " + node.name + hint
        }
    }

    static func sourceText(_ source: ScanSource) -> String {
        switch source {
        case .table(let definition): return definition.identifier.description
        case .csvFile(let path, _, _): return "read_csv(" + ExpressionPrinter.quoted(path) + ")"
        case .arrowFile(let path, _): return "read_arrow(" + ExpressionPrinter.quoted(path) + ")"
        case .integerSeries(let series): return series.description
        }
    }

    static func kindText(_ subquery: SubqueryExpression) -> String {
        var text: String
        switch subquery.kind {
        case .scalar: text = "scalar"
        case .exists: text = "EXISTS"
        case .inSubquery: text = "IN"
        case .quantified(_, let isAll): text = isAll ? "ALL" : "ANY"
        }
        if subquery.isNegated { text = "NOT " + text }
        if !subquery.correlatedColumns.isEmpty {
            text += " correlated=[" + subquery.correlatedColumns.map(\.name).joined(separator: ", ") + "]"
        }
        return text
    }

    /// The subqueries in the node's own expressions, in order (not those inside the subqueries' plans).
    static func subqueries(in plan: LogicalPlan) -> [SubqueryExpression] {
        var expressions: [Expression] = []
        switch plan {
        case .scan(let node): expressions = node.filters
        case .values(let node): expressions = node.rows.flatMap { $0 }
        case .filter(let node): expressions = [node.predicate]
        case .projection(let node): expressions = node.items.map(\.expression)
        case .aggregate(let node):
            expressions = node.groupKeys.map(\.expression)
            for call in node.aggregates {
                expressions += call.arguments + call.orderBy.map(\.expression)
                if let filter = call.filter { expressions.append(filter) }
            }
        case .join(let node): expressions = node.condition.map { [$0] } ?? []
        case .sort(let node): expressions = node.keys.map(\.expression)
        case .window(let node): expressions = node.functions.flatMap(\.expressions)
        case .limit, .distinct, .setOperation, .recursiveCTE, .workingTableScan, .materializedCTE: break
        }
        var result: [SubqueryExpression] = []
        for expression in expressions {
            collectSubqueries(expression, into: &result)
        }
        return result
    }

    private static func collectSubqueries(_ expression: Expression, into result: inout [SubqueryExpression]) {
        switch expression {
        case .subquery(let subquery):
            if let operand = subquery.operand { collectSubqueries(operand, into: &result) }
            result.append(subquery)
        case .column, .literal: break
        case .function(_, let arguments, _): for argument in arguments { collectSubqueries(argument, into: &result) }
        case .cast(let operand, _), .not(let operand): collectSubqueries(operand, into: &result)
        case .and(let operands), .or(let operands): for operand in operands { collectSubqueries(operand, into: &result) }
        case .caseWhen(let whens, let elseResult, _):
            for branch in whens {
                collectSubqueries(branch.condition, into: &result)
                collectSubqueries(branch.result, into: &result)
            }
            collectSubqueries(elseResult, into: &result)
        case .inList(let operand, let list, _):
            collectSubqueries(operand, into: &result)
            for item in list { collectSubqueries(item, into: &result) }
        }
    }
}

/// Prints expressions with the parentheses that operator precedence needs (PostgreSQL's precedence).
struct ExpressionPrinter {
    let showColumnIDs: Bool

    /// Binding strength, loosest first.
    enum Precedence: Int, Comparable {
        case or = 1, and, not, comparison, additive, multiplicative, unary, atom
        static func < (left: Precedence, right: Precedence) -> Bool { left.rawValue < right.rawValue }
    }

    typealias Printed = (text: String, precedence: Precedence)

    func text(_ expression: Expression) -> Printed {
        switch expression {
        case .column(let column):
            return (showColumnIDs ? "\(column.name)\(column.id)" : column.name, .atom)
        case .literal(let value, let type):
            return (Self.literalText(value, type), .atom)
        case .function(let function, let arguments, _):
            return functionText(function, arguments)
        case .cast(let operand, let type):
            return ("CAST(\(text(operand).text) AS \(type))", .atom)
        case .and(let operands):
            return (operands.map { operandText($0, above: .and) }.joined(separator: " AND "), .and)
        case .or(let operands):
            return (operands.map { operandText($0, above: .or) }.joined(separator: " OR "), .or)
        case .not(let operand):
            let inner = text(operand)
            let shown = inner.precedence >= .unary || inner.precedence == .not ? inner.text : "(\(inner.text))"
            return ("NOT " + shown, .not)
        case .caseWhen(let whens, let elseResult, _):
            var parts = ["CASE"]
            for branch in whens {
                parts.append("WHEN \(text(branch.condition).text) THEN \(text(branch.result).text)")
            }
            parts.append("ELSE \(text(elseResult).text) END")
            return (parts.joined(separator: " "), .atom)
        case .inList(let operand, let list, let isNegated):
            let items = list.map { text($0).text }.joined(separator: ", ")
            return ("\(operandText(operand, above: .comparison)) \(isNegated ? "NOT IN" : "IN") (\(items))", .comparison)
        case .subquery(let subquery):
            return subqueryText(subquery)
        }
    }

    func text(_ key: SortKey) -> String {
        text(key.expression).text + (key.isAscending ? " ASC" : " DESC") + (key.nullsFirst ? " NULLS FIRST" : " NULLS LAST")
    }

    func text(_ call: AggregateCall) -> String {
        var inside: String
        if call.function == .countStar {
            inside = "*"
        } else {
            inside = call.arguments.map { text($0).text }.joined(separator: ", ")
            if call.isDistinct { inside = "DISTINCT " + inside }
        }
        if !call.orderBy.isEmpty { inside += " ORDER BY " + call.orderBy.map(text).joined(separator: ", ") }
        var result = "\(call.function.sqlName)(\(inside))"
        if let filter = call.filter { result += " FILTER (WHERE \(text(filter).text))" }
        return result
    }

    /// An operand of an AND/OR/comparison, parenthesized unless it binds more tightly than the operator.
    private func operandText(_ expression: Expression, above: Precedence) -> String {
        let inner = text(expression)
        return inner.precedence > above ? inner.text : "(\(inner.text))"
    }

    private func binary(_ symbol: String, _ arguments: [Expression], _ precedence: Precedence) -> Printed {
        guard arguments.count == 2 else { return call(symbol, arguments) }
        let left = text(arguments[0])
        let right = text(arguments[1])
        // Arithmetic is left-associative: `a - b - c` needs no parentheses on the left. Comparisons are not.
        let leftText = left.precedence > precedence || (left.precedence == precedence && precedence != .comparison)
            ? left.text : "(\(left.text))"
        let rightText = right.precedence > precedence ? right.text : "(\(right.text))"
        return ("\(leftText) \(symbol) \(rightText)", precedence)
    }

    private func postfix(_ suffix: String, _ arguments: [Expression]) -> Printed {
        guard arguments.count == 1 else { return call(suffix, arguments) }
        return ("\(operandText(arguments[0], above: .comparison)) \(suffix)", .comparison)
    }

    private func call(_ name: String, _ arguments: [Expression]) -> Printed {
        ("\(name)(\(arguments.map { text($0).text }.joined(separator: ", ")))", .atom)
    }

    private func functionText(_ function: ScalarFunction, _ arguments: [Expression]) -> Printed {
        switch function {
        case .add: return binary("+", arguments, .additive)
        case .subtract: return binary("-", arguments, .additive)
        case .concatenate: return binary("||", arguments, .additive)
        case .multiply: return binary("*", arguments, .multiplicative)
        case .divide: return binary("/", arguments, .multiplicative)
        case .modulo: return binary("%", arguments, .multiplicative)
        case .negate:
            guard arguments.count == 1 else { return call("negate", arguments) }
            let inner = text(arguments[0])
            return ("-" + (inner.precedence >= .unary ? inner.text : "(\(inner.text))"), .unary)
        case .equal: return binary("=", arguments, .comparison)
        case .notEqual: return binary("<>", arguments, .comparison)
        case .less: return binary("<", arguments, .comparison)
        case .lessOrEqual: return binary("<=", arguments, .comparison)
        case .greater: return binary(">", arguments, .comparison)
        case .greaterOrEqual: return binary(">=", arguments, .comparison)
        case .isDistinctFrom: return binary("IS DISTINCT FROM", arguments, .comparison)
        case .isNotDistinctFrom: return binary("IS NOT DISTINCT FROM", arguments, .comparison)
        case .isNull: return postfix("IS NULL", arguments)
        case .isNotNull: return postfix("IS NOT NULL", arguments)
        case .isTrue: return postfix("IS TRUE", arguments)
        case .isFalse: return postfix("IS FALSE", arguments)
        case .isNotTrue: return postfix("IS NOT TRUE", arguments)
        case .isNotFalse: return postfix("IS NOT FALSE", arguments)
        case .like(let caseInsensitive):
            let keyword = caseInsensitive ? "ILIKE" : "LIKE"
            guard arguments.count == 2 || arguments.count == 3 else { return call(keyword.lowercased(), arguments) }
            var result = binary(keyword, Array(arguments.prefix(2)), .comparison)
            if arguments.count == 3 { result.text += " ESCAPE " + operandText(arguments[2], above: .comparison) }
            return result
        case .extract(let field):
            guard arguments.count == 1 else { return call("extract", arguments) }
            return ("extract(\(field.rawValue) FROM \(text(arguments[0]).text))", .atom)
        case .substring: return call("substring", arguments)
        case .upper: return call("upper", arguments)
        case .lower: return call("lower", arguments)
        case .length: return call("length", arguments)
        case .trim: return call("trim", arguments)
        case .leftTrim: return call("ltrim", arguments)
        case .rightTrim: return call("rtrim", arguments)
        case .position: return call("position", arguments)
        case .replace: return call("replace", arguments)
        case .startsWith: return call("starts_with", arguments)
        case .abs: return call("abs", arguments)
        case .round: return call("round", arguments)
        case .floor: return call("floor", arguments)
        case .ceil: return call("ceil", arguments)
        case .sqrt: return call("sqrt", arguments)
        case .power: return call("power", arguments)
        case .coalesce: return call("coalesce", arguments)
        case .nullIf: return call("nullif", arguments)
        case .greatest: return call("greatest", arguments)
        case .least: return call("least", arguments)
        }
    }

    private func subqueryText(_ subquery: SubqueryExpression) -> Printed {
        let body = "(SELECT ...)"
        let negation = subquery.isNegated ? "NOT " : ""
        switch subquery.kind {
        case .scalar:
            return subquery.isNegated ? ("NOT " + body, .not) : (body, .atom)
        case .exists:
            return (negation + "EXISTS " + body, subquery.isNegated ? .not : .atom)
        case .inSubquery:
            let operand = subquery.operand.map { operandText($0, above: .comparison) } ?? "?"
            return ("\(operand) \(negation)IN \(body)", .comparison)
        case .quantified(let function, let isAll):
            let operand = subquery.operand.map { operandText($0, above: .comparison) } ?? "?"
            let symbol: String
            switch function {
            case .equal: symbol = "="
            case .notEqual: symbol = "<>"
            case .less: symbol = "<"
            case .lessOrEqual: symbol = "<="
            case .greater: symbol = ">"
            case .greaterOrEqual: symbol = ">="
            default: symbol = "\(function)"
            }
            let text = "\(operand) \(symbol) \(isAll ? "ALL" : "ANY") \(body)"
            return subquery.isNegated ? ("NOT (\(text))", .not) : (text, .comparison)
        }
    }

    static func quoted(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
    }

    static func literalText(_ value: Value, _ type: DataType) -> String {
        switch value {
        case .null:
            return type == .null || type == .boolean ? "NULL" : "CAST(NULL AS \(type))"
        case .boolean(let flag): return flag ? "TRUE" : "FALSE"
        case .int8, .int16, .int32, .int64, .float32, .float64, .decimal:
            return value.description
        case .date: return "DATE " + quoted(value.description)
        case .interval: return "INTERVAL " + quoted(value.description)
        case .string(let text): return quoted(text)
        }
    }
}
