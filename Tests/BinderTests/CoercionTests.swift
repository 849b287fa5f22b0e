import Binder
import Columnar
import LogicalPlan
import SQLSyntax
import Testing

/// The predicate of the (first) Filter of a query.
private func predicate(_ sql: String) throws -> PlanExpression {
    try #require(firstNode(try plan(sql)) { if case .filter(let node) = $0 { return node.predicate } else { return nil } })
}

private func decimal(_ precision: Int, _ scale: Int) -> DataType { .decimal128(precision: precision, scale: scale) }

@Suite struct CoercionTests {
    @Test func literalTypes() throws {
        #expect(try outputTypes("SELECT 1, 3000000000, 12345678901234567890, 1.50, 0.05, 1e3, 'x', NULL, true") == [
            .int32, .int64, decimal(38, 0), decimal(3, 2), decimal(3, 2), .float64, .utf8, .null, .boolean,
        ])
        #expect(try firstExpression("SELECT -2147483648") == .literal(.int32(.min), .int32))
        #expect(try firstExpression("SELECT 1.50") == .literal(.decimal(150, precision: 3, scale: 2), decimal(3, 2)))
        let error = try #require(bindError("SELECT 123456789012345678901234567890123456789012"))
        #expect(error.message == "integer literal 123456789012345678901234567890123456789012 is out of range")
    }

    @Test func decimalArithmeticTypes() throws {
        #expect(try outputTypes("SELECT d + d, d - 1, d * d, d * 2, d % 3, d + 1.5, a + 1.5 FROM t") == [
            decimal(16, 2), decimal(16, 2), decimal(30, 4), decimal(25, 2), decimal(15, 2), decimal(16, 2),
            decimal(12, 1),
        ])
        // A decimal quotient is a double (DuckDB), an integer quotient an integer (PostgreSQL).
        #expect(try outputTypes("SELECT d / d, d / 2, 7 / d, a / 2, b / a, f / 2 FROM t") == [
            .float64, .float64, .float64, .int32, .int64, .float64,
        ])
    }

    @Test func operandsAreCastToTheCommonType() throws {
        let expression = try firstExpression("SELECT a + b FROM t")
        guard case .function(.add, let arguments, .int64) = expression else {
            Issue.record("expected an int64 addition, got \(expression)")
            return
        }
        guard case .cast(.column(let column), .int64) = arguments[0] else {
            Issue.record("expected a cast of a, got \(arguments[0])")
            return
        }
        #expect(column.name == "a")
        // Literals convert now instead of getting a cast.
        let subtraction = try firstExpression("SELECT 1 - d FROM t")
        guard case .function(.subtract, let operands, _) = subtraction else {
            Issue.record("expected a subtraction, got \(subtraction)")
            return
        }
        #expect(operands[0] == .literal(.decimal(100, precision: 15, scale: 2), decimal(15, 2)))
        // Multiplication keeps each operand's own decimal type; integers become decimal(10,0).
        let product = try firstExpression("SELECT d * a FROM t")
        guard case .function(.multiply, let factors, let type) = product else {
            Issue.record("expected a multiplication, got \(product)")
            return
        }
        #expect(type == decimal(25, 2))
        #expect(factors.map(\.dataType) == [decimal(15, 2), decimal(10, 0)])
    }

    @Test func numericPromotion() throws {
        #expect(try outputTypes("SELECT a + f, d + f, b + d, CAST(1 AS smallint) + CAST(2 AS tinyint) FROM t") == [
            .float64, .float64, decimal(22, 2), .int16,
        ])
        #expect(try outputTypes("SELECT CAST(1 AS real) + d, CAST(1 AS real) + f FROM t") == [.float32, .float64])
    }

    @Test func stringLiteralTakesTheOtherSidesType() throws {
        let condition = try predicate("SELECT a FROM t WHERE e >= '1998-12-01'")
        guard case .function(.greaterOrEqual, let arguments, .boolean) = condition else {
            Issue.record("expected a comparison, got \(condition)")
            return
        }
        #expect(arguments[1] == .literal(.date(10561), .date32))
        let numeric = try predicate("SELECT a FROM t WHERE d = '1.5' AND a IN ('1', '2')")
        guard case .and(let operands) = numeric, case .function(.equal, let equal, _) = operands[0],
              case .inList(_, let list, false) = operands[1] else {
            Issue.record("unexpected predicate \(numeric)")
            return
        }
        #expect(equal[1] == .literal(.decimal(150, precision: 15, scale: 2), decimal(15, 2)))
        #expect(list == [.literal(.int32(1), .int32), .literal(.int32(2), .int32)])
    }

    @Test func malformedLiteralIsAnErrorAtItsPosition() throws {
        let error = try #require(bindError("SELECT a FROM t\nWHERE e = '1998-13-01'"))
        #expect(error.message == "invalid input syntax for type date: \"1998-13-01\"")
        #expect(error.location == SQLSyntax.SourceLocation(line: 2, column: 11, offset: 26))
        let integer = try #require(bindError("SELECT a + 'x' FROM t"))
        #expect(integer.message == "invalid input syntax for type integer: \"x\"")
    }

    @Test func incomparableTypes() throws {
        let error = try #require(bindError("SELECT a FROM t WHERE c = a"))
        #expect(error.message == "operator does not exist: character varying = integer")
        #expect(error.location?.column == 25)
        let arithmetic = try #require(bindError("SELECT c + 1 FROM t"))
        #expect(arithmetic.message == "operator does not exist: character varying + integer")
    }

    @Test func booleanContexts() throws {
        let error = try #require(bindError("SELECT a FROM t WHERE a"))
        #expect(error.message == "argument of WHERE must be type boolean, not type integer")
        #expect(error.location?.column == 23)
        let and = try #require(bindError("SELECT a FROM t WHERE a > 1 AND c"))
        #expect(and.message == "argument of AND must be type boolean, not type character varying")
        let having = try #require(bindError("SELECT count(*) FROM t HAVING count(*)"))
        #expect(having.message == "argument of HAVING must be type boolean, not type bigint")
        let caseWhen = try #require(bindError("SELECT CASE WHEN a THEN 1 END FROM t"))
        #expect(caseWhen.message == "argument of CASE/WHEN must be type boolean, not type integer")
        #expect(try predicate("SELECT a FROM t WHERE NOT (a > 1) OR NULL") != .literal(.null, .null))
    }

    @Test func dateAndIntervalArithmetic() throws {
        #expect(try outputTypes("""
            SELECT DATE '1998-12-01' - INTERVAL '90' DAY, e - e, e + 1, 1 + e, e - 7, e + INTERVAL '3 months',
                   INTERVAL '1' YEAR + INTERVAL '2' MONTH
            FROM t
            """) == [.date32, .int64, .date32, .date32, .date32, .date32, .interval])
        let subtraction = try firstExpression("SELECT e - e FROM t")
        guard case .function(.subtract, _, .int64) = subtraction else {
            Issue.record("expected subtract → int64, got \(subtraction)")
            return
        }
        #expect(try firstExpression("SELECT INTERVAL '90' DAY") == .literal(.interval(IntervalValue(days: 90)), .interval))
        #expect(try firstExpression("SELECT INTERVAL '3 months'") == .literal(.interval(IntervalValue(months: 3)), .interval))
        #expect(try firstExpression("SELECT INTERVAL '1' YEAR") == .literal(.interval(IntervalValue(months: 12)), .interval))
        #expect(try firstExpression("SELECT DATE '1970-01-02'") == .literal(.date(1), .date32))
        let badDate = try #require(bindError("SELECT DATE '1998-02-30'"))
        #expect(badDate.message == "invalid input syntax for type date: \"1998-02-30\"")
    }

    @Test func casts() throws {
        let widened = try firstExpression("SELECT CAST(a AS bigint) FROM t")
        guard case .cast(.column, .int64) = widened else {
            Issue.record("expected a cast, got \(widened)")
            return
        }
        guard case .column = try firstExpression("SELECT a::int FROM t") else {
            Issue.record("a no-op cast should be dropped")
            return
        }
        #expect(try firstExpression("SELECT '12'::integer") == .literal(.int32(12), .int32))
        #expect(try firstExpression("SELECT CAST(2.5 AS decimal(10,2))")
                == .literal(.decimal(250, precision: 10, scale: 2), decimal(10, 2)))
        #expect(try outputTypes("SELECT CAST(a AS decimal), CAST(a AS numeric(20)), CAST(a AS text), a::double FROM t")
                == [decimal(18, 3), decimal(20, 0), .utf8, .float64])
        let bad = try #require(bindError("SELECT CAST('x' AS int)"))
        #expect(bad.message == "invalid input syntax for type integer: \"x\"")
        let precision = try #require(bindError("SELECT CAST(a AS decimal(40, 2)) FROM t"))
        #expect(precision.message == "DECIMAL precision 40 must be between 1 and 38")
        let impossible = try #require(bindError("SELECT CAST(e AS integer) FROM t"))
        #expect(impossible.message == "cannot cast type date to integer")
    }

    @Test func unifiedResultTypes() throws {
        #expect(try outputTypes("""
            SELECT CASE WHEN a > 1 THEN 1 ELSE 2.5 END, CASE a WHEN 1 THEN 'one' END, coalesce(a, b), nullif(a, 1),
                   greatest(a, d), least(f, 1)
            FROM t
            """) == [decimal(11, 1), .utf8, .int64, .int32, decimal(15, 2), .float64])
        let error = try #require(bindError("SELECT coalesce(c, 1) FROM t"))
        #expect(error.message == "COALESCE types character varying and integer cannot be matched")
        let caseError = try #require(bindError("SELECT CASE WHEN a > 1 THEN e ELSE 1 END FROM t"))
        #expect(caseError.message == "CASE types date and integer cannot be matched")
        let inList = try #require(firstExpression("SELECT a IN (1, 2.5) FROM t") as PlanExpression?)
        guard case .inList(let operand, let items, false) = inList else {
            Issue.record("expected IN, got \(inList)")
            return
        }
        #expect(operand.dataType == decimal(11, 1))
        #expect(items.map(\.dataType) == [decimal(11, 1), decimal(11, 1)])
    }

    @Test func predicatesDesugar() throws {
        let between = try firstExpression("SELECT a BETWEEN 1 AND 3 FROM t")
        guard case .and(let parts) = between, case .function(.greaterOrEqual, _, _) = parts[0],
              case .function(.lessOrEqual, _, _) = parts[1] else {
            Issue.record("expected a >= 1 AND a <= 3, got \(between)")
            return
        }
        let notBetween = try firstExpression("SELECT a NOT BETWEEN 1 AND 3 FROM t")
        guard case .or(let alternatives) = notBetween, case .function(.less, _, _) = alternatives[0],
              case .function(.greater, _, _) = alternatives[1] else {
            Issue.record("expected a < 1 OR a > 3, got \(notBetween)")
            return
        }
        guard case .function(.like(caseInsensitive: false), let likeArguments, .boolean) =
                try firstExpression("SELECT c LIKE 'a%' FROM t") else {
            Issue.record("expected LIKE")
            return
        }
        #expect(likeArguments.count == 2)
        guard case .not(.function(.like(caseInsensitive: true), let escaped, _)) =
                try firstExpression("SELECT c NOT ILIKE 'a!%' ESCAPE '!' FROM t") else {
            Issue.record("expected NOT ILIKE")
            return
        }
        #expect(escaped.count == 3)
        #expect(bindError("SELECT a LIKE 'x' FROM t")?.message == "operator does not exist: integer ~~ unknown")
        guard case .function(.isNotDistinctFrom, _, .boolean) =
                try firstExpression("SELECT a IS NOT DISTINCT FROM b FROM t"),
              case .function(.isNotNull, _, .boolean) = try firstExpression("SELECT c IS NOT NULL FROM t"),
              case .function(.isNotTrue, _, .boolean) = try firstExpression("SELECT (a > 1) IS NOT TRUE FROM t") else {
            Issue.record("expected IS predicates")
            return
        }
    }

    @Test func extract() throws {
        guard case .function(.extract(.year), let arguments, .int64) =
                try firstExpression("SELECT EXTRACT(year FROM e) FROM t") else {
            Issue.record("expected extract(year)")
            return
        }
        #expect(arguments[0].dataType == .date32)
        guard case .function(.extract(.month), _, .int64) = try firstExpression("SELECT date_part('month', e) FROM t"),
              case .function(.extract(.day), let literal, _) = try firstExpression("SELECT extract(day FROM '2000-01-31')")
        else {
            Issue.record("expected extract(month) and extract(day)")
            return
        }
        #expect(literal == [.literal(.date(10987), .date32)])
        let error = try #require(bindError("SELECT EXTRACT(fortnight FROM e) FROM t"))
        #expect(error.message == "unit \"fortnight\" not recognized for type date")
    }

    @Test func scalarFunctions() throws {
        #expect(try outputTypes("""
            SELECT upper(c), lower(c), length(c), substring(c, 1, 2), substring(c FROM 2), trim(c), ltrim(c, 'x'),
                   position('a' IN c), strpos(c, 'a'), replace(c, 'a', 'b'), starts_with(c, 'a'), abs(a), abs(d),
                   round(d, 1), round(d), round(f, 2), floor(d), ceil(f), sqrt(a), power(a, 2), c || a
            FROM t
            """) == [
                .utf8, .utf8, .int64, .utf8, .utf8, .utf8, .utf8, .int64, .int64, .utf8, .boolean, .int32,
                decimal(15, 2), decimal(15, 1), decimal(15, 0), .float64, decimal(15, 0), .float64, .float64, .float64,
                .utf8,
            ])
        guard case .function(.concatenate, let parts, .utf8) = try firstExpression("SELECT c || a FROM t"),
              case .cast(_, .utf8) = parts[1] else {
            Issue.record("expected the integer to be cast to text")
            return
        }
        guard case .function(.position, let positionArguments, _) = try firstExpression("SELECT strpos(c, 'a') FROM t")
        else {
            Issue.record("expected position")
            return
        }
        #expect(positionArguments[0] == .literal(.string("a"), .utf8))
    }

    @Test func unknownFunctions() throws {
        let unknown = try #require(bindError("SELECT foo(a) FROM t"))
        #expect(unknown.message == "function foo(integer) does not exist")
        #expect(unknown.location?.column == 8)
        let misspelled = try #require(bindError("SELECT uper(c) FROM t"))
        #expect(misspelled.hint == "did you mean \"upper\"?")
        let wrongTypes = try #require(bindError("SELECT upper(a) FROM t"))
        #expect(wrongTypes.message == "function upper(integer) does not exist")
        let wrongCount = try #require(bindError("SELECT replace(c, 'a') FROM t"))
        #expect(wrongCount.message == "function replace(character varying, unknown) does not exist")
    }
}
