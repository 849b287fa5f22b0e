import Testing
@testable import SQLSyntax

@Suite("Expressions")
struct ExpressionTests {
    @Test(arguments: [
        ("1 + 2 * 3", "(+ 1 (* 2 3))"),
        ("(1 + 2) * 3", "(* (+ 1 2) 3)"),
        ("1 - 2 - 3", "(- (- 1 2) 3)"),
        ("8 / 4 % 3 * 2", "(* (% (/ 8 4) 3) 2)"),
        ("a OR b AND c", "(OR a (AND b c))"),
        ("a AND b OR c AND d", "(OR (AND a b) (AND c d))"),
        ("NOT a = b", "(NOT (= a b))"),
        ("NOT a AND b", "(AND (NOT a) b)"),
        ("NOT NOT a", "(NOT (NOT a))"),
        ("-x::int", "(- (CAST x integer))"),
        ("-2 * 3", "(* (- 2) 3)"),
        ("- - 1", "(- (- 1))"),
        ("+a", "(+ a)"),
        ("a || b = c || d", "(= (|| a b) (|| c d))"),
        ("a + b || c", "(|| (+ a b) c)"),
        ("a || b + c", "(|| a (+ b c))"),
        ("a = b IS NULL", "(IS NULL (= a b))"),
        ("a < b = c", "(= (< a b) c)"),
        ("a + 1 BETWEEN 2 AND 3 AND d", "(AND (BETWEEN (+ a 1) 2 3) d)"),
        ("a = b BETWEEN c AND d", "(= a (BETWEEN b c d))"),
        ("x LIKE 'a%' OR y NOT LIKE 'b' || 'c'", "(OR (LIKE x 'a%') (NOT LIKE y (|| 'b' 'c')))"),
        ("a IN (1, 2) = TRUE", "(= (IN a (1 2)) TRUE)"),
        ("1::text || 'x'", "(|| (CAST 1 varchar) 'x')"),
        ("x::int::bigint", "(CAST (CAST x integer) bigint)"),
        ("a <> b AND c != d", "(AND (<> a b) (<> c d))"),
        ("a >= 1 OR a <= 2 OR a > 3 OR a < 4", "(OR (OR (OR (>= a 1) (<= a 2)) (> a 3)) (< a 4))"),
    ])
    func precedence(sql: String, expected: String) {
        #expect(parsed(sql) == expected)
    }

    @Test func literals() {
        #expect(parsed("NULL") == "NULL")
        #expect(parsed("true") == "TRUE")
        #expect(parsed("FALSE") == "FALSE")
        #expect(parsed("42") == "42")
        #expect(parsed("4.5e3") == "4.5e3")
        #expect(parsed("'it''s'") == "'it's'")
        #expect(parsed("DATE '1998-12-01'") == "date'1998-12-01'")
        #expect(parsed("TIMESTAMP '1998-12-01 10:00:00'") == "timestamp'1998-12-01 10:00:00'")
        #expect(parsed("INTERVAL '90' DAY") == "interval'90'day")
        #expect(parsed("INTERVAL '3 months'") == "interval'3 months'")
        #expect(parsed("INTERVAL '1' YEAR") == "interval'1'year")
        #expect(parsed("INTERVAL 3 MONTHS") == "interval'3'month")
        #expect(parsed("DATE '1998-12-01' - INTERVAL '90' DAY") == "(- date'1998-12-01' interval'90'day)")
    }

    @Test func literalKinds() throws {
        let integer = try Parser.parseExpression("7")
        #expect(integer.kind == .literal(.integer("7")))
        let number = try Parser.parseExpression("0.06")
        #expect(number.kind == .literal(.number("0.06")))
        let date = try Parser.parseExpression("date '2020-01-01'")
        guard case .literal(.typedString(let type, let text)) = date.kind else {
            Issue.record("not a typed string")
            return
        }
        #expect(type.name == "date")
        #expect(text == "2020-01-01")
    }

    @Test func dateAndIntervalAreStillUsableAsNames() {
        #expect(parsed("date") == "date")
        #expect(parsed("t.interval + date(x)") == "(+ t.interval {date x})")
    }

    @Test func nonReservedKeywordsAreColumnNames() {
        #expect(parsed("filter + year + rows + position + first") == "(+ (+ (+ (+ filter year) rows) position) first)")
        #expect(parsed("\"select\" + \"FROM\"") == "(+ \"select\" \"FROM\")")
    }

    @Test func columnReferences() throws {
        #expect(parsed("a") == "a")
        #expect(parsed("t.a") == "t.a")
        #expect(parsed("s.t.a") == "s.t.a")
        #expect(parsed("\"MixedCase\".\"Col\"") == "\"MixedCase\".\"Col\"")
        let expression = try Parser.parseExpression("  Foo.\"Bar\"")
        guard case .column(let parts) = expression.kind else {
            Issue.record("not a column")
            return
        }
        #expect(parts == [
            Identifier(value: "foo", isQuoted: false, location: SourceLocation(line: 1, column: 3, offset: 2)),
            Identifier(value: "Bar", isQuoted: true, location: SourceLocation(line: 1, column: 7, offset: 6)),
        ])
        #expect(expression.location == SourceLocation(line: 1, column: 3, offset: 2))
    }

    @Test func isPredicates() {
        #expect(parsed("a IS NULL") == "(IS NULL a)")
        #expect(parsed("a IS NOT NULL") == "(IS NOT NULL a)")
        #expect(parsed("a ISNULL") == "(IS NULL a)")
        #expect(parsed("a NOTNULL") == "(IS NOT NULL a)")
        #expect(parsed("a IS TRUE") == "(IS TRUE a)")
        #expect(parsed("a IS NOT FALSE") == "(IS NOT FALSE a)")
        #expect(parsed("a IS DISTINCT FROM b + 1") == "(IS DISTINCT FROM a (+ b 1))")
        #expect(parsed("a IS NOT DISTINCT FROM b") == "(IS NOT DISTINCT FROM a b)")
        #expect(parsed("NOT a IS NULL") == "(NOT (IS NULL a))")
    }

    @Test func betweenInAndLike() {
        #expect(parsed("a BETWEEN 1 AND 2") == "(BETWEEN a 1 2)")
        #expect(parsed("a NOT BETWEEN b - 1 AND b + 1") == "(NOT BETWEEN a (- b 1) (+ b 1))")
        #expect(parsed("a BETWEEN SYMMETRIC 2 AND 1") == "(OR (BETWEEN a 2 1) (BETWEEN a 1 2))")
        #expect(parsed("a IN (1, 2, 3)") == "(IN a (1 2 3))")
        #expect(parsed("a NOT IN ('x')") == "(NOT IN a ('x'))")
        #expect(parsed("a IN (SELECT b FROM t)") == "(IN a <query>)")
        #expect(parsed("a NOT IN (SELECT b FROM t)") == "(NOT IN a <query>)")
        #expect(parsed("a IN ((SELECT 1), 2)") == "(IN a (<query> 2))")
        #expect(parsed("a LIKE 'x%'") == "(LIKE a 'x%')")
        #expect(parsed("a NOT ILIKE 'x%' ESCAPE '!'") == "(NOT ILIKE a 'x%' ESCAPE '!')")
        #expect(parsed("a ILIKE b") == "(ILIKE a b)")
    }

    @Test func subqueries() throws {
        #expect(parsed("EXISTS (SELECT 1)") == "(EXISTS <query>)")
        #expect(parsed("NOT EXISTS (SELECT 1)") == "(NOT EXISTS <query>)")
        #expect(parsed("(SELECT max(a) FROM t) + 1") == "(+ <query> 1)")
        #expect(parsed("((SELECT 1) + 1)") == "(+ <query> 1)")
        #expect(parsed("x = ANY (SELECT a FROM t)") == "(= ANY x <query>)")
        #expect(parsed("x > ALL (SELECT a FROM t)") == "(> ALL x <query>)")
        #expect(parsed("x <> SOME (SELECT a FROM t)") == "(<> ANY x <query>)")
        let expression = try Parser.parseExpression("(SELECT 1 UNION SELECT 2)")
        guard case .subquery(let query) = expression.kind, case .setOperation(let operation) = query.body else {
            Issue.record("expected a set operation subquery")
            return
        }
        #expect(operation.operator == .union)
    }

    @Test func caseExpressions() {
        #expect(parsed("CASE WHEN a > 1 THEN 'x' WHEN a < 0 THEN 'y' ELSE 'z' END")
            == "(CASE (WHEN (> a 1) 'x') (WHEN (< a 0) 'y') (ELSE 'z'))")
        #expect(parsed("CASE a WHEN 1 THEN 'one' END") == "(CASE a (WHEN 1 'one'))")
        #expect(parsed("CASE WHEN a THEN b END + 1") == "(+ (CASE (WHEN a b)) 1)")
    }

    @Test func castsAndTypes() {
        #expect(parsed("CAST(a AS INTEGER)") == "(CAST a integer)")
        #expect(parsed("CAST(a AS DECIMAL(15, 2))") == "(CAST a decimal(15,2))")
        #expect(parsed("a::numeric(10,3)") == "(CAST a decimal(10,3))")
        #expect(parsed("CAST(a AS DOUBLE PRECISION)") == "(CAST a double)")
        #expect(parsed("CAST(a AS CHARACTER VARYING(20))") == "(CAST a varchar(20))")
        #expect(parsed("CAST(a AS CHAR(3))") == "(CAST a varchar(3))")
        #expect(parsed("a::text") == "(CAST a varchar)")
        #expect(parsed("a::string") == "(CAST a varchar)")
        #expect(parsed("a::float") == "(CAST a double)")
        #expect(parsed("a::float4") == "(CAST a real)")
        #expect(parsed("a::int8") == "(CAST a bigint)")
        #expect(parsed("a::int2") == "(CAST a smallint)")
        #expect(parsed("a::int4") == "(CAST a integer)")
        #expect(parsed("a::tinyint") == "(CAST a tinyint)")
        #expect(parsed("a::bool") == "(CAST a boolean)")
        #expect(parsed("a::date") == "(CAST a date)")
        #expect(parsed("a::interval") == "(CAST a interval)")
        #expect(parsed("a::timestamp") == "(CAST a timestamp)")
        #expect(parsed("a::real") == "(CAST a real)")
        #expect(parsed("a::double") == "(CAST a double)")
        #expect(parsed("a::float8") == "(CAST a double)")
        #expect(parsed("a::smallint") == "(CAST a smallint)")
    }

    @Test func extract() {
        #expect(parsed("EXTRACT(YEAR FROM o_orderdate)") == "(EXTRACT year o_orderdate)")
        #expect(parsed("extract(doy from d) + 1") == "(+ (EXTRACT doy d) 1)")
        #expect(parsed("EXTRACT('month' FROM d)") == "(EXTRACT month d)")
    }

    @Test func functionCalls() {
        #expect(parsed("count(*)") == "{count *}")
        #expect(parsed("COUNT(DISTINCT a)") == "{count DISTINCT a}")
        #expect(parsed("f()") == "{f}")
        #expect(parsed("coalesce(a, b, 0)") == "{coalesce a b 0}")
        #expect(parsed("main.f(1)") == "{main.f 1}")
        #expect(parsed("left(s, 2)") == "{left s 2}")
        #expect(parsed("string_agg(x, ',' ORDER BY y DESC NULLS LAST)") == "{string_agg x ',' ORDER BY y DESC NULLS LAST}")
        #expect(parsed("sum(x) FILTER (WHERE x > 0)") == "{sum x FILTER (> x 0)}")
        #expect(parsed("nullif(a, 0)") == "{nullif a 0}")
        #expect(parsed("greatest(a, b)") == "{greatest a b}")
        #expect(parsed("least(a, b)") == "{least a b}")
        #expect(parsed("current_date") == "{current_date}")
    }

    @Test func windowFunctions() {
        #expect(parsed("row_number() OVER ()") == "{row_number OVER ()}")
        #expect(parsed("rank() OVER (PARTITION BY a, b ORDER BY c DESC)")
            == "{rank OVER (PARTITION BY a, b ORDER BY c DESC)}")
        #expect(parsed("sum(x) OVER (ORDER BY d ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)")
            == "{sum x OVER (ORDER BY d ROWS 2 PRECEDING AND CURRENT ROW)}")
        #expect(parsed("sum(x) OVER (ORDER BY d RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)")
            == "{sum x OVER (ORDER BY d RANGE UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)}")
        #expect(parsed("sum(x) OVER (ROWS UNBOUNDED PRECEDING)")
            == "{sum x OVER (ROWS UNBOUNDED PRECEDING AND CURRENT ROW)}")
        #expect(parsed("sum(x) OVER (GROUPS BETWEEN CURRENT ROW AND 1 FOLLOWING)")
            == "{sum x OVER (GROUPS CURRENT ROW AND 1 FOLLOWING)}")
        #expect(parsed("count(*) FILTER (WHERE a) OVER (PARTITION BY b)")
            == "{count * FILTER a OVER (PARTITION BY b)}")
        #expect(parsed("sum(x) OVER w") == "{sum x OVER w}")
        #expect(parsed("sum(x) OVER \"W\"") == "{sum x OVER W}")
    }

    @Test func namedWindowReferences() {
        #expect(parsed("sum(x) OVER (w)") == "{sum x OVER (w)}")
        #expect(parsed("sum(x) OVER (w ORDER BY c ROWS 1 PRECEDING)")
            == "{sum x OVER (w ORDER BY c ROWS 1 PRECEDING AND CURRENT ROW)}")
        // PARTITION BY after a name is parsed; the binder rejects it.
        #expect(parsed("sum(x) OVER (w PARTITION BY a)") == "{sum x OVER (w PARTITION BY a)}")
        // Clause words are not taken for window names, unless quoted.
        #expect(parsed("sum(x) OVER (rows unbounded preceding)")
            == "{sum x OVER (ROWS UNBOUNDED PRECEDING AND CURRENT ROW)}")
        #expect(parsed("sum(x) OVER (\"rows\")") == "{sum x OVER (rows)}")
        #expect(parsed("sum(x) OVER (partition by a)") == "{sum x OVER (PARTITION BY a)}")
        #expect(parsed("sum(x) OVER 1").hasPrefix("ERROR: syntax error"))
    }

    @Test func frameExclusion() {
        #expect(parsed("sum(x) OVER (ORDER BY d ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW)")
            == "{sum x OVER (ORDER BY d ROWS 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW)}")
        #expect(parsed("sum(x) OVER (ORDER BY d RANGE UNBOUNDED PRECEDING EXCLUDE GROUP)")
            == "{sum x OVER (ORDER BY d RANGE UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE GROUP)}")
        #expect(parsed("sum(x) OVER (ORDER BY d GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE TIES)")
            == "{sum x OVER (ORDER BY d GROUPS 1 PRECEDING AND 1 FOLLOWING EXCLUDE TIES)}")
        #expect(parsed("sum(x) OVER (ROWS CURRENT ROW EXCLUDE NO OTHERS)")
            == "{sum x OVER (ROWS CURRENT ROW AND CURRENT ROW)}")
        #expect(parsed("sum(x) OVER (ROWS CURRENT ROW EXCLUDE OTHERS)")
            .hasPrefix("ERROR: syntax error at or near \"OTHERS\""))
        #expect(parsed("sum(x) OVER (ROWS CURRENT ROW EXCLUDE NO)").hasPrefix("ERROR: syntax error"))
        #expect(parsed("sum(x) OVER (ROWS CURRENT ROW EXCLUDE CURRENT)").hasPrefix("ERROR: syntax error"))
    }

    @Test func nullTreatment() {
        #expect(parsed("lag(x IGNORE NULLS) OVER (ORDER BY d)") == "{lag x IGNORE NULLS OVER (ORDER BY d)}")
        #expect(parsed("nth_value(x, 2 RESPECT NULLS) OVER ()") == "{nth_value x 2 RESPECT NULLS OVER ()}")
        // The SQL standard's place, after the parentheses.
        #expect(parsed("first_value(x) IGNORE NULLS OVER (ORDER BY d)")
            == "{first_value x IGNORE NULLS OVER (ORDER BY d)}")
        #expect(parsed("lag(x IGNORE NULLS) RESPECT NULLS OVER ()")
            .hasPrefix("ERROR: IGNORE NULLS or RESPECT NULLS given twice"))
        // Without NULLS, IGNORE is an ordinary word.
        #expect(parsed("lag(x IGNORE) OVER ()").hasPrefix("ERROR: syntax error"))
    }

    @Test func specialFunctionSyntax() {
        #expect(parsed("SUBSTRING(s FROM 2 FOR 3)") == "{substring s 2 3}")
        #expect(parsed("substring(s FROM 2)") == "{substring s 2}")
        #expect(parsed("substring(s, 1, 2)") == "{substring s 1 2}")
        #expect(parsed("substring(s FOR 2)") == "{substring s 1 2}")
        #expect(parsed("POSITION('a' IN s)") == "{position 'a' s}")
        #expect(parsed("position('a' || 'b' IN s)") == "{position (|| 'a' 'b') s}")
        #expect(parsed("TRIM(s)") == "{trim s}")
        #expect(parsed("trim(s, 'x')") == "{trim s 'x'}")
        #expect(parsed("TRIM(BOTH 'x' FROM s)") == "{trim s 'x'}")
        #expect(parsed("TRIM(LEADING FROM s)") == "{ltrim s}")
        #expect(parsed("TRIM(TRAILING 'x' FROM s)") == "{rtrim s 'x'}")
        #expect(parsed("TRIM('x' FROM s)") == "{trim s 'x'}")
    }

    @Test func binaryLocationIsTheOperator() throws {
        let expression = try Parser.parseExpression("a +\n  b")
        #expect(expression.location == SourceLocation(line: 1, column: 3, offset: 2))
        guard case .binary(.add, let left, let right) = expression.kind else {
            Issue.record("not an addition")
            return
        }
        #expect(left.location == SourceLocation(line: 1, column: 1, offset: 0))
        #expect(right.location == SourceLocation(line: 2, column: 3, offset: 6))
    }

    @Test func unsupportedExpressionsFailCleanly() {
        #expect(parsed("a SIMILAR TO 'x'") == "ERROR: SIMILAR TO is not supported yet")
        #expect(parsed("(1, 2)") == "ERROR: row constructor is not supported yet")
        #expect(parsed("x = ANY (1)").hasPrefix("ERROR: ANY with something other than a subquery"))
        #expect(parsed("percentile_cont(0.5) WITHIN GROUP (ORDER BY x)") == "ERROR: WITHIN GROUP is not supported yet")
        #expect(parsed("1 +") == "ERROR: syntax error at end of input")
        #expect(parsed("CASE END") == "ERROR: syntax error at or near \"END\"")
        #expect(parsed("a b") == "ERROR: syntax error at or near \"b\"")
    }
}
