import Catalog
import Columnar
import LogicalPlan
import SQLSyntax

// CREATE TABLE with its constraints (PRIMARY KEY, UNIQUE, NOT NULL, DEFAULT), and the DEFAULT values that INSERT
// fills in.

extension Binder {
    // MARK: - CREATE TABLE

    mutating func bindCreateTable(_ create: CreateTable) throws -> BoundStatement {
        let identifier = try tableIdentifier(create.name)
        var columns: [StoredColumnDefinition] = []
        var seen = Set<String>()
        for column in create.columns {
            guard seen.insert(column.name.value).inserted else {
                throw BindError("column \"\(column.name.value)\" specified more than once",
                                location: column.name.location)
            }
            columns.append(StoredColumnDefinition(name: column.name.value, dataType: try dataType(of: column.type),
                                                  isNullable: !column.isNotNull))
        }
        guard !columns.isEmpty else {
            throw BindError("a table must have at least one column", location: create.name.location)
        }
        // Keys as declared: (given name, kind, column positions, where declared).
        var keys: [(name: Identifier?, kind: KeyConstraint.Kind, columns: [Int], location: SourceLocation)] = []
        for (index, column) in create.columns.enumerated() {
            for constraint in column.constraints {
                switch constraint.kind {
                case .primaryKey:
                    keys.append((constraint.name, .primaryKey, [index], constraint.location))
                case .unique:
                    keys.append((constraint.name, .unique, [index], constraint.location))
                case .defaultValue(let expression, let text):
                    guard columns[index].defaultExpression == nil else {
                        throw BindError("multiple default values specified for column \"\(columns[index].name)\" of "
                                            + "table \"\(identifier)\"", location: constraint.location)
                    }
                    _ = try bindDefault(expression, for: columns[index])
                    columns[index].defaultExpression = text
                case .check:
                    throw BindError("CHECK constraints are not supported yet", location: constraint.location)
                }
            }
        }
        for constraint in create.constraints {
            switch constraint.kind {
            case .primaryKey(let names):
                keys.append((constraint.name, .primaryKey, try keyColumns(names, columns, kind: "primary key"),
                             constraint.location))
            case .unique(let names):
                keys.append((constraint.name, .unique, try keyColumns(names, columns, kind: "unique"),
                             constraint.location))
            case .check:
                throw BindError("CHECK constraints are not supported yet", location: constraint.location)
            }
        }
        let primaryKeys = keys.filter { $0.kind == .primaryKey }
        if primaryKeys.count > 1 {
            throw BindError("multiple primary keys for table \"\(identifier.name)\" are not allowed",
                            location: primaryKeys[1].location)
        }
        // A primary key implies NOT NULL.
        for index in primaryKeys.first?.columns ?? [] {
            columns[index].isNullable = false
        }
        // Like PostgreSQL, an unnamed key with the same columns as an earlier one (or as the primary key) adds nothing.
        var distinctKeys: [(name: Identifier?, kind: KeyConstraint.Kind, columns: [Int], location: SourceLocation)] = []
        for key in keys.sorted(by: { $0.kind == .primaryKey && $1.kind != .primaryKey }) {
            if key.name == nil, distinctKeys.contains(where: { $0.columns == key.columns }) { continue }
            distinctKeys.append(key)
        }
        distinctKeys.sort { $0.location.offset < $1.location.offset }
        // Names: the given ones, then PostgreSQL's `t_pkey` / `t_a_b_key`, numbered when taken.
        var names = Set<String>()
        for key in distinctKeys {
            guard let name = key.name else { continue }
            guard names.insert(name.value).inserted else {
                throw BindError("constraint \"\(name.value)\" for relation \"\(identifier.name)\" already exists",
                                location: name.location)
            }
        }
        var constraints: [KeyConstraint] = []
        for key in distinctKeys {
            var name = key.name?.value ?? ""
            if key.name == nil {
                let base = key.kind == .primaryKey
                    ? "\(identifier.name)_pkey"
                    : ([identifier.name] + key.columns.map { columns[$0].name } + ["key"]).joined(separator: "_")
                name = base
                var suffix = 1
                while names.contains(name) {
                    name = "\(base)\(suffix)"
                    suffix += 1
                }
                names.insert(name)
            }
            constraints.append(KeyConstraint(name: name, kind: key.kind, columnIndices: key.columns))
        }
        return .createTable(TableDefinition(identifier: identifier, columns: columns, keyConstraints: constraints),
                            ifNotExists: create.ifNotExists)
    }

    /// The positions of a table constraint's columns.
    private func keyColumns(_ names: [Identifier], _ columns: [StoredColumnDefinition], kind: String) throws -> [Int] {
        var positions: [Int] = []
        for name in names {
            guard let index = columns.firstIndex(where: { $0.name == name.value }) else {
                throw BindError("column \"\(name.value)\" named in key does not exist", location: name.location,
                                hint: nearestName(to: name.value, among: columns.map(\.name)).map { "did you mean \"\($0)\"?" })
            }
            guard !positions.contains(index) else {
                throw BindError("column \"\(name.value)\" appears twice in \(kind) constraint", location: name.location)
            }
            positions.append(index)
        }
        return positions
    }

    // MARK: - DEFAULT

    /// Binds a column's DEFAULT expression and converts it to the column's type: a constant-free expression
    /// without column references or subqueries, of a type assignable to the column.
    mutating func bindDefault(_ expression: SyntaxExpression, for column: StoredColumnDefinition) throws -> BoundExpression {
        let context = ExpressionContext(scope: NameScope(outer: nil), clause: "DEFAULT")
        let value: BoundExpression
        do {
            value = try bindExpression(expression, context)
        } catch let error as BindError where error.message.hasPrefix("column \"") && error.message.hasSuffix("does not exist") {
            throw BindError("cannot use column reference in DEFAULT expression", location: error.location ?? expression.location)
        }
        guard value.isConstant else {
            throw BindError("cannot use subquery in DEFAULT expression", location: expression.location)
        }
        return try assignmentValue(value, toColumn: column.name, of: column.dataType, at: expression.location,
                                   noun: "default expression")
    }

    /// The DEFAULT of a stored column as an expression of the syntax tree (NULL when it has none), for filling a
    /// `DEFAULT` item of a VALUES row. A NULL stands at `location`; a parsed DEFAULT keeps its own positions.
    func defaultSyntax(of column: StoredColumnDefinition, table: TableIdentifier,
                       at location: SourceLocation) throws -> SyntaxExpression {
        guard let text = column.defaultExpression else {
            return SyntaxExpression(kind: .literal(.null), location: location)
        }
        do {
            return try Parser.parseExpression(text)
        } catch {
            throw BindError("the DEFAULT of column \"\(column.name)\" of \"\(table)\" does not parse: \(error.message)",
                            location: location)
        }
    }

    /// The value an INSERT puts in a column it does not list: its DEFAULT, else NULL (an error for NOT NULL columns).
    mutating func defaultValue(of column: StoredColumnDefinition, table: TableIdentifier,
                               at location: SourceLocation) throws -> BoundExpression {
        guard column.defaultExpression != nil else {
            guard column.isNullable else {
                throw BindError("null value in column \"\(column.name)\" of relation \"\(table)\" violates not-null "
                                    + "constraint", location: location)
            }
            return .literal(.null, column.dataType)
        }
        let syntax = try defaultSyntax(of: column, table: table, at: location)
        do {
            return try bindDefault(syntax, for: column)
        } catch let error as BindError {
            // The DEFAULT's own positions mean nothing in this statement: report at the INSERT.
            throw BindError("\(error.message) (in the DEFAULT of column \"\(column.name)\")", location: location,
                            hint: error.hint)
        }
    }
}
