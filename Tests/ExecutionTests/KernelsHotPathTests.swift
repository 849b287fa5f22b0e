import Columnar
import LogicalPlan
@testable import Execution
import Testing

/// Edge cases of the branch-free predicate packing, inline string equality, selection helpers and the
/// few-group sum lanes.
@Suite struct KernelsHotPathTests {
    /// A column of `values` (nil for NULL) of a fixed-width type.
    private func column<T>(_ type: DataType, _ values: [T?]) -> Column {
        var builder = ColumnBuilder(type, capacity: values.count)
        for value in values {
            if let value { builder.append(value) } else { builder.appendNull() }
        }
        return builder.finish()
    }

    @Test(arguments: [0, 1, 63, 64, 65, 130, 2048])
    func predicateBitsMatchARowByRowLoop(count: Int) {
        let values = (0..<count).map { Int32(($0 * 7919) % 101) }
        let words = UnsafeMutablePointer<UInt64>.allocate(capacity: Swift.max(1, (count + 63) / 64))
        defer { words.deallocate() }
        let padded = values + [0]
        padded.withUnsafeBufferPointer { buffer in
            predicateBinary(Operand<Int32>.values(buffer.baseAddress!), .scalar(50), into: words, count: count) { $0 < $1 }
        }
        for row in 0..<count {
            #expect(Bitmap.isSet(UnsafeRawPointer(words), row) == (values[row] < 50), "row \(row)")
        }
        if count % 64 != 0 {
            // Bits past the count in the last word are zero.
            #expect(words[count / 64] >> UInt64(count % 64) == 0)
        }
    }

    @Test func constantPredicateFillsEveryWord() {
        let words = UnsafeMutablePointer<UInt64>.allocate(capacity: 3)
        defer { words.deallocate() }
        words.initialize(repeating: 0, count: 3)
        predicateBinary(Operand<Int64>.scalar(1), .scalar(2), into: words, count: 130) { $0 < $1 }
        #expect(words[0] == ~0 && words[1] == ~0 && words[2] != 0)
    }

    @Test func equalBytesForEveryShortLength() {
        for length in 0...40 {
            let a = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            a.withUnsafeBytes { x in
                let same = Array(a)
                same.withUnsafeBytes { #expect(equalBytes(x, $0), "length \(length)") }
                for position in 0..<length {
                    var other = a
                    other[position] ^= 0x20
                    other.withUnsafeBytes { #expect(!equalBytes(x, $0), "length \(length) position \(position)") }
                }
                let longer = a + [0]
                longer.withUnsafeBytes { #expect(!equalBytes(x, $0)) }
            }
        }
    }

    @Test func runCountsAndSetPositions() {
        let selected: [Int32] = [0, 1, 2, 5, 6, 9]
        #expect(selected.withUnsafeBufferPointer { ColumnCompaction.runCount($0) } == 3)
        #expect([Int32]().withUnsafeBufferPointer { ColumnCompaction.runCount($0) } == 0)
        #expect(ColumnCompaction.runs(of: selected).map { [$0.start, $0.length] } == [[0, 3], [5, 2], [9, 1]])
        let bits = BitmapKernels.allocate(bits: 128)
        #expect(BitmapKernels.setPositions(UnsafePointer(bits.typed(UInt64.self)), count: 128) == [])
        for index in 0..<128 { Bitmap.set(bits.pointer, index) }
        #expect(BitmapKernels.setPositions(UnsafePointer(bits.typed(UInt64.self)), count: 70) == (0..<70).map { Int32($0) })
    }

    @Test func compactionByRunsAndByGatherAgree() {
        let values: [Int64?] = (0..<300).map { $0 % 11 == 0 ? nil : Int64($0) }
        let source = column(.int64, values)
        let runs: [Int32] = Array(10..<200).map { Int32($0) }
        let scattered: [Int32] = stride(from: 1, to: 300, by: 3).map { Int32($0) }
        for selected in [runs, scattered] {
            let compacted = ColumnCompaction.compact([source], selected: selected)[0]
            #expect(compacted.scalars == selected.map { source.scalar(at: Int($0)) })
        }
    }

    @Test func fewGroupSumsMatchPlainSumsWithNulls() {
        let rowCount = 1001
        let values: [Int128?] = (0..<rowCount).map { $0 % 7 == 3 ? nil : Int128($0 * 1_000_003) - 400_000_000 }
        let groups: [Int32] = (0..<rowCount).map { Int32(($0 / 3) % 5) }
        let source = column(.decimal128(precision: 38, scale: 2), values)
        var sums = [Int128](repeating: 10, count: 5), counts = [Int64](repeating: 1, count: 5)
        var expectedSums = sums, expectedCounts = counts
        for row in 0..<rowCount {
            guard let value = values[row] else { continue }
            expectedSums[Int(groups[row])] += value
            expectedCounts[Int(groups[row])] += 1
        }
        let overflow = groups.withUnsafeBufferPointer { groups in
            FewGroupSums.add(UnsafePointer(source.valuePointer(Int128.self)),
                             validity: source.validity.map { UnsafeRawPointer($0.pointer) }, groups: groups,
                             groupCount: 5, sums: &sums, counts: &counts)
        }
        #expect(overflow == false)
        #expect(sums == expectedSums)
        #expect(counts == expectedCounts)
    }

    @Test func fewGroupSumsReportOverflowOfARunningTotal() {
        let values: [Int128] = [Int128(1) << 124, Int128(1) << 124, Int128(1) << 124]
        var sums: [Int128] = [Int128.max - (Int128(1) << 124)], counts: [Int64] = [0]
        let overflow = values.withUnsafeBufferPointer { values in
            [Int32](repeating: 0, count: 3).withUnsafeBufferPointer { groups in
                FewGroupSums.add(values.baseAddress!, validity: nil, groups: groups, groupCount: 1, sums: &sums, counts: &counts)
            }
        }
        #expect(overflow == true)
        #expect(counts == [3])
        // Values too large to sum exactly in a batch's lanes: nothing is added, the caller checks row by row.
        let huge: [Int128] = [Int128.max, Int128.min + 1]
        var untouched: [Int128] = [5], untouchedCounts: [Int64] = [0]
        let refused = huge.withUnsafeBufferPointer { values in
            [Int32](repeating: 0, count: 2).withUnsafeBufferPointer { groups in
                FewGroupSums.add(values.baseAddress!, validity: nil, groups: groups, groupCount: 1, sums: &untouched,
                                 counts: &untouchedCounts)
            }
        }
        #expect(refused == nil)
        #expect(untouched == [5] && untouchedCounts == [0])
        #expect(!FewGroupSums.canSumExactly(rowCount: 4, magnitudeBound: UInt128(1) << 126))
        #expect(FewGroupSums.canSumExactly(rowCount: 2048, magnitudeBound: UInt128(1) << 100))
        #expect(FewGroupSums.canSumExactly(rowCount: 0, magnitudeBound: 1))
    }

    @Test func sumOverflowInAFewGroupAggregateIsAnError() throws {
        let accumulator = ExactSumAccumulator(inputScale: 0, outputType: .decimal128(precision: 38, scale: 0), isAverage: false)
        accumulator.resize(groupCount: 2)
        let big = column(.decimal128(precision: 38, scale: 0), [Int128.max - 10, nil, 20] as [Int128?])
        let groups: [Int32] = [0, 1, 0]
        #expect(throws: ExecutionError.self) {
            try groups.withUnsafeBufferPointer { try accumulator.update(groups: $0, arguments: [big]) }
        }
        let fine = ExactSumAccumulator(inputScale: 2, outputType: .decimal128(precision: 38, scale: 2), isAverage: true)
        fine.resize(groupCount: 2)
        let small = column(.decimal128(precision: 15, scale: 2), [100, nil, 201, 7] as [Int128?])
        try [Int32]([0, 1, 0, 0]).withUnsafeBufferPointer { try fine.update(groups: $0, arguments: [small]) }
        let result = try fine.finish(groupCount: 2)
        #expect(result.scalars == [.decimal(103, precision: 38, scale: 2), .null])
    }

    @Test func sparseJoinKeysStayInTheDirectTable() throws {
        // 2 000 keys spread over a range 50 times larger: a direct array, found in any order.
        let keys: [Int64] = (0..<2000).map { Int64($0 * 50 + 7) }
        let table = IntegerKeyTable(type: .int64, expectedCount: keys.count)
        var groups: [Int32] = [], newRows: [Int32] = []
        try table.findOrInsert([column(.int64, keys.reversed())], rowCount: keys.count, groups: &groups, newRows: &newRows)
        #expect(table.count == 2000)
        let probe: [Int64?] = [7, 57, 8, nil, 99_957, 100_007, Int64.min]
        var found: [Int32] = []
        try table.find([column(.int64, probe)], rowCount: probe.count, groups: &found, nullsMatch: false)
        #expect(found == [1999, 1998, -1, -1, 0, -1, -1])
    }
}

/// Large batches presize the direct integer table; the groups and lookups stay those of a plain dictionary.
@Suite struct IntegerKeyTablePresizingTests {
    private func column(_ values: [Int64?]) -> Column {
        var builder = ColumnBuilder(.int64, capacity: values.count)
        for value in values {
            if let value { builder.append(value) } else { builder.appendNull() }
        }
        return builder.finish()
    }

    @Test(arguments: [Int64(0), -3_000_000, Int64.max - 200_000, Int64.min])
    func presizedBatchesThenSmallBatchesOutsideTheRange(start: Int64) throws {
        let table = IntegerKeyTable(type: .int64, expectedCount: 5000)
        let big: [Int64?] = (0..<5000).map { start &+ Int64(($0 * 37) % 5000) * 20 }
        let small: [Int64?] = [start &- 1, start, nil, start &+ 99_980, start &+ 200_000]
        var reference: [Int64?: Int32] = [:]
        for batch in [big, small, big] {
            var groups: [Int32] = [], newRows: [Int32] = []
            try table.findOrInsert([column(batch)], rowCount: batch.count, groups: &groups, newRows: &newRows)
            for (row, value) in batch.enumerated() {
                if reference[value] == nil { reference[value] = Int32(reference.count) }
                #expect(groups[row] == reference[value])
            }
        }
        #expect(table.count == reference.count)
        var found: [Int32] = []
        let probe: [Int64?] = [start, start &+ 20, start &+ 10, nil, start &+ 200_000]
        try table.find([column(probe)], rowCount: probe.count, groups: &found, nullsMatch: false)
        #expect(found == probe.map { $0 == nil ? -1 : reference[$0] ?? -1 })
    }
}

/// Concatenation by whole buffers matches row-by-row building, with nulls, empty parts and every layout.
@Suite struct ColumnConcatenationTests {
    private func column(_ type: DataType, _ values: [Value]) -> Column {
        var builder = ColumnBuilder(type, capacity: values.count)
        for value in values { builder.append(value) }
        return builder.finish()
    }

    @Test func fixedWidthStringsAndBooleansWithNullsAndEmptyParts() {
        let cases: [(DataType, [[Value]])] = [
            (.int64, [[.int64(1), .null], [], [.int64(3)], [.null, .int64(-5)]]),
            (.decimal128(precision: 15, scale: 2), [[.decimal(105, precision: 15, scale: 2)], [.decimal(-7, precision: 15, scale: 2)]]),
            (.utf8, [[.string("special"), .string("")], [], [.null, .string("requests")], [.string("x")]]),
            (.boolean, [[.boolean(true), .null], [.boolean(false)]]),
            (.date32, [[], []]),
        ]
        for (type, parts) in cases {
            let result = ColumnConcatenation.concatenate(parts.map { column(type, $0) }, type: type)
            #expect(result.count == parts.joined().count)
            #expect(result.scalars == Array(parts.joined()), "\(type)")
            #expect(result.nullCount == parts.joined().filter(\.isNull).count)
        }
        let withUntypedNulls = ColumnConcatenation.concatenate([column(.int32, [.int32(4)]), nullColumn(.null, count: 2)], type: .int32)
        #expect(withUntypedNulls.scalars == [.int32(4), .null, .null])
    }
}

/// Inline short copies write exactly the bytes asked for.
@Suite struct CopyBytesTests {
    @Test func everyLengthUpTo40LeavesNeighboursAlone() {
        for count in 0...40 {
            let source = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 1) }
            var target = [UInt8](repeating: 0xEE, count: count + 16)
            source.withUnsafeBytes { from in
                target.withUnsafeMutableBytes { to in
                    copyBytes(from: from.baseAddress ?? UnsafeRawPointer(to.baseAddress!), to: to.baseAddress! + 8, count: count)
                }
            }
            #expect(Array(target[8..<(8 + count)]) == source, "count \(count)")
            #expect(target[0..<8].allSatisfy { $0 == 0xEE } && target[(8 + count)...].allSatisfy { $0 == 0xEE }, "count \(count)")
        }
    }
}

/// Decimal addition and subtraction on columns, in the loops for equal and for different scales.
@Suite struct DecimalAddSubtractTests {
    typealias F = ExpressionFixture

    @Test func subtractAndAddOnColumnsWithNullsAndOverflow() throws {
        let type = DataType.decimal128(precision: 15, scale: 2)
        let (batch, columns) = F.batch([
            ("a", type, [Ex.decimalValue("1.00", 15, 2), .null, Ex.decimalValue("-3.25", 15, 2)]),
            ("b", type, [Ex.decimalValue("0.06", 15, 2), Ex.decimalValue("1.00", 15, 2), Ex.decimalValue("2.5", 15, 2)]),
        ])
        let a = Expression.column(columns[0]), b = Expression.column(columns[1])
        let result = DataType.decimal128(precision: 16, scale: 2)
        #expect(try F.evaluate(Ex.call(.subtract, a, b, type: result), batch, columns)
                == [Ex.decimalValue("0.94", 16, 2), .null, Ex.decimalValue("-5.75", 16, 2)])
        #expect(try F.evaluate(Ex.call(.add, a, b, type: result), batch, columns)
                == [Ex.decimalValue("1.06", 16, 2), .null, Ex.decimalValue("-0.75", 16, 2)])
        // Different scales: the integer operand is scaled up first.
        let scaled = try F.evaluate(Ex.call(.subtract, Ex.decimal("1", 1, 0), b, type: result), batch, columns)
        #expect(scaled == [Ex.decimalValue("0.94", 16, 2), Ex.decimalValue("0.00", 16, 2), Ex.decimalValue("-1.50", 16, 2)])
        // A result beyond the declared precision is an error, not a trap.
        let narrow = DataType.decimal128(precision: 2, scale: 2)
        #expect(F.errorMessage { try F.evaluate(Ex.call(.subtract, a, b, type: narrow), batch, columns) } == "numeric field overflow")
    }
}
