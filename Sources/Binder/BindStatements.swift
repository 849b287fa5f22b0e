import Catalog
import Columnar
import LogicalPlan
import SQLSyntax

extension Binder {
    // MARK: - CREATE TABLE / VIEW

    /// `CREATE INDEX`: the table must exist and hold every indexed column.
    mutating func bindCreateIndex(_ create: CreateIndex) throws -> BoundStatement {
        let identifier = try tableIdentifier(create.table)
        guard let table = try catalog.table(identifier) else {
            throw try relationDoesNotExist(create.table)
        }
        for column in create.columns where !table.columns.contains(where: { $0.name == column.value }) {
            throw BindError("column \"\(column.value)\" does not exist in table \"\(identifier)\"", location: column.location)
        }
        return .createIndex(identifier)
    }

    mutating func bindCreateView(_ create: CreateView, statement: Statement) throws -> BoundStatement {
        let identifier = try tableIdentifier(create.name)
        let plan = try bindQuery(create.query, outer: nil)
        var names = plan.columns.map(\.name)
        guard create.columns.count <= names.count else {
            throw BindError("CREATE VIEW specifies more column names than columns",
                            location: create.columns[names.count].location)
        }
        for (index, column) in create.columns.enumerated() {
            names[index] = column.value
        }
        try checkDistinctColumnNames(names, location: create.name.location)
        let sql = queryText(create.query, of: statement)
        return .createView(ViewDefinition(identifier: identifier, sql: sql, columnNames: names),
                           replacing: create.orReplace)
    }

    /// The source text of a statement's query: the statement text from the query's start.
    private func queryText(_ query: Query, of statement: Statement) -> String {
        let start = query.location.offset - statement.location.offset
        let bytes = Array(statement.text.utf8)
        guard start >= 0, start < bytes.count else { return statement.text }
        var text = String(decoding: bytes[start...], as: UTF8.self)
        // A parenthesized query may start inside its parentheses; keep them balanced.
        var depth = 0
        var inString = false
        for character in text {
            if character == "'" { inString.toggle() }
            if inString { continue }
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
        }
        while depth < 0, text.last == ")" || text.last == " " {
            if text.removeLast() == ")" { depth += 1 }
        }
        return text
    }

    // MARK: - INSERT

    mutating func bindInsert(_ insert: Insert) throws -> BoundStatement {
        let identifier = try tableIdentifier(insert.table)
        guard let table = try catalog.table(identifier) else {
            throw try relationDoesNotExist(insert.table)
        }
        // The target column of each source column.
        var targets: [Int] = []
        if let columns = insert.columns {
            for column in columns {
                guard let index = table.columns.firstIndex(where: { $0.name == column.value }) else {
                    throw BindError(
                        "column \"\(column.value)\" of relation \"\(identifier)\" does not exist",
                        location: column.location,
                        hint: nearestName(to: column.value, among: table.columns.map(\.name))
                            .map { "did you mean \"\($0)\"?" })
                }
                guard !targets.contains(index) else {
                    throw BindError("column \"\(column.value)\" specified more than once", location: column.location)
                }
                targets.append(index)
            }
        } else {
            targets = Array(table.columns.indices)
        }
        let targetTypes = targets.map { table.columns[$0].dataType }
        let sourceLocation = insert.sourceLocation

        var source: LogicalPlan
        // `DEFAULT VALUES` is one VALUES row of `DEFAULT`s.
        let query = insert.source ?? Query(
            body: .values(ValuesList(rows: [targets.map { _ in SyntaxExpression(kind: .defaultValue, location: sourceLocation) }],
                                     location: sourceLocation)),
            location: sourceLocation)
        if case .values(var list) = query.body, query.with == nil, !query.hasOrderBy, query.limit == nil,
           query.offset == nil {
            // A `DEFAULT` item stands for its target column's DEFAULT (NULL when it has none), parsed once a column.
            var parsedDefaults: [Int: SyntaxExpression] = [:]
            for (rowIndex, row) in list.rows.enumerated() {
                for (index, item) in row.enumerated() where item.kind == .defaultValue && index < targets.count {
                    if let parsed = parsedDefaults[index] {
                        list.rows[rowIndex][index] = parsed
                        continue
                    }
                    let column = table.columns[targets[index]]
                    let syntax = try defaultSyntax(of: column, table: identifier, at: item.location)
                    if column.defaultExpression != nil { parsedDefaults[index] = syntax }
                    list.rows[rowIndex][index] = syntax
                }
            }
            source = try bindValues(list, targetTypes: targetTypes, outer: nil)
        } else {
            source = try bindQuery(query, outer: nil)
        }
        // String and NULL literals of the select list take the target column's type (`SELECT 1, '2020-01-01'`).
        source = try convertingLiterals(of: source, to: targetTypes, onlyUnknown: true, location: sourceLocation)
        let sourceColumns = source.columns
        if sourceColumns.count > targets.count {
            throw BindError("INSERT has more expressions than target columns", location: sourceLocation)
        }
        if sourceColumns.count < targets.count {
            throw BindError("INSERT has more target columns than expressions", location: sourceLocation)
        }
        var items: [ProjectionItem] = []
        for (index, column) in table.columns.enumerated() {
            let expression: BoundExpression
            if let position = targets.firstIndex(of: index) {
                expression = try assignmentValue(.column(sourceColumns[position]), toColumn: column.name,
                                                 of: column.dataType, at: sourceLocation)
            } else {
                expression = try defaultValue(of: column, table: identifier, at: insert.table.location)
            }
            items.append(ProjectionItem(
                output: newColumn(column.name, column.dataType, isNullable: column.isNullable),
                expression: expression))
        }
        return .insert(identifier, .projection(Projection(input: source, items: items)))
    }

    // MARK: - COPY

    mutating func bindCopy(_ copy: Copy, statement: Statement) throws -> BoundStatement {
        if try copyFormat(copy) == .arrow {
            return try bindArrowCopy(copy)
        }
        var options = CSVOptions()
        for option in copy.options where option.name != "format" {
            try applyCSVOption(option.name, value: option.value, to: &options, location: option.location,
                               isCopy: true)
        }
        switch (copy.direction, copy.source) {
        case (.from, .table(let name, let columns)):
            let identifier = try tableIdentifier(name)
            guard let table = try catalog.table(identifier) else {
                throw try relationDoesNotExist(name)
            }
            if !columns.isEmpty, columns.map(\.value) != table.columns.map(\.name) {
                throw BindError("COPY FROM with a column list is not supported yet", location: columns[0].location)
            }
            return .copyFrom(identifier, path: copy.path, options: options)
        case (.from, .query(let query)):
            throw BindError("COPY FROM needs a table, not a query", location: query.location)
        case (.to, _):
            return .copyTo(try bindCopySource(copy), path: copy.path, options: options)
        }
    }

    /// The rows `COPY ... TO` writes: a table's (all or the listed columns) or a query's.
    mutating func bindCopySource(_ copy: Copy) throws -> LogicalPlan {
        switch copy.source {
        case .table(let name, let columns):
            let items: [SelectItem]
            if columns.isEmpty {
                items = [.wildcard(name.location)]
            } else {
                items = columns.map {
                    .expression(SyntaxExpression(kind: .column([$0]), location: $0.location), alias: nil)
                }
            }
            let core = SelectCore(items: items, from: [.table(name, alias: nil)], location: name.location)
            return try bindQuery(Query(body: .select(core), location: name.location), outer: nil)
        case .query(let query):
            return try bindQuery(query, outer: nil)
        }
    }

    /// Applies one CSV option of COPY or read_csv to `options`.
    ///
    /// - Throws: `BindError` at `location` for unknown options and bad values.
    func applyCSVOption(_ name: String, value: Literal?, to options: inout CSVOptions, location: SourceLocation,
                        isCopy: Bool = false) throws {
        func singleByte(_ what: String) throws -> UInt8 {
            guard case .string(let text)? = value, text.utf8.count == 1, let byte = text.utf8.first else {
                throw BindError("\(isCopy ? "COPY " : "")\(what) must be a single one-byte character",
                                location: location)
            }
            return byte
        }
        switch name.lowercased() {
        case "header":
            switch value {
            case nil: options.hasHeader = true
            case .boolean(let flag)?: options.hasHeader = flag
            case .integer(let digits)? where digits == "0" || digits == "1": options.hasHeader = digits == "1"
            case .string(let text)?:
                switch text.lowercased() {
                case "true", "on", "1", "yes": options.hasHeader = true
                case "false", "off", "0", "no": options.hasHeader = false
                default: throw BindError("header requires a Boolean value", location: location)
                }
            default:
                throw BindError("header requires a Boolean value", location: location)
            }
        case "delimiter", "delim", "sep", "separator":
            options.delimiter = try singleByte("delimiter")
        case "quote":
            options.quote = try singleByte("quote")
        case "escape":
            options.escape = try singleByte("escape")
        case "null", "nullstr":
            guard case .string(let text)? = value else {
                throw BindError("null requires a string value", location: location)
            }
            options.nullString = text
        default:
            let known = ["header", "delimiter", "quote", "escape", "null", "format"]
            throw BindError("option \"\(name)\" not recognized", location: location,
                            hint: nearestName(to: name, among: known).map { "did you mean \"\($0)\"?" })
        }
    }

    // MARK: - SET

    mutating func bindSet(_ set: SetStatement) throws -> BoundStatement {
        let name = set.name.value
        guard let expression = set.value.first else { return .set(name: name, value: nil) }
        guard set.value.count == 1 else {
            throw BindError("SET \(name) takes only one argument", location: set.value[1].location)
        }
        let context = ExpressionContext(scope: NameScope(outer: nil), clause: "SET")
        let bound = try bindExpression(expression, context)
        guard case .literal(let value, _) = bound else {
            throw BindError("SET \(name) requires a constant value", location: expression.location)
        }
        return .set(name: name, value: value)
    }
}
