import Binder
import Columnar
import LogicalPlan
import SQLSyntax
import Testing

/// The Window node of a plan.
private func windowNode(_ plan: LogicalPlan) throws -> Window {
    try #require(firstNode(plan) { if case .window(let node) = $0 { return node } else { return nil } })
}

@Suite struct WindowBindingTests {
    @Test func windowSitsBetweenTheInputAndTheProjection() throws {
        let bound = try plan("SELECT a, row_number() OVER (PARTITION BY c ORDER BY b DESC) AS n FROM t")
        guard case .projection(let projection) = bound, case .window(let window) = projection.input,
              case .scan(let scan) = window.input else {
            Issue.record("expected Projection over Window over Scan, got \(bound)")
            return
        }
        #expect(window.functions.count == 1)
        let call = window.functions[0]
        #expect(call.function == .rowNumber)
        #expect(call.arguments.isEmpty)
        #expect(call.partitionBy == [.column(scan.columns[2])])
        #expect(call.orderBy == [SortKey(expression: .column(scan.columns[1]), isAscending: false)])
        #expect(call.output.dataType == .int64)
        #expect(call.output.isNullable == false)
        #expect(LogicalPlan.window(window).columns == scan.columns + [call.output])
        #expect(projection.items.map(\.expression) == [.column(scan.columns[0]), .column(call.output)])
        #expect(bound.columns.map(\.name) == ["a", "n"])
    }

    @Test func resultTypes() throws {
        let types = try outputTypes("""
            SELECT rank() OVER (), dense_rank() OVER (), ntile(2) OVER (), percent_rank() OVER (), cume_dist() OVER (),
                   count(*) OVER (), count(c) OVER (), sum(a) OVER (), sum(b) OVER (), sum(d) OVER (), avg(a) OVER (),
                   min(c) OVER (), max(e) OVER (), lag(d) OVER (), lead(c, 2, 'x') OVER (), first_value(f) OVER (),
                   last_value(e) OVER (), nth_value(a, 2) OVER ()
            FROM t
            """)
        #expect(types == [
            .int64, .int64, .int64, .float64, .float64,
            .int64, .int64, .int64, .decimal128(precision: 38, scale: 0), .decimal128(precision: 38, scale: 2), .float64,
            .utf8, .date32, .decimal128(precision: 15, scale: 2), .utf8, .float64,
            .date32, .int32,
        ])
    }

    @Test func lagAndLeadConvertOffsetAndDefault() throws {
        let window = try windowNode(try plan("SELECT lag(a, 2, 1.6) OVER (ORDER BY a) FROM t"))
        let call = window.functions[0]
        #expect(call.function == .lag)
        #expect(call.arguments.count == 3)
        #expect(call.arguments[1] == .literal(.int64(2), .int64))
        #expect(call.arguments[2] == .literal(.int32(2), .int32))
        #expect(call.output.dataType == .int32)
    }

    @Test func defaultFrames() throws {
        let window = try windowNode(try plan("SELECT sum(a) OVER (ORDER BY b), sum(a) OVER (PARTITION BY c) FROM t"))
        #expect(window.functions[0].frame == WindowFrame(units: .range, start: .unboundedPreceding, end: .currentRow))
        #expect(window.functions[1].frame == WindowFrame(units: .range, start: .unboundedPreceding, end: .unboundedFollowing))
        #expect(window.functions[1].frame.isWholePartition)
    }

    @Test func explicitFramesKeepTheirOffsets() throws {
        let rows = try windowNode(try plan("SELECT sum(a) OVER (ORDER BY b ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING) FROM t"))
        #expect(rows.functions[0].frame == WindowFrame(
            units: .rows, start: .preceding(.literal(.int64(2), .int64)), end: .following(.literal(.int64(1), .int64))))
        let short = try windowNode(try plan("SELECT sum(a) OVER (ORDER BY b ROWS 3 PRECEDING) FROM t"))
        #expect(short.functions[0].frame == WindowFrame(
            units: .rows, start: .preceding(.literal(.int64(3), .int64)), end: .currentRow))
        let range = try windowNode(try plan("SELECT count(*) OVER (ORDER BY e RANGE BETWEEN INTERVAL '1 month' PRECEDING AND CURRENT ROW) FROM t"))
        guard case .preceding(let offset) = range.functions[0].frame.start else {
            Issue.record("expected a PRECEDING offset, got \(range.functions[0].frame)")
            return
        }
        #expect(offset.dataType == .interval)
        #expect(range.functions[0].frame.units == .range)
    }

    @Test func identicalCallsAreComputedOnce() throws {
        let bound = try plan("SELECT rank() OVER (ORDER BY a), rank() OVER (ORDER BY a) + 1 FROM t ORDER BY rank() OVER (ORDER BY a)")
        let window = try windowNode(bound)
        #expect(window.functions.count == 1)
    }

    @Test func windowsRunAfterGroupingAndHaving() throws {
        let bound = try plan("SELECT c, rank() OVER (ORDER BY sum(a) DESC) FROM t GROUP BY c HAVING count(*) > 1")
        guard case .projection(let projection) = bound, case .window(let window) = projection.input,
              case .filter(let having) = window.input, case .aggregate(let aggregate) = having.input else {
            Issue.record("expected Projection over Window over Filter over Aggregate, got \(bound)")
            return
        }
        let sum = try #require(aggregate.aggregates.first { $0.function == .sum })
        #expect(window.functions[0].orderBy.map(\.expression) == [.column(sum.output)])
        #expect(window.functions[0].orderBy[0].isAscending == false)
    }

    @Test func aggregateOverAggregate() throws {
        let window = try windowNode(try plan("SELECT c, sum(sum(a)) OVER () FROM t GROUP BY c"))
        let call = window.functions[0]
        #expect(call.function == .aggregate(.sum))
        guard case .column(let column) = call.arguments[0] else {
            Issue.record("expected the inner sum's column, got \(call.arguments[0])")
            return
        }
        #expect(column.name == "sum")
        #expect(call.output.dataType == .decimal128(precision: 38, scale: 0))
    }

    @Test func windowOnlyInOrderByIsHidden() throws {
        let bound = try plan("SELECT a FROM t ORDER BY row_number() OVER (ORDER BY b)")
        #expect(bound.columns.map(\.name) == ["a"])
        #expect(try windowNode(bound).functions.count == 1)
    }

    @Test func filterOnWindowAggregates() throws {
        let window = try windowNode(try plan("SELECT count(*) FILTER (WHERE a > 1) OVER () FROM t"))
        #expect(window.functions[0].function == .aggregate(.countStar))
        #expect(window.functions[0].filter != nil)
    }

    @Test func misplacedWindowsAreErrorsAtTheirPosition() throws {
        let inWhere = try #require(bindError("SELECT a FROM t WHERE rank() OVER (ORDER BY a) = 1"))
        #expect(inWhere.message == "window functions are not allowed in WHERE")
        #expect(inWhere.location == SQLSyntax.SourceLocation(line: 1, column: 23, offset: 22))
        #expect(bindError("SELECT count(*) FROM t GROUP BY rank() OVER ()")?.message
                == "window functions are not allowed in GROUP BY")
        #expect(bindError("SELECT c FROM t GROUP BY c HAVING rank() OVER () > 1")?.message
                == "window functions are not allowed in HAVING")
        #expect(bindError("SELECT sum(rank() OVER ()) FROM t")?.message
                == "aggregate function calls cannot contain window function calls")
        #expect(bindError("SELECT lag(rank() OVER ()) OVER () FROM t")?.message == "window function calls cannot be nested")
        #expect(bindError("SELECT row_number() FROM t")?.message == "window function row_number requires an OVER clause")
        #expect(bindError("SELECT upper(c) OVER () FROM t")?.message
                == "OVER specified, but upper is not a window function nor an aggregate function")
        #expect(bindError("SELECT c, sum(a) OVER () FROM t GROUP BY c")?.message.hasPrefix("column \"t.a\" must appear") == true)
    }

    @Test func invalidFramesAreErrors() throws {
        #expect(bindError("SELECT sum(a) OVER (ORDER BY a ROWS BETWEEN 1 FOLLOWING AND CURRENT ROW) FROM t")?.message
                == "frame starting from following row cannot have preceding rows")
        #expect(bindError("SELECT sum(a) OVER (ORDER BY a, b RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t")?.message
                == "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column")
        #expect(bindError("SELECT sum(a) OVER (ORDER BY c RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t")?.message
                == "RANGE with offset PRECEDING/FOLLOWING is not supported for column type character varying")
        #expect(bindError("SELECT sum(a) OVER (ORDER BY a ROWS BETWEEN a PRECEDING AND CURRENT ROW) FROM t")?.message
                == "argument of ROWS must not contain variables")
        #expect(bindError("SELECT sum(a) OVER (ORDER BY a ROWS BETWEEN 'x' PRECEDING AND CURRENT ROW) FROM t") != nil)
        #expect(bindError("SELECT sum(a) OVER (GROUPS 1 PRECEDING) FROM t")?.message == "GROUPS mode requires an ORDER BY clause")
        #expect(bindError("SELECT count(DISTINCT a) OVER () FROM t")?.message == "DISTINCT is not implemented for window functions")
        #expect(bindError("SELECT string_agg(c ORDER BY a) OVER () FROM t")?.message
                == "ORDER BY in a window function's arguments is not supported")
        #expect(bindError("SELECT ntile('x') OVER () FROM t")?.message.hasPrefix("invalid input syntax") == true)
        #expect(bindError("SELECT ntile(1.5) OVER () FROM t")?.message == "function ntile(numeric) does not exist")
        #expect(bindError("SELECT rank(a) OVER () FROM t")?.message == "function rank(integer) does not exist")
    }
}
