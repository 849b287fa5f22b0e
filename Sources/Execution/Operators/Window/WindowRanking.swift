import Columnar
import LogicalPlan

/// The ranking window functions, which see only partitions, the sorted order and peer groups (never the frame):
/// `row_number`, `rank`, `dense_rank`, `percent_rank`, `cume_dist` and `ntile`. Each returns a column in input
/// row order.
enum WindowRanking {
    /// `row_number()`, `rank()` or `dense_rank()`: BIGINT, never NULL.
    static func ranks(_ function: WindowFunction, _ ordering: WindowOrdering) -> Column {
        var values = [Int64](repeating: 0, count: ordering.count)
        values.withUnsafeMutableBufferPointer { values in
            ordering.order.withUnsafeBufferPointer { order in
                for index in 0..<ordering.partitionCount {
                    let partition = ordering.partition(index)
                    let firstGroup = Int64(ordering.peerGroup[partition.lowerBound])
                    for position in partition {
                        let value: Int64
                        switch function {
                        case .rank: value = Int64(ordering.peerStart(position) - partition.lowerBound + 1)
                        case .denseRank: value = Int64(ordering.peerGroup[position]) - firstGroup + 1
                        default: value = Int64(position - partition.lowerBound + 1)
                        }
                        values[Int(order[position])] = value
                    }
                }
            }
        }
        return values.withUnsafeBufferPointer { BatchSupport.fixedColumn(.int64, values: $0, valid: nil) }
    }

    /// `percent_rank()` or `cume_dist()`: DOUBLE, never NULL.
    static func distribution(_ function: WindowFunction, _ ordering: WindowOrdering) -> Column {
        var values = [Double](repeating: 0, count: ordering.count)
        values.withUnsafeMutableBufferPointer { values in
            ordering.order.withUnsafeBufferPointer { order in
                for index in 0..<ordering.partitionCount {
                    let partition = ordering.partition(index)
                    let size = Double(partition.count)
                    for position in partition {
                        let value: Double
                        if function == .percentRank {
                            let rank = Double(ordering.peerStart(position) - partition.lowerBound)
                            value = partition.count > 1 ? rank / (size - 1) : 0
                        } else {
                            value = Double(ordering.peerEnd(position) - partition.lowerBound) / size
                        }
                        values[Int(order[position])] = value
                    }
                }
            }
        }
        return values.withUnsafeBufferPointer { BatchSupport.fixedColumn(.float64, values: $0, valid: nil) }
    }

    /// `ntile(buckets)`: the bucket of each row when its partition is split into `buckets` groups whose sizes
    /// differ by at most one, larger groups first. NULL where `buckets` is NULL; an error where it is not positive.
    static func ntile(_ ordering: WindowOrdering, buckets: Column) throws -> Column {
        let count = ordering.count
        var values = [Int64](repeating: 0, count: count)
        var valid = [Bool](repeating: true, count: count)
        let bucketValues = buckets.dataType == .int64 ? buckets.values?.typed(Int64.self) : nil
        try values.withUnsafeMutableBufferPointer { values in
            try valid.withUnsafeMutableBufferPointer { valid in
                for index in 0..<ordering.partitionCount {
                    let partition = ordering.partition(index)
                    let total = Int64(partition.count)
                    for position in partition {
                        let row = Int(ordering.order[position])
                        guard let bucketValues, !buckets.isNull(row) else {
                            valid[row] = false
                            continue
                        }
                        let requested = bucketValues[row]
                        if requested <= 0 { throw ExecutionError("argument of ntile must be greater than zero") }
                        let bucketCount = min(requested, total)
                        let size = total / bucketCount
                        let larger = total - bucketCount * size
                        let largerRows = larger * (size + 1)
                        let offset = Int64(position - partition.lowerBound)
                        values[row] = offset < largerRows ? 1 + offset / (size + 1) : 1 + larger + (offset - largerRows) / size
                    }
                }
            }
        }
        return values.withUnsafeBufferPointer { values in
            valid.withUnsafeBufferPointer { BatchSupport.fixedColumn(.int64, values: values, valid: $0) }
        }
    }
}
