import Columnar
@testable import Execution
import Testing

@Suite struct OperatorHashTableTests {
    private func column(_ values: [Int64?]) -> Column {
        var builder = ColumnBuilder(.int64, capacity: values.count)
        for value in values {
            if let value { builder.append(value) } else { builder.appendNull() }
        }
        return builder.finish()
    }

    /// Feeds `batches` to a table and checks every group against a dictionary built alongside.
    private func check(_ table: any GroupKeyTable, _ batches: [[Int64?]]) throws {
        var reference: [Int64?: Int32] = [:]
        for values in batches {
            var groups: [Int32] = []
            var newRows: [Int32] = []
            try table.findOrInsert([column(values)], rowCount: values.count, groups: &groups, newRows: &newRows)
            var expectedNew: [Int32] = []
            for (row, value) in values.enumerated() {
                if let group = reference[value] {
                    #expect(groups[row] == group)
                } else {
                    reference[value] = Int32(reference.count)
                    expectedNew.append(Int32(row))
                    #expect(groups[row] == reference[value])
                }
            }
            #expect(newRows == expectedNew)
        }
        #expect(table.count == reference.count)
        let probe: [Int64?] = Array(reference.keys) + [nil, 123_456_789_012, -7]
        var found: [Int32] = []
        try table.find([column(probe)], rowCount: probe.count, groups: &found, nullsMatch: false)
        for (row, value) in probe.enumerated() {
            #expect(found[row] == (value == nil ? -1 : reference[value] ?? -1))
        }
        try table.find([column(probe)], rowCount: probe.count, groups: &found, nullsMatch: true)
        for (row, value) in probe.enumerated() { #expect(found[row] == reference[value] ?? -1) }
    }

    @Test func integerTableWithDenseSparseAndExtremeKeys() throws {
        let ascending: [Int64?] = (0..<5000).map { (index: Int) -> Int64? in Int64(index * 3) }
        let descending: [Int64?] = (0..<5000).map { (index: Int) -> Int64? in Int64(20_000 - index) }
        try check(IntegerKeyTable(type: .int64), [ascending, descending])
        let negative: [Int64?] = (0..<3000).map { (index: Int) -> Int64? in Int64(-index * 1000) }
        let extremes: [Int64?] = [nil, 5, nil, Int64.min, Int64.max]
        try check(IntegerKeyTable(type: .int64), [negative, extremes])
        var generator = SystemRandomNumberGenerator()
        var random: [Int64?] = []
        for _ in 0..<20_000 { random.append(Int64.random(in: -1_000_000_000...1_000_000_000, using: &generator)) }
        try check(IntegerKeyTable(type: .int64), [Array(random[..<10_000]), Array(random[5000...])])
        try check(IntegerKeyTable(type: .int64), [[Int64.max, Int64.max - 1, Int64.min], [0, Int64.max]])
    }

    @Test func encodedTableMatchesTheIntegerTable() throws {
        let values: [Int64?] = (0..<4000).map { (index: Int) -> Int64? in index % 17 == 0 ? nil : Int64((index * 7919) % 1500) }
        try check(EncodedKeyTable(types: [.int64]), [values, values.reversed()])
    }
}
