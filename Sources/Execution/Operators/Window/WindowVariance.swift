import Columnar
import LogicalPlan

/// `stddev_samp`, `stddev_pop`, `var_samp` and `var_pop` over window frames, in double precision without the
/// cancellation of sums of squares:
/// - whole-partition frames run Welford's update over the partition's rows in input order, exactly as the GROUP BY
///   aggregate does, so the results round the same: O(n);
/// - frames that start at the partition's start (and exclude nothing) run Welford's update as the end moves
///   forward: O(n);
/// - every other frame (moving, or with EXCLUDE) queries a segment tree of (count, mean, squared deviations)
///   nodes merged with Chan's formula: O(n) to build, O(log n) a frame.
/// Sample variants are NULL below two values, population variants NULL without values.
enum WindowVariance {
    /// Welford's state of a set of values.
    struct Moments {
        var count: Int64 = 0
        var mean = 0.0
        var squaredDeviations = 0.0

        /// Adds one value (Welford, as the GROUP BY aggregate does).
        @inline(__always)
        mutating func add(_ value: Double) {
            VarianceAccumulator.add(value, count: &count, mean: &mean, squaredDeviations: &squaredDeviations)
        }

        /// The moments of the union of two disjoint sets (Chan et al.).
        @inline(__always)
        static func merged(_ left: Moments, _ right: Moments) -> Moments {
            if left.count == 0 { return right }
            if right.count == 0 { return left }
            let leftCount = Double(left.count), rightCount = Double(right.count)
            let total = leftCount + rightCount
            let delta = right.mean - left.mean
            return Moments(count: left.count &+ right.count, mean: left.mean + delta * rightCount / total,
                           squaredDeviations: left.squaredDeviations + right.squaredDeviations
                               + delta * delta * leftCount * rightCount / total)
        }
    }

    /// The statistic of every frame, in input row order.
    static func compute(_ function: AggregateFunction, argument: Column, included: [Bool], ordering: WindowOrdering,
                        frame: WindowFrameBounds) -> Column {
        let count = ordering.count
        let rowValues = NumericInput.doubles(argument)
        var moments = [Moments](repeating: Moments(), count: count)
        if frame.startsAtPartitionStart && frame.endsAtPartitionEnd && !frame.hasExclusion {
            wholePartitions(rowValues, included: included, ordering: ordering, into: &moments)
        } else if frame.startsAtPartitionStart && !frame.hasExclusion {
            cumulative(rowValues, included: included, ordering: ordering, frame: frame, into: &moments)
        } else {
            moving(rowValues, included: included, ordering: ordering, frame: frame, into: &moments)
        }
        let kind = VarianceAccumulator.Kind(function) ?? .variancePopulation
        var results = [Double](repeating: 0, count: count)
        var valid = [Bool](repeating: false, count: count)
        for row in 0..<count {
            guard let value = VarianceAccumulator.statistic(count: moments[row].count,
                                                            squaredDeviations: moments[row].squaredDeviations,
                                                            kind: kind) else { continue }
            valid[row] = true
            results[row] = value
        }
        return results.withUnsafeBufferPointer { results in
            valid.withUnsafeBufferPointer { BatchSupport.fixedColumn(.float64, values: results, valid: $0) }
        }
    }

    /// Whole partitions: one Welford pass over the input rows in input order, the partition's state for each row.
    private static func wholePartitions(_ rowValues: [Double], included: [Bool], ordering: WindowOrdering,
                                        into moments: inout [Moments]) {
        let count = ordering.count
        var partitionOfRow = [Int32](repeating: 0, count: count)
        var includedRow = [Bool](repeating: false, count: count)
        for index in 0..<ordering.partitionCount {
            for position in ordering.partition(index) {
                let row = Int(ordering.order[position])
                partitionOfRow[row] = Int32(truncatingIfNeeded: index)
                includedRow[row] = included[position]
            }
        }
        var states = [Moments](repeating: Moments(), count: ordering.partitionCount)
        for row in 0..<count where includedRow[row] { states[Int(partitionOfRow[row])].add(rowValues[row]) }
        for row in 0..<count { moments[row] = states[Int(partitionOfRow[row])] }
    }

    /// Frames growing from the partition's start: Welford's update as each frame end moves forward.
    private static func cumulative(_ rowValues: [Double], included: [Bool], ordering: WindowOrdering,
                                   frame: WindowFrameBounds, into moments: inout [Moments]) {
        for index in 0..<ordering.partitionCount {
            let partition = ordering.partition(index)
            var state = Moments()
            var next = partition.lowerBound
            for position in partition {
                let end = Int(frame.ends[position])
                while next < end {
                    if included[next] { state.add(rowValues[Int(ordering.order[next])]) }
                    next += 1
                }
                moments[Int(ordering.order[position])] = state
            }
        }
    }

    /// Any frame: a segment tree over positions whose leaves are single included values.
    private static func moving(_ rowValues: [Double], included: [Bool], ordering: WindowOrdering,
                               frame: WindowFrameBounds, into moments: inout [Moments]) {
        let count = ordering.count
        var leaves = [Moments](repeating: Moments(), count: count)
        for position in 0..<count where included[position] {
            leaves[position] = Moments(count: 1, mean: rowValues[Int(ordering.order[position])], squaredDeviations: 0)
        }
        let tree = MomentsSegmentTree(leaves)
        for position in 0..<count {
            let segments = frame.segments(position, ordering)
            var state = tree.moments(segments.before)
            if let current = segments.current { state = Moments.merged(state, leaves[current]) }
            if !segments.after.isEmpty { state = Moments.merged(state, tree.moments(segments.after)) }
            moments[Int(ordering.order[position])] = state
        }
    }
}

/// Moments of ranges of positions in O(log n): an implicit binary tree whose leaves are the positions' moments,
/// merged left to right.
struct MomentsSegmentTree {
    private let leafCount: Int
    private var nodes: [WindowVariance.Moments]

    init(_ leaves: [WindowVariance.Moments]) {
        leafCount = leaves.count
        nodes = [WindowVariance.Moments](repeating: WindowVariance.Moments(), count: 2 * max(leaves.count, 1))
        for (index, leaf) in leaves.enumerated() { nodes[leafCount + index] = leaf }
        if leafCount > 1 {
            for index in stride(from: leafCount - 1, through: 1, by: -1) {
                nodes[index] = .merged(nodes[2 * index], nodes[2 * index + 1])
            }
        }
    }

    /// The moments of the values in `range`.
    func moments(_ range: Range<Int>) -> WindowVariance.Moments {
        var left = range.lowerBound + leafCount, right = range.upperBound + leafCount
        var leftMoments = WindowVariance.Moments(), rightMoments = WindowVariance.Moments()
        while left < right {
            if left & 1 == 1 {
                leftMoments = .merged(leftMoments, nodes[left])
                left += 1
            }
            if right & 1 == 1 {
                right -= 1
                rightMoments = .merged(nodes[right], rightMoments)
            }
            left >>= 1
            right >>= 1
        }
        return .merged(leftMoments, rightMoments)
    }
}
