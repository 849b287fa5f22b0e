import Catalog
import Columnar
import LogicalPlan
import SQLSyntax

/// Turns parsed statements into bound statements and logical plans: resolves names against the catalog, checks
/// and coerces types the way PostgreSQL does (DuckDB's rules for decimals), validates GROUP BY and aggregates,
/// and reports errors at the position of the offending token.
public struct Binder {
    /// Where tables and views are looked up.
    let catalog: any Catalog
    /// The next column id to hand out; every column a plan node produces gets a fresh one.
    var nextColumnID = 0
    /// The common table expressions in scope, innermost last.
    var commonTableExpressions: [CommonTableExpressionEntry] = []
    /// The views being expanded, to detect views defined in terms of themselves.
    var viewsBeingExpanded: [TableIdentifier] = []
    /// The working tables of the recursive common table expressions whose recursive terms are being bound.
    var workingTables: [WorkingTableBinding] = []
    /// The last working-table identifier handed out.
    var nextWorkingTableID = 0
    /// Where NULLs sort in an ORDER BY item (of a query, window or aggregate) without NULLS FIRST / NULLS LAST.
    public var defaultNullOrder: NullOrder = .nullsLastOnAscendingFirstOnDescending

    /// Creates a binder that resolves names in `catalog`.
    public init(catalog: any Catalog) {
        self.catalog = catalog
    }

    /// Binds one statement.
    ///
    /// - Throws: `BindError` for semantic errors (unknown names, type mismatches, ...), `CatalogError` when the
    ///   catalog fails.
    public mutating func bind(_ statement: Statement) throws -> BoundStatement {
        commonTableExpressions = []
        viewsBeingExpanded = []
        workingTables = []
        return try bindStatement(statement)
    }

    mutating func bindStatement(_ statement: Statement) throws -> BoundStatement {
        switch statement.kind {
        case .query(let query):
            return .query(try bindQuery(query, outer: nil))
        case .createTable(let create):
            return try bindCreateTable(create)
        case .createTableAs(let create):
            let plan = try bindQuery(create.query, outer: nil)
            try checkDistinctColumnNames(plan.columns.map(\.name), location: create.query.location)
            return .createTableAs(try tableIdentifier(create.name), plan, ifNotExists: create.ifNotExists)
        case .dropTable(let drop):
            return .dropTable(try tableIdentifier(drop.name), ifExists: drop.ifExists)
        case .createView(let create):
            return try bindCreateView(create, statement: statement)
        case .dropView(let drop):
            return .dropView(try tableIdentifier(drop.name), ifExists: drop.ifExists)
        case .insert(let insert):
            return try bindInsert(insert)
        case .copy(let copy):
            return try bindCopy(copy, statement: statement)
        case .update(let update):
            return try bindUpdate(update)
        case .delete(let delete):
            return try bindDelete(delete)
        case .explain(let explain):
            return .explain(try bindStatement(explain.statement), isAnalyze: explain.isAnalyze)
        case .analyze(let analyze):
            guard let name = analyze.table else { return .analyze(nil) }
            let identifier = try tableIdentifier(name)
            guard try catalog.table(identifier) != nil else {
                throw try relationDoesNotExist(name)
            }
            return .analyze(identifier)
        case .set(let set):
            return try bindSet(set)
        case .showTables:
            return .showTables
        case .createIndex(let create):
            return try bindCreateIndex(create)
        case .describe(let describe):
            let identifier = try tableIdentifier(describe.name)
            guard try catalog.table(identifier) != nil || catalog.view(identifier) != nil else {
                throw try relationDoesNotExist(describe.name)
            }
            return .describe(identifier)
        }
    }

    // MARK: - Helpers shared by all binding code

    /// A new plan column with a fresh id.
    mutating func newColumn(_ name: String, _ dataType: DataType, isNullable: Bool = true) -> PlanColumn {
        nextColumnID += 1
        return PlanColumn(id: ColumnID(nextColumnID), name: name, dataType: dataType, isNullable: isNullable)
    }

    /// The catalog identifier of a (possibly schema-qualified) name.
    func tableIdentifier(_ name: QualifiedName) throws -> TableIdentifier {
        switch name.parts.count {
        case 1:
            return TableIdentifier(name: name.parts[0].value)
        case 2:
            return TableIdentifier(schema: name.parts[0].value, name: name.parts[1].value)
        default:
            throw BindError(
                "improper qualified name (too many dotted names): \(name.dottedName)", location: name.location)
        }
    }

    /// `relation "x" does not exist`, with a hint naming the closest table, view or CTE.
    func relationDoesNotExist(_ name: QualifiedName) throws -> BindError {
        var candidates = try catalog.listTables().map(\.name)
        candidates += commonTableExpressions.map(\.name)
        return BindError(
            "relation \"\(name.dottedName)\" does not exist", location: name.location,
            hint: nearestName(to: name.baseName, among: candidates).map { "did you mean \"\($0)\"?" })
    }

    /// Throws when a name occurs twice (`column "a" specified more than once`).
    func checkDistinctColumnNames(_ names: [String], location: SourceLocation) throws {
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            throw BindError("column \"\(name)\" specified more than once", location: location)
        }
    }
}

/// A common table expression in scope.
struct CommonTableExpressionEntry {
    /// The name it is visible under.
    var name: String
    /// Its definition.
    var definition: CommonTableExpression
    /// The definition's plan, bound once; references read its rows as working table `workingTable`.
    var plan: LogicalPlan
    /// The working table that references read.
    var workingTable: Int
    /// The names references see, explicit column names first.
    var columnNames: [String]
    /// How many references were bound so far.
    var referenceCount = 0
}

/// Where NULLs sort when an ORDER BY item does not say (`SET default_null_order = '...'`, DuckDB's names).
public enum NullOrder: String, Sendable, CaseIterable {
    /// NULLs first in both directions.
    case nullsFirst = "nulls_first"
    /// NULLs last in both directions (DuckDB's default).
    case nullsLast = "nulls_last"
    /// NULLs first when ascending, last when descending (SQLite's order).
    case nullsFirstOnAscendingLastOnDescending = "nulls_first_on_asc_last_on_desc"
    /// NULLs last when ascending, first when descending: NULL is the largest value (PostgreSQL's order, the default).
    case nullsLastOnAscendingFirstOnDescending = "nulls_last_on_asc_first_on_desc"

    /// Whether NULLs come first for an item sorted in the given direction.
    public func nullsFirst(isAscending: Bool) -> Bool {
        switch self {
        case .nullsFirst: return true
        case .nullsLast: return false
        case .nullsFirstOnAscendingLastOnDescending: return isAscending
        case .nullsLastOnAscendingFirstOnDescending: return !isAscending
        }
    }
}

extension Binder {
    /// The NULL placement of an ORDER BY item: its own NULLS FIRST / LAST, or the default order.
    func nullsFirst(for item: OrderByItem) -> Bool {
        item.nullsFirst ?? defaultNullOrder.nullsFirst(isAscending: item.isAscending)
    }
}
