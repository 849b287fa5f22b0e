import LogicalPlan
import SQLSyntax

/// A column visible to expressions of one query level, with the names it can be referred to by.
struct ScopeColumn {
    /// The column name as users refer to it (after table-alias renames).
    var name: String
    /// The table name or alias qualifying it (`t` in `t.a`); nil for the merged column of `USING`.
    var qualifier: String?
    /// The plan column that holds its values.
    var column: PlanColumn
    /// Whether an unqualified reference finds it (false for the two sides of a `USING` merge).
    var isVisibleUnqualified: Bool = true
    /// Whether `*` includes it (false for the two sides of a `USING` merge, which appear once, merged).
    var isInWildcard: Bool = true

    /// `t.a`, or `a` without a qualifier.
    var displayName: String { qualifier.map { "\($0).\(name)" } ?? name }
}

/// The names visible at one query level: the columns of its FROM clause, and the enclosing levels (for
/// correlated subqueries).
final class NameScope {
    /// The columns, in FROM order.
    var columns: [ScopeColumn]
    /// The table names and aliases of the FROM items, for qualified references.
    var relationNames: [String]
    /// The scope of the enclosing query, when this is a subquery.
    let outer: NameScope?

    init(columns: [ScopeColumn] = [], relationNames: [String] = [], outer: NameScope?) {
        self.columns = columns
        self.relationNames = relationNames
        self.outer = outer
    }

    /// The ids of this level's own columns.
    var columnIDs: Set<ColumnID> { Set(columns.map(\.column.id)) }

    /// Resolves a column reference (`a`, `t.a` or `s.t.a`), looking in enclosing scopes when this one has no
    /// match.
    ///
    /// - Throws: `BindError` when the name does not exist or is ambiguous.
    func resolve(_ parts: [Identifier], location: SourceLocation) throws -> ScopeColumn {
        guard let last = parts.last else {
            throw BindError("empty column reference", location: location)
        }
        switch parts.count {
        case 1:
            return try resolveUnqualified(last.value, location: location)
        case 2, 3:
            return try resolveQualified(parts[parts.count - 2].value, last.value, location: location)
        default:
            let dotted = parts.map(\.value).joined(separator: ".")
            throw BindError("improper qualified name (too many dotted names): \(dotted)", location: location)
        }
    }

    private func resolveUnqualified(_ name: String, location: SourceLocation) throws -> ScopeColumn {
        var scope: NameScope? = self
        while let current = scope {
            var matches: [ScopeColumn] = []
            for column in current.columns where column.isVisibleUnqualified && column.name == name {
                if !matches.contains(where: { $0.column.id == column.column.id }) {
                    matches.append(column)
                }
            }
            if matches.count == 1 { return matches[0] }
            if matches.count > 1 {
                throw BindError("column reference \"\(name)\" is ambiguous", location: location)
            }
            scope = current.outer
        }
        var candidates: [String] = []
        scope = self
        while let current = scope {
            for column in current.columns where column.isVisibleUnqualified && !candidates.contains(column.name) {
                candidates.append(column.name)
            }
            scope = current.outer
        }
        throw BindError(
            "column \"\(name)\" does not exist", location: location,
            hint: nearestName(to: name, among: candidates).map { "did you mean \"\($0)\"?" })
    }

    private func resolveQualified(_ qualifier: String, _ name: String, location: SourceLocation) throws -> ScopeColumn {
        var scope: NameScope? = self
        while let current = scope {
            if current.relationNames.contains(qualifier) {
                let matches = current.columns.filter { $0.qualifier == qualifier && $0.name == name }
                if matches.count == 1 { return matches[0] }
                if matches.count > 1 {
                    throw BindError("column reference \"\(qualifier).\(name)\" is ambiguous", location: location)
                }
                let candidates = current.columns.filter { $0.qualifier == qualifier }.map(\.name)
                throw BindError(
                    "column \(qualifier).\(name) does not exist", location: location,
                    hint: nearestName(to: name, among: candidates).map { "did you mean \"\(qualifier).\($0)\"?" })
            }
            scope = current.outer
        }
        var candidates: [String] = []
        scope = self
        while let current = scope {
            candidates += current.relationNames
            scope = current.outer
        }
        throw BindError(
            "missing FROM-clause entry for table \"\(qualifier)\"", location: location,
            hint: nearestName(to: qualifier, among: candidates).map { "did you mean \"\($0)\"?" })
    }

    /// The columns `*` expands to.
    var wildcardColumns: [ScopeColumn] { columns.filter(\.isInWildcard) }

    /// The columns `qualifier.*` expands to.
    func wildcardColumns(of qualifier: String, location: SourceLocation) throws -> [ScopeColumn] {
        guard relationNames.contains(qualifier) else {
            throw BindError(
                "missing FROM-clause entry for table \"\(qualifier)\"", location: location,
                hint: nearestName(to: qualifier, among: relationNames).map { "did you mean \"\($0)\"?" })
        }
        return columns.filter { $0.qualifier == qualifier }
    }
}
