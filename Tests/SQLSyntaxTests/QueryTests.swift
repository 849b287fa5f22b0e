import Testing
@testable import SQLSyntax

@Suite("Queries")
struct QueryTests {
    @Test func selectListAndAliases() throws {
        let core = try select("SELECT DISTINCT a, b AS x, c y, \"D\" \"Quoted\", t.*, s.t.*, *, 1 + 2 AS \"sum\" FROM t")
        #expect(core.isDistinct)
        #expect(selectList(core) == ["a", "b AS x", "c AS y", "\"D\" AS Quoted", "t.*", "s.t.*", "*", "(+ 1 2) AS sum"])
        guard case .expression(_, let alias?) = core.items[3] else {
            Issue.record("missing alias")
            return
        }
        #expect(alias.isQuoted)
        #expect(try select("SELECT ALL a FROM t").isDistinct == false)
        // A keyword is allowed as an alias after AS.
        #expect(selectList(try select("SELECT 1 AS from, 2 AS \"select\"")) == ["1 AS from", "2 AS select"])
    }

    @Test func fullSelect() throws {
        let parsedQuery = try query("""
            SELECT a, sum(b) FROM t WHERE c > 1 GROUP BY a, 2 HAVING sum(b) > 10
            ORDER BY a DESC NULLS FIRST, 2 LIMIT 10 OFFSET 5 ROWS
            """)
        guard case .select(let core) = parsedQuery.body else {
            Issue.record("not a select")
            return
        }
        #expect(core.from.map(tableText) == ["t"])
        #expect(core.whereClause.map(sExpression) == "(> c 1)")
        #expect(core.groupBy.map(sExpression) == ["a", "2"])
        #expect(core.having.map(sExpression) == "(> {sum b} 10)")
        #expect(parsedQuery.orderBy.map(orderText) == ["a DESC NULLS FIRST", "2"])
        #expect(parsedQuery.limit.map(sExpression) == "10")
        #expect(parsedQuery.offset.map(sExpression) == "5")
    }

    @Test func windowClause() throws {
        let parsedQuery = try query(
            "SELECT sum(b) OVER w, rank() OVER (w2 ORDER BY c) FROM t GROUP BY a, b, c HAVING count(*) > 0\n"
                + "WINDOW w AS (PARTITION BY a ORDER BY b), \"W2\" AS (w ROWS BETWEEN 1 PRECEDING AND CURRENT ROW EXCLUDE TIES),\n"
                + "w3 AS () ORDER BY 1")
        guard case .select(let core) = parsedQuery.body else {
            Issue.record("not a select")
            return
        }
        #expect(core.windows.map(\.name.value) == ["w", "W2", "w3"])
        #expect(core.windows.map { windowText($0.specification) } == [
            "(PARTITION BY a ORDER BY b)", "(w ROWS 1 PRECEDING AND CURRENT ROW EXCLUDE TIES)", "()",
        ])
        #expect(core.windows[1].name.isQuoted)
        #expect(core.windows[0].specification.location?.line == 2)
        #expect(core.windows[0].specification.location?.column == 13)
        #expect(selectList(core) == ["{sum b OVER w}", "{rank OVER (w2 ORDER BY c)}"])
        #expect(parsedQuery.orderBy.map(orderText) == ["1"])
        #expect(parseError("SELECT 1 WINDOW w (ORDER BY a)")?.message == "syntax error at or near \"(\"")
        #expect(parseError("SELECT 1 WINDOW AS (ORDER BY a)")?.message == "syntax error at or near \"AS\"")
        #expect(parseError("SELECT 1 WINDOW w AS (ORDER BY a),")?.message == "syntax error at end of input")
        #expect(parseError("SELECT 1 ORDER BY 1 WINDOW w AS ()")?.message == "syntax error at or near \"WINDOW\"")
    }

    @Test func limitVariants() throws {
        #expect(try query("SELECT 1 LIMIT ALL").limit == nil)
        let fetch = try query("SELECT 1 OFFSET 2 FETCH FIRST 3 ROWS ONLY")
        #expect(fetch.limit.map(sExpression) == "3")
        #expect(fetch.offset.map(sExpression) == "2")
        #expect(try query("SELECT 1 FETCH NEXT ROW ONLY").limit.map(sExpression) == "1")
        let reversed = try query("SELECT 1 OFFSET 4 LIMIT 2")
        #expect(reversed.limit.map(sExpression) == "2")
        #expect(reversed.offset.map(sExpression) == "4")
    }

    @Test func joins() throws {
        let cases: [(String, String)] = [
            ("SELECT * FROM a JOIN b ON a.x = b.x", "(JOIN INNER a b ON (= a.x b.x))"),
            ("SELECT * FROM a INNER JOIN b USING (x, y)", "(JOIN INNER a b USING x,y)"),
            ("SELECT * FROM a LEFT JOIN b ON true", "(JOIN LEFT a b ON TRUE)"),
            ("SELECT * FROM a LEFT OUTER JOIN b ON true", "(JOIN LEFT a b ON TRUE)"),
            ("SELECT * FROM a RIGHT OUTER JOIN b ON true", "(JOIN RIGHT a b ON TRUE)"),
            ("SELECT * FROM a FULL JOIN b ON true", "(JOIN FULL a b ON TRUE)"),
            ("SELECT * FROM a CROSS JOIN b", "(JOIN CROSS a b)"),
            ("SELECT * FROM a NATURAL JOIN b", "(JOIN INNER a b NATURAL)"),
            ("SELECT * FROM a NATURAL LEFT JOIN b", "(JOIN LEFT a b NATURAL)"),
            ("SELECT * FROM a x JOIN b AS y ON x.k = y.k JOIN c ON c.k = y.k",
             "(JOIN INNER (JOIN INNER a AS x b AS y ON (= x.k y.k)) c ON (= c.k y.k))"),
            ("SELECT * FROM a JOIN (b JOIN c ON b.k = c.k) ON a.k = b.k",
             "(JOIN INNER a (JOIN INNER b c ON (= b.k c.k)) ON (= a.k b.k))"),
            ("SELECT * FROM (a CROSS JOIN b)", "(JOIN CROSS a b)"),
        ]
        for (sql, expected) in cases {
            let core = try select(sql)
            #expect(core.from.map(tableText) == [expected], "\(sql)")
        }
        #expect(try select("SELECT * FROM a, b c, main.d").from.map(tableText) == ["a", "b AS c", "main.d"])
    }

    @Test func joinLocationIsTheJoinKeyword() throws {
        let core = try select("SELECT * FROM a\nLEFT JOIN b ON true")
        guard case .join(let join) = core.from.first else {
            Issue.record("not a join")
            return
        }
        #expect(join.location == SourceLocation(line: 2, column: 1, offset: 16))
    }

    @Test func subqueriesValuesAndTableFunctions() throws {
        let core = try select("""
            SELECT * FROM (SELECT 1) AS s(a), (VALUES (1, 'x'), (2, 'y')) t(n, s),
                LATERAL (SELECT a) l, read_csv('f.csv', header = true) AS r, generate_series(1, 3) g(i)
            """)
        #expect(core.from.map(tableText) == [
            "<subquery> AS s(a)", "<subquery> AS t(n, s)", "LATERAL <subquery> AS l",
            "read_csv('f.csv', (= header TRUE)) AS r", "generate_series(1, 3) AS g(i)",
        ])
        guard case .subquery(let values, _, _, let location) = core.from[1], case .values(let list) = values.body else {
            Issue.record("expected a VALUES subquery")
            return
        }
        #expect(location.column == 35)
        #expect(list.rows.map { $0.map(sExpression) } == [["1", "'x'"], ["2", "'y'"]])
    }

    @Test func parenthesizedSubqueryInFromWithJoin() throws {
        let core = try select("SELECT * FROM ((SELECT 1) AS s JOIN t ON true)")
        #expect(core.from.map(tableText) == ["(JOIN INNER <subquery> AS s t ON TRUE)"])
        let union = try select("SELECT * FROM ((SELECT 1) UNION (SELECT 2)) u")
        guard case .subquery(let inner, _, _, _) = union.from.first, case .setOperation = inner.body else {
            Issue.record("expected a union subquery")
            return
        }
    }

    @Test func valuesAsQuery() throws {
        let parsedQuery = try query("VALUES (1, 2), (3, 4) ORDER BY 1")
        guard case .values(let list) = parsedQuery.body else {
            Issue.record("not VALUES")
            return
        }
        #expect(list.rows.count == 2)
        #expect(parsedQuery.orderBy.count == 1)
        #expect(parseError("VALUES (1, 2), (3)")?.message == "VALUES lists must all be the same length")
    }

    @Test func setOperationPrecedenceAndAssociativity() throws {
        func shape(_ body: QueryBody) -> String {
            switch body {
            case .select(let core): return selectList(core).joined(separator: ",")
            case .values: return "values"
            case .parenthesized(let inner): return "(" + shape(inner.body) + ")"
            case .setOperation(let operation):
                let name = switch operation.operator {
                case .union: "UNION"
                case .intersect: "INTERSECT"
                case .except: "EXCEPT"
                }
                return "[\(shape(operation.left)) \(name)\(operation.isAll ? " ALL" : "") \(shape(operation.right))]"
            }
        }
        #expect(shape(try query("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3").body) == "[1 UNION [2 INTERSECT 3]]")
        #expect(shape(try query("SELECT 1 INTERSECT SELECT 2 UNION ALL SELECT 3").body) == "[[1 INTERSECT 2] UNION ALL 3]")
        #expect(shape(try query("SELECT 1 EXCEPT SELECT 2 UNION DISTINCT SELECT 3").body) == "[[1 EXCEPT 2] UNION 3]")
        #expect(shape(try query("SELECT 1 UNION (SELECT 2 UNION SELECT 3)").body) == "[1 UNION ([2 UNION 3])]")
        #expect(shape(try query("(SELECT 1) UNION VALUES (2)").body) == "[(1) UNION values]")
        let ordered = try query("SELECT a FROM t UNION SELECT b FROM u ORDER BY 1 LIMIT 3")
        guard case .setOperation = ordered.body else {
            Issue.record("ORDER BY should apply to the whole set operation")
            return
        }
        #expect(ordered.orderBy.count == 1)
        #expect(ordered.limit != nil)
    }

    @Test func parenthesizedQueryIsUnwrapped() throws {
        let parsedQuery = try query("((SELECT 1))")
        guard case .select = parsedQuery.body else {
            Issue.record("expected the inner select")
            return
        }
        let limited = try query("(SELECT 1 ORDER BY 1) LIMIT 1")
        guard case .parenthesized(let inner) = limited.body else {
            Issue.record("expected a parenthesized body")
            return
        }
        #expect(inner.orderBy.count == 1)
        #expect(limited.limit != nil)
    }

    @Test func withClauses() throws {
        let parsedQuery = try query("""
            WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10),
                 s AS (SELECT * FROM r)
            SELECT sum(n) FROM s
            """)
        let with = try #require(parsedQuery.with)
        #expect(with.isRecursive)
        #expect(with.tables.map(\.name.value) == ["r", "s"])
        #expect(with.tables[0].columns.map(\.value) == ["n"])
        #expect(with.tables[1].columns.isEmpty)
        guard case .setOperation(let operation) = with.tables[0].query.body else {
            Issue.record("expected UNION ALL")
            return
        }
        #expect(operation.isAll)
        #expect(try query("WITH a AS (SELECT 1) SELECT * FROM a").with?.isRecursive == false)
    }

    @Test func groupByAllAndOrderByAll() throws {
        let parsed = try query("SELECT a, count(*) FROM t GROUP BY ALL ORDER BY ALL DESC NULLS FIRST")
        guard case .select(let core) = parsed.body else {
            Issue.record("expected a SELECT")
            return
        }
        #expect(core.groupsByAll)
        #expect(core.groupBy.isEmpty)
        #expect(parsed.orderBy.isEmpty)
        #expect(parsed.orderByAll?.isAscending == false)
        #expect(parsed.orderByAll?.nullsFirst == true)
        #expect(try query("SELECT a FROM t ORDER BY a").orderByAll == nil)
        #expect(throws: SyntaxError.self) { try Parser.parseStatement("SELECT a FROM t ORDER BY ALL, a") }
    }

    @Test func materializationHints() throws {
        let parsed = try query("WITH a AS (SELECT 1), b AS MATERIALIZED (SELECT 2), c AS NOT MATERIALIZED (SELECT 3) SELECT 1")
        #expect(parsed.with?.tables.map(\.materialization) == [.automatic, .always, .never])
        #expect(throws: SyntaxError.self) { try Parser.parseStatement("WITH a AS NOT (SELECT 1) SELECT 1") }
    }

    @Test func queryLocations() throws {
        let parsedQuery = try query("  SELECT a\n  FROM t")
        #expect(parsedQuery.location == SourceLocation(line: 1, column: 3, offset: 2))
        guard case .select(let core) = parsedQuery.body else { return }
        #expect(core.location == SourceLocation(line: 1, column: 3, offset: 2))
    }

    @Test func unsupportedQueryClauses() {
        #expect(parseError("SELECT DISTINCT ON (a) a FROM t")?.message == "DISTINCT ON is not supported yet")
        #expect(parseError("SELECT a FROM t GROUP BY ROLLUP (a)")?.message == "ROLLUP is not supported yet")
        #expect(parseError("SELECT a FROM t QUALIFY a > 1")?.message == "QUALIFY is not supported yet")
        #expect(parseError("SELECT 1 LIMIT 1, 2")?.message == "LIMIT with a comma is not supported yet")
        #expect(parseError("SELECT 1 LIMIT 1 LIMIT 2")?.message == "syntax error at or near \"LIMIT\"")
    }
}
