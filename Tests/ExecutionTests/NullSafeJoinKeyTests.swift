import Columnar
@testable import Execution
import LogicalPlan
import Testing

/// Hash joins on `IS NOT DISTINCT FROM` keys, as decorrelated subqueries join outer values to their bindings.
@Suite struct NullSafeJoinKeyTests {
    private func join(_ kind: JoinKind, _ left: LogicalPlan, _ right: LogicalPlan, _ condition: Expression?) -> LogicalPlan {
        .join(Join(kind: kind, left: left, right: right, condition: condition))
    }

    /// Left: (id, k, x); right: (k, y). Outer value k=1 has y 10 and 20; k=2 has y 30 and NULL; k=NULL has y 40;
    /// k=3 has no rows.
    private func tables(_ fixture: Fixture) -> (LogicalPlan, LogicalPlan) {
        let left = fixture.table("l", [("id", .int32), ("k", .int32), ("x", .int32)], [
            [int(1), int(1), int(10)], [int(2), int(1), int(99)], [int(3), int(1), .null],
            [int(4), int(2), int(30)], [int(5), int(2), int(99)], [int(6), .null, int(40)], [int(7), int(3), .null],
            [int(8), int(3), int(5)],
        ], segmentSize: 3)
        let right = fixture.table("r", [("k", .int32), ("y", .int32)], [
            [int(1), int(10)], [int(1), int(20)], [int(2), int(30)], [int(2), .null], [.null, int(40)],
        ], segmentSize: 2)
        return (left, right)
    }

    @Test func nullSafeKeysMatchNullWithNull() throws {
        for threads in [1, 4] {
            let fixture = Fixture()
            let (l, r) = tables(fixture)
            let condition = compare(.isNotDistinctFrom, l.ref(1), r.ref(0))
            let semi = try fixture.run(join(.semi, l, r, condition), threadCount: threads)
            #expect(sortedLines(semi) == ["1|1|10", "2|1|99", "3|1|NULL", "4|2|30", "5|2|99", "6|NULL|40"])
            let inner = try fixture.run(join(.inner, l, r, Expression.and([condition, compare(.equal, l.ref(2), r.ref(1))])),
                                        threadCount: threads)
            #expect(sortedLines(inner) == ["1|1|10|1|10", "4|2|30|2|30", "6|NULL|40|NULL|40"])
            let anti = try fixture.run(join(.anti, l, r, condition), threadCount: threads)
            #expect(sortedLines(anti) == ["7|3|NULL", "8|3|5"])
        }
    }

    @Test func markJoinWithNullSafeKeysJudgesNullsPerOuterValue() throws {
        // x IN (SELECT y FROM r WHERE r.k IS NOT DISTINCT FROM l.k), per outer row:
        // k=1 {10, 20}: 10 → true, 99 → false, NULL → NULL; k=2 {30, NULL}: 30 → true, 99 → NULL;
        // k=NULL {40}: 40 → true; k=3 {}: NULL → false, 5 → false.
        let fixture = Fixture()
        let (l, r) = tables(fixture)
        let condition = Expression.and([compare(.isNotDistinctFrom, l.ref(1), r.ref(0)), compare(.equal, l.ref(2), r.ref(1))])
        let rows = try fixture.run(join(.mark(fixture.column("mark", .boolean)), l, r, condition))
        #expect(rows.map { $0[3] } == [
            .boolean(true), .boolean(false), .null, .boolean(true), .null, .boolean(true), .boolean(false), .boolean(false),
        ])
    }

    @Test func plannerHashesNullSafeKeysAndKeepsTheMarkComparisonResidual() throws {
        let fixture = Fixture()
        let (l, r) = tables(fixture)
        let condition = Expression.and([compare(.isNotDistinctFrom, l.ref(1), r.ref(0)), compare(.equal, l.ref(2), r.ref(1))])
        let mark = JoinConditionAnalysis(condition: condition, leftColumns: l.columns, rightColumns: r.columns, isMarkJoin: true)
        #expect(mark.leftKeys.count == 2)
        #expect(mark.residual == compare(.equal, l.ref(2), r.ref(1)))
        let semi = JoinConditionAnalysis(condition: condition, leftColumns: l.columns, rightColumns: r.columns)
        #expect(semi.leftKeys.count == 3)
        #expect(semi.residual == nil)
        let plainMark = JoinConditionAnalysis(condition: compare(.equal, l.ref(2), r.ref(1)), leftColumns: l.columns,
                                              rightColumns: r.columns, isMarkJoin: true)
        #expect(plainMark.leftKeys == [l.ref(2)])
        // Next to another conjunct, a mark join's comparison is no key: its NULLs count among the candidates only.
        let withResidual = Expression.and([compare(.equal, l.ref(2), r.ref(1)), compare(.less, l.ref(0), r.ref(0))])
        let residualMark = JoinConditionAnalysis(condition: withResidual, leftColumns: l.columns, rightColumns: r.columns,
                                                 isMarkJoin: true)
        #expect(residualMark.leftKeys.isEmpty)
        #expect(residualMark.residual == withResidual)
    }

    @Test func markJoinWithOtherConjunctsJudgesNullsAmongCandidates() throws {
        // x IN (SELECT y FROM r WHERE r.k > l.k), as the optimizer writes it: x = y AND (r.k > l.k) IS TRUE.
        // k=1 sees y 30 and NULL (k=2): 10 → NULL, 99 → NULL, NULL → NULL; k=2, NULL and 3 see no rows: false, even
        // though r has a NULL y (for another outer value) and x = y holds for k=NULL, x=40 with r's (NULL, 40).
        let fixture = Fixture()
        let (l, r) = tables(fixture)
        let correlated = Expression.function(.isTrue, [compare(.greater, r.ref(0), l.ref(1))], .boolean)
        let condition = Expression.and([compare(.equal, l.ref(2), r.ref(1)), correlated])
        let rows = try fixture.run(join(.mark(fixture.column("mark", .boolean)), l, r, condition))
        #expect(rows.map { $0[3] } == [.null, .null, .null, .boolean(false), .boolean(false), .boolean(false),
                                       .boolean(false), .boolean(false)])
    }
}
