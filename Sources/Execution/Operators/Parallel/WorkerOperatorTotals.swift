import Columnar
import LogicalPlan

/// EXPLAIN ANALYZE's view of one operator of a parallel pipeline: that operator in every worker's copy of the
/// pipeline, with the rows all of them produced. An operator the workers share (a join's build side) counts
/// once. Its name is the first worker's, except that a join-key filter's counts are summed too. It is never run.
final class WorkerOperatorTotals: PhysicalOperator {
    private let instances: [any PhysicalOperator]

    /// The totals over `instances`, the same operator of each worker (at least one).
    init(_ instances: [any PhysicalOperator]) {
        var seen = Set<ObjectIdentifier>()
        self.instances = instances.filter { seen.insert(ObjectIdentifier($0)).inserted }
    }

    var columns: [PlanColumn] { instances.first?.columns ?? [] }
    var name: String {
        let filters = instances.compactMap { $0 as? JoinKeyFilterOperator }
        if !filters.isEmpty, filters.count == instances.count { return JoinKeyFilterOperator.describe(filters) }
        return instances.first?.name ?? ""
    }
    var producedRows: Int { instances.reduce(0) { $0 + $1.producedRows } }

    var children: [any PhysicalOperator] {
        guard let first = instances.first else { return [] }
        let childLists = instances.map(\.children)
        return first.children.indices.map { index in
            WorkerOperatorTotals(childLists.compactMap { index < $0.count ? $0[index] : nil })
        }
    }

    func next() throws -> RecordBatch? {
        throw ExecutionError("internal error: an EXPLAIN ANALYZE view of a parallel pipeline was run")
    }
}
