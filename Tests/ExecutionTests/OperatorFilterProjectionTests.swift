import Catalog
import Columnar
@testable import Execution
import LogicalPlan
import Testing

@Suite struct OperatorFilterProjectionTests {
    @Test func filterKeepsRowsWhereThePredicateIsTrue() throws {
        let fixture = Fixture()
        let t = fixture.table("t", [("a", .int32), ("s", .utf8)], [
            [int(1), text("x")], [.null, text("y")], [int(5), .null], [int(7), text("z")],
        ])
        let plan = LogicalPlan.filter(Filter(input: t, predicate: compare(.greater, t.ref(0), literal(2))))
        #expect(lines(try fixture.run(plan)) == ["5|NULL", "7|z"])
    }

    @Test func compactionByRunsMatchesGather() {
        var numbers = ColumnBuilder(.int64), strings = ColumnBuilder(.utf8), flags = ColumnBuilder(.boolean)
        var decimals = ColumnBuilder(.decimal128(precision: 20, scale: 2))
        for row in 0..<1000 {
            if row % 7 == 0 { numbers.appendNull() } else { numbers.append(Int64(row)) }
            if row % 5 == 0 { strings.appendNull() } else { strings.append(string: String(repeating: "s", count: row % 9)) }
            flags.append(row % 3 == 0)
            decimals.append(Int128(row) * 1_000_000_000_000)
        }
        let columns = [numbers.finish(), strings.finish(), flags.finish(), decimals.finish(), nullColumn(.null, count: 1000)]
        let dense: [Int32] = (0..<1000).filter { (row: Int) -> Bool in row % 50 != 3 && row % 50 != 4 }.map { Int32($0) }
        let sparse: [Int32] = (0..<1000).filter { (row: Int) -> Bool in row % 3 == 1 }.map { Int32($0) }
        let selections: [[Int32]] = [dense, sparse, [], [999]]
        for selection in selections {
            let compacted: [Column] = ColumnCompaction.compact(columns, selected: selection)
            let gathered: [Column] = selection.withUnsafeBufferPointer { indices in columns.map { $0.take(indices) } }
            #expect(compacted.map { $0.scalars } == gathered.map { $0.scalars })
            #expect(compacted.map { $0.nullCount } == gathered.map { $0.nullCount })
        }
        #expect(ColumnCompaction.runs(of: [1, 2, 3, 7, 9, 10]).map { [$0.start, $0.length] } == [[1, 3], [7, 1], [9, 2]])
    }

    @Test func projectionPassesColumnsThroughAndComputesExpressions() throws {
        let fixture = Fixture()
        let t = fixture.table("t", [("a", .int32), ("b", .int32)], [[int(1), int(2)], [int(3), .null]])
        let sum = ProjectionItem(output: fixture.column("sum", .int32), expression: .function(.add, [t.ref(0), t.ref(1)], .int32))
        let passThrough = ProjectionItem(output: fixture.column("a", .int32), expression: t.ref(0))
        let batches = try fixture.batches(.projection(Projection(input: t, items: [sum, passThrough])))
        #expect(lines(batches.flatMap(\.rows)) == ["3|1", "NULL|3"])
        #expect(batches.first?.schema.fields.map(\.name) == ["sum", "a"])
    }
}
