import LogicalPlan

/// Expands a common table expression into the places that read it, where computing its rows once does not pay.
///
/// The binder puts every referenced CTE in a `MaterializedCTE` node whose body reads the rows through
/// `WorkingTableScan`s. This rule decides, for each:
/// - no reference left: the node goes, the body stays;
/// - `AS MATERIALIZED`: it stays materialized;
/// - one reference, or `AS NOT MATERIALIZED`, or a definition that only scans, filters and projects (cheaper to
///   recompute than to store, and each reference keeps its own pushed-down filters): each reference becomes the
///   definition itself, renamed to the reference's columns (copies with fresh column ids after the first);
/// - otherwise (two or more references to a join, aggregate, sort, window, DISTINCT or set operation) it stays,
///   and the executor computes the rows once.
/// A definition that refers to an enclosing query's columns (a WITH inside a correlated subquery) is always
/// expanded: its rows differ per outer row. A definition holding subqueries in expressions is only expanded once (copies could not rename the columns its
/// subqueries are correlated with); with more references it stays materialized even when `NOT MATERIALIZED`
/// asked otherwise, which changes no result.
///
/// Before (`WITH t AS (SELECT a FROM r WHERE a > 1) SELECT * FROM t`):
///
///     MaterializedCTE t
///       Filter: a > 1
///         Scan: r [a]
///       WorkingTableScan: t [a#2]
///
/// After:
///
///     Projection: a AS a#2
///       Filter: a > 1
///         Scan: r [a]
public struct CommonTableExpressionInlining: OptimizerRule {
    public var name: String { "cte_inlining" }

    public init() {}

    public func rewrite(_ plan: LogicalPlan, context: OptimizerContext) throws -> LogicalPlan {
        var allocator = ColumnIDAllocator(after: plan)
        return try inline(plan, allocator: &allocator)
    }

    private func inline(_ plan: LogicalPlan, allocator: inout ColumnIDAllocator) throws -> LogicalPlan {
        let children = try plan.children.map { try inline($0, allocator: &allocator) }
        var node = children.isEmpty ? plan : plan.withChildren(children)
        var failure: Error?
        node = node.mappingOwnExpressions { expression in
            expression.transformed { part in
                guard case .subquery(var subquery) = part else { return part }
                do {
                    subquery.plan = try inline(subquery.plan, allocator: &allocator)
                } catch {
                    failure = error
                }
                return .subquery(subquery)
            }
        }
        if let failure { throw failure }
        guard case .materializedCTE(let cte) = node else { return node }
        let references = Self.referenceCount(cte.workingTable, in: cte.body)
        if references == 0 { return cte.body }
        var expands: Bool
        switch cte.materialization {
        case .always: expands = false
        case .never: expands = true
        case .automatic: expands = references == 1 || Self.isCheapToRecompute(cte.definition)
        }
        if expands, references > 1, Self.containsSubquery(cte.definition) { expands = false }
        if !cte.definition.freeColumns.isEmpty {
            // Correlated with an enclosing query: its rows differ per outer row, so they cannot be shared.
            guard references == 1 || !Self.containsSubquery(cte.definition) else {
                throw OptimizerError("WITH query \"\(cte.name)\" refers to an outer query, holds a subquery and is read "
                    + "more than once; this is not supported yet")
            }
            expands = true
        }
        guard expands else { return node }
        var isFirst = true
        return Self.replacingReferences(to: cte.workingTable, in: cte.body) { scan in
            var definition = cte.definition
            if !isFirst {
                var copier = FreshColumnCopier()
                definition = copier.copy(definition, allocator: &allocator)
            }
            isFirst = false
            let items = zip(scan.columns, definition.columns).map { ProjectionItem(output: $0.0, expression: .column($0.1)) }
            return .projection(Projection(input: definition, items: items, estimatedRowCount: definition.estimatedRowCount))
        }
    }

    /// How many `WorkingTableScan`s of `workingTable` the plan holds, subqueries' plans included.
    static func referenceCount(_ workingTable: Int, in plan: LogicalPlan) -> Int {
        var count = 0
        visitPlans(plan) { node in
            if case .workingTableScan(let scan) = node, scan.workingTable == workingTable { count += 1 }
        }
        return count
    }

    /// Whether the plan only scans, filters and projects, with no subquery.
    static func isCheapToRecompute(_ plan: LogicalPlan) -> Bool {
        var isCheap = true
        visitPlans(plan) { node in
            switch node {
            case .scan, .values, .filter, .projection, .workingTableScan: break
            default: isCheap = false
            }
        }
        return isCheap && !containsSubquery(plan)
    }

    /// Whether an expression of the plan holds a subquery.
    static func containsSubquery(_ plan: LogicalPlan) -> Bool {
        var found = false
        visitPlans(plan) { node in
            if node.ownExpressions.contains(where: \.containsSubquery) { found = true }
        }
        return found
    }

    /// Calls `body` for every node of the plan and of the plans of subqueries in its expressions.
    private static func visitPlans(_ plan: LogicalPlan, _ body: (LogicalPlan) -> Void) {
        body(plan)
        for expression in plan.ownExpressions {
            _ = expression.transformed { part in
                if case .subquery(let subquery) = part { visitPlans(subquery.plan, body) }
                return part
            }
        }
        for child in plan.children { visitPlans(child, body) }
    }

    /// The plan with every `WorkingTableScan` of `workingTable` (subqueries' plans included) replaced by
    /// `replacement`, called once per reference in plan order.
    private static func replacingReferences(to workingTable: Int, in plan: LogicalPlan,
                                            _ replacement: (WorkingTableScan) -> LogicalPlan) -> LogicalPlan {
        if case .workingTableScan(let scan) = plan, scan.workingTable == workingTable { return replacement(scan) }
        let children = plan.children.map { replacingReferences(to: workingTable, in: $0, replacement) }
        let node = children.isEmpty ? plan : plan.withChildren(children)
        return node.mappingOwnExpressions { expression in
            expression.transformed { part in
                guard case .subquery(var subquery) = part else { return part }
                subquery.plan = replacingReferences(to: workingTable, in: subquery.plan, replacement)
                return .subquery(subquery)
            }
        }
    }
}
