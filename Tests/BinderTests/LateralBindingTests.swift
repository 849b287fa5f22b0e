import Binder
import Columnar
import LogicalPlan
import SQLSyntax
import Testing

/// The first join of a plan, depth first.
private func firstJoin(_ plan: LogicalPlan) -> PlanJoin? {
    firstNode(plan) { if case .join(let join) = $0 { return join } else { return nil } }
}

/// The ids of the columns the plan's filters read.
private func filterColumnIDs(_ plan: LogicalPlan) -> Set<ColumnID> {
    var result = Set<ColumnID>()
    for node in allNodes(plan) {
        if case .filter(let filter) = node {
            _ = filter.predicate.transformed { expression in
                if case .column(let column) = expression { result.insert(column.id) }
                return expression
            }
        }
    }
    return result
}

@Suite struct LateralBindingTests {
    @Test func commaLateralReadsThePrecedingItem() throws {
        let bound = try plan("SELECT t.a, s.x FROM t, LATERAL (SELECT x FROM u WHERE u.a = t.a) s")
        let join = try #require(firstJoin(bound))
        #expect(join.kind == .cross)
        let outerA = try #require(join.left.columns.first { $0.name == "a" })
        // The right input is correlated: its filter reads t.a, which only the left input produces.
        #expect(filterColumnIDs(join.right).contains(outerA.id))
        #expect(!producedColumnIDs(join.right).contains(outerA.id))
        #expect(bound.columns.map(\.name) == ["a", "x"])
    }

    @Test func joinLateralKeepsItsKindAndCondition() throws {
        let inner = try #require(firstJoin(try plan(
            "SELECT * FROM t JOIN LATERAL (SELECT x FROM u WHERE u.a = t.a) s ON true")))
        #expect(inner.kind == .inner)
        #expect(inner.condition == .literal(.boolean(true), .boolean))
        let left = try #require(firstJoin(try plan(
            "SELECT * FROM t LEFT JOIN LATERAL (SELECT x FROM u WHERE u.a = t.a) s ON true")))
        #expect(left.kind == .left)
    }

    @Test func leftJoinLateralColumnsAreNullable() throws {
        let bound = try plan("SELECT s.n FROM t LEFT JOIN LATERAL (SELECT count(*) AS n FROM u WHERE u.a = t.a) s ON true")
        #expect(bound.columns.map(\.isNullable) == [true])
    }

    @Test func onlyLateralSubqueriesSeeThePrecedingItems() throws {
        let plain = try #require(bindError("SELECT * FROM t, (SELECT x FROM u WHERE u.a = t.a) s"))
        #expect(plain.message == "missing FROM-clause entry for table \"t\"")
        let following = try #require(bindError("SELECT * FROM LATERAL (SELECT t.a AS z) s, t"))
        #expect(following.message == "missing FROM-clause entry for table \"t\"")
    }

    @Test func rightAndFullJoinsCannotBeLateral() throws {
        for kind in ["RIGHT", "FULL"] {
            let error = try #require(bindError("SELECT * FROM t \(kind) JOIN LATERAL (SELECT t.a AS z) s ON true"))
            #expect(error.message == "the combining JOIN type must be INNER or LEFT for a LATERAL reference")
        }
        // Without a reference to the left side the subquery is an ordinary one.
        #expect(firstJoin(try plan("SELECT * FROM t RIGHT JOIN LATERAL (SELECT 1 AS z) s ON true"))?.kind == .right)
    }
}
