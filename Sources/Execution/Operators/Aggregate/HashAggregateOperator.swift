import Columnar
import LogicalPlan

/// Groups rows by key values (any types; NULLs form one group) with an open-addressing hash table over the
/// encoded keys, and computes aggregates per group. Without keys it yields exactly one row, even for empty
/// input.
///
/// All state lives in an `AggregationState`, which could equally be a thread-local partial state over a
/// morsel of the input: `AggregationState.merge(_:)` folds one state into another.
final class HashAggregateOperator: PhysicalOperator {
    let columns: [PlanColumn]
    var name: String { groupKeys.isEmpty ? "Aggregate" : "HashAggregate" }
    var children: [any PhysicalOperator] { [input] }
    private(set) var producedRows = 0

    private let input: any PhysicalOperator
    private let groupKeys: [ProjectionItem]
    private let aggregates: [AggregateCall]
    private let context: ExecutionContext
    private let schema: Schema
    private let state: AggregationState
    private var result: [Column]?
    private var resultRowCount = 0
    private var outputPosition = 0

    init(input: any PhysicalOperator, groupKeys: [ProjectionItem], aggregates: [AggregateCall], context: ExecutionContext) throws {
        self.input = input
        self.groupKeys = groupKeys
        self.aggregates = aggregates
        self.context = context
        columns = groupKeys.map(\.output) + aggregates.map(\.output)
        schema = BatchSupport.schema(of: columns)
        state = try AggregationState(groupKeys: groupKeys, aggregates: aggregates, layout: ColumnLayout(input.columns))
    }

    func next() throws -> RecordBatch? {
        try context.checkCancellation()
        if result == nil {
            while let batch = try input.next() {
                try context.checkCancellation()
                try state.consume(batch)
            }
            let output = try state.finish()
            result = output.columns
            resultRowCount = output.rowCount
        }
        guard let result, outputPosition < resultRowCount else { return nil }
        let length = min(context.batchSize, resultRowCount - outputPosition)
        let batch = RecordBatch(schema: schema,
                                columns: BatchSupport.slice(result, rowCount: resultRowCount, from: outputPosition, length: length),
                                rowCount: length)
        outputPosition += length
        producedRows += length
        return batch
    }
}

/// The grouping hash table, the key values of every group and one accumulator per aggregate.
final class AggregationState {
    private let keyEvaluators: [ColumnEvaluator]
    private let keyTypes: [DataType]
    private let table: any GroupKeyTable
    private var keyBuilders: [ColumnBuilder]
    private let slots: [AggregateSlot]
    private var groups: [Int32] = []
    /// Calls the keys and aggregate arguments have in common, computed once per batch.
    private let shared: SharedSubexpressions

    init(groupKeys: [ProjectionItem], aggregates: [AggregateCall], layout: ColumnLayout) throws {
        let shared = SharedSubexpressions(groupKeys.map(\.expression) + aggregates.flatMap(\.arguments))
        self.shared = shared
        keyEvaluators = try groupKeys.map { try ColumnEvaluator($0.expression, layout: layout, shared: shared) }
        keyTypes = groupKeys.map(\.output.dataType)
        table = makeGroupKeyTable(types: keyTypes)
        keyBuilders = keyTypes.map { ColumnBuilder($0, capacity: 64) }
        slots = try aggregates.map { try AggregateSlot($0, layout: layout, shared: shared) }
    }

    /// The number of groups so far (always 1 without keys).
    var groupCount: Int { keyEvaluators.isEmpty ? 1 : table.count }

    /// Adds a batch of input rows.
    func consume(_ batch: RecordBatch) throws {
        let rowCount = batch.rowCount
        if rowCount == 0 { return }
        shared.startBatch()
        if keyEvaluators.isEmpty {
            if groups.count != rowCount { groups = [Int32](repeating: 0, count: rowCount) }
        } else {
            let keyColumns = try keyEvaluators.enumerated().map { position, evaluator in
                try BatchSupport.conform(evaluator.evaluate(batch), to: keyTypes[position])
            }
            var newRows: [Int32] = []
            try table.findOrInsert(keyColumns, rowCount: rowCount, groups: &groups, newRows: &newRows)
            if !newRows.isEmpty {
                newRows.withUnsafeBufferPointer { newRows in
                    for position in keyBuilders.indices {
                        keyBuilders[position].append(from: keyColumns[position], indices: newRows)
                    }
                }
            }
        }
        let groupCount = self.groupCount
        for slot in slots { try slot.update(batch, groups: groups, groupCount: groupCount) }
    }

    /// Folds another state over the same query into this one.
    func merge(_ other: AggregationState) throws {
        var mapping: [Int32]
        if keyEvaluators.isEmpty {
            mapping = [0]
        } else {
            // The other state's groups are rows of its key columns: look them up like an input batch.
            mapping = []
            var newGroups: [Int32] = []
            let otherKeys = other.keyBuilders.map { $0.finish() }
            try table.findOrInsert(otherKeys, rowCount: other.table.count, groups: &mapping, newRows: &newGroups)
            newGroups.withUnsafeBufferPointer { newGroups in
                for position in keyBuilders.indices {
                    keyBuilders[position].append(from: otherKeys[position], indices: newGroups)
                }
            }
        }
        let groupCount = self.groupCount
        for (slot, otherSlot) in zip(slots, other.slots) {
            try slot.merge(otherSlot, groupMapping: mapping, groupCount: groupCount)
        }
    }

    /// The output: key columns then aggregate columns, one row per group.
    func finish() throws -> (columns: [Column], rowCount: Int) {
        let groupCount = self.groupCount
        var columns = keyBuilders.map { $0.finish() }
        for slot in slots { columns.append(try slot.finish(groupCount: groupCount)) }
        return (columns, groupCount)
    }
}

/// One aggregate call: its argument evaluators, FILTER, DISTINCT de-duplication and accumulator.
final class AggregateSlot {
    private let call: AggregateCall
    private let argumentEvaluators: [ColumnEvaluator]
    private let filter: CompiledExpression?
    private let distinctTable: (any GroupKeyTable)?
    private let accumulator: any AggregateAccumulator

    init(_ call: AggregateCall, layout: ColumnLayout, shared: SharedSubexpressions? = nil) throws {
        self.call = call
        let expressions = call.arguments + (call.function == .stringAgg ? call.orderBy.map(\.expression) : [])
        argumentEvaluators = try expressions.enumerated().map { position, expression in
            // Only the aggregate's arguments take part in sharing (string_agg's ORDER BY keys are not counted).
            try ColumnEvaluator(expression, layout: layout, shared: position < call.arguments.count ? shared : nil)
        }
        filter = try call.filter.map { try CompiledExpression($0, layout: layout) }
        if call.isDistinct && !call.arguments.isEmpty {
            distinctTable = makeGroupKeyTable(types: [.int32] + call.arguments.map(\.dataType))
        } else {
            distinctTable = nil
        }
        accumulator = try AggregateAccumulatorFactory.make(for: call)
    }

    func update(_ batch: RecordBatch, groups: [Int32], groupCount: Int) throws {
        accumulator.resize(groupCount: groupCount)
        var rowGroups = groups.count == batch.rowCount ? groups : Array(groups.prefix(batch.rowCount))
        var arguments = try argumentEvaluators.map { try $0.evaluate(batch) }
        if let filter {
            let selected = try filter.selectTrue(batch)
            if selected.isEmpty { return }
            if selected.count < batch.rowCount {
                arguments = BatchSupport.take(arguments, selected)
                rowGroups = selected.map { rowGroups[Int($0)] }
            }
        }
        if let distinctTable {
            let argumentCount = call.arguments.count
            let keyColumns = [rowGroups.withUnsafeBufferPointer { BatchSupport.int32Column($0) }]
                + (try arguments.prefix(argumentCount).enumerated().map { position, column in
                    try BatchSupport.conform(column, to: call.arguments[position].dataType)
                })
            var seenGroups: [Int32] = []
            var newRows: [Int32] = []
            try distinctTable.findOrInsert(keyColumns, rowCount: rowGroups.count, groups: &seenGroups, newRows: &newRows)
            if newRows.isEmpty { return }
            if newRows.count < rowGroups.count {
                arguments = BatchSupport.take(arguments, newRows)
                rowGroups = newRows.map { rowGroups[Int($0)] }
            }
        }
        try rowGroups.withUnsafeBufferPointer { try accumulator.update(groups: $0, arguments: arguments) }
    }

    func merge(_ other: AggregateSlot, groupMapping: [Int32], groupCount: Int) throws {
        if call.isDistinct { throw ExecutionError("internal error: DISTINCT aggregates cannot merge partial states") }
        accumulator.resize(groupCount: groupCount)
        try groupMapping.withUnsafeBufferPointer { try accumulator.merge(other.accumulator, groupMapping: $0) }
    }

    func finish(groupCount: Int) throws -> Column {
        try BatchSupport.conform(accumulator.finish(groupCount: groupCount), to: call.output.dataType)
    }
}
