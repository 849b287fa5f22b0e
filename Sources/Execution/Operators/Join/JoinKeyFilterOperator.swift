import Columnar
import LogicalPlan

/// Drops the rows whose join key cannot match the other side of a join higher up in the plan (a runtime
/// join-key filter, see `JoinKeyFilterHub`).
///
/// Until the join has published its key set the operator passes every row. It is adaptive: once it has
/// checked `sampleRows` rows and kept more than its maximum pass ratio of them, it stops checking and passes
/// everything, since the join's own lookup then does the work anyway.
final class JoinKeyFilterOperator: PhysicalOperator {
    /// Rows checked before the operator decides whether filtering pays off.
    static let sampleRows = 32_768
    /// Above this fraction of rows kept, a filter below an aggregate (which it spares work per row and per
    /// group) turns itself off.
    static let maximumPassRatioBelowAggregate = 0.8
    /// Above this fraction of rows kept, a filter that only spares joins' probes turns itself off.
    static let maximumPassRatio = 0.5

    let columns: [PlanColumn]
    var children: [any PhysicalOperator] { [input] }
    private(set) var producedRows = 0
    /// The rows the filter looked up in the key set.
    private(set) var checkedRows = 0
    /// The rows among `checkedRows` it kept.
    private(set) var passedRows = 0

    /// `JoinKeyFilter (from join #n)`, with how many rows it checked and kept.
    var name: String { Self.describe([self]) }

    /// The EXPLAIN ANALYZE line of the same filter in one or several workers: the rows all of them checked and
    /// kept, and `off` when every one of them turned itself off (`off in k of n` when some did).
    static func describe(_ filters: [JoinKeyFilterOperator]) -> String {
        let joinNumber = filters.first?.source.joinNumber ?? 0
        let checked = filters.reduce(0) { $0 + $1.checkedRows }
        let passed = filters.reduce(0) { $0 + $1.passedRows }
        var text = "JoinKeyFilter (from join #\(joinNumber)) checked=\(checked) passed=\(passed)"
        let offCount = filters.filter(\.isOff).count
        if offCount > 0 {
            text += offCount == filters.count ? " off" : " off in \(offCount) of \(filters.count)"
        }
        return text
    }

    private let input: any PhysicalOperator
    private let source: JoinKeyFilterSource
    private let keys: [ColumnEvaluator]
    private let context: ExecutionContext
    private let maximumPassRatio: Double
    private var membership: JoinKeyMembership?
    /// Set once the source is disabled or the filter passed too many rows.
    private var isOff = false
    private var groups: [Int32] = []
    private var selection: [Int32] = []

    /// Filters `input` on `keys` (expressions over its columns, one per key of `source`, in order);
    /// `isBelowAggregate` tells whether an aggregate sits between the filter and its join.
    init(input: any PhysicalOperator, source: JoinKeyFilterSource, keys: [Expression], isBelowAggregate: Bool = false,
         context: ExecutionContext) throws {
        guard keys.count == source.keyTypes.count else {
            throw ExecutionError("internal error: join key filter with \(keys.count) keys for \(source.keyTypes.count)")
        }
        self.input = input
        self.source = source
        self.context = context
        maximumPassRatio = isBelowAggregate ? JoinKeyFilterOperator.maximumPassRatioBelowAggregate
            : JoinKeyFilterOperator.maximumPassRatio
        columns = input.columns
        let layout = ColumnLayout(input.columns)
        self.keys = try keys.map { try ColumnEvaluator($0, layout: layout) }
    }

    func next() throws -> RecordBatch? {
        while true {
            try context.checkCancellation()
            guard let batch = try input.next() else { return nil }
            let rowCount = batch.rowCount
            if rowCount == 0 { continue }
            guard let membership = currentMembership() else {
                producedRows += rowCount
                return batch
            }
            let keyColumns = try keys.enumerated().map { position, evaluator in
                try BatchSupport.conform(evaluator.evaluate(batch), to: source.keyTypes[position])
            }
            try membership.selectMembers(keyColumns, rowCount: rowCount, groups: &groups, selection: &selection)
            checkedRows += rowCount
            passedRows += selection.count
            if checkedRows >= JoinKeyFilterOperator.sampleRows
                && Double(passedRows) > maximumPassRatio * Double(checkedRows) {
                isOff = true
                self.membership = nil
            }
            if selection.isEmpty { continue }
            producedRows += selection.count
            if selection.count == rowCount { return batch }
            return RecordBatch(schema: batch.schema, columns: ColumnCompaction.compact(batch.columns, selected: selection),
                               rowCount: selection.count)
        }
    }

    /// The key set to check against, or nil to pass the batch (not published yet, or the filter is off).
    private func currentMembership() -> JoinKeyMembership? {
        if isOff { return nil }
        if let membership { return membership }
        switch source.current {
        case .pending:
            return nil
        case .disabled:
            isOff = true
            return nil
        case .ready(let membership):
            self.membership = membership
            return membership
        }
    }
}
