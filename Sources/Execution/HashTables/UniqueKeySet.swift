import Columnar

/// A set of key tuples for uniqueness checks (PRIMARY KEY, UNIQUE). It is backed by the group-key tables
/// aggregation uses, so two keys are equal exactly when GROUP BY would group them (-0 equals 0, NaNs are
/// equal). Rows with a NULL in any key column are never added or found: NULLs never conflict.
public final class UniqueKeySet {
    private let table: any GroupKeyTable
    private let types: [DataType]

    /// An empty set of keys of `types`, sized for about `expectedCount` keys.
    public init(types: [DataType], expectedCount: Int) {
        self.types = types
        table = makeGroupKeyTable(types: types, expectedCount: max(expectedCount, 16))
    }

    /// The number of keys in the set.
    public var count: Int { table.count }

    /// Adds the keys of rows `0..<rowCount`; returns the first row whose key was in the set already or came
    /// earlier among these rows, or nil when every key was new.
    public func insert(_ keyColumns: [Column], rowCount: Int) throws -> Int? {
        try validateKeyColumns(keyColumns, types: types, rowCount: rowCount)
        var columns = keyColumns
        var rows: [Int32]?
        if let nulls = rowsWithNullKeys(keyColumns, rowCount: rowCount) {
            let kept = (0..<rowCount).filter { !nulls[$0] }.map { Int32($0) }
            columns = ColumnCompaction.compact(keyColumns, selected: kept)
            rows = kept
        }
        let keptCount = rows?.count ?? rowCount
        guard keptCount > 0 else { return nil }
        var groups: [Int32] = []
        var newRows: [Int32] = []
        try table.findOrInsert(columns, rowCount: keptCount, groups: &groups, newRows: &newRows)
        guard newRows.count < keptCount else { return nil }
        // `newRows` lists, in row order, the rows that added a key: the first row missing from it is a duplicate.
        var position = 0
        for row in 0..<keptCount {
            if position < newRows.count, newRows[position] == Int32(row) {
                position += 1
                continue
            }
            return rows.map { Int($0[row]) } ?? row
        }
        return nil
    }

    /// The first of rows `0..<rowCount` whose key is in the set, or nil.
    public func firstContained(_ keyColumns: [Column], rowCount: Int) throws -> Int? {
        guard table.count > 0, rowCount > 0 else { return nil }
        try validateKeyColumns(keyColumns, types: types, rowCount: rowCount)
        var groups: [Int32] = []
        try table.find(keyColumns, rowCount: rowCount, groups: &groups, nullsMatch: false)
        return groups.firstIndex { $0 >= 0 }
    }
}
