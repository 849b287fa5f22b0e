import Columnar
import LogicalPlan
import SQLSyntax

/// The working table of a recursive common table expression whose recursive term is being bound: references to
/// the CTE's name there read it.
struct WorkingTableBinding {
    var name: String
    var identifier: Int
    var columnNames: [String]
    var types: [DataType]
    /// How many references to it the recursive term made so far.
    var referenceCount = 0
}

extension Binder {
    /// `anchor UNION [ALL] recursive` of a `WITH RECURSIVE` entry as a `RecursiveCTE` node, the recursive term
    /// reading the working table where it names the CTE; nil when the query does not refer to itself (it is then
    /// an ordinary common table expression). The anchor's column types are the CTE's.
    mutating func bindRecursiveCommonTableExpression(_ definition: CommonTableExpression,
                                                     outer: NameScope?) throws -> LogicalPlan? {
        let name = definition.name.value
        let query = definition.query
        guard query.with == nil, case .setOperation(let operation) = query.body, operation.operator == .union else {
            return nil
        }
        let anchor = try bindQueryBody(operation.left, outer: outer)
        var names = anchor.columns.map(\.name)
        if definition.columns.count > names.count {
            throw BindError(
                "WITH query \"\(name)\" has \(names.count) columns available but "
                    + "\(definition.columns.count) columns specified", location: definition.name.location)
        }
        for (position, column) in definition.columns.enumerated() {
            names[position] = column.value
        }
        let types = anchor.columns.map(\.dataType)
        nextWorkingTableID += 1
        let identifier = nextWorkingTableID
        workingTables.append(WorkingTableBinding(name: name, identifier: identifier, columnNames: names,
                                                 types: types))
        var recursive: LogicalPlan
        do {
            recursive = try bindQueryBody(operation.right, outer: outer)
        } catch {
            workingTables.removeLast()
            throw error
        }
        let binding = workingTables.removeLast()
        guard binding.referenceCount > 0 else { return nil }
        if query.hasOrderBy || query.limit != nil || query.offset != nil {
            throw BindError("ORDER BY, LIMIT and OFFSET are not supported in a recursive query",
                            location: query.location)
        }
        guard recursive.columns.count == types.count else {
            throw BindError("each UNION query must have the same number of columns", location: operation.location)
        }
        recursive = try convertingColumns(of: recursive, to: types, location: operation.location)
        let columns = zip(names, types).map { newColumn($0, $1, isNullable: true) }
        return .recursiveCTE(RecursiveCTE(name: name, workingTable: identifier, anchor: anchor,
                                          recursive: recursive, isUnionAll: operation.isAll, columns: columns))
    }

    /// A reference to the working table named `name` of a recursive term being bound, if there is one.
    mutating func bindWorkingTable(_ name: QualifiedName, alias: TableAlias?) throws -> BoundRelation? {
        guard name.parts.count == 1,
              let index = workingTables.lastIndex(where: { $0.name == name.baseName }) else { return nil }
        workingTables[index].referenceCount += 1
        let binding = workingTables[index]
        var columns: [PlanColumn] = []
        for (columnName, type) in zip(binding.columnNames, binding.types) {
            columns.append(newColumn(columnName, type, isNullable: true))
        }
        let scan = WorkingTableScan(name: binding.name, workingTable: binding.identifier, columns: columns)
        return try relation(.workingTableScan(scan), names: binding.columnNames, qualifier: binding.name, alias: alias)
    }
}
