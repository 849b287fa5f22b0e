import Columnar
import LogicalPlan

/// Computes window functions: reads its whole input, then for each distinct PARTITION BY / ORDER BY of its
/// calls sorts the rows once (with the sort operator's key encoding) and computes those calls partition by
/// partition. Rows come out in input order, each with one extra column per call.
///
/// Cost: O(n log n) per distinct specification for the sort; every function is then O(n), or O(n log n) for
/// RANGE offsets (binary search), sliding floating-point sums and variances (segment trees), and frames with
/// EXCLUDE for `min` / `max` / floating-point sums / variances (segment trees). `string_agg` over frames that do
/// not start at the partition's start costs O(frame) a row, like the size of its output.
final class WindowOperator: PhysicalOperator {
    let columns: [PlanColumn]
    var name: String { "Window" }
    var children: [any PhysicalOperator] { [input] }
    private(set) var producedRows = 0

    private let input: any PhysicalOperator
    private let calls: [WindowCall]
    private let context: ExecutionContext
    private let schema: Schema
    private let inputSchema: Schema
    private let inputTypes: [DataType]
    /// The compiled expressions of every call, by call.
    private let compiled: [CompiledCall]

    private struct CompiledCall {
        var arguments: [ColumnEvaluator]
        var filter: ColumnEvaluator?
        var partitionBy: [ColumnEvaluator]
        var orderBy: [ColumnEvaluator]
    }

    /// What the calls sharing one specification need sorted once.
    private struct Specification: Hashable {
        var partitionBy: [Expression]
        var orderBy: [SortKey]
    }

    private var result: [Column]?
    private var rowCount = 0
    private var outputPosition = 0

    init(input: any PhysicalOperator, calls: [WindowCall], columns: [PlanColumn], context: ExecutionContext) throws {
        self.input = input
        self.calls = calls
        self.context = context
        self.columns = columns
        schema = BatchSupport.schema(of: columns)
        inputSchema = BatchSupport.schema(of: input.columns)
        inputTypes = input.columns.map(\.dataType)
        let layout = ColumnLayout(input.columns)
        compiled = try calls.map { call in
            CompiledCall(arguments: try call.arguments.map { try ColumnEvaluator($0, layout: layout) },
                         filter: try call.filter.map { try ColumnEvaluator($0, layout: layout) },
                         partitionBy: try call.partitionBy.map { try ColumnEvaluator($0, layout: layout) },
                         orderBy: try call.orderBy.map { try ColumnEvaluator($0.expression, layout: layout) })
        }
    }

    func next() throws -> RecordBatch? {
        try context.checkCancellation()
        if result == nil { result = try materialize() }
        guard let result, outputPosition < rowCount else { return nil }
        let length = min(context.batchSize, rowCount - outputPosition)
        let slice = BatchSupport.slice(result, rowCount: rowCount, from: outputPosition, length: length)
        outputPosition += length
        producedRows += length
        return RecordBatch(schema: schema, columns: slice, rowCount: length)
    }

    /// Reads the input and computes every call; the input columns then one column per call, in input order.
    private func materialize() throws -> [Column] {
        var parts: [[Column]] = []
        var total = 0
        while let batch = try input.next() {
            try context.checkCancellation()
            if batch.rowCount == 0 { continue }
            parts.append(BatchSupport.slice(batch.columns, rowCount: batch.columns.first?.count ?? batch.rowCount,
                                            from: 0, length: batch.rowCount))
            total += batch.rowCount
        }
        guard total < Int(Int32.max) else { throw ExecutionError("window functions over more than 2^31 rows are not supported") }
        rowCount = total
        if total == 0 { return columns.map { nullColumn($0.dataType, count: 0) } }
        let inputColumns = parts.count == 1 ? parts[0] : BatchSupport.concatenate(parts, types: inputTypes)
        let batch = RecordBatch(schema: inputSchema, columns: inputColumns, rowCount: total)

        var outputs = [Column?](repeating: nil, count: calls.count)
        var orderings: [Specification: (ordering: WindowOrdering, orderKeys: [Column])] = [:]
        for (index, call) in calls.enumerated() {
            try context.checkCancellation()
            let specification = Specification(partitionBy: call.partitionBy, orderBy: call.orderBy)
            let compiledCall = compiled[index]
            let ordering: WindowOrdering
            let orderKeys: [Column]
            if let existing = orderings[specification] {
                (ordering, orderKeys) = existing
            } else {
                orderKeys = try zip(compiledCall.orderBy, call.orderBy).map { evaluator, key in
                    try BatchSupport.conform(evaluator.evaluate(batch), to: key.expression.dataType)
                }
                let partitionKeys = try zip(compiledCall.partitionBy, call.partitionBy).map { evaluator, key in
                    try BatchSupport.conform(evaluator.evaluate(batch), to: key.dataType)
                }
                ordering = try WindowOrdering(count: total, partitionKeys: partitionKeys, orderKeys: orderKeys,
                                              orderBy: call.orderBy)
                orderings[specification] = (ordering, orderKeys)
            }
            let arguments = try zip(compiledCall.arguments, call.arguments).map { evaluator, argument in
                try BatchSupport.conform(evaluator.evaluate(batch), to: argument.dataType)
            }
            let filter = try compiledCall.filter.map { try BatchSupport.conform($0.evaluate(batch), to: .boolean) }
            outputs[index] = try compute(call, ordering: ordering, arguments: arguments, filter: filter,
                                         orderKey: orderKeys.first)
        }
        return inputColumns + outputs.compactMap { $0 }
    }

    /// One call's column, in input order.
    private func compute(_ call: WindowCall, ordering: WindowOrdering, arguments: [Column], filter: Column?,
                         orderKey: Column?) throws -> Column {
        let type = call.output.dataType
        func frame() throws -> WindowFrameBounds {
            try WindowFrameBounds(call.frame, ordering: ordering, orderKey: orderKey, orderBy: call.orderBy)
        }
        func argument(_ index: Int) throws -> Column {
            guard index < arguments.count else {
                throw ExecutionError("internal error: \(call.function.sqlName) is missing an argument")
            }
            return arguments[index]
        }
        switch call.function {
        case .rowNumber, .rank, .denseRank:
            return WindowRanking.ranks(call.function, ordering)
        case .percentRank, .cumeDist:
            return WindowRanking.distribution(call.function, ordering)
        case .ntile:
            return try WindowRanking.ntile(ordering, buckets: argument(0))
        case .lag, .lead:
            return try WindowNavigation.lagOrLead(
                isLead: call.function == .lead, ordering, value: argument(0),
                offset: arguments.count > 1 ? arguments[1] : nil, defaultValue: arguments.count > 2 ? arguments[2] : nil,
                ignoresNulls: call.ignoresNulls, type: type)
        case .firstValue:
            return try WindowNavigation.frameValue(.first, ordering, frame: frame(), value: argument(0),
                                                   ignoresNulls: call.ignoresNulls, type: type)
        case .lastValue:
            return try WindowNavigation.frameValue(.last, ordering, frame: frame(), value: argument(0),
                                                   ignoresNulls: call.ignoresNulls, type: type)
        case .nthValue:
            return try WindowNavigation.frameValue(.nth(argument(1)), ordering, frame: frame(), value: argument(0),
                                                   ignoresNulls: call.ignoresNulls, type: type)
        case .aggregate(let function):
            return try WindowAggregation.compute(function, argument: arguments.first,
                                                 separator: arguments.count > 1 ? arguments[1] : nil, filter: filter,
                                                 ordering: ordering, frame: frame(), outputType: type)
        }
    }
}
