import Columnar
import LogicalPlan
import Testing
@testable import Execution

@Suite struct ExpressionCastTests {
    typealias F = ExpressionFixture

    private func cast(_ value: Value, to type: DataType) throws -> Value {
        try castColumn(F.column(value.dataType, [value]), to: type).scalar(at: 0)
    }

    private func castText(_ text: String, to type: DataType) throws -> Value {
        try cast(.string(text), to: type)
    }

    @Test func integerToIntegerIsRangeChecked() throws {
        #expect(try cast(.int32(100), to: .int8) == .int8(100))
        #expect(F.errorMessage { try cast(.int32(300), to: .int8) } == "value 300 out of range for type tinyint")
        #expect(F.errorMessage { try cast(.int64(-40000), to: .int16) } == "value -40000 out of range for type smallint")
        #expect(try cast(.int8(-5), to: .int64) == .int64(-5))
        // Nulls stay nulls, and an out-of-range value in a null slot does not matter.
        let column = try castColumn(F.column(.int64, [.int64(1), .null, .int64(3)]), to: .int32)
        #expect(column.scalars == [.int32(1), .null, .int32(3)])
    }

    @Test func numbersConvertBetweenKinds() throws {
        #expect(try cast(.int32(7), to: .float64) == .float64(7))
        #expect(try cast(.int32(7), to: .decimal128(precision: 5, scale: 2)) == Ex.decimalValue("7.00", 5, 2))
        #expect(F.errorMessage { try cast(.int32(1000), to: .decimal128(precision: 4, scale: 2)) } == "numeric field overflow")
        // Decimals round half away from zero.
        #expect(try cast(Ex.decimalValue("2.5", 2, 1), to: .int32) == .int32(3))
        #expect(try cast(Ex.decimalValue("-2.5", 2, 1), to: .int32) == .int32(-3))
        #expect(try cast(Ex.decimalValue("1.245", 4, 3), to: .decimal128(precision: 3, scale: 2)) == Ex.decimalValue("1.25", 3, 2))
        #expect(try cast(Ex.decimalValue("-1.245", 4, 3), to: .decimal128(precision: 3, scale: 2)) == Ex.decimalValue("-1.25", 3, 2))
        #expect(F.errorMessage { try cast(Ex.decimalValue("999.5", 4, 1), to: .decimal128(precision: 3, scale: 0)) } == "numeric field overflow")
        #expect(try cast(Ex.decimalValue("0.125", 4, 3), to: .float64) == .float64(0.125))
        // Floats to integers round to nearest even, as PostgreSQL does; to decimals via their shortest text.
        #expect(try cast(.float64(2.5), to: .int32) == .int32(2))
        #expect(try cast(.float64(3.5), to: .int32) == .int32(4))
        #expect(try cast(.float64(-1.7), to: .int64) == .int64(-2))
        #expect(F.errorMessage { try cast(.float64(1e10), to: .int32) } == "value 10000000000.0 out of range for type integer")
        #expect(try cast(.float64(0.285), to: .decimal128(precision: 5, scale: 2)) == Ex.decimalValue("0.29", 5, 2))
        #expect(try cast(.float64(12), to: .decimal128(precision: 5, scale: 2)) == Ex.decimalValue("12.00", 5, 2))
        #expect(try cast(.int32(3), to: .boolean) == .boolean(true))
        #expect(try cast(.boolean(true), to: .int32) == .int32(1))
    }

    @Test func textToNumbers() throws {
        #expect(try castText(" 42 ", to: .int32) == .int32(42))
        #expect(try castText("-7", to: .int64) == .int64(-7))
        #expect(try castText("+7", to: .int16) == .int16(7))
        #expect(F.errorMessage { try castText("abc", to: .int32) } == "invalid input syntax for type integer: \"abc\"")
        #expect(F.errorMessage { try castText("1.5", to: .int32) } == "invalid input syntax for type integer: \"1.5\"")
        #expect(F.errorMessage { try castText("", to: .int64) } == "invalid input syntax for type bigint: \"\"")
        #expect(F.errorMessage { try castText("300", to: .int8) } == "value 300 out of range for type tinyint")
        #expect(F.errorMessage { try castText("99999999999999999999", to: .int64) } == "value 99999999999999999999 out of range for type bigint")
        #expect(try castText("1.5e3", to: .float64) == .float64(1500))
        #expect(try castText("-Infinity", to: .float64) == .float64(-.infinity))
        #expect(F.errorMessage { try castText("x1", to: .float64) } == "invalid input syntax for type double precision: \"x1\"")
        #expect(try castText(" 12.345 ", to: .decimal128(precision: 5, scale: 2)) == Ex.decimalValue("12.35", 5, 2))
        #expect(try castText("-0.005", to: .decimal128(precision: 5, scale: 2)) == Ex.decimalValue("-0.01", 5, 2))
        #expect(try castText(".5", to: .decimal128(precision: 3, scale: 1)) == Ex.decimalValue("0.5", 3, 1))
        #expect(try castText("1e2", to: .decimal128(precision: 5, scale: 1)) == Ex.decimalValue("100.0", 5, 1))
        #expect(F.errorMessage { try castText("12a", to: .decimal128(precision: 5, scale: 2)) } == "invalid input syntax for type numeric: \"12a\"")
        #expect(F.errorMessage { try castText("1234", to: .decimal128(precision: 5, scale: 2)) } == "numeric field overflow")
    }

    @Test func textToBooleansDatesIntervals() throws {
        for text in ["t", "true", "TRUE", "yes", "y", "on", "1", " True "] { #expect(try castText(text, to: .boolean) == .boolean(true)) }
        for text in ["f", "false", "no", "n", "off", "0", "FALSE"] { #expect(try castText(text, to: .boolean) == .boolean(false)) }
        #expect(F.errorMessage { try castText("maybe", to: .boolean) } == "invalid input syntax for type boolean: \"maybe\"")
        #expect(F.errorMessage { try castText("o", to: .boolean) } == "invalid input syntax for type boolean: \"o\"")
        #expect(try castText("2024-02-29", to: .date32) == Ex.dateValue("2024-02-29"))
        #expect(try castText(" 1998-12-01 ", to: .date32) == Ex.dateValue("1998-12-01"))
        #expect(try castText("2024-03-05 12:30:00", to: .date32) == Ex.dateValue("2024-03-05"))
        #expect(try castText("2024-03-05T08:00", to: .date32) == Ex.dateValue("2024-03-05"))
        #expect(F.errorMessage { try castText("2024-03-05 noon", to: .date32) } == "invalid input syntax for type date: \"2024-03-05 noon\"")
        #expect(F.errorMessage { try castText("2023-02-29", to: .date32) } == "invalid input syntax for type date: \"2023-02-29\"")
        #expect(F.errorMessage { try castText("yesterday", to: .date32) } == "invalid input syntax for type date: \"yesterday\"")
        #expect(try castText("3 days", to: .interval) == .interval(IntervalValue(days: 3)))
        #expect(try castText("1 month", to: .interval) == .interval(IntervalValue(months: 1)))
        #expect(try castText("2 years 3 mons", to: .interval) == .interval(IntervalValue(months: 27)))
        #expect(try castText("90 minutes", to: .interval) == .interval(IntervalValue(nanoseconds: 5_400_000_000_000)))
        #expect(try castText("90", to: .interval) == .interval(IntervalValue(nanoseconds: 90_000_000_000)))
        #expect(try castText("1 day 02:03:04", to: .interval) == .interval(IntervalValue(days: 1, nanoseconds: 7_384_000_000_000)))
        #expect(try castText("1.5 days", to: .interval) == .interval(IntervalValue(days: 1, nanoseconds: 43_200_000_000_000)))
        #expect(try castText("2 weeks ago", to: .interval) == .interval(IntervalValue(days: -14)))
        #expect(try castText("-1 year", to: .interval) == .interval(IntervalValue(months: -12)))
        #expect(F.errorMessage { try castText("3 fortnights", to: .interval) } == "invalid input syntax for type interval: \"3 fortnights\"")
    }

    @Test func valuesToText() throws {
        let cases: [(Value, String)] = [
            (.int32(-42), "-42"), (.int64(Int64.min), "-9223372036854775808"), (.int8(0), "0"),
            (Ex.decimalValue("-0.05", 5, 2), "-0.05"), (Ex.decimalValue("123.40", 5, 2), "123.40"), (Ex.decimalValue("7", 3, 0), "7"),
            (.float64(0.1), "0.1"), (.float64(2), "2.0"), (.boolean(true), "true"), (.boolean(false), "false"),
            (Ex.dateValue("2024-02-29"), "2024-02-29"), (Ex.dateValue("0001-01-01"), "0001-01-01"),
            (.interval(IntervalValue(months: 14, days: 3)), "1 year 2 mons 3 days"),
        ]
        for (value, expected) in cases {
            #expect(try cast(value, to: .utf8) == .string(expected))
        }
        let column = try castColumn(F.column(.int32, [.int32(1), .null]), to: .utf8)
        #expect(column.scalars == [.string("1"), .null])
    }

    @Test func nullTypedColumnsCastToAnything() throws {
        let nulls = Column.nulls(.null, count: 3)
        let column = try castColumn(nulls, to: .decimal128(precision: 10, scale: 2))
        #expect(column.dataType == .decimal128(precision: 10, scale: 2))
        #expect(column.scalars == [.null, .null, .null])
    }

    @Test func castExpressions() throws {
        #expect(try F.constant(.cast(Ex.text("12"), .int32)) == .int32(12))
        #expect(try F.constant(.cast(Ex.nullLiteral(.utf8), .date32)) == .null)
        let (batch, columns) = F.batch([("s", .utf8, [.string("1"), .string("x")])])
        // The bad value is only reached when evaluated.
        let compiled = try CompiledExpression(.cast(.column(columns[0]), .int32), layout: ColumnLayout(columns))
        #expect(F.errorMessage { try compiled.evaluate(batch) } == "invalid input syntax for type integer: \"x\"")
    }
}
