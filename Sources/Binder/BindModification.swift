import Catalog
import Columnar
import LogicalPlan
import SQLSyntax

extension Binder {
    // MARK: - UPDATE / DELETE

    mutating func bindUpdate(_ update: Update) throws -> BoundStatement {
        let target = try bindModificationTarget(update.table, alias: update.alias, command: "UPDATE")
        let condition = try update.whereClause.map {
            try bindCondition($0, construct: "WHERE", ExpressionContext(scope: target.scope, clause: "WHERE"))
        }
        let table = target.table
        var newValues: [Int: BoundExpression] = [:]
        for assignment in update.assignments {
            let name = assignment.column.value
            guard let index = table.columns.firstIndex(where: { $0.name == name }) else {
                throw BindError(
                    "column \"\(name)\" of relation \"\(table.identifier)\" does not exist",
                    location: assignment.column.location,
                    hint: nearestName(to: name, among: table.columns.map(\.name)).map { "did you mean \"\($0)\"?" })
            }
            guard newValues[index] == nil else {
                throw BindError("multiple assignments to same column \"\(name)\"", location: assignment.column.location)
            }
            let column = table.columns[index]
            let value = try bindExpression(assignment.value, ExpressionContext(scope: target.scope, clause: "UPDATE"))
            newValues[index] = try assignmentValue(value, toColumn: name, of: column.dataType, at: assignment.value.location)
        }
        var items: [ProjectionItem] = []
        for (index, column) in table.columns.enumerated() {
            let old = BoundExpression.column(target.scanColumns[index])
            var expression = old
            if let value = newValues[index] {
                if let condition {
                    expression = .caseWhen(whens: [CaseBranch(condition: condition, result: value)], elseResult: old,
                                           column.dataType)
                } else {
                    expression = value
                }
            }
            items.append(ProjectionItem(output: newColumn(column.name, column.dataType, isNullable: column.isNullable),
                                        expression: expression))
        }
        let rewrite = LogicalPlan.projection(Projection(input: target.plan, items: items))
        return .update(BoundTableModification(kind: .update, table: table, matchCount: condition.map { matchCount(target.plan, $0) },
                                              rewrite: rewrite, targetColumns: Set(target.scanColumns.map(\.id)),
                                              assignedColumns: Set(newValues.keys)))
    }

    mutating func bindDelete(_ delete: Delete) throws -> BoundStatement {
        let target = try bindModificationTarget(delete.table, alias: delete.alias, command: "DELETE")
        guard let whereClause = delete.whereClause else {
            return .delete(BoundTableModification(kind: .delete, table: target.table, matchCount: nil, rewrite: nil,
                                                  targetColumns: Set(target.scanColumns.map(\.id))))
        }
        let condition = try bindCondition(whereClause, construct: "WHERE",
                                          ExpressionContext(scope: target.scope, clause: "WHERE"))
        // The rows that stay: those where the condition is false or NULL.
        let remaining = LogicalPlan.filter(Filter(input: target.plan,
                                                  predicate: .function(.isNotTrue, [condition], .boolean)))
        return .delete(BoundTableModification(kind: .delete, table: target.table,
                                              matchCount: matchCount(target.plan, condition), rewrite: remaining,
                                              targetColumns: Set(target.scanColumns.map(\.id))))
    }

    /// The table of an UPDATE or DELETE: a scan of all its columns and the scope naming them.
    private mutating func bindModificationTarget(_ name: QualifiedName, alias: Identifier?, command: String) throws
        -> (table: TableDefinition, plan: LogicalPlan, scanColumns: [PlanColumn], scope: NameScope) {
        let identifier = try tableIdentifier(name)
        guard let table = try catalog.table(identifier) else {
            if try catalog.view(identifier) != nil {
                throw BindError("cannot \(command.lowercased()) view \"\(identifier)\"", location: name.location,
                                hint: "\(command) works on tables only.")
            }
            throw try relationDoesNotExist(name)
        }
        let columns = table.columns.map { newColumn($0.name, $0.dataType, isNullable: $0.isNullable) }
        let plan = LogicalPlan.scan(Scan(source: .table(table), columns: columns, columnIndices: Array(table.columns.indices)))
        let relation = try relation(plan, names: table.columns.map(\.name), qualifier: identifier.name,
                                    alias: alias.map { TableAlias(name: $0, columns: []) })
        let scope = NameScope(columns: relation.columns, relationNames: relation.relationNames, outer: nil)
        return (table, plan, columns, scope)
    }

    /// `SELECT count(*) FROM input WHERE condition`.
    private mutating func matchCount(_ input: LogicalPlan, _ condition: BoundExpression) -> LogicalPlan {
        let count = AggregateCall(function: .countStar, arguments: [], output: newColumn("count", .int64, isNullable: false))
        return .aggregate(Aggregate(input: .filter(Filter(input: input, predicate: condition)), groupKeys: [],
                                    aggregates: [count]))
    }
}
