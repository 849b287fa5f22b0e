import Columnar
@testable import Execution
import Testing

/// The packed-key group table against the encoded-key table: same groups, same order, same lookups.
@Suite struct PackedKeyTableTests {
    private func strings(_ values: [String?]) -> Column {
        var builder = ColumnBuilder(.utf8, capacity: values.count)
        for value in values {
            if let value { builder.append(string: value) } else { builder.appendNull() }
        }
        return builder.finish()
    }

    private func integers(_ type: DataType, _ values: [Int64?]) -> Column {
        var builder = ColumnBuilder(type, capacity: values.count)
        for value in values {
            guard let value else { builder.appendNull(); continue }
            switch type {
            case .int32, .date32: builder.append(Int32(truncatingIfNeeded: value))
            case .decimal128: builder.append(Int128(value))
            case .boolean: builder.append(value % 2 == 0)
            default: builder.append(value)
            }
        }
        return builder.finish()
    }

    /// Feeds batches to a packed table and to an encoded table and expects identical groups and lookups.
    private func expectSameGroups(_ types: [DataType], _ batches: [[Column]], probe: [Column]) throws {
        let layout = try #require(PackedKeyLayout(types: types))
        let packed = PackedKeyTable(layout: layout, expectedCount: 4)
        let encoded = EncodedKeyTable(types: types)
        for batch in batches {
            let rowCount = batch[0].count
            var packedGroups: [Int32] = [], packedNew: [Int32] = []
            var encodedGroups: [Int32] = [], encodedNew: [Int32] = []
            try packed.findOrInsert(batch, rowCount: rowCount, groups: &packedGroups, newRows: &packedNew)
            try encoded.findOrInsert(batch, rowCount: rowCount, groups: &encodedGroups, newRows: &encodedNew)
            #expect(packedGroups == encodedGroups)
            #expect(packedNew == encodedNew)
        }
        #expect(packed.count == encoded.count)
        for nullsMatch in [false, true] {
            var packedFound: [Int32] = [], encodedFound: [Int32] = []
            try packed.find(probe, rowCount: probe[0].count, groups: &packedFound, nullsMatch: nullsMatch)
            try encoded.find(probe, rowCount: probe[0].count, groups: &encodedFound, nullsMatch: nullsMatch)
            #expect(packedFound == encodedFound)
        }
    }

    @Test func layoutsOfPackableAndUnpackableKeys() throws {
        let flags = try #require(PackedKeyLayout(types: [.utf8, .utf8]))
        #expect(flags.offsets == [0, 12] && flags.sizes == [12, 12])
        let mixed = try #require(PackedKeyLayout(types: [.int64, .date32, .int32]))
        #expect(mixed.sizes == [9, 5, 5])
        #expect(PackedKeyLayout(types: [.int64, .int64, .int64]) == nil)
        #expect(PackedKeyLayout(types: [.float64, .int32]) == nil)
        #expect(PackedKeyLayout(types: [.decimal128(precision: 15, scale: 2), .int64, .utf8]) == nil)
        #expect(PackedKeyLayout(types: [.decimal128(precision: 15, scale: 2), .int32, .utf8])?.sizes == [17, 5, 2])
        #expect(PackedKeyLayout(types: [.decimal128(precision: 15, scale: 2), .utf8]) != nil)
    }

    @Test func shortStringPairsWithNulls() throws {
        let flags: [String?] = ["A", "N", "R", nil, "A", "", "N"]
        let status: [String?] = ["F", "O", "F", "F", nil, "", "O"]
        let batch = [strings(flags), strings(status)]
        let probe = [strings(["A", nil, "N", "", "Z", "AB"]), strings(["F", "F", "O", "", "F", "F"])]
        try expectSameGroups([.utf8, .utf8], [batch, batch.reversed().reversed()], probe: probe)
    }

    @Test func integersDatesDecimalsAndBooleans() throws {
        let types: [DataType] = [.int64, .date32, .boolean]
        let first = [integers(.int64, [1, 2, nil, 1, Int64.max, Int64.min]), integers(.date32, [10, 10, 10, 10, nil, -5]),
                     integers(.boolean, [0, 1, 0, 0, 1, nil])]
        let second = [integers(.int64, [2, 3, 1]), integers(.date32, [10, 11, 10]), integers(.boolean, [1, 0, 0])]
        try expectSameGroups(types, [first, second], probe: second)
        let decimals: [DataType] = [.decimal128(precision: 15, scale: 2), .int32]
        let batch = [integers(decimals[0], [100, -100, 100, nil]), integers(.int32, [1, 1, 1, nil])]
        try expectSameGroups(decimals, [batch], probe: batch)
    }

    @Test func aLongStringMovesTheGroupsToTheEncodedTableInOrder() throws {
        let names: [String?] = (0..<300).map { $0 % 13 == 0 ? nil : "name\($0 % 40)" }
        let codes: [Int64?] = (0..<300).map { Int64($0 % 3) }
        let short = [strings(names), integers(.int32, codes)]
        let long = [strings(["a string much longer than nineteen bytes", "name1", nil]), integers(.int32, [0, 1, 2])]
        let probe = [strings(["name1", "a string much longer than nineteen bytes", "name2", nil]), integers(.int32, [1, 0, 2, 2])]
        try expectSameGroups([.utf8, .int32], [short, long, short], probe: probe)
    }

    @Test func probesWithStringsTooLongToPackAreNotFound() throws {
        let layout = try #require(PackedKeyLayout(types: [.utf8]))
        let table = PackedKeyTable(layout: layout)
        let keys = strings(["x", "exactly twenty-three ch"])
        var groups: [Int32] = [], newRows: [Int32] = []
        try table.findOrInsert([keys], rowCount: 2, groups: &groups, newRows: &newRows)
        #expect(groups == [0, 1])
        var found: [Int32] = []
        try table.find([strings(["exactly twenty-three ch", "exactly twenty-three chars", "x", nil])], rowCount: 4,
                       groups: &found, nullsMatch: true)
        #expect(found == [1, -1, 0, -1])
        #expect(table.count == 2)
    }

    @Test func emptyBatches() throws {
        let layout = try #require(PackedKeyLayout(types: [.utf8, .int64]))
        let table = PackedKeyTable(layout: layout)
        var groups: [Int32] = [5], newRows: [Int32] = []
        try table.findOrInsert([strings([]), integers(.int64, [])], rowCount: 0, groups: &groups, newRows: &newRows)
        #expect(groups.isEmpty && newRows.isEmpty && table.count == 0)
    }
}
