import Catalog
import Columnar
import LogicalPlan
import SQLSyntax

/// A bound FROM item: its plan and the names its columns go by.
struct BoundRelation {
    var plan: LogicalPlan
    var columns: [ScopeColumn]
    /// The table names and aliases it introduces.
    var relationNames: [String]

    /// Marks every column as possibly NULL (the padded side of an outer join).
    mutating func makeNullable() {
        for index in columns.indices {
            columns[index].column.isNullable = true
        }
    }
}

extension Binder {
    /// Binds a FROM list (a comma list is a chain of cross joins); nil when there is no FROM clause. A `LATERAL`
    /// item sees the items before it.
    mutating func bindFrom(_ items: [TableReference], outer: NameScope?) throws -> BoundRelation? {
        var result: BoundRelation?
        for item in items {
            let relation = try bindTableReference(item, outer: outer, preceding: result)
            if let left = result {
                try checkDistinctRelationNames(left, relation, location: tableReferenceLocation(item))
                result = BoundRelation(
                    plan: .join(PlanJoin(kind: .cross, left: left.plan, right: relation.plan, condition: nil)),
                    columns: left.columns + relation.columns,
                    relationNames: left.relationNames + relation.relationNames)
            } else {
                result = relation
            }
        }
        return result
    }

    /// Binds one FROM item. `preceding` is what a `LATERAL` subquery may refer to: the FROM items before it (in a
    /// join, its left side).
    mutating func bindTableReference(_ reference: TableReference, outer: NameScope?,
                                     preceding: BoundRelation? = nil) throws -> BoundRelation {
        switch reference {
        case .table(let name, let alias):
            return try bindNamedRelation(name, alias: alias)
        case .subquery(let query, let alias, let isLateral, _):
            // A lateral subquery is correlated with the items before it: its plan reads their columns as outer
            // references, and the join over it becomes a dependent join, which the optimizer unnests.
            var scope = outer
            if isLateral, let preceding {
                scope = NameScope(columns: preceding.columns, relationNames: preceding.relationNames, outer: outer)
            }
            let plan = try bindQuery(query, outer: scope)
            return try relation(plan, names: plan.columns.map(\.name), qualifier: nil, alias: alias)
        case .function(let name, let arguments, let alias):
            return try bindTableFunction(name, arguments: arguments, alias: alias)
        case .join(let join):
            return try bindJoin(join, outer: outer, preceding: preceding)
        }
    }

    /// A relation over `plan`, its columns named `names`, qualified by the alias (renaming columns as the alias's
    /// column list says) or else by `qualifier`.
    func relation(_ plan: LogicalPlan, names: [String], qualifier: String?, alias: TableAlias?) throws -> BoundRelation {
        var names = names
        let qualifier = alias?.name.value ?? qualifier
        if let alias, !alias.columns.isEmpty {
            guard alias.columns.count <= names.count else {
                throw BindError(
                    "table \"\(alias.name.value)\" has \(names.count) columns available but \(alias.columns.count) "
                        + "columns specified", location: alias.name.location)
            }
            for (index, column) in alias.columns.enumerated() {
                names[index] = column.value
            }
        }
        let columns = zip(plan.columns, names).map { column, name in
            ScopeColumn(name: name, qualifier: qualifier, column: column)
        }
        return BoundRelation(plan: plan, columns: columns, relationNames: qualifier.map { [$0] } ?? [])
    }

    /// A table, view or common table expression by name.
    private mutating func bindNamedRelation(_ name: QualifiedName, alias: TableAlias?) throws -> BoundRelation {
        if let workingTable = try bindWorkingTable(name, alias: alias) {
            return workingTable
        }
        if name.parts.count == 1,
           let index = commonTableExpressions.lastIndex(where: { $0.name == name.baseName }) {
            commonTableExpressions[index].referenceCount += 1
            let entry = commonTableExpressions[index]
            var columns: [PlanColumn] = []
            for (columnName, column) in zip(entry.columnNames, entry.plan.columns) {
                columns.append(newColumn(columnName, column.dataType, isNullable: column.isNullable))
            }
            let scan = WorkingTableScan(name: entry.name, workingTable: entry.workingTable, columns: columns)
            return try relation(.workingTableScan(scan), names: entry.columnNames, qualifier: entry.name, alias: alias)
        }
        let identifier = try tableIdentifier(name)
        if let table = try catalog.table(identifier) {
            var columns: [PlanColumn] = []
            for column in table.columns {
                columns.append(newColumn(column.name, column.dataType, isNullable: column.isNullable))
            }
            let scan = Scan(source: .table(table), columns: columns, columnIndices: Array(table.columns.indices))
            return try relation(.scan(scan), names: table.columns.map(\.name), qualifier: identifier.name, alias: alias)
        }
        if let view = try catalog.view(identifier) {
            let plan = try expandView(view, location: name.location)
            var names = plan.columns.map(\.name)
            for (position, column) in view.columnNames.enumerated() where position < names.count {
                names[position] = column
            }
            return try relation(plan, names: names, qualifier: identifier.name, alias: alias)
        }
        throw try relationDoesNotExist(name)
    }

    /// Parses and binds a view's SQL, in a scope of its own.
    private mutating func expandView(_ view: ViewDefinition, location: SourceLocation) throws -> LogicalPlan {
        guard !viewsBeingExpanded.contains(view.identifier) else {
            throw BindError("infinite recursion detected in view \"\(view.identifier)\"", location: location)
        }
        let statement: Statement
        do {
            statement = try Parser.parseStatement(view.sql)
        } catch {
            throw BindError("view \"\(view.identifier)\" cannot be parsed: \(error.message)", location: location)
        }
        guard case .query(let query) = statement.kind else {
            throw BindError("view \"\(view.identifier)\" is not defined by a query", location: location)
        }
        let savedCommonTableExpressions = commonTableExpressions, savedWorkingTables = workingTables
        commonTableExpressions = []
        workingTables = []
        viewsBeingExpanded.append(view.identifier)
        defer {
            commonTableExpressions = savedCommonTableExpressions
            workingTables = savedWorkingTables
            viewsBeingExpanded.removeLast()
        }
        do {
            return try bindQuery(query, outer: nil)
        } catch let error as BindError {
            throw BindError("in view \"\(view.identifier)\": \(error.message)", location: location, hint: error.hint)
        }
    }

    /// `read_csv('path' [, header = true] [, delim = ','] [, quote = '"'] [, escape = '"'] [, nullstr = ''])`.
    private mutating func bindTableFunction(_ name: QualifiedName, arguments: [SyntaxExpression],
                                            alias: TableAlias?) throws -> BoundRelation {
        let functionName = name.baseName.lowercased()
        if functionName == "read_arrow" {
            return try bindReadArrow(name, arguments: arguments, alias: alias)
        }
        if functionName == "generate_series" || functionName == "range" {
            return try bindIntegerSeries(name, arguments: arguments, alias: alias)
        }
        guard functionName == "read_csv" || functionName == "read_csv_auto" else {
            throw BindError("table function \(name.dottedName) does not exist", location: name.location,
                            hint: nearestName(to: functionName, among: ["read_csv", "read_arrow", "generate_series", "range"]).map { "did you mean \"\($0)\"?" })
        }
        guard let first = arguments.first, case .literal(.string(let path)) = first.kind else {
            throw BindError("read_csv needs a file path as its first argument", location: arguments.first?.location
                                ?? name.location)
        }
        var options = CSVOptions()
        var isHeaderGiven = false
        for argument in arguments.dropFirst() {
            guard case .binary(.equal, let nameExpression, let valueExpression) = argument.kind,
                  case .column(let parts) = nameExpression.kind, parts.count == 1,
                  case .literal(let value) = valueExpression.kind else {
                throw BindError("read_csv options are written name = constant", location: argument.location)
            }
            try applyCSVOption(parts[0].value, value: value, to: &options, location: parts[0].location)
            isHeaderGiven = isHeaderGiven || parts[0].value.lowercased() == "header"
        }
        let schema: Schema
        do {
            if isHeaderGiven {
                schema = try CSVReader.inferSchema(path: path, options: options)
            } else {
                // Without `header = ...`, detect whether the first line names the columns (as DuckDB does).
                let sniffed = try CSVReader.sniff(path: path, options: options)
                options.hasHeader = sniffed.hasHeader
                schema = sniffed.schema
            }
        } catch let error as CSVError {
            throw BindError(error.description, location: first.location)
        } catch {
            throw BindError("could not read \"\(path)\": \(error)", location: first.location)
        }
        var columns: [PlanColumn] = []
        for field in schema.fields {
            columns.append(newColumn(field.name, field.dataType, isNullable: field.isNullable))
        }
        let scan = Scan(source: .csvFile(path: path, options: options, schema: schema), columns: columns,
                        columnIndices: Array(schema.fields.indices))
        return try relation(.scan(scan), names: schema.fields.map(\.name), qualifier: functionName, alias: alias)
    }

    // MARK: - Joins

    private mutating func bindJoin(_ join: SyntaxJoin, outer: NameScope?,
                                   preceding: BoundRelation?) throws -> BoundRelation {
        var left = try bindTableReference(join.left, outer: outer, preceding: preceding)
        var right = try bindTableReference(join.right, outer: outer, preceding: left)
        try checkDistinctRelationNames(left, right, location: tableReferenceLocation(join.right))
        if join.kind == .right || join.kind == .full {
            let leftIDs = Set(left.columns.map(\.column.id))
            if outerReferences(of: right.plan).contains(where: { leftIDs.contains($0.id) }) {
                throw BindError("the combining JOIN type must be INNER or LEFT for a LATERAL reference",
                                location: tableReferenceLocation(join.right))
            }
        }
        let kind: PlanJoinKind
        switch join.kind {
        case .inner: kind = .inner
        case .left: kind = .left
        case .right: kind = .right
        case .full: kind = .full
        case .cross: kind = .cross
        }
        // The columns of an outer join's padded side may be NULL whatever the table says.
        if join.kind == .left || join.kind == .full { right.makeNullable() }
        if join.kind == .right || join.kind == .full { left.makeNullable() }
        switch join.condition {
        case .none:
            return BoundRelation(
                plan: .join(PlanJoin(kind: kind == .inner ? .cross : kind, left: left.plan, right: right.plan,
                                     condition: nil)),
                columns: left.columns + right.columns, relationNames: left.relationNames + right.relationNames)
        case .on(let condition):
            let scope = NameScope(columns: left.columns + right.columns,
                                  relationNames: left.relationNames + right.relationNames, outer: outer)
            let bound = try bindCondition(condition, construct: "JOIN/ON",
                                          ExpressionContext(scope: scope, clause: "JOIN conditions"))
            return BoundRelation(
                plan: .join(PlanJoin(kind: kind == .cross ? .inner : kind, left: left.plan, right: right.plan,
                                     condition: bound)),
                columns: left.columns + right.columns, relationNames: left.relationNames + right.relationNames)
        case .using(let names):
            return try bindUsingJoin(kind: kind, left: left, right: right, names: names, location: join.location)
        case .natural:
            let rightNames = Set(right.columns.filter(\.isVisibleUnqualified).map(\.name))
            var common: [Identifier] = []
            for column in left.columns where column.isVisibleUnqualified && rightNames.contains(column.name) {
                if !common.contains(where: { $0.value == column.name }) {
                    common.append(Identifier(value: column.name, location: join.location))
                }
            }
            if common.isEmpty {
                return BoundRelation(
                    plan: .join(PlanJoin(kind: kind == .inner ? .cross : kind, left: left.plan, right: right.plan,
                                         condition: kind == .inner ? nil : .literal(.boolean(true), .boolean))),
                    columns: left.columns + right.columns, relationNames: left.relationNames + right.relationNames)
            }
            return try bindUsingJoin(kind: kind, left: left, right: right, names: common, location: join.location)
        }
    }

    /// `JOIN ... USING (a, b)`: equality of the named columns; each appears once in `*`, as the left column (inner,
    /// left join), the right one (right join), or `coalesce(left, right)` (full join).
    private mutating func bindUsingJoin(kind: PlanJoinKind, left: BoundRelation, right: BoundRelation,
                                        names: [Identifier], location: SourceLocation) throws -> BoundRelation {
        var conditions: [BoundExpression] = []
        var pairs: [(name: String, left: ScopeColumn, right: ScopeColumn, type: DataType)] = []
        for name in names {
            if pairs.contains(where: { $0.name == name.value }) {
                throw BindError("column \"\(name.value)\" appears more than once in USING clause",
                                location: name.location)
            }
            func find(_ side: BoundRelation, _ sideName: String) throws -> ScopeColumn {
                let matches = side.columns.filter { $0.isVisibleUnqualified && $0.name == name.value }
                guard let match = matches.first else {
                    throw BindError("column \"\(name.value)\" specified in USING clause does not exist in \(sideName) table",
                                    location: name.location)
                }
                guard matches.count == 1 else {
                    throw BindError("common column name \"\(name.value)\" appears more than once in \(sideName) table",
                                    location: name.location)
                }
                return match
            }
            let leftColumn = try find(left, "left"), rightColumn = try find(right, "right")
            let equality = try comparison(.equal, .column(leftColumn.column), at: name.location,
                                          .column(rightColumn.column), at: name.location, location: name.location)
            conditions.append(equality)
            guard case .function(_, let operands, _) = equality, let type = operands.first?.dataType else {
                throw BindError("cannot join on column \"\(name.value)\"", location: name.location)
            }
            pairs.append((name.value, leftColumn, rightColumn, type))
        }
        var plan = LogicalPlan.join(PlanJoin(
            kind: kind == .cross ? .inner : kind, left: left.plan, right: right.plan,
            condition: BoundExpression.conjunction(conditions)))
        var sideColumns = left.columns + right.columns
        let usedIDs = Set(pairs.flatMap { [$0.left.column.id, $0.right.column.id] })
        for index in sideColumns.indices where usedIDs.contains(sideColumns[index].column.id) {
            sideColumns[index].isVisibleUnqualified = false
            sideColumns[index].isInWildcard = false
        }
        // The merged columns: a side's column when it has the joined type, else computed by a projection.
        var mergedExpressions: [BoundExpression] = []
        var needsProjection = false
        for pair in pairs {
            let expression: BoundExpression
            switch kind {
            case .full:
                expression = .function(.coalesce, [
                    try coerce(.column(pair.left.column), to: pair.type, at: location),
                    try coerce(.column(pair.right.column), to: pair.type, at: location),
                ], pair.type)
            case .right:
                expression = try coerce(.column(pair.right.column), to: pair.type, at: location)
            default:
                expression = try coerce(.column(pair.left.column), to: pair.type, at: location)
            }
            if case .column = expression {} else { needsProjection = true }
            mergedExpressions.append(expression)
        }
        var mergedColumns: [ScopeColumn] = []
        if needsProjection {
            var items: [ProjectionItem] = []
            var mapping: [ColumnID: PlanColumn] = [:]
            // The sides' columns as the scope holds them (with outer-join nullability).
            var sideColumnByID: [ColumnID: PlanColumn] = [:]
            for column in sideColumns { sideColumnByID[column.column.id] = column.column }
            for planColumn in plan.columns {
                let column = sideColumnByID[planColumn.id] ?? planColumn
                let output = newColumn(column.name, column.dataType, isNullable: column.isNullable)
                mapping[column.id] = output
                items.append(ProjectionItem(output: output, expression: .column(column)))
            }
            for (pair, expression) in zip(pairs, mergedExpressions) {
                let output: PlanColumn
                if case .column(let column) = expression, let mapped = mapping[column.id] {
                    output = mapped
                } else {
                    output = newColumn(pair.name, pair.type, isNullable: true)
                    items.append(ProjectionItem(output: output, expression: expression))
                }
                mergedColumns.append(ScopeColumn(name: pair.name, qualifier: nil, column: output))
            }
            plan = .projection(Projection(input: plan, items: items))
            for index in sideColumns.indices {
                if let mapped = mapping[sideColumns[index].column.id] {
                    sideColumns[index].column = mapped
                }
            }
        } else {
            for (pair, expression) in zip(pairs, mergedExpressions) {
                guard case .column(let column) = expression else { continue }
                mergedColumns.append(ScopeColumn(name: pair.name, qualifier: nil, column: column))
            }
        }
        return BoundRelation(plan: plan, columns: mergedColumns + sideColumns,
                             relationNames: left.relationNames + right.relationNames)
    }

    /// Throws when two FROM items have the same name (`table name "t" specified more than once`).
    private func checkDistinctRelationNames(_ left: BoundRelation, _ right: BoundRelation,
                                            location: SourceLocation) throws {
        for name in right.relationNames where left.relationNames.contains(name) {
            throw BindError("table name \"\(name)\" specified more than once", location: location)
        }
    }

    /// Where a FROM item starts.
    private func tableReferenceLocation(_ reference: TableReference) -> SourceLocation {
        switch reference {
        case .table(let name, let alias): return alias?.name.location ?? name.location
        case .subquery(_, let alias, _, let location): return alias?.name.location ?? location
        case .function(let name, _, let alias): return alias?.name.location ?? name.location
        case .join(let join): return tableReferenceLocation(join.left)
        }
    }
}
