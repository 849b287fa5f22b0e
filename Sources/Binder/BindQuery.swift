import Columnar
import LogicalPlan
import SQLSyntax

extension Binder {
    /// Binds a query: its WITH clause, its body, ORDER BY and LIMIT/OFFSET. `outer` is the scope of the enclosing
    /// query, for correlated subqueries.
    mutating func bindQuery(_ query: Query, outer: NameScope?) throws -> LogicalPlan {
        let savedCount = commonTableExpressions.count
        defer { commonTableExpressions.removeLast(commonTableExpressions.count - savedCount) }
        if let with = query.with {
            try bindWith(with, location: query.location, outer: outer)
        }
        var plan: LogicalPlan
        if case .select(let core) = query.body {
            plan = try bindSelect(core, orderBy: query.orderBy, orderByAll: query.orderByAll, limit: query.limit,
                                  offset: query.offset, outer: outer)
        } else {
            plan = try bindQueryBody(query.body, outer: outer)
            let orderBy = query.orderByAll.map { Self.orderByAllItems($0, columnCount: plan.columns.count) } ?? query.orderBy
            plan = try bindOrderByOverOutput(orderBy, plan, limit: query.limit, offset: query.offset)
        }
        // The first CTE ends up outermost: later ones (and the body) may read it.
        for entry in commonTableExpressions[savedCount...].reversed() where entry.referenceCount > 0 {
            plan = .materializedCTE(MaterializedCTE(
                name: entry.name, workingTable: entry.workingTable, definition: entry.plan, body: plan,
                materialization: Self.materialization(entry.definition.materialization)))
        }
        return plan
    }

    /// `ORDER BY ALL` as `ORDER BY 1, 2, ..., columnCount` with its direction and NULL placement.
    static func orderByAllItems(_ all: OrderByAll, columnCount: Int) -> [OrderByItem] {
        (0..<columnCount).map { index in
            OrderByItem(expression: SyntaxExpression(kind: .literal(.integer(String(index + 1))), location: all.location),
                        isAscending: all.isAscending, nullsFirst: all.nullsFirst)
        }
    }

    private static func materialization(_ requested: CommonTableExpression.Materialization) -> MaterializedCTE.Materialization {
        switch requested {
        case .automatic: return .automatic
        case .always: return .always
        case .never: return .never
        }
    }

    /// Binds a query body without the enclosing query's ORDER BY / LIMIT.
    mutating func bindQueryBody(_ body: QueryBody, outer: NameScope?) throws -> LogicalPlan {
        switch body {
        case .select(let core):
            return try bindSelect(core, orderBy: [], limit: nil, offset: nil, outer: outer)
        case .values(let list):
            return try bindValues(list, targetTypes: nil, outer: outer)
        case .setOperation(let operation):
            return try bindSetOperation(operation, outer: outer)
        case .parenthesized(let query):
            return try bindQuery(query, outer: outer)
        }
    }

    /// Brings the common table expressions of a WITH clause into scope, checking each one by binding it.
    private mutating func bindWith(_ with: WithClause, location: SourceLocation, outer: NameScope?) throws {
        var names = Set<String>()
        for definition in with.tables {
            guard names.insert(definition.name.value).inserted else {
                throw BindError("WITH query name \"\(definition.name.value)\" specified more than once",
                                location: definition.name.location)
            }
            let plan = try bindCommonTableExpression(definition, isRecursive: with.isRecursive, outer: outer)
            if definition.columns.count > plan.columns.count {
                throw BindError(
                    "WITH query \"\(definition.name.value)\" has \(plan.columns.count) columns available but "
                        + "\(definition.columns.count) columns specified", location: definition.name.location)
            }
            var names = plan.columns.map(\.name)
            for (position, column) in definition.columns.enumerated() { names[position] = column.value }
            nextWorkingTableID += 1
            commonTableExpressions.append(CommonTableExpressionEntry(
                name: definition.name.value, definition: definition, plan: plan, workingTable: nextWorkingTableID,
                columnNames: names))
        }
    }

    /// Binds a CTE's query where it is defined: it sees the CTEs defined before it (itself only as a recursive
    /// one's working table), the working tables of the recursive terms it is nested in, and (`outer`) the columns
    /// of the queries its WITH is a subquery of.
    private mutating func bindCommonTableExpression(_ definition: CommonTableExpression, isRecursive: Bool,
                                                    outer: NameScope?) throws -> LogicalPlan {
        if isRecursive, let plan = try bindRecursiveCommonTableExpression(definition, outer: outer) {
            return plan
        }
        return try bindQuery(definition.query, outer: outer)
    }

    // MARK: - VALUES

    /// `VALUES (...), (...)`: columns `column1`, `column2`, ... with each column's type unified over the rows.
    /// With `targetTypes` (INSERT), string and NULL literals take the target column's type.
    mutating func bindValues(_ list: ValuesList, targetTypes: [DataType]?, outer: NameScope?) throws -> LogicalPlan {
        guard let width = list.rows.first?.count, width > 0 else {
            throw BindError("VALUES lists must have at least one column", location: list.location)
        }
        let context = ExpressionContext(scope: NameScope(outer: outer), clause: "VALUES")
        var rows: [[BoundExpression]] = []
        for row in list.rows {
            guard row.count == width else {
                throw BindError("VALUES lists must all be the same length", location: row.first?.location
                                    ?? list.location)
            }
            var bound: [BoundExpression] = []
            for (index, expression) in row.enumerated() {
                var value = try bindExpression(expression, context)
                if let targetTypes, index < targetTypes.count,
                   isUnknownLiteral(value) || isNullLiteral(value)
                    || (value.isConstant && isAssignmentAllowed(from: value.dataType, to: targetTypes[index])) {
                    value = try coerce(value, to: targetTypes[index], at: expression.location)
                }
                bound.append(value)
            }
            rows.append(bound)
        }
        var columns: [PlanColumn] = []
        for index in 0..<width {
            let cells = rows.map { $0[index] }
            let type = try unifiedType(cells, construct: "VALUES", location: list.location)
            for rowIndex in rows.indices {
                rows[rowIndex][index] = try coerce(rows[rowIndex][index], to: type,
                                                   at: list.rows[rowIndex][index].location)
            }
            columns.append(newColumn("column\(index + 1)", type, isNullable: cells.contains(where: mayBeNull)))
        }
        return .values(Values(columns: columns, rows: rows))
    }

    // MARK: - Set operations

    private mutating func bindSetOperation(_ operation: SyntaxSetOperation, outer: NameScope?) throws -> LogicalPlan {
        var left = try bindQueryBody(operation.left, outer: outer)
        var right = try bindQueryBody(operation.right, outer: outer)
        let name: String
        let kind: SetOperationKind
        switch operation.operator {
        case .union: (name, kind) = ("UNION", .union)
        case .intersect: (name, kind) = ("INTERSECT", .intersect)
        case .except: (name, kind) = ("EXCEPT", .except)
        }
        let leftColumns = left.columns, rightColumns = right.columns
        guard leftColumns.count == rightColumns.count else {
            throw BindError("each \(name) query must have the same number of columns", location: operation.location)
        }
        var types: [DataType] = []
        for index in leftColumns.indices {
            let representatives = [
                representative(of: left, column: index), representative(of: right, column: index),
            ]
            types.append(try unifiedType(representatives, construct: name, location: operation.location))
        }
        left = try convertingColumns(of: left, to: types, location: operation.location)
        right = try convertingColumns(of: right, to: types, location: operation.location)
        var columns: [PlanColumn] = []
        for index in leftColumns.indices {
            columns.append(newColumn(leftColumns[index].name, types[index],
                                     isNullable: leftColumns[index].isNullable || rightColumns[index].isNullable))
        }
        return .setOperation(PlanSetOperation(kind: kind, isAll: operation.isAll, left: left, right: right,
                                              columns: columns))
    }

    /// An expression standing for column `index` of a set operation's input when unifying types: the string
    /// literal itself when the column is one (so it adopts the other side's type), else the column.
    private func representative(of plan: LogicalPlan, column index: Int) -> BoundExpression {
        switch plan {
        case .projection(let projection) where isUnknownLiteral(projection.items[index].expression):
            return projection.items[index].expression
        case .values(let values) where values.rows.allSatisfy({ isUnknownLiteral($0[index]) }):
            return values.rows.first?[index] ?? .column(values.columns[index])
        default:
            return .column(plan.columns[index])
        }
    }

    /// Converts a set operation input's columns to `types`: literals of a projection or VALUES list in place (now),
    /// other columns by a casting projection.
    mutating func convertingColumns(of plan: LogicalPlan, to types: [DataType],
                                            location: SourceLocation) throws -> LogicalPlan {
        castingColumns(of: try convertingLiterals(of: plan, to: types, onlyUnknown: false, location: location),
                       to: types)
    }

    /// Converts the literal columns of a projection or VALUES list (the root of `plan`) to `types` now, in place;
    /// with `onlyUnknown`, only string and NULL literals. Other plans and columns are left unchanged.
    mutating func convertingLiterals(of plan: LogicalPlan, to types: [DataType], onlyUnknown: Bool,
                                     location: SourceLocation) throws -> LogicalPlan {
        func isConvertible(_ expression: BoundExpression) -> Bool {
            guard case .literal = expression else { return false }
            return !onlyUnknown || isUnknownLiteral(expression) || isNullLiteral(expression)
        }
        switch plan {
        case .projection(var projection):
            for index in projection.items.indices where index < types.count
                && projection.items[index].output.dataType != types[index] {
                let expression = projection.items[index].expression
                if isConvertible(expression) {
                    projection.items[index].expression = try coerce(expression, to: types[index], at: location)
                    projection.items[index].output.dataType = types[index]
                }
            }
            return .projection(projection)
        case .values(var values):
            for index in values.columns.indices where index < types.count
                && values.columns[index].dataType != types[index] {
                if values.rows.allSatisfy({ isConvertible($0[index]) }) {
                    for row in values.rows.indices {
                        values.rows[row][index] = try coerce(values.rows[row][index], to: types[index], at: location)
                    }
                    values.columns[index].dataType = types[index]
                }
            }
            return .values(values)
        default:
            return plan
        }
    }

    // MARK: - ORDER BY and LIMIT over a query's output

    /// ORDER BY and LIMIT of a set operation, VALUES list or parenthesized query: output column names, positions,
    /// or expressions over the output columns (computed as hidden columns, dropped after sorting).
    mutating func bindOrderByOverOutput(_ items: [OrderByItem], _ plan: LogicalPlan, limit: SyntaxExpression?,
                                        offset: SyntaxExpression?) throws -> LogicalPlan {
        guard !items.isEmpty else { return try applyLimit(plan, limit: limit, offset: offset) }
        let columns = plan.columns
        let scope = NameScope(columns: columns.map { ScopeColumn(name: $0.name, qualifier: nil, column: $0) },
                              outer: nil)
        let context = ExpressionContext(scope: scope, clause: "ORDER BY")
        var keys: [SortKey] = []
        var hidden: [ProjectionItem] = []
        for item in items {
            var expression: BoundExpression
            if let position = try orderByPosition(item.expression, count: columns.count) {
                expression = .column(columns[position])
            } else {
                expression = try bindExpression(item.expression, context)
            }
            if case .column = expression {} else {
                let output = newColumn("?column?", expression.dataType, isNullable: mayBeNull(expression))
                hidden.append(ProjectionItem(output: output, expression: expression))
                expression = .column(output)
            }
            keys.append(SortKey(expression: expression, isAscending: item.isAscending, nullsFirst: nullsFirst(for: item)))
        }
        guard !hidden.isEmpty else {
            return try applyLimit(.sort(Sort(input: plan, keys: keys)), limit: limit, offset: offset)
        }
        var mapping: [ColumnID: PlanColumn] = [:]
        var passThrough: [ProjectionItem] = []
        for column in columns {
            let output = newColumn(column.name, column.dataType, isNullable: column.isNullable)
            mapping[column.id] = output
            passThrough.append(ProjectionItem(output: output, expression: .column(column)))
        }
        keys = keys.map { key in
            var key = key
            key.expression = replacingColumns(in: key.expression, mapping)
            return key
        }
        let widened = LogicalPlan.projection(Projection(input: plan, items: passThrough + hidden))
        let sorted = try applyLimit(.sort(Sort(input: widened, keys: keys)), limit: limit, offset: offset)
        return dropping(hiddenCount: hidden.count, from: sorted)
    }

    /// A projection keeping all but the last `hiddenCount` columns of `plan`, as fresh columns.
    mutating func dropping(hiddenCount: Int, from plan: LogicalPlan) -> LogicalPlan {
        let visible = plan.columns.dropLast(hiddenCount)
        var items: [ProjectionItem] = []
        for column in visible {
            items.append(ProjectionItem(output: newColumn(column.name, column.dataType, isNullable: column.isNullable),
                                        expression: .column(column)))
        }
        return .projection(Projection(input: plan, items: items))
    }

    /// The 0-based select-list position of `ORDER BY n`, or nil when the item is not an integer constant.
    func orderByPosition(_ expression: SyntaxExpression, count: Int) throws -> Int? {
        guard case .literal(let literal) = expression.kind else { return nil }
        guard case .integer(let digits) = literal else {
            throw BindError("non-integer constant in ORDER BY", location: expression.location)
        }
        guard let position = Int(digits), position >= 1, position <= count else {
            throw BindError("ORDER BY position \(digits) is not in select list", location: expression.location)
        }
        return position - 1
    }

    /// Adds a Limit node for `LIMIT` / `OFFSET`, whose arguments must be non-negative integer constants.
    mutating func applyLimit(_ plan: LogicalPlan, limit: SyntaxExpression?, offset: SyntaxExpression?) throws -> LogicalPlan {
        guard limit != nil || offset != nil else { return plan }
        let count = try limit.flatMap { try constantCount($0, clause: "LIMIT") }
        let skip = try offset.flatMap { try constantCount($0, clause: "OFFSET") } ?? 0
        if count == nil, skip == 0 { return plan }
        return .limit(Limit(input: plan, limit: count, offset: skip))
    }

    /// The value of a LIMIT or OFFSET argument; nil for NULL (no limit).
    private mutating func constantCount(_ expression: SyntaxExpression, clause: String) throws -> Int? {
        let context = ExpressionContext(scope: NameScope(outer: nil), clause: clause)
        let bound = try bindExpression(expression, context)
        guard let value = try integerConstant(
            bound, at: expression.location,
            typeError: { "argument of \(clause) must be type bigint, not type \($0)" },
            constantError: "argument of \(clause) must be an integer constant") else { return nil }
        guard value >= 0 else {
            throw BindError("\(clause) must not be negative", location: expression.location)
        }
        return Int(value)
    }
}

/// The value of a bound integer constant (literals, + - * and casts) as BIGINT; nil for NULL. Other types and
/// non-constant expressions are errors, worded by `typeError` (given the type's name) and `constantError`.
func integerConstant(_ bound: BoundExpression, at location: SourceLocation, typeError: (String) -> String,
                     constantError: String) throws -> Int64? {
    if isNullLiteral(bound) { return nil }
    guard bound.dataType.isInteger || isUnknownLiteral(bound) else {
        throw BindError(typeError(sqlTypeName(bound.dataType)), location: location)
    }
    guard let value = foldInteger(try coerce(bound, to: .int64, at: location)) else {
        throw BindError(constantError, location: location)
    }
    return value
}

/// The value of a constant integer expression built from literals, + - * and casts; nil otherwise or on overflow.
func foldInteger(_ expression: BoundExpression) -> Int64? {
    switch expression {
    case .literal(.int8(let value), _): return Int64(value)
    case .literal(.int16(let value), _): return Int64(value)
    case .literal(.int32(let value), _): return Int64(value)
    case .literal(.int64(let value), _): return value
    case .cast(let operand, let type) where type.isInteger: return foldInteger(operand)
    case .function(.negate, let arguments, _) where arguments.count == 1:
        guard let value = foldInteger(arguments[0]), value != .min else { return nil }
        return -value
    case .function(let function, let arguments, _) where arguments.count == 2:
        guard let left = foldInteger(arguments[0]), let right = foldInteger(arguments[1]) else { return nil }
        let result: (partialValue: Int64, overflow: Bool)
        switch function {
        case .add: result = left.addingReportingOverflow(right)
        case .subtract: result = left.subtractingReportingOverflow(right)
        case .multiply: result = left.multipliedReportingOverflow(by: right)
        default: return nil
        }
        return result.overflow ? nil : result.partialValue
    default:
        return nil
    }
}
