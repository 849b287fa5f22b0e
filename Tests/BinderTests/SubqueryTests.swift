import Binder
import Columnar
import LogicalPlan
import SQLSyntax
import Testing

/// The subquery expressions of a plan's filters and projections (not nested ones).
private func subqueries(_ plan: LogicalPlan) -> [SubqueryExpression] {
    var result: [SubqueryExpression] = []
    for node in allNodes(plan) {
        var expressions: [PlanExpression] = []
        if case .filter(let filter) = node { expressions.append(filter.predicate) }
        if case .projection(let projection) = node { expressions += projection.items.map(\.expression) }
        for expression in expressions {
            _ = expression.transformed { node in
                if case .subquery(let subquery) = node { result.append(subquery) }
                return node
            }
        }
    }
    return result
}

@Suite struct SubqueryTests {
    @Test func correlatedExists() throws {
        let bound = try plan("SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.a = t.a)")
        let scan = try #require(firstNode(bound) { if case .scan(let scan) = $0 { return scan } else { return nil } })
        let subquery = try #require(subqueries(bound).first)
        #expect(subquery.kind == .exists)
        #expect(!subquery.isNegated)
        #expect(subquery.dataType == .boolean)
        #expect(subquery.correlatedColumns == [scan.columns[0]])
    }

    @Test func uncorrelatedInSubquery() throws {
        let bound = try plan("SELECT a FROM t WHERE a NOT IN (SELECT a FROM u)")
        let subquery = try #require(subqueries(bound).first)
        #expect(subquery.kind == .inSubquery)
        #expect(subquery.isNegated)
        #expect(subquery.correlatedColumns.isEmpty)
        guard case .column(let operand)? = subquery.operand else {
            Issue.record("expected a column operand")
            return
        }
        #expect(operand.name == "a")
    }

    @Test func inSubqueryTypesAreUnified() throws {
        let bound = try plan("SELECT a FROM t WHERE b IN (SELECT a FROM u)")
        let subquery = try #require(subqueries(bound).first)
        #expect(subquery.plan.columns.map(\.dataType) == [.int64])
        #expect(subquery.operand?.dataType == .int64)
        let error = try #require(bindError("SELECT a FROM t WHERE c IN (SELECT a FROM u)"))
        #expect(error.message == "operator does not exist: character varying = integer")
        let columns = try #require(bindError("SELECT a FROM t WHERE a IN (SELECT a, x FROM u)"))
        #expect(columns.message == "subquery has too many columns")
    }

    @Test func scalarSubquery() throws {
        let bound = try plan("SELECT (SELECT max(x) FROM u) FROM t")
        #expect(bound.columns.map(\.name) == ["max(x)"])
        #expect(bound.columns.map(\.dataType) == [.utf8])
        let subquery = try #require(subqueries(bound).first)
        #expect(subquery.kind == .scalar)
        let error = try #require(bindError("SELECT (SELECT a, x FROM u) FROM t"))
        #expect(error.message == "subquery must return only one column")
        #expect(error.location?.column == 8)
    }

    @Test func quantifiedComparison() throws {
        let bound = try plan("SELECT a FROM t WHERE d > ALL (SELECT a FROM u WHERE u.x = t.c)")
        let subquery = try #require(subqueries(bound).first)
        #expect(subquery.kind == .quantified(.greater, isAll: true))
        #expect(subquery.correlatedColumns.map(\.name) == ["c"])
        #expect(subquery.plan.columns.map(\.dataType) == [.decimal128(precision: 15, scale: 2)])
    }

    @Test func nestedCorrelationReachesTheOuterSubquery() throws {
        let bound = try plan("""
            SELECT a FROM t WHERE EXISTS (
                SELECT 1 FROM u WHERE EXISTS (SELECT 1 FROM w WHERE w.a = t.b AND w.y > u.a))
            """)
        let outer = try #require(subqueries(bound).first)
        #expect(outer.correlatedColumns.map(\.name) == ["b"])
        let inner = try #require(subqueries(outer.plan).first)
        #expect(Set(inner.correlatedColumns.map(\.name)) == ["b", "a"])
    }

    @Test func correlatedSubqueryInGroupedQuery() throws {
        let bound = try plan("SELECT c, (SELECT count(*) FROM u WHERE u.x = t.c) FROM t GROUP BY c")
        let aggregate = try #require(firstNode(bound) { if case .aggregate(let node) = $0 { return node } else { return nil } })
        let subquery = try #require(subqueries(bound).first)
        #expect(subquery.correlatedColumns == [aggregate.groupKeys[0].output])
        let error = try #require(bindError("SELECT c, (SELECT count(*) FROM u WHERE u.a = t.a) FROM t GROUP BY c"))
        #expect(error.message.hasSuffix("must appear in the GROUP BY clause or be used in an aggregate function"))
    }

    @Test func derivedTables() throws {
        let bound = try plan("SELECT s.total FROM (SELECT c, sum(a) AS total FROM t GROUP BY c) AS s WHERE s.total > 1")
        #expect(bound.columns.map(\.dataType) == [.int64])
        #expect(try outputColumns("SELECT * FROM (SELECT 1 AS k) AS s(renamed)").map(\.0) == ["renamed"])
    }
}
