import Columnar
import LogicalPlan

/// `string_agg(value, separator [ORDER BY ...])`: concatenates the non-null values of each group, putting
/// each value's separator before it (except the first); NULL for groups without values.
///
/// Rows are collected (group, value, separator, order keys) and the strings built at the end, after a stable
/// sort on the ORDER BY keys when there are any; otherwise values keep their input order.
final class StringAggregateAccumulator: AggregateAccumulator {
    private let orderBy: [SortKey]
    private let argumentCount: Int
    /// Each part: the rows' groups (int32), the value, the separator, then the order keys.
    private var parts: [[Column]] = []

    /// `arguments` of `update` are the call's `argumentCount` arguments followed by one column per ORDER BY key.
    init(orderBy: [SortKey], argumentCount: Int) {
        self.orderBy = orderBy
        self.argumentCount = argumentCount
    }

    func resize(groupCount: Int) {}

    func update(groups: UnsafeBufferPointer<Int32>, arguments: [Column]) throws {
        guard arguments.count == argumentCount + orderBy.count, argumentCount >= 1 else {
            throw ExecutionError("internal error: string_agg arguments")
        }
        let count = groups.count
        let value = try BatchSupport.conform(arguments[0], to: .utf8)
        let separator = argumentCount >= 2 ? try BatchSupport.conform(arguments[1], to: .utf8) : nullColumn(.utf8, count: count)
        var part = [BatchSupport.int32Column(groups), value, separator]
        for (position, key) in orderBy.enumerated() {
            part.append(try BatchSupport.conform(arguments[argumentCount + position], to: key.expression.dataType))
        }
        parts.append(part)
    }

    func merge(_ other: any AggregateAccumulator, groupMapping: UnsafeBufferPointer<Int32>) throws {
        guard let other = other as? StringAggregateAccumulator else { throw ExecutionError("internal error: merging different aggregates") }
        for var part in other.parts {
            let groups = part[0]
            var mapped = [Int32](repeating: 0, count: groups.count)
            for row in 0..<groups.count {
                let group = Int(groups.value(at: row, as: Int32.self))
                guard group < groupMapping.count else { throw ExecutionError("internal error: group mapping") }
                mapped[row] = groupMapping[group]
            }
            part[0] = mapped.withUnsafeBufferPointer { BatchSupport.int32Column($0) }
            parts.append(part)
        }
    }

    func finish(groupCount: Int) throws -> Column {
        if parts.isEmpty { return nullColumn(.utf8, count: groupCount) }
        let types: [DataType] = [.int32, .utf8, .utf8] + orderBy.map(\.expression.dataType)
        let all = BatchSupport.concatenate(parts, types: types)
        let rowCount = all[0].count
        var order: [Int32]
        if orderBy.isEmpty {
            order = (0..<rowCount).map { Int32(truncatingIfNeeded: $0) }
        } else {
            let keyColumns = Array(all[3...])
            let encoder = SortKeyEncoder(keys: orderBy.enumerated().map { position, key in
                SortKeyEncoder.Key(type: key.expression.dataType, isAscending: key.isAscending, nullsFirst: key.nullsFirst,
                                   includesNullFlag: true)
            })
            order = SortKeyOrdering.sortedRows(try encoder.encode(keyColumns, rowCount: rowCount))
        }
        let groups = all[0], values = all[1], separators = all[2]
        var texts = [[UInt8]?](repeating: nil, count: groupCount)
        for row in order {
            let index = Int(row)
            if values.isNull(index) { continue }
            let group = Int(groups.value(at: index, as: Int32.self))
            guard group >= 0 && group < groupCount else { throw ExecutionError("internal error: string_agg group") }
            if texts[group] == nil {
                texts[group] = Array(values.stringBytes(at: index))
            } else {
                if !separators.isNull(index) { texts[group]?.append(contentsOf: separators.stringBytes(at: index)) }
                texts[group]?.append(contentsOf: values.stringBytes(at: index))
            }
        }
        var builder = ColumnBuilder(.utf8, capacity: groupCount)
        for text in texts {
            if let text { text.withUnsafeBytes { builder.append(bytes: $0) } } else { builder.appendNull() }
        }
        return builder.finish()
    }
}
