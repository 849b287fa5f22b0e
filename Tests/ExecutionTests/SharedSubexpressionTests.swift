import Columnar
import LogicalPlan
@testable import Execution
import Testing

/// Calls shared by several expressions are computed once per batch, never reused across batches or selections.
@Suite struct SharedSubexpressionTests {
    typealias F = ExpressionFixture

    private func batch(_ a: [Value], _ b: [Value]) -> (RecordBatch, [PlanColumn]) {
        F.batch([("a", .int64, a), ("b", .int64, b)])
    }

    @Test func oneWrapperPerSharedCallValuesPerBatch() throws {
        let (first, columns) = batch([.int64(1), .int64(2), .null], [.int64(10), .int64(20), .int64(30)])
        let a = Expression.column(columns[0]), b = Expression.column(columns[1])
        let product = Ex.call(.multiply, a, b, type: .int64)
        let plusOne = Ex.call(.add, product, Ex.int64(1), type: .int64)
        let shared = SharedSubexpressions([product, plusOne])
        #expect(!shared.isEmpty)
        let layout = ColumnLayout(columns)
        let compiledProduct = try CompiledExpression(product, layout: layout, shared: shared)
        let compiledPlusOne = try CompiledExpression(plusOne, layout: layout, shared: shared)
        shared.startBatch()
        let p1 = try compiledProduct.evaluate(first)
        #expect(try compiledPlusOne.evaluate(first).scalars == [.int64(11), .int64(41), .null])
        // Within the batch the product is reused (the very same buffer).
        #expect(try compiledProduct.evaluate(first).values === p1.values)
        // Under a selection it is computed for the selected rows, not taken from the cache.
        let selected: [Int32] = [1]
        #expect(try selected.withUnsafeBufferPointer { try compiledProduct.evaluate(first, selection: $0) }.scalars == [.int64(40)])
        // A new batch gets new values.
        let (second, _) = batch([.int64(3), .int64(4), .int64(5)], [.int64(1), .null, .int64(2)])
        shared.startBatch()
        #expect(try compiledPlusOne.evaluate(second).scalars == [.int64(4), .null, .int64(11)])
        #expect(try compiledProduct.evaluate(second).scalars == [.int64(3), .null, .int64(10)])
    }

    @Test func nothingSharedWithoutRepeatedCalls() {
        let (_, columns) = batch([], [])
        let a = Expression.column(columns[0])
        let shared = SharedSubexpressions([Ex.call(.add, a, Ex.int64(1), type: .int64), a, a])
        #expect(shared.isEmpty)
    }

    @Test func aggregatesSharingAProductOverSeveralBatches() throws {
        let (first, columns) = batch([.int64(1), .int64(2), .null], [.int64(10), .int64(20), .int64(30)])
        let (second, _) = batch([.int64(3), .int64(-4)], [.int64(5), .int64(6)])
        let a = Expression.column(columns[0]), b = Expression.column(columns[1])
        let product = Ex.call(.multiply, a, b, type: .int64)
        let plusB = Ex.call(.add, product, b, type: .int64)
        let calls = [
            AggregateCall(function: .sum, arguments: [product], output: PlanColumn(id: ColumnID(10), name: "p", dataType: .decimal128(precision: 38, scale: 0))),
            AggregateCall(function: .sum, arguments: [plusB], output: PlanColumn(id: ColumnID(11), name: "q", dataType: .decimal128(precision: 38, scale: 0))),
        ]
        let state = try AggregationState(groupKeys: [], aggregates: calls, layout: ColumnLayout(columns))
        try state.consume(first)
        try state.consume(second)
        let (results, rowCount) = try state.finish()
        #expect(rowCount == 1)
        // Products: 10, 40, NULL, 15, -24 → 41; plus b: 20, 60, NULL, 20, -18 → 82.
        #expect(results[0].scalars == [.decimal(41, precision: 38, scale: 0)])
        #expect(results[1].scalars == [.decimal(82, precision: 38, scale: 0)])
    }
}
