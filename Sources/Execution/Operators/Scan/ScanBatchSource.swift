import Catalog
import Columnar
import LogicalPlan
import Synchronization

/// Hands out the raw batches of a scan (before its filters), one at a time, to one or several scan
/// operators: with several, each batch is a morsel that exactly one of them processes. Safe to call from
/// any thread.
///
/// It lists the table's segments on first use, skips those whose statistics rule out a pushed filter, and
/// reads the others one segment at a time. A CSV or Arrow file source reads the whole file on first use
/// (an Arrow IPC file is memory-mapped: only the scanned columns' pages are touched).
final class ScanBatchSource: @unchecked Sendable {
    private struct State {
        var segments: [any TableSegment]?
        var nextSegment = 0
        var pending: [RecordBatch] = []
        var pendingPosition = 0
        /// Whether a file source (CSV or Arrow) has been read.
        var csvDone = false
        /// How many rows of an integer series have been handed out.
        var seriesPosition: Int64 = 0
        var handedOut = 0
    }

    private let scan: Scan
    private let context: ExecutionContext
    private let pruning: SegmentPruning
    private let state = Mutex(State())

    init(_ scan: Scan, context: ExecutionContext) {
        self.scan = scan
        self.context = context
        pruning = SegmentPruning(predicates: scan.filters.flatMap(\.conjuncts), columns: scan.columns,
                                 columnIndices: scan.columnIndices)
    }

    /// The next unfiltered batch and its position among all batches of the source, or nil at the end.
    func nextBatch() throws -> (batch: RecordBatch, sequence: Int)? {
        try state.withLock { state -> (batch: RecordBatch, sequence: Int)? in
            while true {
                if state.pendingPosition < state.pending.count {
                    let batch = state.pending[state.pendingPosition]
                    state.pendingPosition += 1
                    state.handedOut += 1
                    return (batch, state.handedOut - 1)
                }
                state.pending = []
                state.pendingPosition = 0
                try context.checkCancellation()
                guard try loadMore(&state) else { return nil }
            }
        }
    }

    /// Loads the next segment's (or the file's) batches into `pending`; false at the end.
    private func loadMore(_ state: inout State) throws -> Bool {
        switch scan.source {
        case .table(let definition):
            if state.segments == nil { state.segments = try context.catalog.segments(of: definition.identifier) }
            guard let segments = state.segments else { return false }
            while state.nextSegment < segments.count {
                let segment = segments[state.nextSegment]
                state.nextSegment += 1
                if pruning.canSkip(segment) {
                    context.recordSkippedSegment()
                    continue
                }
                context.recordScannedSegment()
                state.pending = try segment.readBatches(columnIndices: scan.columnIndices)
                return true
            }
            return false
        case .csvFile(let path, let options, let fileSchema):
            if state.csvDone { return false }
            state.csvDone = true
            state.pending = try ScanBatchSource.readCSV(path: path, options: options, schema: fileSchema,
                                                        columnIndices: scan.columnIndices)
            return true
        case .arrowFile(let path, let fileSchema):
            if state.csvDone { return false }
            state.csvDone = true
            state.pending = try ArrowIPCFile.readBatches(path: path, columnIndices: scan.columnIndices,
                                                         expectedSchema: fileSchema)
            return true
        case .integerSeries(let series):
            guard state.seriesPosition < series.count else { return false }
            state.pending = series.batches(from: &state.seriesPosition, columnCount: scan.columnIndices.count)
            return true
        }
    }

    private static func readCSV(path: String, options: CSVOptions, schema: Schema, columnIndices: [Int]) throws -> [RecordBatch] {
        let batches = try CSVReader(path: path, options: options, schema: schema).readAll()
        return try batches.map { batch in
            let columns = try columnIndices.map { index in
                guard index >= 0 && index < batch.columns.count else {
                    throw ExecutionError("internal error: read_csv column \(index) out of range")
                }
                return batch.columns[index]
            }
            let fields = columnIndices.map { batch.schema.fields[$0] }
            return RecordBatch(schema: Schema(fields), columns: columns, rowCount: batch.rowCount)
        }
    }
}
