import Columnar
import LogicalPlan
import Testing
@testable import Execution

@Suite struct ExpressionComparisonTests {
    typealias F = ExpressionFixture

    @Test(arguments: [
        (ScalarFunction.equal, [false, true, false]), (.notEqual, [true, false, true]), (.less, [true, false, false]),
        (.lessOrEqual, [true, true, false]), (.greater, [false, false, true]), (.greaterOrEqual, [false, true, true]),
    ])
    func integerComparisons(function: ScalarFunction, expected: [Bool]) throws {
        let (batch, columns) = F.batch([("a", .int64, [.int64(1), .int64(5), .int64(9), .null])])
        let values = try F.evaluate(Ex.call(function, .column(columns[0]), Ex.int64(5), type: .boolean), batch, columns)
        #expect(values == expected.map { Value.boolean($0) } + [.null])
        // The constant on the left flips the operator.
        let flipped = try F.evaluate(Ex.call(function, Ex.int64(5), .column(columns[0]), type: .boolean), batch, columns)
        let mirrored: [Bool]
        switch function {
        case .less: mirrored = [false, false, true]
        case .lessOrEqual: mirrored = [false, true, true]
        case .greater: mirrored = [true, false, false]
        case .greaterOrEqual: mirrored = [true, true, false]
        default: mirrored = expected
        }
        #expect(flipped == mirrored.map { Value.boolean($0) } + [.null])
    }

    @Test func stringsCompareByBytes() throws {
        let (batch, columns) = F.batch([("a", .utf8, [.string("a"), .string("ab"), .string("b"), .string(""), .string("é")]),
                                        ("b", .utf8, [.string("ab"), .string("a"), .string("b"), .string("a"), .string("z")])])
        let less = try F.evaluate(Ex.call(.less, .column(columns[0]), .column(columns[1]), type: .boolean), batch, columns)
        #expect(less == [true, false, false, true, false].map { Value.boolean($0) })
        let equal = try F.evaluate(Ex.call(.equal, .column(columns[0]), Ex.text("b"), type: .boolean), batch, columns)
        #expect(equal == [false, false, true, false, false].map { Value.boolean($0) })
    }

    @Test func otherTypesCompare() throws {
        #expect(try F.constant(Ex.call(.less, Ex.date("2024-01-01"), Ex.date("2024-01-02"), type: .boolean)) == .boolean(true))
        #expect(try F.constant(Ex.call(.greater, Ex.literal(.float64(1.5)), Ex.literal(.float64(-2)), type: .boolean)) == .boolean(true))
        #expect(try F.constant(Ex.call(.less, Ex.boolean(false), Ex.boolean(true), type: .boolean)) == .boolean(true))
        #expect(try F.constant(Ex.call(.equal, Ex.interval(months: 1), Ex.interval(days: 30), type: .boolean)) == .boolean(true))
        #expect(try F.constant(Ex.call(.less, Ex.interval(days: 29), Ex.interval(months: 1), type: .boolean)) == .boolean(true))
        // Decimals of different scales compare by value.
        #expect(try F.constant(Ex.call(.equal, Ex.decimal("1.5", 2, 1), Ex.decimal("1.50", 3, 2), type: .boolean)) == .boolean(true))
        #expect(try F.constant(Ex.call(.less, Ex.decimal("1.49", 3, 2), Ex.decimal("1.5", 2, 1), type: .boolean)) == .boolean(true))
        #expect(try F.constant(Ex.call(.equal, Ex.int32(1), Ex.nullLiteral(.int32), type: .boolean)) == .null)
    }

    @Test func distinctFromTreatsNullsAsEqual() throws {
        let (batch, columns) = F.batch([("a", .int32, [.int32(1), .int32(1), .null, .null]),
                                        ("b", .int32, [.int32(1), .int32(2), .int32(1), .null])])
        let a = Expression.column(columns[0]), b = Expression.column(columns[1])
        #expect(try F.evaluate(Ex.call(.isDistinctFrom, a, b, type: .boolean), batch, columns)
                == [false, true, true, false].map { Value.boolean($0) })
        #expect(try F.evaluate(Ex.call(.isNotDistinctFrom, a, b, type: .boolean), batch, columns)
                == [true, false, false, true].map { Value.boolean($0) })
        #expect(try F.constant(Ex.call(.isDistinctFrom, Ex.nullLiteral(.int32), Ex.int32(3), type: .boolean)) == .boolean(true))
    }

    @Test func selectTrueSkipsFalseAndNull() throws {
        let values: [Value] = (0..<200).map { $0 % 7 == 0 ? .null : .int32(Int32($0)) }
        let (batch, columns) = F.batch([("a", .int32, values)])
        let predicate = try CompiledExpression(Ex.call(.greaterOrEqual, .column(columns[0]), Ex.int32(150), type: .boolean),
                                               layout: ColumnLayout(columns))
        let expected = (150..<200).filter { $0 % 7 != 0 }.map { Int32($0) }
        #expect(try predicate.selectTrue(batch) == expected)
        let selection: [Int32] = [3, 7, 151, 152, 199, 154]
        let selected = try selection.withUnsafeBufferPointer { try predicate.selectTrue(batch, selection: $0) }
        #expect(selected == [151, 152, 199])
    }

    @Test func conjunctionSelectsLikeAFilter() throws {
        let (batch, columns) = F.batch([
            ("quantity", .int32, (0..<100).map { .int32(Int32($0 % 50)) }),
            ("discount", .decimal128(precision: 12, scale: 2), (0..<100).map { .decimal(Int128($0 % 11), precision: 12, scale: 2) }),
            ("shipdate", .date32, (0..<100).map { .date(Int32(9000 + $0)) }),
        ])
        let quantity = Expression.column(columns[0]), discount = Expression.column(columns[1]), shipdate = Expression.column(columns[2])
        let predicate = Expression.and([
            Ex.call(.greaterOrEqual, shipdate, Ex.literal(.date(9010)), type: .boolean),
            Ex.call(.less, shipdate, Ex.literal(.date(9080)), type: .boolean),
            Ex.call(.greaterOrEqual, discount, Ex.decimal("0.05", 12, 2), type: .boolean),
            Ex.call(.lessOrEqual, discount, Ex.decimal("0.07", 12, 2), type: .boolean),
            Ex.call(.less, quantity, Ex.int32(24), type: .boolean),
        ])
        let compiled = try CompiledExpression(predicate, layout: ColumnLayout(columns))
        let expected = (10..<80).filter { (5...7).contains($0 % 11) && $0 % 50 < 24 }.map { Int32($0) }
        #expect(try compiled.selectTrue(batch) == expected)
        // The same predicate evaluated as a boolean column agrees.
        let column = try compiled.evaluate(batch)
        let trueRows = (0..<100).filter { column.scalar(at: $0) == .boolean(true) }.map { Int32($0) }
        #expect(trueRows == expected)
        // And under a selection.
        let selection = (0..<100).filter { $0 % 2 == 0 }.map { Int32($0) }
        let selected = try selection.withUnsafeBufferPointer { try compiled.selectTrue(batch, selection: $0) }
        #expect(selected == expected.filter { $0 % 2 == 0 })
    }

    @Test func evaluateWithSelection() throws {
        let (batch, columns) = F.batch([("a", .int32, [.int32(1), .null, .int32(3), .int32(4)]),
                                        ("s", .utf8, [.string("w"), .string("x"), .null, .string("z")])])
        let compiled = try CompiledExpression(Ex.call(.add, .column(columns[0]), Ex.int32(10), type: .int32), layout: ColumnLayout(columns))
        let selection: [Int32] = [3, 1, 3, 0]
        let values = try selection.withUnsafeBufferPointer { try compiled.evaluate(batch, selection: $0) }
        #expect(values.scalars == [.int32(14), .null, .int32(14), .int32(11)])
        let strings = try CompiledExpression(.column(columns[1]), layout: ColumnLayout(columns))
        let gathered = try selection.withUnsafeBufferPointer { try strings.evaluate(batch, selection: $0) }
        #expect(gathered.scalars == [.string("z"), .string("x"), .string("z"), .string("w")])
        let constant = try CompiledExpression(Ex.text("k"), layout: ColumnLayout(columns))
        let repeated = try selection.withUnsafeBufferPointer { try constant.evaluate(batch, selection: $0) }
        #expect(repeated.scalars == Array(repeating: .string("k"), count: 4))
    }

    @Test func literalsFillTheBatch() throws {
        let (batch, columns) = F.batch([("a", .int32, [.int32(1), .int32(2), .int32(3)])])
        #expect(try F.evaluate(Ex.decimal("1.25", 5, 2), batch, columns) == Array(repeating: Ex.decimalValue("1.25", 5, 2), count: 3))
        #expect(try F.evaluate(Ex.nullLiteral(.utf8), batch, columns) == [.null, .null, .null])
        let column = try CompiledExpression(Ex.nullLiteral(.utf8), layout: ColumnLayout(columns)).evaluate(batch)
        #expect(column.dataType == .utf8)
        #expect(column.nullCount == 3)
    }
}

@Suite struct ExpressionFloatComparisonTests {
    typealias F = ExpressionFixture

    @Test func nanAndNegativeZeroCompareLikePostgreSQL() throws {
        let nan = Ex.literal(.float64(.nan)), zero = Ex.literal(.float64(0)), negativeZero = Ex.literal(.float64(-0.0))
        #expect(try F.constant(Ex.call(.equal, nan, nan, type: .boolean)) == .boolean(true))
        #expect(try F.constant(Ex.call(.greater, nan, Ex.literal(.float64(.infinity)), type: .boolean)) == .boolean(true))
        #expect(try F.constant(Ex.call(.equal, zero, negativeZero, type: .boolean)) == .boolean(true))
        #expect(try F.constant(Ex.call(.less, Ex.literal(.float64(-2)), Ex.literal(.float64(-1)), type: .boolean)) == .boolean(true))
        #expect(try F.constant(Ex.call(.less, Ex.literal(.float64(-.infinity)), Ex.literal(.float64(-1e308)), type: .boolean)) == .boolean(true))
        #expect(try F.constant(Ex.call(.less, Ex.literal(.float32(1.5)), Ex.literal(.float32(2.5)), type: .boolean)) == .boolean(true))
    }
}
