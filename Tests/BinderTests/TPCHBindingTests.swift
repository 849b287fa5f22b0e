import Binder
import Catalog
import Columnar
import Foundation
import LogicalPlan
import SQLSyntax
import Testing

/// The repository root, found from this file's path.
private let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A catalog with the TPC-H tables of benchmarks/tpch/schema.sql.
private func tpchCatalog() throws -> MemoryCatalog {
    let catalog = MemoryCatalog()
    let schema = try String(contentsOf: repositoryRoot.appendingPathComponent("benchmarks/tpch/schema.sql"),
                            encoding: .utf8)
    var binder = Binder(catalog: catalog)
    for statement in try Parser.parse(schema) {
        guard case .createTable(let definition, _) = try binder.bind(statement) else {
            Issue.record("schema.sql holds a statement that is not CREATE TABLE")
            continue
        }
        try catalog.createTable(definition)
    }
    return catalog
}

@Suite struct TPCHBindingTests {
    @Test(arguments: 1...22) func queryBindsWithTheAnswersColumns(number: Int) throws {
        let name = number < 10 ? "q0\(number)" : "q\(number)"
        let sql = try String(contentsOf: repositoryRoot.appendingPathComponent("benchmarks/tpch/queries/\(name).sql"),
                             encoding: .utf8)
        let answer = try String(contentsOf: repositoryRoot.appendingPathComponent("Tests/TPCH/answers/sf0.01/\(name).csv"),
                                encoding: .utf8)
        let header = try #require(answer.split(separator: "\n").first).split(separator: "|").map(String.init)
        let bound = try plan(sql, catalog: try tpchCatalog())
        #expect(bound.columns.map(\.name) == header)
    }

    @Test func decimalResultTypesFollowDuckDB() throws {
        let catalog = try tpchCatalog()
        let q01 = try String(contentsOf: repositoryRoot.appendingPathComponent("benchmarks/tpch/queries/q01.sql"),
                             encoding: .utf8)
        #expect(try plan(q01, catalog: catalog).columns.map(\.dataType) == [
            .utf8, .utf8, .decimal128(precision: 38, scale: 2), .decimal128(precision: 38, scale: 2),
            .decimal128(precision: 38, scale: 4), .decimal128(precision: 38, scale: 6), .float64, .float64, .float64,
            .int64,
        ])
        let q14 = try String(contentsOf: repositoryRoot.appendingPathComponent("benchmarks/tpch/queries/q14.sql"),
                             encoding: .utf8)
        #expect(try plan(q14, catalog: catalog).columns.map(\.dataType) == [.float64])
    }

    @Test(arguments: [("q04", ["o_orderkey"]), ("q17", ["p_partkey"]), ("q21", ["l_orderkey", "l_suppkey"]),
                      ("q22", ["c_custkey"])])
    func correlatedSubqueriesNameTheirOuterColumns(query: String, columns: [String]) throws {
        let sql = try String(contentsOf: repositoryRoot.appendingPathComponent("benchmarks/tpch/queries/\(query).sql"),
                             encoding: .utf8)
        let bound = try plan(sql, catalog: try tpchCatalog())
        var correlated: [String] = []
        for node in allNodes(bound) {
            guard case .filter(let filter) = node else { continue }
            _ = filter.predicate.transformed { expression in
                if case .subquery(let subquery) = expression {
                    correlated += subquery.correlatedColumns.map(\.name)
                }
                return expression
            }
        }
        #expect(Set(correlated) == Set(columns))
    }
}
