import Columnar
import LogicalPlan
import SQLSyntax

/// One entry of a select list after `*` expansion.
private enum SelectEntry {
    /// An expression as written, with its alias.
    case expression(SyntaxExpression, alias: Identifier?)
    /// A column from `*` or `t.*`.
    case column(ScopeColumn, location: SourceLocation)
}

/// Where an ORDER BY key comes from.
private enum OrderTarget {
    /// A select-list entry.
    case entry(Int)
    /// An expression not in the select list, computed as a hidden column.
    case hidden(BoundExpression)
}

extension Binder {
    /// Binds a SELECT with its ORDER BY and LIMIT: FROM → WHERE → GROUP BY / aggregates → HAVING → window
    /// functions → select list → DISTINCT → ORDER BY → LIMIT.
    mutating func bindSelect(_ core: SelectCore, orderBy explicitOrderBy: [OrderByItem], orderByAll: OrderByAll? = nil,
                             limit: SyntaxExpression?, offset: SyntaxExpression?, outer: NameScope?) throws -> LogicalPlan {
        // FROM
        var plan: LogicalPlan
        let scope: NameScope
        if let from = try bindFrom(core.from, outer: outer) {
            plan = from.plan
            scope = NameScope(columns: from.columns, relationNames: from.relationNames, outer: outer)
        } else {
            plan = .values(Values(columns: [], rows: [[]]))
            scope = NameScope(outer: outer)
        }

        // WHERE
        if let whereClause = core.whereClause {
            let predicate = try bindCondition(whereClause, construct: "WHERE",
                                              ExpressionContext(scope: scope, clause: "WHERE"))
            plan = .filter(Filter(input: plan, predicate: predicate))
        }

        // The select list, with `*` expanded.
        var entries: [SelectEntry] = []
        for item in core.items {
            switch item {
            case .expression(let expression, let alias):
                entries.append(.expression(expression, alias: alias))
            case .wildcard(let location):
                if core.from.isEmpty {
                    throw BindError("SELECT * with no tables specified is not valid", location: location)
                }
                entries += scope.wildcardColumns.map { .column($0, location: location) }
            case .qualifiedWildcard(let name):
                let columns = try scope.wildcardColumns(of: name.baseName, location: name.location)
                entries += columns.map { .column($0, location: name.location) }
            }
        }
        let names = entries.map(entryName)
        let orderBy = orderByAll.map { Self.orderByAllItems($0, columnCount: entries.count) } ?? explicitOrderBy

        // GROUP BY keys.
        var groupKeys: [ProjectionItem] = []
        var groupingExpressions: [BoundExpression] = []
        if core.groupsByAll {
            let windowDefinitions = try resolveWindowDefinitions(core.windows)
            groupingExpressions = try groupByAllKeys(entries, windows: windowDefinitions, scope: scope)
        } else {
            for expression in core.groupBy {
                groupingExpressions.append(try bindGroupingKey(expression, entries: entries, scope: scope))
            }
        }
        for key in groupingExpressions {
            if !groupKeys.contains(where: { $0.expression == key }) {
                let name: String
                if case .column(let column) = key { name = column.name } else { name = "?column?" }
                groupKeys.append(ProjectionItem(output: newColumn(name, key.dataType, isNullable: mayBeNull(key)),
                                                expression: key))
            }
        }

        // Select list, HAVING and ORDER BY, collecting aggregates.
        let aggregates = AggregateCollector()
        let references = ReferenceLog()
        var selectContext = ExpressionContext(scope: scope, clause: "SELECT", aggregates: aggregates,
                                              references: references)
        let windows = WindowCollector()
        windows.definitions = try resolveWindowDefinitions(core.windows)
        selectContext.windows = windows
        var expressions: [BoundExpression] = []
        for entry in entries {
            switch entry {
            case .expression(let expression, _):
                expressions.append(try bindExpression(expression, selectContext))
            case .column(let column, let location):
                references.record(column, at: location)
                expressions.append(.column(column.column))
            }
        }
        var havingContext = selectContext
        havingContext.clause = "HAVING"
        havingContext.windows = nil
        var having = try core.having.map { try bindCondition($0, construct: "HAVING", havingContext) }
        var orderContext = selectContext
        orderContext.clause = "ORDER BY"
        var targets: [(target: OrderTarget, item: OrderByItem)] = []
        for item in orderBy {
            let target = try orderTarget(item.expression, names: names, expressions: expressions, orderContext)
            targets.append((target, item))
        }

        // Aggregate, then rewrite the later clauses in terms of its output.
        if !groupKeys.isEmpty || !aggregates.calls.isEmpty || having != nil {
            plan = .aggregate(Aggregate(input: plan, groupKeys: groupKeys, aggregates: aggregates.calls))
            let rewriter = GroupingRewriter(
                keys: groupKeys, levelColumnIDs: scope.columnIDs, references: references, location: core.location)
            expressions = try expressions.map(rewriter.rewrite)
            having = try having.map(rewriter.rewrite)
            windows.calls = try windows.calls.map { try $0.mappingExpressions(rewriter.rewrite) }
            for index in targets.indices {
                if case .hidden(let expression) = targets[index].target {
                    targets[index].target = .hidden(try rewriter.rewrite(expression))
                }
            }
        }
        if let having {
            plan = .filter(Filter(input: plan, predicate: having))
        }
        if !windows.calls.isEmpty {
            plan = .window(Window(input: plan, functions: windows.calls))
        }

        // Projection (with hidden ORDER BY columns), DISTINCT, ORDER BY, LIMIT.
        var items: [ProjectionItem] = []
        for (expression, name) in zip(expressions, names) {
            items.append(ProjectionItem(output: newColumn(name, expression.dataType, isNullable: mayBeNull(expression)),
                                        expression: expression))
        }
        var keys: [SortKey] = []
        var hiddenCount = 0
        for (target, item) in targets {
            let output: PlanColumn
            switch target {
            case .entry(let index):
                output = items[index].output
            case .hidden(let expression):
                if core.isDistinct {
                    throw BindError("for SELECT DISTINCT, ORDER BY expressions must appear in select list",
                                    location: item.expression.location)
                }
                if let existing = items.dropFirst(entries.count).first(where: { $0.expression == expression }) {
                    output = existing.output
                } else {
                    output = newColumn("?column?", expression.dataType, isNullable: mayBeNull(expression))
                    items.append(ProjectionItem(output: output, expression: expression))
                    hiddenCount += 1
                }
            }
            keys.append(SortKey(expression: .column(output), isAscending: item.isAscending,
                                nullsFirst: nullsFirst(for: item)))
        }
        plan = .projection(Projection(input: plan, items: items))
        if core.isDistinct {
            plan = .distinct(Distinct(input: plan))
        }
        if !keys.isEmpty {
            plan = .sort(Sort(input: plan, keys: keys))
        }
        plan = try applyLimit(plan, limit: limit, offset: offset)
        if hiddenCount > 0 {
            plan = dropping(hiddenCount: hiddenCount, from: plan)
        }
        return plan
    }

    /// The keys of `GROUP BY ALL`: every select-list item that computes no aggregate and no window function
    /// (DuckDB's rule), in select-list order. Each item is bound once on the side to find out.
    private mutating func groupByAllKeys(_ entries: [SelectEntry], windows: [String: WindowSpecification],
                                         scope: NameScope) throws -> [BoundExpression] {
        var keys: [BoundExpression] = []
        for entry in entries {
            switch entry {
            case .column(let column, _):
                keys.append(.column(column.column))
            case .expression(let expression, _):
                let aggregates = AggregateCollector()
                var context = ExpressionContext(scope: scope, clause: "SELECT", aggregates: aggregates,
                                                references: ReferenceLog())
                let windowCalls = WindowCollector()
                windowCalls.definitions = windows
                context.windows = windowCalls
                let bound = try bindExpression(expression, context)
                if aggregates.calls.isEmpty, windowCalls.calls.isEmpty { keys.append(bound) }
            }
        }
        return keys
    }

    /// The output name of a select-list entry: its alias, a column's name, a function's name, or `?column?`.
    private func entryName(_ entry: SelectEntry) -> String {
        switch entry {
        case .column(let column, _):
            return column.name
        case .expression(let expression, let alias):
            return alias?.value ?? derivedName(expression)
        }
    }

    /// A GROUP BY item: a select-list position (`GROUP BY 1`), an input column, a select-list alias, or an
    /// expression over the input.
    private mutating func bindGroupingKey(_ expression: SyntaxExpression, entries: [SelectEntry],
                                          scope: NameScope) throws -> BoundExpression {
        let context = ExpressionContext(scope: scope, clause: "GROUP BY")
        func bindEntry(_ entry: SelectEntry) throws -> BoundExpression {
            switch entry {
            case .expression(let expression, _): return try bindExpression(expression, context)
            case .column(let column, _): return .column(column.column)
            }
        }
        if case .literal(.integer(let digits)) = expression.kind {
            guard let position = Int(digits), position >= 1, position <= entries.count else {
                throw BindError("GROUP BY position \(digits) is not in select list", location: expression.location)
            }
            return try bindEntry(entries[position - 1])
        }
        // An input column wins over a select-list alias of the same name (as in PostgreSQL).
        if case .column(let parts) = expression.kind, parts.count == 1,
           !scope.columns.contains(where: { $0.isVisibleUnqualified && $0.name == parts[0].value }),
           let entry = entries.first(where: {
               if case .expression(_, let alias) = $0 { return alias?.value == parts[0].value }
               return false
           }) {
            return try bindEntry(entry)
        }
        return try bindExpression(expression, context)
    }

    /// Resolves an ORDER BY item of a SELECT: a position, an output column name, or an expression over the input
    /// (matched against the select list, else hidden).
    private mutating func orderTarget(_ expression: SyntaxExpression, names: [String],
                                      expressions: [BoundExpression], _ context: ExpressionContext) throws -> OrderTarget {
        if let position = try orderByPosition(expression, count: names.count) {
            return .entry(position)
        }
        if case .column(let parts) = expression.kind, parts.count == 1 {
            let matches = names.indices.filter { names[$0] == parts[0].value }
            if let first = matches.first {
                if matches.contains(where: { expressions[$0] != expressions[first] }) {
                    throw BindError("ORDER BY \"\(parts[0].value)\" is ambiguous", location: expression.location)
                }
                return .entry(first)
            }
        }
        let bound = try bindExpression(expression, context)
        if let index = expressions.firstIndex(of: bound) {
            return .entry(index)
        }
        return .hidden(bound)
    }
}

/// Rewrites expressions bound over a SELECT's input into expressions over its Aggregate's output: group key
/// expressions become key columns, and any other column of the input is an error.
struct GroupingRewriter {
    let keys: [ProjectionItem]
    /// The columns of the level's FROM clause (those that must be grouped).
    let levelColumnIDs: Set<ColumnID>
    let references: ReferenceLog
    /// Where to report an ungrouped column whose reference was not logged.
    let location: SourceLocation

    func rewrite(_ expression: BoundExpression) throws -> BoundExpression {
        if let key = keys.first(where: { $0.expression == expression }) {
            return .column(key.output)
        }
        switch expression {
        case .column(let column):
            if levelColumnIDs.contains(column.id) { throw ungrouped(column) }
            return expression
        case .literal:
            return expression
        case .function(let function, let arguments, let type):
            return .function(function, try arguments.map(rewrite), type)
        case .cast(let operand, let type):
            return .cast(try rewrite(operand), type)
        case .and(let operands):
            return .and(try operands.map(rewrite))
        case .or(let operands):
            return .or(try operands.map(rewrite))
        case .not(let operand):
            return .not(try rewrite(operand))
        case .caseWhen(let whens, let elseResult, let type):
            let branches = try whens.map {
                CaseBranch(condition: try rewrite($0.condition), result: try rewrite($0.result))
            }
            return .caseWhen(whens: branches, elseResult: try rewrite(elseResult), type)
        case .inList(let operand, let list, let isNegated):
            return .inList(try rewrite(operand), try list.map(rewrite), isNegated: isNegated)
        case .subquery(var subquery):
            subquery.operand = try subquery.operand.map(rewrite)
            var mapping: [ColumnID: PlanColumn] = [:]
            for column in subquery.correlatedColumns where levelColumnIDs.contains(column.id) {
                guard let key = keys.first(where: { $0.expression == .column(column) }) else {
                    throw ungrouped(column)
                }
                mapping[column.id] = key.output
            }
            if !mapping.isEmpty {
                subquery.plan = replacingColumns(in: subquery.plan, mapping)
                subquery.correlatedColumns = subquery.correlatedColumns.map { mapping[$0.id] ?? $0 }
            }
            return .subquery(subquery)
        }
    }

    private func ungrouped(_ column: PlanColumn) -> BindError {
        let entry = references.entries[column.id]
        return BindError(
            "column \"\(entry?.name ?? column.name)\" must appear in the GROUP BY clause or be used in an aggregate function",
            location: entry?.location ?? location)
    }
}
