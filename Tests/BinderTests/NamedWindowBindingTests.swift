import Binder
import Columnar
import LogicalPlan
import SQLSyntax
import Testing

/// The window calls of a query's Window node.
private func windowCalls(_ sql: String) throws -> [WindowCall] {
    let bound = try plan(sql)
    let node = try #require(firstNode(bound) { if case .window(let node) = $0 { return node } else { return nil } })
    return node.functions
}

/// A call with its output column cleared, to compare specifications.
private func specification(_ call: WindowCall) -> WindowCall {
    var call = call
    call.output = PlanColumn(id: ColumnID(0), name: "", dataType: .null)
    return call
}

@Suite struct NamedWindowBindingTests {
    @Test func namedWindowsBindLikeTheirInlineSpelling() throws {
        let named = try windowCalls("""
            SELECT sum(a) OVER w, rank() OVER (w2 ORDER BY b), count(*) OVER w3, sum(a) OVER (w ROWS 1 PRECEDING)
            FROM t WINDOW w AS (PARTITION BY c ORDER BY a), w2 AS (PARTITION BY c),
                          w3 AS (w RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING EXCLUDE TIES)
            """)
        let inline = try windowCalls("""
            SELECT sum(a) OVER (PARTITION BY c ORDER BY a), rank() OVER (PARTITION BY c ORDER BY b),
                   count(*) OVER (PARTITION BY c ORDER BY a RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING EXCLUDE TIES),
                   sum(a) OVER (PARTITION BY c ORDER BY a ROWS 1 PRECEDING)
            FROM t
            """)
        #expect(named.count == 4)
        #expect(named.map(specification) == inline.map(specification))
        #expect(named[2].frame.exclusion == .ties)
    }

    @Test func identicalCallsThroughNamesAreComputedOnce() throws {
        let calls = try windowCalls("SELECT sum(a) OVER w, sum(a) OVER (ORDER BY b) FROM t WINDOW w AS (ORDER BY b)")
        #expect(calls.count == 1)
    }

    @Test func namedWindowsInOrderBy() throws {
        let calls = try windowCalls("SELECT a FROM t WINDOW w AS (ORDER BY b) ORDER BY rank() OVER w")
        #expect(calls.map(\.function) == [.rank])
    }

    @Test func unknownWindowsAreErrorsAtTheName() throws {
        let error = try #require(bindError("SELECT sum(a) OVER wide FROM t WINDOW wider AS ()"))
        #expect(error.message == "window \"wide\" does not exist")
        #expect(error.location == SQLSyntax.SourceLocation(line: 1, column: 20, offset: 19))
        #expect(error.hint == "did you mean \"wider\"?")
        let copied = try #require(bindError("SELECT sum(a) OVER (zzz ORDER BY a) FROM t WINDOW w AS ()"))
        #expect(copied.message == "window \"zzz\" does not exist")
        #expect(copied.location == SQLSyntax.SourceLocation(line: 1, column: 21, offset: 20))
        #expect(copied.hint == nil)
        // A definition sees only the definitions before it; subqueries see none.
        #expect(bindError("SELECT 1 FROM t WINDOW w2 AS (w1), w1 AS ()")?.message == "window \"w1\" does not exist")
        #expect(bindError("SELECT (SELECT sum(a) OVER w FROM u) FROM t WINDOW w AS ()")?.message
                == "window \"w\" does not exist")
    }

    @Test func postgresRefinementRules() throws {
        let duplicate = try #require(bindError("SELECT 1 FROM t WINDOW w AS (), w AS ()"))
        #expect(duplicate.message == "window \"w\" is already defined")
        #expect(duplicate.location == SQLSyntax.SourceLocation(line: 1, column: 33, offset: 32))
        let partition = try #require(bindError("SELECT sum(a) OVER (w PARTITION BY c) FROM t WINDOW w AS ()"))
        #expect(partition.message == "cannot override PARTITION BY clause of window \"w\"")
        #expect(partition.location == SQLSyntax.SourceLocation(line: 1, column: 20, offset: 19))
        #expect(bindError("SELECT sum(a) OVER (w ORDER BY b) FROM t WINDOW w AS (ORDER BY a)")?.message
                == "cannot override ORDER BY clause of window \"w\"")
        let bareCopy = try #require(bindError("SELECT sum(a) OVER (w) FROM t WINDOW w AS (ROWS CURRENT ROW)"))
        #expect(bareCopy.message == "cannot copy window \"w\" because it has a frame clause")
        #expect(bareCopy.hint == "Omit the parentheses in this OVER clause.")
        let refined = try #require(bindError("SELECT sum(a) OVER (w ORDER BY a) FROM t WINDOW w AS (ROWS CURRENT ROW)"))
        #expect(refined.message == "cannot copy window \"w\" because it has a frame clause")
        #expect(refined.hint == nil)
        #expect(bindError("SELECT 1 FROM t WINDOW w AS (RANGE UNBOUNDED PRECEDING), w2 AS (w)")?.message
                == "cannot copy window \"w\" because it has a frame clause")
        // Adding an ORDER BY to a window without one is allowed, as is OVER w on a window with a frame.
        #expect(try windowCalls("SELECT sum(a) OVER (w ORDER BY b), sum(a) OVER w2 FROM t WINDOW w AS (PARTITION BY c), w2 AS (ROWS 2 PRECEDING)").count == 2)
    }

    @Test func nullTreatmentAndNewAggregates() throws {
        let calls = try windowCalls("""
            SELECT lag(a IGNORE NULLS) OVER (ORDER BY b), lead(a RESPECT NULLS) OVER (ORDER BY b),
                   first_value(c) IGNORE NULLS OVER (), stddev(f) OVER (), var_pop(d) OVER (), string_agg(c, '-') OVER ()
            FROM t
            """)
        #expect(calls.map(\.ignoresNulls) == [true, false, true, false, false, false])
        #expect(calls.map(\.function) == [.lag, .lead, .firstValue, .aggregate(.standardDeviationSample),
                                          .aggregate(.variancePopulation), .aggregate(.stringAgg)])
        #expect(calls.map(\.output.dataType) == [.int32, .int32, .utf8, .float64, .float64, .utf8])
        #expect(bindError("SELECT sum(a IGNORE NULLS) OVER () FROM t")?.message
                == "IGNORE NULLS is only supported for lag, lead, first_value, last_value and nth_value")
        #expect(bindError("SELECT rank() RESPECT NULLS OVER () FROM t")?.message
                == "RESPECT NULLS is only supported for lag, lead, first_value, last_value and nth_value")
        #expect(bindError("SELECT upper(c IGNORE NULLS) FROM t")?.message
                == "IGNORE NULLS specified, but upper is not a window function")
        #expect(bindError("SELECT stddev(c) OVER () FROM t")?.message.hasPrefix("function stddev(") == true)
    }
}
