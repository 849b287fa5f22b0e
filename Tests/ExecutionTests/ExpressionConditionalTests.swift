import Columnar
import LogicalPlan
import Testing
@testable import Execution

@Suite struct ExpressionConditionalTests {
    typealias F = ExpressionFixture

    private func stringBatch() -> (RecordBatch, [PlanColumn]) {
        F.batch([("s", .utf8, [.string("pear"), .null, .string("apple"), .string("fig"), .null]),
                 ("t", .utf8, [.string("plum"), .string("kiwi"), .null, .string("date"), .null]),
                 ("n", .int32, [.int32(1), .int32(2), .int32(3), .int32(4), .int32(5)])])
    }

    @Test func caseUnderASelectionAndWithColumnResults() throws {
        let (batch, columns) = stringBatch()
        let n = Expression.column(columns[2])
        let expression = Expression.caseWhen(whens: [
            CaseBranch(condition: Ex.call(.less, n, Ex.int32(3), type: .boolean), result: .column(columns[0])),
        ], elseResult: .column(columns[1]), .utf8)
        #expect(try F.evaluate(expression, batch, columns) == [.string("pear"), .null, .null, .string("date"), .null])
        let compiled = try CompiledExpression(expression, layout: ColumnLayout(columns))
        let selection: [Int32] = [4, 3, 0, 0]
        let values = try selection.withUnsafeBufferPointer { try compiled.evaluate(batch, selection: $0) }
        #expect(values.scalars == [.null, .string("date"), .string("pear"), .string("pear")])
    }

    @Test func caseWithNullConditionsFallsThrough() throws {
        let (batch, columns) = F.batch([("b", .boolean, [.boolean(true), .null, .boolean(false)])])
        let expression = Expression.caseWhen(whens: [CaseBranch(condition: .column(columns[0]), result: Ex.int64(1))],
                                             elseResult: Ex.int64(0), .int64)
        #expect(try F.evaluate(expression, batch, columns) == [.int64(1), .int64(0), .int64(0)])
        let noElse = Expression.caseWhen(whens: [CaseBranch(condition: .column(columns[0]), result: Ex.decimal("1.5", 2, 1))],
                                         elseResult: Ex.nullLiteral(.decimal128(precision: 2, scale: 1)), .decimal128(precision: 2, scale: 1))
        #expect(try F.evaluate(noElse, batch, columns) == [Ex.decimalValue("1.5", 2, 1), .null, .null])
    }

    @Test func coalesceAndGreatestOnStrings() throws {
        let (batch, columns) = stringBatch()
        let s = Expression.column(columns[0]), t = Expression.column(columns[1])
        #expect(try F.evaluate(Ex.call(.coalesce, s, t, Ex.text("none"), type: .utf8), batch, columns)
                == [.string("pear"), .string("kiwi"), .string("apple"), .string("fig"), .string("none")])
        #expect(try F.evaluate(Ex.call(.greatest, s, t, type: .utf8), batch, columns)
                == [.string("plum"), .string("kiwi"), .string("apple"), .string("fig"), .null])
        #expect(try F.evaluate(Ex.call(.least, s, t, type: .utf8), batch, columns)
                == [.string("pear"), .string("kiwi"), .string("apple"), .string("date"), .null])
        #expect(try F.evaluate(Ex.call(.nullIf, s, Ex.text("fig"), type: .utf8), batch, columns)
                == [.string("pear"), .null, .string("apple"), .null, .null])
        #expect(try F.evaluate(Ex.call(.isDistinctFrom, s, t, type: .boolean), batch, columns)
                == [true, true, true, true, false].map { Value.boolean($0) })
    }

    @Test func notInWithLongListsAndNulls() throws {
        let (batch, columns) = stringBatch()
        let items = ["apple", "banana", "cherry", "date", "elder", "fig", "grape"].map { Ex.text($0) }
        let notIn = Expression.inList(.column(columns[0]), items, isNegated: true)
        #expect(try F.evaluate(notIn, batch, columns) == [.boolean(true), .null, .boolean(false), .boolean(false), .null])
        let withNull = Expression.inList(.column(columns[0]), items + [Ex.nullLiteral(.utf8)], isNegated: true)
        #expect(try F.evaluate(withNull, batch, columns) == [.null, .null, .boolean(false), .boolean(false), .null])
        let numbers = Expression.inList(.column(columns[2]), (10..<20).map { Ex.int32($0) } + [Ex.int32(2), Ex.nullLiteral(.int32)], isNegated: false)
        #expect(try F.evaluate(numbers, batch, columns) == [.null, .boolean(true), .null, .null, .null])
        #expect(try CompiledExpression(numbers, layout: ColumnLayout(columns)).selectTrue(batch) == [1])
    }

    @Test func ilikeOnAColumn() throws {
        let (batch, columns) = stringBatch()
        let expression = Expression.function(.like(caseInsensitive: true), [.column(columns[0]), Ex.text("%P%")], .boolean)
        #expect(try F.evaluate(expression, batch, columns) == [.boolean(true), .null, .boolean(true), .boolean(false), .null])
    }

    @Test func constantValueOfFoldedExpressions() throws {
        let folded = try CompiledExpression(Ex.call(.equal, Ex.int32(1), Ex.int32(0), type: .boolean), layout: ColumnLayout([]))
        #expect(folded.constantValue == .boolean(false))
        let (_, columns) = stringBatch()
        let notFolded = try CompiledExpression(.column(columns[2]), layout: ColumnLayout(columns))
        #expect(notFolded.constantValue == nil)
        // A failing constant stays unfolded until evaluated.
        let failing = try CompiledExpression(Ex.call(.divide, Ex.int32(1), Ex.int32(0), type: .int32), layout: ColumnLayout([]))
        #expect(failing.constantValue == nil)
    }
}
