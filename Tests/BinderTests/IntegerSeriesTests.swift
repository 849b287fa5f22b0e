@testable import Binder
import Catalog
import LogicalPlan
import SQLSyntax
import Testing

/// The length of `generate_series` / `range`, at the ends of BIGINT too.
@Suite struct IntegerSeriesTests {
    private func length(_ start: Int64, _ stop: Int64, _ step: Int64, includesStop: Bool) throws -> Int64 {
        try Binder.seriesLength(start: start, stop: stop, step: step, includesStop: includesStop,
                                functionName: "generate_series", location: SourceLocation(line: 1, column: 1, offset: 0))
    }

    @Test func lengths() throws {
        #expect(try length(1, 5, 1, includesStop: true) == 5)
        #expect(try length(1, 5, 1, includesStop: false) == 4)
        #expect(try length(1, 5, 2, includesStop: true) == 3)
        #expect(try length(1, 6, 2, includesStop: false) == 3)
        #expect(try length(5, 1, 1, includesStop: true) == 0)
        #expect(try length(5, 1, -2, includesStop: true) == 3)
        #expect(try length(5, 1, -2, includesStop: false) == 2)
        #expect(try length(3, 3, 1, includesStop: true) == 1)
        #expect(try length(3, 3, -1, includesStop: false) == 0)
    }

    @Test func extremesDoNotOverflow() throws {
        #expect(try length(.max - 6, .max, 3, includesStop: false) == 2)
        #expect(try length(.max - 6, .max, 3, includesStop: true) == 3)
        #expect(try length(.min, .max, .min, includesStop: true) == 0)
        #expect(try length(.max, .min, .min, includesStop: true) == 2)
        #expect(try length(.min, .max, .max, includesStop: true) == 3)
        #expect(throws: BindError.self) { try length(.min, .max, 1, includesStop: true) }
        #expect(throws: BindError.self) { try length(.min, .max, 1, includesStop: false) }
        #expect(try length(0, .max, 1, includesStop: false) == .max)
        #expect(throws: BindError.self) { try length(-1, .max, 1, includesStop: false) }
    }

    @Test func theSeriesIsAScanOfOneBigintColumn() throws {
        let bound = try plan("SELECT * FROM generate_series(2, 11, 3) AS s(x)")
        let scan = firstNode(bound) { node -> Scan? in
            if case .scan(let scan) = node { return scan } else { return nil }
        }
        guard let scan, case .integerSeries(let series) = scan.source else {
            Issue.record("expected a scan of an integer series")
            return
        }
        #expect(series == IntegerSeries(description: "generate_series(2, 11, 3)", first: 2, step: 3, count: 4))
        #expect(scan.columns.map(\.dataType) == [.int64])
    }
}
