import Catalog
import Columnar
@testable import Execution
import LogicalPlan
import Testing

@Suite struct OperatorSortTests {
    @Test func sortsOnSeveralKeysWithNullPlacementStably() throws {
        let fixture = Fixture()
        let t = fixture.table("t", [("a", .int32), ("b", .utf8), ("seq", .int32)], [
            [int(2), text("x"), int(1)], [.null, text("y"), int(2)], [int(1), .null, int(3)], [int(2), .null, int(4)],
            [int(1), text("z"), int(5)], [int(2), text("x"), int(6)], [.null, .null, int(7)], [int(1), text("z"), int(8)],
        ], segmentSize: 3)
        let plan = LogicalPlan.sort(Sort(input: t, keys: [
            SortKey(expression: t.ref(0), isAscending: true, nullsFirst: false),
            SortKey(expression: t.ref(1), isAscending: false, nullsFirst: true),
        ]))
        #expect(lines(try fixture.run(plan)).map { $0.split(separator: "|").last.map(String.init) ?? "" }
            == ["3", "5", "8", "4", "1", "6", "7", "2"])
        let reversed = LogicalPlan.sort(Sort(input: t, keys: [
            SortKey(expression: t.ref(0), isAscending: false, nullsFirst: true),
            SortKey(expression: t.ref(1), isAscending: true, nullsFirst: false),
        ]))
        #expect(lines(try fixture.run(reversed)).map { $0.split(separator: "|").last.map(String.init) ?? "" }
            == ["2", "7", "1", "6", "4", "5", "8", "3"])
    }

    @Test func sortsStringsByBytes() throws {
        let fixture = Fixture()
        let values = ["b", "a", "ab", "B", "", "é", "z", "a\u{0}b", "a\u{0}"]
        let t = fixture.table("t", [("s", .utf8)], values.map { [text($0)] })
        let ascending = try fixture.run(.sort(Sort(input: t, keys: [SortKey(expression: t.ref(0))])))
        let expected = values.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        #expect(ascending.map { $0[0] } == expected.map { text($0) })
        let descending = try fixture.run(.sort(Sort(input: t, keys: [SortKey(expression: t.ref(0), isAscending: false)])))
        #expect(descending.map { $0[0] } == expected.reversed().map { text($0) })
    }

    @Test func sortsFloatsDecimalsAndDates() throws {
        let fixture = Fixture()
        let t = fixture.table("t", [("f", .float64), ("d", .decimal128(precision: 12, scale: 2)), ("day", .date32)], [
            [double(.nan), decimal(-5, 12, 2), .date(3)], [double(-0.0), decimal(100, 12, 2), .date(-3)],
            [double(-2.5), decimal(-500, 12, 2), .date(0)], [double(.infinity), decimal(0, 12, 2), .null], [double(1), .null, .date(1)],
        ])
        let byFloat = try fixture.run(.sort(Sort(input: t, keys: [SortKey(expression: t.ref(0))])))
        #expect(byFloat.map { $0[0].description } == ["-2.5", "0.0", "1.0", "Infinity", "NaN"])
        let byDecimal = try fixture.run(.sort(Sort(input: t, keys: [SortKey(expression: t.ref(1), isAscending: false)])))
        #expect(byDecimal.map { $0[1].description } == ["NULL", "1.00", "0.00", "-0.05", "-5.00"])
        let byDate = try fixture.run(.sort(Sort(input: t, keys: [SortKey(expression: t.ref(2), nullsFirst: true)])))
        #expect(byDate.map { $0[2] } == [.null, .date(-3), .date(0), .date(1), .date(3)])
    }

    @Test func topNKeepsTheFirstRowsInOrder() throws {
        let fixture = Fixture()
        let rows = (0..<30_000).map { index -> [Value] in [int(Int32((index * 7919) % 30_000)), int(Int32(index))] }
        let t = fixture.table("t", [("v", .int32), ("seq", .int32)], rows, segmentSize: 2048)
        let sort = LogicalPlan.sort(Sort(input: t, keys: [SortKey(expression: t.ref(0), isAscending: false)]))
        let top = try fixture.run(.limit(Limit(input: sort, limit: 5)))
        #expect(top.map { $0[0] } == (29_995...29_999).reversed().map { int(Int32($0)) })
        let page = try fixture.run(.limit(Limit(input: sort, limit: 3, offset: 4)))
        #expect(page.map { $0[0] } == [int(29_995), int(29_994), int(29_993)])
        #expect(try fixture.run(.limit(Limit(input: sort, limit: 0))).isEmpty)
    }

    @Test func topNIsStableForTies() throws {
        let fixture = Fixture()
        let rows = (0..<10_000).map { index -> [Value] in [int(Int32(index % 3)), int(Int32(index))] }
        let t = fixture.table("t", [("v", .int32), ("seq", .int32)], rows, segmentSize: 1000)
        let sort = LogicalPlan.sort(Sort(input: t, keys: [SortKey(expression: t.ref(0))]))
        let top = try fixture.run(.limit(Limit(input: sort, limit: 4)))
        #expect(top.map { $0[1] } == [int(0), int(3), int(6), int(9)])
        let full = try fixture.run(sort)
        #expect(full.count == 10_000)
        #expect(full.prefix(3).map { $0[1] } == [int(0), int(3), int(6)])
        #expect(full.last?[1] == int(9998))
    }

    /// Encoded keys of different lengths whose total happens to equal the first key's length times the row
    /// count must not be sorted as fixed-width keys (which cut the longer ones short).
    @Test func stringKeysWhoseLengthsAverageOutSortFully() throws {
        let fixture = Fixture()
        let t = fixture.table("t", [("s", .utf8), ("id", .int32)], [
            [text("ab"), int(0)], [text("abc"), int(1)], [text("abc"), int(2)], [text("a"), int(3)], [text("a"), int(4)],
        ])
        let sorted = try fixture.run(.sort(Sort(input: t, keys: [
            SortKey(expression: t.ref(0)), SortKey(expression: t.ref(1), isAscending: false),
        ])))
        #expect(sorted.map { $0[1] } == [int(4), int(3), int(0), int(2), int(1)])
    }

    @Test func sortOfEmptyInput() throws {
        let fixture = Fixture()
        let t = fixture.table("t", [("v", .int32)], [])
        #expect(try fixture.run(.sort(Sort(input: t, keys: [SortKey(expression: t.ref(0))]))).isEmpty)
        let sort = LogicalPlan.sort(Sort(input: t, keys: [SortKey(expression: t.ref(0))]))
        #expect(try fixture.run(.limit(Limit(input: sort, limit: 3))).isEmpty)
    }
}
