import Columnar
import Synchronization

/// The key filters one hash join feeds (sideways information passing).
///
/// A join whose output can only contain rows with a key that occurs on one of its sides (the *producing*
/// side) lets the planner drop rows of the other side (the *filtered* side) early, anywhere below the join
/// where the key columns are still available and dropping a row only drops output rows carrying its key.
/// The join fills the hub once the producing side is completely read:
/// - after its build, with the build keys, for the probe side of inner and semi joins;
/// - when it reads its probe side first (see `JoinOperator.ProbeFirst`), with the probe keys, for the
///   build side of inner, left, semi and anti joins.
///
/// Sources are registered while the plan is made (one per subset of the join's keys that some filter uses)
/// and published once; every filter passes all rows until its source is published.
final class JoinKeyFilterHub: @unchecked Sendable {
    /// The join's key types, after its key coercion: filters conform their key columns to these.
    let keyTypes: [DataType]
    private let numbering: @Sendable () -> Int
    /// The sources by key subset, and whether some filter of the source is placed deep (below a filter, join
    /// or aggregate) rather than right below the join.
    private let registry = Mutex<(number: Int?, sources: [[Int]: (source: JoinKeyFilterSource, isDeep: Bool)])>((nil, [:]))

    /// The most producing-side rows for which filters placed right below the join (which only repeat the
    /// join's lookup, faster) get a key set.
    static let maximumRowsForShallowFilters = 1 << 16
    private let published = Mutex<Bool>(false)

    /// Creates the hub of a join with keys of `keyTypes`; `numbering` gives the join its number when the first
    /// filter is placed (so that joins without filters take no number).
    init(keyTypes: [DataType], numbering: @escaping @Sendable () -> Int) {
        self.keyTypes = keyTypes
        self.numbering = numbering
    }

    /// The number of the join in EXPLAIN ANALYZE (`HashJoin (inner) #n`); 0 while no filter uses the hub.
    var joinNumber: Int { registry.withLock { $0.number ?? 0 } }

    /// The source for the keys at `keyIndices` (ascending positions in the join's keys), created on first use.
    /// `isDeep` tells whether the filter is placed below a filter, join or aggregate; filters right below the
    /// join only get a key set that is a small integer bitmap (checking it is much cheaper than the join's
    /// lookup), otherwise they pass everything.
    func source(for keyIndices: [Int], isDeep: Bool = true) -> JoinKeyFilterSource {
        registry.withLock { registry in
            if let existing = registry.sources[keyIndices] {
                if isDeep { registry.sources[keyIndices]?.isDeep = true }
                return existing.source
            }
            let number = registry.number ?? numbering()
            registry.number = number
            let source = JoinKeyFilterSource(joinNumber: number, keyTypes: keyIndices.map { keyTypes[$0] })
            registry.sources[keyIndices] = (source, isDeep)
            return source
        }
    }

    /// Whether any filter uses the hub.
    var hasSources: Bool { registry.withLock { !$0.sources.isEmpty } }

    /// Publishes the producing side's keys to every source: `batches` hold the join's key columns (conformed
    /// to `keyTypes`). `fullTable`, when given, is a table over all the keys that already holds exactly these
    /// keys (the join's own build table), used instead of building another one. Only the first call counts.
    func publish(batches: [(columns: [Column], rowCount: Int)], fullTable: (any GroupKeyTable)?) throws {
        let first = published.withLock { published -> Bool in
            defer { published = true }
            return !published
        }
        guard first else { return }
        let registered = registry.withLock { $0.sources }
        let totalRows = batches.reduce(0) { $0 + $1.rowCount }
        for (keyIndices, entry) in registered {
            let source = entry.source
            let allowsSet = entry.isDeep || totalRows <= JoinKeyFilterHub.maximumRowsForShallowFilters
            if allowsSet, keyIndices.count == 1, IntegerKeySet.supports(keyTypes[keyIndices[0]]),
               batches.allSatisfy({ keyIndices[0] < $0.columns.count }),
               let set = IntegerKeySet.make(batches.map { ($0.columns[keyIndices[0]], $0.rowCount) }) {
                source.publish(.ready(JoinKeyMembership(set: set)))
                continue
            }
            if !entry.isDeep {
                source.publish(.disabled)
                continue
            }
            if let fullTable, keyIndices.count == keyTypes.count {
                source.publish(.ready(JoinKeyMembership(table: fullTable)))
                continue
            }
            let table = makeGroupKeyTable(types: keyIndices.map { keyTypes[$0] }, expectedCount: totalRows)
            var groups: [Int32] = []
            var newRows: [Int32] = []
            for batch in batches where batch.rowCount > 0 {
                guard keyIndices.allSatisfy({ $0 < batch.columns.count }) else {
                    throw ExecutionError("internal error: join key filter over a missing key")
                }
                newRows.removeAll(keepingCapacity: true)
                try table.findOrInsert(keyIndices.map { batch.columns[$0] }, rowCount: batch.rowCount, groups: &groups,
                                       newRows: &newRows)
            }
            source.publish(.ready(JoinKeyMembership(table: table)))
        }
    }

    /// Tells every source that no filter will come (the producing side was too large to hold): its filters
    /// pass everything from now on.
    func disable() {
        let first = published.withLock { published -> Bool in
            defer { published = true }
            return !published
        }
        guard first else { return }
        for entry in registry.withLock({ Array($0.sources.values) }) { entry.source.publish(.disabled) }
    }
}

/// The key set behind the filters over one subset of a join's keys, published once by the join and read-only
/// afterwards, so any number of threads may read it.
final class JoinKeyFilterSource: @unchecked Sendable {
    /// What a filter should do with its rows.
    enum State {
        /// The producing side is not read yet: pass every row.
        case pending
        /// Keep the rows whose key is in the membership.
        case ready(JoinKeyMembership)
        /// There will be no filter: pass every row.
        case disabled
    }

    /// The number of the join that publishes the source.
    let joinNumber: Int
    /// The types of the keys the source filters on.
    let keyTypes: [DataType]
    private let state = Mutex<State>(.pending)

    init(joinNumber: Int, keyTypes: [DataType]) {
        self.joinNumber = joinNumber
        self.keyTypes = keyTypes
    }

    /// The current state; once it is not `.pending` it never changes.
    var current: State { state.withLock { $0 } }

    fileprivate func publish(_ newState: State) {
        state.withLock { state in
            if case .pending = state { state = newState }
        }
    }
}

/// A set of key tuples, only read once made (safe to share between threads): a bitmap for one integer key
/// over a moderate range, otherwise a `GroupKeyTable`.
final class JoinKeyMembership: @unchecked Sendable {
    private let table: (any GroupKeyTable)?
    private let set: IntegerKeySet?

    init(table: any GroupKeyTable) {
        self.table = table
        set = nil
    }

    init(set: IntegerKeySet) {
        self.set = set
        table = nil
    }

    /// Sets `selection` to the rows among `rowCount` whose key tuple (one column per key) is in the set;
    /// rows with a NULL key never are. `groups` is scratch space.
    func selectMembers(_ keyColumns: [Column], rowCount: Int, groups: inout [Int32], selection: inout [Int32]) throws {
        selection.removeAll(keepingCapacity: true)
        selection.reserveCapacity(rowCount)
        if let set, keyColumns.count == 1 {
            set.selectMembers(keyColumns[0], rowCount: rowCount, selection: &selection)
            return
        }
        guard let table else { throw ExecutionError("internal error: join key filter without a key set") }
        try table.find(keyColumns, rowCount: rowCount, groups: &groups, nullsMatch: false)
        groups.withUnsafeBufferPointer { groups in
            for row in 0..<min(rowCount, groups.count) where groups[row] >= 0 {
                selection.append(Int32(truncatingIfNeeded: row))
            }
        }
    }
}
