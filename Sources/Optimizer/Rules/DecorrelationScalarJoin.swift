import Columnar
import LogicalPlan

// Scalar subqueries over a global aggregate, the most common correlated subqueries (TPC-H q02, q17, q20), need no
// domain: the left join that attaches them to the outer rows already yields a row for outer values without input
// rows, if the projections above the aggregate are evaluated after the join.

extension DecorrelationUnnester {
    /// `L ⟕ π*(Γ∅(I))` — the left join of a scalar subquery over a global aggregate, `L` holding the outer
    /// values at `outerValues` — as `π*'(L ⟕ Γ_bindings(I'))`: `I` unnested, grouped by its bindings, left-joined on
    /// them; the projections above the aggregate evaluated after the join, where a missing group reads as the
    /// aggregates of no rows (NULL, or 0 for counts). The result has `L`'s columns, then the subquery's. Nil when
    /// the subquery has another shape.
    mutating func scalarAggregateJoin(_ left: LogicalPlan, outerValues: [ColumnID: OuterBinding],
                                      right: LogicalPlan) throws -> LogicalPlan? {
        var projections: [Projection] = []
        var current = right
        while case .projection(let projection) = current {
            projections.append(projection)
            current = projection.input
        }
        guard case .aggregate(let aggregate) = current, aggregate.groupKeys.isEmpty else { return nil }
        let needed = current.ownExpressions.reduce(into: Set<ColumnID>()) { $0.formUnion(dependencies($1)) }
        let input = try restrictedIfFailing(try materialize(try unnest(aggregate.input), binding: needed, applyingPending: true),
                                            for: aggregate)
        var (grouped, keys) = groupedByBindings(aggregate, input: input)
        var values: [ColumnID: Expression] = [:]
        grouped.aggregates = grouped.aggregates.map { call in
            var call = call
            let output = PlanColumn(id: allocator.allocate(), name: call.output.name, dataType: call.output.dataType)
            values[call.output.id] = call.function.isCount ? zeroForMissingCount(output) : .column(output)
            call.output = output
            return call
        }
        var condition: [Expression] = []
        for (outerID, key) in keys.sorted(by: { $0.key < $1.key }) {
            guard let value = outerValues[outerID] else {
                throw OptimizerError("internal error: an outer column lost its binding")
            }
            condition.append(bindingEquality(.column(value.column), leftNeverNull: value.isNeverNull, .column(key.column),
                                             rightNeverNull: key.isNeverNull, forMarkJoin: false))
        }
        let joined = LogicalPlan.join(Join(kind: .left, left: left, right: .aggregate(grouped),
                                           condition: Expression.conjunction(condition)))
        let outerSubstitution = outerValues.mapValues { Expression.column($0.column) }
        for projection in projections.reversed() {
            let substitution = values.merging(outerSubstitution) { value, _ in value }
            var next: [ColumnID: Expression] = [:]
            for item in projection.items { next[item.output.id] = item.expression.substituting(substitution) }
            values = next
        }
        let items = left.columns.map { ProjectionItem(output: $0, expression: .column($0)) }
            + right.columns.map { ProjectionItem(output: $0, expression: values[$0.id] ?? .column($0)) }
        return .projection(Projection(input: joined, items: items))
    }

    /// Whether the plan is a global aggregate under projections only.
    static func isScalarAggregate(_ plan: LogicalPlan) -> Bool {
        switch plan {
        case .projection(let node): return isScalarAggregate(node.input)
        case .aggregate(let node): return node.groupKeys.isEmpty
        default: return false
        }
    }

    /// `(SELECT x ... ORDER BY x LIMIT 1)` — a scalar subquery's first value in the order of that value — as
    /// `min(x)` (`max(x)` descending), a global aggregate. Only where NULLs sort last, or the value is never NULL
    /// (`min` and `max` skip NULLs); nil for other shapes (which keep their rows by `row_number()`).
    static func firstValueAsAggregate(_ plan: LogicalPlan) -> LogicalPlan? {
        guard let output = plan.columns.first, plan.columns.count == 1 else { return nil }
        var expression = Expression.column(output)
        var current = plan
        while case .projection(let projection) = current {
            guard case .column(let column) = expression,
                  let item = projection.items.first(where: { $0.output.id == column.id }) else { return nil }
            expression = item.expression
            current = projection.input
        }
        guard case .limit(let limit) = current, limit.limit == 1, limit.offset == 0, case .sort(let sort) = limit.input,
              sort.keys.count == 1, case .column(let key) = sort.keys[0].expression,
              case .column(let value) = expression, value.id == key.id, value.dataType == output.dataType,
              !sort.keys[0].nullsFirst || !key.isNullable else { return nil }
        let function: AggregateFunction = sort.keys[0].isAscending ? .minimum : .maximum
        return .aggregate(Aggregate(input: sort.input, groupKeys: [], aggregates: [
            AggregateCall(function: function, arguments: [.column(key)], output: output),
        ]))
    }
}
