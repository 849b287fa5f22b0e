import Catalog
import Columnar
@testable import Execution
import LogicalPlan
import Testing

/// A window call over `plan` producing a fresh column.
private func call(_ fixture: Fixture, _ function: WindowFunction, _ arguments: [Expression] = [], type: DataType = .int64,
                  partitionBy: [Expression] = [], orderBy: [SortKey] = [], frame: WindowFrame? = nil) -> WindowCall {
    WindowCall(function: function, arguments: arguments, partitionBy: partitionBy, orderBy: orderBy,
               frame: frame ?? .defaultFrame(isOrdered: !orderBy.isEmpty), output: fixture.column(function.sqlName, type))
}

private func offset(_ value: Int64) -> Expression { .literal(.int64(value), .int64) }

/// A deterministic pseudo-random sequence (a linear congruential generator).
private struct Sequence {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(bound))
    }
}

@Suite struct OperatorWindowTests {
    @Test func ranksWithTiesComeOutInInputOrder() throws {
        let fixture = Fixture()
        let t = fixture.table("t", [("g", .utf8), ("v", .int32)], [
            [text("a"), int(3)], [text("b"), int(1)], [text("a"), int(1)], [text("a"), int(3)], [.null, int(2)],
            [text("a"), .null], [text("b"), int(1)],
        ], segmentSize: 3)
        let order = [SortKey(expression: t.ref(1))]
        let partition = [t.ref(0)]
        let plan = LogicalPlan.window(Window(input: t, functions: [
            call(fixture, .rowNumber, partitionBy: partition, orderBy: order),
            call(fixture, .rank, partitionBy: partition, orderBy: order),
            call(fixture, .denseRank, partitionBy: partition, orderBy: order),
            call(fixture, .percentRank, type: .float64, partitionBy: partition, orderBy: order),
            call(fixture, .cumeDist, type: .float64, partitionBy: partition, orderBy: order),
        ]))
        #expect(plan.columns.count == 7)
        #expect(lines(try fixture.run(plan)) == [
            "a|3|2|2|2|0.3333333333333333|0.75",
            "b|1|1|1|1|0.0|1.0",
            "a|1|1|1|1|0.0|0.25",
            "a|3|3|2|2|0.3333333333333333|0.75",
            "NULL|2|1|1|1|0.0|1.0",
            "a|NULL|4|4|3|1.0|1.0",
            "b|1|2|1|1|0.0|1.0",
        ])
    }

    @Test func ntileSplitsPartitionsEvenly() throws {
        let fixture = Fixture()
        let t = fixture.table("t", [("v", .int32)], (1...7).map { [int(Int32($0))] })
        let order = [SortKey(expression: t.ref(0))]
        let plan = LogicalPlan.window(Window(input: t, functions: [
            call(fixture, .ntile, [offset(3)], orderBy: order),
            call(fixture, .ntile, [offset(10)], orderBy: order),
        ]))
        #expect(lines(try fixture.run(plan)) == ["1|1|1", "2|1|2", "3|1|3", "4|2|4", "5|2|5", "6|3|6", "7|3|7"])
        let invalid = LogicalPlan.window(Window(input: t, functions: [call(fixture, .ntile, [offset(0)], orderBy: order)]))
        #expect(throws: ExecutionError("argument of ntile must be greater than zero")) { try fixture.run(invalid) }
    }

    @Test func lagAndLeadStayInTheirPartition() throws {
        let fixture = Fixture()
        let t = fixture.table("t", [("g", .int32), ("v", .utf8), ("seq", .int32)], [
            [int(1), text("x"), int(1)], [int(2), text("p"), int(2)], [int(1), text("y"), int(3)],
            [int(1), .null, int(4)], [int(2), text("q"), int(5)],
        ])
        let order = [SortKey(expression: t.ref(2))]
        let plan = LogicalPlan.window(Window(input: t, functions: [
            call(fixture, .lag, [t.ref(1)], type: .utf8, partitionBy: [t.ref(0)], orderBy: order),
            call(fixture, .lead, [t.ref(1), offset(1), .literal(.string("none"), .utf8)], type: .utf8,
                 partitionBy: [t.ref(0)], orderBy: order),
            call(fixture, .lag, [t.ref(1), offset(-2)], type: .utf8, partitionBy: [t.ref(0)], orderBy: order),
        ]))
        #expect(lines(try fixture.run(plan)) == [
            "1|x|1|NULL|y|NULL", "2|p|2|NULL|q|NULL", "1|y|3|x|NULL|NULL", "1|NULL|4|y|none|NULL", "2|q|5|p|none|NULL",
        ])
    }

    @Test func frameValuesAndEmptyFrames() throws {
        let fixture = Fixture()
        let t = fixture.table("t", [("v", .int32)], (1...5).map { [int(Int32($0) * 10)] })
        let order = [SortKey(expression: t.ref(0))]
        let sliding = WindowFrame(units: .rows, start: .preceding(offset(1)), end: .following(offset(1)))
        let ahead = WindowFrame(units: .rows, start: .following(offset(2)), end: .following(offset(3)))
        let plan = LogicalPlan.window(Window(input: t, functions: [
            call(fixture, .firstValue, [t.ref(0)], type: .int32, orderBy: order, frame: sliding),
            call(fixture, .lastValue, [t.ref(0)], type: .int32, orderBy: order, frame: sliding),
            call(fixture, .nthValue, [t.ref(0), offset(2)], type: .int32, orderBy: order, frame: ahead),
            call(fixture, .aggregate(.sum), [t.ref(0)], type: .int64, orderBy: order, frame: ahead),
            call(fixture, .aggregate(.countStar), orderBy: order, frame: ahead),
        ]))
        #expect(lines(try fixture.run(plan)) == [
            "10|10|20|40|70|2", "20|10|30|50|90|2", "30|20|40|NULL|50|1", "40|30|50|NULL|NULL|0", "50|40|50|NULL|NULL|0",
        ])
    }

    @Test func rangeOffsetsOverDatesAndDescendingKeys() throws {
        let fixture = Fixture()
        let t = fixture.table("t", [("day", .date32)], [[.date(0)], [.date(30)], [.date(31)], [.date(59)], [.null], [.date(90)]])
        let ascending = [SortKey(expression: t.ref(0))]
        let descending = [SortKey(expression: t.ref(0), isAscending: false)]
        let month = Expression.literal(.interval(IntervalValue(months: 1)), .interval)
        let plan = LogicalPlan.window(Window(input: t, functions: [
            call(fixture, .aggregate(.countStar), orderBy: ascending,
                 frame: WindowFrame(units: .range, start: .preceding(month), end: .currentRow)),
            call(fixture, .aggregate(.countStar), orderBy: descending,
                 frame: WindowFrame(units: .range, start: .preceding(offset(30)), end: .following(offset(1)))),
        ]))
        // A month before 1970-01-31 is 1969-12-31; before 1970-03-01, 1970-02-01. Descending, 30 PRECEDING
        // reaches 30 days later.
        #expect(lines(try fixture.run(plan)) == [
            "1970-01-01|1|2", "1970-01-31|2|3", "1970-02-01|3|3", "1970-03-01|2|1", "NULL|1|1", "1970-04-01|2|1",
        ])
    }

    @Test func manyBatchesComeOutInInputOrder() throws {
        let fixture = Fixture()
        let count = 5000
        let t = fixture.table("t", [("v", .int32)], (0..<count).map { [int(Int32(($0 * 7919) % count))] }, segmentSize: 1500)
        let plan = LogicalPlan.window(Window(input: t, functions: [
            call(fixture, .rowNumber, orderBy: [SortKey(expression: t.ref(0), isAscending: false)]),
        ]))
        let batches = try fixture.batches(plan)
        #expect(batches.count > 1)
        let rows = batches.flatMap(\.rows)
        #expect(rows.count == count)
        for (index, row) in rows.enumerated() {
            let value = Int64((index * 7919) % count)
            #expect(row == [.int32(Int32(value)), .int64(Int64(count) - value)])
        }
    }

    @Test func emptyInputProducesNoRows() throws {
        let fixture = Fixture()
        let t = fixture.table("t", [("v", .int32)], [])
        let plan = LogicalPlan.window(Window(input: t, functions: [call(fixture, .rowNumber, orderBy: [SortKey(expression: t.ref(0))])]))
        #expect(try fixture.run(plan).isEmpty)
    }

    @Test func negativeOffsetsAreErrors() throws {
        let fixture = Fixture()
        let t = fixture.table("t", [("v", .int32)], [[int(1)]])
        let order = [SortKey(expression: t.ref(0))]
        let rows = LogicalPlan.window(Window(input: t, functions: [
            call(fixture, .aggregate(.countStar), orderBy: order,
                 frame: WindowFrame(units: .rows, start: .preceding(offset(-1)), end: .currentRow)),
        ]))
        #expect(throws: ExecutionError("frame starting offset must not be negative")) { try fixture.run(rows) }
        let range = LogicalPlan.window(Window(input: t, functions: [
            call(fixture, .aggregate(.countStar), orderBy: order,
                 frame: WindowFrame(units: .range, start: .currentRow, end: .following(.literal(.int32(-3), .int32)))),
        ]))
        #expect(throws: ExecutionError("invalid preceding or following size in window function")) { try fixture.run(range) }
    }

    /// Sliding ROWS, RANGE and GROUPS frames over random data match a direct computation of each frame.
    @Test(arguments: [1, 4])
    func framesMatchBruteForce(threads: Int) throws {
        var random = Sequence(state: 42)
        let count = 700
        var rows: [[Value]] = []
        for id in 0..<count {
            let group = random.next(4)
            let key = random.next(10) == 0 ? Value.null : .int32(Int32(random.next(60)))
            let value = random.next(8) == 0 ? Value.null : .int32(Int32(random.next(200)) - 100)
            rows.append([.int32(Int32(id)), group == 3 ? .null : .int32(Int32(group)), key, value])
        }
        let fixture = Fixture()
        let t = fixture.table("t", [("id", .int32), ("g", .int32), ("k", .int32), ("v", .int32)], rows, segmentSize: 97)
        let byID = [SortKey(expression: t.ref(0))]
        let byKey = [SortKey(expression: t.ref(2))]
        let partition = [t.ref(1)]
        let rowsFrame = WindowFrame(units: .rows, start: .preceding(offset(3)), end: .following(offset(2)))
        let behindFrame = WindowFrame(units: .rows, start: .preceding(offset(3)), end: .preceding(offset(1)))
        let rangeFrame = WindowFrame(units: .range, start: .preceding(.literal(.int32(5), .int32)),
                                     end: .following(.literal(.int32(2), .int32)))
        let groupsFrame = WindowFrame(units: .groups, start: .preceding(offset(1)), end: .following(offset(2)))
        var calls: [WindowCall] = []
        let frames = [rowsFrame, behindFrame, rangeFrame, groupsFrame]
        for frame in frames {
            let order = frame.units == .rows ? byID : byKey
            calls.append(call(fixture, .aggregate(.sum), [t.ref(3)], partitionBy: partition, orderBy: order, frame: frame))
            calls.append(call(fixture, .aggregate(.minimum), [t.ref(3)], type: .int32, partitionBy: partition, orderBy: order, frame: frame))
            calls.append(call(fixture, .aggregate(.maximum), [t.ref(3)], type: .int32, partitionBy: partition, orderBy: order, frame: frame))
            calls.append(call(fixture, .aggregate(.count), [t.ref(3)], partitionBy: partition, orderBy: order, frame: frame))
        }
        let result = try fixture.run(.window(Window(input: t, functions: calls)), threadCount: threads)
        #expect(result.count == count)

        func integer(_ value: Value) -> Int? { if case .int32(let number) = value { return Int(number) } else { return nil } }
        for output in result {
            guard let id = integer(output[0]) else { Issue.record("missing id"); return }
            let row = rows[id]
            let peers = rows.filter { $0[1] == row[1] }
            var expected: [Value] = []
            for frame in frames {
                let members: [[Value]]
                switch frame.units {
                case .rows:
                    let sorted = peers.sorted { integer($0[0])! < integer($1[0])! }
                    let index = sorted.firstIndex { $0[0] == row[0] }!
                    let (low, high) = frame == rowsFrame ? (index - 3, index + 2) : (index - 3, index - 1)
                    members = high < max(0, low) ? [] : Array(sorted[max(0, low)...min(sorted.count - 1, high)])
                case .range:
                    if let key = integer(row[2]) {
                        members = peers.filter { integer($0[2]).map { $0 >= key - 5 && $0 <= key + 2 } ?? false }
                    } else {
                        members = peers.filter { $0[2] == .null }
                    }
                case .groups:
                    // Peer groups in order: the distinct keys ascending, then NULL last.
                    var keys = Array(Set(peers.compactMap { integer($0[2]) })).sorted().map(Optional.some)
                    if peers.contains(where: { $0[2] == .null }) { keys.append(nil) }
                    let index = keys.firstIndex(of: integer(row[2]))!
                    let chosen = Set(keys[max(0, index - 1)...min(keys.count - 1, index + 2)].map { $0 ?? Int.min })
                    members = peers.filter { chosen.contains(integer($0[2]) ?? Int.min) }
                }
                let values = members.compactMap { integer($0[3]) }
                expected.append(values.isEmpty ? .null : .int64(Int64(values.reduce(0, +))))
                expected.append(values.min().map { .int32(Int32($0)) } ?? .null)
                expected.append(values.max().map { .int32(Int32($0)) } ?? .null)
                expected.append(.int64(Int64(values.count)))
            }
            #expect(Array(output[4...]) == expected, "row \(id)")
        }
    }
}
