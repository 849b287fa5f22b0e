import Catalog
import Synchronization

/// Per-query state shared by every operator of one plan: the catalog to read tables from, the number of
/// threads the query may use, cancellation, and counters that EXPLAIN ANALYZE reports.
///
/// Operators check `isCancelled` between batches (see `checkCancellation()`), so `cancel()` from any
/// thread stops a running query at the next batch boundary with the error `query cancelled`.
public final class ExecutionContext: @unchecked Sendable {
    /// Where scans find tables.
    public let catalog: any Catalog
    /// The number of threads operators may use; at least 1.
    public let threadCount: Int
    /// The number of rows operators aim for in one output batch.
    public let batchSize: Int

    private let cancelled = Atomic<Bool>(false)
    private let scannedSegmentCounter = Atomic<Int>(0)
    private let skippedSegmentCounter = Atomic<Int>(0)
    private let joinNumberCounter = Atomic<Int>(0)
    /// The working tables of running recursive common table expressions, by `RecursiveCTE.workingTable`.
    private let workingTables = Mutex<[Int: WorkingTable]>([:])

    /// Creates the context of one query.
    public init(catalog: any Catalog, threadCount: Int = 1) {
        self.catalog = catalog
        self.threadCount = Swift.max(1, threadCount)
        self.batchSize = 2048
    }

    /// Asks the query to stop; operators notice at their next batch.
    public func cancel() { cancelled.store(true, ordering: .relaxed) }

    /// Whether `cancel()` was called.
    public var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    /// Throws `query cancelled` once `cancel()` has been called.
    @inline(__always)
    public func checkCancellation() throws {
        if cancelled.load(ordering: .relaxed) { throw ExecutionError("query cancelled") }
    }

    /// The number of table segments scans have read.
    public var scannedSegmentCount: Int { scannedSegmentCounter.load(ordering: .relaxed) }

    /// The number of table segments scans skipped because their min/max ruled out a pushed filter.
    public var skippedSegmentCount: Int { skippedSegmentCounter.load(ordering: .relaxed) }

    func recordScannedSegment() { scannedSegmentCounter.add(1, ordering: .relaxed) }

    func recordSkippedSegment() { skippedSegmentCounter.add(1, ordering: .relaxed) }

    /// A new number for a join that feeds runtime key filters (1, 2, ...), naming it in EXPLAIN ANALYZE.
    func nextJoinNumber() -> Int { joinNumberCounter.add(1, ordering: .relaxed).newValue }

    /// Makes `table` the working table the recursive term's scans of `identifier` read from now on.
    func setWorkingTable(_ table: WorkingTable, for identifier: Int) {
        workingTables.withLock { $0[identifier] = table }
    }

    /// The current working table of the recursive common table expression `identifier`.
    func workingTable(_ identifier: Int) -> WorkingTable? {
        workingTables.withLock { $0[identifier] }
    }
}
