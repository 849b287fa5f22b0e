import Columnar
import LogicalPlan

/// The frame of every sorted position for one window call: positions `starts[p]..<ends[p]`, always inside the
/// position's partition (empty when `starts[p] == ends[p]`).
///
/// Both ends are non-decreasing within a partition for every frame SQL allows, which the aggregates rely on.
/// ROWS counts positions, GROUPS peer groups; RANGE compares the single ORDER BY key with the current row's
/// (NULL keys are peers of each other and outside every offset range of a non-NULL row, as in PostgreSQL).
///
/// `EXCLUDE` is not applied to `starts` / `ends`: `segments(_:_:)` removes the excluded rows, leaving up to two
/// ranges and the current row.
struct WindowFrameBounds {
    var starts: [Int32]
    var ends: [Int32]

    /// Whether every frame starts at its partition's first row (before any exclusion).
    let startsAtPartitionStart: Bool
    /// Whether every frame ends at its partition's last row (before any exclusion).
    let endsAtPartitionEnd: Bool
    /// The rows left out of every frame.
    let exclusion: WindowFrame.Exclusion

    /// Whether some rows are excluded, so that a frame may not be one range of positions.
    var hasExclusion: Bool { exclusion != .noOthers }

    /// The rows of one frame after its exclusion, in increasing position order: `before`, then `current` (when
    /// it is not nil), then `after`.
    struct Segments {
        var before: Range<Int>
        /// The current row, kept by `EXCLUDE TIES` between its excluded peers.
        var current: Int?
        var after: Range<Int>
    }

    /// The frame of `position` without its excluded rows.
    @inline(__always)
    func segments(_ position: Int, _ ordering: WindowOrdering) -> Segments {
        let start = Int(starts[position]), end = Int(ends[position])
        let excludedStart: Int, excludedEnd: Int
        switch exclusion {
        case .noOthers: return Segments(before: start..<end, current: nil, after: end..<end)
        case .currentRow: (excludedStart, excludedEnd) = (position, position + 1)
        case .group, .ties: (excludedStart, excludedEnd) = (ordering.peerStart(position), ordering.peerEnd(position))
        }
        let keepsCurrent = exclusion == .ties && start <= position && position < end
        return Segments(before: start..<max(start, min(end, excludedStart)), current: keepsCurrent ? position : nil,
                        after: min(end, max(start, excludedEnd))..<end)
    }

    /// Computes the frames. `orderKey` is the single ORDER BY key (input order), needed for RANGE offsets.
    init(_ frame: WindowFrame, ordering: WindowOrdering, orderKey: Column?, orderBy: [SortKey]) throws {
        let count = ordering.count
        starts = [Int32](repeating: 0, count: count)
        ends = [Int32](repeating: 0, count: count)
        startsAtPartitionStart = frame.start == .unboundedPreceding
        endsAtPartitionEnd = frame.end == .unboundedFollowing
        exclusion = frame.exclusion
        if count == 0 { return }
        switch frame.units {
        case .rows:
            let start = try Self.physicalOffset(frame.start, isStart: true)
            let end = try Self.physicalOffset(frame.end, isStart: false)
            fill(ordering) { position, partition, _ in
                (Self.rowsBound(start, position: position, partition: partition, isStart: true),
                 Self.rowsBound(end, position: position, partition: partition, isStart: false))
            }
        case .groups:
            let start = try Self.physicalOffset(frame.start, isStart: true)
            let end = try Self.physicalOffset(frame.end, isStart: false)
            fill(ordering) { position, partition, _ in
                (Self.groupsBound(start, ordering, position: position, partition: partition, isStart: true),
                 Self.groupsBound(end, ordering, position: position, partition: partition, isStart: false))
            }
        case .range:
            var hasOffset = false
            for bound in [frame.start, frame.end] {
                if case .preceding = bound { hasOffset = true }
                if case .following = bound { hasOffset = true }
            }
            if hasOffset {
                guard let orderKey, let key = orderBy.first, orderBy.count == 1 else {
                    throw ExecutionError("RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column")
                }
                let range = try WindowRangeSearch(frame: frame, ordering: ordering, key: orderKey, sortKey: key)
                fill(ordering) { position, partition, index in
                    (range.bound(frame.start, position: position, partition: index, isStart: true),
                     range.bound(frame.end, position: position, partition: index, isStart: false))
                }
            } else {
                fill(ordering) { position, partition, _ in
                    (Self.peerBound(frame.start, ordering, position: position, partition: partition, isStart: true),
                     Self.peerBound(frame.end, ordering, position: position, partition: partition, isStart: false))
                }
            }
        }
    }

    /// Sets every position's frame from `bound(position, partition, partition index)`, clamped to the partition
    /// (an end before the start makes an empty frame).
    private mutating func fill(_ ordering: WindowOrdering, _ bound: (Int, Range<Int>, Int) -> (Int, Int)) {
        starts.withUnsafeMutableBufferPointer { starts in
            ends.withUnsafeMutableBufferPointer { ends in
                for index in 0..<ordering.partitionCount {
                    let partition = ordering.partition(index)
                    for position in partition {
                        var (start, end) = bound(position, partition, index)
                        start = min(max(start, partition.lowerBound), partition.upperBound)
                        end = min(max(end, start), partition.upperBound)
                        starts[position] = Int32(truncatingIfNeeded: start)
                        ends[position] = Int32(truncatingIfNeeded: end)
                    }
                }
            }
        }
    }

    /// A ROWS or GROUPS bound with its offset evaluated: negative for PRECEDING, nil for UNBOUNDED.
    enum PhysicalBound {
        case unboundedPreceding
        case offset(Int64, isPreceding: Bool)
        case currentRow
        case unboundedFollowing
    }

    private static func physicalOffset(_ bound: WindowFrame.Bound, isStart: Bool) throws -> PhysicalBound {
        switch bound {
        case .unboundedPreceding: return .unboundedPreceding
        case .currentRow: return .currentRow
        case .unboundedFollowing: return .unboundedFollowing
        case .preceding(let expression), .following(let expression):
            var isPreceding = false
            if case .preceding = bound { isPreceding = true }
            let value = try frameOffsetValue(expression, isStart: isStart)
            let amount: Int64
            switch value {
            case .int8(let number): amount = Int64(number)
            case .int16(let number): amount = Int64(number)
            case .int32(let number): amount = Int64(number)
            case .int64(let number): amount = number
            default: throw ExecutionError("internal error: frame offset of type \(value.dataType)")
            }
            if amount < 0 {
                throw ExecutionError("frame \(isStart ? "starting" : "ending") offset must not be negative")
            }
            return .offset(amount, isPreceding: isPreceding)
        }
    }

    /// The value of a constant frame offset; an error when it is NULL.
    static func frameOffsetValue(_ expression: Expression, isStart: Bool) throws -> Value {
        let value = try evaluateConstant(expression)
        if value.isNull {
            throw ExecutionError("frame \(isStart ? "starting" : "ending") offset must not be null")
        }
        return value
    }

    /// `position ± amount`, saturating instead of overflowing.
    @inline(__always)
    private static func shifted(_ position: Int, _ amount: Int64, isPreceding: Bool) -> Int {
        let (result, overflow) = isPreceding ? position.subtractingReportingOverflow(Int(amount))
            : position.addingReportingOverflow(Int(amount))
        if overflow { return isPreceding ? Int.min : Int.max }
        return result
    }

    private static func rowsBound(_ bound: PhysicalBound, position: Int, partition: Range<Int>, isStart: Bool) -> Int {
        let adjustment = isStart ? 0 : 1
        switch bound {
        case .unboundedPreceding: return partition.lowerBound
        case .unboundedFollowing: return partition.upperBound
        case .currentRow: return position + adjustment
        case .offset(let amount, let isPreceding):
            let target = shifted(position, amount, isPreceding: isPreceding)
            // Clamp before adding one for an end, so that saturated values cannot overflow.
            return min(max(target, partition.lowerBound - 1), partition.upperBound) + adjustment
        }
    }

    private static func groupsBound(_ bound: PhysicalBound, _ ordering: WindowOrdering, position: Int,
                                    partition: Range<Int>, isStart: Bool) -> Int {
        switch bound {
        case .unboundedPreceding: return partition.lowerBound
        case .unboundedFollowing: return partition.upperBound
        case .currentRow: return isStart ? ordering.peerStart(position) : ordering.peerEnd(position)
        case .offset(let amount, let isPreceding):
            let group = Int(ordering.peerGroup[position])
            let first = Int(ordering.peerGroup[partition.lowerBound])
            let last = Int(ordering.peerGroup[partition.upperBound - 1])
            let target = shifted(group, amount, isPreceding: isPreceding)
            if target < first { return partition.lowerBound }
            if target > last { return partition.upperBound }
            return Int(ordering.peerGroupStarts[isStart ? target : target + 1])
        }
    }

    private static func peerBound(_ bound: WindowFrame.Bound, _ ordering: WindowOrdering, position: Int,
                                  partition: Range<Int>, isStart: Bool) -> Int {
        switch bound {
        case .unboundedPreceding: return partition.lowerBound
        case .unboundedFollowing: return partition.upperBound
        case .currentRow, .preceding, .following: return isStart ? ordering.peerStart(position) : ordering.peerEnd(position)
        }
    }
}
