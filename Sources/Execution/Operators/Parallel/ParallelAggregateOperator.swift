import Columnar
import LogicalPlan

/// Hash aggregation over a parallel pipeline: every worker thread runs its own copy of the input pipeline
/// into a thread-local `AggregationState`, and the states are merged at the end.
///
/// Only aggregates whose merged result does not depend on how rows were split are run this way (see
/// `supports(_:)`): no DISTINCT, no string_agg, no floating-point sums or variances.
final class ParallelAggregateOperator: PhysicalOperator {
    let columns: [PlanColumn]
    var name: String { "ParallelHashAggregate (\(threadCount) threads)" }
    var children: [any PhysicalOperator] { workerRoots.isEmpty ? [] : [WorkerOperatorTotals(workerRoots)] }
    private(set) var producedRows = 0

    private let pipeline: ParallelPipeline
    private let groupKeys: [ProjectionItem]
    private let aggregates: [AggregateCall]
    private let context: ExecutionContext
    private let threadCount: Int
    private let schema: Schema
    private var workerRoots: [any PhysicalOperator] = []
    private var result: [Column]?
    private var resultRowCount = 0
    private var outputPosition = 0

    /// Above this estimated number of groups, aggregation runs on one thread (the final merge would cost
    /// about as much as the parallel part saves).
    static let maximumEstimatedGroups: Double = 200_000

    /// Whether aggregates can be computed from merged partial states with results independent of the split.
    static func supports(_ aggregates: [AggregateCall]) -> Bool {
        aggregates.allSatisfy { call in
            if call.isDistinct { return false }
            let argumentType = call.arguments.first?.dataType ?? .null
            switch call.function {
            case .stringAgg: return false
            case .sum, .average: return !argumentType.isFloatingPoint
            case .standardDeviationSample, .standardDeviationPopulation, .varianceSample, .variancePopulation: return false
            default: return true
            }
        }
    }

    init(pipeline: ParallelPipeline, groupKeys: [ProjectionItem], aggregates: [AggregateCall], context: ExecutionContext) throws {
        self.pipeline = pipeline
        self.groupKeys = groupKeys
        self.aggregates = aggregates
        self.context = context
        threadCount = context.threadCount
        columns = groupKeys.map(\.output) + aggregates.map(\.output)
        schema = BatchSupport.schema(of: columns)
        // Compile once here so that errors surface at planning time.
        _ = try AggregationState(groupKeys: groupKeys, aggregates: aggregates, layout: ColumnLayout(pipeline.columns))
    }

    func next() throws -> RecordBatch? {
        try context.checkCancellation()
        if result == nil { try run() }
        guard let result, outputPosition < resultRowCount else { return nil }
        let length = min(context.batchSize, resultRowCount - outputPosition)
        let batch = RecordBatch(schema: schema,
                                columns: BatchSupport.slice(result, rowCount: resultRowCount, from: outputPosition, length: length),
                                rowCount: length)
        outputPosition += length
        producedRows += length
        return batch
    }

    private func run() throws {
        try pipeline.prepare()
        let layout = ColumnLayout(pipeline.columns)
        var roots: [any PhysicalOperator] = []
        var states: [AggregationState] = []
        for _ in 0..<threadCount {
            roots.append(try pipeline.instantiate().root)
            states.append(try AggregationState(groupKeys: groupKeys, aggregates: aggregates, layout: layout))
        }
        workerRoots = roots
        let workers = WorkerSlots(Array(zip(roots, states)))
        let context = self.context
        try ParallelWorkers.run(count: threadCount) { worker, failed in
            let (root, state) = workers[worker]
            while !failed(), let batch = try root.next() {
                try context.checkCancellation()
                try state.consume(batch)
            }
        }
        let merged = states[0]
        for state in states.dropFirst() { try merged.merge(state) }
        let output = try merged.finish()
        result = output.columns
        resultRowCount = output.rowCount
    }
}
