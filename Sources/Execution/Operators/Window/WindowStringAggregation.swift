import Columnar
import LogicalPlan

/// `string_agg(value, separator)` over window frames: the frame's non-NULL values in the window's order, each but
/// the first preceded by its own separator (nothing for a NULL separator); NULL for a frame without values.
///
/// Frames that start at the partition's start (and exclude nothing) extend one running string per partition:
/// O(n) work plus the output, which is itself the sum of the results' lengths. Other frames concatenate their
/// rows afresh: O(frame) a row, again proportional to the output.
enum WindowStringAggregation {
    /// The result of every frame, in input row order.
    static func compute(value: Column, separator: Column?, included: [Bool], ordering: WindowOrdering,
                        frame: WindowFrameBounds) throws -> Column {
        let count = ordering.count
        let values = try BatchSupport.conform(value, to: .utf8)
        let separators = try separator.map { try BatchSupport.conform($0, to: .utf8) }
        var builder = ColumnBuilder(.utf8, capacity: count)
        var totalBytes = 0
        /// Appends one result, in sorted-position order.
        func emit(_ text: [UInt8], hasValue: Bool) throws {
            guard hasValue else {
                builder.appendNull()
                return
            }
            totalBytes += text.count
            if totalBytes > Int(Int32.max) {
                throw ExecutionError("string_agg window results exceed the 2 GB limit of a string column")
            }
            text.withUnsafeBytes { builder.append(bytes: $0) }
        }
        /// Appends the value at `position` (with its separator unless it comes first).
        func append(_ position: Int, to text: inout [UInt8], hasValue: inout Bool) {
            let row = Int(ordering.order[position])
            if hasValue, let separators, !separators.isNull(row) {
                text.append(contentsOf: separators.stringBytes(at: row))
            }
            text.append(contentsOf: values.stringBytes(at: row))
            hasValue = true
        }

        var text: [UInt8] = []
        if frame.startsAtPartitionStart && !frame.hasExclusion {
            for index in 0..<ordering.partitionCount {
                let partition = ordering.partition(index)
                text.removeAll(keepingCapacity: true)
                var hasValue = false
                var next = partition.lowerBound
                for position in partition {
                    let end = Int(frame.ends[position])
                    while next < end {
                        if included[next] { append(next, to: &text, hasValue: &hasValue) }
                        next += 1
                    }
                    try emit(text, hasValue: hasValue)
                }
            }
        } else {
            for position in 0..<count {
                let segments = frame.segments(position, ordering)
                text.removeAll(keepingCapacity: true)
                var hasValue = false
                for source in segments.before where included[source] { append(source, to: &text, hasValue: &hasValue) }
                if let current = segments.current, included[current] {
                    append(current, to: &text, hasValue: &hasValue)
                }
                for source in segments.after where included[source] { append(source, to: &text, hasValue: &hasValue) }
                try emit(text, hasValue: hasValue)
            }
        }
        // The results are in sorted-position order: reorder them to input order.
        let byPosition = builder.finish()
        let positions = ordering.positions()
        return positions.withUnsafeBufferPointer { byPosition.take($0) }
    }
}
