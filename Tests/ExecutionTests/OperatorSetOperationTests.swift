import Catalog
import Columnar
@testable import Execution
import LogicalPlan
import Testing

@Suite struct OperatorSetOperationTests {
    private func inputs(_ fixture: Fixture) -> (LogicalPlan, LogicalPlan) {
        let left = fixture.table("l", [("x", .int32)], [[int(1)], [int(1)], [int(2)], [int(3)], [.null], [.null]], segmentSize: 4)
        let right = fixture.table("r", [("y", .int32)], [[int(1)], [int(3)], [int(3)], [.null], [int(4)]], segmentSize: 2)
        return (left, right)
    }

    private func run(_ kind: SetOperationKind, all: Bool) throws -> [String] {
        let fixture = Fixture()
        let (left, right) = inputs(fixture)
        let plan = LogicalPlan.setOperation(SetOperation(kind: kind, isAll: all, left: left, right: right,
                                                         columns: [fixture.column("v", .int32)]))
        let batches = try fixture.batches(plan)
        #expect(batches.allSatisfy { $0.schema.fields.map(\.name) == ["v"] })
        return lines(batches.flatMap(\.rows))
    }

    @Test func union() throws {
        #expect(try run(.union, all: false) == ["1", "2", "3", "NULL", "4"])
        #expect(try run(.union, all: true) == ["1", "1", "2", "3", "NULL", "NULL", "1", "3", "3", "NULL", "4"])
    }

    @Test func intersect() throws {
        #expect(try run(.intersect, all: false) == ["1", "3", "NULL"])
        #expect(try run(.intersect, all: true) == ["1", "3", "NULL"])
    }

    @Test func except() throws {
        #expect(try run(.except, all: false) == ["2"])
        #expect(try run(.except, all: true) == ["1", "2", "NULL"])
    }

    @Test func bagSemanticsCountCopies() throws {
        let fixture = Fixture()
        let left = fixture.table("l", [("x", .utf8)], ["a", "a", "a", "b", "b", "c"].map { [text($0)] })
        let right = fixture.table("r", [("y", .utf8)], ["a", "a", "b", "d"].map { [text($0)] })
        func run(_ kind: SetOperationKind) throws -> [String] {
            sortedLines(try fixture.run(.setOperation(SetOperation(kind: kind, isAll: true, left: left, right: right,
                                                                   columns: [fixture.column("v", .utf8)]))))
        }
        #expect(try run(.intersect) == ["a", "a", "b"])
        #expect(try run(.except) == ["a", "b", "c"])
    }

    @Test func distinctTreatsNullsAsEqual() throws {
        let fixture = Fixture()
        let t = fixture.table("t", [("a", .int32), ("b", .utf8)], [
            [int(1), text("x")], [.null, .null], [int(1), text("x")], [.null, .null], [int(1), .null], [.null, text("x")],
        ], segmentSize: 4)
        #expect(lines(try fixture.run(.distinct(Distinct(input: t)))) == ["1|x", "NULL|NULL", "1|NULL", "NULL|x"])
        let empty = fixture.table("e", [("a", .int32)], [])
        #expect(try fixture.run(.distinct(Distinct(input: empty))).isEmpty)
    }
}
