import Columnar
import LogicalPlan

/// Runs a parallel pipeline on several worker threads to completion and then produces its batches in the
/// order a single thread would have (by the morsel each batch came from). Used below operators that read
/// their whole input anyway: sorts and join build sides.
final class ParallelGatherOperator: PhysicalOperator {
    let columns: [PlanColumn]
    var name: String { "ParallelGather (\(threadCount) threads)" }
    var children: [any PhysicalOperator] { workerRoots.isEmpty ? [] : [WorkerOperatorTotals(workerRoots)] }
    private(set) var producedRows = 0

    private let pipeline: ParallelPipeline
    private let context: ExecutionContext
    private let threadCount: Int
    private var workerRoots: [any PhysicalOperator] = []
    private var batches: [RecordBatch]?
    private var position = 0

    init(pipeline: ParallelPipeline, context: ExecutionContext) {
        self.pipeline = pipeline
        self.context = context
        threadCount = context.threadCount
        columns = pipeline.columns
    }

    func next() throws -> RecordBatch? {
        try context.checkCancellation()
        if batches == nil { batches = try run() }
        guard let batches, position < batches.count else { return nil }
        let batch = batches[position]
        position += 1
        producedRows += batch.rowCount
        return batch
    }

    private struct Tagged {
        var sequence: Int
        var index: Int
        var batch: RecordBatch
    }

    private func run() throws -> [RecordBatch] {
        try pipeline.prepare()
        let instances = try (0..<threadCount).map { _ in try pipeline.instantiate() }
        workerRoots = instances.map(\.root)
        let outputs = WorkerSlots([[Tagged]](repeating: [], count: threadCount))
        let workers = WorkerSlots(instances)
        let context = self.context
        try ParallelWorkers.run(count: threadCount) { worker, failed in
            let (root, scan) = workers[worker]
            var tagged: [Tagged] = []
            while !failed(), let batch = try root.next() {
                try context.checkCancellation()
                if batch.rowCount > 0 { tagged.append(Tagged(sequence: scan.currentSequence, index: tagged.count, batch: batch)) }
            }
            outputs[worker] = tagged
        }
        return outputs.all.joined().sorted { ($0.sequence, $0.index) < ($1.sequence, $1.index) }.map(\.batch)
    }
}
