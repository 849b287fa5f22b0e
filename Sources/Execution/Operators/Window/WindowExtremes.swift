#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Columnar
import LogicalPlan

/// Orders the rows of one column (by input row) as MIN and MAX do: numbers by value with NaN largest, strings by
/// their bytes, booleans false before true.
protocol WindowRowOrder {
    /// Whether input row `left`'s value sorts strictly before input row `right`'s.
    func sortsBefore(_ left: Int, _ right: Int) -> Bool
}

/// Fixed-width values compared with `AggregateOrderedValue` (the hash aggregate's MIN / MAX ordering).
struct FixedRowOrder<T: AggregateOrderedValue>: WindowRowOrder {
    let values: UnsafeMutablePointer<T>
    @inline(__always)
    func sortsBefore(_ left: Int, _ right: Int) -> Bool { T.sortsBefore(values[left], values[right]) }
}

/// Strings compared by their UTF-8 bytes (the C collation).
struct StringRowOrder: WindowRowOrder {
    let column: Column
    @inline(__always)
    func sortsBefore(_ left: Int, _ right: Int) -> Bool {
        let a = column.stringBytes(at: left), b = column.stringBytes(at: right)
        let common = min(a.count, b.count)
        if common > 0, let baseA = a.baseAddress, let baseB = b.baseAddress {
            let result = memcmp(baseA, baseB, common)
            if result != 0 { return result < 0 }
        }
        return a.count < b.count
    }
}

/// Booleans, false before true.
struct BooleanRowOrder: WindowRowOrder {
    let column: Column
    @inline(__always)
    func sortsBefore(_ left: Int, _ right: Int) -> Bool { !column.boolean(at: left) && column.boolean(at: right) }
}

/// The smallest or largest value of every window frame with a monotonic deque: candidates in increasing
/// position whose values strictly improve towards the back; the front is the frame's extreme. Frames with
/// `EXCLUDE` are not sliding ranges: they query a segment tree of each range's best position instead
/// (O(n) to build, O(log n) a frame).
enum WindowExtremes {
    /// Input row → the input row holding its frame's extreme included value, or `count` (meaning NULL).
    static func sources(_ argument: Column, isMaximum: Bool, included: [Bool], ordering: WindowOrdering,
                        frame: WindowFrameBounds) throws -> [Int32] {
        switch argument.dataType {
        case .boolean: return scan(BooleanRowOrder(column: argument), isMaximum, included, ordering, frame)
        case .utf8: return scan(StringRowOrder(column: argument), isMaximum, included, ordering, frame)
        case .int8: return try fixed(argument, Int8.self, isMaximum, included, ordering, frame)
        case .int16: return try fixed(argument, Int16.self, isMaximum, included, ordering, frame)
        case .int32, .date32: return try fixed(argument, Int32.self, isMaximum, included, ordering, frame)
        case .int64: return try fixed(argument, Int64.self, isMaximum, included, ordering, frame)
        case .float32: return try fixed(argument, Float.self, isMaximum, included, ordering, frame)
        case .float64: return try fixed(argument, Double.self, isMaximum, included, ordering, frame)
        case .decimal128: return try fixed(argument, Int128.self, isMaximum, included, ordering, frame)
        case .interval: return try fixed(argument, IntervalValue.self, isMaximum, included, ordering, frame)
        case .null:
            return [Int32](repeating: Int32(truncatingIfNeeded: ordering.count), count: ordering.count)
        }
    }

    private static func fixed<T: AggregateOrderedValue>(_ column: Column, _ type: T.Type, _ isMaximum: Bool,
                                                       _ included: [Bool], _ ordering: WindowOrdering,
                                                       _ frame: WindowFrameBounds) throws -> [Int32] {
        guard let buffer = column.values else { throw ExecutionError("internal error: column without values") }
        return scan(FixedRowOrder(values: buffer.typed(T.self)), isMaximum, included, ordering, frame)
    }

    private static func scan<Order: WindowRowOrder>(_ rowOrder: Order, _ isMaximum: Bool, _ included: [Bool],
                                                    _ ordering: WindowOrdering, _ frame: WindowFrameBounds) -> [Int32] {
        if frame.hasExclusion { return treeScan(rowOrder, isMaximum, included, ordering, frame) }
        let count = ordering.count
        var sources = [Int32](repeating: Int32(truncatingIfNeeded: count), count: count)
        // Each position enters the deque at most once, so a plain array with a moving front suffices.
        var deque = [Int32](repeating: 0, count: count)
        sources.withUnsafeMutableBufferPointer { sources in
            deque.withUnsafeMutableBufferPointer { deque in
                ordering.order.withUnsafeBufferPointer { order in
                    included.withUnsafeBufferPointer { included in
                        frame.starts.withUnsafeBufferPointer { starts in
                            frame.ends.withUnsafeBufferPointer { ends in
                                for index in 0..<ordering.partitionCount {
                                    let partition = ordering.partition(index)
                                    var front = partition.lowerBound, back = partition.lowerBound
                                    var next = partition.lowerBound
                                    for position in partition {
                                        let end = Int(ends[position])
                                        while next < end {
                                            if included[next] {
                                                let row = Int(order[next])
                                                // Drop candidates the new row beats or ties (it leaves the frame later).
                                                while back > front {
                                                    let last = Int(order[Int(deque[back - 1])])
                                                    let isKept = isMaximum ? rowOrder.sortsBefore(row, last)
                                                        : rowOrder.sortsBefore(last, row)
                                                    if isKept { break }
                                                    back -= 1
                                                }
                                                deque[back] = Int32(truncatingIfNeeded: next)
                                                back += 1
                                            }
                                            next += 1
                                        }
                                        let start = Int(starts[position])
                                        while front < back && Int(deque[front]) < start { front += 1 }
                                        if front < back { sources[Int(order[position])] = order[Int(deque[front])] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return sources
    }
}

extension WindowExtremes {
    /// The extremes of frames with excluded rows, from a segment tree whose nodes hold the position of their
    /// range's best included row (-1 for none). Ties keep the earlier position.
    private static func treeScan<Order: WindowRowOrder>(_ rowOrder: Order, _ isMaximum: Bool, _ included: [Bool],
                                                        _ ordering: WindowOrdering, _ frame: WindowFrameBounds)
        -> [Int32]
    {
        let count = ordering.count
        var sources = [Int32](repeating: Int32(truncatingIfNeeded: count), count: count)
        var nodes = [Int32](repeating: -1, count: 2 * max(count, 1))
        ordering.order.withUnsafeBufferPointer { order in
            nodes.withUnsafeMutableBufferPointer { nodes in
                /// The better of two positions (either may be -1).
                @inline(__always)
                func better(_ left: Int32, _ right: Int32) -> Int32 {
                    if left < 0 { return right }
                    if right < 0 { return left }
                    let leftRow = Int(order[Int(left)]), rightRow = Int(order[Int(right)])
                    let rightWins = isMaximum ? rowOrder.sortsBefore(leftRow, rightRow)
                        : rowOrder.sortsBefore(rightRow, leftRow)
                    return rightWins ? right : left
                }
                for position in 0..<count where included[position] {
                    nodes[count + position] = Int32(truncatingIfNeeded: position)
                }
                if count > 1 {
                    for index in stride(from: count - 1, through: 1, by: -1) {
                        nodes[index] = better(nodes[2 * index], nodes[2 * index + 1])
                    }
                }
                /// The best position in `range`, combining nodes left to right.
                func best(_ range: Range<Int>) -> Int32 {
                    var left = range.lowerBound + count, right = range.upperBound + count
                    var leftBest: Int32 = -1, rightBest: Int32 = -1
                    while left < right {
                        if left & 1 == 1 {
                            leftBest = better(leftBest, nodes[left])
                            left += 1
                        }
                        if right & 1 == 1 {
                            right -= 1
                            rightBest = better(nodes[right], rightBest)
                        }
                        left >>= 1
                        right >>= 1
                    }
                    return better(leftBest, rightBest)
                }
                for position in 0..<count {
                    let segments = frame.segments(position, ordering)
                    var result = best(segments.before)
                    if let current = segments.current, included[current] {
                        result = better(result, Int32(truncatingIfNeeded: current))
                    }
                    result = better(result, best(segments.after))
                    if result >= 0 { sources[Int(order[position])] = order[Int(result)] }
                }
            }
        }
        return sources
    }
}
