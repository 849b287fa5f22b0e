import Catalog
import Columnar
import LogicalPlan
import Testing
@testable import Execution

@Suite struct ExpressionCompilationTests {
    typealias F = ExpressionFixture

    @Test func unknownColumnsAndSubqueriesAreErrors() {
        let missing = PlanColumn(id: ColumnID(99), name: "ghost", dataType: .int32)
        #expect(F.errorMessage { try CompiledExpression(.column(missing), layout: ColumnLayout([])) }
                == "column ghost (#99) is not available in the input")
        let subquery = SubqueryExpression(kind: .exists, isNegated: false, operand: nil,
                                          plan: .values(Values(columns: [], rows: [])), correlatedColumns: [], dataType: .boolean)
        #expect(F.errorMessage { try CompiledExpression(.subquery(subquery), layout: ColumnLayout([])) }
                == "subqueries must be decorrelated before execution")
    }

    @Test func layoutsMapIdsToPositions() {
        let a = PlanColumn(id: ColumnID(7), name: "a", dataType: .int32), b = PlanColumn(id: ColumnID(3), name: "b", dataType: .int32)
        let layout = ColumnLayout([a, b])
        #expect(layout.position(of: ColumnID(7)) == 0)
        #expect(layout.position(of: ColumnID(3)) == 1)
        #expect(layout.position(of: ColumnID(1)) == nil)
        #expect(ColumnLayout(positions: [ColumnID(1): 4]).position(of: ColumnID(1)) == 4)
    }

    @Test func evaluateConstantFoldsExpressions() throws {
        let expression = Ex.call(.add, Ex.call(.multiply, Ex.int64(6), Ex.int64(7), type: .int64), Ex.int64(1), type: .int64)
        #expect(try evaluateConstant(expression) == .int64(43))
        #expect(try evaluateConstant(Ex.call(.concatenate, Ex.text("a"), Ex.text("b"), type: .utf8)) == .string("ab"))
        #expect(try evaluateConstant(Ex.nullLiteral(.int32)) == .null)
        #expect(try evaluateConstant(.literal(.int32(5), .int64)) == .int64(5))
        #expect(F.errorMessage { try evaluateConstant(Ex.call(.divide, Ex.int32(1), Ex.int32(0), type: .int32)) } == "division by zero")
    }

    @Test func resultsHaveTheDeclaredType() throws {
        let (batch, columns) = F.batch([("a", .int32, [.int32(1), .int32(2)])])
        let compiled = try CompiledExpression(.column(columns[0]), layout: ColumnLayout(columns))
        #expect(compiled.dataType == .int32)
        let cast = try CompiledExpression(.cast(.column(columns[0]), .int64), layout: ColumnLayout(columns))
        #expect(cast.dataType == .int64)
        #expect(try cast.evaluate(batch).dataType == .int64)
        let comparison = try CompiledExpression(Ex.call(.equal, .column(columns[0]), Ex.int32(1), type: .boolean), layout: ColumnLayout(columns))
        #expect(try comparison.evaluate(batch).dataType == .boolean)
    }

    @Test func emptyBatches() throws {
        let (batch, columns) = F.batch([("a", .int32, [])])
        let compiled = try CompiledExpression(Ex.call(.add, .column(columns[0]), Ex.int32(1), type: .int32), layout: ColumnLayout(columns))
        #expect(try compiled.evaluate(batch).count == 0)
        let predicate = try CompiledExpression(Ex.call(.equal, .column(columns[0]), Ex.int32(1), type: .boolean), layout: ColumnLayout(columns))
        #expect(try predicate.selectTrue(batch) == [])
    }
}
