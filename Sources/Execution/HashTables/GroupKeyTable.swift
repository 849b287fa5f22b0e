import Columnar

/// A hash table from rows of key columns to dense group numbers 0, 1, 2, ... in order of first appearance.
/// NULLs are equal to each other here (as in GROUP BY); joins exclude NULL keys themselves.
///
/// `makeGroupKeyTable(types:expectedCount:)` picks an implementation: a table with integer keys stored inline
/// for a single integer or date key, a table of keys packed into 24 bytes when the key types allow it, and a
/// table over encoded key bytes for everything else.
protocol GroupKeyTable: AnyObject {
    /// The number of groups.
    var count: Int { get }
    /// Sets `groups` to the group of each of the `rowCount` rows, inserting new keys, and appends the rows
    /// that created a group to `newRows`.
    func findOrInsert(_ keyColumns: [Column], rowCount: Int, groups: inout [Int32], newRows: inout [Int32]) throws
    /// Sets `groups` to the group of each row, or -1 when its key is absent. With `nullsMatch` false, rows
    /// with a NULL key get -1 too.
    func find(_ keyColumns: [Column], rowCount: Int, groups: inout [Int32], nullsMatch: Bool) throws
}

/// The table best suited to keys of `types`.
func makeGroupKeyTable(types: [DataType], expectedCount: Int = 256) -> any GroupKeyTable {
    if types.count == 1 {
        switch types[0] {
        case .int8, .int16, .int32, .int64, .date32:
            return IntegerKeyTable(type: types[0], expectedCount: expectedCount)
        default:
            break
        }
    }
    if let layout = PackedKeyLayout(types: types) { return PackedKeyTable(layout: layout, expectedCount: expectedCount) }
    return EncodedKeyTable(types: types, expectedCount: expectedCount)
}

/// Which rows have a NULL in any key column; nil when none does.
func rowsWithNullKeys(_ keyColumns: [Column], rowCount: Int) -> [Bool]? {
    var result: [Bool]?
    for column in keyColumns where column.nullCount > 0 || column.dataType == .null {
        if result == nil { result = [Bool](repeating: false, count: rowCount) }
        for row in 0..<rowCount where column.isNull(row) { result?[row] = true }
    }
    return result
}

/// Checks that key columns match the table's key types (or are untyped NULL columns) and cover `rowCount` rows.
func validateKeyColumns(_ keyColumns: [Column], types: [DataType], rowCount: Int) throws {
    guard keyColumns.count == types.count else { throw ExecutionError("internal error: key column count mismatch") }
    for (column, type) in zip(keyColumns, types) {
        guard column.dataType == type || column.dataType == .null, column.count >= rowCount else {
            throw ExecutionError("internal error: key column of type \(column.dataType) where \(type) was expected")
        }
    }
}

/// A group table over keys of any types, encoded to byte strings by a `KeyEncoder`.
final class EncodedKeyTable: GroupKeyTable {
    private let encoder: KeyEncoder
    private let table: KeyHashTable

    init(types: [DataType], expectedCount: Int = 256) {
        encoder = KeyEncoder(types: types)
        table = KeyHashTable(expectedCount: expectedCount, keyLength: encoder.fixedLength)
    }

    var count: Int { table.count }

    func findOrInsert(_ keyColumns: [Column], rowCount: Int, groups: inout [Int32], newRows: inout [Int32]) throws {
        let keys = try encoder.encode(keyColumns, rowCount: rowCount)
        table.findOrInsert(keys, groups: &groups, newRows: &newRows)
    }

    func find(_ keyColumns: [Column], rowCount: Int, groups: inout [Int32], nullsMatch: Bool) throws {
        let keys = try encoder.encode(keyColumns, rowCount: rowCount)
        table.find(keys, groups: &groups, skippingNullKeys: !nullsMatch)
    }
}
