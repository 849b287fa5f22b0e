import Columnar
import LogicalPlan
import Testing
@testable import Execution

@Suite struct ExpressionLogicTests {
    typealias F = ExpressionFixture

    /// The nine combinations of TRUE, FALSE and NULL, as two columns.
    private func truthTable() -> (RecordBatch, [PlanColumn]) {
        let values: [Value] = [.boolean(true), .boolean(false), .null]
        var left: [Value] = [], right: [Value] = []
        for a in values { for b in values { left.append(a); right.append(b) } }
        let (batch, columns) = F.batch([("a", .boolean, left), ("b", .boolean, right)])
        return (batch, columns)
    }

    @Test func andUsesThreeValuedLogic() throws {
        let (batch, columns) = truthTable()
        let values = try F.evaluate(.and([.column(columns[0]), .column(columns[1])]), batch, columns)
        let t = Value.boolean(true), f = Value.boolean(false), n = Value.null
        #expect(values == [t, f, n, f, f, f, n, f, n])
    }

    @Test func orUsesThreeValuedLogic() throws {
        let (batch, columns) = truthTable()
        let values = try F.evaluate(.or([.column(columns[0]), .column(columns[1])]), batch, columns)
        let t = Value.boolean(true), f = Value.boolean(false), n = Value.null
        #expect(values == [t, t, t, t, f, n, t, n, n])
        let compiled = try CompiledExpression(.or([.column(columns[0]), .column(columns[1])]), layout: ColumnLayout(columns))
        #expect(try compiled.selectTrue(batch) == [0, 1, 2, 3, 6])
    }

    @Test func notAndTruthTests() throws {
        let (batch, columns) = F.batch([("a", .boolean, [.boolean(true), .boolean(false), .null])])
        let a = Expression.column(columns[0])
        #expect(try F.evaluate(.not(a), batch, columns) == [.boolean(false), .boolean(true), .null])
        let expectations: [(ScalarFunction, [Bool])] = [
            (.isNull, [false, false, true]), (.isNotNull, [true, true, false]), (.isTrue, [true, false, false]),
            (.isFalse, [false, true, false]), (.isNotTrue, [false, true, true]), (.isNotFalse, [true, false, true]),
        ]
        for (function, expected) in expectations {
            #expect(try F.evaluate(Ex.call(function, a, type: .boolean), batch, columns) == expected.map { Value.boolean($0) })
        }
        let compiled = try CompiledExpression(.not(a), layout: ColumnLayout(columns))
        #expect(try compiled.selectTrue(batch) == [1])
    }

    @Test func andIsLazyAboutLaterOperands() throws {
        let (batch, columns) = F.batch([("x", .int32, [.int32(0), .int32(2), .int32(0), .int32(1)])])
        let x = Expression.column(columns[0])
        let predicate = Expression.and([
            Ex.call(.notEqual, x, Ex.int32(0), type: .boolean),
            Ex.call(.equal, Ex.call(.divide, Ex.int32(2), x, type: .int32), Ex.int32(1), type: .boolean),
        ])
        #expect(try F.evaluate(predicate, batch, columns) == [.boolean(false), .boolean(true), .boolean(false), .boolean(false)])
        #expect(try CompiledExpression(predicate, layout: ColumnLayout(columns)).selectTrue(batch) == [1])
    }

    @Test func operandsThatCannotFailRunFirstCheapestFirst() throws {
        let (batch, columns) = F.batch([("x", .int32, [.int32(0), .int32(2), .null, .int32(1)]),
                                        ("s", .utf8, [.string("MAIL"), .string("SHIP"), .string("SHIP"), .null])])
        let x = Expression.column(columns[0]), s = Expression.column(columns[1])
        let divides = Ex.call(.equal, Ex.call(.divide, Ex.int32(2), x, type: .int32), Ex.int32(1), type: .boolean)
        let isShip = Ex.call(.equal, s, Ex.text("SHIP"), type: .boolean)
        let nonZero = Ex.call(.notEqual, x, Ex.int32(0), type: .boolean)
        // The division comes first as written, but the comparisons that cannot fail are evaluated before it, so
        // it never sees the row where x = 0 (and its errors stay in written order among fallible operands).
        let predicate = Expression.and([divides, isShip, nonZero])
        #expect(try F.evaluate(predicate, batch, columns) == [.boolean(false), .boolean(true), .null, .boolean(false)])
        #expect(try CompiledExpression(predicate, layout: ColumnLayout(columns)).selectTrue(batch) == [1])
        let disjunction = Expression.or([divides, isShip, Ex.call(.equal, x, Ex.int32(0), type: .boolean)])
        #expect(try F.evaluate(disjunction, batch, columns) == [.boolean(true), .boolean(true), .boolean(true), .null])
        let compiler = ExpressionCompiler(layout: ColumnLayout(columns))
        let order = compiler.evaluationOrder(try [divides, isShip, nonZero].map { try compiler.compile($0) })
        #expect(order.map { ExpressionCompiler.evaluationCost($0) } == [0, 2, 1])
        #expect(!order[2].isInfallible)
    }

    @Test func inListNullSemantics() throws {
        #expect(try F.constant(.inList(Ex.int32(1), [Ex.int32(2), Ex.nullLiteral(.int32)], isNegated: false)) == .null)
        #expect(try F.constant(.inList(Ex.int32(2), [Ex.int32(2), Ex.nullLiteral(.int32)], isNegated: false)) == .boolean(true))
        #expect(try F.constant(.inList(Ex.int32(1), [Ex.int32(2), Ex.nullLiteral(.int32)], isNegated: true)) == .null)
        #expect(try F.constant(.inList(Ex.int32(2), [Ex.int32(2), Ex.nullLiteral(.int32)], isNegated: true)) == .boolean(false))
        #expect(try F.constant(.inList(Ex.int32(1), [Ex.int32(2), Ex.int32(3)], isNegated: true)) == .boolean(true))
        #expect(try F.constant(.inList(Ex.nullLiteral(.int32), [Ex.int32(2)], isNegated: false)) == .null)
    }

    @Test func inListOnColumnsWithShortAndLongLists() throws {
        let (batch, columns) = F.batch([("a", .int64, [.int64(1), .int64(5), .null, .int64(42), .int64(7)]),
                                        ("s", .utf8, [.string("MAIL"), .string("SHIP"), .string("AIR"), .null, .string("RAIL")])])
        let short = Expression.inList(.column(columns[0]), [Ex.int64(5), Ex.int64(7)], isNegated: false)
        #expect(try F.evaluate(short, batch, columns) == [.boolean(false), .boolean(true), .null, .boolean(false), .boolean(true)])
        let long = Expression.inList(.column(columns[0]), (40..<50).map { Ex.int64($0) } + [Ex.int64(1)], isNegated: true)
        #expect(try F.evaluate(long, batch, columns) == [.boolean(false), .boolean(true), .null, .boolean(false), .boolean(true)])
        let strings = Expression.inList(.column(columns[1]), ["MAIL", "SHIP", "TRUCK", "FOB", "REG AIR", "X"].map { Ex.text($0) }, isNegated: false)
        #expect(try F.evaluate(strings, batch, columns) == [.boolean(true), .boolean(true), .boolean(false), .null, .boolean(false)])
        #expect(try CompiledExpression(strings, layout: ColumnLayout(columns)).selectTrue(batch) == [0, 1])
        // Items that are expressions.
        let dynamic = Expression.inList(Ex.int64(5), [.column(columns[0]), Ex.int64(0)], isNegated: false)
        #expect(try F.evaluate(dynamic, batch, columns) == [.boolean(false), .boolean(true), .null, .boolean(false), .boolean(false)])
    }

    @Test func caseIsLazy() throws {
        let (batch, columns) = F.batch([("x", .int32, [.int32(0), .int32(2), .null, .int32(-1)])])
        let x = Expression.column(columns[0])
        let expression = Expression.caseWhen(
            whens: [CaseBranch(condition: Ex.call(.equal, x, Ex.int32(0), type: .boolean), result: Ex.int32(0))],
            elseResult: Ex.call(.divide, Ex.int32(10), x, type: .int32), .int32)
        #expect(try F.evaluate(expression, batch, columns) == [.int32(0), .int32(5), .null, .int32(-10)])
        // A constant error in an unreached branch never fires.
        let unreached = Expression.caseWhen(
            whens: [CaseBranch(condition: Ex.call(.greater, x, Ex.int32(100), type: .boolean), result: Ex.call(.divide, Ex.int32(1), Ex.int32(0), type: .int32))],
            elseResult: x, .int32)
        #expect(try F.evaluate(unreached, batch, columns) == [.int32(0), .int32(2), .null, .int32(-1)])
    }

    @Test func caseWithSeveralBranchesAndStrings() throws {
        let (batch, columns) = F.batch([("x", .int32, [.int32(1), .int32(2), .int32(3), .null])])
        let x = Expression.column(columns[0])
        let expression = Expression.caseWhen(whens: [
            CaseBranch(condition: Ex.call(.equal, x, Ex.int32(1), type: .boolean), result: Ex.text("one")),
            CaseBranch(condition: Ex.call(.equal, x, Ex.int32(2), type: .boolean), result: Ex.text("two")),
        ], elseResult: Ex.nullLiteral(.utf8), .utf8)
        #expect(try F.evaluate(expression, batch, columns) == [.string("one"), .string("two"), .null, .null])
    }

    @Test func coalesceIsLazy() throws {
        let (batch, columns) = F.batch([("x", .int32, [.int32(4), .null, .int32(0)]), ("y", .int32, [.int32(0), .int32(9), .null])])
        let expression = Ex.call(.coalesce, .column(columns[0]), Ex.call(.divide, Ex.int32(18), .column(columns[1]), type: .int32),
                                 Ex.int32(-1), type: .int32)
        #expect(try F.evaluate(expression, batch, columns) == [.int32(4), .int32(2), .int32(0)])
        let strings = Ex.call(.coalesce, Ex.nullLiteral(.utf8), Ex.text("x"), type: .utf8)
        #expect(try F.constant(strings) == .string("x"))
    }

    @Test func nullIfGreatestLeast() throws {
        let (batch, columns) = F.batch([("a", .int32, [.int32(1), .int32(2), .null]), ("b", .int32, [.int32(1), .int32(3), .int32(5)])])
        let a = Expression.column(columns[0]), b = Expression.column(columns[1])
        #expect(try F.evaluate(Ex.call(.nullIf, a, b, type: .int32), batch, columns) == [.null, .int32(2), .null])
        #expect(try F.evaluate(Ex.call(.greatest, a, b, Ex.int32(2), type: .int32), batch, columns) == [.int32(2), .int32(3), .int32(5)])
        #expect(try F.evaluate(Ex.call(.least, a, b, type: .int32), batch, columns) == [.int32(1), .int32(2), .int32(5)])
        #expect(try F.constant(Ex.call(.greatest, Ex.nullLiteral(.int32), Ex.nullLiteral(.int32), type: .int32)) == .null)
        #expect(try F.constant(Ex.call(.least, Ex.text("b"), Ex.text("a"), Ex.nullLiteral(.utf8), type: .utf8)) == .string("a"))
    }
}
