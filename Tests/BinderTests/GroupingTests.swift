import Binder
import Columnar
import LogicalPlan
import SQLSyntax
import Testing

/// The Aggregate node of a plan.
private func aggregateNode(_ plan: LogicalPlan) throws -> Aggregate {
    try #require(firstNode(plan) { if case .aggregate(let node) = $0 { return node } else { return nil } })
}

@Suite struct GroupingTests {
    @Test func groupByWithAggregate() throws {
        let bound = try plan("SELECT c, sum(a) AS total FROM t GROUP BY c")
        guard case .projection(let projection) = bound, case .aggregate(let aggregate) = projection.input,
              case .scan(let scan) = aggregate.input else {
            Issue.record("expected Projection over Aggregate over Scan, got \(bound)")
            return
        }
        #expect(aggregate.groupKeys.map(\.expression) == [.column(scan.columns[2])])
        #expect(aggregate.aggregates.count == 1)
        let sum = aggregate.aggregates[0]
        #expect(sum.function == .sum)
        #expect(sum.arguments == [.column(scan.columns[0])])
        #expect(sum.output.dataType == .int64)
        #expect(projection.items.map(\.expression) == [.column(aggregate.groupKeys[0].output), .column(sum.output)])
        #expect(bound.columns.map(\.name) == ["c", "total"])
    }

    @Test func ungroupedColumnIsAnError() throws {
        let error = try #require(bindError("SELECT c, b FROM t GROUP BY c"))
        #expect(error.message == "column \"t.b\" must appear in the GROUP BY clause or be used in an aggregate function")
        #expect(error.location == SQLSyntax.SourceLocation(line: 1, column: 11, offset: 10))
        let withoutGroupBy = try #require(bindError("SELECT l.l_tax, count(*) FROM lineitem AS l"))
        #expect(withoutGroupBy.message
                == "column \"l.l_tax\" must appear in the GROUP BY clause or be used in an aggregate function")
        let inHaving = try #require(bindError("SELECT c FROM t GROUP BY c HAVING sum(a) > 1 OR\n b > 2"))
        #expect(inHaving.location == SQLSyntax.SourceLocation(line: 2, column: 2, offset: 49))
        let inOrderBy = try #require(bindError("SELECT c FROM t GROUP BY c ORDER BY a"))
        #expect(inOrderBy.message.hasPrefix("column \"t.a\" must appear in the GROUP BY clause"))
    }

    @Test func groupedExpressionsMatchWholeSubtrees() throws {
        let bound = try plan("SELECT (a + 1) * 2, count(*) FROM t GROUP BY a + 1")
        let aggregate = try aggregateNode(bound)
        let projection = try #require(topProjection(bound))
        guard case .function(.multiply, let arguments, _) = projection.items[0].expression else {
            Issue.record("expected a multiplication, got \(projection.items[0].expression)")
            return
        }
        #expect(arguments[0] == .column(aggregate.groupKeys[0].output))
        #expect(bindError("SELECT a * 2 FROM t GROUP BY a + 1") != nil)
    }

    @Test func groupByAliasAndPosition() throws {
        let byAlias = try aggregateNode(try plan("SELECT a % 10 AS bucket, count(*) FROM t GROUP BY bucket"))
        guard case .function(.modulo, _, .int32) = byAlias.groupKeys[0].expression else {
            Issue.record("expected the alias's expression, got \(byAlias.groupKeys[0].expression)")
            return
        }
        let byPosition = try aggregateNode(try plan("SELECT c, a + b, count(*) FROM t GROUP BY 1, 2"))
        #expect(byPosition.groupKeys.count == 2)
        #expect(byPosition.groupKeys[1].expression.dataType == .int64)
        // An input column wins over an alias of the same name.
        let inputColumn = try aggregateNode(try plan("SELECT b AS a FROM t GROUP BY a, b"))
        #expect(inputColumn.groupKeys.map(\.output.dataType) == [.int32, .int64])
        let error = try #require(bindError("SELECT c FROM t GROUP BY 3"))
        #expect(error.message == "GROUP BY position 3 is not in select list")
    }

    @Test func aggregatesWhereTheyAreNotAllowed() throws {
        let inWhere = try #require(bindError("SELECT count(*) FROM t WHERE sum(a) > 1"))
        #expect(inWhere.message == "aggregate functions are not allowed in WHERE")
        #expect(inWhere.location?.column == 30)
        let nested = try #require(bindError("SELECT sum(count(*)) FROM t"))
        #expect(nested.message == "aggregate function calls cannot be nested")
        #expect(nested.location?.column == 12)
        let inGroupBy = try #require(bindError("SELECT 1 FROM t GROUP BY sum(a)"))
        #expect(inGroupBy.message == "aggregate functions are not allowed in GROUP BY")
        let inJoin = try #require(bindError("SELECT 1 FROM t JOIN u ON count(*) > 1"))
        #expect(inJoin.message == "aggregate functions are not allowed in JOIN conditions")
    }

    @Test func aggregatesAreDeduplicated() throws {
        let bound = try plan("SELECT sum(a), sum(a) + 1, count(*) FROM t HAVING sum(a) > 0 ORDER BY count(*)")
        let aggregate = try aggregateNode(bound)
        #expect(aggregate.aggregates.map(\.function) == [.sum, .countStar])
        #expect(aggregate.groupKeys.isEmpty)
    }

    @Test func havingWithoutGroupByMakesOneGroup() throws {
        let bound = try plan("SELECT 1 FROM t HAVING count(*) > 1")
        guard case .projection(let projection) = bound, case .filter(let filter) = projection.input,
              case .aggregate = filter.input else {
            Issue.record("expected Projection over Filter over Aggregate, got \(bound)")
            return
        }
    }

    @Test func aggregateResultTypes() throws {
        let types = try outputTypes("""
            SELECT count(*), count(c), sum(a), sum(b), sum(d), sum(f), avg(a), avg(d), min(c), max(e),
                   stddev(f), var_pop(a), bool_and(a > 1), bool_or(a > 1), string_agg(c, ',' ORDER BY a), every(a > 0)
            FROM t
            """)
        #expect(types == [
            .int64, .int64, .int64, .decimal128(precision: 38, scale: 0), .decimal128(precision: 38, scale: 2), .float64,
            .float64, .float64, .utf8, .date32, .float64, .float64, .boolean, .boolean, .utf8, .boolean,
        ])
    }

    @Test func aggregateArgumentErrors() throws {
        let sumText = try #require(bindError("SELECT sum(c) FROM t"))
        #expect(sumText.message == "function sum(character varying) does not exist")
        #expect(sumText.location?.column == 8)
        let avgDate = try #require(bindError("SELECT avg(e) FROM t"))
        #expect(avgDate.message == "function avg(date) does not exist")
        let tooMany = try #require(bindError("SELECT count(a, b) FROM t"))
        #expect(tooMany.message == "function count(integer, bigint) does not exist")
    }

    @Test func distinctAndFilter() throws {
        let aggregate = try aggregateNode(try plan("SELECT count(DISTINCT a) FILTER (WHERE b > 1) FROM t"))
        let call = try #require(aggregate.aggregates.first)
        #expect(call.function == .count)
        #expect(call.isDistinct)
        guard case .function(.greater, _, .boolean)? = call.filter else {
            Issue.record("expected a filter, got \(String(describing: call.filter))")
            return
        }
        #expect(call.output.isNullable == false)
    }

    @Test func tpchQuery1() throws {
        let bound = try plan("""
            SELECT l_returnflag, sum(l_quantity) AS sum_qty,
                   sum(l_extendedprice * (1 - l_discount)) AS sum_disc_price,
                   sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge,
                   avg(l_quantity) AS avg_qty, count(*) AS count_order
            FROM lineitem
            WHERE l_shipdate <= date '1998-12-01' - interval '90' day
            GROUP BY l_returnflag
            ORDER BY l_returnflag
            """)
        #expect(bound.columns.map(\.name) == ["l_returnflag", "sum_qty", "sum_disc_price", "sum_charge", "avg_qty",
                                              "count_order"])
        #expect(bound.columns.map(\.dataType) == [
            .utf8, .decimal128(precision: 38, scale: 2), .decimal128(precision: 38, scale: 4),
            .decimal128(precision: 38, scale: 6), .float64, .int64,
        ])
        let aggregate = try aggregateNode(bound)
        #expect(aggregate.aggregates[1].arguments[0].dataType == .decimal128(precision: 31, scale: 4))
    }
}
