import LogicalPlan

// Whole-plan helpers: replacing column references everywhere (also inside subqueries' plans) and finding the
// outer columns a subquery reads.

/// The expression with references to the columns in `mapping` replaced, also inside subqueries.
func replacingColumns(in expression: BoundExpression, _ mapping: [ColumnID: PlanColumn]) -> BoundExpression {
    expression.transformed { node in
        switch node {
        case .column(let column):
            return mapping[column.id].map { .column($0) } ?? node
        case .subquery(var subquery):
            subquery.operand = subquery.operand.map { replacingColumns(in: $0, mapping) }
            subquery.plan = replacingColumns(in: subquery.plan, mapping)
            subquery.correlatedColumns = subquery.correlatedColumns.map { mapping[$0.id] ?? $0 }
            return .subquery(subquery)
        default:
            return node
        }
    }
}

/// The plan with references to the columns in `mapping` replaced in every node's expressions.
func replacingColumns(in plan: LogicalPlan, _ mapping: [ColumnID: PlanColumn]) -> LogicalPlan {
    mappingExpressions(in: plan) { replacingColumns(in: $0, mapping) }
}

/// The plan with `transform` applied to every expression of every node (not descending into subqueries' plans
/// by itself).
func mappingExpressions(in plan: LogicalPlan, _ transform: (BoundExpression) -> BoundExpression) -> LogicalPlan {
    plan.transformedUp { node in
        switch node {
        case .scan(var scan):
            scan.filters = scan.filters.map(transform)
            return .scan(scan)
        case .values(var values):
            values.rows = values.rows.map { $0.map(transform) }
            return .values(values)
        case .filter(var filter):
            filter.predicate = transform(filter.predicate)
            return .filter(filter)
        case .projection(var projection):
            for index in projection.items.indices {
                projection.items[index].expression = transform(projection.items[index].expression)
            }
            return .projection(projection)
        case .aggregate(var aggregate):
            for index in aggregate.groupKeys.indices {
                aggregate.groupKeys[index].expression = transform(aggregate.groupKeys[index].expression)
            }
            for index in aggregate.aggregates.indices {
                var call = aggregate.aggregates[index]
                call.arguments = call.arguments.map(transform)
                call.filter = call.filter.map(transform)
                for keyIndex in call.orderBy.indices {
                    call.orderBy[keyIndex].expression = transform(call.orderBy[keyIndex].expression)
                }
                aggregate.aggregates[index] = call
            }
            return .aggregate(aggregate)
        case .join(var join):
            join.condition = join.condition.map(transform)
            return .join(join)
        case .sort(var sort):
            for index in sort.keys.indices {
                sort.keys[index].expression = transform(sort.keys[index].expression)
            }
            return .sort(sort)
        case .window(var window):
            window.functions = window.functions.map { $0.mappingExpressions(transform) }
            return .window(window)
        case .limit, .distinct, .setOperation, .recursiveCTE, .workingTableScan, .materializedCTE:
            return node
        }
    }
}

/// Every expression held directly by a plan node.
private func expressions(of plan: LogicalPlan) -> [BoundExpression] {
    switch plan {
    case .scan(let scan): return scan.filters
    case .values(let values): return values.rows.flatMap { $0 }
    case .filter(let filter): return [filter.predicate]
    case .projection(let projection): return projection.items.map(\.expression)
    case .aggregate(let aggregate):
        var result = aggregate.groupKeys.map(\.expression)
        for call in aggregate.aggregates {
            result += call.arguments
            if let filter = call.filter { result.append(filter) }
            result += call.orderBy.map(\.expression)
        }
        return result
    case .join(let join): return join.condition.map { [$0] } ?? []
    case .sort(let sort): return sort.keys.map(\.expression)
    case .window(let window): return window.functions.flatMap(\.expressions)
    case .limit, .distinct, .setOperation, .recursiveCTE, .workingTableScan, .materializedCTE: return []
    }
}

/// The columns a plan reads that no node inside it produces: the outer columns a subquery is correlated with,
/// in order of first reference.
func outerReferences(of plan: LogicalPlan) -> [PlanColumn] {
    var produced = Set<ColumnID>()
    var referenced: [PlanColumn] = []
    var seen = Set<ColumnID>()
    func reference(_ column: PlanColumn) {
        if seen.insert(column.id).inserted { referenced.append(column) }
    }
    func visitExpression(_ expression: BoundExpression) {
        _ = expression.transformed { node in
            switch node {
            case .column(let column):
                reference(column)
            case .subquery(let subquery):
                if let operand = subquery.operand { visitExpression(operand) }
                subquery.correlatedColumns.forEach(reference)
            default:
                break
            }
            return node
        }
    }
    func visit(_ node: LogicalPlan) {
        for column in node.columns { produced.insert(column.id) }
        if case .join(let join) = node, case .mark(let marker) = join.kind { produced.insert(marker.id) }
        if case .aggregate(let aggregate) = node {
            for call in aggregate.aggregates { produced.insert(call.output.id) }
        }
        expressions(of: node).forEach(visitExpression)
        node.children.forEach(visit)
    }
    visit(plan)
    return referenced.filter { !produced.contains($0.id) }
}

/// Whether a column of an expression's result may be NULL.
func mayBeNull(_ expression: BoundExpression) -> Bool {
    switch expression {
    case .column(let column): return column.isNullable
    case .literal(let value, _): return value.isNull
    case .function(let function, let arguments, _):
        switch function {
        case .isNull, .isNotNull, .isDistinctFrom, .isNotDistinctFrom, .isTrue, .isFalse, .isNotTrue, .isNotFalse:
            return false
        case .coalesce:
            return arguments.allSatisfy(mayBeNull)
        case .divide, .modulo, .nullIf, .sqrt, .power:
            return true
        default:
            return arguments.contains(where: mayBeNull)
        }
    case .cast(let operand, _): return mayBeNull(operand)
    case .not(let operand): return mayBeNull(operand)
    case .and(let operands), .or(let operands): return operands.contains(where: mayBeNull)
    case .caseWhen(let whens, let elseResult, _):
        return mayBeNull(elseResult) || whens.contains { mayBeNull($0.result) }
    case .inList(let operand, let list, _): return mayBeNull(operand) || list.contains(where: mayBeNull)
    case .subquery(let subquery):
        if case .exists = subquery.kind { return false }
        return true
    }
}
