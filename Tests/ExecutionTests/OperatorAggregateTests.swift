import Catalog
import Columnar
@testable import Execution
import LogicalPlan
import Testing

@Suite struct OperatorAggregateTests {
    private func aggregate(_ fixture: Fixture, _ input: LogicalPlan, keys: [Int], _ calls: [(AggregateFunction, [Expression], DataType)],
                           distinct: Bool = false) -> LogicalPlan {
        let groupKeys = keys.map { ProjectionItem(output: fixture.column(input.columns[$0].name, input.columns[$0].dataType), expression: input.ref($0)) }
        let aggregates = calls.enumerated().map { index, call in
            AggregateCall(function: call.0, arguments: call.1, isDistinct: distinct, output: fixture.column("a\(index)", call.2))
        }
        return .aggregate(Aggregate(input: input, groupKeys: groupKeys, aggregates: aggregates))
    }

    @Test func groupsWithNullKeysTogether() throws {
        let fixture = Fixture()
        let t = fixture.table("t", [("g", .utf8), ("v", .int32)], [
            [text("a"), int(1)], [text("b"), int(2)], [.null, int(3)], [text("a"), .null],
            [.null, int(5)], [text("b"), int(6)], [text("c"), .null],
        ], segmentSize: 3)
        let plan = aggregate(fixture, t, keys: [0], [
            (.countStar, [], .int64), (.count, [t.ref(1)], .int64), (.sum, [t.ref(1)], .int64),
            (.minimum, [t.ref(1)], .int32), (.maximum, [t.ref(1)], .int32), (.average, [t.ref(1)], .float64),
        ])
        let rows = try fixture.run(plan)
        #expect(lines(rows) == [
            "a|2|1|1|1|1|1.0",
            "b|2|2|8|2|6|4.0",
            "NULL|2|2|8|3|5|4.0",
            "c|1|0|NULL|NULL|NULL|NULL",
        ])
    }

    @Test func ungroupedAggregatesOnEmptyInputGiveOneRow() throws {
        let fixture = Fixture()
        let t = fixture.table("t", [("v", .int32), ("s", .utf8), ("b", .boolean)], [])
        let plan = aggregate(fixture, t, keys: [], [
            (.countStar, [], .int64), (.count, [t.ref(0)], .int64), (.sum, [t.ref(0)], .int64),
            (.minimum, [t.ref(1)], .utf8), (.average, [t.ref(0)], .float64), (.boolAnd, [t.ref(2)], .boolean),
            (.stringAgg, [t.ref(1), .literal(.string(","), .utf8)], .utf8), (.varianceSample, [t.ref(0)], .float64),
        ])
        #expect(lines(try fixture.run(plan)) == ["0|0|NULL|NULL|NULL|NULL|NULL|NULL"])
    }

    @Test func groupedAggregateOnEmptyInputGivesNoRows() throws {
        let fixture = Fixture()
        let t = fixture.table("t", [("g", .int32), ("v", .int32)], [])
        let plan = aggregate(fixture, t, keys: [0], [(.countStar, [], .int64)])
        #expect(try fixture.run(plan).isEmpty)
    }

    @Test func distinctAggregatesIgnoreDuplicatesPerGroup() throws {
        let fixture = Fixture()
        let t = fixture.table("t", [("g", .int32), ("v", .int32)], [
            [int(1), int(5)], [int(1), int(5)], [int(1), int(7)], [int(1), .null],
            [int(2), int(5)], [int(2), int(5)], [int(2), .null], [int(2), .null],
        ], segmentSize: 3)
        let plan = aggregate(fixture, t, keys: [0], [(.count, [t.ref(1)], .int64), (.sum, [t.ref(1)], .int64)], distinct: true)
        #expect(lines(try fixture.run(plan)) == ["1|2|12", "2|1|5"])
    }

    @Test func sumsDecimalsExactlyAndAveragesThem() throws {
        let fixture = Fixture()
        let type = DataType.decimal128(precision: 10, scale: 2)
        let t = fixture.table("t", [("d", type), ("big", .int64)], [
            [decimal(10, 10, 2), bigint(Int64.max)], [decimal(25, 10, 2), bigint(Int64.max)], [decimal(1, 10, 2), .null],
        ])
        let plan = aggregate(fixture, t, keys: [], [
            (.sum, [t.ref(0)], .decimal128(precision: 38, scale: 2)),
            (.average, [t.ref(0)], .float64),
            (.average, [t.ref(0)], .decimal128(precision: 38, scale: 3)),
            (.sum, [t.ref(1)], .decimal128(precision: 38, scale: 0)),
        ])
        let rows = try fixture.run(plan)
        #expect(rows.count == 1)
        #expect(rows[0][0] == decimal(36, 38, 2))
        #expect(rows[0][1] == double(0.12))
        #expect(rows[0][2] == decimal(120, 38, 3))
        #expect(rows[0][3] == decimal(Int128(Int64.max) * 2, 38, 0))
    }

    @Test func integerSumOverflowIsAnError() throws {
        let fixture = Fixture()
        let t = fixture.table("t", [("v", .int64)], [[bigint(Int64.max)], [bigint(1)]])
        let plan = aggregate(fixture, t, keys: [], [(.sum, [t.ref(0)], .int64)])
        #expect(throws: ExecutionError("bigint out of range")) { try fixture.run(plan) }
    }

    @Test func varianceAndStandardDeviation() throws {
        let fixture = Fixture()
        let t = fixture.table("t", [("g", .int32), ("v", .int32)], [
            [int(1), int(1)], [int(1), int(2)], [int(1), int(3)], [int(1), int(4)], [int(2), int(10)],
        ])
        let v = t.ref(1)
        let plan = aggregate(fixture, t, keys: [0], [
            (.varianceSample, [v], .float64), (.variancePopulation, [v], .float64),
            (.standardDeviationSample, [v], .float64), (.standardDeviationPopulation, [v], .float64),
        ])
        let rows = try fixture.run(plan)
        #expect(rows.count == 2)
        guard case .float64(let varianceSample) = rows[0][1], case .float64(let stddevSample) = rows[0][3] else {
            Issue.record("unexpected \(rows)")
            return
        }
        #expect(abs(varianceSample - 5.0 / 3.0) < 1e-12)
        #expect(rows[0][2] == double(1.25))
        #expect(abs(stddevSample - (5.0 / 3.0).squareRoot()) < 1e-12)
        #expect(rows[0][4] == double(1.25.squareRoot()))
        #expect(Array(rows[1][1...]) == [.null, double(0), .null, double(0)])
    }

    @Test func minMaxOfStringsDatesAndBooleans() throws {
        let fixture = Fixture()
        let t = fixture.table("t", [("s", .utf8), ("d", .date32), ("b", .boolean)], [
            [text("pear"), .date(100), .boolean(true)], [text("Apple"), .date(-5), .boolean(false)],
            [.null, .null, .null], [text("apple"), .date(7), .boolean(true)],
        ])
        let plan = aggregate(fixture, t, keys: [], [
            (.minimum, [t.ref(0)], .utf8), (.maximum, [t.ref(0)], .utf8),
            (.minimum, [t.ref(1)], .date32), (.maximum, [t.ref(1)], .date32),
            (.boolAnd, [t.ref(2)], .boolean), (.boolOr, [t.ref(2)], .boolean),
        ])
        #expect(try fixture.run(plan) == [[text("Apple"), text("pear"), .date(-5), .date(100), .boolean(false), .boolean(true)]])
    }

    @Test func stringAggregationWithAndWithoutOrder() throws {
        let fixture = Fixture()
        let t = fixture.table("t", [("g", .int32), ("s", .utf8), ("o", .int32)], [
            [int(1), text("b"), int(2)], [int(1), text("a"), int(3)], [int(2), text("x"), int(1)],
            [int(1), .null, int(0)], [int(1), text("c"), int(1)],
        ], segmentSize: 2)
        let separator = Expression.literal(.string(", "), .utf8)
        let groupKey = ProjectionItem(output: fixture.column("g", .int32), expression: t.ref(0))
        let plain = AggregateCall(function: .stringAgg, arguments: [t.ref(1), separator], output: fixture.column("plain", .utf8))
        let ordered = AggregateCall(function: .stringAgg, arguments: [t.ref(1), separator],
                                    orderBy: [SortKey(expression: t.ref(2), isAscending: false)],
                                    output: fixture.column("ordered", .utf8))
        let plan = LogicalPlan.aggregate(Aggregate(input: t, groupKeys: [groupKey], aggregates: [plain, ordered]))
        #expect(lines(try fixture.run(plan)) == ["1|b, a, c|a, b, c", "2|x|x"])
    }

    @Test func manyGroupsOverManyBatchesWithCompositeKeys() throws {
        let fixture = Fixture()
        var rows: [[Value]] = []
        for index in 0..<20_000 {
            let key = Int32(index % 3000)
            rows.append([int(key % 7 == 0 ? nil : key), text(key % 2 == 0 ? "even" : nil), int(1)])
        }
        let t = fixture.table("t", [("k", .int32), ("s", .utf8), ("one", .int32)], rows, segmentSize: 4096)
        let plan = aggregate(fixture, t, keys: [0, 1], [(.countStar, [], .int64), (.sum, [t.ref(2)], .int64)])
        let result = try fixture.run(plan)
        // Keys divisible by 7 collapse into (NULL, even) and (NULL, NULL).
        let multiplesOfSeven = (0..<3000).filter { $0 % 7 == 0 }
        #expect(result.count == 3000 - multiplesOfSeven.count + 2)
        let nullEven = result.first { $0[0] == .null && $0[1] == text("even") }
        let expectedNullEven = (0..<20_000).filter { ($0 % 3000) % 14 == 0 }.count
        #expect(nullEven?[2] == bigint(Int64(expectedNullEven)))
        let total = result.reduce(Int64(0)) { sum, row in
            if case .int64(let count) = row[2] { return sum + count }
            return sum
        }
        #expect(total == 20_000)
        #expect(result.allSatisfy { $0[2] == $0[3] })
    }

    @Test func filteredAggregate() throws {
        let fixture = Fixture()
        let t = fixture.table("t", [("v", .int32)], [[int(1)], [int(5)], [int(10)], [.null]])
        let call = AggregateCall(function: .countStar, arguments: [], filter: compare(.greater, t.ref(0), literal(2)),
                                 output: fixture.column("c", .int64))
        let sum = AggregateCall(function: .sum, arguments: [t.ref(0)], filter: compare(.less, t.ref(0), literal(6)),
                                output: fixture.column("s", .int64))
        let plan = LogicalPlan.aggregate(Aggregate(input: t, groupKeys: [], aggregates: [call, sum]))
        #expect(try fixture.run(plan) == [[bigint(2), bigint(6)]])
    }

    @Test func singleValueTakesTheOnlyRowOrFails() throws {
        let fixture = Fixture()
        let one = fixture.table("one", [("s", .utf8)], [[text("only")]])
        let plan = aggregate(fixture, one, keys: [], [(.singleValue, [one.ref(0)], .utf8)])
        #expect(try fixture.run(plan) == [[text("only")]])
        let none = fixture.table("none", [("s", .utf8)], [])
        #expect(try fixture.run(aggregate(fixture, none, keys: [], [(.singleValue, [none.ref(0)], .utf8)])) == [[.null]])
        let two = fixture.table("two", [("s", .utf8)], [[.null], [text("b")]])
        #expect(throws: ExecutionError("more than one row returned by a subquery used as an expression")) {
            try fixture.run(aggregate(fixture, two, keys: [], [(.singleValue, [two.ref(0)], .utf8)]))
        }
        let grouped = fixture.table("grouped", [("g", .int32), ("v", .int32)], [[int(1), int(10)], [int(2), .null]])
        #expect(lines(try fixture.run(aggregate(fixture, grouped, keys: [0], [(.singleValue, [grouped.ref(1)], .int32)]))) == ["1|10", "2|NULL"])
    }
}
