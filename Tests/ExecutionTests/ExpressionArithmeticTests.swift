import Columnar
import LogicalPlan
import Testing
@testable import Execution

@Suite struct ExpressionArithmeticTests {
    typealias F = ExpressionFixture

    @Test func integerArithmeticOnColumns() throws {
        let (batch, columns) = F.batch([("a", .int32, [.int32(7), .int32(-7), .null, .int32(10)]),
                                        ("b", .int32, [.int32(2), .int32(2), .int32(1), .int32(-3)])])
        let a = Expression.column(columns[0]), b = Expression.column(columns[1])
        #expect(try F.evaluate(Ex.call(.add, a, b, type: .int32), batch, columns) == [.int32(9), .int32(-5), .null, .int32(7)])
        #expect(try F.evaluate(Ex.call(.subtract, a, b, type: .int32), batch, columns) == [.int32(5), .int32(-9), .null, .int32(13)])
        #expect(try F.evaluate(Ex.call(.multiply, a, b, type: .int32), batch, columns) == [.int32(14), .int32(-14), .null, .int32(-30)])
        // Division truncates toward zero; the remainder has the dividend's sign.
        #expect(try F.evaluate(Ex.call(.divide, a, b, type: .int32), batch, columns) == [.int32(3), .int32(-3), .null, .int32(-3)])
        #expect(try F.evaluate(Ex.call(.modulo, a, b, type: .int32), batch, columns) == [.int32(1), .int32(-1), .null, .int32(1)])
        #expect(try F.evaluate(Ex.call(.negate, a, type: .int32), batch, columns) == [.int32(-7), .int32(7), .null, .int32(-10)])
    }

    @Test func integerColumnWithConstant() throws {
        let (batch, columns) = F.batch([("a", .int64, [.int64(1), .int64(2), .int64(3)])])
        let a = Expression.column(columns[0])
        #expect(try F.evaluate(Ex.call(.multiply, a, Ex.int64(10), type: .int64), batch, columns) == [.int64(10), .int64(20), .int64(30)])
        #expect(try F.evaluate(Ex.call(.subtract, Ex.int64(10), a, type: .int64), batch, columns) == [.int64(9), .int64(8), .int64(7)])
    }

    @Test func integerOverflowIsAnError() throws {
        #expect(F.errorMessage { try F.constant(Ex.call(.add, Ex.int32(Int32.max), Ex.int32(1), type: .int32)) } == "integer out of range")
        #expect(F.errorMessage { try F.constant(Ex.call(.multiply, Ex.int64(Int64.max), Ex.int64(2), type: .int64)) } == "bigint out of range")
        #expect(F.errorMessage {
            try F.constant(Ex.call(.subtract, Ex.literal(.int16(Int16.min)), Ex.literal(.int16(1)), type: .int16))
        } == "smallint out of range")
        #expect(F.errorMessage { try F.constant(Ex.call(.negate, Ex.int32(Int32.min), type: .int32)) } == "integer out of range")
        #expect(F.errorMessage { try F.constant(Ex.call(.divide, Ex.int32(Int32.min), Ex.int32(-1), type: .int32)) } == "integer out of range")
        #expect(try F.constant(Ex.call(.modulo, Ex.int32(Int32.min), Ex.int32(-1), type: .int32)) == .int32(0))
    }

    @Test func overflowInANullRowIsIgnored() throws {
        // The null row holds Int32.max in its slot; adding 1 there must not raise an error.
        let values = Buffer(capacity: 8)
        values.typed(Int32.self)[0] = 1
        values.typed(Int32.self)[1] = Int32.max
        let validity = Buffer(capacity: 1)
        Bitmap.set(validity.pointer, 0)
        let column = Column(dataType: .int32, count: 2, nullCount: 1, validity: validity, values: values)
        let plan = PlanColumn(id: ColumnID(0), name: "a", dataType: .int32)
        let batch = RecordBatch(schema: Schema([Field("a", .int32)]), columns: [column], rowCount: 2)
        let sum = try F.evaluate(Ex.call(.add, .column(plan), Ex.int32(1), type: .int32), batch, [plan])
        #expect(sum == [.int32(2), .null])
        let quotient = try F.evaluate(Ex.call(.divide, Ex.int32(1), .column(plan), type: .int32), batch, [plan])
        #expect(quotient == [.int32(1), .null])
    }

    @Test func divisionByZero() {
        #expect(F.errorMessage { try F.constant(Ex.call(.divide, Ex.int32(1), Ex.int32(0), type: .int32)) } == "division by zero")
        #expect(F.errorMessage { try F.constant(Ex.call(.modulo, Ex.int64(1), Ex.int64(0), type: .int64)) } == "division by zero")
        #expect(F.errorMessage {
            try F.constant(Ex.call(.divide, Ex.literal(.float64(1)), Ex.literal(.float64(0)), type: .float64))
        } == "division by zero")
        #expect(F.errorMessage {
            try F.constant(Ex.call(.modulo, Ex.decimal("1.5", 3, 1), Ex.decimal("0.0", 3, 1), type: .decimal128(precision: 3, scale: 1)))
        } == "division by zero")
    }

    @Test func floatingPointArithmetic() throws {
        #expect(try F.constant(Ex.call(.divide, Ex.literal(.float64(1)), Ex.literal(.float64(4)), type: .float64)) == .float64(0.25))
        #expect(try F.constant(Ex.call(.multiply, Ex.literal(.float32(1.5)), Ex.literal(.float32(2)), type: .float32)) == .float32(3))
        #expect(F.errorMessage {
            try F.constant(Ex.call(.multiply, Ex.literal(.float64(1e308)), Ex.literal(.float64(10)), type: .float64))
        } == "value out of range: overflow")
    }

    @Test func decimalAdditionRescalesOperands() throws {
        let result = try F.constant(Ex.call(.add, Ex.decimal("1.5", 2, 1), Ex.decimal("2.25", 3, 2), type: .decimal128(precision: 4, scale: 2)))
        #expect(result == Ex.decimalValue("3.75", 4, 2))
        #expect(result.description == "3.75")
        let difference = try F.constant(Ex.call(.subtract, Ex.decimal("1.5", 2, 1), Ex.decimal("2.25", 3, 2), type: .decimal128(precision: 4, scale: 2)))
        #expect(difference.description == "-0.75")
    }

    @Test func decimalMultiplicationAddsScales() throws {
        let product = try F.constant(Ex.call(.multiply, Ex.decimal("1.25", 3, 2), Ex.decimal("0.5", 2, 1), type: .decimal128(precision: 5, scale: 3)))
        #expect(product.description == "0.625")
        // Columns: price * (1 - discount), the TPC-H shape.
        let (batch, columns) = F.batch([
            ("price", .decimal128(precision: 12, scale: 2), [Ex.decimalValue("100.00", 12, 2), Ex.decimalValue("19.99", 12, 2), .null]),
            ("discount", .decimal128(precision: 12, scale: 2), [Ex.decimalValue("0.05", 12, 2), Ex.decimalValue("0.10", 12, 2), Ex.decimalValue("0", 12, 2)]),
        ])
        let oneMinus = Ex.call(.subtract, Ex.decimal("1", 1, 0), .column(columns[1]), type: .decimal128(precision: 13, scale: 2))
        let expression = Ex.call(.multiply, .column(columns[0]), oneMinus, type: .decimal128(precision: 25, scale: 4))
        let values = try F.evaluate(expression, batch, columns)
        #expect(values.map(\.description) == ["95.0000", "17.9910", "NULL"])
    }

    @Test func decimalOverflowIsAnError() {
        #expect(F.errorMessage {
            try F.constant(Ex.call(.add, Ex.decimal("9.9", 2, 1), Ex.decimal("0.1", 2, 1), type: .decimal128(precision: 2, scale: 1)))
        } == "numeric field overflow")
        let big = Ex.decimal("99999999999999999999999999999999999999", 38, 0)
        #expect(F.errorMessage { try F.constant(Ex.call(.multiply, big, big, type: .decimal128(precision: 38, scale: 0))) }
                == "numeric field overflow")
    }

    @Test func decimalModuloAndNegate() throws {
        let remainder = try F.constant(Ex.call(.modulo, Ex.decimal("7.5", 2, 1), Ex.decimal("2", 1, 0), type: .decimal128(precision: 2, scale: 1)))
        #expect(remainder.description == "1.5")
        let negated = try F.constant(Ex.call(.negate, Ex.decimal("7.50", 3, 2), type: .decimal128(precision: 3, scale: 2)))
        #expect(negated.description == "-7.50")
    }

    @Test func dateArithmetic() throws {
        #expect(try F.constant(Ex.call(.add, Ex.date("2024-02-28"), Ex.int32(2), type: .date32)) == Ex.dateValue("2024-03-01"))
        #expect(try F.constant(Ex.call(.add, Ex.int64(1), Ex.date("2023-12-31"), type: .date32)) == Ex.dateValue("2024-01-01"))
        #expect(try F.constant(Ex.call(.subtract, Ex.date("2024-03-01"), Ex.int32(1), type: .date32)) == Ex.dateValue("2024-02-29"))
        #expect(try F.constant(Ex.call(.subtract, Ex.date("2024-03-01"), Ex.date("2024-01-01"), type: .int64)) == .int64(60))
        #expect(try F.constant(Ex.call(.subtract, Ex.date("2024-01-01"), Ex.date("2024-03-01"), type: .int32)) == .int32(-60))
    }

    @Test func datePlusIntervalIsCalendarAware() throws {
        #expect(try F.constant(Ex.call(.add, Ex.date("2024-01-31"), Ex.interval(months: 1), type: .date32)) == Ex.dateValue("2024-02-29"))
        #expect(try F.constant(Ex.call(.add, Ex.date("2023-01-31"), Ex.interval(months: 1), type: .date32)) == Ex.dateValue("2023-02-28"))
        #expect(try F.constant(Ex.call(.subtract, Ex.date("2024-03-31"), Ex.interval(months: 1), type: .date32)) == Ex.dateValue("2024-02-29"))
        #expect(try F.constant(Ex.call(.add, Ex.date("1998-12-01"), Ex.interval(days: -90), type: .date32)) == Ex.dateValue("1998-09-02"))
        #expect(try F.constant(Ex.call(.add, Ex.interval(months: 12), Ex.date("1994-01-01"), type: .date32)) == Ex.dateValue("1995-01-01"))
        #expect(try F.constant(Ex.call(.add, Ex.date("2024-01-01"), Ex.interval(nanoseconds: 2 * 86_400_000_000_000), type: .date32))
                == Ex.dateValue("2024-01-03"))
        #expect(F.errorMessage { try F.constant(Ex.call(.add, Ex.date("2024-01-01"), Ex.interval(nanoseconds: 3_600_000_000_000), type: .date32)) }
                == "cannot add an interval with a time part to a date")
    }

    @Test func dateColumnPlusInterval() throws {
        let (batch, columns) = F.batch([("d", .date32, [Ex.dateValue("2024-01-31"), .null, Ex.dateValue("2024-05-31")])])
        let values = try F.evaluate(Ex.call(.add, .column(columns[0]), Ex.interval(months: 1, days: 1), type: .date32), batch, columns)
        #expect(values == [Ex.dateValue("2024-03-01"), .null, Ex.dateValue("2024-07-01")])
    }

    @Test func intervalArithmetic() throws {
        let sum = try F.constant(Ex.call(.add, Ex.interval(months: 1, days: 2), Ex.interval(months: 2, nanoseconds: 5), type: .interval))
        #expect(sum == .interval(IntervalValue(months: 3, days: 2, nanoseconds: 5)))
        let difference = try F.constant(Ex.call(.subtract, Ex.interval(days: 2), Ex.interval(days: 5), type: .interval))
        #expect(difference == .interval(IntervalValue(days: -3)))
        let product = try F.constant(Ex.call(.multiply, Ex.interval(months: 1, days: 2), Ex.int32(3), type: .interval))
        #expect(product == .interval(IntervalValue(months: 3, days: 6)))
        let reversed = try F.constant(Ex.call(.multiply, Ex.int64(2), Ex.interval(days: 4), type: .interval))
        #expect(reversed == .interval(IntervalValue(days: 8)))
        let negated = try F.constant(Ex.call(.negate, Ex.interval(months: 1, days: -2), type: .interval))
        #expect(negated == .interval(IntervalValue(months: -1, days: 2)))
    }

    @Test func nullOperandsGiveNull() throws {
        #expect(try F.constant(Ex.call(.add, Ex.int32(1), Ex.nullLiteral(.int32), type: .int32)) == .null)
        #expect(try F.constant(Ex.call(.divide, Ex.nullLiteral(.int32), Ex.int32(0), type: .int32)) == .null)
    }
}
