import Catalog
import Columnar
@testable import Execution
import LogicalPlan
import Testing

/// A deterministic pseudo-random sequence (a linear congruential generator).
private struct Random {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(bound))
    }
}

/// One frame as the brute force reads it: offsets relative to the current row (ROWS), its peer group (GROUPS) or
/// its key (RANGE); nil for UNBOUNDED, negative for PRECEDING.
private struct FrameCase {
    var units: WindowFrame.Units
    var start: Int?
    var end: Int?
    var exclusion: WindowFrame.Exclusion
    /// Whether the window is ordered by the key `k` (with ties and NULLs) rather than the unique `id`.
    var byKey: Bool

    var plan: WindowFrame {
        func bound(_ offset: Int?, isStart: Bool) -> WindowFrame.Bound {
            guard let offset else { return isStart ? .unboundedPreceding : .unboundedFollowing }
            if offset == 0 { return .currentRow }
            let type: DataType = units == .range ? .int32 : .int64
            let literal: Expression = units == .range ? .literal(.int32(Int32(abs(offset))), type)
                : .literal(.int64(Int64(abs(offset))), type)
            return offset < 0 ? .preceding(literal) : .following(literal)
        }
        return WindowFrame(units: units, start: bound(start, isStart: true), end: bound(end, isStart: false),
                           exclusion: exclusion)
    }
}

/// The test table's rows: id, g (partition, with NULLs), k (key, with ties and NULLs), v (value, with NULLs),
/// w (a function of k, so that peers agree), s (v as text).
private struct Row {
    var id: Int
    var group: Int?
    var key: Int?
    var value: Int?
    var keyed: Int? { key.flatMap { $0 % 5 == 0 ? nil : $0 * 3 } }
}

@Suite struct OperatorWindowExclusionTests {
    @Test(arguments: [1, 4])
    func framesWithExclusionAndIgnoredNullsMatchBruteForce(threads: Int) throws {
        var random = Random(state: 7)
        let count = 260
        var rows: [Row] = []
        for id in 0..<count {
            let group = random.next(4)
            rows.append(Row(id: id, group: group == 3 ? nil : group,
                            key: random.next(9) == 0 ? nil : random.next(25),
                            value: random.next(4) == 0 ? nil : random.next(200) - 100))
        }
        let fixture = Fixture()
        let table = fixture.table(
            "t", [("id", .int32), ("g", .int32), ("k", .int32), ("v", .int32), ("w", .int32), ("s", .utf8)],
            rows.map { row in
                [int(Int32(row.id)), int(row.group.map(Int32.init)), int(row.key.map(Int32.init)),
                 int(row.value.map(Int32.init)), int(row.keyed.map(Int32.init)), text(row.value.map(String.init))]
            }, segmentSize: 61)
        let partition = [table.ref(1)]
        var cases: [FrameCase] = []
        for exclusion in [WindowFrame.Exclusion.noOthers, .currentRow, .group, .ties] {
            for (start, end) in [(-3, 2), (nil, 0), (nil, nil), (1, 3), (0, 0), (-3, -1)] as [(Int?, Int?)] {
                cases.append(FrameCase(units: .rows, start: start, end: end, exclusion: exclusion, byKey: false))
            }
            for (start, end) in [(-5, 2), (nil, 0), (0, nil), (nil, nil)] as [(Int?, Int?)] {
                cases.append(FrameCase(units: .range, start: start, end: end, exclusion: exclusion, byKey: true))
            }
            for (start, end) in [(-1, 2), (0, 0), (-2, -1)] as [(Int?, Int?)] {
                cases.append(FrameCase(units: .groups, start: start, end: end, exclusion: exclusion, byKey: true))
            }
        }
        var calls: [WindowCall] = []
        func add(_ function: WindowFunction, _ arguments: [Expression], _ type: DataType, _ frameCase: FrameCase,
                 ignoresNulls: Bool = false) {
            let order = [SortKey(expression: table.ref(frameCase.byKey ? 2 : 0))]
            calls.append(WindowCall(function: function, arguments: arguments, ignoresNulls: ignoresNulls,
                                    partitionBy: partition, orderBy: order, frame: frameCase.plan,
                                    output: fixture.column(function.sqlName, type)))
        }
        let two: Expression = .literal(.int64(2), .int64)
        for frameCase in cases {
            // Value functions read v when the order is unique, else w, on which peers agree.
            let value = table.ref(frameCase.byKey ? 4 : 3)
            add(.aggregate(.sum), [table.ref(3)], .int64, frameCase)
            add(.aggregate(.countStar), [], .int64, frameCase)
            add(.aggregate(.minimum), [table.ref(3)], .int32, frameCase)
            add(.aggregate(.maximum), [table.ref(3)], .int32, frameCase)
            add(.aggregate(.varianceSample), [table.ref(3)], .float64, frameCase)
            add(.aggregate(.standardDeviationPopulation), [table.ref(3)], .float64, frameCase)
            for ignoresNulls in [false, true] {
                add(.firstValue, [value], .int32, frameCase, ignoresNulls: ignoresNulls)
                add(.lastValue, [value], .int32, frameCase, ignoresNulls: ignoresNulls)
                add(.nthValue, [value, two], .int32, frameCase, ignoresNulls: ignoresNulls)
            }
            if !frameCase.byKey {
                add(.aggregate(.stringAgg), [table.ref(5), .literal(.string(","), .utf8)], .utf8, frameCase)
            }
        }
        let byID = FrameCase(units: .rows, start: nil, end: nil, exclusion: .noOthers, byKey: false)
        for ignoresNulls in [false, true] {
            add(.lag, [table.ref(3)], .int32, byID, ignoresNulls: ignoresNulls)
            add(.lead, [table.ref(3), two, .literal(.int32(-7), .int32)], .int32, byID, ignoresNulls: ignoresNulls)
        }

        let result = try fixture.run(.window(Window(input: table, functions: calls)), threadCount: threads)
        #expect(result.count == count)
        var mismatches = 0
        for output in result {
            guard case .int32(let id) = output[0] else {
                Issue.record("missing id")
                return
            }
            let expected = bruteForce(rows[Int(id)], rows: rows, cases: cases)
            let actual = Array(output[6...])
            guard actual.count == expected.count else {
                Issue.record("row \(id): \(actual.count) results, expected \(expected.count)")
                return
            }
            for (index, (got, want)) in zip(actual, expected).enumerated() where !matches(got, want) {
                mismatches += 1
                if mismatches <= 10 { Issue.record("row \(id), call \(calls[index].sqlText): \(got), expected \(want)") }
            }
        }
        #expect(mismatches == 0)
    }
}

/// Whether two results agree: doubles to a relative 1e-9, anything else exactly.
private func matches(_ actual: Value, _ expected: Value) -> Bool {
    if case .float64(let got) = actual, case .float64(let want) = expected {
        return abs(got - want) <= 1e-9 * max(1, abs(want))
    }
    return actual == expected
}

/// Every call's result for `row`, computed naively from the definition of each frame and exclusion.
private func bruteForce(_ row: Row, rows: [Row], cases: [FrameCase]) -> [Value] {
    let partitionRows = rows.filter { $0.group == row.group }
    var results: [Value] = []
    for frameCase in cases {
        // Ascending, NULLs last, ties by id (the rows are read in id order and the sort is stable).
        func key(_ member: Row) -> Int? { frameCase.byKey ? member.key : member.id }
        let sorted = partitionRows.sorted { left, right in
            switch (key(left), key(right)) {
            case let (a?, b?): return a != b ? a < b : left.id < right.id
            case (nil, nil): return left.id < right.id
            case (nil, _): return false
            case (_, nil): return true
            }
        }
        let index = sorted.firstIndex { $0.id == row.id } ?? 0
        var groupKeys: [Int?] = []
        for member in sorted where groupKeys.last.map({ $0 != key(member) }) ?? true { groupKeys.append(key(member)) }
        func groupNumber(_ member: Row) -> Int { groupKeys.firstIndex { $0 == key(member) } ?? 0 }
        var members: [Row] = []
        for (position, member) in sorted.enumerated() {
            var inside: Bool
            switch frameCase.units {
            case .rows:
                inside = frameCase.start.map { position >= index + $0 } ?? true
                inside = inside && (frameCase.end.map { position <= index + $0 } ?? true)
            case .groups:
                let group = groupNumber(member), current = groupNumber(row)
                inside = frameCase.start.map { group >= current + $0 } ?? true
                inside = inside && (frameCase.end.map { group <= current + $0 } ?? true)
            case .range:
                if let current = key(row) {
                    inside = frameCase.start.map { offset in key(member).map { $0 >= current + offset } ?? true } ?? true
                    inside = inside && (frameCase.end.map { offset in key(member).map { $0 <= current + offset } ?? false } ?? true)
                } else {
                    // A NULL key's offsets reach exactly the NULL peers (which sort last).
                    inside = frameCase.start == nil || key(member) == nil
                }
            }
            let isPeer = key(member) == key(row)
            switch frameCase.exclusion {
            case .noOthers: break
            case .currentRow: inside = inside && member.id != row.id
            case .group: inside = inside && !isPeer
            case .ties: inside = inside && (!isPeer || member.id == row.id)
            }
            if inside { members.append(member) }
        }
        let values = members.compactMap(\.value)
        results.append(values.isEmpty ? .null : .int64(Int64(values.reduce(0, +))))
        results.append(.int64(Int64(members.count)))
        results.append(values.min().map { .int32(Int32($0)) } ?? .null)
        results.append(values.max().map { .int32(Int32($0)) } ?? .null)
        let doubles = values.map(Double.init)
        let mean = doubles.reduce(0, +) / Double(max(doubles.count, 1))
        let squares = doubles.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        results.append(doubles.count < 2 ? .null : .float64(squares / Double(doubles.count - 1)))
        results.append(doubles.isEmpty ? .null : .float64((squares / Double(doubles.count)).squareRoot()))
        for ignoresNulls in [false, true] {
            let picked = members.map { frameCase.byKey ? $0.keyed : $0.value }.filter { !ignoresNulls || $0 != nil }
            func value(_ pick: Int??) -> Value { (pick ?? nil).map { .int32(Int32($0)) } ?? .null }
            results.append(value(picked.first))
            results.append(value(picked.last))
            results.append(value(picked.count >= 2 ? picked[1] : nil))
        }
        if !frameCase.byKey {
            let texts = members.compactMap { $0.value.map(String.init) }
            results.append(texts.isEmpty ? .null : .string(texts.joined(separator: ",")))
        }
    }
    // lag(v) and lead(v, 2, -7) by id, respecting then ignoring NULLs.
    let byID = partitionRows.sorted { $0.id < $1.id }
    let index = byID.firstIndex { $0.id == row.id } ?? 0
    for ignoresNulls in [false, true] {
        let before = byID[..<index].filter { !ignoresNulls || $0.value != nil }
        let after = byID[(index + 1)...].filter { !ignoresNulls || $0.value != nil }
        results.append(before.last.flatMap(\.value).map { .int32(Int32($0)) } ?? .null)
        results.append(after.count >= 2 ? (after[after.startIndex + 1].value.map { .int32(Int32($0)) } ?? .null) : .int32(-7))
    }
    return results
}
