import Testing
@testable import SQLSyntax

@Suite("Errors and diagnostics")
struct ErrorTests {
    @Test func misspelledSelectSuggestsSelect() throws {
        let error = try #require(parseError("SELEC 1"))
        #expect(error.message == "syntax error at or near \"SELEC\"")
        #expect(error.location == SourceLocation(line: 1, column: 1, offset: 0))
        #expect(error.hint == "did you mean SELECT?")
        #expect(error.rendered(source: "SELEC 1") == """
            Error: syntax error at or near "SELEC" at line 1, column 1
            LINE 1: SELEC 1
                    ^
            HINT: did you mean SELECT?
            """)
    }

    @Test func misspelledFromSuggestsFrom() throws {
        let afterStar = try #require(parseError("SELECT * FORM t"))
        #expect(afterStar.message == "syntax error at or near \"FORM\"")
        #expect(afterStar.location.column == 10)
        #expect(afterStar.hint == "did you mean FROM?")
        // "FORM" after a column is first taken as an alias; the error still points at it.
        let afterColumn = try #require(parseError("SELECT a, b FORM t"))
        #expect(afterColumn.message == "syntax error at or near \"FORM\"")
        #expect(afterColumn.location.column == 13)
        #expect(afterColumn.hint == "did you mean FROM?")
        let misspelledWhere = try #require(parseError("SELECT * FROM t WHRE a = 1"))
        #expect(misspelledWhere.hint == "did you mean WHERE?")
        #expect(misspelledWhere.location.column == 17)
        #expect(parseError("SELECT * FROM t ORDR BY a")?.hint == "did you mean ORDER?")
        #expect(parseError("SELECT * FROM t GROUP BY a HAVNG count(*) > 1")?.hint == "did you mean HAVING?")
        #expect(parseError("CREATE TABEL t (a INT)")?.hint == "did you mean TABLE?")
        #expect(parseError("INSERT INTOO t VALUES (1)")?.hint == "did you mean INTO?")
        #expect(parseError("SELECT a FROM t WHERE a BETWEN 1 AND 2")?.hint == "did you mean BETWEEN?")
        #expect(parseError("SELECT CASE WHEN a THN 1 END")?.hint == "did you mean THEN?")
        #expect(parseError("SELECT * FROM t LIMT 5")?.hint == "did you mean LIMIT?")
        #expect(parseError("SELECT * FROM a JION b ON true")?.hint == "did you mean JOIN?")
    }

    @Test func parseStatementRequiresExactlyOne() {
        #expect(throws: SyntaxError.self) { try Parser.parseStatement("SELECT 1; SELECT 2") }
        #expect(throws: SyntaxError.self) { try Parser.parseStatement(" ; ") }
        #expect(throws: SyntaxError.self) { try Parser.parseExpression("1 2") }
    }

    @Test func noSuggestionForUnrelatedWords() throws {
        let error = try #require(parseError("BANANA 1"))
        #expect(error.message == "syntax error at or near \"BANANA\"")
        #expect(error.hint == nil)
    }

    @Test func fileNameRendering() throws {
        let source = "SELECT 1;\n\nSELECT *\n\tFORM t;"
        let error = try #require(parseError(source))
        #expect(error.location == SourceLocation(line: 4, column: 2, offset: 21))
        #expect(error.rendered(source: source, fileName: "q.sql") == """
            q.sql:4:2: syntax error at or near "FORM"
            LINE 4: \tFORM t;
                    \t^
            HINT: did you mean FROM?
            """)
    }

    @Test func endOfInputErrors() throws {
        let error = try #require(parseError("SELECT a FROM"))
        #expect(error.message == "syntax error at end of input")
        #expect(error.location == SourceLocation(line: 1, column: 14, offset: 13))
        #expect(parseError("SELECT (1 + 2")?.message == "syntax error at end of input")
        #expect(parseError("SELECT a FROM t WHERE")?.message == "syntax error at end of input")
    }

    @Test func errorsOnLaterLinesOfAScript() throws {
        let source = "SELECT 1;\nSELECT 2;\nSELECT 3 +;\n"
        let error = try #require(parseError(source))
        #expect(error.message == "syntax error at or near \";\"")
        #expect(error.location == SourceLocation(line: 3, column: 11, offset: 30))
        #expect(error.rendered(source: source) == """
            Error: syntax error at or near ";" at line 3, column 11
            LINE 3: SELECT 3 +;
                              ^
            """)
    }

    @Test func unterminatedStringError() throws {
        let source = "SELECT 1;\nSELECT 'abc"
        let error = try #require(parseError(source))
        #expect(error.message == "unterminated quoted string")
        #expect(error.location == SourceLocation(line: 2, column: 8, offset: 17))
        #expect(error.rendered(source: source, fileName: "x.sql") == """
            x.sql:2:8: unterminated quoted string
            LINE 2: SELECT 'abc
                           ^
            """)
    }

    @Test func deepNestingIsAnErrorNotACrash() throws {
        let depth = 5000
        let parentheses = "SELECT " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        #expect(parseError(parentheses)?.message == "expression nesting too deep")
        let subqueries = "SELECT " + String(repeating: "(SELECT ", count: depth) + "1" + String(repeating: ")", count: depth)
        #expect(parseError(subqueries)?.message == "expression nesting too deep")
        let negations = "SELECT " + String(repeating: "NOT ", count: depth) + "TRUE"
        #expect(parseError(negations)?.message == "expression nesting too deep")
        let joins = "SELECT * FROM " + String(repeating: "(", count: depth) + "t" + String(repeating: ")", count: depth)
        #expect(parseError(joins)?.message == "expression nesting too deep")
        let chain = "SELECT " + Array(repeating: "1", count: depth).joined(separator: " + ")
        #expect(parseError(chain)?.message == "expression nesting too deep")
        let unions = Array(repeating: "SELECT 1", count: depth).joined(separator: " UNION ")
        #expect(parseError(unions)?.message == "expression nesting too deep")
    }

    @Test func moderateNestingParses() throws {
        let depth = 50
        let sql = "SELECT " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        #expect(parseError(sql) == nil)
        let chain = "SELECT " + Array(repeating: "a", count: 200).joined(separator: " OR ")
        #expect(parseError(chain) == nil)
    }

    @Test func garbageInputNeverCrashes() {
        let inputs = [
            "(", ")", "((", "SELECT (", "SELECT )", "SELECT ,", "SELECT * FROM (", "SELECT * FROM (SELECT",
            "SELECT a.", "SELECT a.*.b", "WITH", "WITH a AS", "CASE", "SELECT CASE WHEN", "INSERT INTO",
            "COPY", "COPY t FROM", "CREATE TABLE t (", "EXPLAIN", "SET", "SET x =", "SELECT 1::", "SELECT 'a' 'b'",
            "SELECT x IN", "SELECT x NOT", "SELECT x BETWEEN 1", "SELECT count(", "SELECT f(x ORDER BY",
            "SELECT sum(x) OVER (ROWS BETWEEN", "SELECT * FROM a JOIN b", "SELECT * FROM a NATURAL", ";;;(",
            "SELECT INTERVAL 3", "SELECT EXTRACT(", "SELECT TRIM(LEADING", "SELECT 1 UNION", "VALUES", "VALUES ()",
            "SELECT \u{0}", "SELECT é", "DESCRIBE", "DROP", "DROP TABLE IF", "SELECT $1", "SELECT [1]", "\"",
            "SELECT ((SELECT 1) UNION (SELECT", "SELECT x = ANY (", "SELECT DATE", "SELECT 1e", "SELECT .",
        ]
        for input in inputs {
            _ = parseError(input)
        }
        #expect(parseError("SELECT é") == nil)
    }

    @Test func nearestNameHelper() {
        #expect(nearestName(to: "selec", among: ["select", "from"]) == "select")
        #expect(nearestName(to: "form", among: ["select", "from"]) == "from")
        #expect(nearestName(to: "l_quantty", among: ["l_quantity", "l_discount"]) == "l_quantity")
        #expect(nearestName(to: "L_QUANTITY", among: ["l_quantity"]) == "l_quantity")
        #expect(nearestName(to: "xyz", among: ["select", "from"]) == nil)
        #expect(nearestName(to: "a", among: ["b"]) == nil)
        #expect(nearestName(to: "abc", among: []) == nil)
        #expect(nearestName(to: "customer", among: ["custmoer", "orders"]) == "custmoer")
    }

    @Test func damerauLevenshtein() {
        func distance(_ first: String, _ second: String) -> Int {
            damerauLevenshteinDistance(Array(first), Array(second))
        }
        #expect(distance("", "abc") == 3)
        #expect(distance("form", "from") == 1)
        #expect(distance("kitten", "sitting") == 3)
        #expect(distance("same", "same") == 0)
        #expect(distance("ca", "abc") == 3)
    }

    @Test func rendererWithoutLocation() {
        #expect(renderDiagnostic(message: "table \"x\" does not exist", location: nil, hint: "did you mean \"y\"?",
                                 source: "SELECT 1", fileName: nil) == """
            Error: table "x" does not exist
            HINT: did you mean "y"?
            """)
        // Locations beyond the source render an empty line rather than failing.
        #expect(renderDiagnostic(message: "m", location: SourceLocation(line: 9, column: 4, offset: 99), hint: nil,
                                 source: "x", fileName: "f.sql") == "f.sql:9:4: m\nLINE 9: \n           ^")
    }

    @Test func descriptionIncludesPosition() {
        let error = SyntaxError(message: "syntax error at or near \"x\"", location: SourceLocation(line: 2, column: 5, offset: 9), hint: "h")
        #expect(error.description == "syntax error at or near \"x\" at line 2, column 5 (h)")
    }
}
