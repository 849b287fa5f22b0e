import Columnar
import LogicalPlan

/// The rows of a window operator's input sorted by one PARTITION BY / ORDER BY specification, with the
/// boundaries of partitions and of peer groups (rows of a partition with equal ORDER BY keys).
///
/// Positions (0..<count) are places in the sorted order; `order[position]` is the input row there. Peer groups
/// are numbered globally in sorted order and never span two partitions.
struct WindowOrdering {
    /// The number of rows.
    let count: Int
    /// Sorted position → input row.
    let order: [Int32]
    /// The first position of every partition, then `count`.
    let partitionBounds: [Int]
    /// Position → the number of its peer group.
    let peerGroup: [Int32]
    /// Peer group number → its first position; one extra entry `count` at the end.
    let peerGroupStarts: [Int32]

    /// Sorts `count` rows by the partition keys (any consistent order) then the ORDER BY keys, stably.
    init(count: Int, partitionKeys: [Column], orderKeys: [Column], orderBy: [SortKey]) throws {
        self.count = count
        guard count > 0 else {
            order = []
            partitionBounds = [0]
            peerGroup = []
            peerGroupStarts = [0]
            return
        }
        func keyDescription(_ column: Column, ascending: Bool, nullsFirst: Bool) -> SortKeyEncoder.Key {
            SortKeyEncoder.Key(type: column.dataType, isAscending: ascending, nullsFirst: nullsFirst,
                               includesNullFlag: column.nullCount > 0 || column.dataType == .null)
        }
        let partitionDescriptions = partitionKeys.map { keyDescription($0, ascending: true, nullsFirst: false) }
        let orderDescriptions = zip(orderKeys, orderBy).map { column, key in
            keyDescription(column, ascending: key.isAscending, nullsFirst: key.nullsFirst)
        }
        let allKeys = partitionKeys + orderKeys
        var sorted: [Int32]
        var partitionEncoding: EncodedKeys?
        var fullEncoding: EncodedKeys?
        if allKeys.isEmpty {
            sorted = Array(0..<Int32(truncatingIfNeeded: count))
        } else {
            let full = try SortKeyEncoder(keys: partitionDescriptions + orderDescriptions).encode(allKeys, rowCount: count)
            sorted = SortKeyOrdering.sortedRows(full)
            fullEncoding = full
            if !partitionKeys.isEmpty && !orderKeys.isEmpty {
                partitionEncoding = try SortKeyEncoder(keys: partitionDescriptions).encode(partitionKeys, rowCount: count)
            } else if !partitionKeys.isEmpty {
                partitionEncoding = full
            }
        }

        var bounds = [0]
        var groups = [Int32](repeating: 0, count: count)
        var groupStarts: [Int32] = [0]
        let hasOrderKeys = !orderKeys.isEmpty
        sorted.withUnsafeBufferPointer { sorted in
            groups.withUnsafeMutableBufferPointer { groups in
                Self.withRowComparison(partitionEncoding) { partitionDiffers in
                    Self.withRowComparison(hasOrderKeys ? fullEncoding : nil) { keysDiffer in
                        var group: Int32 = 0
                        for position in 1..<count {
                            let previous = Int(sorted[position - 1]), current = Int(sorted[position])
                            let newPartition = partitionDiffers(previous, current)
                            if newPartition { bounds.append(position) }
                            if newPartition || keysDiffer(previous, current) {
                                group += 1
                                groupStarts.append(Int32(truncatingIfNeeded: position))
                            }
                            groups[position] = group
                        }
                    }
                }
            }
        }
        bounds.append(count)
        groupStarts.append(Int32(truncatingIfNeeded: count))
        order = sorted
        partitionBounds = bounds
        peerGroup = groups
        peerGroupStarts = groupStarts
    }

    /// Calls `body` with a function telling whether two rows' encoded keys differ (never, without keys).
    private static func withRowComparison<R>(_ keys: EncodedKeys?, _ body: ((Int, Int) -> Bool) -> R) -> R {
        guard let keys else { return body { _, _ in false } }
        return keys.bytes.withUnsafeBytes { raw in
            keys.starts.withUnsafeBufferPointer { starts in
                guard let base = raw.baseAddress else { return body { _, _ in false } }
                return body { a, b in SortKeyOrdering.compare(base, starts, a, b) != 0 }
            }
        }
    }

    /// The number of partitions.
    var partitionCount: Int { partitionBounds.count - 1 }

    /// The positions of partition `index`.
    func partition(_ index: Int) -> Range<Int> { partitionBounds[index]..<partitionBounds[index + 1] }

    /// The first position of the peer group of `position`.
    @inline(__always)
    func peerStart(_ position: Int) -> Int { Int(peerGroupStarts[Int(peerGroup[position])]) }

    /// The position after the last of the peer group of `position`.
    @inline(__always)
    func peerEnd(_ position: Int) -> Int { Int(peerGroupStarts[Int(peerGroup[position]) + 1]) }

    /// The inverse of `order`: input row → sorted position.
    func positions() -> [Int32] {
        var result = [Int32](repeating: 0, count: count)
        for (position, row) in order.enumerated() { result[Int(row)] = Int32(truncatingIfNeeded: position) }
        return result
    }
}
