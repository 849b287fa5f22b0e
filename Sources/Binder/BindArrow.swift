import Catalog
import Columnar
import LogicalPlan
import SQLSyntax

/// The file formats of `COPY`.
enum CopyFileFormat {
    case csv
    case arrow
}

extension Binder {
    /// The format a `COPY` reads or writes: its `FORMAT` option, else `ARROW` for paths ending in `.arrow`,
    /// `.arrows`, `.ipc` or `.feather`, else CSV.
    ///
    /// - Throws: `BindError` for formats that are unknown or not supported.
    func copyFormat(_ copy: Copy) throws -> CopyFileFormat {
        var format: CopyFileFormat?
        for option in copy.options where option.name == "format" {
            guard case .string(let value)? = option.value else {
                throw BindError("COPY format needs a value", location: option.location)
            }
            switch value.lowercased() {
            case "csv": format = .csv
            case "arrow", "ipc", "feather": format = .arrow
            case "parquet", "binary", "text", "json":
                throw BindError("COPY FORMAT \(value.uppercased()) is not supported yet", location: option.location,
                                hint: "Quiver reads and writes CSV and ARROW.")
            default:
                throw BindError("COPY format \"\(value)\" not recognized", location: option.location,
                                hint: nearestName(to: value.lowercased(), among: ["csv", "arrow"]).map { "did you mean \($0.uppercased())?" })
            }
        }
        if let format { return format }
        let lowered = copy.path.lowercased()
        return [".arrow", ".arrows", ".ipc", ".feather"].contains(where: { lowered.hasSuffix($0) }) ? .arrow : .csv
    }

    /// `COPY t FROM 'f.arrow' (FORMAT ARROW)` and `COPY t|(query) TO 'f.arrow' (FORMAT ARROW)`.
    mutating func bindArrowCopy(_ copy: Copy) throws -> BoundStatement {
        for option in copy.options where option.name != "format" {
            throw BindError("COPY option \"\(option.name)\" is not allowed with FORMAT ARROW", location: option.location)
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
            return .copyFromArrow(identifier, path: copy.path)
        case (.from, .query(let query)):
            throw BindError("COPY FROM needs a table, not a query", location: query.location)
        case (.to, _):
            return .copyToArrow(try bindCopySource(copy), path: copy.path)
        }
    }

    /// `read_arrow('path')`: an Arrow IPC file (or stream), its columns and types read from its schema now.
    mutating func bindReadArrow(_ name: QualifiedName, arguments: [SyntaxExpression], alias: TableAlias?) throws -> BoundRelation {
        guard arguments.count == 1, let first = arguments.first, case .literal(.string(let path)) = first.kind else {
            throw BindError("read_arrow takes one argument, the file path as a string",
                            location: arguments.first?.location ?? name.location)
        }
        let schema: Schema
        do {
            schema = try ArrowIPCFile.schema(path: path)
        } catch {
            throw BindError("\(error)", location: first.location)
        }
        let columns = schema.fields.map { newColumn($0.name, $0.dataType, isNullable: $0.isNullable) }
        let scan = Scan(source: .arrowFile(path: path, schema: schema), columns: columns,
                        columnIndices: Array(schema.fields.indices))
        return try relation(.scan(scan), names: schema.fields.map(\.name), qualifier: "read_arrow", alias: alias)
    }
}
