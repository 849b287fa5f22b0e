import Columnar
import LogicalPlan

/// The window functions that return another row's value: `lag` and `lead` (relative to the current row, within
/// the partition, ignoring the frame) and `first_value`, `last_value`, `nth_value` (positions in the frame).
///
/// Each picks, for every row, the input row whose value it returns (or none, or the default), then gathers all
/// the values in one pass.
enum WindowNavigation {
    /// `lag(value, offset, default)` or `lead(...)`: the value `offset` rows before (after) the current row in
    /// its partition; the default (or NULL) when that row is outside the partition; NULL for a NULL offset.
    static func lagOrLead(isLead: Bool, _ ordering: WindowOrdering, value: Column, offset: Column?,
                          defaultValue: Column?, type: DataType) throws -> Column {
        let count = ordering.count
        // Indices into `value` followed by the defaults (or a single NULL at `count`).
        var sources = [Int32](repeating: Int32(truncatingIfNeeded: count), count: count)
        let offsets = offset?.dataType == .int64 ? offset?.values?.typed(Int64.self) : nil
        sources.withUnsafeMutableBufferPointer { sources in
            ordering.order.withUnsafeBufferPointer { order in
                for index in 0..<ordering.partitionCount {
                    let partition = ordering.partition(index)
                    for position in partition {
                        let row = Int(order[position])
                        var distance: Int64 = 1
                        if let offset {
                            guard let offsets, !offset.isNull(row) else { continue }
                            distance = offsets[row]
                        }
                        let (signed, negationOverflow) = isLead ? (distance, false) : Int64(0).subtractingReportingOverflow(distance)
                        let (target, overflow) = position.addingReportingOverflow(Int(signed))
                        if !negationOverflow && !overflow && partition.contains(target) {
                            sources[row] = order[target]
                        } else if defaultValue != nil {
                            sources[row] = Int32(truncatingIfNeeded: count + row)
                        }
                    }
                }
            }
        }
        let extra = try defaultValue.map { try BatchSupport.conform($0, to: type) } ?? nullColumn(type, count: 1)
        return gather(from: try BatchSupport.conform(value, to: type), extra: extra, sources: sources, type: type)
    }

    /// Which row of the frame a function returns.
    enum FramePosition {
        case first
        case last
        /// The n-th row (1-based), n per row.
        case nth(Column)
    }

    /// `first_value`, `last_value` or `nth_value`: the value at a row of the frame; NULL for an empty frame or
    /// one with fewer than n rows.
    static func frameValue(_ which: FramePosition, _ ordering: WindowOrdering, frame: WindowFrameBounds,
                           value: Column, type: DataType) throws -> Column {
        let count = ordering.count
        var sources = [Int32](repeating: Int32(truncatingIfNeeded: count), count: count)
        try sources.withUnsafeMutableBufferPointer { sources in
            try ordering.order.withUnsafeBufferPointer { order in
                for position in 0..<count {
                    let row = Int(order[position])
                    let start = Int(frame.starts[position]), end = Int(frame.ends[position])
                    switch which {
                    case .first:
                        if start < end { sources[row] = order[start] }
                    case .last:
                        if start < end { sources[row] = order[end - 1] }
                    case .nth(let column):
                        guard column.dataType == .int64, !column.isNull(row) else { continue }
                        let n = column.value(at: row, as: Int64.self)
                        if n <= 0 { throw ExecutionError("argument of nth_value must be greater than zero") }
                        if n <= Int64(end - start) { sources[row] = order[start + Int(n) - 1] }
                    }
                }
            }
        }
        return gather(from: try BatchSupport.conform(value, to: type), extra: nullColumn(type, count: 1),
                      sources: sources, type: type)
    }

    /// The rows of `values` followed by `extra` at `sources` (indices into the two, back to back).
    static func gather(from values: Column, extra: Column, sources: [Int32], type: DataType) -> Column {
        let combined = BatchSupport.concatenate([[values], [extra]], types: [type])[0]
        return sources.withUnsafeBufferPointer { combined.take($0) }
    }
}
