import Binder
import Catalog
import Columnar
import Foundation
import LogicalPlan
import SQLSyntax
import Testing

@Suite struct ResolutionTests {
    @Test func selectColumnsOfATable() throws {
        let bound = try plan("SELECT a, c FROM t")
        guard case .projection(let projection) = bound, case .scan(let scan) = projection.input else {
            Issue.record("expected Projection over Scan, got \(bound)")
            return
        }
        #expect(scan.columns.map(\.name) == ["a", "b", "c", "d", "e", "f"])
        #expect(projection.items.map(\.output.name) == ["a", "c"])
        #expect(projection.items.map(\.expression) == [.column(scan.columns[0]), .column(scan.columns[2])])
        #expect(bound.columns.map(\.dataType) == [.int32, .utf8])
    }

    @Test func qualifiedReferencesAndAliases() throws {
        #expect(try outputColumns("SELECT l.l_orderkey, lineitem2.l_tax FROM lineitem l, lineitem AS lineitem2").map(\.0)
                == ["l_orderkey", "l_tax"])
        #expect(try outputColumns("SELECT s.x, y FROM t AS s(x, y)").map(\.1) == [.int32, .int64])
        #expect(try outputColumns("SELECT main.t.a FROM main.t").map(\.1) == [.int32])
        let error = try #require(bindError("SELECT t.a FROM t AS s"))
        #expect(error.message == "missing FROM-clause entry for table \"t\"")
        #expect(error.location == SQLSyntax.SourceLocation(line: 1, column: 8, offset: 7))
    }

    @Test func tableAliasWithTooManyColumns() throws {
        let error = try #require(bindError("SELECT * FROM u AS s(p, q, r)"))
        #expect(error.message == "table \"s\" has 2 columns available but 3 columns specified")
    }

    @Test func wildcardExpansion() throws {
        #expect(try outputColumns("SELECT * FROM u").map(\.0) == ["a", "x"])
        #expect(try outputColumns("SELECT u.*, t.a FROM t JOIN u ON t.a = u.a").map(\.0) == ["a", "x", "a"])
        #expect(try outputColumns("SELECT *, 1 AS one FROM u").map(\.0) == ["a", "x", "one"])
        let error = try #require(bindError("SELECT *"))
        #expect(error.message == "SELECT * with no tables specified is not valid")
        let missing = try #require(bindError("SELECT q.* FROM t"))
        #expect(missing.message == "missing FROM-clause entry for table \"q\"")
    }

    @Test func joinWithOnCondition() throws {
        let bound = try plan("SELECT t.c FROM t LEFT JOIN u ON t.a = u.a AND u.x = 'k'")
        let join = try #require(firstNode(bound) { if case .join(let join) = $0 { return join } else { return nil } })
        #expect(join.kind == .left)
        guard case .and(let operands)? = join.condition else {
            Issue.record("expected an AND condition, got \(String(describing: join.condition))")
            return
        }
        #expect(operands.count == 2)
        guard case .function(.equal, let arguments, .boolean) = operands[1] else {
            Issue.record("expected an equality, got \(operands[1])")
            return
        }
        #expect(arguments[1] == .literal(.string("k"), .utf8))
    }

    @Test func outerJoinsMakeThePaddedSideNullable() throws {
        #expect(try plan("SELECT id FROM strict").columns.map(\.isNullable) == [false])
        #expect(try plan("SELECT s.id FROM strict AS s JOIN t ON t.a = s.id").columns.map(\.isNullable) == [false])
        #expect(try plan("SELECT s.id FROM t LEFT JOIN strict AS s ON t.a = s.id").columns.map(\.isNullable) == [true])
        #expect(try plan("SELECT s.id FROM strict AS s RIGHT JOIN t ON t.a = s.id").columns.map(\.isNullable) == [true])
        #expect(try plan("SELECT id FROM strict FULL JOIN strict AS s2 USING (id)").columns.map(\.isNullable) == [true])
    }

    @Test func commaListIsCrossJoin() throws {
        let bound = try plan("SELECT t.a FROM t, u WHERE t.a = u.a")
        guard case .projection(let projection) = bound, case .filter(let filter) = projection.input,
              case .join(let join) = filter.input else {
            Issue.record("expected Projection over Filter over Join, got \(bound)")
            return
        }
        #expect(join.kind == .cross)
        #expect(join.condition == nil)
    }

    @Test func usingJoinMergesColumns() throws {
        let bound = try plan("SELECT * FROM t JOIN u USING (a)")
        #expect(bound.columns.map(\.name) == ["a", "b", "c", "d", "e", "f", "x"])
        let join = try #require(firstNode(bound) { if case .join(let join) = $0 { return join } else { return nil } })
        #expect(join.kind == .inner)
        guard case .function(.equal, let arguments, _)? = join.condition else {
            Issue.record("expected t.a = u.a, got \(String(describing: join.condition))")
            return
        }
        #expect(arguments == [.column(join.left.columns[0]), .column(join.right.columns[0])])
        // The unqualified name finds the merged column; the qualified ones still work.
        #expect(try outputColumns("SELECT a, t.a, u.a FROM t JOIN u USING (a)").count == 3)
        // NATURAL JOIN merges the same way.
        #expect(try outputColumns("SELECT * FROM t NATURAL JOIN u").map(\.0) == ["a", "b", "c", "d", "e", "f", "x"])
    }

    @Test func fullJoinUsingCoalescesTheMergedColumn() throws {
        let bound = try plan("SELECT a FROM t FULL JOIN w USING (a)")
        // t.a is an integer and w.a a bigint: the merged column is coalesce(bigint, bigint).
        let projection = try #require(topProjection(bound))
        guard case .column(let merged) = projection.items[0].expression else {
            Issue.record("expected a column, got \(projection.items[0].expression)")
            return
        }
        #expect(merged.dataType == .int64)
        let computed = try #require(firstNode(bound) { node -> ProjectionItem? in
            guard case .projection(let inner) = node else { return nil }
            return inner.items.first { $0.output.id == merged.id }
        })
        guard case .function(.coalesce, let arguments, .int64) = computed.expression else {
            Issue.record("expected coalesce, got \(computed.expression)")
            return
        }
        #expect(arguments.count == 2)
        #expect(arguments[0].dataType == .int64)
    }

    @Test func usingColumnMustExist() throws {
        let error = try #require(bindError("SELECT * FROM t JOIN u USING (x)"))
        #expect(error.message == "column \"x\" specified in USING clause does not exist in left table")
        #expect(error.location?.column == 31)
    }

    @Test func ambiguousColumn() throws {
        let error = try #require(bindError("SELECT a FROM t, u"))
        #expect(error.message == "column reference \"a\" is ambiguous")
        #expect(error.location == SQLSyntax.SourceLocation(line: 1, column: 8, offset: 7))
    }

    @Test func unknownColumnWithHint() throws {
        let error = try #require(bindError("SELECT l_orderkey,\n       l_quantiy\nFROM lineitem"))
        #expect(error.message == "column \"l_quantiy\" does not exist")
        #expect(error.hint == "did you mean \"l_quantity\"?")
        #expect(error.location?.line == 2)
        #expect(error.location?.column == 8)
        let qualified = try #require(bindError("SELECT t.zz FROM t"))
        #expect(qualified.message == "column t.zz does not exist")
    }

    @Test func unknownRelationWithHint() throws {
        let error = try #require(bindError("SELECT * FROM lineitems"))
        #expect(error.message == "relation \"lineitems\" does not exist")
        #expect(error.hint == "did you mean \"lineitem\"?")
        #expect(error.location == SQLSyntax.SourceLocation(line: 1, column: 15, offset: 14))
    }

    @Test func duplicateTableName() throws {
        let error = try #require(bindError("SELECT 1 FROM t, t"))
        #expect(error.message == "table name \"t\" specified more than once")
        _ = try plan("SELECT 1 FROM t, t AS t2")
    }

    @Test func everyColumnGetsAFreshID() throws {
        let bound = try plan("""
            SELECT t.a, (SELECT max(t2.a) FROM t AS t2 WHERE t2.b = t.b) FROM t JOIN t AS t3 ON t.a = t3.a
            """)
        var ids = producedColumnIDs(bound)
        for node in allNodes(bound) {
            if case .projection(let projection) = node {
                for item in projection.items {
                    if case .subquery(let subquery) = item.expression { ids += producedColumnIDs(subquery.plan) }
                }
            }
        }
        #expect(ids.count == Set(ids).count)
        #expect(ids.count > 12)
    }

    @Test func commonTableExpressions() throws {
        #expect(try outputColumns("WITH s AS (SELECT a, c FROM t) SELECT * FROM s").map(\.0) == ["a", "c"])
        #expect(try outputColumns("WITH s(p, q) AS (SELECT a, c FROM t) SELECT q FROM s").map(\.1) == [.utf8])
        // A CTE shadows a table of the same name.
        #expect(try outputColumns("WITH t AS (SELECT 1 AS z) SELECT z FROM t").map(\.0) == ["z"])
        // Later CTEs see earlier ones; each reference gets its own columns.
        let bound = try plan("WITH s AS (SELECT a FROM t), r AS (SELECT a FROM s) SELECT * FROM r, s AS s2")
        let ids = producedColumnIDs(bound)
        #expect(ids.count == Set(ids).count)
        let duplicate = try #require(bindError("WITH s AS (SELECT 1), s AS (SELECT 2) SELECT * FROM s"))
        #expect(duplicate.message == "WITH query name \"s\" specified more than once")
    }

    @Test func viewsExpand() throws {
        let bound = try plan("SELECT big, label FROM big_a WHERE big < 100")
        #expect(bound.columns.map(\.name) == ["big", "label"])
        let filters = allNodes(bound).filter { if case .filter = $0 { return true } else { return false } }
        #expect(filters.count == 2)
        let error = try #require(bindError("SELECT a FROM big_a"))
        #expect(error.message == "column \"a\" does not exist")
    }

    @Test func readCSV() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("binder-read-csv-\(UUID()).csv").path
        try "id|name\n1|x\n2|y\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bound = try plan("SELECT * FROM read_csv('\(path)', header = true, delim = '|') AS r WHERE r.id > 1")
        #expect(bound.columns.map(\.name) == ["id", "name"])
        let scan = try #require(firstNode(bound) { if case .scan(let scan) = $0 { return scan } else { return nil } })
        guard case .csvFile(let scanPath, let options, let schema) = scan.source else {
            Issue.record("expected a CSV scan")
            return
        }
        #expect(scanPath == path)
        #expect(options.hasHeader)
        #expect(options.delimiter == UInt8(ascii: "|"))
        #expect(schema.fields.map(\.dataType) == [.int64, .utf8])
        let error = try #require(bindError("SELECT * FROM read_csv('\(path)', bogus = 1)"))
        #expect(error.message == "option \"bogus\" not recognized")
    }

    @Test func unsupportedConstructs() throws {
        let window = try #require(bindError("SELECT a, string_agg(c ORDER BY a) OVER (ORDER BY a) FROM t"))
        #expect(window.message == "ORDER BY in a window function's arguments is not supported")
        #expect(window.location?.column == 11)
        let timestamp = try #require(bindError("SELECT CAST(e AS timestamp) FROM t"))
        #expect(timestamp.message == "TIMESTAMP is not supported yet")
    }
}
