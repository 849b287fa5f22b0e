import Columnar
import LogicalPlan

/// UNION, INTERSECT and EXCEPT, with set semantics (duplicates removed, NULLs equal) or, with ALL, bag
/// semantics: UNION ALL concatenates, INTERSECT ALL keeps min(left count, right count) copies of a row and
/// EXCEPT ALL keeps max(left count - right count, 0). Rows come out in the order of their first occurrence
/// in the left input (then the right input for UNION).
final class SetOperationOperator: PhysicalOperator {
    let columns: [PlanColumn]
    let name: String
    var children: [any PhysicalOperator] { [left, right] }
    private(set) var producedRows = 0

    private let kind: SetOperationKind
    private let isAll: Bool
    private let left: any PhysicalOperator
    private let right: any PhysicalOperator
    private let context: ExecutionContext
    private let schema: Schema
    private let types: [DataType]
    private let table: any GroupKeyTable
    private var leftDone = false
    private var rightConsumed = false
    /// For INTERSECT/EXCEPT: the number of distinct right rows (groups below it exist on the right).
    private var rightGroupCount = 0
    /// For INTERSECT/EXCEPT ALL: remaining right copies per group.
    private var rightCounts: [Int] = []
    /// For INTERSECT: whether the group was already produced.
    private var emitted: [Bool] = []

    init(kind: SetOperationKind, isAll: Bool, left: any PhysicalOperator, right: any PhysicalOperator,
         columns: [PlanColumn], context: ExecutionContext) throws {
        guard left.columns.count == columns.count, right.columns.count == columns.count else {
            throw ExecutionError("each \(kind) query must have the same number of columns")
        }
        self.kind = kind
        self.isAll = isAll
        self.left = left
        self.right = right
        self.columns = columns
        self.context = context
        schema = BatchSupport.schema(of: columns)
        types = columns.map(\.dataType)
        table = makeGroupKeyTable(types: types)
        let kindName: String
        switch kind {
        case .union: kindName = "Union"
        case .intersect: kindName = "Intersect"
        case .except: kindName = "Except"
        }
        name = kindName + (isAll ? " All" : "")
    }

    func next() throws -> RecordBatch? {
        if kind != .union && !rightConsumed { try consumeRight() }
        while true {
            try context.checkCancellation()
            let source = leftDone ? right : left
            guard let batch = try source.next() else {
                if !leftDone && kind == .union {
                    leftDone = true
                    continue
                }
                return nil
            }
            if batch.rowCount == 0 { continue }
            let conformed = try zip(batch.columns, types).map { try BatchSupport.conform($0, to: $1) }
            let selected = try select(conformed, rowCount: batch.rowCount)
            guard let selected else {
                producedRows += batch.rowCount
                return RecordBatch(schema: schema, columns: conformed, rowCount: batch.rowCount)
            }
            if selected.isEmpty { continue }
            producedRows += selected.count
            return RecordBatch(schema: schema, columns: BatchSupport.take(conformed, selected), rowCount: selected.count)
        }
    }

    private func consumeRight() throws {
        rightConsumed = true
        var groups: [Int32] = []
        while let batch = try right.next() {
            try context.checkCancellation()
            if batch.rowCount == 0 { continue }
            let conformed = try zip(batch.columns, types).map { try BatchSupport.conform($0, to: $1) }
            var newRows: [Int32] = []
            try table.findOrInsert(conformed, rowCount: batch.rowCount, groups: &groups, newRows: &newRows)
            if isAll {
                if rightCounts.count < table.count { rightCounts.append(contentsOf: repeatElement(0, count: table.count - rightCounts.count)) }
                for row in 0..<batch.rowCount { rightCounts[Int(groups[row])] += 1 }
            }
        }
        rightGroupCount = table.count
        emitted = [Bool](repeating: false, count: rightGroupCount)
    }

    /// The rows of a batch to produce; nil for all of them.
    private func select(_ columns: [Column], rowCount: Int) throws -> [Int32]? {
        if kind == .union && isAll { return nil }
        var groups: [Int32] = []
        var newRows: [Int32] = []
        switch (kind, isAll) {
        case (.union, _):
            try table.findOrInsert(columns, rowCount: rowCount, groups: &groups, newRows: &newRows)
            return newRows
        case (.except, false):
            try table.findOrInsert(columns, rowCount: rowCount, groups: &groups, newRows: &newRows)
            return newRows
        case (.intersect, false):
            try table.find(columns, rowCount: rowCount, groups: &groups, nullsMatch: true)
            var selected: [Int32] = []
            for row in 0..<rowCount {
                let group = Int(groups[row])
                if group >= 0 && group < rightGroupCount && !emitted[group] {
                    emitted[group] = true
                    selected.append(Int32(row))
                }
            }
            return selected
        case (.intersect, true), (.except, true):
            try table.find(columns, rowCount: rowCount, groups: &groups, nullsMatch: true)
            var selected: [Int32] = []
            let keepMatches = kind == .intersect
            for row in 0..<rowCount {
                let group = Int(groups[row])
                let matched = group >= 0 && group < rightCounts.count && rightCounts[group] > 0
                if matched { rightCounts[group] -= 1 }
                if matched == keepMatches { selected.append(Int32(row)) }
            }
            return selected
        }
    }
}
