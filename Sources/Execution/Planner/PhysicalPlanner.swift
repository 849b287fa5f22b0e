import Columnar
import LogicalPlan

/// Turns logical plans into trees of physical operators.
public enum PhysicalPlanner {
    /// The operator tree that computes `plan`. Compiles every expression, so binding errors such as an
    /// unknown column or a subquery left in an expression surface here, before any row is read.
    public static func makeOperator(for plan: LogicalPlan, context: ExecutionContext) throws -> any PhysicalOperator {
        try makeOperator(for: plan, context: context, keyFilters: [])
    }

    /// The operator tree for `plan`, with the runtime join-key filters arriving from above placed as deep as
    /// they may go (see `KeyFilterRouting`).
    static func makeOperator(for plan: LogicalPlan, context: ExecutionContext,
                             keyFilters: [PendingKeyFilter]) throws -> any PhysicalOperator {
        let (here, down) = KeyFilterRouting.route(keyFilters, at: plan)
        let made = try makeOperator(for: plan, context: context, childKeyFilters: down)
        return try KeyFilterRouting.place(here, above: made, context: context)
    }

    /// The operator for `plan` itself, passing `childKeyFilters[i]` to the operator of its i-th child.
    private static func makeOperator(for plan: LogicalPlan, context: ExecutionContext,
                                     childKeyFilters: [[PendingKeyFilter]]) throws -> any PhysicalOperator {
        let first = childKeyFilters.first ?? []
        switch plan {
        case .scan(let scan):
            return try ScanOperator(scan, context: context)
        case .values(let values):
            return ValuesOperator(values, context: context)
        case .filter(let filter):
            let input = try makeOperator(for: filter.input, context: context, keyFilters: first)
            return try FilterOperator(input: input, predicate: filter.predicate, context: context)
        case .projection(let projection):
            let input = try makeOperator(for: projection.input, context: context, keyFilters: first)
            return try ProjectionOperator(input: input, items: projection.items, context: context)
        case .aggregate(let aggregate):
            // Merging thread-local states costs about as much as building them when there are very many
            // groups, so high-cardinality aggregations stay on one thread.
            let fewGroups = (aggregate.estimatedRowCount ?? 0) <= ParallelAggregateOperator.maximumEstimatedGroups
            if context.threadCount > 1, fewGroups, ParallelAggregateOperator.supports(aggregate.aggregates),
               let pipeline = try ParallelPipeline.make(for: aggregate.input, context: context, keyFilters: first) {
                return try ParallelAggregateOperator(pipeline: pipeline, groupKeys: aggregate.groupKeys,
                                                     aggregates: aggregate.aggregates, context: context)
            }
            let input = try makeOperator(for: aggregate.input, context: context, keyFilters: first)
            return try HashAggregateOperator(input: input, groupKeys: aggregate.groupKeys, aggregates: aggregate.aggregates,
                                             context: context)
        case .join(let join):
            return try makeJoin(join, columns: plan.columns, context: context, childKeyFilters: childKeyFilters)
        case .sort(let sort):
            let input = try makeBlockingInput(for: sort.input, context: context, keyFilters: first)
            return try SortOperator(input: input, keys: sort.keys, limit: nil, context: context)
        case .limit(let limit):
            if case .sort(let sort) = limit.input, let count = limit.limit {
                // Top-N: the sort only keeps the first offset + limit rows.
                let (total, overflow) = max(0, count).addingReportingOverflow(max(0, limit.offset))
                if !overflow {
                    let input = try makeBlockingInput(for: sort.input, context: context)
                    let topN = try SortOperator(input: input, keys: sort.keys, limit: total, context: context)
                    if limit.offset == 0 { return topN }
                    return LimitOperator(input: topN, limit: count, offset: limit.offset, context: context)
                }
            }
            let input = try makeOperator(for: limit.input, context: context)
            return LimitOperator(input: input, limit: limit.limit, offset: limit.offset, context: context)
        case .distinct(let distinct):
            let input = try makeOperator(for: distinct.input, context: context)
            return DistinctOperator(input: input, context: context)
        case .setOperation(let operation):
            let left = try makeOperator(for: operation.left, context: context)
            let right = try makeOperator(for: operation.right, context: context)
            return try SetOperationOperator(kind: operation.kind, isAll: operation.isAll, left: left, right: right,
                                            columns: operation.columns, context: context)
        case .window(let window):
            let input = try makeBlockingInput(for: window.input, context: context)
            return try WindowOperator(input: input, calls: window.functions, columns: plan.columns, context: context)
        case .recursiveCTE(let cte):
            let anchor = try makeOperator(for: cte.anchor, context: context)
            let recursive = cte.recursive
            return try RecursiveCTEOperator(cte, anchor: anchor, context: context) { table in
                context.setWorkingTable(table, for: cte.workingTable)
                return try makeOperator(for: recursive, context: context)
            }
        case .materializedCTE(let cte):
            let definition = try makeOperator(for: cte.definition, context: context)
            let table = WorkingTable()
            context.setWorkingTable(table, for: cte.workingTable)
            let body = try makeOperator(for: cte.body, context: context, keyFilters: childKeyFilters.last ?? [])
            return MaterializedCTEOperator(cte, definition: definition, table: table, body: body, context: context)
        case .workingTableScan(let scan):
            guard let table = context.workingTable(scan.workingTable) else {
                throw ExecutionError("the working table of \(scan.name) is read outside its common table expression")
            }
            return WorkingTableScanOperator(scan, table: table, context: context)
        }
    }

    /// The operator for the input of an operator that reads all of it before producing anything (a sort, a
    /// join build side): with several threads, a streaming fragment over a table runs in parallel.
    static func makeBlockingInput(for plan: LogicalPlan, context: ExecutionContext,
                                  keyFilters: [PendingKeyFilter] = []) throws -> any PhysicalOperator {
        if context.threadCount > 1, let pipeline = try ParallelPipeline.make(for: plan, context: context, keyFilters: keyFilters),
           pipeline.doesWork {
            return ParallelGatherOperator(pipeline: pipeline, context: context)
        }
        return try makeOperator(for: plan, context: context, keyFilters: keyFilters)
    }

    /// How a join runs: a hash join on the equalities between its inputs, with the other conjuncts as residual,
    /// or a nested-loop join on the whole condition when there are no such equalities.
    static func joinStrategy(_ join: Join, left: [PlanColumn], right: [PlanColumn]) throws -> (JoinOperator.Strategy, Expression?) {
        let analysis = JoinConditionAnalysis(of: join)
        if analysis.leftKeys.isEmpty { return (.nestedLoop, join.condition) }
        let leftLayout = ColumnLayout(left)
        let rightLayout = ColumnLayout(right)
        let strategy = JoinOperator.Strategy.hash(
            probeKeys: try analysis.leftKeys.map { try ColumnEvaluator($0, layout: leftLayout) },
            buildKeys: try analysis.rightKeys.map { try ColumnEvaluator($0, layout: rightLayout) },
            keyTypes: analysis.leftKeys.map(\.dataType))
        return (strategy, analysis.residual)
    }

    private static func makeJoin(_ join: Join, columns: [PlanColumn], context: ExecutionContext,
                                 childKeyFilters: [[PendingKeyFilter]]) throws -> any PhysicalOperator {
        var leftFilters = childKeyFilters.first ?? []
        var rightFilters = childKeyFilters.count > 1 ? childKeyFilters[1] : []
        let keyFilterPlan = JoinKeyFilterPlan.make(for: join, context: context)
        switch keyFilterPlan {
        case .fromBuild(_, let filter)?: leftFilters.append(filter)
        case .probeFirst(_, let filter)?: rightFilters.append(filter)
        case nil: break
        }
        let left: any PhysicalOperator
        if case .probeFirst? = keyFilterPlan {
            // The probe input is read whole before the build: with several threads, in parallel.
            left = try makeBlockingInput(for: join.left, context: context, keyFilters: leftFilters)
        } else {
            left = try makeOperator(for: join.left, context: context, keyFilters: leftFilters)
        }
        let right = try makeBlockingInput(for: join.right, context: context, keyFilters: rightFilters)
        let (strategy, residual) = try joinStrategy(join, left: left.columns, right: right.columns)
        return try JoinOperator(kind: join.kind, left: left, right: right, strategy: strategy, residual: residual,
                                columns: columns, context: context, keyFilterRole: keyFilterPlan?.role)
    }
}

/// Runs `plan` to completion and returns every batch it produces.
public func executePlan(_ plan: LogicalPlan, context: ExecutionContext) throws -> [RecordBatch] {
    let root = try PhysicalPlanner.makeOperator(for: plan, context: context)
    var batches: [RecordBatch] = []
    while let batch = try root.next() {
        if batch.rowCount > 0 { batches.append(batch) }
    }
    return batches
}
