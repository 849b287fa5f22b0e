import Columnar
import LogicalPlan

/// A subtree of a dependent join's right input rewritten so that it no longer reads outer columns.
///
/// Meaning: for every outer row `t`, the original subtree evaluated with `t`'s values yields exactly the rows of
/// `plan` (restricted to the original columns, which keep their ids) whose binding columns hold `t`'s values (in
/// the `IS NOT DISTINCT FROM` sense) and for which every pending conjunct holds with `t`'s values. Rows whose
/// bindings belong to no outer row may exist; they never meet one.
struct UnnestedPlan {
    /// The rewritten subtree: the original's columns, and perhaps more (bindings, columns pending conjuncts read).
    var plan: LogicalPlan
    /// For each outer column bound so far, the column of `plan` holding the outer value a row belongs to.
    var bindings: [ColumnID: OuterBinding]
    /// Conjuncts over `plan`'s columns and unbound outer columns, still to be applied.
    var pending: [Expression]

    /// The bindings ordered by outer column id, so that rewritten plans do not depend on dictionary order.
    var sortedBindings: [(outer: ColumnID, binding: OuterBinding)] {
        bindings.keys.sorted().compactMap { outer in bindings[outer].map { (outer, $0) } }
    }

    /// Replaces references to bound outer columns by their bindings.
    var substitution: [ColumnID: Expression] { bindings.mapValues { .column($0.column) } }
}

/// Pushes the domain of a dependent join into its right input, following Neumann and Kemper, "Unnesting
/// Arbitrary Queries" (BTW 2015): the right input `R(t)`, evaluated per outer row `t` of the left input `T`,
/// becomes a plan over all outer values at once whose rows carry the outer values they belong to.
///
/// The domain `D` is `DISTINCT` of the outer columns of a copy of `T`. Rather than joining `D` at the top and
/// pushing it down node by node, the unnester walks up from the leaves and joins `D` only where a node needs the
/// outer values (and only over the columns it needs):
/// - a conjunct reading outer columns is kept pending while it can move up (through filters, projections, inner
///   joins and the preserved side of outer joins), so that at the top it becomes part of the join condition;
/// - where a node needs an outer column's value (an aggregate, `DISTINCT`, a set operation, a projection or
///   join condition computing with it, the other side of an outer join), a pending equality `inner = outer`
///   makes `inner` the binding without any domain (Neumann and Kemper's elimination of `D` by equivalence);
///   otherwise a copy of `D` is joined on the bindings and equalities known so far (a cross product only when
///   there are none);
/// - a grouped aggregate groups by the bindings too; a global aggregate, which yields a row even for an outer
///   value without input rows, is grouped by the bindings and then left-joined to the domain, its counts turned
///   from NULL to 0 (the "count bug") — except under the left join of a scalar subquery, which yields the row
///   for outer values without input rows itself (`scalarAggregateJoin`);
/// - a join whose both sides depend on outer values joins them on equal bindings as well.
/// `LIMIT` and `OFFSET` keep rows by their `row_number()` within their outer value; window functions partition by
/// the bindings too.
struct DecorrelationUnnester {
    /// The dependent join's left input: the domain is computed from copies of it.
    let outerInput: LogicalPlan
    /// The outer columns the right input reads, by id, as the left input produces them.
    let outerColumns: [ColumnID: PlanColumn]
    var allocator: ColumnIDAllocator

    /// The outer columns the plan reads.
    func dependencies(_ plan: LogicalPlan) -> Set<ColumnID> {
        plan.freeColumns.intersection(outerColumns.keys)
    }

    /// The outer columns the expression reads.
    func dependencies(_ expression: Expression) -> Set<ColumnID> {
        expression.referencedColumns.intersection(outerColumns.keys)
    }

    /// The subtree unnested: no node of the result reads an outer column (pending conjuncts may).
    mutating func unnest(_ plan: LogicalPlan) throws -> UnnestedPlan {
        guard !dependencies(plan).isEmpty else { return UnnestedPlan(plan: plan, bindings: [:], pending: []) }
        switch plan {
        case .scan(var node):
            let correlated = node.filters.filter { !dependencies($0).isEmpty }
            node.filters.removeAll { !dependencies($0).isEmpty }
            var result = UnnestedPlan(plan: .scan(node), bindings: [:], pending: [])
            add(correlated, to: &result)
            return result
        case .values(let node):
            return try unnestValues(node)
        case .filter(let node):
            var result = try unnest(node.input)
            add(node.predicate.conjuncts, to: &result)
            return result
        case .projection(let node):
            return try unnestProjection(node)
        case .aggregate(let node):
            return try unnestAggregate(node)
        case .join(let node):
            return try unnestJoin(node)
        case .sort(let node):
            // A LIMIT takes the sort below it itself; anywhere else, the order of a subquery's rows does not matter.
            return try unnest(node.input)
        case .limit(let node):
            // A limit of at least one row over at most one row per outer value (a global aggregate) changes nothing.
            let isNoOp = node.offset == 0 && (node.limit == nil || (node.limit.map { $0 >= 1 } ?? false)
                && SubqueryToJoin.yieldsAtMostOneRow(node.input))
            if isNoOp { return try unnest(node.input) }
            if case .projection(var projection) = node.input, Self.isSortUnderProjections(projection.input) {
                // Projections are row by row: the limit may as well sit right on its sort.
                var limit = node
                limit.input = projection.input
                projection.input = .limit(limit)
                return try unnest(.projection(projection))
            }
            return try unnestLimit(node)
        case .distinct(let node):
            var result = try materialize(try unnest(node.input), binding: [], applyingPending: true)
            let kept = node.input.columns + result.sortedBindings.map(\.binding.column)
            result.plan = .distinct(Distinct(input: Self.exactly(result.plan, kept)))
            return result
        case .setOperation(let node):
            return try unnestSetOperation(node)
        case .materializedCTE(var node):
            // `cte_inlining` expands correlated definitions; only the body may read outer columns here.
            guard dependencies(node.definition).isEmpty else {
                throw OptimizerError("a WITH query that refers to an outer query must be expanded (rule cte_inlining)")
            }
            var result = try unnest(node.body)
            node.body = result.plan
            result.plan = .materializedCTE(node)
            return result
        case .recursiveCTE, .workingTableScan:
            throw OptimizerError("correlated recursive common table expressions are not supported")
        case .window(let node):
            // Window functions see their partition: partition by the bindings as well.
            let needed = LogicalPlan.window(node).ownExpressions.reduce(into: Set<ColumnID>()) { $0.formUnion(dependencies($1)) }
            var result = try materialize(try unnest(node.input), binding: needed, applyingPending: true)
            let substitution = result.substitution
            let bindingColumns = result.sortedBindings.map { Expression.column($0.binding.column) }
            var window = node
            window.input = result.plan
            window.functions = node.functions.map { call in
                var call = call.mappingExpressions { $0.substituting(substitution) }
                call.partitionBy += bindingColumns
                return call
            }
            result.plan = .window(window)
            return result
        }
    }

    private static func isSortUnderProjections(_ plan: LogicalPlan) -> Bool {
        switch plan {
        case .sort: return true
        case .projection(let node): return isSortUnderProjections(node.input)
        default: return false
        }
    }

    /// `LIMIT n OFFSET m` (over an optional sort) per outer value: the rows numbered within their outer value, in
    /// the sort's order, kept from m + 1 to m + n.
    private mutating func unnestLimit(_ node: Limit) throws -> UnnestedPlan {
        var input = node.input
        var keys: [SortKey] = []
        if case .sort(let sort) = input {
            keys = sort.keys
            input = sort.input
        }
        var result = try materialize(try unnest(input), binding: dependencies(.limit(node)), applyingPending: true)
        let substitution = result.substitution
        keys = keys.map { key in
            var key = key
            key.expression = key.expression.substituting(substitution)
            return key
        }
        let number = PlanColumn(id: allocator.allocate(), name: "row_number", dataType: .int64, isNullable: false)
        let call = WindowCall(function: .rowNumber, arguments: [],
                              partitionBy: result.sortedBindings.map { .column($0.binding.column) }, orderBy: keys,
                              frame: .defaultFrame(isOrdered: !keys.isEmpty), output: number)
        var kept: [Expression] = []
        if node.offset > 0 {
            kept.append(.function(.greater, [.column(number), .literal(.int64(Int64(node.offset)), .int64)], .boolean))
        }
        if let limit = node.limit {
            let (last, overflow) = max(0, limit).addingReportingOverflow(max(0, node.offset))
            if !overflow {
                kept.append(.function(.lessOrEqual, [.column(number), .literal(.int64(Int64(last)), .int64)], .boolean))
            }
        }
        result.plan = LogicalPlan.window(Window(input: result.plan, functions: [call])).filtered(by: kept)
        return result
    }

    /// Adds conjuncts to the subtree: those over its own columns (once bound outer columns are replaced) as a
    /// filter, the others as pending.
    private func add(_ conjuncts: [Expression], to result: inout UnnestedPlan) {
        let substitution = result.substitution
        var local: [Expression] = []
        for conjunct in conjuncts {
            let substituted = conjunct.substituting(substitution)
            if dependencies(substituted).isEmpty { local.append(substituted) } else { result.pending.append(substituted) }
        }
        result.plan = result.plan.filtered(by: local)
    }

    private mutating func unnestProjection(_ node: Projection) throws -> UnnestedPlan {
        var result = try unnest(node.input)
        let needed = node.items.reduce(into: Set<ColumnID>()) { $0.formUnion(dependencies($1.expression)) }
        if !needed.isEmpty { result = try materialize(result, binding: needed, applyingPending: false) }
        let substitution = result.substitution
        var items = node.items.map { ProjectionItem(output: $0.output, expression: $0.expression.substituting(substitution)) }
        // Keep the bindings and the columns pending conjuncts read.
        var outputs = Set(items.map(\.output.id))
        var kept = Set(result.bindings.values.map(\.column.id))
        for conjunct in result.pending { kept.formUnion(conjunct.referencedColumns) }
        for column in result.plan.columns where kept.contains(column.id) && !outputs.contains(column.id) {
            items.append(ProjectionItem(output: column, expression: .column(column)))
            outputs.insert(column.id)
        }
        result.plan = .projection(Projection(input: result.plan, items: items))
        return result
    }

    private mutating func unnestAggregate(_ node: Aggregate) throws -> UnnestedPlan {
        let needed = LogicalPlan.aggregate(node).ownExpressions.reduce(into: Set<ColumnID>()) { $0.formUnion(dependencies($1)) }
        let input = try restrictedIfFailing(try materialize(try unnest(node.input), binding: needed, applyingPending: true), for: node)
        var (aggregate, keys) = groupedByBindings(node, input: input)
        guard node.groupKeys.isEmpty, !keys.isEmpty else {
            return UnnestedPlan(plan: .aggregate(aggregate), bindings: keys, pending: [])
        }
        // A global aggregate yields a row for every outer value, also one without input rows: left-join the
        // domain to the groups; a missing group's counts are 0, its other aggregates NULL.
        var renamed: [ColumnID: PlanColumn] = [:]
        aggregate.aggregates = aggregate.aggregates.map { call in
            var call = call
            let output = PlanColumn(id: allocator.allocate(), name: call.output.name, dataType: call.output.dataType)
            renamed[call.output.id] = output
            call.output = output
            return call
        }
        let outerIDs = keys.keys.sorted()
        let (domain, domainColumns) = try makeDomain(over: outerIDs)
        var condition: [Expression] = []
        var bindings: [ColumnID: OuterBinding] = [:]
        for outer in outerIDs {
            guard let key = keys[outer], let domainColumn = domainColumns[outer] else { continue }
            let neverNull = !domainColumn.isNullable
            condition.append(bindingEquality(.column(domainColumn), leftNeverNull: neverNull, .column(key.column),
                                             rightNeverNull: key.isNeverNull, forMarkJoin: false))
            bindings[outer] = OuterBinding(column: domainColumn, isNeverNull: neverNull)
        }
        let joined = LogicalPlan.join(Join(kind: .left, left: domain, right: .aggregate(aggregate),
                                           condition: Expression.conjunction(condition)))
        var items = outerIDs.compactMap { domainColumns[$0] }.map { ProjectionItem(output: $0, expression: .column($0)) }
        for call in node.aggregates {
            guard let value = renamed[call.output.id] else { continue }
            items.append(ProjectionItem(output: call.output, expression: call.function.isCount ? zeroForMissingCount(value) : .column(value)))
        }
        return UnnestedPlan(plan: .projection(Projection(input: joined, items: items)), bindings: bindings, pending: [])
    }

    /// The input of an aggregate restricted to the bindings of actual outer rows (a semi join with the domain)
    /// when the aggregate can fail: `single_value` must only see the groups of outer rows, so that a subquery
    /// yields "more than one row" only for an outer row that exists. Other aggregates take the input as it is.
    mutating func restrictedIfFailing(_ input: UnnestedPlan, for node: Aggregate) throws -> UnnestedPlan {
        guard node.aggregates.contains(where: { $0.function == .singleValue }), !input.bindings.isEmpty else { return input }
        let outerIDs = input.bindings.keys.sorted()
        let (domain, domainColumns) = try makeDomain(over: outerIDs)
        var condition: [Expression] = []
        for (outer, binding) in input.sortedBindings {
            guard let domainColumn = domainColumns[outer] else { continue }
            condition.append(bindingEquality(.column(binding.column), leftNeverNull: binding.isNeverNull, .column(domainColumn),
                                             rightNeverNull: !domainColumn.isNullable, forMarkJoin: false))
        }
        var result = input
        result.plan = .join(Join(kind: .semi, left: input.plan, right: domain, condition: Expression.conjunction(condition)))
        return result
    }

    /// The aggregate over the unnested input, grouped by the bindings as well (as new key columns), and those keys.
    mutating func groupedByBindings(_ node: Aggregate, input: UnnestedPlan) -> (Aggregate, [ColumnID: OuterBinding]) {
        let substitution = input.substitution
        var aggregate = node
        aggregate.input = input.plan
        aggregate.groupKeys = node.groupKeys.map { ProjectionItem(output: $0.output, expression: $0.expression.substituting(substitution)) }
        aggregate.aggregates = node.aggregates.map { $0.mappingExpressions { $0.substituting(substitution) } }
        var keys: [ColumnID: OuterBinding] = [:]
        for (outer, binding) in input.sortedBindings {
            let key = PlanColumn(id: allocator.allocate(), name: binding.column.name, dataType: binding.column.dataType,
                                 isNullable: !binding.isNeverNull)
            aggregate.groupKeys.append(ProjectionItem(output: key, expression: .column(binding.column)))
            keys[outer] = OuterBinding(column: key, isNeverNull: binding.isNeverNull)
        }
        return (aggregate, keys)
    }

    private mutating func unnestJoin(_ node: Join) throws -> UnnestedPlan {
        switch node.kind {
        case .inner, .cross:
            let left = try unnest(node.left)
            let right = try unnest(node.right)
            var result = UnnestedPlan(plan: .join(node), bindings: left.bindings, pending: [])
            var condition: [Expression] = []
            for (outer, binding) in right.sortedBindings {
                if let existing = result.bindings[outer] {
                    condition.append(bindingEquality(.column(existing.column), leftNeverNull: existing.isNeverNull,
                                                     .column(binding.column), rightNeverNull: binding.isNeverNull, forMarkJoin: false))
                } else {
                    result.bindings[outer] = binding
                }
            }
            let substitution = result.substitution
            for conjunct in (node.condition?.conjuncts ?? []) + left.pending + right.pending {
                let substituted = conjunct.substituting(substitution)
                if dependencies(substituted).isEmpty { condition.append(substituted) } else { result.pending.append(substituted) }
            }
            result.plan = .join(Join(kind: condition.isEmpty ? .cross : .inner, left: left.plan, right: right.plan,
                                     condition: Expression.conjunction(condition)))
            return result
        case .left, .semi, .anti, .mark:
            return try unnestPreserving(node, preservedIsLeft: true)
        case .right:
            return try unnestPreserving(node, preservedIsLeft: false)
        case .full:
            return try unnestFullJoin(node)
        }
    }

    /// An outer, semi, anti or mark join: the preserved side's rows and pending conjuncts pass up; when the other
    /// side or the condition depends on outer values, the preserved side carries bindings to join on.
    private mutating func unnestPreserving(_ node: Join, preservedIsLeft: Bool) throws -> UnnestedPlan {
        if node.kind == .left, node.condition == nil, preservedIsLeft, !dependencies(node.right).isEmpty {
            // A scalar subquery over a global aggregate, in a subquery: grouped and left-joined without a domain.
            let right = Self.firstValueAsAggregate(node.right) ?? node.right
            if Self.isScalarAggregate(right) {
                var preserved = try materialize(try unnest(node.left), binding: dependencies(right), applyingPending: false)
                if let plan = try scalarAggregateJoin(preserved.plan, outerValues: preserved.bindings, right: right) {
                    preserved.plan = plan
                    return preserved
                }
            }
        }
        let preservedInput = preservedIsLeft ? node.left : node.right
        let otherInput = preservedIsLeft ? node.right : node.left
        var other = try unnest(otherInput)
        let conditionDependencies = node.condition.map(dependencies) ?? []
        var rebuilt = node
        if other.bindings.isEmpty && other.pending.isEmpty && conditionDependencies.isEmpty {
            var preserved = try unnest(preservedInput)
            if preservedIsLeft { rebuilt.left = preserved.plan } else { rebuilt.right = preserved.plan }
            preserved.plan = .join(rebuilt)
            return preserved
        }
        other = try materialize(other, binding: [], applyingPending: true)
        var preserved = try materialize(try unnest(preservedInput), binding: Set(other.bindings.keys).union(conditionDependencies),
                                        applyingPending: false)
        var isMark = false
        if case .mark = node.kind { isMark = true }
        var condition = node.condition?.substituting(preserved.substitution).conjuncts ?? []
        for (outer, binding) in other.sortedBindings {
            guard let kept = preserved.bindings[outer] else { throw OptimizerError("internal error: an outer column lost its binding") }
            condition.append(bindingEquality(.column(kept.column), leftNeverNull: kept.isNeverNull, .column(binding.column),
                                             rightNeverNull: binding.isNeverNull, forMarkJoin: isMark))
        }
        rebuilt.left = preservedIsLeft ? preserved.plan : other.plan
        rebuilt.right = preservedIsLeft ? other.plan : preserved.plan
        rebuilt.condition = Expression.conjunction(condition)
        preserved.plan = .join(rebuilt)
        return preserved
    }

    /// A full join preserves both sides: both carry every binding, and the result's binding is whichever side has one.
    private mutating func unnestFullJoin(_ node: Join) throws -> UnnestedPlan {
        let needed = dependencies(.join(node))
        let left = try materialize(try unnest(node.left), binding: needed, applyingPending: true)
        let right = try materialize(try unnest(node.right), binding: needed, applyingPending: true)
        var condition = node.condition?.substituting(left.substitution).conjuncts ?? []
        var items = (node.left.columns + node.right.columns).map { ProjectionItem(output: $0, expression: .column($0)) }
        var bindings: [ColumnID: OuterBinding] = [:]
        for (outer, leftBinding) in left.sortedBindings {
            guard let rightBinding = right.bindings[outer] else { continue }
            condition.append(bindingEquality(.column(leftBinding.column), leftNeverNull: leftBinding.isNeverNull,
                                             .column(rightBinding.column), rightNeverNull: rightBinding.isNeverNull, forMarkJoin: false))
            let neverNull = leftBinding.isNeverNull && rightBinding.isNeverNull
            let column = PlanColumn(id: allocator.allocate(), name: leftBinding.column.name, dataType: leftBinding.column.dataType,
                                    isNullable: !neverNull)
            items.append(ProjectionItem(output: column, expression: .function(.coalesce, [.column(leftBinding.column), .column(rightBinding.column)],
                                                                               column.dataType)))
            bindings[outer] = OuterBinding(column: column, isNeverNull: neverNull)
        }
        let joined = LogicalPlan.join(Join(kind: .full, left: left.plan, right: right.plan, condition: Expression.conjunction(condition)))
        return UnnestedPlan(plan: .projection(Projection(input: joined, items: items)), bindings: bindings, pending: [])
    }

    /// Both inputs carry the same bindings, as extra columns of the set operation.
    private mutating func unnestSetOperation(_ node: SetOperation) throws -> UnnestedPlan {
        let needed = dependencies(.setOperation(node))
        let left = try materialize(try unnest(node.left), binding: needed, applyingPending: true)
        let right = try materialize(try unnest(node.right), binding: needed, applyingPending: true)
        let outerIDs = needed.sorted()
        var operation = node
        operation.left = Self.exactly(left.plan, node.left.columns + outerIDs.compactMap { left.bindings[$0]?.column })
        operation.right = Self.exactly(right.plan, node.right.columns + outerIDs.compactMap { right.bindings[$0]?.column })
        var bindings: [ColumnID: OuterBinding] = [:]
        for outer in outerIDs {
            guard let leftBinding = left.bindings[outer], let rightBinding = right.bindings[outer] else {
                throw OptimizerError("internal error: an outer column lost its binding")
            }
            let neverNull = leftBinding.isNeverNull && rightBinding.isNeverNull
            let column = PlanColumn(id: allocator.allocate(), name: leftBinding.column.name, dataType: leftBinding.column.dataType,
                                    isNullable: !neverNull)
            operation.columns.append(column)
            bindings[outer] = OuterBinding(column: column, isNeverNull: neverNull)
        }
        return UnnestedPlan(plan: .setOperation(operation), bindings: bindings, pending: [])
    }

    /// Rows computed from outer values: each row once per outer value, from a copy of the domain.
    private mutating func unnestValues(_ node: Values) throws -> UnnestedPlan {
        let outerIDs = dependencies(.values(node)).sorted()
        let (domain, domainColumns) = try makeDomain(over: outerIDs)
        let substitution = domainColumns.mapValues { Expression.column($0) }
        let bindingColumns = outerIDs.compactMap { domainColumns[$0] }
        var inputs: [LogicalPlan] = []
        for row in node.rows {
            var items: [ProjectionItem] = []
            for (column, value) in zip(node.columns, row) {
                let output = node.rows.count == 1 ? column : PlanColumn(id: allocator.allocate(), name: column.name,
                                                                        dataType: column.dataType, isNullable: column.isNullable)
                items.append(ProjectionItem(output: output, expression: value.substituting(substitution)))
            }
            let bindingOutputs = node.rows.count == 1 ? bindingColumns : bindingColumns.map {
                PlanColumn(id: allocator.allocate(), name: $0.name, dataType: $0.dataType, isNullable: $0.isNullable)
            }
            items += zip(bindingOutputs, bindingColumns).map { ProjectionItem(output: $0.0, expression: .column($0.1)) }
            inputs.append(.projection(Projection(input: domain, items: items)))
        }
        var bindings: [ColumnID: OuterBinding] = [:]
        guard var plan = inputs.first else { throw OptimizerError("internal error: VALUES without rows reads outer columns") }
        var finalBindingColumns = bindingColumns
        if inputs.count > 1 {
            finalBindingColumns = bindingColumns.map {
                PlanColumn(id: allocator.allocate(), name: $0.name, dataType: $0.dataType, isNullable: $0.isNullable)
            }
            let finalColumns = node.columns + finalBindingColumns
            for (index, next) in inputs.dropFirst().enumerated() {
                let isLast = index == inputs.count - 2
                let columns = isLast ? finalColumns : finalColumns.map {
                    PlanColumn(id: allocator.allocate(), name: $0.name, dataType: $0.dataType, isNullable: $0.isNullable)
                }
                plan = .setOperation(SetOperation(kind: .union, isAll: true, left: plan, right: next, columns: columns))
            }
        }
        for (outer, column) in zip(outerIDs, finalBindingColumns) {
            bindings[outer] = OuterBinding(column: column, isNeverNull: !column.isNullable)
        }
        return UnnestedPlan(plan: plan, bindings: bindings, pending: [])
    }

    /// The subtree with bindings for the `needed` outer columns (and, when `applyingPending`, for every outer
    /// column a pending conjunct reads, all pending conjuncts then applied as filters). A pending equality between
    /// a needed outer column and an expression over the subtree binds the column to that expression; when some
    /// needed column has no such equality, a copy of the domain is joined instead, on the existing bindings and
    /// the equalities. Pending conjuncts whose outer columns all got bound become filters either way.
    mutating func materialize(_ input: UnnestedPlan, binding needed: Set<ColumnID>, applyingPending: Bool) throws -> UnnestedPlan {
        var result = input
        var wanted = needed.subtracting(result.bindings.keys)
        if applyingPending {
            for conjunct in result.pending { wanted.formUnion(dependencies(conjunct)) }
        }
        if !wanted.isEmpty {
            let equalities = bindingEqualities(in: result.pending, for: wanted)
            var used = Set<Int>()
            if wanted.isSubset(of: equalities.keys) {
                var computed: [ProjectionItem] = []
                var notNull: [Expression] = []
                for outer in wanted.sorted() {
                    guard let equality = equalities[outer] else { continue }
                    used.insert(equality.index)
                    let column: PlanColumn
                    if case .column(let existing) = equality.expression {
                        column = existing
                    } else {
                        column = PlanColumn(id: allocator.allocate(), name: outerColumns[outer]?.name ?? "binding",
                                            dataType: equality.expression.dataType, isNullable: mayBeNull(equality.expression))
                        computed.append(ProjectionItem(output: column, expression: equality.expression))
                    }
                    let nullable = mayBeNull(equality.expression)
                    if !equality.isNullSafe && nullable {
                        notNull.append(.function(.isNotNull, [equality.expression], .boolean))
                    }
                    result.bindings[outer] = OuterBinding(column: column, isNeverNull: !equality.isNullSafe || !nullable)
                }
                result.plan = result.plan.filtered(by: notNull)
                if !computed.isEmpty {
                    let passed = result.plan.columns.map { ProjectionItem(output: $0, expression: .column($0)) }
                    result.plan = .projection(Projection(input: result.plan, items: passed + computed))
                }
            } else {
                let outerIDs = wanted.union(result.bindings.keys).sorted()
                let (domain, domainColumns) = try makeDomain(over: outerIDs)
                var condition: [Expression] = []
                var bindings: [ColumnID: OuterBinding] = [:]
                for outer in outerIDs {
                    guard let domainColumn = domainColumns[outer] else { continue }
                    let outerNeverNull = !domainColumn.isNullable
                    if let existing = result.bindings[outer] {
                        condition.append(bindingEquality(.column(existing.column), leftNeverNull: existing.isNeverNull,
                                                         .column(domainColumn), rightNeverNull: outerNeverNull, forMarkJoin: false))
                        bindings[outer] = OuterBinding(column: domainColumn, isNeverNull: outerNeverNull || existing.isNeverNull)
                    } else if let equality = equalities[outer] {
                        used.insert(equality.index)
                        condition.append(.function(equality.isNullSafe ? .isNotDistinctFrom : .equal,
                                                   [equality.expression, .column(domainColumn)], .boolean))
                        bindings[outer] = OuterBinding(column: domainColumn, isNeverNull: outerNeverNull || !equality.isNullSafe)
                    } else {
                        bindings[outer] = OuterBinding(column: domainColumn, isNeverNull: outerNeverNull)
                    }
                }
                result.plan = .join(Join(kind: condition.isEmpty ? .cross : .inner, left: result.plan, right: domain,
                                         condition: Expression.conjunction(condition)))
                result.bindings = bindings
            }
            result.pending = result.pending.enumerated().filter { !used.contains($0.offset) }.map(\.element)
        }
        let pending = result.pending
        result.pending = []
        add(pending, to: &result)
        return result
    }

    /// The subtree with every unbound outer column that a pending equality can bind bound that way (which needs
    /// no domain), the equalities no longer pending.
    mutating func bindingPendingEqualities(_ input: UnnestedPlan) throws -> UnnestedPlan {
        let unbound = Set(outerColumns.keys).subtracting(input.bindings.keys)
        let bindable = Set(bindingEqualities(in: input.pending, for: unbound).keys)
        guard !bindable.isEmpty else { return input }
        return try materialize(input, binding: bindable, applyingPending: false)
    }

    /// For outer columns in `wanted`, a pending conjunct `expression = outer` (or `IS NOT DISTINCT FROM`) where
    /// the expression reads only the subtree's columns; the first one per column.
    private func bindingEqualities(in pending: [Expression], for wanted: Set<ColumnID>)
        -> [ColumnID: (index: Int, expression: Expression, isNullSafe: Bool)] {
        var result: [ColumnID: (index: Int, expression: Expression, isNullSafe: Bool)] = [:]
        for (index, conjunct) in pending.enumerated() {
            guard case .function(let function, let arguments, _) = conjunct, function == .equal || function == .isNotDistinctFrom,
                  arguments.count == 2 else { continue }
            for (outerSide, innerSide) in [(arguments[0], arguments[1]), (arguments[1], arguments[0])] {
                guard case .column(let column) = outerSide, wanted.contains(column.id), result[column.id] == nil,
                      dependencies(innerSide).isEmpty, !innerSide.referencedColumns.isEmpty,
                      !innerSide.containsSubquery else { continue }
                result[column.id] = (index, innerSide, function == .isNotDistinctFrom)
                break
            }
        }
        return result
    }

    /// `DISTINCT` of the given outer columns over a fresh copy of the dependent join's left input, and the
    /// domain column for each outer column.
    mutating func makeDomain(over outerIDs: [ColumnID]) throws -> (LogicalPlan, [ColumnID: PlanColumn]) {
        var copier = FreshColumnCopier()
        let copied = copier.copy(outerInput, allocator: &allocator)
        var items: [ProjectionItem] = []
        var columns: [ColumnID: PlanColumn] = [:]
        for outer in outerIDs {
            guard let outerColumn = outerColumns[outer], let source = copier.mapping[outer] else {
                throw OptimizerError("internal error: outer column \(outer) is not produced by the dependent join's left input")
            }
            let column = PlanColumn(id: allocator.allocate(), name: outerColumn.name, dataType: outerColumn.dataType,
                                    isNullable: outerColumn.isNullable)
            items.append(ProjectionItem(output: column, expression: .column(source)))
            columns[outer] = column
        }
        return (.distinct(Distinct(input: .projection(Projection(input: copied, items: items)))), columns)
    }

    /// A projection of `plan` to exactly `columns` (by id, in this order), or `plan` when it already has them.
    static func exactly(_ plan: LogicalPlan, _ columns: [PlanColumn]) -> LogicalPlan {
        plan.columns.map(\.id) == columns.map(\.id) ? plan : plan.projected(to: columns)
    }
}
