import Columnar
import LogicalPlan

/// The window functions that return another row's value: `lag` and `lead` (relative to the current row, within
/// the partition, ignoring the frame) and `first_value`, `last_value`, `nth_value` (positions in the frame).
///
/// Each picks, for every row, the input row whose value it returns (or none, or the default), then gathers all
/// the values in one pass. With `IGNORE NULLS` (DuckDB's semantics) only rows whose value is not NULL count:
/// `lag(x, n)` is the n-th such row before the current one, `first_value` the frame's first such row, and so
/// on; a prefix count of those rows keeps every choice O(1).
enum WindowNavigation {
    /// `lag(value, offset, default)` or `lead(...)`: the value `offset` rows before (after) the current row in
    /// its partition; the default (or NULL) when that row is outside the partition; NULL for a NULL offset.
    /// With `ignoresNulls`, rows whose value is NULL are not counted (offset 0 is still the current row).
    static func lagOrLead(isLead: Bool, _ ordering: WindowOrdering, value: Column, offset: Column?,
                          defaultValue: Column?, ignoresNulls: Bool = false, type: DataType) throws -> Column {
        let count = ordering.count
        let counted = ignoresNulls ? CountedRows(value, ordering) : nil
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
                        var (target, overflow) = position.addingReportingOverflow(Int(signed))
                        if let counted, signed != 0, !negationOverflow {
                            target = counted.shifted(position, by: Int(signed), within: partition) ?? -1
                            overflow = false
                        }
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

    /// `first_value`, `last_value` or `nth_value`: the value at a row of the frame (without its excluded rows,
    /// and counting only non-NULL values with `ignoresNulls`); NULL for an empty frame or one with fewer than n
    /// rows.
    static func frameValue(_ which: FramePosition, _ ordering: WindowOrdering, frame: WindowFrameBounds,
                           value: Column, ignoresNulls: Bool = false, type: DataType) throws -> Column {
        let count = ordering.count
        let counted = ignoresNulls ? CountedRows(value, ordering) : nil
        var sources = [Int32](repeating: Int32(truncatingIfNeeded: count), count: count)
        try sources.withUnsafeMutableBufferPointer { sources in
            try ordering.order.withUnsafeBufferPointer { order in
                for position in 0..<count {
                    let row = Int(order[position])
                    let segments = frame.segments(position, ordering)
                    // The frame as up to three ranges, in order.
                    let current = segments.current.map { $0..<($0 + 1) } ?? segments.after.lowerBound..<segments.after.lowerBound
                    let ranges = (segments.before, current, segments.after)
                    /// The number of counted rows in a range.
                    func size(_ range: Range<Int>) -> Int { counted?.count(in: range) ?? range.count }
                    /// The k-th (1-based) counted row of a range that holds at least k.
                    func element(_ k: Int, of range: Range<Int>) -> Int {
                        counted?.position(k, in: range) ?? range.lowerBound + k - 1
                    }
                    var n: Int
                    switch which {
                    case .first:
                        n = 1
                    case .last:
                        n = size(ranges.0) + size(ranges.1) + size(ranges.2)
                        if n == 0 { continue }
                    case .nth(let column):
                        guard column.dataType == .int64, !column.isNull(row) else { continue }
                        let requested = column.value(at: row, as: Int64.self)
                        if requested <= 0 { throw ExecutionError("argument of nth_value must be greater than zero") }
                        guard requested <= Int64(count) else { continue }
                        n = Int(requested)
                    }
                    for part in 0..<3 {
                        let range = part == 0 ? ranges.0 : (part == 1 ? ranges.1 : ranges.2)
                        let available = size(range)
                        if n <= available {
                            sources[row] = order[element(n, of: range)]
                            break
                        }
                        n -= available
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

/// The rows whose value is not NULL, by sorted position, for `IGNORE NULLS`: counts in ranges of positions and
/// the k-th such row of a range, both O(1).
struct CountedRows {
    /// `prefix[p]`: the number of counted positions before `p`.
    private let prefix: [Int32]
    /// The counted positions, increasing.
    private let positions: [Int32]

    init(_ value: Column, _ ordering: WindowOrdering) {
        var prefix = [Int32](repeating: 0, count: ordering.count + 1)
        var positions: [Int32] = []
        for (position, row) in ordering.order.enumerated() {
            let isCounted = !value.isNull(Int(row))
            if isCounted { positions.append(Int32(truncatingIfNeeded: position)) }
            prefix[position + 1] = prefix[position] &+ (isCounted ? 1 : 0)
        }
        self.prefix = prefix
        self.positions = positions
    }

    /// The number of counted positions in `range`.
    @inline(__always)
    func count(in range: Range<Int>) -> Int { Int(prefix[range.upperBound] &- prefix[range.lowerBound]) }

    /// The k-th (1-based) counted position of `range`, which holds at least k.
    @inline(__always)
    func position(_ k: Int, in range: Range<Int>) -> Int { Int(positions[Int(prefix[range.lowerBound]) + k - 1]) }

    /// The counted position `distance` counted positions after (before, when negative) `position`, within
    /// `partition`; nil when there is none.
    func shifted(_ position: Int, by distance: Int, within partition: Range<Int>) -> Int? {
        let index: Int
        if distance > 0 {
            let (target, overflow) = Int(prefix[position + 1]).addingReportingOverflow(distance - 1)
            guard !overflow, target < Int(prefix[partition.upperBound]) else { return nil }
            index = target
        } else {
            let (target, overflow) = Int(prefix[position]).addingReportingOverflow(distance)
            guard !overflow, target >= Int(prefix[partition.lowerBound]) else { return nil }
            index = target
        }
        return Int(positions[index])
    }
}
