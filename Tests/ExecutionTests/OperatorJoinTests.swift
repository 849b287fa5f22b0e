import Catalog
import Columnar
@testable import Execution
import LogicalPlan
import Testing

@Suite struct OperatorJoinTests {
    private func tables(_ fixture: Fixture, rightHasNull: Bool = true) -> (LogicalPlan, LogicalPlan) {
        let left = fixture.table("l", [("id", .int32), ("k", .int32)], [
            [int(1), int(1)], [int(2), int(2)], [int(3), .null], [int(4), int(4)], [int(5), int(2)],
        ], segmentSize: 2)
        var rightRows: [[Value]] = [[int(1), text("one")], [int(2), text("two")], [int(2), text("deux")], [int(6), text("six")]]
        if rightHasNull { rightRows.insert([.null, text("null")], at: 3) }
        let right = fixture.table("r", [("k", .int32), ("name", .utf8)], rightRows, segmentSize: 2)
        return (left, right)
    }

    private func join(_ kind: JoinKind, _ left: LogicalPlan, _ right: LogicalPlan, _ condition: Expression?) -> LogicalPlan {
        .join(Join(kind: kind, left: left, right: right, condition: condition))
    }

    @Test func innerJoinNeverMatchesNullKeys() throws {
        let fixture = Fixture()
        let (l, r) = tables(fixture)
        let rows = try fixture.run(join(.inner, l, r, compare(.equal, l.ref(1), r.ref(0))))
        #expect(sortedLines(rows) == ["1|1|1|one", "2|2|2|deux", "2|2|2|two", "5|2|2|deux", "5|2|2|two"])
    }

    @Test func outerJoinsPadWithNulls() throws {
        let fixture = Fixture()
        let (l, r) = tables(fixture)
        let condition = compare(.equal, r.ref(0), l.ref(1))
        let inner = ["1|1|1|one", "2|2|2|deux", "2|2|2|two", "5|2|2|deux", "5|2|2|two"]
        #expect(sortedLines(try fixture.run(join(.left, l, r, condition))) == (inner + ["3|NULL|NULL|NULL", "4|4|NULL|NULL"]).sorted())
        #expect(sortedLines(try fixture.run(join(.right, l, r, condition))) == (inner + ["NULL|NULL|6|six", "NULL|NULL|NULL|null"]).sorted())
        #expect(sortedLines(try fixture.run(join(.full, l, r, condition)))
            == (inner + ["3|NULL|NULL|NULL", "4|4|NULL|NULL", "NULL|NULL|6|six", "NULL|NULL|NULL|null"]).sorted())
    }

    @Test func semiAndAntiJoins() throws {
        let fixture = Fixture()
        let (l, r) = tables(fixture)
        let condition = compare(.equal, l.ref(1), r.ref(0))
        #expect(lines(try fixture.run(join(.semi, l, r, condition))) == ["1|1", "2|2", "5|2"])
        #expect(lines(try fixture.run(join(.anti, l, r, condition))) == ["3|NULL", "4|4"])
    }

    @Test func markJoinFollowsInSemantics() throws {
        let fixture = Fixture()
        let (l, r) = tables(fixture)
        let marker = fixture.column("mark", .boolean)
        let withNull = try fixture.run(join(.mark(marker), l, r, compare(.equal, l.ref(1), r.ref(0))))
        #expect(lines(withNull) == ["1|1|true", "2|2|true", "3|NULL|NULL", "4|4|NULL", "5|2|true"])

        let other = Fixture()
        let (l2, r2) = tables(other, rightHasNull: false)
        let withoutNull = try other.run(join(.mark(other.column("mark", .boolean)), l2, r2, compare(.equal, l2.ref(1), r2.ref(0))))
        #expect(lines(withoutNull) == ["1|1|true", "2|2|true", "3|NULL|NULL", "4|4|false", "5|2|true"])

        let empty = other.table("e", [("k", .int32)], [])
        let againstEmpty = try other.run(join(.mark(other.column("mark", .boolean)), l2, empty, compare(.equal, l2.ref(1), empty.ref(0))))
        #expect(againstEmpty.map { $0[2] } == Array(repeating: .boolean(false), count: 5))
    }

    @Test func joinsAgainstEmptyInputs() throws {
        let fixture = Fixture()
        let (l, _) = tables(fixture)
        let empty = fixture.table("e", [("k", .int32)], [])
        let condition = compare(.equal, l.ref(1), empty.ref(0))
        #expect(try fixture.run(join(.inner, l, empty, condition)).isEmpty)
        #expect(lines(try fixture.run(join(.left, l, empty, condition))).count == 5)
        #expect(lines(try fixture.run(join(.anti, l, empty, condition))).count == 5)
        #expect(try fixture.run(join(.semi, l, empty, condition)).isEmpty)
        #expect(try fixture.run(join(.right, empty, l, compare(.equal, empty.ref(0), l.ref(1)))).count == 5)
    }

    @Test func crossJoinPairsEveryRow() throws {
        let fixture = Fixture()
        let a = fixture.table("a", [("x", .int32)], (0..<70).map { [int(Int32($0))] }, segmentSize: 16)
        let b = fixture.table("b", [("y", .int32)], (0..<50).map { [int(Int32($0))] }, segmentSize: 16)
        let rows = try fixture.run(join(.cross, a, b, nil))
        #expect(rows.count == 3500)
        #expect(Set(lines(rows)).count == 3500)
    }

    @Test func hashJoinWithLargeFanOutAndStringKeys() throws {
        let fixture = Fixture()
        let left = fixture.table("l", [("k", .utf8)], (0..<300).map { [text("key\($0 % 3)")] }, segmentSize: 128)
        let right = fixture.table("r", [("k", .utf8), ("n", .int32)], (0..<200).map { [text("key\($0 % 2)"), int(Int32($0))] })
        let rows = try fixture.run(join(.inner, left, right, compare(.equal, left.ref(0), right.ref(0))))
        #expect(rows.count == 2 * 100 * 100)
        #expect(Set(lines(rows)).count == 200)
    }

    @Test func residualPredicatesAndNonEquiJoins() throws {
        let fixture = Fixture()
        let (l, r) = tables(fixture)
        let residual = Expression.and([compare(.equal, l.ref(1), r.ref(0)), compare(.less, l.ref(0), literal(5))])
        #expect(sortedLines(try fixture.run(join(.left, l, r, residual)))
            == ["1|1|1|one", "2|2|2|deux", "2|2|2|two", "3|NULL|NULL|NULL", "4|4|NULL|NULL", "5|2|NULL|NULL"])
        let lessThan = compare(.less, l.ref(1), r.ref(0))
        #expect(lines(try fixture.run(join(.semi, l, r, lessThan))) == ["1|1", "2|2", "4|4", "5|2"])
        #expect(lines(try fixture.run(join(.anti, l, r, lessThan))) == ["3|NULL"])
        #expect(sortedLines(try fixture.run(join(.full, l, r, compare(.greater, l.ref(1), r.ref(0))))) == [
            "1|1|NULL|NULL", "2|2|1|one", "3|NULL|NULL|NULL", "4|4|1|one", "4|4|2|deux", "4|4|2|two", "5|2|1|one",
            "NULL|NULL|6|six", "NULL|NULL|NULL|null",
        ].sorted())
    }

    @Test func markJoinWithResidualGivesNullWhenAComparisonIsNull() throws {
        let fixture = Fixture()
        let l = fixture.table("l", [("id", .int32), ("k", .int32), ("limit", .int32)], [
            [int(1), int(1), int(10)], [int(2), int(1), .null], [int(3), int(1), int(0)], [int(4), int(9), int(10)],
        ])
        let r = fixture.table("r", [("k", .int32), ("v", .int32)], [[int(1), int(5)], [int(1), int(7)]])
        let condition = Expression.and([compare(.equal, l.ref(1), r.ref(0)), compare(.less, r.ref(1), l.ref(2))])
        let rows = try fixture.run(join(.mark(fixture.column("mark", .boolean)), l, r, condition))
        #expect(rows.map { $0[3] } == [.boolean(true), .null, .boolean(false), .boolean(false)])
    }
}
