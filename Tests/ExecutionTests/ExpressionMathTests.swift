import Columnar
import LogicalPlan
import Testing
@testable import Execution

@Suite struct ExpressionMathTests {
    typealias F = ExpressionFixture

    @Test func absoluteValues() throws {
        #expect(try F.constant(Ex.call(.abs, Ex.int32(-3), type: .int32)) == .int32(3))
        #expect(try F.constant(Ex.call(.abs, Ex.literal(.float64(-2.5)), type: .float64)) == .float64(2.5))
        #expect(try F.constant(Ex.call(.abs, Ex.decimal("-1.50", 3, 2), type: .decimal128(precision: 3, scale: 2))) == Ex.decimalValue("1.50", 3, 2))
        #expect(F.errorMessage { try F.constant(Ex.call(.abs, Ex.int64(Int64.min), type: .int64)) } == "bigint out of range")
    }

    @Test func roundingIsHalfAwayFromZero() throws {
        #expect(try F.constant(Ex.call(.round, Ex.literal(.float64(2.5)), type: .float64)) == .float64(3))
        #expect(try F.constant(Ex.call(.round, Ex.literal(.float64(-2.5)), type: .float64)) == .float64(-3))
        #expect(try F.constant(Ex.call(.round, Ex.literal(.float64(1.2345)), Ex.int32(2), type: .float64)) == .float64(1.23))
        #expect(try F.constant(Ex.call(.round, Ex.literal(.float64(1250)), Ex.int32(-2), type: .float64)) == .float64(1300))
        // Decimals stay exact; the result scale is the node's.
        #expect(try F.constant(Ex.call(.round, Ex.decimal("2.345", 5, 3), Ex.int32(2), type: .decimal128(precision: 5, scale: 2)))
                == Ex.decimalValue("2.35", 5, 2))
        #expect(try F.constant(Ex.call(.round, Ex.decimal("-2.345", 5, 3), Ex.int32(2), type: .decimal128(precision: 5, scale: 3)))
                == Ex.decimalValue("-2.350", 5, 3))
        #expect(try F.constant(Ex.call(.round, Ex.decimal("2.5", 2, 1), type: .decimal128(precision: 2, scale: 0))) == Ex.decimalValue("3", 2, 0))
        #expect(try F.constant(Ex.call(.round, Ex.decimal("1249.9", 5, 1), Ex.int32(-2), type: .decimal128(precision: 5, scale: 0)))
                == Ex.decimalValue("1200", 5, 0))
        #expect(try F.constant(Ex.call(.round, Ex.int32(1250), Ex.int32(-2), type: .int32)) == .int32(1300))
        #expect(try F.constant(Ex.call(.round, Ex.int32(17), type: .int32)) == .int32(17))
    }

    @Test func floorAndCeiling() throws {
        #expect(try F.constant(Ex.call(.floor, Ex.literal(.float64(-1.5)), type: .float64)) == .float64(-2))
        #expect(try F.constant(Ex.call(.ceil, Ex.literal(.float64(-1.5)), type: .float64)) == .float64(-1))
        #expect(try F.constant(Ex.call(.floor, Ex.decimal("-1.25", 3, 2), type: .decimal128(precision: 3, scale: 0))) == Ex.decimalValue("-2", 3, 0))
        #expect(try F.constant(Ex.call(.ceil, Ex.decimal("1.25", 3, 2), type: .decimal128(precision: 3, scale: 0))) == Ex.decimalValue("2", 3, 0))
        #expect(try F.constant(Ex.call(.ceil, Ex.decimal("-1.25", 3, 2), type: .decimal128(precision: 3, scale: 0))) == Ex.decimalValue("-1", 3, 0))
        #expect(try F.constant(Ex.call(.floor, Ex.int32(5), type: .int32)) == .int32(5))
    }

    @Test func squareRootAndPower() throws {
        #expect(try F.constant(Ex.call(.sqrt, Ex.literal(.float64(16)), type: .float64)) == .float64(4))
        #expect(try F.constant(Ex.call(.sqrt, Ex.int32(9), type: .float64)) == .float64(3))
        #expect(F.errorMessage { try F.constant(Ex.call(.sqrt, Ex.literal(.float64(-1)), type: .float64)) }
                == "cannot take square root of a negative number")
        #expect(try F.constant(Ex.call(.power, Ex.literal(.float64(2)), Ex.literal(.float64(10)), type: .float64)) == .float64(1024))
        #expect(try F.constant(Ex.call(.power, Ex.literal(.float64(-8)), Ex.literal(.float64(3)), type: .float64)) == .float64(-512))
        #expect(F.errorMessage { try F.constant(Ex.call(.power, Ex.literal(.float64(0)), Ex.literal(.float64(-1)), type: .float64)) }
                == "zero raised to a negative power is undefined")
        #expect(F.errorMessage { try F.constant(Ex.call(.power, Ex.literal(.float64(-8)), Ex.literal(.float64(0.5)), type: .float64)) }
                == "a negative number raised to a non-integer power yields a complex result")
    }

    @Test func extractFromDates() throws {
        func extract(_ field: DateField, _ text: String) throws -> Value {
            try F.constant(Ex.call(.extract(field), Ex.date(text), type: .int64))
        }
        #expect(try extract(.year, "1995-03-15") == .int64(1995))
        #expect(try extract(.quarter, "1995-03-15") == .int64(1))
        #expect(try extract(.quarter, "1995-10-01") == .int64(4))
        #expect(try extract(.month, "1995-03-15") == .int64(3))
        #expect(try extract(.day, "1995-03-15") == .int64(15))
        #expect(try extract(.dayOfWeek, "2024-06-02") == .int64(0))
        #expect(try extract(.dayOfWeek, "2024-06-08") == .int64(6))
        #expect(try extract(.dayOfYear, "2024-12-31") == .int64(366))
        #expect(try extract(.week, "2021-01-03") == .int64(53))
        #expect(try extract(.week, "2021-01-04") == .int64(1))
        #expect(try extract(.week, "2024-12-30") == .int64(1))
        #expect(try extract(.epoch, "1970-01-02") == .int64(86_400))
        #expect(try extract(.year, "1969-12-31") == .int64(1969))
        // The declared result type is honoured.
        #expect(try F.constant(Ex.call(.extract(.year), Ex.date("2000-01-01"), type: .int32)) == .int32(2000))
    }

    @Test func extractFromIntervals() throws {
        let value = Ex.interval(months: 27, days: 5, nanoseconds: 3_600_000_000_000)
        #expect(try F.constant(Ex.call(.extract(.year), value, type: .int64)) == .int64(2))
        #expect(try F.constant(Ex.call(.extract(.month), value, type: .int64)) == .int64(3))
        #expect(try F.constant(Ex.call(.extract(.day), value, type: .int64)) == .int64(5))
        #expect(try F.constant(Ex.call(.extract(.hour), value, type: .int64)) == .int64(1))
    }

    @Test func extractOnAColumn() throws {
        let (batch, columns) = F.batch([("d", .date32, [Ex.dateValue("1992-01-01"), .null, Ex.dateValue("1998-08-02")])])
        #expect(try F.evaluate(Ex.call(.extract(.year), .column(columns[0]), type: .int64), batch, columns) == [.int64(1992), .null, .int64(1998)])
    }
}
