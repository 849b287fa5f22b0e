import Columnar
import LogicalPlan
import Synchronization

/// The materialized right input of a join: its rows concatenated, and for hash joins a table from key to
/// the chain of build rows holding it. Read-only once built, so parallel probes share it.
final class JoinBuildSide: @unchecked Sendable {
    /// The build rows, one column per right-input column.
    let columns: [Column]
    let rowCount: Int
    /// For hash joins: the distinct keys. Rows with a NULL key are left out of the chains: they never match.
    let table: (any GroupKeyTable)?
    /// `heads[group]` is the first build row with the group's key; `links[row]` the next one, or -1.
    let heads: [Int32]
    let links: [Int32]
    /// Whether some build row has a NULL key (for the NULL results of mark joins).
    let hasNullKey: Bool

    private init(columns: [Column], rowCount: Int, table: (any GroupKeyTable)?, heads: [Int32], links: [Int32], hasNullKey: Bool) {
        self.columns = columns
        self.rowCount = rowCount
        self.table = table
        self.heads = heads
        self.links = links
        self.hasNullKey = hasNullKey
    }

    /// The build side of a join running with `strategy`; a hash join's keys go to `hub`'s filters when given.
    static func build(from input: any PhysicalOperator, strategy: JoinOperator.Strategy, publishingTo hub: JoinKeyFilterHub?,
                      context: ExecutionContext) throws -> JoinBuildSide {
        switch strategy {
        case .hash(_, let buildKeys, let keyTypes):
            return try build(from: input, keys: buildKeys, keyTypes: keyTypes, publishingTo: hub, context: context)
        case .nestedLoop:
            return try build(from: input, keys: [], keyTypes: [], publishingTo: nil, context: context)
        }
    }

    /// Reads all of `input`; with key evaluators, also builds the hash table over the keys and publishes them to
    /// `hub` (no keys when there are no rows).
    static func build(from input: any PhysicalOperator, keys: [ColumnEvaluator], keyTypes: [DataType],
                      publishingTo hub: JoinKeyFilterHub? = nil, context: ExecutionContext) throws -> JoinBuildSide {
        var parts: [[Column]] = []
        var rowCount = 0
        let types = input.columns.map(\.dataType)
        while let batch = try input.next() {
            try context.checkCancellation()
            if batch.rowCount == 0 { continue }
            parts.append(BatchSupport.slice(batch.columns, rowCount: batch.columns.first?.count ?? batch.rowCount,
                                            from: 0, length: batch.rowCount))
            rowCount += batch.rowCount
        }
        let columns = parts.isEmpty ? types.map { nullColumn($0, count: 0) } : BatchSupport.concatenate(parts, types: types)
        if keys.isEmpty {
            return JoinBuildSide(columns: columns, rowCount: rowCount, table: nil, heads: [], links: [], hasNullKey: false)
        }
        let table = makeGroupKeyTable(types: keyTypes, expectedCount: rowCount)
        var links = [Int32](repeating: -1, count: rowCount)
        var heads: [Int32] = []
        var hasNullKey = false
        if rowCount > 0 {
            let batch = RecordBatch(schema: BatchSupport.schema(of: input.columns), columns: columns, rowCount: rowCount)
            let keyColumns = try keys.enumerated().map { position, evaluator in
                try BatchSupport.conform(evaluator.evaluate(batch), to: keyTypes[position])
            }
            var groups: [Int32] = []
            var newRows: [Int32] = []
            try table.findOrInsert(keyColumns, rowCount: rowCount, groups: &groups, newRows: &newRows)
            let nullRows = rowsWithNullKeys(keyColumns, rowCount: rowCount)
            hasNullKey = nullRows != nil
            heads = [Int32](repeating: -1, count: table.count)
            // Link from the last row backwards so that every chain lists its rows in input order.
            for row in stride(from: rowCount - 1, through: 0, by: -1) {
                if let nullRows, nullRows[row] { continue }
                let group = Int(groups[row])
                links[row] = heads[group]
                heads[group] = Int32(truncatingIfNeeded: row)
            }
            try hub?.publish(batches: [(keyColumns, rowCount)], fullTable: table)
        } else {
            try hub?.publish(batches: [], fullTable: table)
        }
        return JoinBuildSide(columns: columns, rowCount: rowCount, table: table, heads: heads, links: links, hasNullKey: hasNullKey)
    }
}

/// A join build side computed once, on first demand, and shared by the probes of several worker threads.
final class SharedJoinBuild: @unchecked Sendable {
    private let make: () throws -> JoinBuildSide
    private let state = Mutex<Result<JoinBuildSide, any Error>?>(nil)

    /// `make` runs at most once, on the thread of the first `get()`.
    init(_ make: @escaping () throws -> JoinBuildSide) { self.make = make }

    /// The build side, building it first if needed; rethrows the build's error to every caller.
    func get() throws -> JoinBuildSide {
        let result = state.withLock { state -> Result<JoinBuildSide, any Error> in
            if let state { return state }
            let result = Result { try make() }
            state = result
            return result
        }
        return try result.get()
    }
}
