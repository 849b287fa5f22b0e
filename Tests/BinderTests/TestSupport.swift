import Binder
import Catalog
import Columnar
import LogicalPlan
import SQLSyntax
import Testing

/// A `MemoryCatalog` holding a few empty tables and a view:
/// t(a int, b bigint, c varchar, d decimal(15,2), e date, f double), u(a int, x varchar), w(a bigint, y double),
/// lineitem (TPC-H-like), orders, t1(a int, b varchar, c date), strict(id int not null, note varchar),
/// and the view big_a(big, label) = `SELECT a, c FROM t WHERE a > 10`.
func makeCatalog() -> MemoryCatalog {
    let catalog = MemoryCatalog()
    func add(_ name: String, _ columns: [(String, DataType)], notNull: Set<String> = []) {
        let identifier = TableIdentifier(name: name)
        let definition = TableDefinition(
            identifier: identifier,
            columns: columns.map { StoredColumn(name: $0.0, dataType: $0.1, isNullable: !notNull.contains($0.0)) })
        do {
            try catalog.createTable(definition)
        } catch {
            Issue.record("cannot create test table \(name): \(error)")
        }
    }
    let money = DataType.decimal128(precision: 15, scale: 2)
    add("t", [("a", .int32), ("b", .int64), ("c", .utf8), ("d", money), ("e", .date32), ("f", .float64)])
    add("u", [("a", .int32), ("x", .utf8)])
    add("w", [("a", .int64), ("y", .float64)])
    add("lineitem", [
        ("l_orderkey", .int64), ("l_quantity", money), ("l_extendedprice", money), ("l_discount", money),
        ("l_tax", money), ("l_returnflag", .utf8), ("l_shipdate", .date32),
    ])
    add("orders", [("o_orderkey", .int64), ("o_custkey", .int64), ("o_orderdate", .date32)])
    add("t1", [("a", .int32), ("b", .utf8), ("c", .date32)])
    add("strict", [("id", .int32), ("note", .utf8)], notNull: ["id"])
    let view = ViewDefinition(identifier: TableIdentifier(name: "big_a"), sql: "SELECT a, c FROM t WHERE a > 10",
                              columnNames: ["big", "label"])
    do {
        try catalog.createView(view, replacing: false)
    } catch {
        Issue.record("cannot create test view: \(error)")
    }
    return catalog
}

/// Binds one SQL statement against a fresh `makeCatalog()` (or `catalog`).
func bind(_ sql: String, catalog: MemoryCatalog = makeCatalog()) throws -> BoundStatement {
    var binder = Binder(catalog: catalog)
    return try binder.bind(Parser.parseStatement(sql))
}

/// Binds a query and returns its plan.
func plan(_ sql: String, catalog: MemoryCatalog = makeCatalog(), sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> LogicalPlan {
    let bound = try bind(sql, catalog: catalog)
    guard case .query(let plan) = bound else {
        Issue.record("not a query: \(sql)", sourceLocation: sourceLocation)
        throw BindError("not a query")
    }
    return plan
}

/// The BindError binding `sql` throws, or nil (recording an issue) when it binds.
func bindError(_ sql: String, catalog: MemoryCatalog = makeCatalog(),
               sourceLocation: Testing.SourceLocation = #_sourceLocation) -> BindError? {
    do {
        _ = try bind(sql, catalog: catalog)
        Issue.record("expected a bind error for: \(sql)", sourceLocation: sourceLocation)
        return nil
    } catch let error as BindError {
        return error
    } catch {
        Issue.record("unexpected error \(error) for: \(sql)", sourceLocation: sourceLocation)
        return nil
    }
}

/// The result column names and types of a query.
func outputColumns(_ sql: String, catalog: MemoryCatalog = makeCatalog()) throws -> [(String, DataType)] {
    try plan(sql, catalog: catalog).columns.map { ($0.name, $0.dataType) }
}

/// The types of a query's result columns.
func outputTypes(_ sql: String) throws -> [DataType] {
    try plan(sql).columns.map(\.dataType)
}

/// The expressions of the top projection of a plan (looking through Sort/Limit/Distinct/Filter).
func topProjection(_ plan: LogicalPlan) -> Projection? {
    switch plan {
    case .projection(let projection): return projection
    case .sort(let node): return topProjection(node.input)
    case .limit(let node): return topProjection(node.input)
    case .distinct(let node): return topProjection(node.input)
    case .filter(let node): return topProjection(node.input)
    default: return nil
    }
}

/// The expression of the first select-list item of a query.
func firstExpression(_ sql: String) throws -> PlanExpression {
    let projection = try #require(topProjection(try plan(sql)))
    return try #require(projection.items.first).expression
}

/// The first node of the given kind found in a plan, depth first.
func firstNode<T>(_ plan: LogicalPlan, _ extract: (LogicalPlan) -> T?) -> T? {
    if let found = extract(plan) { return found }
    for child in plan.children {
        if let found = firstNode(child, extract) { return found }
    }
    return nil
}

/// Every plan node, depth first.
func allNodes(_ plan: LogicalPlan) -> [LogicalPlan] {
    [plan] + plan.children.flatMap(allNodes)
}

/// Every column id produced by a plan's nodes, with repetitions across pass-through nodes removed.
func producedColumnIDs(_ plan: LogicalPlan) -> [ColumnID] {
    var result: [ColumnID] = []
    func visit(_ node: LogicalPlan) {
        switch node {
        case .scan(let scan): result += scan.columns.map(\.id)
        case .values(let values): result += values.columns.map(\.id)
        case .projection(let projection): result += projection.items.map(\.output.id)
        case .aggregate(let aggregate):
            result += aggregate.groupKeys.map(\.output.id) + aggregate.aggregates.map(\.output.id)
        case .setOperation(let operation): result += operation.columns.map(\.id)
        default: break
        }
        node.children.forEach(visit)
    }
    visit(plan)
    return result
}
